"""Builder of ``nba_predictions.player_prop_predictions_base`` for one chunk (contract ``builder:``).

The systems run on the chunk's players through ``nbaprops.predictions.inference`` (two queries
per chunk, none per player; a month is ~5,000 players: 1.5-3 s per monthly chunk measured on the
demo league, on a shared 2-core machine), XGBoost vectorised per model window. The ensemble
combines the four base rows with the learned weights of the month (``models/ensemble_v1/
YYYY-MM.json``, fitted by the monthly training job through the same ``inference`` code path on a
slice of dates before the month). This module turns the results into the contract's rows.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Iterable

import pyarrow as pa

from nbaprops.contracts import load_contract
from nbaprops.predictions import inference, stacking
from nbaprops.predictions.artifacts import load_models
from nbaprops.predictions.systems import SYSTEMS, SystemResult
from nbaprops.predictions.systems.base import line_margin
from nbaprops.predictions.windows import window_of
from nbaprops.warehouse.schema import arrow_schema

TABLE = "nba_predictions.player_prop_predictions_base"
MODEL_VERSION = "1.0"
PREDICTION_VERSION = 1
LINE_SOURCE = "consensus"

COMPONENT_COLUMNS = (
    "similarity_baseline", "fatigue_adjustment", "shot_zone_adjustment", "pace_adjustment",
    "usage_spike_adjustment", "home_away_adjustment", "other_adjustments", "similar_games_count",
    "avg_similarity_score", "min_similarity_score", "prediction_variance", "system_agreement_score",
    "contributing_systems",
)


def _paths(models: str | os.PathLike | Iterable | None) -> list:
    if models is None:
        return []
    if isinstance(models, (str, os.PathLike)):
        return [models]
    return list(models)


def build_chunk(wh, start: dt.date, end: dt.date, models=None, ensembles=None) -> pa.Table:
    """The chunk's prediction rows (five per player expected to play), in contract order.

    ``models``: the model artifact paths of the months the chunk spans (the rule's named input);
    ``ensembles``: the ensemble weight artifacts of the same months (``models/ensemble_v1/
    YYYY-MM.json``). Without ``ensembles`` (ad-hoc builds, tests) every ensemble row uses the
    spec's confidence weighting; with them, a month missing from the list is an error.
    """
    contract = load_contract(TABLE)
    players = inference.load_players(wh, start, end)
    outputs, model_ids = inference.model_outputs(players, load_models(_paths(models)))
    weights = None if ensembles is None else stacking.load_weights(_paths(ensembles))

    def weights_of(day: dt.date):
        if weights is None:
            return None
        window = window_of(day)
        if window not in weights:
            raise ValueError(f"no ensemble weights for window {window}: the rule's 'ensembles' input must list "
                             f"models/ensemble_v1/{window}.json (got windows {sorted(weights)})")
        return weights[window]

    rows = []
    for p, line, results in inference.base_predictions(wh, players, outputs, model_ids, start, end, weights_of):
        for system_id, result in results.items():
            rows.append(_row(p, system_id, result, line))
    return pa.Table.from_pylist(rows, schema=arrow_schema(contract))


def _row(player: dict, system_id: str, result: SystemResult, line: float | None) -> dict:
    row = {
        "prediction_id": f"{player['game_date'].isoformat()}_{player['player_lookup']}_{SYSTEMS[system_id]}",
        "system_id": system_id,
        "player_lookup": player["player_lookup"],
        "universal_player_id": player["universal_player_id"],
        "game_id": player["game_id"],
        "game_date": player["game_date"],
        "team_abbr": player["team_abbr"],
        "opponent_team_abbr": player["opponent_team_abbr"],
        "prediction_version": PREDICTION_VERSION,
        "predicted_points": result.predicted_points,
        "confidence_score": result.confidence,
        "recommendation": result.recommendation,
        "has_prop_line": line is not None,
        "current_points_line": line,
        "line_source": LINE_SOURCE if line is not None else None,
        "line_margin": line_margin(result.predicted_points, line),
        "ml_model_id": result.ml_model_id,
        "model_version": MODEL_VERSION,
        "warnings": list(result.warnings),
        "feature_quality_score": player["feature_quality_score"],
        "is_production_ready": player["is_production_ready"],
        "scoring_tier": None,  # Phase 5C publishes the tier columns in ensemble_tier_applied (D10)
        "tier_adjustment": None,
        "adjusted_points": None,
        "is_active": True,
    }
    for column in COMPONENT_COLUMNS:
        row[column] = result.components.get(column)
    return row
