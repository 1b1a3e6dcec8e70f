"""Phase 6 as-of exporters on the hand-made league (test_phase6_support), as of its newest graded
date D2: the exact documents of system performance, tonight, streaks, every trends page, player
profiles and season pages, and status. Thresholds made for a 450-player league are lowered where
four players could not reach them (each test says which)."""
import json

import pytest
from test_phase6_exporters_daily import NO_BETS, rec
from test_phase6_support import D2, END, START, league

from nbaprops.exporters import (BounceBackExporter, DeepDiveExporter, PlayerProfileExporter, PlayerSeasonExporter,
                                QuickHitsExporter, StatusExporter, StreaksExporter, SystemPerformanceExporter,
                                TeamTendenciesExporter, TonightAllPlayersExporter, TonightPlayerExporter,
                                TonightTrendPlaysExporter, WhatMattersExporter, WhosHotColdExporter)
from nbaprops.exporters.base import AsOf
from nbaprops.exporters.reads import ExportReads
from nbaprops.storage.local import LocalObjectStore

AS_OF = AsOf(as_of=D2, start=START, end=END)


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return league(tmp_path_factory.mktemp("league"))


def exported(wh, exporter, ctx=AS_OF, **thresholds) -> dict:
    """{key: (document parsed back from its bytes, Cache-Control)}; ``thresholds`` set on the exporter."""
    for name, value in thresholds.items():
        setattr(exporter, name, value)
    return {o.key: (json.loads(o.data()), o.cache_control) for o in exporter.export(ExportReads(wh), ctx)}


def only(objects: dict, key: str, cache_control: str):
    assert list(objects) == [key]
    doc, cache = objects[key]
    assert cache == cache_control
    return doc


