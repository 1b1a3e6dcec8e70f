"""The demo league's calendar: which dates have games, known before any game is simulated.

Everything here depends only on the season year and the seed, never on game results, so
`game_dates` is cheap enough to call while Snakemake parses the workflow (~1 ms per season).

Regular season (`regular_season_dates`): 164 game dates from the opener — the Tuesday between
18 and 24 October — skipping Thanksgiving Day, Christmas Eve and a six-day all-star break
(Friday to Wednesday around the third Sunday of February). The schedule plays 82 rounds (every
team once per round), each over two consecutive game dates, so every one of the 164 dates has
games and each team plays exactly 82.

Postseason, with L the last regular-season date (a Sunday-like day): play-in on L+2 (East),
L+3 (West) and L+5 (both conferences' final play-in games); the playoffs start on L+6 (P0).
Every series' length (4–7 games: 15/25/33/27 %) is drawn from the seed up front and its games
are played on fixed day offsets from its round's start:

    round 1  P0 + 0   series in group A on days 0 2 5 7 9 11 13, group B one day later
    round 2  P0 + 16  group A on days 0 2 4 6 8 10 12, group B one day later
    round 3  P0 + 30  East on days 0 2 4 6 8 10 12, West one day later
    finals   P0 + 46  days 0 3 5 8 10 13 16

Demo simplification: all drawn games of a series are played, even after a team has four wins;
the series winner is the team with more wins, a tie (possible with 4 or 6 games) going to the
better point differential over the series. Matchups of later rounds depend on results; dates
do not.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np

FIRST_SEASON = 2015          # the league's history starts with the 2015-16 season
REGULAR_SEASON_ROUNDS = 82   # rounds in which every team plays once
DATES_PER_ROUND = 2
SERIES_LENGTHS = (4, 5, 6, 7)
SERIES_LENGTH_P = (0.15, 0.25, 0.33, 0.27)

_R1_A = (0, 2, 5, 7, 9, 11, 13)
_EVERY_OTHER = (0, 2, 4, 6, 8, 10, 12)
_FINALS = (0, 3, 5, 8, 10, 13, 16)
# (round, number of series, day the round starts after P0, per-series day offsets of its games)
PLAYOFF_ROUNDS = (
    (1, 8, 0, tuple(_R1_A if s in (0, 2, 5, 7) else tuple(d + 1 for d in _R1_A) for s in range(8))),
    (2, 4, 16, tuple(_EVERY_OTHER if s in (0, 3) else tuple(d + 1 for d in _EVERY_OTHER) for s in range(4))),
    (3, 2, 30, (_EVERY_OTHER, tuple(d + 1 for d in _EVERY_OTHER))),
    (4, 1, 46, (_FINALS,)),
)

# Independent random streams per (seed, season, purpose): changing one component of the
# simulation never changes the calendar.
STREAM_SERIES_LENGTHS = 7


def season_opener(season_year: int) -> dt.date:
    """Opening night: the Tuesday between 18 and 24 October of `season_year` (this reproduces
    the real openers 2021-10-19, 2022-10-18, 2023-10-24, 2024-10-22, 2025-10-21)."""
    oct18 = dt.date(season_year, 10, 18)
    return oct18 + dt.timedelta(days=(1 - oct18.weekday()) % 7)


def season_year_of(day: dt.date) -> int:
    """Season start year of a date (year if month >= 10 else year - 1)."""
    return day.year if day.month >= 10 else day.year - 1


def thanksgiving(year: int) -> dt.date:
    nov1 = dt.date(year, 11, 1)
    first_thursday = nov1 + dt.timedelta(days=(3 - nov1.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=3)


def all_star_break(season_year: int) -> list[dt.date]:
    """Friday to Wednesday around the all-star game (third Sunday of February)."""
    feb1 = dt.date(season_year + 1, 2, 1)
    sunday = feb1 + dt.timedelta(days=(6 - feb1.weekday()) % 7) + dt.timedelta(weeks=2)
    return [sunday + dt.timedelta(days=k) for k in range(-2, 4)]


def _check_season(season_year: int) -> None:
    if season_year < FIRST_SEASON:
        raise ValueError(f"the demo league starts with the {FIRST_SEASON}-{(FIRST_SEASON + 1) % 100:02d} "
                         f"season; {season_year} is too early (choose a start date on or after "
                         f"{season_opener(FIRST_SEASON)})")


@functools.lru_cache(maxsize=None)
def regular_season_dates(season_year: int) -> tuple[dt.date, ...]:
    """The 164 regular-season game dates."""
    _check_season(season_year)
    off = {thanksgiving(season_year), dt.date(season_year, 12, 24), *all_star_break(season_year)}
    dates, day = [], season_opener(season_year)
    while len(dates) < REGULAR_SEASON_ROUNDS * DATES_PER_ROUND:
        if day not in off:
            dates.append(day)
        day += dt.timedelta(days=1)
    return tuple(dates)


def play_in_dates(season_year: int) -> tuple[dt.date, dt.date, dt.date]:
    """(East 7v8 & 9v10, West 7v8 & 9v10, both conferences' final play-in games)."""
    last = regular_season_dates(season_year)[-1]
    return tuple(last + dt.timedelta(days=k) for k in (2, 3, 5))


def playoffs_start(season_year: int) -> dt.date:
    return regular_season_dates(season_year)[-1] + dt.timedelta(days=6)


@functools.lru_cache(maxsize=None)
def series_lengths(season_year: int, seed: int) -> dict[tuple[int, int], int]:
    """Number of games of every playoff series, keyed by (round, series index)."""
    rng = np.random.default_rng([seed, season_year, STREAM_SERIES_LENGTHS])
    n_series = sum(r[1] for r in PLAYOFF_ROUNDS)
    draws = rng.choice(SERIES_LENGTHS, size=n_series, p=SERIES_LENGTH_P)
    keys = [(rnd, s) for rnd, n, _, _ in PLAYOFF_ROUNDS for s in range(n)]
    return {k: int(v) for k, v in zip(keys, draws)}


@dataclass(frozen=True)
class PlayoffGame:
    round: int
    series: int      # round 1: 0-3 East, 4-7 West (bracket order 1v8, 4v5, 3v6, 2v7); then halves
    game: int        # 1..7
    date: dt.date


@functools.lru_cache(maxsize=None)
def playoff_games(season_year: int, seed: int) -> tuple[PlayoffGame, ...]:
    """Every playoff game's (round, series, game number, date), in date order."""
    p0 = playoffs_start(season_year)
    lengths = series_lengths(season_year, seed)
    games = []
    for rnd, n_series, start, offsets in PLAYOFF_ROUNDS:
        for s in range(n_series):
            for g in range(lengths[(rnd, s)]):
                games.append(PlayoffGame(rnd, s, g + 1, p0 + dt.timedelta(days=start + offsets[s][g])))
    return tuple(sorted(games, key=lambda x: (x.date, x.round, x.series)))


def season_dates(season_year: int, seed: int = 2021) -> list[dt.date]:
    """Every game date of a season, regular season through the finals."""
    dates = set(regular_season_dates(season_year)) | set(play_in_dates(season_year))
    dates |= {g.date for g in playoff_games(season_year, seed)}
    return sorted(dates)


def seasons_touching(start: dt.date, end: dt.date) -> list[int]:
    """Season years whose span (opener to 30 June) intersects [start, end]."""
    if end < start:
        return []
    years = range(season_year_of(start), season_year_of(end) + 1)
    return [y for y in years if season_opener(y) <= end and dt.date(y + 1, 6, 30) >= start]


def game_dates(start: dt.date, end: dt.date, seed: int = 2021) -> list[dt.date]:
    """Every date in [start, end] with at least one game (all final), in order. Equal to the
    distinct game_date of the generated nbac_schedule within the range."""
    out: list[dt.date] = []
    for year in seasons_touching(start, end):
        out.extend(d for d in season_dates(year, seed) if start <= d <= end)
    return out
