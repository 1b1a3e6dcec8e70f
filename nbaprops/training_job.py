"""The train_models job: one window's XGBoost, ensemble weights and line-aware market model
(``scripts/train_xgboost.py``).

One job per calendar month writes the window's whole artifact set, so the served model and the
weights fitted with its early-stopping model always belong together: ``models/xgboost_v1/
YYYY-MM.json`` (the model), ``models/ensemble_v1/YYYY-MM.json`` (the weights) and, last, the
marker ``models/xgboost_v1/YYYY-MM.metrics.json`` (all fits' metrics and timings). Next to them
the market model (``nbaprops.predictions.market``, issue 13): ``models/market_xgboost_v1/
YYYY-MM.json`` and ``YYYY-MM.calibration.json``, its metrics under the marker's ``market`` key. The job runs
in the common skeleton (``nbaprops.jobrun``): its log, the warehouse closed whatever happens, a
run-history row (processor ``train_models``, the window as its chunk id).
"""
from __future__ import annotations

import os
import time
from typing import Mapping

from nbaprops import catalogue
from nbaprops.jobrun import run_job
from nbaprops.predictions import artifacts, final_dates, market, stacking, training
from nbaprops.predictions.windows import window_end, window_start

PROCESSOR = catalogue.TRAINING_PROCESSOR


def train_window_job(config: Mapping, window: str, model_path: str | os.PathLike,
                     ensemble_path: str | os.PathLike, metrics_path: str | os.PathLike,
                     log_path: str | os.PathLike | None = None, market_path: str | os.PathLike | None = None,
                     market_calibration_path: str | os.PathLike | None = None) -> dict:
    """Train ``window``'s XGBoost, fit its ensemble weights, train its market model (when its
    paths are given), write the models, the weights and (the marker) their metrics."""
    def failure(exc: BaseException) -> str:
        return (f"training the models of window {window} failed: {type(exc).__name__}: {exc}\n"
                f"Fix the cause, then re-run the same snakemake command: windows already trained are not "
                f"retrained. Log: {log_path}")

    with run_job(config, PROCESSOR, catalogue.PHASE_NAMES[5], window_start(window), window_end(window), window,
                 log_path=log_path, failure=failure) as job:
        t0 = time.monotonic()
        # never learn from a date whose games are not all final yet (issue 12)
        nonfinal = final_dates.nonfinal_dates(job.wh, window_start(window), final_dates.excluded_ids(config))
        data = training.training_data(job.wh, window, nonfinal)
        load_seconds = round(time.monotonic() - t0, 3)
        trained = training.train_window(data, window)
        ensemble_raw, ensemble_metrics = stacking.fit_ensemble(job.wh, window, trained, nonfinal)
        metrics = dict(trained.metrics, load_seconds=load_seconds, backend=job.wh.backend, ensemble=ensemble_metrics,
                       nonfinal_dates_left_out=sorted(d.isoformat() for d in nonfinal))
        if market_path is not None:
            t0 = time.monotonic()
            market_data = market.training_data(job.wh, window, nonfinal)
            market_load_seconds = round(time.monotonic() - t0, 3)
            market_trained = market.train_window(market_data, window)
            metrics["market"] = dict(market_trained.metrics, load_seconds=market_load_seconds)
            artifacts.write(market_path, market_trained.raw)
            artifacts.write(market_calibration_path, market_trained.calibration)
        artifacts.write(model_path, trained.raw)
        artifacts.write(ensemble_path, ensemble_raw)
        return job.succeed(metrics_path, metrics, rows=data.rows,
                           summary={"status": trained.metrics["status"], "ensemble": ensemble_metrics["status"]})
