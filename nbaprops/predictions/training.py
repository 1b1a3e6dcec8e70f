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
``seed=0``, ``nthread=1``; the same rows give a byte-identical model JSON. The newest training
dates form two time-ordered holdouts of 30 dates each (at most a third of the dates each):

    [ fit ........................ | early stopping (30) | ensemble slice (30) ]  < window

The early-stopping ("probe") model trains on the fit dates and picks its number of rounds on the
early-stopping dates; it then scores the ensemble's slice, which neither its trees nor its round
count have seen, so XGBoost's slice predictions are out of sample like every other system's (when
the slice was also the early-stopping set, XGBoost looked better there than it is, and the
ensemble over-weighted it). The served model is refit on all training rows with the chosen number
of rounds, so the newest weeks count. The same job (``nbaprops.training_job``) fits the month's
ensemble weights on the slice (``nbaprops.predictions.stacking``). One job per month, one artifact set per month: ``models/xgboost_v1/YYYY-MM.json`` (the
served booster), ``models/ensemble_v1/YYYY-MM.json`` (the weights) and
``models/xgboost_v1/YYYY-MM.metrics.json`` (both fits' metrics and timings).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Collection

import numpy as np
import pyarrow as pa
import xgboost as xgb

from nbaprops.predictions.artifacts import INSUFFICIENT
from nbaprops.predictions.features import FEATURE_NAMES, FEATURE_VERSION
from nbaprops.predictions.final_dates import final_rows
from nbaprops.predictions.inference import feature_matrix
from nbaprops.predictions.participation import played_sql
from nbaprops.predictions.windows import model_id, window_start

log = logging.getLogger("nbaprops.predictions.training")

MIN_TRAINING_ROWS = 1000
# Each holdout (the early-stopping set, then the ensemble's slice): 30 training dates (about a
# month of games, ~4,000 player-games), at most a third of the training dates.
HOLDOUT_DATES = 30
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


# ---------------------------------------------------------------- data
@dataclass(frozen=True)
class TrainingData:
    dates: np.ndarray  # datetime64[D], one per row, ascending
    X: np.ndarray
    y: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.y)


def training_data(wh, window: str, nonfinal: Collection[dt.date] = ()) -> TrainingData:
    """Every feature-store row dated before the window with the player's actual points (one query),
    except on the ``nonfinal`` dates (``final_dates.nonfinal_dates``: a date with a game not final
    yet teaches nothing until all of it is; the training job passes them)."""
    table = wh.query_arrow(TRAINING_SQL, {"window_start": window_start(window), "feature_version": FEATURE_VERSION})
    dates = np.asarray(table.column("game_date").cast(pa.date32()).to_numpy(zero_copy_only=False),
                       dtype="datetime64[D]")
    keep = final_rows(dates, nonfinal)
    return TrainingData(dates[keep], feature_matrix(table.column("features"))[keep],
                        np.asarray(table.column("points").to_numpy(zero_copy_only=False), dtype=np.float32)[keep])


# ---------------------------------------------------------------- training
def _iso(day: np.datetime64) -> str:
    return str(np.datetime64(day, "D"))


def holdout_dates(unique_dates: np.ndarray) -> int:
    """How many dates each holdout (early stopping, then the ensemble's slice) takes."""
    return min(HOLDOUT_DATES, len(unique_dates) // 3)


@dataclass(frozen=True)
class TrainedWindow:
    """A window's training: the served model's bytes and metrics, plus the early-stopping model
    (``probe``, trained and stopped on dates before ``slice_first_date`` only) that scores the
    ensemble's slice [slice_first_date, slice_last_date]; probe None when the window had too
    little history."""

    raw: bytes
    metrics: dict
    probe: xgb.Booster | None = None
    rounds: int | None = None
    slice_first_date: dt.date | None = None
    slice_last_date: dt.date | None = None

    def probe_predict(self, X: np.ndarray) -> np.ndarray:
        return self.probe.predict(xgb.DMatrix(X, feature_names=list(FEATURE_NAMES)),
                                  iteration_range=(0, self.rounds))


def train(data: TrainingData, window: str, *, min_rows: int = MIN_TRAINING_ROWS) -> tuple[bytes, dict]:
    """(model artifact bytes, metrics) for ``window`` from ``data`` (rows dated before it)."""
    trained = train_window(data, window, min_rows=min_rows)
    return trained.raw, trained.metrics


def walk_forward(dates: np.ndarray, window: str, what: str, model: str,
                 features: tuple[str, ...]) -> tuple[np.datetime64, np.ndarray, dict]:
    """D3 asserted from the training data itself: no row of ``dates`` (``what``'s) is dated on or
    after the window's first day. Returns that day, the training dates and the metrics every
    window's training starts with (the market model's too)."""
    start = np.datetime64(window_start(window), "D")
    if len(dates) and dates.max() >= start:
        raise ValueError(f"{what} for window {window} holds rows dated {_iso(dates.max())}, "
                         f"on or after the window's first day {start}")
    unique_dates = np.unique(dates)
    metrics: dict = {
        "window": window, "window_start": str(start), "model_id": model, "rows": len(dates),
        "training_dates": len(unique_dates),
        "training_first_date": _iso(unique_dates[0]) if len(dates) else None,
        "training_last_date": _iso(unique_dates[-1]) if len(dates) else None,
        "feature_version": FEATURE_VERSION, "features": list(features), "xgboost_version": xgb.__version__,
    }
    return start, unique_dates, metrics


def train_window(data: TrainingData, window: str, *, min_rows: int = MIN_TRAINING_ROWS) -> TrainedWindow:
    """The window's XGBoost from ``data`` (rows dated before it).

    With fewer than ``min_rows`` rows (or fewer than 10 training dates) the artifact is a small
    JSON saying so, and the xgboost system serves its documented fallback for the window.
    """
    t0 = time.monotonic()
    start, unique_dates, metrics = walk_forward(data.dates, window, "training data", model_id(window), FEATURE_NAMES)
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
        n_holdout = holdout_dates(unique_dates)
        first_validation, first_slice = unique_dates[-2 * n_holdout], unique_dates[-n_holdout]
        fit = data.dates < first_validation
        val = (data.dates >= first_validation) & (data.dates < first_slice)
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
            rows_fit=int(fit.sum()), rows_validation=int(val.sum()), rows_slice=int((data.dates >= first_slice).sum()),
            fit_last_date=_iso(data.dates[fit].max()),
            validation_first_date=_iso(first_validation), validation_dates=n_holdout,
            slice_first_date=_iso(first_slice), slice_dates=n_holdout,
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
    return TrainedWindow(raw, metrics, probe, rounds, dt.date.fromisoformat(_iso(first_slice)),
                         dt.date.fromisoformat(_iso(unique_dates[-1])))
