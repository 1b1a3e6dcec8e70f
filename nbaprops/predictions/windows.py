"""Model windows: the calendar month a walk-forward model serves (DESIGN D3), as pure dates.

A window ``YYYY-MM`` is served by one XGBoost model and one set of ensemble weights, trained on
data dated strictly before the window's first day (``nbaprops.predictions.training`` says why
monthly). Standard library only: the Snakefile imports this module while it builds the DAG
(which windows to train, which chunks a window reads), and that must not load numpy or pyarrow.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from nbaprops import catalogue

MODEL_NAME = catalogue.XGBOOST  # also the folder of its artifacts: models/xgboost_v1/YYYY-MM.json
_WINDOW = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def window_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def window_start(window: str) -> dt.date:
    if not _WINDOW.match(window):
        raise ValueError(f"model window {window!r} is not YYYY-MM")
    return dt.date(int(window[:4]), int(window[5:]), 1)


def window_end(window: str) -> dt.date:
    """The window's last day."""
    start = window_start(window)
    return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1) - dt.timedelta(days=1)


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
