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

Damage is never read as empty data. A table folder gets its (empty) manifest before its first data
file, so a folder holding Parquet files but no manifest has lost it; a manifest naming a missing
file, a manifest that is not JSON, a truncated or corrupt Parquet file all raise
:class:`DamagedTableError`, naming the table, the file and the ``--forcerun`` command that rebuilds
the chunks it held. A full disk fails with the path (``nbaprops.storage.files``), before the commit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas costs ~0.3 s to import; jobs that never build a DataFrame skip it
    import pandas as pd

import datetime as dt
import fcntl
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Mapping

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nbaprops import sqlcache
from nbaprops.catalogue import is_chunk_id, parse_chunk_id
from nbaprops.contracts import ContractError, TableContract, load_contract
from nbaprops.storage.files import no_space_error
from nbaprops.warehouse.base import Closing, WarehouseError
from nbaprops.warehouse.schema import check_in_range, conform, date_bounds, duckdb_type

MANIFEST = "_manifest.json"
GRACE_SECONDS = 3600  # an unreferenced file this old belongs to no running writer or reader


def _sql_literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class DamagedTableError(WarehouseError):
    """A table's manifest or one of its files is missing or corrupt; the message says how to rebuild it."""


def _raw_stage_tables() -> set[str]:
    """Tables the raw stage loads: their rows are rebuilt by re-loading raw seasons."""
    from nbaprops.raw import tables_for_source

    return set(tables_for_source("demo"))


_MEMORY = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)")


def check_memory_limit(value: str | None) -> str | None:
    """``duckdb.memory_limit`` of the config: a size such as '2GB', or None for DuckDB's default
    (80 % of the machine's memory per job)."""
    if value is None:
        return None
    if not isinstance(value, str) or not _MEMORY.fullmatch(value.strip()):
        raise WarehouseError(f"config 'duckdb.memory_limit' is {value!r}; give a size such as '2GB' (or null for "
                             "DuckDB's default, 80% of the memory per job)")
    return value.strip()


SPILL_PREFIX = "nbaprops-duckdb-"


