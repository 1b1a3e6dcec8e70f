"""The five systems on the warehouse's players: ONE code path for the builder (serving a chunk)
and the training job (the ensemble's slice, ``nbaprops.predictions.stacking``).

Two queries per date range, none per player: the players expected to play with their features,
line and injury status (``load_players``), and the similarity history. XGBoost's outputs come in
per row (a window's serving model, or the slice's early-stopping model); the other systems run
per player in plain Python.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Iterator, Mapping, Sequence

import numpy as np
import pyarrow as pa

from nbaprops.catalogue import XGBOOST
from nbaprops.predictions.artifacts import ServingModel
from nbaprops.predictions.features import FEATURE_NAMES, FEATURE_VERSION, N_FEATURES, feature_dict
from nbaprops.predictions.history import Histories
from nbaprops.predictions.systems import SystemResult, ensemble, moving_average, similarity, xgboost_v1, zone_matchup
from nbaprops.predictions.windows import window_of

# Every feature-store row of the range's dates with the day's pre-game context: the consensus
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


def load_players(wh, start: dt.date, end: dt.date) -> pa.Table:
    """The feature-store rows of [start, end] of players expected to play, with line and features."""
    return wh.query_arrow(PLAYERS_SQL, {"start_date": start, "end_date": end, "feature_version": FEATURE_VERSION})


def feature_matrix(features: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """An (n, 25) float32 matrix from a list<double> column of feature-store arrays."""
    array = features.combine_chunks() if isinstance(features, pa.ChunkedArray) else features
    lengths = np.asarray(array.value_lengths(), dtype=float)  # NULL arrays → NaN
    if len(array) and (lengths != N_FEATURES).any():
        raise ValueError(f"feature arrays must hold {N_FEATURES} values; found lengths {sorted(set(lengths))}")
    return np.asarray(array.flatten(), dtype=np.float32).reshape(len(array), N_FEATURES)


def rows_by_window(dates: Sequence[dt.date], models: Mapping, what: str, rule_input: str, folder: str):
    """(model, row indices) per month of ``dates``, in month order; a month without its model is an
    error naming the rule input that must list it."""
    windows = np.array([window_of(d) for d in dates])
    for window in sorted(set(windows)):
        if window not in models:
            raise ValueError(f"no {what} for window {window}: the rule's '{rule_input}' input must list "
                             f"models/{folder}/{window}.json (got windows {sorted(models)})")
        yield models[window], np.flatnonzero(windows == window)


def model_outputs(players: pa.Table, models: Mapping[str, ServingModel]) -> tuple[list, list]:
    """Per player row: the raw output and model id of the model serving its date's month."""
    n = players.num_rows
    outputs: list = [None] * n
    ids: list = [None] * n
    if not n:
        return outputs, ids
    X = feature_matrix(players.column("features"))
    for model, rows in rows_by_window(players.column("game_date").to_pylist(), models, "XGBoost model",
                                      "models", XGBOOST):
        predicted = model.predict(X[rows])
        if predicted is None:
            continue
        for i, value in zip(rows, predicted.tolist()):
            outputs[i], ids[i] = value, model.model_id
    return outputs, ids


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


def base_predictions(wh, players: pa.Table, outputs: Sequence, model_ids: Sequence, start: dt.date,
                     end: dt.date, weights_of=None) -> Iterator[tuple[dict, float | None, dict[str, SystemResult]]]:
    """Per player row of ``players`` (``load_players(wh, start, end)``): (row, line, results), where
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
