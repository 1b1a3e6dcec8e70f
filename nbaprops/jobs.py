"""What each Snakemake job does: build one table for one chunk, then write its marker.

Rules call these through thin scripts (scripts/*.py). The marker is written only after the
warehouse commit returned, so an existing marker always means committed data.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Mapping

from nbaprops import runhistory
from nbaprops.contracts import load_contract
from nbaprops.markers import write_marker
from nbaprops.warehouse import open_warehouse

log = logging.getLogger("nbaprops.jobs")


class JobError(RuntimeError):
    """A job failed; the message names the table, the chunk, the cause and what to do."""


@contextmanager
def job_logging(log_path: str | Path | None):
    """Send the package's log records to the job's own log file (and keep stderr quiet)."""
    root = logging.getLogger("nbaprops")
    handler: logging.Handler
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_path, mode="w")
    else:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()


def code_fingerprint(table: str) -> str:
    """Hash of the table's SQL and contract: a marker says which logic produced the rows."""
    contract = load_contract(table)
    digest = hashlib.sha256(contract.path.read_bytes())
    if contract.has_sql:
        digest.update(contract.sql_path.read_bytes())
    return digest.hexdigest()[:16]


def build_rows(contract, wh, start: dt.date, end: dt.date, inputs: Mapping[str, object]):
    """Rows of a Python-built table: its contract's ``builder`` called as
    ``fn(warehouse, start, end, **inputs)`` (inputs = the rule's named non-marker inputs, e.g. model files)."""
    import importlib

    module, _, name = contract.builder.partition(":")
    return getattr(importlib.import_module(module), name)(wh, start, end, **inputs)


def build_table_chunk(config: Mapping, table: str, start: dt.date, end: dt.date, chunk_id: str,
                      marker: str | Path, phase: str, log_path: str | Path | None = None,
                      inputs: Mapping[str, object] | None = None) -> dict:
    """Replace ``table``'s rows for [start, end] with its SQL's (or builder's) result and write
    the marker."""
    with job_logging(log_path):
        contract = load_contract(table)
        wh = open_warehouse(config)
        run = runhistory.RunRecord(table, phase, start, end, chunk_id)
        t0 = time.monotonic()
        log.info("building %s for chunk %s (%s..%s) on %s", table, chunk_id, start, end, wh.backend)
        try:
            wh.ensure_table(contract)
            if contract.builder:
                rows = wh.replace_range(contract, start, end, build_rows(contract, wh, start, end, inputs or {}))
            else:
                rows = wh.replace_range(contract, start, end, select_sql=contract.sql(),
                                        params={"start_date": start, "end_date": end})
            dates = wh.dates_present(contract, start, end)
        except Exception as exc:
            runhistory.record(wh, run, "failed", errors=[{"error_type": type(exc).__name__,
                                                           "error_message": str(exc)}])
            wh.close()
            message = (
                f"building {table} for chunk {chunk_id} ({start}..{end}) failed: {type(exc).__name__}: {exc}\n"
                f"Nothing of this chunk was committed (earlier chunks are intact). Fix the cause, then "
                f"re-run the same snakemake command: finished chunks are not redone. Log: {log_path}")
            log.exception(message)  # the job's log names table, chunk, error and what to do
            raise JobError(message) from exc
        seconds = round(time.monotonic() - t0, 3)
        payload = {
            "phase": phase,
            "table": table, "chunk": chunk_id, "start": start.isoformat(), "end": end.isoformat(),
            "dates": [d.isoformat() for d in dates], "rows": rows, "backend": wh.backend,
            "seconds": seconds, "run_id": run.run_id, "code_fingerprint": code_fingerprint(table),
            "written_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        }
        runhistory.record(wh, run, "success", rows, summary={"dates": len(dates)})
        wh.close()
        log.info("committed %d rows over %d dates in %.2fs", rows, len(dates), seconds)
        return write_marker(marker, payload)


def load_raw(config: Mapping, markers: Mapping[str, str | Path], log_path: str | Path | None = None) -> None:
    """Load every raw table from the configured source and write one marker per table."""
    from nbaprops.config import start_end
    from nbaprops.raw import read_source

    with job_logging(log_path):
        start, end = start_end(config)
        wh = open_warehouse(config)
        t0 = time.monotonic()
        source = config["raw"]["source"]
        log.info("reading raw source %r for seasons touching %s..%s", source, start, end)
        frames = read_source(config, start, end)
        log.info("raw source read in %.1fs", time.monotonic() - t0)
        for table, marker in markers.items():
            contract = load_contract(table)
            run = runhistory.RunRecord(table, "raw", start, end, "all")
            t1 = time.monotonic()
            wh.ensure_table(contract)
            if frames is None:  # tables already live in the warehouse
                rows = None
                dates = wh.dates_present(contract, dt.date(1900, 1, 1), dt.date(2999, 12, 31))
                lo, hi = (dates[0], dates[-1]) if dates else (None, None)
            else:
                frame = frames[table]
                import pandas as pd

                day = pd.to_datetime(frame[contract.date_column]).dt.date
                lo, hi = (day.min(), day.max()) if len(frame) else (start, end)
                rows = wh.replace_range(contract, lo, hi, frame)
            runhistory.record(wh, run, "success", rows)
            write_marker(marker, {
                "table": table, "source": source, "rows": rows, "backend": wh.backend,
                "start": lo.isoformat() if lo else None, "end": hi.isoformat() if hi else None,
                "seconds": round(time.monotonic() - t1, 3), "run_id": run.run_id,
                "code_fingerprint": code_fingerprint(table),
                "written_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            })
            log.info("%s: %s rows (%s..%s)", table, rows, lo, hi)
        wh.close()


def run_gate(config: Mapping, phase: int, marker: str | Path, log_path: str | Path | None = None) -> dict:
    """Check a phase for the configured range; write the gate marker or fail with the report."""
    from nbaprops import gates
    from nbaprops.config import start_end

    with job_logging(log_path):
        start, end = start_end(config)
        wh = open_warehouse(config)
        run = runhistory.RunRecord(f"gate.phase{phase}", "gate", start, end)
        report = gates.check_phase(wh, phase, start, end, config)
        text = gates.format_report(report, verbose=True)
        log.info("\n%s", text)
        runhistory.record(wh, run, "success" if report.ok else "failed",
                          summary={"ok": report.ok, "expected_dates": report.expected_dates,
                                   "findings": [f.as_dict() for f in report.findings]})
        wh.close()
        if not report.ok:
            message = f"{gates.failure_sentence(report)} Log: {log_path}"
            log.error(message)
            raise JobError(f"{text}\n{message}")
        return write_marker(marker, {**report.as_dict(), "run_id": run.run_id,
                                     "written_at": dt.datetime.now(dt.timezone.utc).isoformat()})
