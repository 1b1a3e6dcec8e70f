"""Builder of ``nba_predictions.player_prop_predictions_base`` for one chunk (contract ``builder:``).

The systems run on the chunk's players through ``nbaprops.predictions.inference`` (two queries
per chunk, none per player; a month is ~5,000 players: 1.5-3 s per monthly chunk measured on the
demo league, on a shared 2-core machine), XGBoost vectorised per model window. The ensemble
combines the four base rows with the learned weights of the month (``models/ensemble_v1/
YYYY-MM.json``, fitted by the monthly training job through the same ``inference`` code path on a
slice of dates before the month). The sixth system, market_xgboost_v1 (issue 13), runs after
them: the month's market model (``nbaprops.predictions.market``, vectorised per month) on the
chunk's bets on offer, priced, and falling back to the player's XGBoost row where it cannot
predict. This module turns the results into the contract's rows.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Iterable

import pyarrow as pa

from nbaprops.contracts import load_contract
from nbaprops.predictions import inference, market, stacking
from nbaprops.predictions.artifacts import load_models
from nbaprops.predictions.systems import SYSTEMS, SystemResult, market_xgboost_v1, xgboost_v1
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
) + market_xgboost_v1.PRICING_COLUMNS


def _paths(models: str | os.PathLike | Iterable | None) -> list:
    if models is None:
        return []
    if isinstance(models, (str, os.PathLike)):
        return [models]
    return list(models)


def build_chunk(wh, start: dt.date, end: dt.date, models=None, ensembles=None, market_models=None,
                market_calibrations=None) -> pa.Table:
    """The chunk's prediction rows (six per player expected to play), in contract order.

    ``models``: the model artifact paths of the months the chunk spans (the rule's named input);
    ``ensembles``: the ensemble weight artifacts of the same months (``models/ensemble_v1/
    YYYY-MM.json``). Without ``ensembles`` (ad-hoc builds, tests) every ensemble row uses the
    spec's confidence weighting; with them, a month missing from the list is an error.
    ``market_models``: the market model paths of the same months (each read with its
    ``YYYY-MM.calibration.json`` beside it; ``market_calibrations`` is the rule's way of depending
    on those files). Without them every market row falls back to XGBoost's prediction.
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

    offers = market.load_offers(wh, start, end) if players.num_rows else {}
    offers, market_outputs, market_serving = market.serve(players, offers,
                                                          market.load_models(_paths(market_models)))

    rows = []
    base = inference.base_predictions(wh, players, outputs, model_ids, start, end, weights_of)
    for i, (p, line, results) in enumerate(base):
        for system_id, result in results.items():
            rows.append(_row(p, system_id, result, line))
        model = market_serving[i]
        row_offers = market_xgboost_v1.MarketOffers.from_row(offers[i]) if offers[i] and line is not None else None
        result = market_xgboost_v1.predict(row_offers, market_outputs[i], model.model_id if model else None,
                                           model.distribution if model else None, results[xgboost_v1.SYSTEM_ID])
        rows.append(_row(p, market_xgboost_v1.SYSTEM_ID, result, line))
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
