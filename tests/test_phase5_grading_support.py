"""Fixture builders shared by the Phase 5B/5C grading tests and the accuracy report test (no tests here)."""
from __future__ import annotations

import datetime as dt

import numpy as np
from test_phase4_support import MLFS, PGS, row

from nbaprops.predictions.participation import played

SCHEDULE = "nba_raw.nbac_schedule"
PPP = "nba_predictions.player_prop_predictions_base"
PA = "nba_predictions.prediction_accuracy"
SDP = "nba_predictions.system_daily_performance"
PPS = "nba_predictions.prediction_performance_summary"
STA = "nba_predictions.scoring_tier_adjustments"
ETA = "nba_predictions.ensemble_tier_applied"
ORACLE = "nba_demo.oracle_player_points"
GRADING_ORDER = (PA, SDP, PPS, STA, ETA)

MA, ZM, SIM, XGB, ENS = ("moving_average_baseline_v1", "zone_matchup_v1", "similarity_balanced_v1", "xgboost_v1",
                         "ensemble_v1")


def prediction(date: dt.date, player: str, system: str, predicted: float, recommendation: str, *,
               line: float | None = None, confidence: float = 0.6, team: str = "BOS", opp: str = "NYK",
               **columns) -> dict:
    """A player_prop_predictions row; ``line`` None means no real line (NO_LINE); ``columns`` add others."""
    return row(PPP, prediction_id=f"{date}_{player}_{system}", system_id=system, player_lookup=player,
               game_id=f"{date:%Y%m%d}_{opp}_{team}", game_date=date, team_abbr=team, opponent_team_abbr=opp,
               predicted_points=predicted, confidence_score=confidence, recommendation=recommendation,
               has_prop_line=line is not None, current_points_line=line,
               line_source="consensus" if line is not None else None,
               line_margin=None if line is None else round(predicted - line, 2), model_version="1.0",
               prediction_version=1, is_active=True, feature_quality_score=90.0, is_production_ready=True,
               **columns)


def schedule(rows: list[dict], status: int = 3) -> list[dict]:
    """The schedule rows of the games of ``rows`` (their game_date and YYYYMMDD_AWAY_HOME game_id),
    final (game_status 3) unless told: grading grades only final games."""
    games = sorted({(r["game_date"], r["game_id"]) for r in rows})
    return [row(SCHEDULE, game_id=f"00222{i:05d}", game_date=d, season_year=2022, game_status=status,
                away_team_tricode=g.split("_")[1], home_team_tricode=g.split("_")[2])
            for i, (d, g) in enumerate(games)]


def predicted(graded_rows: list[dict]) -> list[dict]:
    """The base predictions behind prediction_accuracy rows (the dates and systems 5C works on)."""
    return [prediction(r["game_date"], r["player_lookup"], r["system_id"], r["predicted_points"],
                       r["recommendation"], line=r["line_value"] if r["has_prop_line"] else None,
                       confidence=r.get("confidence_score") or 0.6, opp="NYK", team="BOS")
            for r in graded_rows]


def box_score(date: dt.date, player: str, points: int | None, minutes: float | None = 30.0, team: str = "BOS",
              opp: str = "NYK") -> dict:
    return row(PGS, player_lookup=player, game_id=f"{date:%Y%m%d}_{opp}_{team}", game_date=date, season_year=2022,
               team_abbr=team, opponent_team_abbr=opp, home_game=True, points=points, minutes_played=minutes,
               played=played(minutes, points))


def features(date: dt.date, player: str, season_avg: float) -> dict:
    return row(MLFS, player_lookup=player, game_date=date, game_id=f"{date:%Y%m%d}_NYK_BOS", team_abbr="BOS",
               opponent_team_abbr="NYK", points_avg_season=season_avg)


def graded(date: dt.date, player: str, system: str, signed_error: float | None, *, tier: str = "ROTATION_10_19",
           outcome: str | None = None, predicted: float = 15.0) -> dict:
    """A prediction_accuracy row (``signed_error`` None = a DNP)."""
    dnp = signed_error is None
    return row(PA, game_date=date, player_lookup=player, system_id=system, game_id=f"{date:%Y%m%d}_NYK_BOS",
               predicted_points=predicted, recommendation="PASS" if outcome is None else "OVER",
               has_prop_line=outcome is not None, line_value=14.5 if outcome is not None else None,
               scoring_tier=tier, is_dnp=dnp, actual_points=None if dnp else round(predicted - signed_error),
               signed_error=signed_error, absolute_error=None if dnp else abs(signed_error), outcome=outcome,
               prediction_correct={"WIN": True, "LOSS": False}.get(outcome))


def random_grading(rng: np.random.Generator, origin: dt.date, days: range) -> list[dict]:
    """Graded ensemble and moving-average rows of 40 players on each of ``days`` after ``origin``
    (random errors, outcomes and 5 % DNPs)."""
    tiers = ["STAR_30PLUS", "STARTER_20_29", "ROTATION_10_19", "BENCH_0_9"]
    rows = []
    for n in days:
        for p in range(40):
            for system in (ENS, MA):
                dnp = rng.random() < 0.05
                rows.append(graded(origin + dt.timedelta(days=n), f"p{p}", system,
                                   None if dnp else round(float(rng.normal(-1, 5)), 2), tier=tiers[p % 4],
                                   outcome=None if dnp else ("WIN", "LOSS", "PUSH", None)[int(rng.integers(4))]))
    return rows
