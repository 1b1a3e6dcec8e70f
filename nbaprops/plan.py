"""The chunk plan: which game dates exist in the configured range and how they form jobs.

Game dates come from the schedule of the configured raw source. The Snakefile calls this while
Snakemake parses the workflow, so it must be cheap: the demo league's calendar is a pure function
of its seed, a `files` source reads only the schedule file, a `bigquery` source runs one query.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from nbaprops.config import start_end
from nbaprops.seasons import season_year


@dataclass(frozen=True)
class Chunk:
    """A run of consecutive game dates of one season processed by one job per table."""

    dates: tuple[dt.date, ...]

    @property
    def start(self) -> dt.date:
        return self.dates[0]

    @property
    def end(self) -> dt.date:
        return self.dates[-1]

    @property
    def id(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def season(self) -> int:
        return season_year(self.start)


def _group_key(day: dt.date, unit: str) -> tuple:
    season = season_year(day)
    if unit == "day":
        return (day,)
    if unit == "week":
        iso = day.isocalendar()
        return (season, iso.year, iso.week)
    if unit == "month":
        return (season, day.year, day.month)
    if unit == "season":
        return (season,)
    raise ValueError(f"unknown chunk unit {unit!r}")


def group_dates(dates: Iterable[dt.date], unit: str) -> list[Chunk]:
    groups: dict[tuple, list[dt.date]] = {}
    for day in sorted(set(dates)):
        groups.setdefault(_group_key(day, unit), []).append(day)
    return [Chunk(tuple(days)) for days in groups.values()]


def _schedule_file(folder: Path) -> Path:
    for suffix in (".parquet", ".csv"):
        path = folder / f"nbac_schedule{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"{folder}: no nbac_schedule.parquet or nbac_schedule.csv (the schedule is required)")


def _final_dates_from_frame(frame, start: dt.date, end: dt.date) -> list[dt.date]:
    import pandas as pd

    final = frame[frame["game_status"].astype("Int64") == 3]
    dates = pd.to_datetime(final["game_date"]).dt.date
    return sorted({d for d in dates if start <= d <= end})


def game_dates(config: Mapping) -> list[dt.date]:
    """Dates in [start_date, end_date] with at least one final game, per the raw source."""
    start, end = start_end(config)
    source = config["raw"]["source"]
    if source == "demo":
        from nbaprops.demo import calendar

        return calendar.game_dates(start, end, seed=config["raw"]["seed"])
    if source == "files":
        import pandas as pd

        path = _schedule_file(Path(config["raw"]["path"]))
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
        return _final_dates_from_frame(frame, start, end)
    if source == "bigquery":
        from nbaprops.warehouse import open_warehouse

        wh = open_warehouse(config)
        frame = wh.query(
            "select distinct game_date from nba_raw.nbac_schedule "
            "where game_date between @start_date and @end_date and game_status = 3",
            {"start_date": start, "end_date": end},
        )
        frame["game_status"] = 3
        return _final_dates_from_frame(frame, start, end)
    raise ValueError(f"unknown raw source {source!r}")


def chunks(config: Mapping) -> list[Chunk]:
    return group_dates(game_dates(config), config["chunk"])


def overlapping(plan: Sequence[Chunk], start: dt.date, end: dt.date) -> list[Chunk]:
    """Chunks holding any date in [start, end] (the history a job reads)."""
    return [c for c in plan if c.end >= start and c.start <= end]
