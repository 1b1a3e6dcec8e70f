"""Run history: one row per job in nba_reference.processor_run_history (best-effort)."""
from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import socket
from dataclasses import dataclass, field

import pyarrow as pa

from nbaprops.contracts import TableContract, load_contract
from nbaprops.warehouse.schema import arrow_schema, duckdb_type

log = logging.getLogger(__name__)
TABLE = "nba_reference.processor_run_history"


def new_run_id(processor: str) -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d_%H%M%S")
    return f"{processor}_{stamp}_{secrets.token_hex(4)}"


@dataclass
class RunRecord:
    processor: str
    phase: str
    start: dt.date
    end: dt.date
    chunk_id: str | None = None
    run_id: str = ""
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    def __post_init__(self):
        self.run_id = self.run_id or new_run_id(self.processor)

    def row(self, status: str, rows: int | None, backend: str, errors: list | None = None,
            summary: dict | None = None) -> pa.Table:
        now = dt.datetime.now(dt.timezone.utc)
        dataset, _, table = self.processor.partition(".")
        return arrow_row(load_contract(TABLE), {
            "processor_name": self.processor,
            "run_id": self.run_id,
            "phase": self.phase,
            "data_date": self.end,
            "date_range_start": self.start,
            "date_range_end": self.end,
            "chunk_id": self.chunk_id,
            "status": status,
            "started_at": self.started_at,
            "processed_at": now,
            "duration_seconds": (now - self.started_at).total_seconds(),
            "records_processed": rows,
            "output_table": self.processor,
            "output_dataset": dataset if table else None,
            "backend": backend,
            "backfill_mode": True,
            "execution_host": socket.gethostname(),
            "errors": json.dumps(errors or []),
            "summary": json.dumps(summary or {}, default=str),
        })


def arrow_row(contract: TableContract, values: dict) -> pa.Table:
    """One row of ``contract``'s table as Arrow, built by an in-memory DuckDB: pyarrow's own
    conversion of Python values imports pandas to rule out pandas objects, ~0.35 s of every job
    that writes nothing else through it."""
    import duckdb

    columns = ", ".join(f'${c.name}::{duckdb_type(c.type)} AS "{c.name}"' for c in contract.columns)
    with duckdb.connect() as con:
        table = con.sql(f"SELECT {columns}", params={c.name: values.get(c.name) for c in contract.columns})
        return table.to_arrow_table().cast(arrow_schema(contract))


def record(warehouse, run: RunRecord, status: str, rows: int | None = None,
           errors: list | None = None, summary: dict | None = None) -> None:
    """Append the job's row; a failure here is logged and never fails the job."""
    try:
        warehouse.append(load_contract(TABLE), run.row(status, rows, warehouse.backend, errors, summary))
    except Exception as exc:  # noqa: BLE001 - the audit log must never break a load
        log.warning("could not write run history for %s: %s", run.processor, exc)
