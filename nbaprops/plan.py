"""The chunk plan: which game dates exist in the configured range and how they form jobs.

Game dates come from the schedule of the configured raw source. The Snakefile calls this while
Snakemake parses the workflow, so it must be cheap: the demo league's calendar is a pure function
of its seed, a `files` source reads only the schedule file, a `bigquery` source runs one query.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from nbaprops.config import start_end
from nbaprops.seasons import season_year


@dataclass(frozen=True)
class Chunk:
    """A run of consecutive game dates of one season processed by one job per table."""

    dates: tuple[dt.date, ...]
    season: int  # the schedule's season of these dates

    @property
    def start(self) -> dt.date:
        return self.dates[0]

    @property
    def end(self) -> dt.date:
        return self.dates[-1]

    @property
    def id(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def _group_key(day: dt.date, season: int, unit: str) -> tuple:
    if unit == "day":
        return (season, day)
    if unit == "week":
        iso = day.isocalendar()
        return (season, iso.year, iso.week)
    if unit == "month":
        return (season, day.year, day.month)
    if unit == "season":
        return (season,)
    raise ValueError(f"unknown chunk unit {unit!r}")


def group_dates(dates: Iterable[dt.date], unit: str, seasons: Mapping[dt.date, int] | None = None) -> list[Chunk]:
    """Chunks of ``unit`` over ``dates``, never across seasons (``seasons`` maps a date to its
    season, as the schedule says; the month rule of ``season_year`` otherwise)."""
    groups: dict[tuple, list[dt.date]] = {}
    for day in sorted(set(dates)):
        season = seasons[day] if seasons else season_year(day)
        groups.setdefault(_group_key(day, season, unit), []).append(day)
    return [Chunk(tuple(days), key[0]) for key, days in groups.items()]


class PlanError(ValueError):
    """The configured range cannot be planned from the raw schedule; the message says why and
    what to do."""


def schedule_games(config: Mapping):
    """The raw schedule's games in [start_date, end_date] as they are in the source now:
    ``game_date`` (date), ``season_year``, ``game_status``, ``game_id`` (the source's) and
    ``game_key`` (YYYYMMDD_AWAY_HOME, decision D6)."""
    import pandas as pd

    start, end = start_end(config)
    source = config["raw"]["source"]
    if source == "demo":
        from nbaprops.demo import calendar

        # One row per game date (every game of a demo date shares its state): final before
        # raw.as_of, scheduled from as_of on (nbaprops/demo/as_of.py); all final without it.
        days = calendar.game_dates(start, end, seed=config["raw"]["seed"])
        as_of = config["raw"].get("as_of")
        as_of = dt.date.fromisoformat(as_of) if as_of else None
        status = [3 if as_of is None or d < as_of else 1 for d in days]
        return pd.DataFrame({"game_date": days, "season_year": [season_year(d) for d in days],
                             "game_status": pd.array(status, dtype="Int64"), "game_id": None,
                             "game_key": None})
    if source == "files":
        from nbaprops.raw.files import read_schedule

        frame = read_schedule(config["raw"]["path"])
    elif source == "bigquery":
        from nbaprops.warehouse import open_warehouse

        wh = open_warehouse(config)
        try:
            frame = wh.query(
                "select game_date, season_year, game_status, game_id, away_team_tricode, home_team_tricode "
                "from nba_raw.nbac_schedule where game_date between @start_date and @end_date",
                {"start_date": start, "end_date": end})
        finally:
            wh.close()
    else:
        raise ValueError(f"unknown raw source {source!r}")
    days = pd.to_datetime(frame["game_date"]).dt.date
    games = pd.DataFrame({
        "game_date": days, "season_year": frame["season_year"].astype("Int64"),
        "game_status": frame["game_status"].astype("Int64"), "game_id": frame["game_id"],
        "game_key": (pd.to_datetime(frame["game_date"]).dt.strftime("%Y%m%d") + "_"
                     + frame["away_team_tricode"] + "_" + frame["home_team_tricode"]),
    })
    return games[(games["game_date"] >= start) & (games["game_date"] <= end)].reset_index(drop=True)


def excluded_game_ids(config: Mapping) -> set[str]:
    """Games the user declared excluded (postponed, forfeited): ``excluded_games`` in the config,
    by the date-based key or the source's id."""
    return {str(g["game_id"]) for g in config.get("excluded_games") or []}


def final_game_dates(config: Mapping) -> dict[dt.date, int]:
    """Dates in range with final games, each with its season (the schedule's ``season_year``).

    Every game in range must be final: a range reaching dates whose games are not final (yet)
    would silently build less than asked, so it fails naming those dates. Games declared in
    ``excluded_games`` are left out."""
    games = schedule_games(config)
    excluded = excluded_game_ids(config)
    if excluded:
        games = games[~(games["game_key"].isin(excluded) | games["game_id"].astype(str).isin(excluded))]
    pending = games[games["game_status"] != 3]
    if len(pending):
        _refuse_pending(config, games, pending)
    return {d: int(s) for d, s in zip(games["game_date"], games["season_year"])}


def _refuse_pending(config: Mapping, games, pending) -> None:
    start, end = start_end(config)
    days = sorted(set(pending["game_date"]))
    final_before = sorted(d for d in set(games["game_date"]) if d < days[0])
    last_ok = final_before[-1].isoformat() if final_before else None
    shown = ", ".join(d.isoformat() for d in days[:8]) + (f" and {len(days) - 8} more" if len(days) > 8 else "")
    examples = ", ".join(str(k) for k in pending["game_key"].dropna().head(3))
    advice = (f"set end_date to {last_ok} (the last date before them whose games are all final)"
              if last_ok else "choose a range whose games are final")
    raise PlanError(
        f"the raw schedule has {len(pending)} game(s) in {start}..{end} that are not final, on "
        f"{len(days)} date(s): {shown} (e.g. {examples}); their box scores are not in the raw data "
        f"yet, so those dates cannot be built: {advice}, add the raw data of those dates, or declare "
        f"a postponed or forfeited game in the config's excluded_games with a reason")


def game_dates(config: Mapping) -> list[dt.date]:
    """Dates in [start_date, end_date] with at least one final game, per the raw source."""
    return sorted(final_game_dates(config))


def chunks(config: Mapping) -> list[Chunk]:
    seasons = final_game_dates(config)
    return group_dates(seasons, config["chunk"], seasons)


def overlapping(plan: Sequence[Chunk], start: dt.date, end: dt.date) -> list[Chunk]:
    """Chunks holding any date in [start, end] (the history a job reads)."""
    return [c for c in plan if c.end >= start and c.start <= end]
