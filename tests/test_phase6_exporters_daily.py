"""Phase 6 per-date exporters on the hand-made league (test_phase6_support): the exact documents
of results, best bets, predictions, live scores, live grading and a player's game report."""
import json

import pytest
from test_phase6_support import D1, D2, league

from nbaprops.exporters import (BestBetsExporter, LiveGradingExporter, LiveScoresExporter, PlayerGameReportExporter,
                                PredictionsExporter, ResultsExporter)

from nbaprops.exporters.reads import ExportReads
NO_BETS = {"total": 0, "wins": 0, "losses": 0, "pushes": 0, "win_rate": None, "avg_error": None}


def rec(total, wins, losses, pushes, win_rate, avg_error):
    """A {total, wins, losses, pushes, win_rate, avg_error} record of graded bets."""
    return {"total": total, "wins": wins, "losses": losses, "pushes": pushes, "win_rate": win_rate,
            "avg_error": avg_error}


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return league(tmp_path_factory.mktemp("league"))


def exported(wh, exporter, day) -> dict:
    """{key: (the document as parsed back from its bytes, Cache-Control)} of one date's objects."""
    return {o.key: (json.loads(o.data()), o.cache_control) for o in exporter.run(ExportReads(wh), day)}


def test_results_of_a_date_with_a_loss_a_zero_and_a_dnp(wh):
    """D1: cal's OVER loses with 0 points (0 stays 0, the original's truthiness test made it null);
    dan did not play and is listed as DNP with no error."""
    [(key, (doc, cache))] = exported(wh, ResultsExporter(), D1).items()
    assert (key, cache) == ("v1/results/2022-11-09.json", "public, max-age=86400")
    assert doc == {
        'breakdowns': {
            'by_confidence': {'high': rec(2, 2, 0, 0, 1.0, 5.0), 'low': NO_BETS, 'medium': rec(1, 0, 1, 0, 0.0, 13.0)},
            'by_context': {
                'away': rec(2, 2, 0, 0, 1.0, 5.0), 'back_to_back': NO_BETS, 'home': rec(1, 0, 1, 0, 0.0, 13.0),
                'rested': rec(3, 2, 1, 0, 0.667, 7.67),
            },
            'by_player_tier': {
                'elite': NO_BETS, 'role_player': rec(1, 0, 1, 0, 0.0, 13.0), 'starter': rec(2, 2, 0, 0, 1.0, 5.0),
            },
            'by_recommendation': {'over': rec(2, 1, 1, 0, 0.5, 7.0), 'under': rec(1, 1, 0, 0, 1.0, 9.0)},
        },
        'game_date': '2022-11-09', 'generated_at': '2022-11-09T00:00:00Z',
        'highlights': {
            'best_prediction': {
                'actual': 24, 'error': 1.0, 'minutes': 34.0, 'player': 'Ann Archer', 'player_lookup': 'ann',
                'predicted': 23.0, 'team': 'BOS',
            },
            'worst_prediction': {
                'actual': 0, 'error': 13.0, 'minutes': 12.0, 'player': 'Cal Cole', 'player_lookup': 'cal',
                'predicted': 13.0, 'team': 'NYK',
            },
        },
        'results': [
            {
                'actual': 24, 'bias': -1.0, 'confidence': 0.75, 'confidence_tier': 'high', 'days_rest': 2,
                'error': 1.0, 'game_id': '20221109_BOS_NYK', 'is_back_to_back': False, 'is_home': False,
                'line': 21.5, 'minutes': 34.0, 'opponent': 'NYK', 'player_lookup': 'ann', 'player_tier': 'starter',
                'predicted': 23.0, 'recommendation': 'OVER', 'result': 'WIN', 'team': 'BOS',
            },
            {
                'actual': 8, 'bias': 9.0, 'confidence': 0.72, 'confidence_tier': 'high', 'days_rest': 2,
                'error': 9.0, 'game_id': '20221109_BOS_NYK', 'is_back_to_back': False, 'is_home': False,
                'line': 20.5, 'minutes': 30.0, 'opponent': 'NYK', 'player_lookup': 'bob', 'player_tier': 'starter',
                'predicted': 17.0, 'recommendation': 'UNDER', 'result': 'WIN', 'team': 'BOS',
            },
            {
                'actual': 0, 'bias': 13.0, 'confidence': 0.6, 'confidence_tier': 'medium', 'days_rest': 2,
                'error': 13.0, 'game_id': '20221109_BOS_NYK', 'is_back_to_back': False, 'is_home': True,
                'line': 11.5, 'minutes': 12.0, 'opponent': 'BOS', 'player_lookup': 'cal',
                'player_tier': 'role_player', 'predicted': 13.0, 'recommendation': 'OVER', 'result': 'LOSS',
                'team': 'NYK',
            },
            {
                'actual': None, 'bias': None, 'confidence': 0.5, 'confidence_tier': 'low', 'days_rest': 2,
                'error': None, 'game_id': '20221109_BOS_NYK', 'is_back_to_back': False, 'is_home': True,
                'line': None, 'minutes': None, 'opponent': 'BOS', 'player_lookup': 'dan',
                'player_tier': 'role_player', 'predicted': 6.0, 'recommendation': 'NO_LINE', 'result': 'DNP',
                'team': 'NYK',
            },
        ],
        'summary': {
            'avg_bias': 7.0, 'avg_mae': 7.67, 'correct': 2, 'dnp_count': 1, 'graded': 3, 'incorrect': 1,
            'no_line_count': 1, 'pass_count': 0, 'pushes': 0, 'recommendations': 3, 'total_predictions': 4,
            'win_rate': 0.667, 'within_3_pct': 0.333, 'within_3_points': 1, 'within_5_pct': 0.333,
            'within_5_points': 1,
        },
    }


