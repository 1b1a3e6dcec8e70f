"""Run history: one row per job in nba_reference.processor_run_history (best-effort)."""
from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import socket
from dataclasses import dataclass, field

import pyarrow as pa

from nbaprops.contracts import load_contract
from nbaprops.warehouse.schema import arrow_schema

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
        return pa.Table.from_pylist([{
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
        }], schema=arrow_schema(load_contract(TABLE)))


def record(warehouse, run: RunRecord, status: str, rows: int | None = None,
           errors: list | None = None, summary: dict | None = None) -> None:
    """Append the job's row; a failure here is logged and never fails the job."""
    try:
        warehouse.append(load_contract(TABLE), run.row(status, rows, warehouse.backend, errors, summary))
    except Exception as exc:  # noqa: BLE001 - the audit log must never break a load
        log.warning("could not write run history for %s: %s", run.processor, exc)
