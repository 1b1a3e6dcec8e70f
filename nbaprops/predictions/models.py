"""Walk-forward XGBoost (DESIGN D3): one model per calendar month ("window").

The model serving window ``YYYY-MM`` is trained on every ``ml_feature_store_v2`` row dated
strictly before the window's first day, joined with that player-game's actual points from
``player_game_summary`` (players who played; all seasons the warehouse holds). It never reads
predictions, so training is not serialised behind Phase 5 of earlier windows.

Why monthly windows: a model is at most a month stale (injuries, trades, minutes trends and
aging move through a season), while training stays cheap — the default range (2021-10 ..
2026-01) has 45 windows taking 0.3-12 s each, growing with the rows before them (4k-100k),
~2.5 min in all on one core of a shared 2-core machine — and a window maps to the monthly
chunks of the default plan. Per-season windows would serve a whole season with a model that
never saw it; per-chunk or daily windows would multiply jobs for no measured gain.

Training is deterministic: rows ordered by (game_date, player_lookup), ``tree_method=hist``,
``seed=0``, ``nthread=1``; the same rows give a byte-identical model JSON. Early stopping uses a
time-ordered validation split (the last 30 training dates, at most half of them); the served
model is then refit on all training rows with the chosen number of rounds, so the newest weeks
count.

The same job fits the month's ensemble weights (``nbaprops.predictions.stacking``): the
validation split is the ensemble's slice, scored by the early-stopping model — trained only on
the dates before the slice — so XGBoost's slice predictions are out of sample, like every other
system's. One job per month, one artifact set per month: ``models/xgboost_v1/YYYY-MM.json`` (the
served booster), ``models/ensemble_v1/YYYY-MM.json`` (the weights) and
``models/xgboost_v1/YYYY-MM.metrics.json`` (both fits' metrics and timings).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pyarrow as pa

from nbaprops.predictions import stacking
from nbaprops.predictions.features import FEATURE_NAMES, FEATURE_VERSION, N_FEATURES
from nbaprops.predictions.participation import played_sql

log = logging.getLogger("nbaprops.predictions.models")

MODEL_NAME = "xgboost_v1"
MIN_TRAINING_ROWS = 1000
# The early-stopping validation split = the ensemble's slice: the last 30 training dates (about a
# month of games, ~4,000 player-games), at most half of the training dates.
VALIDATION_DATES = stacking.SLICE_DATES
MAX_ROUNDS = 2000
EARLY_STOPPING_ROUNDS = 50
# Chosen on the demo league (train < 2023-01, test January 2023): depth 3-8 and eta 0.03-0.05
# all land within 0.05 MAE of each other; shallow trees with a large min_child_weight train
# fastest. nthread is fixed (not the job's cores): histogram sums are reduced per thread, so
# the thread count is part of what makes the model bytes reproducible.
PARAMS = {
    "objective": "reg:squarederror",
    "eval_metric": "mae",
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.05,
    "min_child_weight": 20,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "seed": 0,
    "nthread": 1,
}
INSUFFICIENT = "insufficient_history"
_WINDOW = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

# Targets are the points of games the player played (the one definition of "did not play").
TRAINING_SQL = f"""
select store.game_date, store.player_lookup, store.features, summary.points
from nba_predictions.ml_feature_store_v2 as store
join nba_analytics.player_game_summary as summary
  on summary.game_date = store.game_date and summary.player_lookup = store.player_lookup
where store.game_date < @window_start
  and store.feature_version = @feature_version
  and summary.points is not null and {played_sql("summary")}