def test_results_count_a_push_apart_and_show_no_line_rows(wh):
    """D2: bob's UNDER lands on the line: a push, neither correct nor incorrect (D5), so the win rate
    is 1 / (1 + 0); cal had no line (NO_LINE, graded for error only); dan did not play."""
    [(doc, _)] = exported(wh, ResultsExporter(), D2).values()
    assert doc == {
        'breakdowns': {
            'by_confidence': {'high': rec(1, 1, 0, 0, 1.0, 4.0), 'low': NO_BETS, 'medium': rec(1, 0, 0, 1, None, 2.0)},
            'by_context': {
                'away': NO_BETS, 'back_to_back': rec(2, 1, 0, 1, 1.0, 3.0), 'home': rec(2, 1, 0, 1, 1.0, 3.0),
                'rested': NO_BETS,
            },
            'by_player_tier': {'elite': NO_BETS, 'role_player': NO_BETS, 'starter': rec(2, 1, 0, 1, 1.0, 3.0)},
            'by_recommendation': {'over': rec(1, 1, 0, 0, 1.0, 4.0), 'under': rec(1, 0, 0, 1, None, 2.0)},
        },
        'game_date': '2022-11-10', 'generated_at': '2022-11-10T00:00:00Z',
        'highlights': {
            'best_prediction': {
                'actual': 20, 'error': 2.0, 'minutes': 30.0, 'player': 'Bob Baker', 'player_lookup': 'bob',
                'predicted': 18.0, 'team': 'BOS',
            },
            'worst_prediction': {
                'actual': 30, 'error': 4.0, 'minutes': 36.5, 'player': 'Ann Archer', 'player_lookup': 'ann',
                'predicted': 26.0, 'team': 'BOS',
            },
        },
        'results': [
            {
                'actual': 30, 'bias': -4.0, 'confidence': 0.82, 'confidence_tier': 'high', 'days_rest': 1,
                'error': 4.0, 'game_id': '20221110_NYK_BOS', 'is_back_to_back': True, 'is_home': True, 'line': 22.5,
                'minutes': 36.5, 'opponent': 'NYK', 'player_lookup': 'ann', 'player_tier': 'starter',
                'predicted': 26.0, 'recommendation': 'OVER', 'result': 'WIN', 'team': 'BOS',
            },
            {
                'actual': 20, 'bias': -2.0, 'confidence': 0.66, 'confidence_tier': 'medium', 'days_rest': 1,
                'error': 2.0, 'game_id': '20221110_NYK_BOS', 'is_back_to_back': True, 'is_home': True, 'line': 20.0,
                'minutes': 30.0, 'opponent': 'NYK', 'player_lookup': 'bob', 'player_tier': 'starter',
                'predicted': 18.0, 'recommendation': 'UNDER', 'result': 'PUSH', 'team': 'BOS',
            },
            {
                'actual': 9, 'bias': 2.0, 'confidence': 0.55, 'confidence_tier': 'medium', 'days_rest': 1,
                'error': 2.0, 'game_id': '20221110_NYK_BOS', 'is_back_to_back': True, 'is_home': False, 'line': None,
                'minutes': 20.0, 'opponent': 'BOS', 'player_lookup': 'cal', 'player_tier': 'role_player',
                'predicted': 11.0, 'recommendation': 'NO_LINE', 'result': 'NO_LINE', 'team': 'NYK',
            },
            {
                'actual': None, 'bias': None, 'confidence': 0.4, 'confidence_tier': 'low', 'days_rest': 1,
                'error': None, 'game_id': '20221110_NYK_BOS', 'is_back_to_back': True, 'is_home': False, 'line': 4.5,
                'minutes': None, 'opponent': 'BOS', 'player_lookup': 'dan', 'player_tier': 'role_player',
                'predicted': 5.0, 'recommendation': 'PASS', 'result': 'DNP', 'team': 'NYK',
            },
        ],
        'summary': {
            'avg_bias': -1.33, 'avg_mae': 2.67, 'correct': 1, 'dnp_count': 1, 'graded': 3, 'incorrect': 0,
            'no_line_count': 1, 'pass_count': 1, 'pushes': 1, 'recommendations': 2, 'total_predictions': 4,
            'win_rate': 1.0, 'within_3_pct': 0.667, 'within_3_points': 2, 'within_5_pct': 1.0, 'within_5_points': 3,
        },
    }


