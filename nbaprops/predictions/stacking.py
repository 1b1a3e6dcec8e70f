"""The ensemble's learned weights, fitted walk-forward per calendar month (DESIGN D3 applied to
the ensemble; spec phase5-6 §3.7 replaced, its confidence weighting kept as the fallback).

The spec's ensemble weighted the four base systems by their own confidences. Those confidences
are rule-of-thumb scores, not measured accuracy: zone matchup and similarity (MAE 5.5 and 4.9 on
the demo league) got as much weight as XGBoost (4.5), and the ensemble lost to the moving average.
Here the month's training job measures instead. For month M:

1. The **slice**: the last ``SLICE_DATES`` (30) game dates before M — at most a third of the
   dates the window trains on. XGBoost's early-stopping set is the 30 dates before it
   (``training.train_window``), so the early-stopping ("probe") model, trained and stopped on
   dates *before* the slice, scores the slice out of sample (neither its trees nor its round
   count saw it); the served model (refit on everything before M) never scores it.
2. The four base systems' predictions on the slice's players, exactly as the builder makes them
   (``inference.load_players`` + ``inference.base_predictions``: the same SQL, history and
   system functions, all reading dates < M only), with the probe's output as XGBoost's — joined with the
   players' actual points.
3. Per set of valid systems (all four; the four without similarity, whose fallback rows are not
   components): **non-negative least squares** over the systems' stored (1-decimal) predictions
   with a free intercept, solved exactly by enumerating the active sets (4 systems: 15 subsets,
   no iterative solver), coefficients rounded to 6 decimals; then the intercept is replaced by
   the **median** residual of the rounded coefficients (rounded to 6): the constant that
   minimises the slice's absolute error, the metric the pipeline grades on (points are
   right-skewed, so the median sits below the mean that least squares aims at).
4. The weights and the slice's MAE per system are the month's artifact
   (``models/ensemble_v1/YYYY-MM.json``, byte-identical for the same inputs) and metrics.

A month whose XGBoost had too little history (< 1,000 rows: the first month of a range) has no
slice, and its artifact says so; the builder then uses the spec's confidence weighting.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np

from nbaprops import catalogue
from nbaprops.predictions import inference
from nbaprops.predictions.artifacts import INSUFFICIENT, damaged_artifact, read_artifact, window_of_artifact
from nbaprops.predictions.participation import played_sql
from nbaprops.predictions.systems import SystemResult, ensemble
from nbaprops.predictions.systems.ensemble import Weights
from nbaprops.predictions.training import HOLDOUT_DATES, TrainedWindow
from nbaprops.predictions.windows import model_id, window_start

log = logging.getLogger("nbaprops.predictions.stacking")

COMPONENTS = (catalogue.MOVING_AVERAGE, catalogue.ZONE_MATCHUP, catalogue.SIMILARITY, catalogue.XGBOOST)
# The valid-system sets a month with a trained XGBoost meets, most systems first: similarity is the
# only base system whose validity varies by row (its < 5 similar games fallback); moving average
# and zone matchup are always valid and XGBoost is valid for the whole month or for none of it.
WEIGHT_SETS = (COMPONENTS, tuple(s for s in COMPONENTS if s != catalogue.SIMILARITY))
SLICE_DATES = HOLDOUT_DATES  # the newest holdout; XGBoost's early-stopping set precedes it
MIN_SLICE_ROWS = 200  # per weight set: fewer rows fit no set (its rows take the next set or the fallback)
DIGITS = 6
ARTIFACT_KEY = "nbaprops_ensemble"
METHOD = "nnls_median_intercept"

ACTUAL_SQL = f"""
select summary.game_date, summary.player_lookup, summary.points
from nba_analytics.player_game_summary as summary
where summary.game_date between @start_date and @end_date and summary.points is not null
  and {played_sql("summary")}
