"""The train_models job: one window's XGBoost and ensemble weights (``scripts/train_xgboost.py``).

One job per calendar month writes the window's whole artifact set, so the served model and the
weights fitted with its early-stopping model always belong together: ``models/xgboost_v1/
YYYY-MM.json`` (the model), ``models/ensemble_v1/YYYY-MM.json`` (the weights) and, last, the
marker ``models/xgboost_v1/YYYY-MM.metrics.json`` (both fits' metrics and timings). The job runs
in the common skeleton (``nbaprops.jobrun``): its log, the warehouse closed whatever happens, a
run-history row (processor ``train_models``, the window as its chunk id).
"""
from __future__ import annotations

import os
import time
from typing import Mapping

from nbaprops import catalogue
from nbaprops.jobrun import run_job
from nbaprops.predictions import artifacts, stacking, training
from nbaprops.predictions.windows import window_end, window_start

PROCESSOR = catalogue.TRAINING_PROCESSOR


def train_window_job(config: Mapping, window: str, model_path: str | os.PathLike,
                     ensemble_path: str | os.PathLike, metrics_path: str | os.PathLike,
                     log_path: str | os.PathLike | None = None) -> dict:
    """Train ``window``'s XGBoost, fit its ensemble weights, write the model, the weights and
    (the marker) their metrics."""
    def failure(exc: BaseException) -> str:
        return (f"training the models of window {window} failed: {type(exc).__name__}: {exc}\n"
                f"Fix the cause, then re-run the same snakemake command: windows already trained are not "
                f"retrained. Log: {log_path}")

    with run_job(config, PROCESSOR, catalogue.PHASE_NAMES[5], window_start(window), window_end(window), window,
                 log_path=log_path, failure=failure) as job:
        t0 = time.monotonic()
        data = training.training_data(job.wh, window)
        load_seconds = round(time.monotonic() - t0, 3)
        trained = training.train_window(data, window)
        ensemble_raw, ensemble_metrics = stacking.fit_ensemble(job.wh, window, trained)
        metrics = dict(trained.metrics, load_seconds=load_seconds, backend=job.wh.backend, ensemble=ensemble_metrics)
        artifacts.write(model_path, trained.raw)
        artifacts.write(ensemble_path, ensemble_raw)
        return job.succeed(metrics_path, metrics, rows=data.rows,
                           summary={"status": trained.metrics["status"], "ensemble": ensemble_metrics["status"]})