order by store.game_date, store.player_lookup
"""


# ---------------------------------------------------------------- windows
def window_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def window_start(window: str) -> dt.date:
    if not _WINDOW.match(window):
        raise ValueError(f"model window {window!r} is not YYYY-MM")
    return dt.date(int(window[:4]), int(window[5:]), 1)


def windows_for_dates(dates: Iterable[dt.date]) -> list[str]:
    return sorted({window_of(d) for d in dates})


def chunks_before(plan: Iterable, window: str) -> list:
    """Chunks of the plan holding any date before the window: the feature-store and box-score
    chunks its training may read (a chunk straddling the window's first day is read only up to
    the day before)."""
    first_day = window_start(window)
    return [c for c in plan if c.start < first_day]


def model_id(window: str) -> str:
    return f"{MODEL_NAME}_{window}"


# ---------------------------------------------------------------- data
def feature_matrix(features: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """An (n, 25) float32 matrix from a list<double> column of feature-store arrays."""
    array = features.combine_chunks() if isinstance(features, pa.ChunkedArray) else features
    lengths = np.asarray(array.value_lengths(), dtype=float)  # NULL arrays → NaN
    if len(array) and (lengths != N_FEATURES).any():
        raise ValueError(f"feature arrays must hold {N_FEATURES} values; found lengths {sorted(set(lengths))}")
    return np.asarray(array.flatten(), dtype=np.float32).reshape(len(array), N_FEATURES)


@dataclass(frozen=True)
class TrainingData:
    dates: np.ndarray  # datetime64[D], one per row, ascending
    X: np.ndarray
    y: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.y)


def training_data(wh, window: str) -> TrainingData:
    """Every feature-store row dated before the window with the player's actual points (one query)."""
    table = wh.query_arrow(TRAINING_SQL, {"window_start": window_start(window), "feature_version": FEATURE_VERSION})
    dates = np.asarray(table.column("game_date").cast(pa.date32()).to_numpy(zero_copy_only=False),
                       dtype="datetime64[D]")
    return TrainingData(dates, feature_matrix(table.column("features")),
                        np.asarray(table.column("points").to_numpy(zero_copy_only=False), dtype=np.float32))


# ---------------------------------------------------------------- training
def _iso(day: np.datetime64) -> str:
    return str(np.datetime64(day, "D"))