def spill_folder() -> str:
    """A new spill folder named by this process's id, after removing those of processes that are
    gone: a job killed with kill -9 never reaches close(), and its spill files (gigabytes, for the
    largest jobs) would otherwise stay in the temporary folder."""
    root = Path(tempfile.gettempdir())
    for stale in root.glob(f"{SPILL_PREFIX}*-*"):
        pid = stale.name[len(SPILL_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{SPILL_PREFIX}{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _overlaps(span: tuple[dt.date, dt.date], start: dt.date, end: dt.date) -> bool:
    return span[0] <= end and span[1] >= start


def rebuild_command(markers_root: str | os.PathLike | None, table: str, start: str | None = None,
                    end: str | None = None) -> str:
    """The snakemake command re-running the jobs that wrote ``table``'s rows in [start, end]: the
    chunk markers overlapping that range, else every marker of the table (the raw stage's are not
    per chunk), else the table's rule."""
    dataset, _, name = table.partition(".")
    if table in _raw_stage_tables():  # loaded by the raw stage's season jobs, all raw tables at once
        seasons = sorted((Path(markers_root or "markers") / "raw").glob("[0-9]*.json"))
        return f"snakemake --cores 2 all --forcerun {' '.join(m.as_posix() for m in seasons) or 'raw'}"
    folder = Path(markers_root or "markers") / dataset / name
    markers = sorted(folder.glob("*.json")) if folder.is_dir() else []
    chunked = [m for m in markers if is_chunk_id(m.stem)]
    if chunked and start and end:
        lo, hi = dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end))
        chunked = [m for m in chunked if _overlaps(parse_chunk_id(m.stem), lo, hi)] or chunked
    targets = [m.as_posix() for m in (chunked or markers)] or [name]
    return f"snakemake --cores 2 all --forcerun {' '.join(targets)}"


class DuckDBWarehouse(Closing):
    backend = "duckdb"

    def __init__(self, root: str | os.PathLike, threads: int | None = None,
                 markers_root: str | os.PathLike | None = None, memory_limit: str | None = None):
        self.root = Path(root)
        self.markers_root = markers_root  # for the rebuild command of a damaged table
        self.root.mkdir(parents=True, exist_ok=True)
        self._threads = threads
        self._memory_limit = check_memory_limit(memory_limit)
        self._spill: str | None = None
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
            if self._memory_limit:
                # Beyond the limit DuckDB spills to disk: a per-process folder (two jobs' spill
                # files must not share names), removed on close.
                self._spill = spill_folder()
                self._con.execute(f"SET memory_limit = '{self._memory_limit}'")
                self._con.execute(f"SET temp_directory = '{self._spill}'")
            self._viewed = set()
        return self._con

    def _table_dir(self, table: str) -> Path:
        dataset, _, name = table.partition(".")
        return self.root / dataset / name

    def _damaged(self, table: str, what: str, entry: Mapping | None = None) -> DamagedTableError:
        command = rebuild_command(self.markers_root, table, entry and entry.get("start"), entry and entry.get("end"))
        return DamagedTableError(f"table {table}: {what}; its rows are not read as empty. Rebuild them with "
                                 f"`{command}`")

    def _lost_manifest(self, table: str, what: str) -> DamagedTableError:
        """Without a manifest nobody knows which files hold the table: rebuild it whole."""
        folder = self._table_dir(table)
        return DamagedTableError(f"table {table}: {what}; its rows are not read as empty. Move {folder} aside, "
                                 f"then rebuild every chunk with `{rebuild_command(self.markers_root, table)}`")

    def _read_manifest(self, table: str) -> list[dict]:
        folder = self._table_dir(table)
        path = folder / MANIFEST
        try:
            text = path.read_text()
        except FileNotFoundError:
            if folder.is_dir() and any(folder.glob("[!.]*.parquet")):
                raise self._lost_manifest(table, f"its manifest {path} is missing while {folder} holds Parquet "
                                                 f"files") from None
            return []  # never written
        try:
            files = json.loads(text)["files"]
        except (ValueError, KeyError, TypeError) as exc:
            raise self._lost_manifest(table, f"its manifest {path} is not a valid manifest ({exc})") from None
        return files

    def _check_files(self, table: str, entries: list[dict]) -> None:
        """Raise DamagedTableError naming the first listed file that is missing or unreadable."""
        folder = self._table_dir(table)
        for entry in entries:
            path = folder / entry["file"]
            if not path.is_file():
                raise self._damaged(table, f"its manifest names {path} (dates {entry['start']}..{entry['end']}), "
                                           f"which does not exist", entry)
        for entry in entries:
            path = folder / entry["file"]
            try:
                meta = pq.read_metadata(path)
            except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a damaged file
                raise self._damaged(table, f"its file {path} (dates {entry['start']}..{entry['end']}) is not "
                                           f"readable Parquet ({exc})", entry) from None
            if "rows" in entry and meta.num_rows != entry["rows"]:
                raise self._damaged(table, f"its file {path} holds {meta.num_rows} rows where the manifest "
                                           f"recorded {entry['rows']}", entry)

    def _damage_in(self, exc: Exception) -> DamagedTableError | None:
        """The damaged table file a DuckDB error names, if any (a corrupt page surfaces only when read)."""
        text = str(exc)
        root = str(self.root.resolve()), str(self.root)
        for path in re.findall(r"[^\s'\"]+\.parquet", text):
            if not path.startswith(root):
                continue
            file = Path(path)
            table = f"{file.parent.parent.name}.{file.parent.name}"
            entry = next((e for e in self._read_manifest(table) if e["file"] == file.name), None)
            return self._damaged(table, f"its file {file} is corrupt ({text.splitlines()[0][:200]})", entry)
        return None

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
        entries = self._read_manifest(table)
        files = [self._table_dir(table) / f["file"] for f in entries]
        if files:
            if not all(f.is_file() for f in files):
                self._check_files(table, entries)
            listing = ", ".join(_sql_literal(f) for f in files)
            body = f"SELECT * FROM read_parquet([{listing}], union_by_name = true)"
            try:
                con.execute(f'CREATE OR REPLACE VIEW "{dataset}"."{name}" AS {body}')
            except duckdb.Error:
                self._check_files(table, entries)  # names the damaged file, if one is
                raise
            self._viewed.add(table)
            return
        try:
            contract = contract or load_contract(table)
        except ContractError:
            return  # unknown table: DuckDB will say so when the statement runs
        cols = ", ".join(f'CAST(NULL AS {duckdb_type(c.type)}) AS "{c.name}"' for c in contract.columns)
        con.execute(f'CREATE OR REPLACE VIEW "{dataset}"."{name}" AS SELECT {cols} WHERE false')
        self._viewed.add(table)

    def _run(self, sql: str, params: Mapping[str, object] | None) -> duckdb.DuckDBPyRelation:
        text, tables = sqlcache.render(sql, params)  # rendered by sqlglot once per statement, then cached
        self._define_views(tables)
        return self.con.sql(text)

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        return self._fetch(sql, params, lambda rel: rel.df())

    def query_arrow(self, sql: str, params: Mapping[str, object] | None = None) -> pa.Table:
        return self._fetch(sql, params, lambda rel: rel.to_arrow_table())

    def _fetch(self, sql: str, params: Mapping[str, object] | None, fetch):
        """Run ``sql`` and fetch its result; a read hitting a damaged file says how to rebuild the table."""
        try:
            return fetch(self._run(sql, params))
        except duckdb.Error as exc:
            damage = self._damage_in(exc)
            if damage:
                raise damage from exc
            raise

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
        self._ensure_manifest(contract.table)
        self._refresh_view(contract)

    def _ensure_manifest(self, table: str) -> Path:
        """The table's folder, holding a manifest (empty at first) before any data file: a folder
        with Parquet files and no manifest then always means a lost manifest."""
        folder = self._table_dir(table)
        if not (folder / MANIFEST).exists():
            with self._locked(table):
                if not (folder / MANIFEST).exists() and not any(folder.glob("[!.]*.parquet")):
                    self._commit(folder, [])
        return folder

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
        try:
            pq.write_table(data, tmp, compression="zstd")
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, folder / name)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            full = no_space_error(exc, tmp, f"{data.num_rows} rows of {folder.parent.name}.{folder.name} for "
                                            f"{start}..{end}")
            if full:
                raise full from exc
            raise
        return {"file": name, "start": start.isoformat(), "end": end.isoformat(), "rows": data.num_rows}

    def _commit(self, folder: Path, files: list[dict]) -> None:
        tmp = folder / f".{MANIFEST}.{uuid.uuid4().hex[:8]}"
        try:
            with open(tmp, "w") as fh:
                fh.write(json.dumps({"files": files, "committed_at": time.time()}, indent=1))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, folder / MANIFEST)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            full = no_space_error(exc, tmp, f"the manifest of {folder.parent.name}.{folder.name}")
            if full:
                raise full from exc
            raise
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
        folder = self._ensure_manifest(contract.table)
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
        folder = self._ensure_manifest(contract.table)
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
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)
            self._spill = None
