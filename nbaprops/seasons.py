"""Season arithmetic shared by every phase: season year, openers, the bootstrap window (D7)."""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping

BOOTSTRAP_DAYS = 14  # each season's first 14 days (from its opener) get no Phase 4/5 rows


def season_year(day: dt.date) -> int:
    """Starting year of the season a date belongs to (2024 = 2024-25): month >= 10 → that year."""
    return day.year if day.month >= 10 else day.year - 1


def season_year_sql(column: str) -> str:
    """``season_year`` as a BigQuery SQL expression over a DATE column (same rule as above)."""
    return f"if(extract(month from {column}) >= 10, extract(year from {column}), extract(year from {column}) - 1)"


def openers_from_dates(game_dates: Iterable[dt.date]) -> dict[int, dt.date]:
    """Each season's opener = its first game date in the schedule."""
    openers: dict[int, dt.date] = {}
    for day in game_dates:
        season = season_year(day)
        if season not in openers or day < openers[season]:
            openers[season] = day
    return openers


def is_bootstrap(day: dt.date, openers: Mapping[int, dt.date]) -> bool:
    """True on days 0..13 of the date's season, counted from the opener."""
    opener = openers.get(season_year(day))
    return opener is not None and 0 <= (day - opener).days < BOOTSTRAP_DAYS
