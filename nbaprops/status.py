"""`nbaprops status`: what is done, failed and left, per table, in one screen.

Reads the warehouse (dates and rows per table against the schedule's expected dates), the run
history (last successful job, failures not yet followed by a success, with their log paths, and
the findings of each job's latest run) and the gate markers. Invariants and game checks are left
to the gates so that status stays fast: their findings come from the gates' run history.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from nbaprops import gates
from nbaprops.catalogue import GATED_PHASES, PHASE_TABLES
from nbaprops.checks.games import excluded_games
from nbaprops.checks.raw import stale_schedule
from nbaprops.checks.remedies import build_command
from nbaprops.findings import Finding
from nbaprops.catalogue import TRAINING_PROCESSOR
from nbaprops.plan import SCHEDULED, league_today, overdue_finding

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
    if processor == TRAINING_PROCESSOR and isinstance(chunk_id, str):  # chunk id = the model's month
        return f"{logs_root}/models/{chunk_id}.log"
    if "." not in processor or not isinstance(chunk_id, str) or not chunk_id or chunk_id == "all":
        return None
    dataset, name = processor.split(".", 1)
    return f"{logs_root}/{dataset}/{name}/{chunk_id}.log"


def job_history(wh, start: dt.date, end: dt.date,
                logs_root: str) -> tuple[dict, list[Failure], list[tuple[str, Finding]]]:
    """Last successful job time per processor, failures with no later success, and the findings
    (``summary.findings``) of each job's latest run as (processor, finding)."""
    frame = wh.query(
        f"select processor_name, chunk_id, status, processed_at, errors, summary from {RUN_HISTORY} "
        "where data_date between @start_date and @end_date", {"start_date": start, "end_date": end})
    last_ok: dict[str, str] = {}
    failures: list[Failure] = []
    findings: list[tuple[str, Finding]] = []
    if frame.empty:
        return last_ok, failures, findings
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
    for row in latest.itertuples():
        summary = json.loads(row.summary) if isinstance(row.summary, str) and row.summary else {}
        findings += [(row.processor_name, Finding.from_dict(doc)) for doc in summary.get("findings", [])]
    return last_ok, failures, findings


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


def passed_gate_tables(markers_root: str, phase: int, start: dt.date, end: dt.date) -> list[dict] | None:
    """The table rows of the phase's gate marker when that gate passed for exactly [start, end]
    and reports every table of the phase: what ``collect`` would count (dates, rows, duplicate
    keys), as the gate just counted it; None otherwise."""
    path = Path(markers_root) / "gates" / f"phase{phase}.json"
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not doc.get("ok") or (doc.get("start"), doc.get("end")) != (start.isoformat(), end.isoformat()):
        return None
    fields = ("table", "expected", "present", "rows", "missing", "unexpected", "duplicate_keys", "missing_built",
              "remedies")
    reports = {t.get("table"): t for t in doc.get("tables", [])}
    if any(t not in reports or any(f not in reports[t] for f in fields) for t in PHASE_TABLES[phase]):
        return None
    bootstrap = doc.get("bootstrap_dates_excluded", 0)
    return [{"phase": phase, "bootstrap_skipped": bootstrap,
             "report": gates.TableReport(**{f: reports[t][f] for f in fields}, invariants=[])}
            for t in PHASE_TABLES[phase]]


def collect(wh, config: Mapping, start: dt.date, end: dt.date, phases=None, tables_from_gates: bool = False) -> dict:
    """The state of [start, end]: tables, failed jobs, findings, gates. ``tables_from_gates`` (the
    HTML report's rule, which runs right after every gate passed) takes a phase's table counts
    from its passed gate marker of the same range instead of counting again (~1.5 s on the
    default range); the ``status`` command always counts."""
    requested = phases or list(GATED_PHASES)  # phase 6 is exports: a gate, no tables
    phases = [p for p in requested if p in PHASE_TABLES]
    tables = []
    excluded = excluded_games(config)
    tolerated = gates.excluded_only_dates(wh, start, end, excluded)
    for phase in phases:
        from_gate = passed_gate_tables(config["paths"]["markers"], phase, start, end) if tables_from_gates else None
        if from_gate:
            tables += from_gate
            continue
        expected = gates.phase_dates(wh, phase, start, end, excluded)
        for table in PHASE_TABLES[phase]:
            report = gates.check_table(wh, table, expected.of(table), start, end, invariants=False,
                                       markers_root=config["paths"]["markers"],
                                       tolerated=tolerated | expected.tolerated(table))
            tables.append({"phase": phase, "report": report, "bootstrap_skipped": expected.bootstrap_excluded})
    last_ok, failures, findings = job_history(wh, start, end, config["paths"]["logs"])
    # The expected dates above are the loaded schedule's: say so when the source now holds more.
    findings += [("raw source", f) for f in stale_schedule(wh, start, end, config)]
    states = gates.schedule_states(wh, start, end, excluded)
    overdue = overdue_finding(states, league_today(config))
    findings += [("raw source", overdue)] if overdue else []
    return {"start": start, "end": end, "tables": tables, "last_ok": last_ok, "failures": failures,
            "findings": findings, "gates": gate_states(config["paths"]["markers"], requested, start, end),
            "scheduled": [d.isoformat() for d, state in states.items() if state == SCHEDULED]}


def is_complete(state: dict) -> bool:
    return (all(t["report"].ok for t in state["tables"]) and not state["failures"]
            and not any(f.severity == "error" for _, f in state["findings"])
            and all(s == "passed" for s in state["gates"].values()))


def format_status(state: dict) -> str:
    header = f"{'table':45} {'expected':>8} {'present':>7} {'rows':>10}  {'last success':19}  problems"
    lines = [f"nbaprops status {state['start']} .. {state['end']}", "", header, "-" * len(header)]
    for item in state["tables"]:
        r = item["report"]
        lines.append(f"{r.table:45} {r.expected:8d} {r.present:7d} {r.rows:10,d}  "
                     f"{state['last_ok'].get(r.table, '-'):19}  {'; '.join(gates.table_problems(r)) or 'ok'}")
    lines += ["", "Gates: " + ", ".join(f"phase {p} {s}" for p, s in state["gates"].items())]
    if state.get("scheduled"):
        lines.append(gates.awaiting_grading(state["scheduled"]))
    shown = [(p, f) for p, f in state["findings"] if f.severity != "info"]  # info is for reports
    if shown:
        lines += ["", gates.format_findings([f for _, f in shown])[0] + " (latest run of each job)"]
        lines += [f"  {processor}: {f.format()}" for processor, f in shown]
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
    if is_complete(state):
        lines += ["", "COMPLETE"]
        return "\n".join(lines)
    remedies = gates.combined_remedies([item["report"] for item in state["tables"]])
    if state["failures"]:
        remedies.append("Read the failed jobs' logs above; once the cause is fixed, "
                        f"{build_command()} re-runs them.")
    if any(f.severity == "error" for _, f in state["findings"]):
        remedies.append("Each error finding above names its remedy.")
    if not remedies:  # only a gate not run (or run for another range) is left
        remedies.append(f"Run the gates for this range with {build_command(state['start'], state['end'])}.")
    lines += ["", "INCOMPLETE — what to do:"] + [f"  - {r}" for r in remedies]
    return "\n".join(lines)


def snakemake_lock_line() -> str | None:
    """A stale Snakemake lock (a killed run: `nbaprops resume` clears it) or the run going on in
    the current directory, in one line; None when there is neither."""
    from nbaprops.resume import lock_state

    return lock_state(".").line()
