"""Builder of ``nba_predictions.player_prop_predictions_base`` for one chunk (contract ``builder:``).

Two queries per chunk, none per player: the players with their features, line and injury status,
and the similarity history. XGBoost predicts vectorised per model window; the other systems run
per player in plain Python (a month is ~5,000 players: 1.5-3 s per monthly chunk measured on the
demo league, on a shared 2-core machine). The ensemble combines the four base rows with the
learned weights of the month (``models/ensemble_v1/YYYY-MM.json``, fitted by the monthly training
job with this module's ``base_predictions`` on a slice of dates before the month).
"""
from __future__ import annotations

import datetime as dt
import math
import os
from typing import Iterable, Sequence

import numpy as np
import pyarrow as pa

from nbaprops.contracts import load_contract
from nbaprops.predictions import models as model_store
from nbaprops.predictions import stacking
from nbaprops.predictions.features import FEATURE_NAMES, FEATURE_VERSION, feature_dict
from nbaprops.predictions.history import Histories
from nbaprops.predictions.systems import (SYSTEMS, SystemResult, ensemble, moving_average, similarity,
                                          xgboost_v1, zone_matchup)
from nbaprops.predictions.systems.base import line_margin
from nbaprops.warehouse.schema import arrow_schema

TABLE = "nba_predictions.player_prop_predictions_base"
MODEL_VERSION = "1.0"
PREDICTION_VERSION = 1
LINE_SOURCE = "consensus"

# Every feature-store row of the chunk's dates with the day's pre-game context: the consensus
# line (D2) and the injury report. A player listed out before the game is not expected to play.
PLAYERS_SQL = """
with ml_feature_store_v2 as (
  select store.game_date, store.player_lookup, store.universal_player_id, store.game_id, store.team_abbr,
    store.opponent_team_abbr, store.days_rest, store.features, store.feature_names, store.feature_quality_score,
    store.is_production_ready
  from nba_predictions.ml_feature_store_v2 as store
  where store.game_date between @start_date and @end_date and store.feature_version = @feature_version
),
upcoming_player_game_context as (
  select context.game_date, context.player_lookup, context.player_status, context.has_prop_line,
    context.current_points_line
  from nba_analytics.upcoming_player_game_context as context
  where context.game_date between @start_date and @end_date
)
select store.*, ifnull(context.has_prop_line, false) as has_prop_line, context.current_points_line
from ml_feature_store_v2 as store
left join upcoming_player_game_context as context
  on context.game_date = store.game_date and context.player_lookup = store.player_lookup
where context.player_status is null or context.player_status <> 'out'
order by store.game_date, store.player_lookup
"""

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


def predict_base(features: dict, history: Sequence, line: float | None, model_output: float | None,
                 model_id: str | None, league_def_rating: float) -> dict[str, SystemResult]:
    """The four base systems for one player-game, in run order."""
    results = {
        moving_average.SYSTEM_ID: moving_average.predict(features, line),
        zone_matchup.SYSTEM_ID: zone_matchup.predict(features, line, league_def_rating),
        similarity.SYSTEM_ID: similarity.predict(features, history, line),
    }
    results[xgboost_v1.SYSTEM_ID] = xgboost_v1.predict(
        features, model_output, model_id, line, fallback_points=results[moving_average.SYSTEM_ID].predicted_points)
    return results


def predict_player(features: dict, history: Sequence, line: float | None, model_output: float | None,
                   model_id: str | None, league_def_rating: float,
                   weights: Sequence[ensemble.Weights] | None = None) -> dict[str, SystemResult]:
    """The five systems for one player-game, in run order (the ensemble last, from the others,
    with the month's learned ``weights``; None or empty: the spec's confidence weighting)."""
    results = predict_base(features, history, line, model_output, model_id, league_def_rating)
    results[ensemble.SYSTEM_ID] = ensemble.predict(dict(results), line, weights)
    return results


