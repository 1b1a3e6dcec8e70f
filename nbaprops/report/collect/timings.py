"""How long the jobs took: the run history (per phase) and Snakemake's benchmark files (per rule)."""
from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd

from nbaprops.catalogue import (DAY_BUNDLE_RULES, GATED_PHASES, PHASE_LABELS, PHASE_OF_TABLE, is_chunk_id,
                                parse_chunk_id)
from nbaprops.status import RUN_HISTORY

BENCHMARKS = "benchmarks"  # Snakemake's benchmark: files, relative to the working directory
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")  # a monthly model window's benchmark


def run_history_timings(wh, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The latest run of each job (processor x chunk) in the range, with its phase and duration."""
    frame = wh.query(
        f"select processor_name, phase, chunk_id, status, duration_seconds, processed_at, records_processed "
        f"from {RUN_HISTORY} where data_date between @start_date and @end_date",
        {"start_date": start, "end_date": end})
    if frame.empty:
        return frame
    frame = frame.assign(chunk_id=frame["chunk_id"].fillna("")).sort_values(
        ["processed_at", "processor_name", "chunk_id"], kind="stable")
    return frame.groupby(["processor_name", "chunk_id"], sort=True).tail(1).reset_index(drop=True)


def _phase_order(label: str) -> tuple[int, str]:
    order = list(PHASE_LABELS.values())
    return (order.index(label) if label in order else len(order), label)


def phase_timings(latest: pd.DataFrame) -> list[dict]:
    """Per phase (its label): jobs, failures, total and mean seconds, the slowest job, rows written."""
    out = []
    for phase, group in latest.groupby("phase", sort=True):
        seconds = group["duration_seconds"].fillna(0.0)
        slow = group.loc[seconds.idxmax()]
        out.append({
            "phase": PHASE_LABELS.get(phase, phase), "jobs": len(group),
            "failed": int((group["status"] == "failed").sum()),
            "total": float(seconds.sum()), "mean": float(seconds.mean()),
            "slowest": f"{slow['processor_name']} {slow['chunk_id'] or ''}".strip(),
            "slowest_seconds": float(seconds.max()),
            "rows": int(group["records_processed"].fillna(0).sum()),
        })
    return sorted(out, key=lambda r: _phase_order(r["phase"]))


def _in_range(chunk: str, start: dt.date, end: dt.date) -> bool:
    """Whether a benchmark's chunk (a chunk id, or a YYYY-MM model window) touches the range."""
    if is_chunk_id(chunk):
        first, last = parse_chunk_id(chunk)
    elif m := _MONTH.match(chunk):
        first = dt.date(int(m[1]), int(m[2]), 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    else:
        return True  # one job for the whole range (raw load, as-of exports)
    return first <= end and last >= start


def _benchmark_group(rel: Path) -> tuple[str, str, str]:
    """(rule group, chunk, phase label) of a benchmark file path relative to benchmarks/."""
    parts = rel.with_suffix("").parts
    if len(parts) == 3 and f"{parts[0]}.{parts[1]}" in PHASE_OF_TABLE:
        table = f"{parts[0]}.{parts[1]}"
        return table, parts[2], f"Phase {PHASE_OF_TABLE[table]}"
    group, chunk = ("/".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (parts[0], "")
    # A day bundle's job builds all of its phase's tables for a day chunk (rules/bundles.smk).
    bundled = {rule: phase for phase, rule in DAY_BUNDLE_RULES.items()}
    if group in bundled:
        return group, chunk, f"Phase {bundled[group]}"
    # Jobs that are not a table's chunks: the raw load, monthly models (5A) and the exports (6).
    phase = {"raw": PHASE_LABELS["raw"], "models": "Phase 5", "exports": "Phase 6"}.get(parts[0], "Other")
    return group, chunk, phase


NA = {"", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "None", "null", "<NA>"}  # empty cells (as pandas reads them)
NUMBERS = ("s", "max_rss", "cpu_time")


def _last_row(path: Path) -> dict | None:
    """The last row of a benchmark file (header, then one row per repeat), its numbers as floats
    (None where empty); None for a file without rows or being written right now. Plain text, not
    pandas: the report reads ~300 of these (2 s of its time through read_csv)."""
    try:
        lines = [line for line in path.read_text().splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        return None
    if len(lines) < 2:
        return None
    header, last = lines[0].split("\t"), lines[-1].split("\t")
    if len(last) != len(header):
        return None
    row = dict(zip(header, last))
    try:
        for name in NUMBERS:
            if name in row:
                row[name] = None if row[name].strip() in NA else float(row[name])
    except ValueError:
        return None
    return row


def benchmark_timings(root: str | os.PathLike, start: dt.date, end: dt.date) -> list[dict]:
    """Per rule: jobs, total / mean wall seconds, slowest chunk, peak memory, CPU seconds."""
    root = Path(root)
    per_group: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
    for path in sorted(root.rglob("*.tsv")) if root.is_dir() else []:
        group, chunk, phase = _benchmark_group(path.relative_to(root))
        if not _in_range(chunk, start, end):
            continue
        row = _last_row(path)
        if row is None or row.get("s") is None:
            continue
        per_group[(phase, group)].append((chunk, row))
    out = []
    for (phase, group), jobs in per_group.items():
        seconds = [j["s"] for _, j in jobs]
        slow_chunk, slow = max(jobs, key=lambda j: (j[1]["s"], j[0]))
        rss = [j["max_rss"] for _, j in jobs if j.get("max_rss") is not None]
        cpu = [j["cpu_time"] for _, j in jobs if j.get("cpu_time") is not None]
        out.append({"phase": phase, "rule": group, "jobs": len(jobs), "total": sum(seconds),
                    "mean": sum(seconds) / len(seconds), "slowest": slow_chunk or "(one job)",
                    "slowest_seconds": float(slow["s"]), "max_rss": max(rss) if rss else None,
                    "cpu": sum(cpu) if cpu else None})
    phase_rank = {f"Phase {p}": p for p in GATED_PHASES} | {PHASE_LABELS["raw"]: 0}
    return sorted(out, key=lambda r: (phase_rank.get(r["phase"], 9), r["rule"]))
