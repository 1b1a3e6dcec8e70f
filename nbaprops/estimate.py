"""Cost guard: what a backfill would do, before anything runs.

    nbaprops estimate --start-date 2021-10-19 --end-date 2026-01-03 [--format text|json]

For every table the workflow builds it counts the jobs (one per chunk, as the workflow plans
them) and, on BigQuery, dry-runs each chunk's SELECT with that chunk's @start_date/@end_date: a dry
run is free, validates the SQL and reports the bytes the query would scan (bigquery-practice D.4).
Tables built in Python (model predictions) read through small queries a dry run cannot see in
advance: their bytes show as n/a.
Chunks whose bytes exceed ``bigquery.maximum_bytes_billed`` are flagged: they would fail. On
DuckDB there is nothing to bill, so only the jobs are counted.

Before dry-running, every table is ensured (created empty if missing, as the first job of a run
would): a dry run refuses SQL that reads a table that does not exist. Tables a backfill has yet to
fill scan 0 bytes in the estimate, so on a first backfill it counts the raw reads only.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Mapping

from nbaprops import plan
from nbaprops.contracts import all_contracts, load_contract


@dataclasses.dataclass
class TableEstimate:
    table: str
    jobs: int
    bytes: int | None = None  # None: not applicable (DuckDB)
    over_limit: list[str] = dataclasses.field(default_factory=list)  # chunk ids over the bytes cap


@dataclasses.dataclass
class BackfillEstimate:
    backend: str
    start: dt.date
    end: dt.date
    chunk_unit: str
    chunks: int
    maximum_bytes_billed: int | None
    tables: list[TableEstimate]

    @property
    def jobs(self) -> int:
        return sum(t.jobs for t in self.tables)

    @property
    def bytes(self) -> int | None:
        if self.backend != "bigquery":
            return None
        return sum(t.bytes or 0 for t in self.tables)

    def as_dict(self) -> dict:
        return {**dataclasses.asdict(self), "start": self.start.isoformat(), "end": self.end.isoformat(),
                "jobs": self.jobs, "bytes": self.bytes}


def built_tables() -> list[str]:
    """Tables the workflow builds chunk by chunk, phase by phase."""
    from nbaprops.catalogue import PHASE_TABLES

    return [t for phase in sorted(PHASE_TABLES) for t in PHASE_TABLES[phase]]


def _runs_sql(table: str) -> bool:
    contract = load_contract(table)
    return contract.has_sql and not contract.builder


def estimate_backfill(config: Mapping, start: dt.date | None = None, end: dt.date | None = None) -> BackfillEstimate:
    """Jobs per table for [start, end] (default: the config's range) and, on BigQuery, the bytes
    every chunk's query would scan, from dry runs. Runs no query that reads or writes data."""
    from nbaprops.config import ConfigError, start_end
    from nbaprops.warehouse import open_warehouse

    config_start, config_end = start_end(config)
    start, end = start or config_start, end or config_end
    if start > end:
        raise ConfigError(f"--start-date {start} is after --end-date {end}")
    ranged = {**config, "start_date": start.isoformat(), "end_date": end.isoformat()}
    chunks = plan.chunks(ranged)
    backend = config.get("backend", "duckdb")
    cap = (config.get("bigquery") or {}).get("maximum_bytes_billed") if backend == "bigquery" else None
    raw = TableEstimate("raw load (every nba_raw table)", jobs=1, bytes=0 if backend == "bigquery" else None)
    tables = [raw]
    wh = open_warehouse(config) if backend == "bigquery" else None
    try:
        if wh is not None:
            for contract in all_contracts():
                wh.ensure_table(contract)
        for table in built_tables():
            estimate = TableEstimate(table, jobs=len(chunks))
            if wh is not None and _runs_sql(table):
                contract = load_contract(table)
                estimate.bytes = 0
                for chunk in chunks:
                    scanned = wh.estimate_bytes(contract.sql(), {"start_date": chunk.start, "end_date": chunk.end})
                    estimate.bytes += scanned
                    if cap is not None and scanned > cap:
                        estimate.over_limit.append(chunk.id)
            tables.append(estimate)
    finally:
        if wh is not None:
            wh.close()
    return BackfillEstimate(backend, start, end, config["chunk"], len(chunks), cap, tables)


def human_bytes(n: int | None) -> str:
    if n is None:
        return "n/a"
    units = ("B", "KiB", "MiB", "GiB", "TiB")
    power = min(len(units) - 1, max(0, (n.bit_length() - 1) // 10))
    return f"{n} B" if power == 0 else f"{n / 1024 ** power:.1f} {units[power]}"


def format_estimate(estimate: BackfillEstimate) -> str:
    heading = "bytes (dry run)" if estimate.backend == "bigquery" else "bytes"
    width = max(len(t.table) for t in estimate.tables) + 2
    lines = [f"Backfill {estimate.start} .. {estimate.end} on {estimate.backend}: {estimate.chunks} "
             f"{estimate.chunk_unit} chunks, {estimate.jobs} jobs",
             f"{'table':<{width}}{'jobs':>6}  {heading}"]
    for t in estimate.tables:
        flag = f"  !! {len(t.over_limit)} chunk(s) over maximum_bytes_billed" if t.over_limit else ""
        lines.append(f"{t.table:<{width}}{t.jobs:>6}  {human_bytes(t.bytes)}{flag}")
    lines.append(f"{'total':<{width}}{estimate.jobs:>6}  {human_bytes(estimate.bytes)}")
    if estimate.backend != "bigquery":
        lines.append("DuckDB bills nothing: only jobs are counted (set backend: bigquery for a byte estimate).")
    elif estimate.maximum_bytes_billed:
        lines.append(f"Each job is capped at maximum_bytes_billed = {human_bytes(estimate.maximum_bytes_billed)}; "
                     f"tables still empty scan 0 bytes here.")
    return "\n".join(lines)


def run(config: Mapping, start: dt.date | None = None, end: dt.date | None = None, fmt: str = "text") -> int:
    """Print the estimate (``fmt``: text or json). Exit status 1 if a chunk would exceed the cap."""
    estimate = estimate_backfill(config, start, end)
    if fmt == "json":
        print(json.dumps(estimate.as_dict(), indent=1))
    else:
        print(format_estimate(estimate))
    return 1 if any(t.over_limit for t in estimate.tables) else 0
