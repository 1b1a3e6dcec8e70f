"""Helpers for tests: a throw-away DuckDB warehouse loaded from small hand-made frames."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Mapping

import pandas as pd

from nbaprops.contracts import load_contract
from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse


def with_all_columns(table: str, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` plus every contract column it lacks (as NULL), in contract order."""
    contract = load_contract(table)
    out = rows.copy()
    for col in contract.column_names:
        if col not in out.columns:
            out[col] = None
    return out[contract.column_names]


def fixture_warehouse(root: str | Path, tables: Mapping[str, pd.DataFrame]) -> DuckDBWarehouse:
    """A DuckDB warehouse under ``root`` holding exactly ``tables`` (missing columns NULL)."""
    wh = DuckDBWarehouse(root)
    for table, rows in tables.items():
        contract = load_contract(table)
        full = with_all_columns(table, rows)
        dates = pd.to_datetime(full[contract.date_column]).dt.date
        if len(full):
            wh.replace_range(contract, min(dates), max(dates), full)
        else:
            wh.ensure_table(contract)
    return wh


def run_table_sql(wh: DuckDBWarehouse, table: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Run ``sql/<dataset>/<table>.sql`` for [start, end], ordered by the primary key."""
    contract = load_contract(table)
    out = wh.query(contract.sql(), {"start_date": start, "end_date": end})
    return out.sort_values(list(contract.primary_key)).reset_index(drop=True)
