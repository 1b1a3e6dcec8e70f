"""Raw sources: where the nba_raw contract's rows come from (demo league, files, BigQuery).

Every source yields the same tables (``RAW_TABLES``) in the same contracts, so nothing after
the raw stage knows or cares which source was used.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping

import pandas as pd

from nbaprops.contracts import all_contracts

REFERENCE_TABLES = ("nba_reference.nba_players_registry", "nba_reference.player_aliases",
                    "nba_static.travel_distances")
DEMO_ONLY_TABLES = ("nba_demo.oracle_player_points",)


def raw_tables() -> list[str]:
    """Tables the raw stage provides for every source."""
    return [c.table for c in all_contracts("nba_raw")] + list(REFERENCE_TABLES)


def tables_for_source(source: str) -> list[str]:
    return raw_tables() + (list(DEMO_ONLY_TABLES) if source == "demo" else [])


def read_source(config: Mapping, start: dt.date, end: dt.date) -> dict[str, pd.DataFrame] | None:
    """Rows of every raw table for the seasons touching [start, end]; None when the source is
    the warehouse itself (an existing BigQuery nba_raw dataset)."""
    source = config["raw"]["source"]
    if source == "demo":
        from nbaprops.demo.generate import generate

        return generate(start, end, seed=config["raw"]["seed"])
    if source == "files":
        from nbaprops.raw.files import read_raw_folder

        return read_raw_folder(config["raw"]["path"], start, end)
    if source == "bigquery":
        return None
    raise ValueError(f"unknown raw source {source!r}")
