"""The pipeline's vocabulary, in one place: phases and their tables, chunk ids, system ids.

Rules, gates, status, exporters and reports import these names instead of spelling them again.
Pure Python with no third-party imports: the Snakefile imports it while it builds the DAG.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Phase:
    number: int
    name: str  # the run history's `phase` value and the rules' `phase` param
    label: str  # how reports and status print it
    tables: tuple[str, ...]  # in build order; Phase 6 publishes objects, not tables
    # Phase 3 describes every game; later phases skip each season's bootstrap days (D7).
    skips_bootstrap: bool


PHASES: dict[int, Phase] = {p.number: p for p in (
    Phase(3, "phase_3_analytics", "Phase 3 analytics", (
        # staging tables first: each is logic several later tables share, built once per chunk
        "nba_staging.season_calendar",
        "nba_staging.player_boxscores",
        "nba_staging.play_by_play_shots",
        "nba_staging.pregame_rosters",
        "nba_staging.player_prop_lines",
        "nba_analytics.team_offense_game_summary",
        "nba_analytics.team_defense_game_summary",
        "nba_analytics.player_game_summary",
        "nba_analytics.upcoming_team_game_context",
        "nba_analytics.upcoming_player_game_context",
    ), skips_bootstrap=False),
    Phase(4, "phase_4_precompute", "Phase 4 precompute", (
        # strict groups: G1 zone tables, G2 composite factors, G3 daily cache, G4 feature store
        "nba_precompute.team_defense_zone_analysis",
        "nba_precompute.player_shot_zone_analysis",
        "nba_precompute.player_composite_factors",
        "nba_precompute.player_daily_cache",
        "nba_predictions.ml_feature_store_v2",
    ), skips_bootstrap=True),
    Phase(5, "phase_5_predictions", "Phase 5 predictions", (
        # 5A predictions, 5B grading, 5C tier feedback, then the published predictions
        "nba_predictions.player_prop_predictions_base",
        "nba_predictions.prediction_accuracy",
        "nba_predictions.system_daily_performance",
        "nba_predictions.prediction_performance_summary",
        "nba_predictions.scoring_tier_adjustments",
        "nba_predictions.ensemble_tier_applied",
        "nba_predictions.player_prop_predictions",
    ), skips_bootstrap=True),
    Phase(6, "phase_6_publishing", "Phase 6 publishing", (), skips_bootstrap=True),
)}

# Phases whose completeness is counted in tables (Phase 6's gate counts objects instead).
PHASE_TABLES: dict[int, tuple[str, ...]] = {n: p.tables for n, p in PHASES.items() if p.tables}
PHASE_OF_TABLE: dict[str, int] = {t: n for n, tables in PHASE_TABLES.items() for t in tables}
PHASE_NAMES: dict[int, str] = {n: p.name for n, p in PHASES.items()}
# A day chunk (first date == last date: every chunk under chunk: day, end_date's month under auto)
# builds all of a phase's tables in one job of this rule (rules/bundles.smk): a job's fixed cost
# (~0.9 s) dwarfs one day's work on a table, and the daily run is a chain of such jobs.
DAY_BUNDLE_RULES: dict[int, str] = {n: f"phase{n}_day_tables" for n in PHASE_TABLES}
GATED_PHASES: tuple[int, ...] = tuple(sorted(PHASES))
# Run-history phase values and their labels, in pipeline order (the raw stage and gates too).
PHASE_LABELS: dict[str, str] = {"raw": "Raw load", **{p.name: p.label for p in PHASES.values()},
                                "gate": "Gates"}


# Tables that describe what happened: rows only for final games (status 3 in the schedule). Every
# other table describes the pre-game world (D12) and has rows for scheduled dates too; a final
# date's post-game rows arrive in the first run after its box scores (issue 12).
POSTGAME_TABLES: frozenset[str] = frozenset({
    "nba_staging.player_boxscores",
    "nba_staging.play_by_play_shots",
    "nba_analytics.team_offense_game_summary",
    "nba_analytics.team_defense_game_summary",
    "nba_analytics.player_game_summary",
    "nba_predictions.prediction_accuracy",
    "nba_predictions.system_daily_performance",
    "nba_predictions.prediction_performance_summary",
})


def phase_of(table: str) -> int:
    """The phase that builds ``table``; a KeyError names the table and the catalogue."""
    try:
        return PHASE_OF_TABLE[table]
    except KeyError:
        raise KeyError(f"{table} is not a table of any phase (nbaprops/catalogue.py)") from None


# ---------------------------------------------------------------------------------- chunk ids
CHUNK_ID_PATTERN = r"\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}"
_CHUNK_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$")


def chunk_id(start: dt.date, end: dt.date) -> str:
    """A chunk's id: its first and last date, ``YYYY-MM-DD_YYYY-MM-DD``."""
    return f"{start.isoformat()}_{end.isoformat()}"


def parse_chunk_id(value: str) -> tuple[dt.date, dt.date]:
    """(first, last) date of a chunk id; a ValueError names a malformed id."""
    match = _CHUNK_ID.match(value or "")
    if not match:
        raise ValueError(f"{value!r} is not a chunk id (YYYY-MM-DD_YYYY-MM-DD)")
    first, last = (dt.date.fromisoformat(part) for part in match.groups())
    return first, last


def is_chunk_id(value: str) -> bool:
    return bool(_CHUNK_ID.match(value or ""))


# --------------------------------------------------------------------------------- system ids
MOVING_AVERAGE = "moving_average_baseline_v1"
ZONE_MATCHUP = "zone_matchup_v1"
SIMILARITY = "similarity_balanced_v1"
XGBOOST = "xgboost_v1"
ENSEMBLE = "ensemble_v1"
# The original's five systems, in its catalogue's order (spec 05).
SYSTEM_IDS: tuple[str, ...] = (MOVING_AVERAGE, ZONE_MATCHUP, SIMILARITY, XGBOOST, ENSEMBLE)
# The sixth system (issue 13, D14): the line-aware model, priced as a bet. Not the original's.
MARKET_XGBOOST = "market_xgboost_v1"
# Every system with rows in player_prop_predictions_base, in its build order.
ALL_SYSTEM_IDS: tuple[str, ...] = (*SYSTEM_IDS, MARKET_XGBOOST)

# The monthly model-training job's run-history processor (its chunk id is the window, YYYY-MM).
TRAINING_PROCESSOR = "train_models"
