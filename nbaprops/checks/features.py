"""Feature health per season: silently constant (D9) versus declared unavailable (D13).

A contract's ``health`` entries say which columns must vary within a season and how many NULLs
they may hold. An entry may name the optional (T3) raw ``source`` the column is built from; on
the dates whose season has no data from that source yet (``nba_staging.season_calendar``'s
``has_<source>``), the column holds its documented default, the row's ``feature_sources`` label
says ``unavailable``, and the season is reported as a degraded feature: a warning, not a gate
failure. A column constant although its source has data still fails (D9).

:func:`season_health` measures; the Phase 4 gate turns it into pass/fail, and
:func:`degraded_features` into the findings the gate report, ``nbaprops status`` and the HTML
report show.
"""
from __future__ import annotations

from typing import Mapping

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from nbaprops.contracts import OPTIONAL_SOURCES, ColumnHealth, TableContract, load_contract
from nbaprops.findings import Finding

UNAVAILABLE = "unavailable"  # the feature_sources label of a feature whose optional source is absent
# A season needs this many dates in range before a single value means "stuck": early in a season
# some features legitimately sit at their default (e.g. minutes_change needs weeks of games).
MIN_DATES_FOR_CONSTANT = 30
# Tables whose health entries name optional sources (the feature store; Phase 5 reads its features).
FEATURE_TABLES = ("nba_predictions.ml_feature_store_v2",)


@dataclass(frozen=True)
class SeasonHealth:
    """One health column in one season of a range. ``available_*`` count the rows (and dates)
    whose season has the column's source so far (all rows for a column without a source)."""

    table: str
    health: ColumnHealth
    season: int | None  # None: dates missing from nba_staging.season_calendar
    rows: int
    null_rows: int
    available_rows: int
    available_dates: int
    available_values: int  # distinct non-NULL values on the available rows

    @property
    def unavailable_rows(self) -> int:
        return self.rows - self.available_rows

    @property
    def stuck(self) -> bool:
        """D9: declared not constant, one value over enough dates that had its source."""
        return (self.health.not_constant and self.available_dates >= MIN_DATES_FOR_CONSTANT
                and self.available_values <= 1)

    @property
    def null_rate(self) -> float:
        return self.null_rows / self.rows if self.rows else 0.0

    @property
    def degraded(self) -> bool:
        """D13: some rows of the season had no data from the column's optional source."""
        return self.health.source is not None and self.unavailable_rows > 0


def _available(h: ColumnHealth) -> str:
    return f"season_calendar.has_{h.source}" if h.source else "true"


def season_health(wh, contract: TableContract, start: dt.date, end: dt.date) -> list[SeasonHealth]:
    """Every health column of ``contract`` per season of [start, end] (seasons from the schedule,
    through nba_staging.season_calendar)."""
    if not contract.health:
        return []
    col = f"checked.{contract.date_column}"
    parts = []
    for i, h in enumerate(contract.health):
        available = f"ifnull({_available(h)}, true)"
        parts.append(
            f"countif(checked.{h.column} is null) as null_{i}, countif({available}) as rows_{i}, "
            f"count(distinct if({available}, {col}, null)) as dates_{i}, "
            f"count(distinct if({available}, checked.{h.column}, null)) as values_{i}")
    frame = wh.query(
        f"select season_calendar.season_year as season, count(*) as row_count, {', '.join(parts)} "
        f"from {contract.table} as checked "
        f"left join nba_staging.season_calendar as season_calendar on season_calendar.game_date = {col} "
        f"where {col} between @start_date and @end_date group by 1 order by 1",
        {"start_date": start, "end_date": end})
    out = []
    for row in frame.to_dict("records"):
        season = None if pd.isna(row["season"]) else int(row["season"])
        for i, h in enumerate(contract.health):
            out.append(SeasonHealth(contract.table, h, season, int(row["row_count"]), int(row[f"null_{i}"]),
                                    int(row[f"rows_{i}"]), int(row[f"dates_{i}"]), int(row[f"values_{i}"])))
    return out


def degraded_finding(s: SeasonHealth) -> Finding:
    """The warning for a feature whose optional source had no data on some rows of a season."""
    source, raw = s.health.source, OPTIONAL_SOURCES[s.health.source]
    share = "every row" if s.available_rows == 0 else f"{s.unavailable_rows:,} of {s.rows:,} rows"
    return Finding(
        kind="degraded_feature", severity="warning", table=s.table, count=s.unavailable_rows,
        message=(f"{s.health.column} unavailable: no {source} in season {s.season} ({share}; "
                 f"{raw} has no data for the season before those dates), so the feature holds its "
                 f"documented default there and its feature_sources label is '{UNAVAILABLE}'. "
                 f"Add {raw} for season {s.season} to the raw source to use it."),
        examples=[f"{s.health.column} season {s.season}"])


def degraded_features(wh, start: dt.date, end: dt.date, options: Mapping | None = None, *,
                      tables: tuple[str, ...] = FEATURE_TABLES) -> list[Finding]:
    """One ``degraded_feature`` warning per feature and season of [start, end] whose optional
    source is absent (D13), for the gate report, ``nbaprops status`` and the HTML report."""
    return [f for _, f in degraded_by_season(wh, start, end, tables=tables)]


def degraded_by_season(wh, start: dt.date, end: dt.date, options: Mapping | None = None, *,
                       tables: tuple[str, ...] = FEATURE_TABLES) -> list[tuple[int | None, Finding]]:
    """:func:`degraded_features` with each finding's season (an incremental gate re-checks the
    seasons that changed and carries the others forward)."""
    return [(s.season, degraded_finding(s)) for table in tables
            for s in season_health(wh, load_contract(table), start, end) if s.degraded]
