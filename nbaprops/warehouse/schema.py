"""Contract column types → Arrow / DuckDB types, and conforming rows to a contract."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas costs ~0.3 s to import; jobs that never build a DataFrame skip it
    import pandas as pd

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from nbaprops.contracts import TableContract
from nbaprops.warehouse.base import WarehouseError

_ARROW = {
    "STRING": pa.string(),
    "JSON": pa.string(),
    "INT64": pa.int64(),
    "FLOAT64": pa.float64(),
    "BOOL": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us", tz="UTC"),
}
_DUCKDB = {
    "STRING": "VARCHAR",
    "JSON": "VARCHAR",
    "INT64": "BIGINT",
    "FLOAT64": "DOUBLE",
    "BOOL": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMPTZ",
}


def element_type(type_: str) -> str | None:
    return type_[6:-1] if type_.startswith("ARRAY<") else None


def arrow_type(type_: str) -> pa.DataType:
    element = element_type(type_)
    return pa.list_(_ARROW[element]) if element else _ARROW[type_]


def duckdb_type(type_: str) -> str:
    element = element_type(type_)
    return f"{_DUCKDB[element]}[]" if element else _DUCKDB[type_]


def arrow_schema(contract: TableContract) -> pa.Schema:
    return pa.schema([pa.field(c.name, arrow_type(c.type)) for c in contract.columns])


def _to_arrow(rows: pd.DataFrame | pa.Table) -> pa.Table:
    if isinstance(rows, pa.Table):
        return rows
    return pa.Table.from_pandas(rows, preserve_index=False)


def _cast_column(array: pa.ChunkedArray, target: pa.DataType, where: str) -> pa.ChunkedArray:
    if array.type == target:
        return array
    if pa.types.is_timestamp(target) and pa.types.is_timestamp(array.type) and array.type.tz is None:
        array = pc.assume_timezone(array, "UTC")
    if pa.types.is_date32(target) and pa.types.is_timestamp(array.type):
        array = pc.cast(array, pa.timestamp("us", tz=array.type.tz)) if array.type.unit != "us" else array
    if array.null_count == len(array):  # empty or all-NULL: any source type will do
        return pa.chunked_array([pa.nulls(len(array), target)])
    try:
        return pc.cast(array, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise WarehouseError(f"{where}: cannot store {array.type} as {target}: {exc}") from exc


def conform(contract: TableContract, rows: pd.DataFrame | pa.Table) -> pa.Table:
    """Rows with exactly the contract's columns, in order and types; REQUIRED columns non-null."""
    table = _to_arrow(rows)
    have = set(table.column_names)
    missing = [c for c in contract.column_names if c not in have]
    extra = sorted(have - set(contract.column_names))
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing columns {missing}")
        if extra:
            parts.append(f"undeclared columns {extra}")
        raise WarehouseError(f"{contract.table}: rows do not match the contract ({'; '.join(parts)}); "
                             f"fix the SQL or {contract.path}")
    arrays = []
    for col in contract.columns:
        where = f"{contract.table}.{col.name}"
        array = _cast_column(table.column(col.name), arrow_type(col.type), where)
        if col.required and array.null_count:
            raise WarehouseError(f"{where} is REQUIRED but {array.null_count} of {len(array)} rows are NULL")
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=arrow_schema(contract))


def date_bounds(contract: TableContract, table: pa.Table) -> tuple[dt.date, dt.date] | None:
    if table.num_rows == 0:
        return None
    col = table.column(contract.date_column)
    lo, hi = pc.min(col).as_py(), pc.max(col).as_py()
    return lo, hi


def check_in_range(contract: TableContract, data: pa.Table, start: dt.date, end: dt.date) -> None:
    """Refuse rows dated outside the range being replaced (they would escape its delete)."""
    bounds = date_bounds(contract, data)
    if bounds and (bounds[0] < start or bounds[1] > end):
        raise WarehouseError(
            f"{contract.table}: rows dated {bounds[0]}..{bounds[1]} fall outside the range "
            f"{start}..{end} being replaced; the SQL must filter on @start_date/@end_date")