def test_system_performance(wh):
    """Ensemble: 3 wins, 1 loss, 1 push over D1-D2 (win rate 0.75: pushes apart, D5); MAE weighted
    by graded predictions; similarity is level on MAE (the rank breaks the tie) and less biased.
    Systems without rows keep their place with empty windows; the market system, sixth, is graded
    against the consensus line like the others (its MAE 2.7 over ann's 4.4 and bob's 1.0)."""
    doc = only(exported(wh, SystemPerformanceExporter()), "v1/systems/performance.json", "public, max-age=3600")
    assert doc == {
        'as_of_date': '2022-11-10',
        'comparison': {
            'best_mae': {'system_id': 'market_xgboost_v1', 'value': 2.7},
            'best_win_rate': {'system_id': 'market_xgboost_v1', 'value': 1.0},
            'lowest_bias': {'system_id': 'similarity_balanced_v1', 'value': 1.83},
        },
        'generated_at': '2022-11-10T00:00:00Z', 'season': '2022-23',
        'systems': [
            {
                'breakdown': {
                    'high_confidence_win_rate': 1.0, 'over_win_rate': 0.667, 'under_win_rate': 1.0,
                    'within_3_pct': 0.5, 'within_5_pct': 0.667,
                },
                'description': 'Blend of the four base systems with weights learned monthly (non-negative '
                               'least squares) on the 30 game dates before the month',
                'display_name': 'Ensemble',
                'is_primary': True, 'rank': 1, 'system_id': 'ensemble_v1',
                'windows': {
                    'all_time': {
                        'bias': 2.83, 'correct': 3, 'days': 2, 'graded': 6, 'incorrect': 1, 'mae': 5.17,
                        'predictions': 8, 'pushes': 1, 'recommendations': 5, 'win_rate': 0.75,
                    },
                    'last_30_days': {
                        'bias': 2.83, 'correct': 3, 'days': 2, 'graded': 6, 'incorrect': 1, 'mae': 5.17,
                        'predictions': 8, 'pushes': 1, 'recommendations': 5, 'win_rate': 0.75,
                    },
                    'last_7_days': {
                        'bias': 2.83, 'correct': 3, 'days': 2, 'graded': 6, 'incorrect': 1, 'mae': 5.17,
                        'predictions': 8, 'pushes': 1, 'recommendations': 5, 'win_rate': 0.75,
                    },
                    'season': {
                        'bias': 2.83, 'correct': 3, 'days': 2, 'graded': 6, 'incorrect': 1, 'mae': 5.17,
                        'predictions': 8, 'pushes': 1, 'recommendations': 5, 'win_rate': 0.75,
                    },
                },
            },
            {
                'breakdown': {
                    'high_confidence_win_rate': None, 'over_win_rate': None, 'under_win_rate': None,
                    'within_3_pct': None, 'within_5_pct': None,
                },
                'description': 'Gradient-boosted trees on the 25 features, retrained monthly on earlier games',
                'display_name': 'XGBoost ML', 'is_primary': False, 'rank': 2, 'system_id': 'xgboost_v1',
                'windows': {
                    'all_time': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'last_30_days': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'last_7_days': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'season': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                },
            },
            {
                'breakdown': {
                    'high_confidence_win_rate': None, 'over_win_rate': None, 'under_win_rate': None,
                    'within_3_pct': None, 'within_5_pct': None,
                },
                'description': 'Recent and season scoring averages with context adjustments',
                'display_name': 'Moving Average', 'is_primary': False, 'rank': 3,
                'system_id': 'moving_average_baseline_v1',
                'windows': {
                    'all_time': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'last_30_days': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'last_7_days': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'season': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                },
            },
            {
                'breakdown': {
                    'high_confidence_win_rate': None, 'over_win_rate': None, 'under_win_rate': None,
                    'within_3_pct': 0.5, 'within_5_pct': 0.667,
                },
                'description': "Points in the player's most similar past games", 'display_name': 'Similarity',
                'is_primary': False, 'rank': 4, 'system_id': 'similarity_balanced_v1',
                'windows': {
                    'all_time': {
                        'bias': 1.83, 'correct': 0, 'days': 2, 'graded': 6, 'incorrect': 0, 'mae': 5.17,
                        'predictions': 8, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'last_30_days': {
                        'bias': 1.83, 'correct': 0, 'days': 2, 'graded': 6, 'incorrect': 0, 'mae': 5.17,
                        'predictions': 8, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'last_7_days': {
                        'bias': 1.83, 'correct': 0, 'days': 2, 'graded': 6, 'incorrect': 0, 'mae': 5.17,
                        'predictions': 8, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'season': {
                        'bias': 1.83, 'correct': 0, 'days': 2, 'graded': 6, 'incorrect': 0, 'mae': 5.17,
                        'predictions': 8, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                },
            },
            {
                'breakdown': {
                    'high_confidence_win_rate': None, 'over_win_rate': None, 'under_win_rate': None,
                    'within_3_pct': None, 'within_5_pct': None,
                },
                'description': "Shot-zone profile against the opponent's zone defence",
                'display_name': 'Zone Matchup', 'is_primary': False, 'rank': 5, 'system_id': 'zone_matchup_v1',
                'windows': {
                    'all_time': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'last_30_days': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'last_7_days': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                    'season': {
                        'bias': None, 'correct': 0, 'days': 0, 'graded': 0, 'incorrect': 0, 'mae': None,
                        'predictions': 0, 'pushes': 0, 'recommendations': 0, 'win_rate': None,
                    },
                },
            },
            {
                'breakdown': {  # D2: ann 30 for 25.6 (OVER, win), bob 20 for 19.0 (UNDER, push at 20.0), dan out
                    'high_confidence_win_rate': None, 'over_win_rate': 1.0, 'under_win_rate': None,
                    'within_3_pct': 0.5, 'within_5_pct': 1.0,
                },
                'description': "Learns points minus the bookmakers' consensus line, priced as a bet: P(over) and "
                               'expected value at the stored prices',
                'display_name': 'Market XGBoost', 'is_primary': False, 'rank': 6,
                'system_id': 'market_xgboost_v1',
                'windows': {
                    'all_time': {
                        'bias': -2.7, 'correct': 1, 'days': 1, 'graded': 2, 'incorrect': 0, 'mae': 2.7,
                        'predictions': 3, 'pushes': 1, 'recommendations': 2, 'win_rate': 1.0,
                    },
                    'last_30_days': {
                        'bias': -2.7, 'correct': 1, 'days': 1, 'graded': 2, 'incorrect': 0, 'mae': 2.7,
                        'predictions': 3, 'pushes': 1, 'recommendations': 2, 'win_rate': 1.0,
                    },
                    'last_7_days': {
                        'bias': -2.7, 'correct': 1, 'days': 1, 'graded': 2, 'incorrect': 0, 'mae': 2.7,
                        'predictions': 3, 'pushes': 1, 'recommendations': 2, 'win_rate': 1.0,
                    },
                    'season': {
                        'bias': -2.7, 'correct': 1, 'days': 1, 'graded': 2, 'incorrect': 0, 'mae': 2.7,
                        'predictions': 3, 'pushes': 1, 'recommendations': 2, 'win_rate': 1.0,
                    },
                },
            },
        ],
    }


def test_tonight_all_players(wh):
    """D2's slate before tip-off: form from games before D2, best prices of the bookmakers offering
    the consensus line (BetMGM's 23.5 is not it), the OUT player last."""
    doc = only(exported(wh, TonightAllPlayersExporter()), "v1/tonight/all-players.json", "public, max-age=300")
    assert doc == {
        'game_date': '2022-11-10',
        'games': [
            {
                'away_team': 'NYK', 'game_id': '20221110_NYK_BOS', 'game_status': 'final', 'game_time': '7:30 PM ET',
                'home_team': 'BOS', 'player_count': 4,
                'players': [
                    {
                        'days_rest': 1, 'fatigue_level': 'fresh', 'fatigue_score': 100, 'games_played': 5,
                        'has_line': True, 'injury_reason': None, 'injury_status': None, 'is_home': True,
                        'last_10_points': [24, 23, 25, 22, 20], 'last_10_record': '5-0',
                        'last_10_results': ['O', 'O', 'O', 'O', 'O'], 'last_5_ppg': 22.8, 'limited_data': True,
                        'name': 'Ann Archer', 'player_lookup': 'ann',
                        'prediction': {'confidence': 0.82, 'predicted': 26.0, 'recommendation': 'OVER'},
                        'props': [{'line': 22.5, 'over_odds': -105, 'stat_type': 'points', 'under_odds': -110}],
                        'season_mpg': 34.0, 'season_ppg': 22.8, 'team': 'BOS',
                    },
                    {
                        'days_rest': 1, 'fatigue_level': 'normal', 'fatigue_score': 80, 'games_played': 5,
                        'has_line': True, 'injury_reason': None, 'injury_status': None, 'is_home': True,
                        'last_10_points': [8, 21, 21, 22, 20], 'last_10_record': '3-2',
                        'last_10_results': ['U', 'O', 'O', 'O', 'U'], 'last_5_ppg': 18.4, 'limited_data': True,
                        'name': 'Bob Baker', 'player_lookup': 'bob',
                        'prediction': {'confidence': 0.66, 'predicted': 18.0, 'recommendation': 'UNDER'},
                        'props': [{'line': 20.0, 'over_odds': None, 'stat_type': 'points', 'under_odds': None}],
                        'season_mpg': 30.0, 'season_ppg': 18.4, 'team': 'BOS',
                    },
                    {
                        'days_rest': 1, 'fatigue_level': 'tired', 'fatigue_score': 70, 'games_played': 5,
                        'has_line': False, 'injury_reason': 'Injury/Illness - Left Ankle; Sprain',
                        'injury_status': 'questionable', 'is_home': False, 'last_10_points': [0, 14, 9, 12, 10],
                        'last_10_record': '2-3', 'last_10_results': ['U', 'O', 'U', 'O', 'U'], 'last_5_ppg': 9.0,
                        'limited_data': True, 'name': 'Cal Cole', 'player_lookup': 'cal',
                        'prediction': {'confidence': 0.55, 'predicted': 11.0, 'recommendation': 'NO_LINE'},
                        'props': [], 'season_mpg': 21.6, 'season_ppg': 9.0, 'team': 'NYK',
                    },
                    {
                        'days_rest': 1, 'fatigue_level': 'fresh', 'fatigue_score': 96, 'games_played': 1,
                        'has_line': True, 'injury_reason': 'G League - Two-Way', 'injury_status': 'out',
                        'is_home': False, 'last_10_points': [5], 'last_10_record': '0-0', 'last_10_results': ['-'],
                        'last_5_ppg': 5.0, 'limited_data': True, 'name': 'Dan Dunn', 'player_lookup': 'dan',
                        'prediction': {'confidence': 0.4, 'predicted': 5.0, 'recommendation': 'PASS'},
                        'props': [{'line': 4.5, 'over_odds': None, 'stat_type': 'points', 'under_odds': None}],
                        'season_mpg': 10.0, 'season_ppg': 5.0, 'team': 'NYK',
                    },
                ],
            },
        ],
        'generated_at': '2022-11-10T00:00:00Z', 'total_players': 4, 'total_with_lines': 3,
    }


def test_tonight_player_pages(wh):
    """One page per player of the slate. Defences are ranked only with enough teams rated (here the
    'top/bottom 5' is lowered to 1 for two teams)."""
    pages = exported(wh, TonightPlayerExporter(), STRONG_DEFENSES=1, WEAK_DEFENSES=1)
    assert sorted(pages) == [f"v1/tonight/player/{p}.json" for p in ("ann", "bob", "cal", "dan")]
    assert {cache for _, cache in pages.values()} == {"public, max-age=300"}
    assert pages["v1/tonight/player/ann.json"][0] == {
        'current_streak': {'length': 5, 'type': 'over'},
        'fatigue': {'context': {'days_rest': 1, 'final_score': 100}, 'level': 'fresh', 'score': 100},
        'game_context': {
            'days_rest': 1, 'game_id': '20221110_NYK_BOS', 'home_game': True, 'injury_reason': None,
            'injury_status': None, 'is_back_to_back': True, 'line': 22.5, 'opponent': 'NYK', 'team_abbr': 'BOS',
        },
        'game_date': '2022-11-10', 'games_played': 5, 'generated_at': '2022-11-10T00:00:00Z', 'limited_data': True,
        'player_full_name': 'Ann Archer', 'player_lookup': 'ann',
        'prediction': {
            'confidence_score': 0.82, 'edge': 3.5, 'line': 22.5, 'pace_adjustment': 0.5, 'predicted_points': 26.0,
            'recommendation': 'OVER', 'similar_games': 8,
        },
        'quick_numbers': {
            'games_played': 5, 'last_10_mpg': 34.0, 'last_10_ppg': 22.8, 'last_5_mpg': 34.0, 'last_5_ppg': 22.8,
            'season_mpg': 34.0, 'season_ppg': 22.8,
        },
        'recent_form': [
            {
                'fg': '8/13', 'ft': '2/2', 'game_date': '2022-11-09', 'home_game': False, 'line': 21.5,
                'margin': 2.5, 'minutes': 34.0, 'opponent': 'NYK', 'over_under': 'OVER', 'points': 24,
                'three': '1/3',
            },
            {
                'fg': '7/12', 'ft': '2/2', 'game_date': '2022-11-07', 'home_game': False, 'line': 20.5,
                'margin': 2.5, 'minutes': 34.0, 'opponent': 'NYK', 'over_under': 'OVER', 'points': 23,
                'three': '1/3',
            },
            {
                'fg': '8/13', 'ft': '2/2', 'game_date': '2022-11-05', 'home_game': True, 'line': 20.5, 'margin': 4.5,
                'minutes': 34.0, 'opponent': 'NYK', 'over_under': 'OVER', 'points': 25, 'three': '1/3',
            },
            {
                'fg': '7/12', 'ft': '2/2', 'game_date': '2022-11-03', 'home_game': False, 'line': 19.5,
                'margin': 2.5, 'minutes': 34.0, 'opponent': 'NYK', 'over_under': 'OVER', 'points': 22,
                'three': '1/3',
            },
            {
                'fg': '6/11', 'ft': '2/2', 'game_date': '2022-11-01', 'home_game': True, 'line': 18.5, 'margin': 1.5,
                'minutes': 34.0, 'opponent': 'NYK', 'over_under': 'OVER', 'points': 20, 'three': '1/3',
            },
        ],
        'tonights_factors': [
            {
                'description': 'Second game of a back-to-back', 'direction': 'negative', 'factor': 'back_to_back',
                'impact': None,
            },
            {'description': 'Fatigue score 100 of 100', 'direction': 'positive', 'factor': 'fresh', 'impact': None},
            {
                'description': "NYK has the league's #2 defence (of 2) over its last 15 games",
                'direction': 'positive', 'factor': 'opponent_defense', 'impact': None,
            },
        ],
    }
    cal = pages["v1/tonight/player/cal.json"][0]
    assert cal["tonights_factors"] == [
        {"factor": "back_to_back", "direction": "negative", "impact": None,
         "description": "Second game of a back-to-back"},
        {"factor": "fatigue", "direction": "negative", "impact": None, "description": "Fatigue score 70 of 100"},
        {"factor": "opponent_defense", "direction": "negative", "impact": None,
         "description": "BOS has the league's #1 defence over its last 15 games"},
    ]
    assert (cal["game_context"]["injury_status"], cal["prediction"]["recommendation"]) == ("questionable", "NO_LINE")


def test_tonight_without_enough_rated_defences_names_none(wh):
    pages = exported(wh, TonightPlayerExporter())
    assert all(f["factor"] != "opponent_defense" for doc, _ in pages.values() for f in doc["tonights_factors"])


def test_streaks(wh):
    """Runs as of the morning of D2 (box scores and grading through D1); minimum length lowered to 1."""
    doc = only(exported(wh, StreaksExporter(), MIN_LENGTH=1), "v1/streaks/today.json", "public, max-age=3600")
    assert doc == {
        'as_of_date': '2022-11-10', 'data_through': '2022-11-09', 'generated_at': '2022-11-10T00:00:00Z',
        'min_streak_length': 1,
        'streaks': {
            'over': [
                {
                    'avg_margin': 2.7,
                    'last_games': [
                        {'game_date': '2022-11-09', 'line': 21.5, 'opponent': 'NYK', 'points': 24},
                        {'game_date': '2022-11-07', 'line': 20.5, 'opponent': 'NYK', 'points': 23},
                        {'game_date': '2022-11-05', 'line': 20.5, 'opponent': 'NYK', 'points': 25},
                        {'game_date': '2022-11-03', 'line': 19.5, 'opponent': 'NYK', 'points': 22},
                        {'game_date': '2022-11-01', 'line': 18.5, 'opponent': 'NYK', 'points': 20},
                    ],
                    'player_full_name': 'Ann Archer', 'player_lookup': 'ann', 'streak_length': 5, 'team_abbr': 'BOS',
                },
            ],
            'prediction_hits': [
                {
                    'last_games': [{'actual': 24, 'game_date': '2022-11-09', 'line': 21.5, 'recommendation': 'OVER'}],
                    'player_full_name': 'Ann Archer', 'player_lookup': 'ann', 'streak_length': 1, 'team_abbr': 'BOS',
                },
                {
                    'last_games': [{'actual': 8, 'game_date': '2022-11-09', 'line': 20.5, 'recommendation': 'UNDER'}],
                    'player_full_name': 'Bob Baker', 'player_lookup': 'bob', 'streak_length': 1, 'team_abbr': 'BOS',
                },
            ],
            'under': [
                {
                    'avg_margin': -12.5,
                    'last_games': [{'game_date': '2022-11-09', 'line': 20.5, 'opponent': 'NYK', 'points': 8}],
                    'player_full_name': 'Bob Baker', 'player_lookup': 'bob', 'streak_length': 1, 'team_abbr': 'BOS',
                },
                {
                    'avg_margin': -11.5,
                    'last_games': [{'game_date': '2022-11-09', 'line': 11.5, 'opponent': 'BOS', 'points': 0}],
                    'player_full_name': 'Cal Cole', 'player_lookup': 'cal', 'streak_length': 1, 'team_abbr': 'NYK',
                },
            ],
        },
        'summary': {
            'longest_over': 5, 'longest_prediction': 1, 'longest_under': 1, 'total_over_streaks': 1,
            'total_prediction_streaks': 2, 'total_under_streaks': 2,
        },
    }


def test_streaks_keep_runs_of_four(wh):
    doc, _ = exported(wh, StreaksExporter())["v1/streaks/today.json"]
    assert [s["player_lookup"] for s in doc["streaks"]["over"]] == ["ann"]
    assert doc["streaks"]["under"] == doc["streaks"]["prediction_hits"] == []


def test_whos_hot_and_cold(wh):
    """ann: 5 of 5 over, a 5-game over run, +2.7 a game: heat 10 x (0.5 + 0.1875 + 0.159) = 8.5;
    cal: 2 of 5, an under run: 4.1 (lists cut to 1)."""
    doc = only(exported(wh, WhosHotColdExporter(), TOP=1), "v1/trends/whos-hot-v2.json", "public, max-age=3600")
    assert doc == {
        'as_of_date': '2022-11-10',
        'cold': [
            {
                'avg_margin': -2.5, 'current_streak': 1, 'heat_score': 4.1, 'hit_rate': 0.4, 'hit_rate_games': 5,
                'player_full_name': 'Cal Cole', 'player_lookup': 'cal', 'playing_tonight': True, 'position': None,
                'rank': 1, 'streak_direction': 'under', 'team_abbr': 'NYK',
                'tonight': {'game_time': '7:30 PM ET', 'home': False, 'opponent': 'BOS'},
            },
        ],
        'data_through': '2022-11-09', 'generated_at': '2022-11-10T00:00:00Z',
        'hot': [
            {
                'avg_margin': 2.7, 'current_streak': 5, 'heat_score': 8.5, 'hit_rate': 1.0, 'hit_rate_games': 5,
                'player_full_name': 'Ann Archer', 'player_lookup': 'ann', 'playing_tonight': True, 'position': None,
                'rank': 1, 'streak_direction': 'over', 'team_abbr': 'BOS',
                'tonight': {'game_time': '7:30 PM ET', 'home': True, 'opponent': 'NYK'},
            },
        ],
        'league_average': {'avg_margin': -0.63, 'hit_rate': 0.667}, 'min_games': 5, 'time_period': 'last_30_days',
        'total_qualifying_players': 3,
    }


def test_bounce_back(wh):
    """bob's last game (8) is 10.4 under his season average 18.4 (season minimum lowered to 3 games);
    nobody has a bad game followed by another game yet, so no rate."""
    doc = only(exported(wh, BounceBackExporter(), MIN_SEASON_GAMES=3), "v1/trends/bounce-back.json",
               "public, max-age=3600")
    assert doc == {
        'as_of_date': '2022-11-10',
        'bounce_back_candidates': [
            {
                'bounce_back_rate': None, 'bounce_back_sample': 0,
                'last_game': {'date': '2022-11-09', 'margin': -10.4, 'opponent': 'NYK', 'result': 8},
                'player_full_name': 'Bob Baker', 'player_lookup': 'bob', 'playing_tonight': True, 'rank': 1,
                'season_average': 18.4, 'shortfall': 10.4, 'significance': 'low', 'team_abbr': 'BOS',
                'tonight': {'game_time': '7:30 PM ET', 'home': True, 'opponent': 'NYK'},
            },
        ],
        'data_through': '2022-11-09', 'generated_at': '2022-11-10T00:00:00Z',
        'league_baseline': {'bounce_back_rate': None, 'sample': 0}, 'min_season_games': 3, 'shortfall_threshold': 10,
        'total_candidates': 1,
    }


def test_what_matters(wh):
    """365-day archetypes (minimum lowered to 5 games, insights to 3); rest from the pre-game context
    (only D1's is known here); a split equal to the archetype's overall rate is no insight."""
    doc = only(exported(wh, WhatMattersExporter(), MIN_GAMES=5, MIN_INSIGHT_GAMES=3), "v1/trends/what-matters.json",
               "public, max-age=43200")
    assert doc == {
        'archetypes': {
            'role_player': {
                'description': 'Under 8 points per game', 'example_players': [],
                'factors': {
                    'home_away': {'away': {'games': 0, 'over_pct': None}, 'home': {'games': 0, 'over_pct': None}},
                    'rest': {
                        'b2b': {'games': 0, 'over_pct': None}, 'one_day': {'games': 0, 'over_pct': None},
                        'rested': {'games': 0, 'over_pct': None},
                    },
                },
                'overall_over_pct': None, 'player_count': 0,
            },
            'rotation': {
                'description': '8-15 points per game',
                'example_players': [{'player_full_name': 'Cal Cole', 'player_lookup': 'cal', 'ppg': 9.0}],
                'factors': {
                    'home_away': {'away': {'games': 2, 'over_pct': 0.0}, 'home': {'games': 3, 'over_pct': 0.667}},
                    'rest': {
                        'b2b': {'games': 0, 'over_pct': None}, 'one_day': {'games': 1, 'over_pct': 0.0},
                        'rested': {'games': 0, 'over_pct': None},
                    },
                },
                'overall_over_pct': 0.4, 'player_count': 1,
            },
            'scorer': {
                'description': '15-22 points per game',
                'example_players': [{'player_full_name': 'Bob Baker', 'player_lookup': 'bob', 'ppg': 18.4}],
                'factors': {
                    'home_away': {'away': {'games': 3, 'over_pct': 0.667}, 'home': {'games': 2, 'over_pct': 0.5}},
                    'rest': {
                        'b2b': {'games': 0, 'over_pct': None}, 'one_day': {'games': 1, 'over_pct': 0.0},
                        'rested': {'games': 0, 'over_pct': None},
                    },
                },
                'overall_over_pct': 0.6, 'player_count': 1,
            },
            'star': {
                'description': '22+ points per game',
                'example_players': [{'player_full_name': 'Ann Archer', 'player_lookup': 'ann', 'ppg': 22.8}],
                'factors': {
                    'home_away': {'away': {'games': 3, 'over_pct': 1.0}, 'home': {'games': 2, 'over_pct': 1.0}},
                    'rest': {
                        'b2b': {'games': 0, 'over_pct': None}, 'one_day': {'games': 1, 'over_pct': 1.0},
                        'rested': {'games': 0, 'over_pct': None},
                    },
                },
                'overall_over_pct': 1.0, 'player_count': 1,
            },
        },
        'as_of_date': '2022-11-10', 'data_through': '2022-11-09', 'generated_at': '2022-11-10T00:00:00Z',
        'key_insights': [
            'Scorers go OVER 67% of the time on the road (vs 60% overall, 3 games)',
            'Rotation players go OVER 67% of the time at home (vs 40% overall, 3 games)',
        ],
        'min_games': 5, 'window_days': 365,
    }


def test_team_tendencies(wh):
    """Lists cut to 1. No team played a back-to-back through D1, so those lists are empty."""
    doc = only(exported(wh, TeamTendenciesExporter(), TOP=1), "v1/trends/team-tendencies.json",
               "public, max-age=43200")
    assert doc == {
        'as_of_date': '2022-11-10', 'back_to_back': {'resilient': [], 'vulnerable': []},
        'data_through': '2022-11-09',
        'defense_by_zone': {
            'paint': {
                'best': [
                    {
                        'games': 4, 'insight': 'Opponents shoot 55.0% in the paint (last 4 games)',
                        'team_abbr': 'BOS', 'value': 0.55,
                    },
                ],
                'worst': [
                    {
                        'games': 4, 'insight': 'Opponents shoot 60.0% in the paint (last 4 games)',
                        'team_abbr': 'NYK', 'value': 0.6,
                    },
                ],
            },
            'perimeter': {
                'best': [
                    {
                        'games': 4, 'insight': 'Opponents shoot 35.0% from three (last 4 games)', 'team_abbr': 'BOS',
                        'value': 0.35,
                    },
                ],
                'worst': [
                    {
                        'games': 4, 'insight': 'Opponents shoot 37.0% from three (last 4 games)', 'team_abbr': 'NYK',
                        'value': 0.37,
                    },
                ],
            },
        },
        'generated_at': '2022-11-10T00:00:00Z',
        'home_away': {
            'home_dominant': [
                {'games': 5, 'insight': 'Wins 100% at home, 33% on the road', 'team_abbr': 'BOS', 'value': 0.667},
            ],
            'road_warriors': [{'games': 3, 'insight': 'Wins 33% of road games', 'team_abbr': 'BOS', 'value': 0.333}],
        },
        'pace': {
            'grinders': [{'games': 5, 'insight': '98.0 possessions per 48 minutes', 'team_abbr': 'NYK', 'value': 98.0}],
            'kings': [{'games': 5, 'insight': '100.0 possessions per 48 minutes', 'team_abbr': 'BOS', 'value': 100.0}],
            'league_average': 99.0,
        },
        'season': '2022-23',
    }


def test_quick_hits(wh):
    """The most lopsided splits first (sample lowered to 3, the top 3 kept)."""
    doc = only(exported(wh, QuickHitsExporter(), MIN_SAMPLE=3, TOP=3), "v1/trends/quick-hits.json",
               "public, max-age=43200")
    assert doc == {
        'as_of_date': '2022-11-10', 'data_through': '2022-11-09', 'generated_at': '2022-11-10T00:00:00Z',
        'refresh_note': 'Over/under rates of 2022-23 box scores against the consensus line, recomputed with each '
                        'export; only splits with 3+ games',
        'stats': [
            {
                'category': 'day_of_week', 'context': '3 lined games through 2022-11-09',
                'description': 'Player points props went OVER 100% of the time on Mondays in 2022-23',
                'headline': 'On Mondays: OVER 100%', 'id': 'day-monday', 'sample_size': 3, 'stat': '100%',
                'trend': 'over',
            },
            {
                'category': 'day_of_week', 'context': '3 lined games through 2022-11-09',
                'description': 'Player points props went OVER 100% of the time on Thursdays in 2022-23',
                'headline': 'On Thursdays: OVER 100%', 'id': 'day-thursday', 'sample_size': 3, 'stat': '100%',
                'trend': 'over',
            },
            {
                'category': 'scoring_range', 'context': '8 lined games through 2022-11-09',
                'description': 'Player points props went OVER 75% of the time with a line of 20-29.5 in 2022-23',
                'headline': 'With a line of 20-29.5: OVER 75%', 'id': 'line-20', 'sample_size': 8, 'stat': '75%',
                'trend': 'over',
            },
        ],
        'total_available': 10,
    }


def test_deep_dive(wh):
    doc = only(exported(wh, DeepDiveExporter()), "v1/trends/deep-dive-current.json", "public, max-age=86400")
    assert doc == {
        'as_of_date': '2022-11-10', 'cta': 'Check the November trends', 'data_through': '2022-11-09',
        'generated_at': '2022-11-10T00:00:00Z',
        'hero_stat': {
            'context': '15 lined games through 2022-11-09',
            'label': 'of player points props went OVER in November 2022-23', 'value': '67%',
        },
        'month': 'November', 'slug': 'november-reality-check', 'subtitle': 'Which hot starts hold up',
        'teaser': 'A month in, the sample sizes start to mean something.', 'title': 'November Reality Check',
    }


def test_tonight_trend_plays(wh):
    """ann's 5-game over run is a high-confidence streak play; dan is out."""
    doc = only(exported(wh, TonightTrendPlaysExporter()), "v1/trends/tonight-plays.json", "public, max-age=3600")
    assert doc == {
        'by_trend_type': {'momentum': 0, 'rest': 0, 'streak': 1}, 'data_through': '2022-11-09',
        'game_date': '2022-11-10', 'games_tonight': 1, 'generated_at': '2022-11-10T00:00:00Z',
        'total_trend_plays': 1,
        'trend_plays': [
            {
                'confidence': 'high', 'player_full_name': 'Ann Archer', 'player_lookup': 'ann', 'position': None,
                'team_abbr': 'BOS', 'tonight': {'game_time': '7:30 PM ET', 'home': True, 'opponent': 'NYK'},
                'trend_details': {'streak_length': 5, 'window_days': 30}, 'trend_direction': 'over',
                'trend_type': 'streak',
            },
        ],
    }


def test_player_index_and_profiles(wh):
    """Thresholds lowered to 1 (index) and 2 (profile) predicted games: dan never played."""
    objects = exported(wh, PlayerProfileExporter(), MIN_INDEX_GAMES=1, MIN_PROFILE_GAMES=2)
    assert list(objects) == ["v1/players/index.json"] + [f"v1/players/{p}.json" for p in ("ann", "bob", "cal")]
    assert {cache for _, cache in objects.values()} == {"public, max-age=3600"}
    assert objects["v1/players/index.json"][0] == {
        'as_of_date': '2022-11-10', 'generated_at': '2022-11-10T00:00:00Z', 'min_games_for_profile': 2,
        'players': [
            {
                'bias': -2.5, 'games_predicted': 2, 'mae': 2.5, 'player_full_name': 'Ann Archer',
                'player_lookup': 'ann', 'recommendations': 2, 'team': 'BOS', 'win_rate': 1.0, 'within_5_pct': 1.0,
            },
            {
                'bias': 3.5, 'games_predicted': 2, 'mae': 5.5, 'player_full_name': 'Bob Baker',
                'player_lookup': 'bob', 'recommendations': 2, 'team': 'BOS', 'win_rate': 1.0, 'within_5_pct': 0.5,
            },
            {
                'bias': 7.5, 'games_predicted': 2, 'mae': 7.5, 'player_full_name': 'Cal Cole',
                'player_lookup': 'cal', 'recommendations': 1, 'team': 'NYK', 'win_rate': 0.0, 'within_5_pct': 0.5,
            },
        ],
        'total_players': 3,
    }
    assert objects["v1/players/bob.json"][0] == {
        'game_log': [
            {
                'game_date': '2022-11-10', 'home_game': True, 'line': 20.0, 'margin': 0.0, 'minutes': 30.0,
                'opponent': 'NYK', 'over_under': 'PUSH', 'points': 20, 'predicted': 18.0, 'recommendation': 'UNDER',
                'result': 'PUSH',
            },
            {
                'game_date': '2022-11-09', 'home_game': False, 'line': 20.5, 'margin': -12.5, 'minutes': 30.0,
                'opponent': 'NYK', 'over_under': 'UNDER', 'points': 8, 'predicted': 17.0, 'recommendation': 'UNDER',
                'result': 'WIN',
            },
            {
                'game_date': '2022-11-07', 'home_game': False, 'line': 20.5, 'margin': 0.5, 'minutes': 30.0,
                'opponent': 'NYK', 'over_under': 'OVER', 'points': 21, 'predicted': None, 'recommendation': None,
                'result': None,
            },
            {
                'game_date': '2022-11-05', 'home_game': True, 'line': 20.5, 'margin': 0.5, 'minutes': 30.0,
                'opponent': 'NYK', 'over_under': 'OVER', 'points': 21, 'predicted': None, 'recommendation': None,
                'result': None,
            },
            {
                'game_date': '2022-11-03', 'home_game': False, 'line': 20.5, 'margin': 1.5, 'minutes': 30.0,
                'opponent': 'NYK', 'over_under': 'OVER', 'points': 22, 'predicted': None, 'recommendation': None,
                'result': None,
            },
            {
                'game_date': '2022-11-01', 'home_game': True, 'line': 20.5, 'margin': -0.5, 'minutes': 30.0,
                'opponent': 'NYK', 'over_under': 'UNDER', 'points': 20, 'predicted': None, 'recommendation': None,
                'result': None,
            },
        ],
        'generated_at': '2022-11-10T00:00:00Z',
        'interpretation': {
            'accuracy_level': 'medium', 'bias_direction': 'over',
            'text': 'We tend to over-predict this player by 3.5 points; typical miss 5.5 points (medium accuracy).',
        },
        'next_game': None,
        'our_track_record': {
            'by_confidence': {'high': rec(1, 1, 0, 0, 1.0, 9.0), 'low': NO_BETS, 'medium': rec(1, 0, 0, 1, None, 2.0)},
            'over': NO_BETS, 'under': rec(2, 1, 0, 1, 1.0, 5.5),
        },
        'player_full_name': 'Bob Baker', 'player_lookup': 'bob',
        'splits': {
            'away': {'games': 3, 'mpg': 30.0, 'over_rate': 0.667, 'ppg': 17.0},
            'home': {'games': 3, 'mpg': 30.0, 'over_rate': 0.5, 'ppg': 20.3}, 'season': '2022-23',
        },
        'summary': {
            'avg_confidence': 0.69, 'bias': 3.5, 'correct': 1,
            'date_range': {'first': '2022-11-09', 'last': '2022-11-10'}, 'games_predicted': 2, 'incorrect': 0,
            'mae': 5.5, 'pushes': 1, 'team': 'BOS', 'total_recommendations': 2, 'win_rate': 1.0, 'within_3_pct': 0.5,
            'within_5_pct': 0.5,
        },
    }


def test_player_profiles_need_enough_games(wh):
    objects = exported(wh, PlayerProfileExporter())
    assert list(objects) == ["v1/players/index.json"]
    assert objects["v1/players/index.json"][0]["players"] == []


def test_player_season_pages(wh):
    """A page per profiled player and season; it includes the as-of date's game, and its
    generated_at is the season's last game so a finished season's page never changes."""
    objects = exported(wh, PlayerSeasonExporter(), MIN_PROFILE_GAMES=2)
    assert list(objects) == [f"v1/players/{p}/season/2022-23.json" for p in ("ann", "bob", "cal")]
    assert objects["v1/players/bob/season/2022-23.json"][0] == {
        'averages': {
            'apg': 3.0, 'fg_pct': 0.538, 'ft_pct': 1.0, 'mpg': 30.0, 'ppg': 18.7, 'rpg': 5.0, 'three_pct': 0.333,
            'ts_pct': 0.55, 'usage_rate': 20.0,
        },
        'current_form': {'last_10_ppg': 18.7, 'last_5_ppg': 18.4, 'season_ppg': 18.7, 'trend': 'steady'},
        'game_log': [
            {
                'assists': 3, 'game_date': '2022-11-10', 'home_game': True, 'line': 20.0, 'margin': 0.0,
                'minutes': 30.0, 'opponent': 'NYK', 'over_under': 'PUSH', 'points': 20, 'rebounds': 5,
            },
            {
                'assists': 3, 'game_date': '2022-11-09', 'home_game': False, 'line': 20.5, 'margin': -12.5,
                'minutes': 30.0, 'opponent': 'NYK', 'over_under': 'UNDER', 'points': 8, 'rebounds': 5,
            },
            {
                'assists': 3, 'game_date': '2022-11-07', 'home_game': False, 'line': 20.5, 'margin': 0.5,
                'minutes': 30.0, 'opponent': 'NYK', 'over_under': 'OVER', 'points': 21, 'rebounds': 5,
            },
            {
                'assists': 3, 'game_date': '2022-11-05', 'home_game': True, 'line': 20.5, 'margin': 0.5,
                'minutes': 30.0, 'opponent': 'NYK', 'over_under': 'OVER', 'points': 21, 'rebounds': 5,
            },
            {
                'assists': 3, 'game_date': '2022-11-03', 'home_game': False, 'line': 20.5, 'margin': 1.5,
                'minutes': 30.0, 'opponent': 'NYK', 'over_under': 'OVER', 'points': 22, 'rebounds': 5,
            },
            {
                'assists': 3, 'game_date': '2022-11-01', 'home_game': True, 'line': 20.5, 'margin': -0.5,
                'minutes': 30.0, 'opponent': 'NYK', 'over_under': 'UNDER', 'points': 20, 'rebounds': 5,
            },
        ],
        'generated_at': '2022-11-10T00:00:00Z', 'key_patterns': ['Scores 3.3 more points per game at home'],
        'monthly': [{'games': 6, 'month': '2022-11', 'mpg': 30.0, 'over_rate': 0.6, 'ppg': 18.7}],
        'player_full_name': 'Bob Baker', 'player_lookup': 'bob',
        'player_profile': {'first_game': '2022-11-01', 'games_played': 6, 'last_game': '2022-11-10', 'team': 'BOS'},
        'prop_hit_rates': {
            'avg_line': 20.4, 'avg_margin': -1.75, 'games_with_line': 6, 'over': 3, 'over_rate': 0.6, 'push': 1,
            'under': 2,
        },
        'season': '2022-23',
        'splits': {
            'away': {'games': 3, 'mpg': 30.0, 'over_rate': 0.667, 'ppg': 17.0},
            'home': {'games': 3, 'mpg': 30.0, 'over_rate': 0.5, 'ppg': 20.3},
        },
    }


def test_status_reads_the_store(wh, tmp_path):
    """Healthy when the tonight and live objects of the as-of date are in the store; each missing one
    is a known issue."""
    store = LocalObjectStore(tmp_path / "exports")
    ctx = AsOf(D2, START, END, store, final=D2)
    missing = only(exported(wh, StatusExporter(), ctx), "v1/status.json", "public, max-age=60")
    assert missing["overall_status"] == "unhealthy"
    assert missing["known_issues"] == [
        {"service": "live_data", "status": "unhealthy", "message": "v1/live/latest.json is missing"},
        {"service": "tonight_data", "status": "unhealthy", "message": "v1/tonight/all-players.json is missing"},
    ]
    store.write_json("v1/live/latest.json", {"game_date": "2022-11-09"})
    store.write_json("v1/tonight/all-players.json", {"game_date": "2022-11-10"})
    doc = only(exported(wh, StatusExporter(), ctx), "v1/status.json", "public, max-age=60")
    assert doc == {
        "updated_at": "2022-11-10T00:00:00Z", "as_of_date": "2022-11-10", "overall_status": "degraded",
        "services": {
            "predictions": {"status": "healthy", "last_update": "2022-11-10", "message": "predictions are current"},
            "grading": {"status": "healthy", "last_update": "2022-11-10", "message": "grading is current"},
            "tonight_data": {"status": "healthy", "last_update": "2022-11-10",
                             "message": "v1/tonight/all-players.json describes 2022-11-10"},
            "live_data": {"status": "degraded", "last_update": "2022-11-09",
                          "message": "v1/live/latest.json describes 2022-11-09, not 2022-11-10"},
        },
        "known_issues": [{"service": "live_data", "status": "degraded",
                          "message": "v1/live/latest.json describes 2022-11-09, not 2022-11-10"}],
        "maintenance_windows": [],
    }


def test_record_helpers_match_the_exported_shape():
    assert rec(0, 0, 0, 0, None, None) == NO_BETS