order by summary.game_date, summary.player_lookup
"""


# ---------------------------------------------------------------- fitting (pure)
def nnls(A: np.ndarray, y: np.ndarray, free: int = 0) -> np.ndarray:
    """argmin ||A c - y||² subject to c >= 0 except the last ``free`` columns (unconstrained).

    Exact: the optimum is the unconstrained least-squares solution on some subset of the
    constrained columns (the rest at 0) that is feasible; with a handful of columns every subset
    is tried and the feasible one with the smallest squared error wins (ties: fewer columns,
    then the earlier subset). Deterministic and free of tolerances.
    """
    n, k = A.shape
    constrained = range(k - free)
    best: tuple[float, np.ndarray] | None = None
    for size in range(0, k - free + 1):
        for subset in itertools.combinations(constrained, size):
            columns = [*subset, *range(k - free, k)]
            if not columns:
                continue
            solution, *_ = np.linalg.lstsq(A[:, columns], y, rcond=None)
            if (solution[:size] < 0).any():
                continue
            residual = y - A[:, columns] @ solution
            sse = float(residual @ residual)
            if best is None or sse < best[0]:
                full = np.zeros(k)
                full[columns] = solution
                best = (sse, full)
    if best is None:
        raise ValueError("nnls needs at least one column")
    return best[1]


def fit_set(predictions: np.ndarray, actual: np.ndarray, systems: Sequence[str]) -> Weights:
    """One weight set from the rows' component predictions (n × len(systems)) and actual points:
    NNLS with a free intercept, coefficients rounded to 6 decimals, then the intercept = the
    median residual under the rounded coefficients (rounded to 6)."""
    A = np.column_stack([np.asarray(predictions, dtype=np.float64), np.ones(len(actual))])
    y = np.asarray(actual, dtype=np.float64)
    solution = nnls(A, y, free=1)
    coefficients = tuple(round(float(c), DIGITS) + 0.0 for c in solution[:-1])
    residual = y - np.asarray(predictions, dtype=np.float64) @ np.array(coefficients)
    intercept = round(float(np.median(residual)), DIGITS) + 0.0
    return Weights(tuple(systems), coefficients, intercept)


@dataclass(frozen=True)
class SliceData:
    """The base systems on the slice's played player-games (rows ordered by date, player)."""

    dates: np.ndarray         # datetime64[D]
    players: list[str]
    predictions: np.ndarray   # (n, 4) stored predicted points, COMPONENTS order
    valid: np.ndarray         # (n, 4) bool: not a fallback row
    confidences: np.ndarray   # (n, 4) stored confidence_score (0-1)
    actual: np.ndarray        # (n,) actual points

    @property
    def rows(self) -> int:
        return len(self.actual)


def fit_weights(data: SliceData, *, min_rows: int = MIN_SLICE_ROWS) -> tuple[list[Weights], list[dict]]:
    """The weight sets (``WEIGHT_SETS`` order) fitted on the slice rows where all of a set's
    systems are valid, and per set its rows, in-sample MAE and each member's MAE there."""
    sets, info = [], []
    for systems in WEIGHT_SETS:
        columns = [COMPONENTS.index(s) for s in systems]
        rows = data.valid[:, columns].all(axis=1)
        entry = {"systems": list(systems), "rows": int(rows.sum())}
        if rows.sum() >= min_rows:
            weights = fit_set(data.predictions[rows][:, columns], data.actual[rows], systems)
            sets.append(weights)
            entry["fitted"] = True
        else:
            entry.update(fitted=False, reason=f"{int(rows.sum())} slice rows < {min_rows}")
        info.append(entry)
    return sets, info


def ensemble_predictions(data: SliceData, weight_sets: Sequence[Weights] | None) -> np.ndarray:
    """The ensemble's stored prediction on every slice row (learned sets, or the spec's
    confidence weighting when ``weight_sets`` is empty/None), as the builder computes it."""
    out = np.empty(data.rows)
    for i in range(data.rows):
        components = {s: SystemResult(float(data.predictions[i, j]), float(data.confidences[i, j]), "PASS",
                                      valid=bool(data.valid[i, j])) for j, s in enumerate(COMPONENTS)}
        out[i] = ensemble.predict(components, None, weight_sets).predicted_points
    return out


def _mae(predicted: np.ndarray, actual: np.ndarray) -> float | None:
    return round(float(np.mean(np.abs(predicted - actual))), 4) if len(actual) else None


def slice_metrics(data: SliceData, weight_sets: Sequence[Weights]) -> dict:
    """MAE on the slice of each base system (stored predictions, fallback rows included, as
    grading sees them), of the spec's confidence-weighted ensemble and of the learned one
    (in sample: the weights were fitted on these rows)."""
    maes = {s: _mae(data.predictions[:, j], data.actual) for j, s in enumerate(COMPONENTS)}
    maes["ensemble_v1_confidence_weighted"] = _mae(ensemble_predictions(data, None), data.actual)
    if weight_sets:
        maes["ensemble_v1_learned_in_sample"] = _mae(ensemble_predictions(data, weight_sets), data.actual)
    return maes


# ---------------------------------------------------------------- the slice from the warehouse
def slice_data(wh, start: dt.date, end: dt.date, predict: Callable[[np.ndarray], np.ndarray],
               model_id: str, nonfinal: Collection[dt.date] = ()) -> SliceData:
    """The four base systems on [start, end] (the builder's code path: its player query, the
    similarity history, the system functions), XGBoost's output from ``predict`` (a model that
    never trained on these dates), joined with the actual points of the players who played,
    except on the ``nonfinal`` dates (``final_dates.nonfinal_dates``)."""
    players = inference.load_players(wh, start, end)
    outputs = predict(inference.feature_matrix(players.column("features"))).tolist() if players.num_rows else []
    actual_table = wh.query_arrow(ACTUAL_SQL, {"start_date": start, "end_date": end}).to_pylist()
    actual = {(r["game_date"], r["player_lookup"]): float(r["points"]) for r in actual_table
              if r["game_date"] not in nonfinal}
    dates, names, preds, valid, confs, ys = [], [], [], [], [], []
    ids = [model_id] * players.num_rows
    for p, _, results in inference.base_predictions(wh, players, outputs, ids, start, end):
        key = (p["game_date"], p["player_lookup"])
        if key not in actual:  # did not play: nothing to learn from
            continue
        components = [results[s] for s in COMPONENTS]
        dates.append(p["game_date"])
        names.append(p["player_lookup"])
        preds.append([c.predicted_points for c in components])
        valid.append([c.valid for c in components])
        confs.append([c.confidence for c in components])
        ys.append(actual[key])
    n = len(ys)
    return SliceData(np.array(dates, dtype="datetime64[D]"), names,
                     np.array(preds, dtype=np.float64).reshape(n, len(COMPONENTS)),
                     np.array(valid, dtype=bool).reshape(n, len(COMPONENTS)),
                     np.array(confs, dtype=np.float64).reshape(n, len(COMPONENTS)), np.array(ys, dtype=np.float64))


