"""Raw sources: where the nba_raw contract's rows come from (demo league, files, BigQuery).

Every source yields the same tables (``RAW_TABLES``) in the same contracts, so nothing after
the raw stage knows or cares which source was used.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:  # pandas costs ~0.3 s to import, and Snakemake imports this module on every parse
    import pandas as pd

from nbaprops.contracts import all_contracts

REFERENCE_TABLES = ("nba_reference.nba_players_registry", "nba_reference.player_aliases",
                    "nba_static.travel_distances")
# Raw tables that are not season-bound (dated once, e.g. valid_from): every load and every read
# takes them whole, and no season's load may treat their date as part of the season's span.
STATIC_TABLES = ("nba_static.travel_distances", "nba_reference.player_aliases")
DEMO_ONLY_TABLES = ("nba_demo.oracle_player_points",)


def raw_tables() -> list[str]:
    """Tables the raw stage provides for every source."""
    return [c.table for c in all_contracts("nba_raw")] + list(REFERENCE_TABLES)


def tables_for_source(source: str) -> list[str]:
    return raw_tables() + (list(DEMO_ONLY_TABLES) if source == "demo" else [])


def read_source(config: Mapping, start: dt.date, end: dt.date) -> dict[str, pd.DataFrame] | None:
    """Rows of every raw table for the seasons touching [start, end]; None when the source is
    the warehouse itself (an existing BigQuery nba_raw dataset)."""
    return read_source_with_report(config, start, end)[0]


def read_source_with_report(config: Mapping, start: dt.date, end: dt.date):
    """``read_source`` plus what became of the input: the ``files`` source's QuarantineReport
    (quarantined, dropped and corrected rows, findings), None for the other sources."""
    source = config["raw"]["source"]
    if source == "demo":
        from nbaprops.demo.generate import generate

        as_of = config["raw"].get("as_of")
        return generate(start, end, seed=config["raw"]["seed"],
                        as_of=dt.date.fromisoformat(as_of) if as_of else None), None
    if source == "files":
        from nbaprops.raw.files import read_raw_folder_with_report

        return read_raw_folder_with_report(config["raw"]["path"], start, end,
                                           bad_values=config["raw"].get("bad_values", "error"))
    if source == "bigquery":
        return None, None
    raise ValueError(f"unknown raw source {source!r}")