def test_best_bets_rank_market_picks_by_expected_value(wh):
    """market_xgboost_v1's picks by EV at the best bookmaker: ann (0.24) before bob (0.0818); dan's
    PASS is no pick. Each settles at its own line and price: bob's under 20.5 wins (the consensus
    20.0 pushed), ann's over 21.5 at +100 pays 1.0 a unit."""
    [(key, (doc, cache))] = exported(wh, BestBetsExporter(), D2).items()
    assert (key, cache) == ("v1/best-bets/2022-11-10.json", "public, max-age=86400")
    assert doc == {
        'game_date': '2022-11-10', 'generated_at': '2022-11-10T00:00:00Z',
        'methodology': BestBetsExporter.METHODOLOGY,
        'picks': [
            {
                'actual': 30, 'bet_line': 21.5, 'bet_price_american': 100, 'bookmaker': 'draftkings',
                'consensus_price_american': -110, 'error': 4.4, 'ev_best': 0.24, 'ev_consensus': 0.1836,
                'fatigue_level': 'fresh', 'fatigue_score': 100, 'game_id': '20221110_NYK_BOS', 'line': 22.5,
                'opponent': 'NYK', 'p_win': 0.62, 'player_full_name': 'Ann Archer', 'player_lookup': 'ann',
                'predicted': 25.6, 'profit_units': 1.0, 'rank': 1,
                'rationale': ['62% to go over 22.5 (predicted 25.6)', 'EV +0.240 a unit at draftkings (over 21.5 at +100)',
                              'Line shopping: 1 point(s) better than the consensus'],
                'recommendation': 'OVER', 'result': 'WIN', 'team': 'BOS',
            },
            {
                'actual': 20, 'bet_line': 20.5, 'bet_price_american': -110, 'bookmaker': 'fanduel',
                'consensus_price_american': -110, 'error': 1.0, 'ev_best': 0.0818, 'ev_consensus': 0.0118,
                'fatigue_level': 'normal', 'fatigue_score': 80, 'game_id': '20221110_NYK_BOS', 'line': 20.0,
                'opponent': 'NYK', 'p_win': 0.53, 'player_full_name': 'Bob Baker', 'player_lookup': 'bob',
                'predicted': 19.0, 'profit_units': 0.9091, 'rank': 2,
                'rationale': ['53% to go under 20 (predicted 19)', 'EV +0.082 a unit at fanduel (under 20.5 at -110)',
                              'Line shopping: 0.5 point(s) better than the consensus'],
                'recommendation': 'UNDER', 'result': 'WIN', 'team': 'BOS',
            },
        ],
        'total_picks': 2,
    }