# ---------------------------------------------------------------- the month's fit
def fit_ensemble(wh, window: str, trained: TrainedWindow, nonfinal: Collection[dt.date] = ()) -> tuple[bytes, dict]:
    """The window's ensemble artifact and metrics: the weights fitted on the slice (the
    newest holdout), with XGBoost's slice predictions from the early-stopping model; the
    ``nonfinal`` dates are left out like the model's."""
    t0 = time.monotonic()
    if trained.probe is None:
        reason = f"no XGBoost model for {window} ({trained.metrics.get('reason')}): the spec's confidence weighting"
        return insufficient_artifact(window, reason), {"status": INSUFFICIENT, "reason": reason}
    first, last = trained.slice_first_date, trained.slice_last_date
    seen = max(trained.metrics["fit_last_date"], trained.metrics["validation_first_date"])
    if not first <= last < window_start(window) or seen >= first.isoformat():
        raise ValueError(f"window {window}: slice {first}..{last} must follow the slice model's training and "
                         f"early-stopping dates (from {trained.metrics['validation_first_date']}) and precede "
                         "the window")
    data = slice_data(wh, first, last, trained.probe_predict, f"{model_id(window)}_slice", nonfinal)
    weight_sets, info = fit_weights(data)
    slice_model = {"model": "xgboost early-stopping model", "rounds": trained.rounds,
                   "trained_first_date": trained.metrics["training_first_date"],
                   "trained_last_date": trained.metrics["fit_last_date"],
                   "stopped_on": [trained.metrics["validation_first_date"],
                                  (first - dt.timedelta(days=1)).isoformat()]}
    raw = artifact(window, data, weight_sets, info, slice_model)
    doc = json.loads(raw)
    metrics = {"status": doc[ARTIFACT_KEY], "method": doc["method"], "slice": doc["slice"],
               "xgboost_slice_model": slice_model, "weight_sets": doc["weight_sets"], "fits": doc["fits"],
               "slice_mae": doc["slice_mae"], "artifact_sha256": hashlib.sha256(raw).hexdigest(),
               "seconds": round(time.monotonic() - t0, 3)}
    log.info("window %s: ensemble weights on %d slice rows (%s..%s): %s", window, data.rows, first, last,
             [(w.systems, w.coefficients, w.intercept) for w in weight_sets])
    return raw, metrics


# ---------------------------------------------------------------- artifacts
def _dumps(doc: Mapping) -> bytes:
    return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()


def artifact(window: str, data: SliceData, weight_sets: Sequence[Weights], info: Sequence[dict],
             slice_model: Mapping) -> bytes:
    """The month's ensemble artifact: the weight sets and how they were fitted (no timings:
    the same inputs give the same bytes)."""
    doc = {
        ARTIFACT_KEY: "learned_weights" if weight_sets else "no_weights", "window": window, "method": METHOD,
        "components": list(COMPONENTS),
        "slice": {"first_date": str(data.dates.min()) if data.rows else None,
                  "last_date": str(data.dates.max()) if data.rows else None,
                  "dates": len(np.unique(data.dates)), "rows": data.rows},
        "xgboost_slice_model": dict(slice_model),
        "weight_sets": [w.as_dict() for w in weight_sets],
        "fits": list(info),
        "slice_mae": slice_metrics(data, weight_sets),
    }
    return _dumps(doc)


def insufficient_artifact(window: str, reason: str) -> bytes:
    return _dumps({ARTIFACT_KEY: INSUFFICIENT, "window": window, "reason": reason, "weight_sets": []})


def load_weight_sets(path: str | os.PathLike) -> tuple[str, list[Weights]]:
    """(window, weight sets) of an artifact; no sets → the builder's confidence-weighted fallback."""
    path = Path(path)
    window = window_of_artifact(path)
    what = f"the ensemble weights of window {window}"
    _, doc = read_artifact(path, what)
    if ARTIFACT_KEY not in doc:
        raise damaged_artifact(path, what, "is not an ensemble weights artifact")
    try:
        return window, [Weights.from_dict(w) for w in doc["weight_sets"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise damaged_artifact(path, what, f"holds malformed weight sets ({exc!r})") from None


def load_weights(paths: Iterable[str | os.PathLike]) -> dict[str, list[Weights]]:
    """Window → weight sets for the ensemble artifacts a prediction chunk was given."""
    return dict(load_weight_sets(p) for p in paths)

