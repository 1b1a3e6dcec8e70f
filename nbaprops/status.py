"""`nbaprops status`: what is done, failed and left, per table, in one screen.

Reads the warehouse (dates and rows per table against the schedule's expected dates), the run
history (last successful job, failures not yet followed by a success, with their log paths) and
the gate markers. Invariants are left to the gates so that status stays fast.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from nbaprops import gates

RUN_HISTORY = "nba_reference.processor_run_history"


@dataclass
class Failure:
    processor: str
    chunk_id: str | None
    at: str
    error: str
    log: str | None


def _log_path(logs_root: str, processor: str, chunk_id) -> str | None:
    if processor.startswith("gate.phase"):
        return f"{logs_root}/gates/{processor.removeprefix('gate.')}.log"
    if "." not in processor or not isinstance(chunk_id, str) or not chunk_id or chunk_id == "all":
        return None
    dataset, name = processor.split(".", 1)
    return f"{logs_root}/{dataset}/{name}/{chunk_id}.log"


def job_history(wh, start: dt.date, end: dt.date, logs_root: str) -> tuple[dict, list[Failure]]:
    """Last successful job time per processor, and failures with no later success."""
    frame = wh.query(
        f"select processor_name, chunk_id, status, processed_at, errors from {RUN_HISTORY} "
        "where data_date between @start_date and @end_date", {"start_date": start, "end_date": end})
    last_ok: dict[str, str] = {}
    failures: list[Failure] = []
    if frame.empty:
        return last_ok, failures
    frame = frame.sort_values("processed_at")
    ok = frame[frame["status"] == "success"]
    for processor, at in ok.groupby("processor_name")["processed_at"].max().items():
        last_ok[processor] = str(at)[:19]
    latest = frame.groupby(["processor_name", frame["chunk_id"].fillna("")]).tail(1)
    for row in latest[latest["status"] == "failed"].itertuples():
        errors = json.loads(row.errors or "[]")
        message = errors[0]["error_message"].splitlines()[0][:160] if errors else ""
        chunk = row.chunk_id if isinstance(row.chunk_id, str) else None
        failures.append(Failure(row.processor_name, chunk, str(row.processed_at)[:19], message,
                                _log_path(logs_root, row.processor_name, row.chunk_id)))
    return last_ok, failures


def gate_states(markers_root: str, phases, start: dt.date, end: dt.date) -> dict[int, str]:
    states = {}
    for phase in phases:
        path = Path(markers_root) / "gates" / f"phase{phase}.json"
        if not path.exists():
            states[phase] = "not run"
            continue
        doc = json.loads(path.read_text())
        same_range = (doc.get("start"), doc.get("end")) == (start.isoformat(), end.isoformat())
        states[phase] = ("passed" if doc.get("ok") else "failed") + ("" if same_range else
                                                                     f" (for {doc.get('start')}..{doc.get('end')})")
    return states


def collect(wh, config: Mapping, start: dt.date, end: dt.date, phases=None) -> dict:
    requested = phases or [*sorted(gates.PHASE_TABLES), 6]  # phase 6 is exports: a gate, no tables
    phases = [p for p in requested if p in gates.PHASE_TABLES]
    tables = []
    for phase in phases:
        expected, skipped = gates.expected_dates(wh, phase, start, end)
        for table in gates.PHASE_TABLES[phase]:
            report = gates.check_table(wh, table, expected, start, end, invariants=False)
            tables.append({"phase": phase, "report": report, "bootstrap_skipped": skipped})
    last_ok, failures = job_history(wh, start, end, config["paths"]["logs"])
    return {"start": start, "end": end, "tables": tables, "last_ok": last_ok, "failures": failures,
            "gates": gate_states(config["paths"]["markers"], requested, start, end)}


def is_complete(state: dict) -> bool:
    return (all(t["report"].ok for t in state["tables"]) and not state["failures"]
            and all(s == "passed" for s in state["gates"].values()))


def format_status(state: dict) -> str:
    header = f"{'table':45} {'expected':>8} {'present':>7} {'rows':>10}  {'last success':19}  problems"
    lines = [f"nbaprops status {state['start']} .. {state['end']}", "", header, "-" * len(header)]
    for item in state["tables"]:
        r = item["report"]
        problems = []
        if r.missing:
            problems.append(f"missing {gates.compact_dates(r.missing, 4)}")
        if r.unexpected:
            problems.append(f"unexpected {gates.compact_dates(r.unexpected, 4)}")
        if r.duplicate_keys:
            problems.append(f"{r.duplicate_keys} duplicate keys")
        lines.append(f"{r.table:45} {r.expected:8d} {r.present:7d} {r.rows:10,d}  "
                     f"{state['last_ok'].get(r.table, '-'):19}  {'; '.join(problems) or 'ok'}")
    lines += ["", "Gates: " + ", ".join(f"phase {p} {s}" for p, s in state["gates"].items())]
    if state["failures"]:
        lines += ["", f"Failed jobs ({len(state['failures'])}, no later success):"]
        for f in state["failures"]:
            where = f" chunk {f.chunk_id}" if f.chunk_id else ""
            lines.append(f"  {f.processor}{where} at {f.at}: {f.error}")
            if f.log:
                lines.append(f"    log: {f.log}")
    lock = snakemake_lock_line()
    if lock:
        lines += ["", lock]
    lines += ["", "COMPLETE" if is_complete(state) else
              "INCOMPLETE — run `snakemake --cores 2 all` to build what is missing"]
    return "\n".join(lines)


def snakemake_lock_line() -> str | None:
    """A stale Snakemake lock (a killed run: `nbaprops resume` clears it) or the run going on in
    the current directory, in one line; None when there is neither."""
    from nbaprops.resume import lock_state

    return lock_state(".").line()