def league_def_ratings(players: list[dict]) -> dict[dt.date, float]:
    """Per date: the mean opponent_def_rating over the date's teams (each team once), the centre
    of the zone matchup's defence term (as Phase 4's opponent_strength_score)."""
    ratings: dict[dt.date, dict[str, float]] = {}
    for p in players:
        team_rating = p["features"][FEATURE_NAMES.index("opponent_def_rating")]
        ratings.setdefault(p["game_date"], {})[p["opponent_team_abbr"]] = team_rating
    return {day: math.fsum(teams.values()) / len(teams) for day, teams in ratings.items()}


def _model_outputs(players: pa.Table, models: dict[str, model_store.ServingModel]) -> tuple[list, list]:
    """Per player row: the raw output and model id of the model serving its date's month."""
    n = players.num_rows
    outputs: list = [None] * n
    ids: list = [None] * n
    if not n:
        return outputs, ids
    X = model_store.feature_matrix(players.column("features"))
    windows = np.array([model_store.window_of(d) for d in players.column("game_date").to_pylist()])
    for window in sorted(set(windows)):
        if window not in models:
            raise ValueError(f"no XGBoost model for window {window}: the rule's 'models' input must list "
                             f"models/xgboost_v1/{window}.json (got windows {sorted(models)})")
        model = models[window]
        rows = np.flatnonzero(windows == window)
        predicted = model.predict(X[rows])
        if predicted is None:
            continue
        for i, value in zip(rows, predicted.tolist()):
            outputs[i], ids[i] = value, model.model_id
    return outputs, ids


def load_players(wh, start: dt.date, end: dt.date) -> pa.Table:
    """The feature-store rows of [start, end] of players expected to play, with line and features."""
    return wh.query_arrow(PLAYERS_SQL, {"start_date": start, "end_date": end, "feature_version": FEATURE_VERSION})


def base_predictions(wh, players: pa.Table, outputs: Sequence, model_ids: Sequence, start: dt.date,
                     end: dt.date, weights_of=None):
    """Per player row of ``players`` (``load_players(wh, start, end)``): (row, results), where
    results are the four base systems, plus the ensemble when ``weights_of`` (game date → the
    month's weight sets) is given. ``outputs``/``model_ids``: the XGBoost output per row.
    The same code path serves the builder and the training job's ensemble slice."""
    histories = Histories.load(wh, start, end) if players.num_rows else None
    player_rows = players.to_pylist()
    league = league_def_ratings(player_rows)
    for i, p in enumerate(player_rows):
        features = feature_dict(p["feature_names"], p["features"], days_rest=p["days_rest"],
                                feature_quality_score=p["feature_quality_score"])
        line = p["current_points_line"] if p["has_prop_line"] else None
        history = histories.for_date(p["player_lookup"], p["game_date"])
        if weights_of is None:
            results = predict_base(features, history, line, outputs[i], model_ids[i], league[p["game_date"]])
        else:
            results = predict_player(features, history, line, outputs[i], model_ids[i], league[p["game_date"]],
                                     weights_of(p["game_date"]))
        yield p, line, results


def build_chunk(wh, start: dt.date, end: dt.date, models=None, ensembles=None) -> pa.Table:
    """The chunk's prediction rows (five per player expected to play), in contract order.

    ``models``: the model artifact paths of the months the chunk spans (the rule's named input);
    ``ensembles``: the ensemble weight artifacts of the same months (``models/ensemble_v1/
    YYYY-MM.json``). Without ``ensembles`` (ad-hoc builds, tests) every ensemble row uses the
    spec's confidence weighting; with them, a month missing from the list is an error.
    """
    contract = load_contract(TABLE)
    players = load_players(wh, start, end)
    serving = model_store.load_models(_paths(models))
    outputs, model_ids = _model_outputs(players, serving)
    weights = None if ensembles is None else stacking.load_weights(_paths(ensembles))

    def weights_of(day: dt.date):
        if weights is None:
            return None
        window = model_store.window_of(day)
        if window not in weights:
            raise ValueError(f"no ensemble weights for window {window}: the rule's 'ensembles' input must list "
                             f"models/ensemble_v1/{window}.json (got windows {sorted(weights)})")
        return weights[window]

    rows = []
    for p, line, results in base_predictions(wh, players, outputs, model_ids, start, end, weights_of):
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