def test_settling_a_bet_at_its_own_line_and_price():
    from nbaprops.exporters.daily import settle

    assert settle("OVER", 21.5, 150, 22, False) == ("WIN", 1.5)
    assert settle("UNDER", 20.5, -125, 21, False) == ("LOSS", -1.0)
    assert settle("UNDER", 20.0, -110, 20, False) == ("PUSH", 0.0)
    assert settle("OVER", 21.5, 100, None, True) == ("DNP", 0.0)
    assert settle("OVER", 21.5, 100, None, None) == ("PENDING", None)


def test_predictions_by_game_sorted_by_confidence(wh):
    """Every ensemble prediction (a NO_LINE one too: D2), the context from the similarity system,
    the market_xgboost_v1 row beside it (cal has none in the fixture: null)."""
    [(key, (doc, cache))] = exported(wh, PredictionsExporter(), D2).items()
    assert (key, cache) == ("v1/predictions/2022-11-10.json", "public, max-age=3600")
    assert doc == {
        'game_date': '2022-11-10',
        'games': [
            {
                'away_team': 'NYK', 'game_id': '20221110_NYK_BOS', 'home_team': 'BOS', 'prediction_count': 4,
                'predictions': [
                    {
                        'context': {'pace_adjustment': 0.5, 'similar_games': 8}, 'is_home': True,
                        'player_full_name': 'Ann Archer', 'player_lookup': 'ann',
                        'prediction': {
                            'confidence': 0.82, 'edge': 3.5, 'line': 22.5, 'points': 26.0, 'recommendation': 'OVER',
                        },
                        'market': {'bet_line': 21.5, 'bet_price_american': 100, 'bookmaker': 'draftkings',
                                   'ev_best': 0.24, 'p_over': 0.62, 'p_under': 0.38, 'points': 25.6,
                                   'recommendation': 'OVER'},
                        'team': 'BOS',
                    },
                    {
                        'context': {'pace_adjustment': 0.5, 'similar_games': 8}, 'is_home': True,
                        'player_full_name': 'Bob Baker', 'player_lookup': 'bob',
                        'prediction': {
                            'confidence': 0.66, 'edge': -2.0, 'line': 20.0, 'points': 18.0, 'recommendation': 'UNDER',
                        },
                        'market': {'bet_line': 20.5, 'bet_price_american': -110, 'bookmaker': 'fanduel',
                                   'ev_best': 0.0818, 'p_over': 0.4, 'p_under': 0.53, 'points': 19.0,
                                   'recommendation': 'UNDER'},
                        'team': 'BOS',
                    },
                    {
                        'context': {'pace_adjustment': 0.5, 'similar_games': 8}, 'is_home': False,
                        'player_full_name': 'Cal Cole', 'player_lookup': 'cal',
                        'prediction': {
                            'confidence': 0.55, 'edge': None, 'line': None, 'points': 11.0, 'recommendation': 'NO_LINE',
                        },
                        'market': None, 'team': 'NYK',
                    },
                    {
                        'context': {'pace_adjustment': 0.5, 'similar_games': 8}, 'is_home': False,
                        'player_full_name': 'Dan Dunn', 'player_lookup': 'dan',
                        'prediction': {
                            'confidence': 0.4, 'edge': 0.5, 'line': 4.5, 'points': 5.0, 'recommendation': 'PASS',
                        },
                        'market': {'bet_line': 4.5, 'bet_price_american': -110, 'bookmaker': 'betmgm',
                                   'ev_best': 0.01, 'p_over': 0.49, 'p_under': 0.51, 'points': 4.6,
                                   'recommendation': 'PASS'},
                        'team': 'NYK',
                    },
                ],
                'recommendation_breakdown': {'no_line': 1, 'over': 1, 'pass': 1, 'under': 1},
            },
        ],
        'generated_at': '2022-11-10T00:00:00Z', 'total_games': 1, 'total_predictions': 4,
    }


