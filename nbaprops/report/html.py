"""The HTML report end to end: the state of a backfill as one self-contained page.

    html = render_html(wh, config, start, end)           # a str; write it anywhere
    write_html_report(config, "reports/index.html")       # what the `report_html` rule does

Sections (``render.page.SECTIONS``), each read by ``collect`` and drawn by ``render``:

* At a glance: complete or not, coverage, gates, failed jobs, job time, ensemble accuracy.
* Coverage: a heatmap of every table of every phase (``catalogue.PHASE_TABLES``) x game date, one
  block per season, columns grouped by month; each cell present / missing / bootstrap day / unexpected.
* Timings: per phase from the run history (latest run of each job), per rule from Snakemake's
  ``benchmark:`` files (``benchmarks/<dataset>/<table>/<chunk>.tsv`` and the like).
* Prediction accuracy: ``accuracy_report`` as charts (MAE by system and season, hit rate on real
  lines, calibration of predicted vs actual points) and tables, with the line and oracle rows.
* Gates and failed jobs: ``status.collect`` (gate markers, failures with no later success, logs,
  the findings of each job's latest run, each table's problems and remedies).
* Exports: relative links into the local export folder (``storage.path``/v1/).

The same warehouse and files give the same bytes: the only wall-clock time is the optional
``generated`` line the caller passes.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from pathlib import Path
from typing import Mapping

from nbaprops.config import start_end
from nbaprops.jobrun import job_logging
from nbaprops.report.collect.page import collect_page
from nbaprops.report.render.page import render_page

log = logging.getLogger("nbaprops.report")


def render_html(wh, config: Mapping, start: dt.date, end: dt.date, *, generated: str | None = None,
                output_dir: str | os.PathLike = "reports", tables_from_gates: bool = False) -> str:
    """The report of [start, end] as one HTML document. Links (logs, exports) are relative to
    ``output_dir``, the folder the page will be written to; paths in ``config`` are relative to
    the working directory, as for every command. ``tables_from_gates``: see ``status.collect``."""
    return render_page(collect_page(wh, config, start, end, tables_from_gates), generated=generated,
                       output_dir=output_dir)


def write_html_report(config: Mapping, path: str | os.PathLike, log_path: str | os.PathLike | None = None,
                      start: dt.date | None = None, end: dt.date | None = None,
                      generated: str | None = None, tables_from_gates: bool = False) -> Path:
    """Render the report of the range (default: the configured one) and write it to ``path``.

    With ``log_path`` (the rule) the log goes to that file; without (the command) it stays quiet.
    The report is no job of the run history: it records no run, so it never shows itself."""
    from nbaprops.warehouse import open_warehouse

    path = Path(path)
    with job_logging(log_path) if log_path else contextlib.nullcontext():
        start, end = start_end(config, start, end)
        with open_warehouse(config) as wh:
            page = render_html(wh, config, start, end, generated=generated, output_dir=path.parent,
                               tables_from_gates=tables_from_gates)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(page)
        os.replace(tmp, path)
        log.info("HTML report %s..%s written to %s (%d bytes)", start, end, path, len(page.encode()))
    return path


def now_line() -> str:
    """The one wall-clock line of a report: when it was generated (UTC, to the minute)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
