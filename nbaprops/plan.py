"""The chunk plan: which game dates exist in the configured range and how they form jobs.

Game dates come from the schedule of the configured raw source. The Snakefile calls this while
Snakemake parses the workflow, so it must be cheap: the demo league's calendar is a pure function
of its seed, a `files` source reads only the schedule file, a `bigquery` source runs one query.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from nbaprops.config import start_end, today
from nbaprops.findings import Finding
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


UNITS = ("day", "week", "month", "season", "auto")


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
    raise ValueError(f"unknown chunk unit {unit!r}; allowed: {', '.join(UNITS)}")


def _auto_unit(day: dt.date, season: int, current: int, end: dt.date) -> str:
    """``chunk: auto`` (config/config.yaml says why): seasons before the current one (the season
    of the range's last date) in one chunk, the current season's months before end_date's month
    by month, end_date's month by day. A chunk's dates then stay fixed while end_date moves
    within a month: a daily run adds one day's chunk and changes no other chunk's id."""
    if season != current:
        return "season"
    return "month" if (day.year, day.month) < (end.year, end.month) else "day"


def group_dates(dates: Iterable[dt.date], unit: str, seasons: Mapping[dt.date, int] | None = None,
                end: dt.date | None = None) -> list[Chunk]:
    """Chunks of ``unit`` over ``dates``, never across seasons (``seasons`` maps a date to its
    season, as the schedule says; the month rule of ``season_year`` otherwise). ``auto`` groups
    relative to ``end`` (the configured end_date; the last date if None)."""
    days = sorted(set(dates))
    season_of = {d: seasons[d] if seasons else season_year(d) for d in days}
    current = season_of[days[-1]] if days else None
    end = end or (days[-1] if days else None)
    groups: dict[tuple, list[dt.date]] = {}
    for day in days:
        season = season_of[day]
        day_unit = _auto_unit(day, season, current, end) if unit == "auto" else unit
        groups.setdefault(_group_key(day, season, day_unit), []).append(day)
    return [Chunk(tuple(days), key[0]) for key, days in groups.items()]


class PlanError(ValueError):
    """The configured range cannot be planned from the raw schedule; the message says why and
    what to do."""


def schedule_games(config: Mapping):
    """The raw schedule's games in [start_date, end_date] as they are in the source now:
    ``game_date`` (date), ``season_year``, ``game_status``, ``game_id`` (the source's) and
    ``game_key`` (YYYYMMDD_AWAY_HOME, decision D6). An end_date past the schedule's last game is
    refused (``refuse_past_schedule``); the demo league's calendar has no last game."""
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
        last = frame["game_date"].max()
    elif source == "bigquery":
        from nbaprops.warehouse import open_warehouse

        wh = open_warehouse(config)
        try:
            frame = wh.query(
                "select game_date, season_year, game_status, game_id, away_team_tricode, home_team_tricode "
                "from nba_raw.nbac_schedule where game_date between @start_date and @end_date",
                {"start_date": start, "end_date": end})
            last = wh.query("select max(game_date) as last from nba_raw.nbac_schedule")["last"].iloc[0]
        finally:
            wh.close()
    else:
        raise ValueError(f"unknown raw source {source!r}")
    refuse_past_schedule(end, None if pd.isna(last) else pd.Timestamp(last).date())
    days = pd.to_datetime(frame["game_date"]).dt.date
    games = pd.DataFrame({
        "game_date": days, "season_year": frame["season_year"].astype("Int64"),
        "game_status": frame["game_status"].astype("Int64"), "game_id": frame["game_id"],
        "game_key": (pd.to_datetime(frame["game_date"]).dt.strftime("%Y%m%d") + "_"
                     + frame["away_team_tricode"] + "_" + frame["home_team_tricode"]),
    })
    return games[(games["game_date"] >= start) & (games["game_date"] <= end)].reset_index(drop=True)




def refuse_past_schedule(end: dt.date, last: dt.date | None) -> None:
    """An end_date past the raw schedule's last game would build less than asked without saying
    so (``end_date: today`` after the schedule ran out): refuse it. ``last`` None: no games."""
    if last is not None and end > last:
        raise PlanError(
            f"end_date {end} is past the last game of the raw schedule ({last}): set end_date to {last} "
            f"or earlier, or load the raw schedule of the games up to {end} first")


def excluded_game_ids(config: Mapping) -> set[str]:
    """Games the user declared excluded (postponed, forfeited): ``excluded_games`` in the config,
    by the date-based key or the source's id."""
    return {str(g["game_id"]) for g in config.get("excluded_games") or []}


FINAL, SCHEDULED = "final", "scheduled"


@dataclass(frozen=True)
class GameDay:
    """A date with games in range: its season (the schedule's ``season_year``) and its state,
    FINAL when every game on it is final (schedule status 3), SCHEDULED otherwise (not yet played
    or in progress). Both are work: Phases 3-5 pre-game on every date, grading on final ones."""

    season: int
    state: str


def game_days(config: Mapping) -> dict[dt.date, GameDay]:
    """Dates in range with games, final or scheduled, from the raw schedule as it is now. Games
    declared in ``excluded_games`` are left out (a date with only those is no game date)."""
    if config["raw"]["source"] == "demo":
        return _demo_game_days(config)
    games = schedule_games(config)
    excluded = excluded_game_ids(config)
    if excluded:
        games = games[~(games["game_key"].isin(excluded) | games["game_id"].astype(str).isin(excluded))]
    days: dict[dt.date, GameDay] = {}
    for day, season, status in zip(games["game_date"], games["season_year"], games["game_status"]):
        final = status is not None and str(status) == "3" and days.get(day, GameDay(0, FINAL)).state == FINAL
        days[day] = GameDay(int(season), FINAL if final else SCHEDULED)
    return dict(sorted(days.items()))


def _demo_game_days(config: Mapping) -> dict[dt.date, GameDay]:
    """``game_days`` of the demo league straight from its calendar, as ``schedule_games`` gives
    them (one row per date, every game of a date in one state; no game key, so nothing is
    excluded), without building a DataFrame: Snakemake plans every run from this."""
    from nbaprops.demo import calendar

    start, end = start_end(config)
    as_of = config["raw"].get("as_of")
    as_of = dt.date.fromisoformat(as_of) if as_of else None
    return {d: GameDay(season_year(d), FINAL if as_of is None or d < as_of else SCHEDULED)
            for d in calendar.game_dates(start, end, seed=config["raw"]["seed"])}


def date_states(config: Mapping) -> dict[dt.date, str]:
    """Each game date in range: FINAL or SCHEDULED (what gates and exports expect of it)."""
    return {day: g.state for day, g in game_days(config).items()}


def game_dates(config: Mapping) -> list[dt.date]:
    """Dates in [start_date, end_date] with at least one game (final or scheduled), per the raw source."""
    return sorted(game_days(config))


def league_today(config: Mapping, now: dt.datetime | None = None) -> dt.date:
    """The day the raw data lives in: the demo league's ``raw.as_of`` (its chosen morning), else
    today in US/Eastern (at ``now``)."""
    as_of = (config.get("raw") or {}).get("as_of")
    if as_of and config["raw"].get("source") == "demo":
        return dt.date.fromisoformat(str(as_of))
    return today(now)


def overdue_dates(states: Mapping[dt.date, str], day: dt.date) -> list[dt.date]:
    """Scheduled dates before ``day`` (``league_today``): their games should be final by now, so
    the raw source is late (or a game was postponed and belongs in excluded_games)."""
    return sorted(d for d, state in states.items() if state == SCHEDULED and d < day)


def overdue_finding(states: Mapping[dt.date, str], day: dt.date) -> Finding | None:
    """A warning listing ``overdue_dates`` (None when there are none)."""
    late = overdue_dates(states, day)
    if not late:
        return None
    shown = ", ".join(d.isoformat() for d in late[:8]) + (f" and {len(late) - 8} more" if len(late) > 8 else "")
    return Finding(
        "overdue_scheduled_dates", "warning",
        f"{len(late)} date(s) before today still have games that are not final in the raw schedule: {shown}; "
        "they get predictions but no grading until their final box scores are in the raw data (load them, "
        "or declare a postponed game in the config's excluded_games with a reason)",
        len(late), "nba_raw.nbac_schedule", [d.isoformat() for d in late[:8]])


def chunks(config: Mapping, days: Mapping[dt.date, GameDay] | None = None) -> list[Chunk]:
    """The configured range's game dates (``days``, read from the source if None) as chunks."""
    days = game_days(config) if days is None else days
    return group_dates(days, config["chunk"], {d: g.season for d, g in days.items()}, start_end(config)[1])


def history_chunks(config: Mapping, days: Mapping[dt.date, GameDay] | None = None) -> list[Chunk]:
    """Chunks of the first season's game dates before start_date, from the season's start (July 1,
    as a ``season`` lookback reads): the Phase 3 history a range starting mid-season reads.

    Phase 4 builds each date from its season to date (``lookback_days: season``); without these
    dates a range starting on 2 January had no team games before its first date, so that date got
    no team_defense_zone_analysis rows and every other feature was computed over the range's own
    games only — values that changed with start_date. Only the Phase 3 tables the range reads
    are built on them (rules/common.smk); the gates and exports keep to [start_date, end_date].
    """
    days = game_days(config) if days is None else days
    if not days:
        return []
    start = start_end(config)[0]
    season = next(iter(days.values())).season
    first = dt.date(season, 7, 1)
    if first >= start:
        return []
    before = game_days({**config, "start_date": first.isoformat(),
                        "end_date": (start - dt.timedelta(days=1)).isoformat()})
    before = {d: g for d, g in before.items() if g.season == season}
    if not before:
        return []
    return group_dates(before, config["chunk"], {d: g.season for d, g in before.items()}, start_end(config)[1])


def overlapping(plan: Sequence[Chunk], start: dt.date, end: dt.date) -> list[Chunk]:
    """Chunks holding any date in [start, end] (the history a job reads)."""
    return [c for c in plan if c.end >= start and c.start <= end]
