"""The demo league's raw tables written as a ``files`` raw folder (``nbaprops demo export-files``).

One file per raw table (``nbac_schedule.csv`` / ``.parquet``, ...), in the raw contract, so the
``files`` source can be tried and tested without real data. The oracle is not exported (a real
folder has none). ``through`` keeps rows dated on or before a day, so days can "arrive": a later
export to the same folder rewrites each file with the newer days added, as a real feed would.
``as_of`` is the league on the morning of a date (config ``raw.as_of``, nbaprops/demo/as_of.py):
the folder a real feed holds on a game day, its games scheduled and their pre-tip rows only.
``omit`` leaves tables out (a real folder often lacks play-by-play, injury report, game lines).
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Iterable, Literal

import pandas as pd
import pyarrow.parquet as pq

from nbaprops.contracts import load_contract
from nbaprops.raw import STATIC_TABLES, raw_tables

Format = Literal["csv", "parquet"]


def table_names() -> dict[str, str]:
    """File name stem (``nbac_schedule``) → table (``nba_raw.nbac_schedule``) of every raw table."""
    return {table.split(".")[1]: table for table in raw_tables()}


def resolve_omitted(names: Iterable[str]) -> set[str]:
    """Tables named by stem or full name; an unknown name is a ValueError listing the known ones."""
    known = table_names()
    out = set()
    for name in (n.strip() for n in names):
        if not name:
            continue
        if name in known.values():
            out.add(name)
        elif name in known:
            out.add(known[name])
        else:
            raise ValueError(f"--omit {name!r} is not a raw table; use one of {', '.join(sorted(known))}")
    return out


def export_files(folder: str | Path, start: dt.date, end: dt.date, *, seed: int = 2021,
                 fmt: Format = "csv", through: dt.date | None = None,
                 omit: Iterable[str] = (), as_of: dt.date | None = None) -> dict[str, int]:
    """Write the demo league's raw tables for the seasons touching [start, end] (rows dated after
    ``through`` left out; with ``as_of``, as known on that date's morning) into ``folder``; returns rows written per table. Each file is replaced
    atomically; a file of an omitted table, or of the same table in the other format, is removed
    so the folder holds exactly this export."""
    from nbaprops.demo.generate import generate

    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be csv or parquet, not {fmt!r}")
    omitted = resolve_omitted(omit)
    out = Path(folder).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    frames = generate(start, end, seed=seed, as_of=as_of)
    written = {}
    for table in raw_tables():
        stem = table.split(".")[1]
        for suffix in ("csv", "parquet"):
            if table in omitted or suffix != fmt:
                (out / f"{stem}.{suffix}").unlink(missing_ok=True)
        if table in omitted:
            continue
        contract = load_contract(table)
        frame = frames[table]
        if through is not None and table not in STATIC_TABLES:
            frame = frame[pd.to_datetime(frame[contract.date_column]).dt.date <= through]
        _write(frame.reset_index(drop=True), contract, out / f"{stem}.{fmt}")
        written[table] = len(frame)
    return written


def _write(frame: pd.DataFrame, contract, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    if path.suffix == ".csv":
        _as_text(frame, contract).to_csv(partial, index=False)
    else:
        from nbaprops.warehouse import schema

        pq.write_table(schema.conform(contract, _typed(frame, contract)), partial)
    os.replace(partial, path)


def _typed(frame: pd.DataFrame, contract) -> pd.DataFrame:
    typed = frame[contract.column_names].copy()
    for col in contract.columns:
        if col.type == "DATE":
            typed[col.name] = pd.to_datetime(typed[col.name]).dt.date
    return typed


def _as_text(frame: pd.DataFrame, contract) -> pd.DataFrame:
    """Each column as the raw contract writes it in a CSV: dates YYYY-MM-DD, timestamps ISO-8601
    in UTC, booleans true/false, whole numbers without a decimal point, NULL as an empty cell."""
    text = {}
    for col in contract.columns:
        values = frame[col.name]
        null = values.isna()
        if col.type == "DATE":
            shown = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif col.type == "TIMESTAMP":
            shown = pd.to_datetime(values, utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif col.type == "BOOL":
            shown = values.map(lambda v: "true" if v else "false")
        elif col.type == "INT64":
            shown = values.astype("Int64").astype("str")
        elif col.type == "FLOAT64":
            shown = values.astype("float64").map(repr)
        else:
            shown = values.astype("str")
        text[col.name] = shown.where(~null, "")
    return pd.DataFrame(text)
