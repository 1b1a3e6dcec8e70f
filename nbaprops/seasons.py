"""Seasons: which season a date belongs to, its opener and the bootstrap window (D7).

One definition: a date's season is the schedule's ``season_year`` (``nba_raw.nbac_schedule``), the
same as ``nba_staging.season_calendar`` in SQL. The calendar month is wrong for seasons that do not
fit October–June: 2019-20 ended on 2020-10-11 (its October games are season 2019) and 2020-21
opened on 2020-12-22. :class:`SeasonCalendar` maps dates to seasons from schedule rows;
:func:`season_year` (the month rule) is only the documented fallback for a date outside every
season the schedule knows (an off-season day, or no schedule at hand).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping

BOOTSTRAP_DAYS = 14  # each season's first 14 days (from its opener) get no Phase 4/5 rows
# A season lasts at most ~10 months (the 2019-20 bubble: 2019-10-22 .. 2020-10-11); reading this
# far around a range reaches the opener and the last game of every season it touches.
SEASON_REACH_DAYS = 366


def season_year(day: dt.date) -> int:
    """Fallback only: the month rule (October on → that year's season, else the year before).

    Use :meth:`SeasonCalendar.season_of`; this rule is right only for seasons that run from
    October to September, and is what a date outside every scheduled season falls back to."""
    return day.year if day.month >= 10 else day.year - 1


def season_label(season: int) -> str:
    """How a season is written: 2021 -> '2021-22'."""
    return f"{season}-{(season + 1) % 100:02d}"


@dataclass(frozen=True)
class SeasonSpan:
    """A season as the schedule holds it: first and last scheduled date, and the opener (its
    first game whatever its status, D12: the bootstrap counts from it, as in season_calendar.sql)."""

    season: int
    first: dt.date
    last: dt.date
    opener: dt.date | None


class SeasonCalendar:
    """Each date's season from the schedule's ``season_year``.

    Build it with :meth:`from_schedule` (rows of ``(game_date, season_year, is_final)``) or
    :meth:`load` (reads ``nba_raw.nbac_schedule`` through a warehouse). Then:

    * ``season_of(day)`` — the season whose schedule span [first date, last date] holds ``day``;
      a date outside every span (off-season, or a season the rows do not reach) falls back to the
      month rule :func:`season_year`;
    * ``season_start(day)`` — a date before every game of the season and after the previous
      season's (the start of a "this season so far" window);
    * ``openers`` — season → its first game date (any status: known before the game is final);
    * ``is_bootstrap(day)`` — ``day`` is one of its season's first 14 days from the opener (D7).

    ``nba_staging.season_calendar`` applies the same rules in SQL (a test holds them together).
    """

    def __init__(self, spans: Iterable[SeasonSpan]):
        self.spans: dict[int, SeasonSpan] = {s.season: s for s in spans}
        ordered = sorted(self.spans.values(), key=lambda s: s.first)
        for before, after in zip(ordered, ordered[1:]):
            if after.first <= before.last:
                raise ValueError(
                    f"nba_raw.nbac_schedule: seasons {before.season} ({before.first}..{before.last}) and "
                    f"{after.season} ({after.first}..{after.last}) overlap; fix season_year of the games "
                    "between them")
        self._ordered = ordered

    @classmethod
    def from_schedule(cls, rows: Iterable[tuple[dt.date, int, bool]]) -> "SeasonCalendar":
        """From schedule rows ``(game_date, season_year, is_final)`` (any order, repeats allowed).
        ``is_final`` no longer decides anything (the opener is the first game whatever its status,
        D12); it stays in the rows for the callers that pass it."""
        first: dict[int, dt.date] = {}
        last: dict[int, dt.date] = {}
        season_of_date: dict[dt.date, int] = {}
        for day, season, _final in rows:
            season = int(season)
            if season_of_date.setdefault(day, season) != season:
                raise ValueError(f"nba_raw.nbac_schedule: games on {day} carry season_year "
                                 f"{season_of_date[day]} and {season}; one date belongs to one season")
            first[season] = min(first.get(season, day), day)
            last[season] = max(last.get(season, day), day)
        return cls(SeasonSpan(s, first[s], last[s], first[s]) for s in first)

    @classmethod
    def load(cls, wh, start: dt.date | None, end: dt.date) -> "SeasonCalendar":
        """The seasons of the schedule touching [start, end], read from ``nba_raw.nbac_schedule``
        (dates within a year around the range: enough for the openers and last games);
        ``start`` None reads the schedule from its beginning."""
        frame = wh.query(
            "select schedule.game_date, schedule.season_year, "
            "countif(schedule.game_status = 3) > 0 as is_final "
            "from nba_raw.nbac_schedule as schedule "
            "where schedule.game_date between @from_date and @to_date "
            "group by schedule.game_date, schedule.season_year",
            {"from_date": dt.date(1900, 1, 1) if start is None else start - dt.timedelta(days=SEASON_REACH_DAYS),
             "to_date": end + dt.timedelta(days=SEASON_REACH_DAYS)})
        return cls.from_schedule(
            (_as_date(r["game_date"]), int(r["season_year"]), bool(r["is_final"]))
            for r in frame.to_dict("records"))

    def season_of(self, day: dt.date) -> int:
        """The season ``day`` belongs to: the schedule's, else the month rule (off-season)."""
        for span in self._ordered:
            if span.first <= day <= span.last:
                return span.season
        return season_year(day)

    def season_start(self, day: dt.date) -> dt.date:
        """A date on or before every game of ``day``'s season and after every game of the seasons
        before it: the day after the previous season's last scheduled date (2020-10-12 for 2020-21,
        whose predecessor ended 2020-10-11), else July 1 of the season's year."""
        season = self.season_of(day)
        earlier = [s.last for s in self._ordered if s.season < season]
        return max(earlier) + dt.timedelta(days=1) if earlier else dt.date(season, 7, 1)

    @property
    def openers(self) -> dict[int, dt.date]:
        return {s.season: s.opener for s in self._ordered if s.opener is not None}

    def is_bootstrap(self, day: dt.date) -> bool:
        """True on days 0..13 of the date's season, counted from its opener."""
        return is_bootstrap(day, self.openers, self.season_of(day))


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # pandas Timestamps too


def openers_from_dates(game_dates: Iterable[dt.date]) -> dict[int, dt.date]:
    """Each season's opener = its first game date, seasons by the month rule (fallback only: use
    :attr:`SeasonCalendar.openers` where the schedule's season_year is at hand)."""
    openers: dict[int, dt.date] = {}
    for day in game_dates:
        season = season_year(day)
        if season not in openers or day < openers[season]:
            openers[season] = day
    return openers


def is_bootstrap(day: dt.date, openers: Mapping[int, dt.date], season: int | None = None) -> bool:
    """True on days 0..13 of the date's season (``season``, else the month rule's), from the opener."""
    opener = openers.get(season_year(day) if season is None else season)
    return opener is not None and 0 <= (day - opener).days < BOOTSTRAP_DAYS
