"""A small hand-made league for the Phase 6 exporter tests (no tests here).

Two teams (BOS, NYK) play each other six times; the last two dates are graded:

    date        game (away at home)  ann (BOS)    bob (BOS)        cal (NYK)          dan (NYK)
    2022-11-01  NYK at BOS           20 / 18.5    20 / 20.5        10 / 11.5          5 / no line
    2022-11-03  BOS at NYK           22 / 19.5    22 / 20.5        12 / 11.5          -
    2022-11-05  NYK at BOS           25 / 20.5    21 / 20.5         9 / 11.5          -
    2022-11-07  BOS at NYK           23 / 20.5    21 / 20.5        14 / 11.5          -
    2022-11-09  BOS at NYK  (D1)     24 / 21.5     8 / 20.5         0 / 11.5 (12 min) DNP
    2022-11-10  NYK at BOS  (D2, OT) 30 / 22.5    20 / 20.0 (push)  9 / no line       DNP (out)

(points / consensus line). Ensemble picks: D1 ann OVER (win), bob UNDER (win), cal OVER (loss),
dan NO_LINE (did not play); D2 ann OVER (win), bob UNDER (push), cal NO_LINE, dan PASS (DNP).
market_xgboost_v1 on D2 (MARKET): ann OVER 21.5 at +100 (draftkings, EV 0.24), bob UNDER 20.5 at
-110 (fanduel, EV 0.08: wins at his bet line while the consensus 20.0 pushes), dan PASS.
Phase 5 after 5A (grading, daily scorecards, tier feedback, published predictions) is built by
its own SQL from these rows.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from test_phase4_support import MLFS, PCF, PGS, SCHEDULE, TDZA, TOGS, UPGC, UTGC, build, game_id, row, warehouse

from nbaprops.predictions.participation import played

PPP_BASE = "nba_predictions.player_prop_predictions_base"
PA = "nba_predictions.prediction_accuracy"
SDP = "nba_predictions.system_daily_performance"
STA = "nba_predictions.scoring_tier_adjustments"
ETA = "nba_predictions.ensemble_tier_applied"
PPP = "nba_predictions.player_prop_predictions"
REG = "nba_reference.nba_players_registry"
PROPS = "nba_raw.bettingpros_player_points_props"
ENS, SIM, MARKET_SYSTEM = "ensemble_v1", "similarity_balanced_v1", "market_xgboost_v1"

H1, H2, H3, H4 = (dt.date(2022, 11, d) for d in (1, 3, 5, 7))
D1, D2 = dt.date(2022, 11, 9), dt.date(2022, 11, 10)
START, END = dt.date(2022, 10, 18), dt.date(2022, 11, 12)
GAMES = {H1: ("NYK", "BOS"), H2: ("BOS", "NYK"), H3: ("NYK", "BOS"), H4: ("BOS", "NYK"), D1: ("BOS", "NYK"),
         D2: ("NYK", "BOS")}  # date: (away, home)
TEAM = {"ann": "BOS", "bob": "BOS", "cal": "NYK", "dan": "NYK"}
NAMES = {"ann": "Ann Archer", "bob": "Bob Baker", "cal": "Cal Cole", "dan": "Dan Dunn"}
OTHER = {"BOS": "NYK", "NYK": "BOS"}
# player: [(date, points, line, minutes)]
BOX = {
    "ann": [(H1, 20, 18.5, 34.0), (H2, 22, 19.5, 34.0), (H3, 25, 20.5, 34.0), (H4, 23, 20.5, 34.0),
            (D1, 24, 21.5, 34.0), (D2, 30, 22.5, 36.5)],
    "bob": [(H1, 20, 20.5, 30.0), (H2, 22, 20.5, 30.0), (H3, 21, 20.5, 30.0), (H4, 21, 20.5, 30.0),
            (D1, 8, 20.5, 30.0), (D2, 20, 20.0, 30.0)],
    "cal": [(H1, 10, 11.5, 24.0), (H2, 12, 11.5, 24.0), (H3, 9, 11.5, 24.0), (H4, 14, 11.5, 24.0),
            (D1, 0, 11.5, 12.0), (D2, 9, None, 20.0)],
    "dan": [(H1, 5, None, 10.0)],
}
# (date, player): (ensemble predicted, recommendation, line, confidence)
PICKS = {
    (D1, "ann"): (23.0, "OVER", 21.5, 0.75), (D1, "bob"): (17.0, "UNDER", 20.5, 0.72),
    (D1, "cal"): (13.0, "OVER", 11.5, 0.6), (D1, "dan"): (6.0, "NO_LINE", None, 0.5),
    (D2, "ann"): (26.0, "OVER", 22.5, 0.82), (D2, "bob"): (18.0, "UNDER", 20.0, 0.66),
    (D2, "cal"): (11.0, "NO_LINE", None, 0.55), (D2, "dan"): (5.0, "PASS", 4.5, 0.4),
}
# (date, player): market_xgboost_v1 (predicted, recommendation, p_over, p_under, ev_best, ev_consensus, bet line,
# bet price, bookmaker)
MARKET = {
    (D2, "ann"): (25.6, "OVER", 0.62, 0.38, 0.24, 0.1836, 21.5, 100, "draftkings"),
    (D2, "bob"): (19.0, "UNDER", 0.40, 0.53, 0.0818, 0.0118, 20.5, -110, "fanduel"),
    (D2, "dan"): (4.6, "PASS", 0.49, 0.51, 0.01, -0.0264, 4.5, -110, "betmgm"),
}
# (date, player): (season average, last 5, last 10) as the feature store has them before the game
FORM = {"ann": (22.5, 22.8, 22.5), "bob": (21.0, 18.4, 19.5), "cal": (11.25, 9.0, 9.8), "dan": (5.0, 5.0, 5.0)}
FATIGUE = {"ann": 100, "bob": 80, "cal": 70, "dan": 96}


def home_of(date: dt.date, team: str) -> bool:
    return GAMES[date][1] == team


def gid(date: dt.date) -> str:
    return game_id(date, *GAMES[date])


def box_rows() -> list[dict]:
    out = []
    for player, games in BOX.items():
        team = TEAM[player]
        for date, points, line, minutes in games:
            result = None if line is None else "OVER" if points > line else "UNDER" if points < line else "PUSH"
            out.append(row(PGS, player_lookup=player, player_full_name=NAMES[player], game_id=gid(date),
                           game_date=date, season_year=2022, team_abbr=team, opponent_team_abbr=OTHER[team],
                           home_game=home_of(date, team), points=points, minutes_played=minutes,
                           fg_makes=points // 3, fg_attempts=points // 3 + 5, three_pt_makes=1, three_pt_attempts=3,
                           ft_makes=2, ft_attempts=2, total_rebounds=5, assists=3, points_line=line,
                           points_line_source=None if line is None else "consensus",
                           over_under_result=result, margin=None if line is None else points - line,
                           ts_pct=0.55, usage_rate=20.0, played=played(minutes, points)))
    return out


def prediction_rows() -> list[dict]:
    out = []
    for (date, player), (predicted, rec, line, confidence) in PICKS.items():
        team = TEAM[player]
        for system, value, recommendation, conf in ((ENS, predicted, rec, confidence),
                                                    (SIM, predicted - 1.0, "PASS" if line else "NO_LINE", 0.0)):
            out.append(row(PPP_BASE, prediction_id=f"{date}_{player}_{system}", system_id=system, player_lookup=player,
                           game_id=gid(date), game_date=date, team_abbr=team, opponent_team_abbr=OTHER[team],
                           prediction_version=1, predicted_points=value, confidence_score=conf,
                           recommendation=recommendation, has_prop_line=line is not None, current_points_line=line,
                           line_source=None if line is None else "consensus",
                           line_margin=None if line is None else round(value - line, 2), model_version="1.0",
                           is_active=True, feature_quality_score=90.0, is_production_ready=True,
                           pace_adjustment=0.5 if system == SIM else None,
                           similar_games_count=8 if system == SIM else None,
                           contributing_systems=3 if system == ENS else None,
                           prediction_variance=1.0 if system == ENS else None))
    for (date, player), (value, rec, p_over, p_under, ev_best, ev_consensus, bet_line, price, book) in MARKET.items():
        team, line = TEAM[player], PICKS[(date, player)][2]
        out.append(row(PPP_BASE, prediction_id=f"{date}_{player}_market", system_id=MARKET_SYSTEM, player_lookup=player,
                       game_id=gid(date), game_date=date, team_abbr=team, opponent_team_abbr=OTHER[team],
                       prediction_version=1, predicted_points=value, confidence_score=max(p_over, p_under),
                       recommendation=rec, has_prop_line=True, current_points_line=line, line_source="consensus",
                       line_margin=round(value - line, 2), model_version="1.0", is_active=True,
                       feature_quality_score=90.0, is_production_ready=True, ml_model_id="market_xgboost_v1_2022-11",
                       p_over=p_over, p_under=p_under, value_side=rec if rec != "PASS" else "UNDER", ev_best=ev_best,
                       ev_consensus=ev_consensus, bet_line=bet_line, bet_price_american=price, bet_bookmaker=book,
                       consensus_price_american=-110))
    return out


def feature_rows() -> list[dict]:
    out = []
    for date in (D1, D2):
        for player, (season, last5, last10) in FORM.items():
            team = TEAM[player]
            out.append(row(MLFS, player_lookup=player, game_date=date, game_id=gid(date), team_abbr=team,
                           opponent_team_abbr=OTHER[team], is_home=home_of(date, team),
                           days_rest=2 if date == D1 else 1, back_to_back=0.0 if date == D1 else 1.0,
                           points_avg_season=season, points_avg_last_5=last5, points_avg_last_10=last10))
    return out


def factor_rows() -> list[dict]:
    return [row(PCF, player_lookup=p, game_date=date, game_id=gid(date), team_abbr=TEAM[p], fatigue_score=score,
                fatigue_context_json=json.dumps({"days_rest": 2 if date == D1 else 1, "final_score": score}))
            for date in (D1, D2) for p, score in FATIGUE.items()]


def schedule_rows() -> list[dict]:
    tips = {D1: "2022-11-10 00:00", D2: "2022-11-11 00:30"}  # UTC: 7:00 and 7:30 PM Eastern
    scores = {D1: (101, 99), D2: (104, 110)}  # (away, home)
    return [row(SCHEDULE, game_id=f"00222000{i}", game_code=f"{d:%Y%m%d}/{GAMES[d][0]}{GAMES[d][1]}", game_date=d,
                game_date_est=pd.Timestamp(tips[d], tz="UTC"), season_year=2022, game_status=3,
                away_team_tricode=GAMES[d][0], home_team_tricode=GAMES[d][1], away_team_score=scores[d][0],
                home_team_score=scores[d][1]) for i, d in enumerate((D1, D2))]


def team_rows() -> list[dict]:
    """team_offense_game_summary: BOS wins 11-01, 11-05, 11-07 and D2 (in overtime); pace BOS 100 on
    average, NYK 2 less."""
    bos_won = {H1: True, H2: False, H3: True, H4: True, D1: False, D2: True}
    pace = {H1: 100.0, H2: 102.0, H3: 98.0, H4: 101.0, D1: 99.0, D2: 100.0}
    out = []
    for date, won in bos_won.items():
        for team, win, team_pace in (("BOS", won, pace[date]), ("NYK", not won, pace[date] - 2)):
            out.append(row(TOGS, game_id=gid(date), game_date=date, season_year=2022, team_abbr=team,
                           opponent_team_abbr=OTHER[team], home_game=home_of(date, team),
                           points_scored=110 if win else 100, points_allowed=100 if win else 110, win_flag=win,
                           margin_of_victory=10 if win else -10, pace=team_pace,
                           overtime_periods=1 if date == D2 else 0))
    return out


def team_context_rows() -> list[dict]:
    return [row(UTGC, team_abbr=team, game_id=gid(date), game_date=date, season_year=2022,
                opponent_team_abbr=OTHER[team], home_game=home_of(date, team), team_back_to_back=date == D2,
                is_production_ready=True) for date in GAMES for team in ("BOS", "NYK")]


def context_rows() -> list[dict]:
    """upcoming_player_game_context of D1 and D2 (D2 is the as-of slate)."""
    status = {"cal": ("questionable", "Injury/Illness - Left Ankle; Sprain"), "dan": ("out", "G League - Two-Way")}
    out = []
    for date in (D1, D2):
        for player, team in TEAM.items():
            line = PICKS[(date, player)][2]
            injury = status.get(player) if date == D2 else None
            out.append(row(UPGC, player_lookup=player, game_id=gid(date), game_date=date, season_year=2022,
                           team_abbr=team, opponent_team_abbr=OTHER[team], home_game=home_of(date, team),
                           player_status=injury[0] if injury else None, injury_report=injury[1] if injury else None,
                           has_prop_line=line is not None, current_points_line=line,
                           days_rest=2 if date == D1 else 1, back_to_back=date == D2, is_production_ready=True))
    return out


def defense_rows() -> list[dict]:
    values = {"BOS": (108.0, 0.55, 0.35, 99.0), "NYK": (112.0, 0.6, 0.37, 101.0)}
    return [row(TDZA, team_abbr=team, analysis_date=date, season_year=2022, defensive_rating_last_15=rating,
                paint_pct_allowed_last_15=paint, three_pt_pct_allowed_last_15=three, opponent_pace=pace,
                paint_defense_vs_league_avg=1.5 if team == "NYK" else -3.5, three_pt_defense_vs_league_avg=0.5,
                games_in_sample=4)
            for date in (D1, D2) for team, (rating, paint, three, pace) in values.items()]


def registry_rows() -> list[dict]:
    """Names for ann, bob and cal; dan is known only from his box score."""
    return [row(REG, player_lookup=p, universal_player_id=f"{p}_001", player_name=NAMES[p], team_abbr=TEAM[p],
                season_year=2022, first_game_date=H1) for p in ("ann", "bob", "cal")]


def prop_rows() -> list[dict]:
    offers = [("DraftKings", 22.5, -110, -110), ("FanDuel", 22.5, -105, -115), ("BetMGM", 23.5, 100, -130)]
    return [row(PROPS, game_date=D2, player_lookup="ann", points_line=line, bookmaker=book, bet_side=side,
                odds_american=odds, is_best_line=False)
            for book, line, over, under in offers for side, odds in (("over", over), ("under", under))]


def league(tmp_path):
    """The warehouse of the module docstring, Phase 5 built from 5A's rows by its own SQL."""
    wh = warehouse(tmp_path, {
        PGS: box_rows(), PPP_BASE: prediction_rows(), MLFS: feature_rows(), PCF: factor_rows(),
        SCHEDULE: schedule_rows(), TOGS: team_rows(), UTGC: team_context_rows(), UPGC: context_rows(),
        TDZA: defense_rows(),
        REG: registry_rows(), PROPS: prop_rows(),
    })
    for table in (PA, SDP, STA, ETA, PPP):
        build(wh, table, D1, D2)
    return wh