def test_live_scores_from_the_final_box_scores(wh):
    """No network: the schedule's final score, the overtime of the team box score (period 5), the
    players' final lines; away team first, then by points."""
    [(key, (doc, cache))] = exported(wh, LiveScoresExporter(), D2).items()
    assert (key, cache) == ("v1/live/2022-11-10.json", "public, max-age=30")
    assert doc == {
        'game_date': '2022-11-10',
        'games': [
            {
                'away_score': 104, 'away_team': 'NYK', 'game_id': '20221110_NYK_BOS', 'home_score': 110,
                'home_team': 'BOS', 'period': 5,
                'players': [
                    {
                        'assists': 3, 'minutes': 20.0, 'name': 'Cal Cole', 'player_lookup': 'cal', 'points': 9,
                        'rebounds': 5, 'team': 'NYK',
                    },
                    {
                        'assists': 3, 'minutes': 36.5, 'name': 'Ann Archer', 'player_lookup': 'ann', 'points': 30,
                        'rebounds': 5, 'team': 'BOS',
                    },
                    {
                        'assists': 3, 'minutes': 30.0, 'name': 'Bob Baker', 'player_lookup': 'bob', 'points': 20,
                        'rebounds': 5, 'team': 'BOS',
                    },
                ],
                'status': 'final', 'time_remaining': None,
            },
        ],
        'games_final': 1, 'games_in_progress': 0, 'poll_id': '20221110T000000Z', 'total_games': 1,
        'updated_at': '2022-11-10T00:00:00Z',
    }


