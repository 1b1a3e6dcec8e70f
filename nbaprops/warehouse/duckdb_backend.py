"""Embedded warehouse: DuckDB over local Parquet, safe for parallel Snakemake jobs.

A DuckDB database file admits one writer process, so tables are not stored in one. Each table is
a folder of Parquet files plus ``_manifest.json`` naming the files that make up the table (each
with the date range it covers). A write:

1. writes its rows to a new Parquet file nobody references yet (a killed job leaves only an
   orphan file, never partial table data);
2. under the table's file lock, rewrites the manifest so the new file replaces every file (or the
   part of a file) inside its date range, and swaps it in with ``os.replace`` — the commit point;
3. deletes files no manifest has named for an hour (readers may still scan a just-dropped file;
   a killed writer's orphan file is never named at all).

Readers open an in-memory DuckDB connection with one view per table over the files its manifest
names at that moment, so they always see whole commits. Parallel writers to different tables
never contend; writers to the same table serialise only on the tiny manifest update.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas costs ~0.3 s to import; jobs that never build a DataFrame skip it
    import pandas as pd

import datetime as dt
import fcntl
import json
import os
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Mapping

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nbaprops import sqlrender
from nbaprops.contracts import ContractError, TableContract, load_contract
from nbaprops.warehouse.schema import check_in_range, conform, date_bounds, duckdb_type

MANIFEST = "_manifest.json"
GRACE_SECONDS = 3600  # an unreferenced file this old belongs to no running writer or reader


def _sql_literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class DuckDBWarehouse:
    backend = "duckdb"

    def __init__(self, root: str | os.PathLike, threads: int | None = None):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._threads = threads
        self._con: duckdb.DuckDBPyConnection | None = None
        self._viewed: set[str] = set()  # tables with a view on the current connection

    # ---------------------------------------------------------------- reading
    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = duckdb.connect(":memory:")
            self._con.execute("SET TimeZone = 'UTC'")
            if self._threads:
                self._con.execute(f"SET threads = {int(self._threads)}")
            self._viewed = set()
        return self._con

    def _table_dir(self, table: str) -> Path:
        dataset, _, name = table.partition(".")
        return self.root / dataset / name

    def _read_manifest(self, table: str) -> list[dict]:
        path = self._table_dir(table) / MANIFEST
        if not path.exists():
            return []
        return json.loads(path.read_text())["files"]

    def _define_views(self, tables) -> None:
        """Views for the tables a statement reads, defined on first use: binding a view reads
        its files' footers, so a job pays only for the tables it touches."""
        for table in tables:
            if table not in self._viewed:
                self._define_view(table)

    def _define_view(self, table: str, contract: TableContract | None = None) -> None:
        con = self.con
        dataset, _, name = table.partition(".")
        con.execute(f'CREATE SCHEMA IF NOT EXISTS "{dataset}"')
        files = [self._table_dir(table) / f["file"] for f in self._read_manifest(table)]
        if files:
            listing = ", ".join(_sql_literal(f) for f in files)
            body = f"SELECT * FROM read_parquet([{listing}], union_by_name = true)"
        else:
            try:
                contract = contract or load_contract(table)
            except ContractError:
                return  # unknown table: DuckDB will say so when the statement runs
            cols = ", ".join(f'CAST(NULL AS {duckdb_type(c.type)}) AS "{c.name}"' for c in contract.columns)
            body = f"SELECT {cols} WHERE false"
        con.execute(f'CREATE OR REPLACE VIEW "{dataset}"."{name}" AS {body}')
        self._viewed.add(table)

    def _run(self, sql: str, params: Mapping[str, object] | None) -> duckdb.DuckDBPyRelation:
        self._define_views(sqlrender.referenced_tables(sql))
        return self.con.sql(sqlrender.to_duckdb(sql, params))

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        return self._run(sql, params).df()

    def query_arrow(self, sql: str, params: Mapping[str, object] | None = None) -> pa.Table:
        return self._run(sql, params).to_arrow_table()

    def dates_present(self, contract: TableContract, start: dt.date, end: dt.date) -> list[dt.date]:
        col = contract.date_column
        self._define_views([contract.table])
        rows = self.con.execute(
            f'SELECT DISTINCT "{col}" FROM {contract.table} WHERE "{col}" BETWEEN ? AND ? ORDER BY 1',
            [start, end],
        ).fetchall()
        return [r[0] for r in rows]

    # ---------------------------------------------------------------- writing
    def ensure_table(self, contract: TableContract) -> None:
        self._table_dir(contract.table).mkdir(parents=True, exist_ok=True)
        self._refresh_view(contract)

    def _refresh_view(self, contract: TableContract) -> None:
        """Point this connection's view at the table's current files (others see them on connect)."""
        self._define_view(contract.table, contract)

    @contextmanager
    def _locked(self, table: str):
        folder = self._table_dir(table)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield folder
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write_file(self, folder: Path, data: pa.Table, start: dt.date, end: dt.date) -> dict:
        name = f"{start.isoformat()}_{end.isoformat()}-{uuid.uuid4().hex[:8]}.parquet"
        tmp = folder / f".tmp-{name}"
        pq.write_table(data, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, folder / name)
        return {"file": name, "start": start.isoformat(), "end": end.isoformat(), "rows": data.num_rows}

    def _commit(self, folder: Path, files: list[dict]) -> None:
        tmp = folder / f".{MANIFEST}.{uuid.uuid4().hex[:8]}"
        tmp.write_text(json.dumps({"files": files, "committed_at": time.time()}, indent=1))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, folder / MANIFEST)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _collect_garbage(self, folder: Path, keep: list[dict], dropped: list[str]) -> None:
        """Delete files no manifest has named for GRACE_SECONDS. A dropped file is not deleted at
        once: a reader that listed it a moment before the commit may still be scanning it."""
        referenced = {f["file"] for f in keep}
        now = time.time()
        for name in dropped:
            if name not in referenced and (folder / name).exists():
                os.utime(folder / name, (now, now))  # the grace period starts now
        for path in [*folder.glob("*.parquet"), *folder.glob(".tmp-*")]:
            try:
                stale = now - path.stat().st_mtime > GRACE_SECONDS
            except FileNotFoundError:  # another writer renamed its temp file meanwhile
                continue
            if stale and path.name not in referenced:
                path.unlink(missing_ok=True)

    def replace_range(self, contract: TableContract, start: dt.date, end: dt.date,
                      rows: pd.DataFrame | pa.Table | None = None, *, select_sql: str | None = None,
                      params: Mapping[str, object] | None = None) -> int:
        if (rows is None) == (select_sql is None):
            raise ValueError("replace_range needs exactly one of rows or select_sql")
        if select_sql is not None:
            rows = self.query_arrow(select_sql, params)
        data = conform(contract, rows)
        check_in_range(contract, data, start, end)
        folder = self._table_dir(contract.table)
        folder.mkdir(parents=True, exist_ok=True)
        new_entry = self._write_file(folder, data, start, end) if data.num_rows else None
        with self._locked(contract.table):
            keep, dropped = [], []
            for entry in self._read_manifest(contract.table):
                f_start, f_end = dt.date.fromisoformat(entry["start"]), dt.date.fromisoformat(entry["end"])
                if f_end < start or f_start > end:
                    keep.append(entry)
                    continue
                dropped.append(entry["file"])
                if f_start < start or f_end > end:  # partly outside: keep its rows outside the range
                    keep.extend(self._split_outside(contract, folder, entry, start, end))
            if new_entry:
                keep.append(new_entry)
            keep.sort(key=lambda e: (e["start"], e["file"]))
            self._commit(folder, keep)
            self._collect_garbage(folder, keep, dropped)
        self._refresh_view(contract)
        return data.num_rows

    def _split_outside(self, contract: TableContract, folder: Path, entry: dict,
                       start: dt.date, end: dt.date) -> list[dict]:
        data = pq.read_table(folder / entry["file"])
        dates = data.column(contract.date_column)
        pieces = []
        for mask in (pc.less(dates, pa.scalar(start, pa.date32())), pc.greater(dates, pa.scalar(end, pa.date32()))):
            part = data.filter(mask)
            if part.num_rows:
                lo, hi = date_bounds(contract, part)
                pieces.append(self._write_file(folder, part, lo, hi))
        return pieces

    def append(self, contract: TableContract, rows: pd.DataFrame | pa.Table) -> int:
        data = conform(contract, rows)
        bounds = date_bounds(contract, data)
        if bounds is None:
            return 0
        folder = self._table_dir(contract.table)
        folder.mkdir(parents=True, exist_ok=True)
        entry = self._write_file(folder, data, *bounds)
        entry["append"] = True
        with self._locked(contract.table):
            files = self._read_manifest(contract.table) + [entry]
            self._commit(folder, files)
        self._refresh_view(contract)
        return data.num_rows

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
