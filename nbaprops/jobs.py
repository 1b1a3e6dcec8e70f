"""What each Snakemake job does: build one table for one chunk, then write its marker.

Rules call these through thin scripts (scripts/*.py). The marker is written only after the
warehouse commit returned, so an existing marker always means committed data.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from pathlib import Path
from typing import Mapping, Sequence

from nbaprops import runhistory
from nbaprops.catalogue import chunk_id
from nbaprops.contracts import load_contract
from nbaprops.jobrun import JobError, job_logging, now_iso, run_job
from nbaprops.markers import write_marker
from nbaprops.warehouse import open_warehouse

log = logging.getLogger("nbaprops.jobs")
__all__ = ["JobError", "job_logging", "build_table_chunk", "build_day_tables", "load_raw_season", "run_gate"]


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
    def failure(exc: BaseException) -> str:
        return (f"building {table} for chunk {chunk_id} ({start}..{end}) failed: {type(exc).__name__}: {exc}\n"
                f"Nothing of this chunk was committed (earlier chunks are intact). Fix the cause, then "
                f"re-run the same snakemake command: finished chunks are not redone. Log: {log_path}")

    with run_job(config, table, phase, start, end, chunk_id, log_path=log_path, failure=failure) as job:
        contract, wh = load_contract(table), job.wh
        log.info("building %s for chunk %s (%s..%s) on %s", table, chunk_id, start, end, wh.backend)
        wh.ensure_table(contract)
        if contract.builder:
            rows = wh.replace_range(contract, start, end, build_rows(contract, wh, start, end, inputs or {}))
        else:
            rows = wh.replace_range(contract, start, end, select_sql=contract.sql(),
                                    params={"start_date": start, "end_date": end})
        dates = wh.dates_present(contract, start, end)
        payload = {
            "phase": phase,
            "table": table, "chunk": chunk_id, "start": start.isoformat(), "end": end.isoformat(),
            "dates": [d.isoformat() for d in dates], "rows": rows, "backend": wh.backend,
            "seconds": job.seconds, "run_id": job.run.run_id, "code_fingerprint": code_fingerprint(table),
            "written_at": now_iso(),
        }
        log.info("committed %d rows over %d dates in %.2fs", rows, len(dates), payload["seconds"])
        return job.succeed(marker, payload, rows=rows, summary={"dates": len(dates)})


def build_day_tables(config: Mapping, tables: Sequence[str], day: dt.date, phase: str,
                     markers: Mapping[str, str | Path], logs: Mapping[str, str | Path],
                     inputs: Mapping[str, Mapping[str, object]] | None = None) -> list[dict]:
    """A day bundle's job: ``build_table_chunk`` for each of ``tables`` on the day chunk, in the
    order given (build order: a table may read one built before it). ``markers`` and ``logs`` are
    keyed by table name without dataset (the rule's output and log names), ``inputs`` by table.
    Each table commits and then writes its marker before the next starts, as its own job would.
    When the bundle fails or is killed, Snakemake deletes or marks incomplete all its markers and
    the next run redoes every table of it: each replaces the day's rows, so a redo is harmless."""
    chunk = chunk_id(day, day)
    out = []
    for table in tables:
        name = table.split(".", 1)[1]
        out.append(build_table_chunk(config, table, day, day, chunk, markers[name], phase, logs[name],
                                     inputs=(inputs or {}).get(table)))
    return out


def load_raw_season(config: Mapping, season: int, marker: str | Path, log_path: str | Path | None = None) -> dict:
    """Load one season of every raw table from the configured source and write the season's
    marker: rows per table, what the loader quarantined, dropped or corrected, and its findings.

    The season's rows replace the span of its dates (its first to its last raw date), so rows
    the source no longer holds disappear too; seasons never share dates."""
    from nbaprops import plan
    from nbaprops.raw import read_source_with_report, tables_for_source
    from nbaprops.raw.validate import RawInputError

    with job_logging(log_path):
        dates = [d for d, g in plan.game_days(config).items() if g.season == season]
        if not dates:
            raise JobError(f"season {season} has no game in the configured range; nothing to load")
        first, last = min(dates), max(dates)
        source = config["raw"]["source"]
        t0 = time.monotonic()
        log.info("reading raw source %r for season %d (%s..%s in range)", source, season, first, last)
        try:
            frames, report = read_source_with_report(config, first, last)
        except RawInputError as exc:
            message = (f"raw data of season {season} cannot be loaded: {exc}\nNothing of this season was "
                       f"loaded (what was loaded before is intact). Fix the file, then re-run the same "
                       f"command: the raw stage sees the change by itself. Log: {log_path}")
            log.error(message)
            raise JobError(message) from None
        log.info("raw source read in %.1fs", time.monotonic() - t0)
        if report is not None:
            log.log(logging.WARNING if report.rows_quarantined else logging.INFO, "%s", report.format())
        findings = _report_findings(report)
        with open_warehouse(config) as wh:
            tables = _load_season_tables(wh, tables_for_source(source), frames, season, first, last,
                                         report, findings)
        doc = {
            "season": season, "source": source, "backend": wh.backend, "tables": tables,
            "report": report.as_dict() if report is not None else None,
            "findings": [f.as_dict() for f in findings],
            "seconds": round(time.monotonic() - t0, 3),
            "written_at": now_iso(),
        }
        return write_marker(marker, doc)


def _report_findings(report) -> list:
    findings = getattr(report, "findings", None)
    if report is None or findings is None:
        return []
    return list(findings() if callable(findings) else findings)


def _load_season_tables(wh, tables: list[str], frames, season: int, first: dt.date, last: dt.date,
                        report=None, findings: list = ()) -> dict:
    """Replace each table's rows of the season's date span; one run-history row per table with
    what the loader read, kept, quarantined and found in its file."""
    import pandas as pd

    from nbaprops.raw import STATIC_TABLES

    span = None
    if frames is not None:
        days = [pd.to_datetime(frames[t][load_contract(t).date_column]).dt.date
                for t in tables if t not in STATIC_TABLES and len(frames[t])]
        span = (min([first] + [d.min() for d in days]), max([last] + [d.max() for d in days]))
    out = {}
    for table in tables:
        contract = load_contract(table)
        run = runhistory.RunRecord(table, "raw", first, last, str(season))
        t1 = time.monotonic()
        wh.ensure_table(contract)
        if frames is None:  # the tables already live in the warehouse
            rows, lo, hi = None, first, last
        else:
            frame = frames[table]
            if table in STATIC_TABLES:
                day = pd.to_datetime(frame[contract.date_column]).dt.date
                lo, hi = (day.min(), day.max()) if len(frame) else span
            else:
                lo, hi = span
            rows = wh.replace_range(contract, lo, hi, frame)
        summary = {"season": season, "findings": [f.as_dict() for f in findings if f.table == table]}
        if report is not None and table in report.files:
            counts = report.files[table].as_dict()
            summary.update({k: counts[k] for k in ("file", "rows_read", "rows_kept", "rows_outside_seasons",
                                                    "rows_quarantined") if k in counts})
        runhistory.record(wh, run, "success", rows, summary=summary)
        out[table] = {"rows": rows, "start": lo.isoformat(), "end": hi.isoformat(),
                      "seconds": round(time.monotonic() - t1, 3), "run_id": run.run_id,
                      "code_fingerprint": code_fingerprint(table)}
        log.info("%s: %s rows (%s..%s)", table, rows, lo, hi)
    return out


def run_gate(config: Mapping, phase: int, marker: str | Path, log_path: str | Path | None = None,
             raw_versions: Mapping[str, str] | None = None) -> dict:
    """Check a phase for the configured range; write the gate marker or fail with the report.

    With ``raw_versions`` (chunk id → raw version of its dates, from the rule) the gate checks in
    full only what changed since its last pass (``nbaprops.gate_state``); without, everything."""
    from nbaprops import gate_state, gates
    from nbaprops.config import start_end

    start, end = start_end(config)
    with run_job(config, f"gate.phase{phase}", "gate", start, end, log_path=log_path) as job:
        report, record_pass = gate_state.check(job.wh, config, phase, start, end, raw_versions)
        text = gates.format_report(report, verbose=True)
        log.info("\n%s", text)
        summary = {"ok": report.ok, "expected_dates": report.expected_dates,
                   "findings": [f.as_dict() for f in report.findings]}
        if not report.ok:
            job.fail(f"{gates.failure_sentence(report)} Log: {log_path}", summary=summary)
            raise JobError(f"{text}\n{gates.failure_sentence(report)} Log: {log_path}")
        doc = job.succeed(marker, {**report.as_dict(), "run_id": job.run.run_id, "written_at": now_iso()},
                          summary=summary)
        record_pass(job.run.run_id, doc["written_at"])  # after the marker: a kill in between leaves the last pass's state
        return doc