def validation_dates(unique_dates: np.ndarray) -> int:
    """How many of the newest training dates form the validation split (and ensemble slice)."""
    return min(VALIDATION_DATES, len(unique_dates) // 2)


@dataclass(frozen=True)
class TrainedWindow:
    """A window's training: the served model's bytes and metrics, plus the early-stopping model
    (``probe``, trained on the dates before ``validation_first_date`` only) that scores the
    ensemble's slice [validation_first_date, validation_last_date]; probe None when the window
    had too little history."""

    raw: bytes
    metrics: dict
    probe: object | None = None
    rounds: int | None = None
    validation_first_date: dt.date | None = None
    validation_last_date: dt.date | None = None

    def probe_predict(self, X: np.ndarray) -> np.ndarray:
        import xgboost as xgb

        return self.probe.predict(xgb.DMatrix(X, feature_names=list(FEATURE_NAMES)),
                                  iteration_range=(0, self.rounds))


def train(data: TrainingData, window: str, *, min_rows: int = MIN_TRAINING_ROWS) -> tuple[bytes, dict]:
    """(model artifact bytes, metrics) for ``window`` from ``data`` (rows dated before it)."""
    trained = train_window(data, window, min_rows=min_rows)
    return trained.raw, trained.metrics


def train_window(data: TrainingData, window: str, *, min_rows: int = MIN_TRAINING_ROWS) -> TrainedWindow:
    """The window's XGBoost from ``data`` (rows dated before it).

    With fewer than ``min_rows`` rows (or fewer than 10 training dates) the artifact is a small
    JSON saying so, and the xgboost system serves its documented fallback for the window.
    """
    import xgboost as xgb

    start = np.datetime64(window_start(window), "D")
    if data.rows and data.dates.max() >= start:
        raise ValueError(f"training data for window {window} holds rows dated {_iso(data.dates.max())}, "
                         f"on or after the window's first day {start}")
    t0 = time.monotonic()
    unique_dates = np.unique(data.dates)
    metrics: dict = {
        "window": window, "window_start": str(start), "model_id": model_id(window), "rows": data.rows,
        "training_dates": len(unique_dates),
        "training_first_date": _iso(unique_dates[0]) if data.rows else None,
        "training_last_date": _iso(unique_dates[-1]) if data.rows else None,
        "feature_version": FEATURE_VERSION, "features": list(FEATURE_NAMES), "xgboost_version": xgb.__version__,
    }
    probe = rounds = first_validation = None
    if data.rows < min_rows or len(unique_dates) < 10:
        reason = (f"{data.rows} training rows on {len(unique_dates)} dates before {start}; "
                  f"need >= {min_rows} rows on >= 10 dates")
        log.info("window %s: %s, serving the fallback estimator", window, reason)
        artifact = {"nbaprops_model": INSUFFICIENT, "window": window, "rows": data.rows,
                    "min_rows": min_rows, "reason": reason}
        metrics.update(status=INSUFFICIENT, reason=reason, model_id=None)
        raw = (json.dumps(artifact, indent=1, sort_keys=True) + "\n").encode()
    else:
        n_validation = validation_dates(unique_dates)
        first_validation = unique_dates[-n_validation]
        fit, val = data.dates < first_validation, data.dates >= first_validation
        names = list(FEATURE_NAMES)
        d_fit = xgb.DMatrix(data.X[fit], label=data.y[fit], feature_names=names)
        d_val = xgb.DMatrix(data.X[val], label=data.y[val], feature_names=names)
        probe = xgb.train(PARAMS, d_fit, MAX_ROUNDS, evals=[(d_val, "validation")],
                          early_stopping_rounds=EARLY_STOPPING_ROUNDS, verbose_eval=False)
        rounds = probe.best_iteration + 1
        best = (0, rounds)
        fit_mae = float(np.mean(np.abs(probe.predict(d_fit, iteration_range=best) - data.y[fit])))
        val_pred = probe.predict(d_val, iteration_range=best)
        val_mae = float(np.mean(np.abs(val_pred - data.y[val])))
        d_all = xgb.DMatrix(data.X, label=data.y, feature_names=names)
        model = xgb.train(PARAMS, d_all, rounds)
        all_mae = float(np.mean(np.abs(model.predict(d_all) - data.y)))
        raw = bytes(model.save_raw("json"))
        gain = model.get_score(importance_type="gain")
        metrics.update(
            status="trained", params=PARAMS, rounds=rounds, max_rounds=MAX_ROUNDS,
            early_stopping_rounds=EARLY_STOPPING_ROUNDS,
            rows_fit=int(fit.sum()), rows_validation=int(val.sum()),
            fit_last_date=_iso(data.dates[fit].max()),
            validation_first_date=_iso(first_validation), validation_dates=n_validation,
            train_mae=round(fit_mae, 4), validation_mae=round(val_mae, 4),
            validation_bias=round(float(np.mean(val_pred - data.y[val])), 4),
            refit_train_mae=round(all_mae, 4),
            feature_importance_gain={name: round(float(gain.get(name, 0.0)), 4) for name in names},
        )
        log.info("window %s: %d rows (%s..%s), %d rounds, validation MAE %.3f", window, data.rows,
                 metrics["training_first_date"], metrics["training_last_date"], rounds, val_mae)
    metrics["model_sha256"] = hashlib.sha256(raw).hexdigest()
    metrics["seconds"] = round(time.monotonic() - t0, 3)
    if probe is None:
        return TrainedWindow(raw, metrics)
    return TrainedWindow(raw, metrics, probe, rounds, dt.date.fromisoformat(_iso(first_validation)),
                         dt.date.fromisoformat(_iso(unique_dates[-1])))


def fit_ensemble(wh, window: str, trained: TrainedWindow) -> tuple[bytes, dict]:
    """The window's ensemble artifact and metrics: the weights fitted on the slice (the
    validation split), with XGBoost's slice predictions from the early-stopping model."""
    t0 = time.monotonic()
    if trained.probe is None:
        reason = f"no XGBoost model for {window} ({trained.metrics.get('reason')}): the spec's confidence weighting"
        return stacking.insufficient_artifact(window, reason), {"status": stacking.INSUFFICIENT, "reason": reason}
    first, last = trained.validation_first_date, trained.validation_last_date
    if not first <= last < window_start(window) or trained.metrics["fit_last_date"] >= first.isoformat():
        raise ValueError(f"window {window}: slice {first}..{last} must follow the slice model's training dates "
                         f"(through {trained.metrics['fit_last_date']}) and precede the window")
    data = stacking.slice_data(wh, first, last, trained.probe_predict, f"{model_id(window)}_slice")
    weight_sets, info = stacking.fit_weights(data)
    slice_model = {"model": "xgboost early-stopping model", "rounds": trained.rounds,
                   "trained_first_date": trained.metrics["training_first_date"],
                   "trained_last_date": trained.metrics["fit_last_date"]}
    raw = stacking.artifact(window, data, weight_sets, info, slice_model)
    doc = json.loads(raw)
    metrics = {"status": doc[stacking.ARTIFACT_KEY], "method": doc["method"], "slice": doc["slice"],
               "xgboost_slice_model": slice_model, "weight_sets": doc["weight_sets"], "fits": doc["fits"],
               "slice_mae": doc["slice_mae"], "artifact_sha256": hashlib.sha256(raw).hexdigest(),
               "seconds": round(time.monotonic() - t0, 3)}
    log.info("window %s: ensemble weights on %d slice rows (%s..%s): %s", window, data.rows, first, last,
             [(w.systems, w.coefficients, w.intercept) for w in weight_sets])
    return raw, metrics


def _write_atomic(path: str | os.PathLike, data: bytes) -> None:
    from nbaprops.storage.files import write_atomic  # fsync'd; a full disk fails naming the path

    write_atomic(path, data)


def train_window_job(config: Mapping, window: str, model_path: str | os.PathLike,
                     ensemble_path: str | os.PathLike, metrics_path: str | os.PathLike,
                     log_path: str | os.PathLike | None = None) -> dict:
    """The train_models rule: train ``window``'s XGBoost, fit its ensemble weights, write the
    model, the weights and their metrics."""
    from nbaprops.jobs import job_logging
    from nbaprops.markers import write_marker
    from nbaprops.warehouse import open_warehouse

    with job_logging(log_path):
        wh = open_warehouse(config)
        try:
            t0 = time.monotonic()
            data = training_data(wh, window)
            load_seconds = round(time.monotonic() - t0, 3)
            trained = train_window(data, window)
            ensemble_raw, ensemble_metrics = fit_ensemble(wh, window, trained)
        finally:
            wh.close()
        metrics = dict(trained.metrics, load_seconds=load_seconds, backend=wh.backend, ensemble=ensemble_metrics)
        _write_atomic(model_path, trained.raw)
        _write_atomic(ensemble_path, ensemble_raw)
        return write_marker(metrics_path, metrics)


# ---------------------------------------------------------------- serving
@dataclass(frozen=True)
class ServingModel:
    """The model serving one window; ``booster`` None when the window had too little history."""

    window: str
    booster: object | None

    @property
    def model_id(self) -> str | None:
        return model_id(self.window) if self.booster is not None else None

    def predict(self, X: np.ndarray) -> np.ndarray | None:
        if self.booster is None:
            return None
        import xgboost as xgb

        return self.booster.predict(xgb.DMatrix(X, feature_names=list(FEATURE_NAMES)))


class DamagedArtifactError(ValueError):
    """A model or ensemble-weights file is missing or corrupt; the message names the rebuild command."""


def damaged_artifact(path: Path, what: str, problem: str) -> DamagedArtifactError:
    """One sentence naming the file, what is wrong and the command that retrains its window (the
    train_models job writes the model, the weights and the metrics together)."""
    return DamagedArtifactError(f"{what} {path} {problem}; predictions never run without it. Retrain its window "
                                f"with `snakemake --cores 2 all --forcerun {path.as_posix()}`")


def read_artifact(path: Path, what: str) -> tuple[bytes, dict]:
    """(bytes, parsed JSON) of a model artifact, or DamagedArtifactError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise damaged_artifact(path, what, "does not exist") from None
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise damaged_artifact(path, what, f"is not valid JSON ({len(raw)} bytes; {exc})") from None
    if not isinstance(doc, dict):
        raise damaged_artifact(path, what, "does not hold a JSON object")
    return raw, doc


def load_model(path: str | os.PathLike) -> ServingModel:
    """A model artifact written by ``train_window_job`` (its file name is the window)."""
    import xgboost as xgb

    path = Path(path)
    window = path.name.removesuffix(".json")
    window_start(window)  # validates the name
    raw, doc = read_artifact(path, f"the XGBoost model of window {window}")
    if doc.get("nbaprops_model") == INSUFFICIENT:
        return ServingModel(window, None)
    booster = xgb.Booster()
    try:
        booster.load_model(bytearray(raw))
    except xgb.core.XGBoostError as exc:
        raise damaged_artifact(path, f"the XGBoost model of window {window}",
                               f"is not a model xgboost can load ({str(exc).splitlines()[0][:160]})") from None
    booster.set_param({"nthread": 1})
    return ServingModel(window, booster)


def load_models(paths: Iterable[str | os.PathLike]) -> dict[str, ServingModel]:
    """Window → model for the model files a prediction chunk was given."""
    models = {}
    for path in paths:
        model = load_model(path)
        models[model.window] = model
    return models