def test_live_grading_statuses(wh):
    """correct, push (D5), graded (no bet) and dnp (a final game without the player)."""
    [(key, (doc, cache))] = exported(wh, LiveGradingExporter(), D2).items()
    assert (key, cache) == ("v1/live-grading/2022-11-10.json", "public, max-age=30")
    assert doc == {
        'game_date': '2022-11-10',
        'predictions': [
            {
                'actual': 30, 'away_team': 'NYK', 'confidence': 0.82, 'error': 4.0, 'game_status': 'final',
                'has_line': True, 'home_team': 'BOS', 'line': 22.5, 'line_source': 'consensus',
                'margin_vs_line': 7.5, 'minutes': 36.5, 'period': 5, 'player_lookup': 'ann',
                'player_name': 'Ann Archer', 'predicted': 26.0, 'recommendation': 'OVER', 'status': 'correct',
                'team': 'BOS', 'time_remaining': None,
            },
            {
                'actual': 20, 'away_team': 'NYK', 'confidence': 0.66, 'error': 2.0, 'game_status': 'final',
                'has_line': True, 'home_team': 'BOS', 'line': 20.0, 'line_source': 'consensus',
                'margin_vs_line': 0.0, 'minutes': 30.0, 'period': 5, 'player_lookup': 'bob',
                'player_name': 'Bob Baker', 'predicted': 18.0, 'recommendation': 'UNDER', 'status': 'push',
                'team': 'BOS', 'time_remaining': None,
            },
            {
                'actual': 9, 'away_team': 'NYK', 'confidence': 0.55, 'error': 2.0, 'game_status': 'final',
                'has_line': False, 'home_team': 'BOS', 'line': None, 'line_source': None, 'margin_vs_line': None,
                'minutes': 20.0, 'period': 5, 'player_lookup': 'cal', 'player_name': 'Cal Cole', 'predicted': 11.0,
                'recommendation': 'NO_LINE', 'status': 'graded', 'team': 'NYK', 'time_remaining': None,
            },
            {
                'actual': None, 'away_team': 'NYK', 'confidence': 0.4, 'error': None, 'game_status': 'final',
                'has_line': True, 'home_team': 'BOS', 'line': 4.5, 'line_source': 'consensus',
                'margin_vs_line': None, 'minutes': None, 'period': 5, 'player_lookup': 'dan',
                'player_name': 'Dan Dunn', 'predicted': 5.0, 'recommendation': 'PASS', 'status': 'dnp',
                'team': 'NYK', 'time_remaining': None,
            },
        ],
        'summary': {
            'avg_error': 2.67, 'correct': 1, 'dnp': 1, 'games_final': 1, 'games_in_progress': 0, 'graded': 3,
            'incorrect': 0, 'pending': 0, 'pushes': 1, 'total_predictions': 4, 'win_rate': 1.0,
        },
        'updated_at': '2022-11-10T00:00:00Z',
    }


def test_game_reports_for_players_who_played(wh):
    """One report per player with a graded ensemble prediction who played (not dan). Everything
    but ``result`` is pre-game: moving averages, recent games and head-to-head end on D1."""
    reports = exported(wh, PlayerGameReportExporter(), D2)
    assert sorted(reports) == ["v1/players/ann/game-report/2022-11-10.json",
                               "v1/players/bob/game-report/2022-11-10.json",
                               "v1/players/cal/game-report/2022-11-10.json"]
    doc, cache = reports["v1/players/ann/game-report/2022-11-10.json"]
    assert cache == "public, max-age=86400"
    assert doc == {
        'game_date': '2022-11-10', 'game_id': '20221110_NYK_BOS', 'generated_at': '2022-11-10T00:00:00Z',
        'head_to_head': {
            'games': 5,
            'last_games': [
                {
                    'game_date': '2022-11-09', 'home_game': False, 'line': 21.5, 'margin': 2.5, 'minutes': 34.0,
                    'opponent': 'NYK', 'over_under': 'OVER', 'points': 24,
                },
                {
                    'game_date': '2022-11-07', 'home_game': False, 'line': 20.5, 'margin': 2.5, 'minutes': 34.0,
                    'opponent': 'NYK', 'over_under': 'OVER', 'points': 23,
                },
                {
                    'game_date': '2022-11-05', 'home_game': True, 'line': 20.5, 'margin': 4.5, 'minutes': 34.0,
                    'opponent': 'NYK', 'over_under': 'OVER', 'points': 25,
                },
                {
                    'game_date': '2022-11-03', 'home_game': False, 'line': 19.5, 'margin': 2.5, 'minutes': 34.0,
                    'opponent': 'NYK', 'over_under': 'OVER', 'points': 22,
                },
                {
                    'game_date': '2022-11-01', 'home_game': True, 'line': 18.5, 'margin': 1.5, 'minutes': 34.0,
                    'opponent': 'NYK', 'over_under': 'OVER', 'points': 20,
                },
            ],
            'mpg': 34.0, 'opponent': 'NYK', 'over_rate': 1.0, 'ppg': 22.8,
        },
        'moving_averages': {'last_10': 22.5, 'last_5': 22.8, 'season': 22.5},
        'opponent_context': {
            'defensive_rating_last_15': 112.0, 'games_in_sample': 4, 'opponent': 'NYK', 'opponent_pace': 101.0,
            'paint_defense_vs_league_avg': 1.5, 'paint_pct_allowed_last_15': 0.6,
            'three_pt_defense_vs_league_avg': 0.5, 'three_pt_pct_allowed_last_15': 0.37,
        },
        'player_full_name': 'Ann Archer', 'player_lookup': 'ann',
        'player_profile': {
            'scoring_tier': 'STARTER_20_29', 'season': '2022-23', 'season_games': 5, 'season_ppg': 22.5, 'team': 'BOS',
        },
        'prediction_angles': [
            {
                'confidence': 0.82, 'predicted': 26.0, 'recommendation': 'OVER', 'result': 'WIN',
                'system_id': 'ensemble_v1',
            },
            {
                'confidence': 0.0, 'predicted': 25.0, 'recommendation': 'PASS', 'result': 'PASS',
                'system_id': 'similarity_balanced_v1',
            },
            {  # the sixth system, last: OVER 21.5 at its book; graded against the consensus 22.5 (30 > 22.5)
                'confidence': 0.62, 'predicted': 25.6, 'recommendation': 'OVER', 'result': 'WIN',
                'system_id': 'market_xgboost_v1',
            },
        ],
        'prop_line': {'line': 22.5, 'source': 'consensus'},
        'recent_games': [
            {
                'game_date': '2022-11-09', 'home_game': False, 'line': 21.5, 'margin': 2.5, 'minutes': 34.0,
                'opponent': 'NYK', 'over_under': 'OVER', 'points': 24,
            },
            {
                'game_date': '2022-11-07', 'home_game': False, 'line': 20.5, 'margin': 2.5, 'minutes': 34.0,
                'opponent': 'NYK', 'over_under': 'OVER', 'points': 23,
            },
            {
                'game_date': '2022-11-05', 'home_game': True, 'line': 20.5, 'margin': 4.5, 'minutes': 34.0,
                'opponent': 'NYK', 'over_under': 'OVER', 'points': 25,
            },
            {
                'game_date': '2022-11-03', 'home_game': False, 'line': 19.5, 'margin': 2.5, 'minutes': 34.0,
                'opponent': 'NYK', 'over_under': 'OVER', 'points': 22,
            },
            {
                'game_date': '2022-11-01', 'home_game': True, 'line': 18.5, 'margin': 1.5, 'minutes': 34.0,
                'opponent': 'NYK', 'over_under': 'OVER', 'points': 20,
            },
        ],
        'result': {
            'actual': 30, 'error': 4.0, 'margin': 7.5, 'minutes': 36.5, 'over_under': 'OVER', 'predicted': 26.0,
            'recommendation': 'OVER', 'result': 'WIN',
        },
    }


def test_game_report_of_a_no_line_prediction(wh):
    doc, _ = exported(wh, PlayerGameReportExporter(), D2)["v1/players/cal/game-report/2022-11-10.json"]
    assert doc == {
        'game_date': '2022-11-10', 'game_id': '20221110_NYK_BOS', 'generated_at': '2022-11-10T00:00:00Z',
        'head_to_head': {
            'games': 5,
            'last_games': [
                {
                    'game_date': '2022-11-09', 'home_game': True, 'line': 11.5, 'margin': -11.5, 'minutes': 12.0,
                    'opponent': 'BOS', 'over_under': 'UNDER', 'points': 0,
                },
                {
                    'game_date': '2022-11-07', 'home_game': True, 'line': 11.5, 'margin': 2.5, 'minutes': 24.0,
                    'opponent': 'BOS', 'over_under': 'OVER', 'points': 14,
                },
                {
                    'game_date': '2022-11-05', 'home_game': False, 'line': 11.5, 'margin': -2.5, 'minutes': 24.0,
                    'opponent': 'BOS', 'over_under': 'UNDER', 'points': 9,
                },
                {
                    'game_date': '2022-11-03', 'home_game': True, 'line': 11.5, 'margin': 0.5, 'minutes': 24.0,
                    'opponent': 'BOS', 'over_under': 'OVER', 'points': 12,
                },
                {
                    'game_date': '2022-11-01', 'home_game': False, 'line': 11.5, 'margin': -1.5, 'minutes': 24.0,
                    'opponent': 'BOS', 'over_under': 'UNDER', 'points': 10,
                },
            ],
            'mpg': 21.6, 'opponent': 'BOS', 'over_rate': 0.4, 'ppg': 9.0,
        },
        'moving_averages': {'last_10': 9.8, 'last_5': 9.0, 'season': 11.2},
        'opponent_context': {
            'defensive_rating_last_15': 108.0, 'games_in_sample': 4, 'opponent': 'BOS', 'opponent_pace': 99.0,
            'paint_defense_vs_league_avg': -3.5, 'paint_pct_allowed_last_15': 0.55,
            'three_pt_defense_vs_league_avg': 0.5, 'three_pt_pct_allowed_last_15': 0.35,
        },
        'player_full_name': 'Cal Cole', 'player_lookup': 'cal',
        'player_profile': {
            'scoring_tier': 'ROTATION_10_19', 'season': '2022-23', 'season_games': 5, 'season_ppg': 11.2, 'team': 'NYK',
        },
        'prediction_angles': [
            {
                'confidence': 0.55, 'predicted': 11.0, 'recommendation': 'NO_LINE', 'result': 'NO_LINE',
                'system_id': 'ensemble_v1',
            },
            {
                'confidence': 0.0, 'predicted': 10.0, 'recommendation': 'NO_LINE', 'result': 'NO_LINE',
                'system_id': 'similarity_balanced_v1',
            },
        ],
        'prop_line': {'line': None, 'source': None},
        'recent_games': [
            {
                'game_date': '2022-11-09', 'home_game': True, 'line': 11.5, 'margin': -11.5, 'minutes': 12.0,
                'opponent': 'BOS', 'over_under': 'UNDER', 'points': 0,
            },
            {
                'game_date': '2022-11-07', 'home_game': True, 'line': 11.5, 'margin': 2.5, 'minutes': 24.0,
                'opponent': 'BOS', 'over_under': 'OVER', 'points': 14,
            },
            {
                'game_date': '2022-11-05', 'home_game': False, 'line': 11.5, 'margin': -2.5, 'minutes': 24.0,
                'opponent': 'BOS', 'over_under': 'UNDER', 'points': 9,
            },
            {
                'game_date': '2022-11-03', 'home_game': True, 'line': 11.5, 'margin': 0.5, 'minutes': 24.0,
                'opponent': 'BOS', 'over_under': 'OVER', 'points': 12,
            },
            {
                'game_date': '2022-11-01', 'home_game': False, 'line': 11.5, 'margin': -1.5, 'minutes': 24.0,
                'opponent': 'BOS', 'over_under': 'UNDER', 'points': 10,
            },
        ],
        'result': {
            'actual': 9, 'error': 2.0, 'margin': None, 'minutes': 20.0, 'over_under': None, 'predicted': 11.0,
            'recommendation': 'NO_LINE', 'result': 'NO_LINE',
        },
    }


def test_a_date_without_grading_gives_the_empty_shapes(wh):
    """The original wrote 'empty response' shapes; so does every per-date exporter."""
    empty_day = D1.replace(day=1)
    [(results, _)] = exported(wh, ResultsExporter(), empty_day).values()
    assert results["results"] == [] and results["summary"]["total_predictions"] == 0
    assert results["highlights"] == {"best_prediction": None, "worst_prediction": None}
    [(bets, _)] = exported(wh, BestBetsExporter(), empty_day).values()
    assert (bets["total_picks"], bets["picks"]) == (0, [])
    [(predictions, _)] = exported(wh, PredictionsExporter(), empty_day).values()
    assert (predictions["total_games"], predictions["games"]) == (0, [])
    assert exported(wh, PlayerGameReportExporter(), empty_day) == {}
