"""One season end to end: regular season, standings, play-in and playoffs, as simulated batches.

Seeding: the top six of each conference by wins (ties: point differential, then team order)
go straight to the playoffs; seeds 7–10 play the play-in (7v8 at 7, 9v10 at 9 — East on the
first play-in date, West on the second — then the loser of 7v8 hosts the winner of 9v10 for
the 8th seed). Bracket 1v8, 4v5, 3v6, 2v7; winners meet in order; conference champions meet in
the finals. The better seed (finals: better record) hosts games 1, 2, 5 and 7.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np

from nbaprops import travel
from nbaprops.demo import calendar
from nbaprops.demo.league import League, league
from nbaprops.demo.schedule import regular_season_games
from nbaprops.demo.simulate import KIND_PLAYIN, KIND_PLAYOFF, KIND_REGULAR, Batch, SeasonSimulator


@dataclass
class SeasonResult:
    season_year: int
    opener: dt.date
    league: League
    batches: list[Batch]
    round: np.ndarray        # per game, concatenated over batches: 0 regular, -1 play-in, 1..4
    series: np.ndarray
    game_no: np.ndarray
    nba_game_id: np.ndarray  # object array of 10-digit ids


@functools.lru_cache(maxsize=1)
def team_geography() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(conference per team index, miles between arenas, standard-time UTC offset)."""
    t = travel.teams()
    _, miles = travel.distance_matrix()
    return t["conference"].to_numpy(), miles, t["utc_offset"].to_numpy()


def _standings(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    pts = batch.team_points
    won = pts > np.column_stack([pts[1::2], pts[0::2]]).ravel()
    diff = pts - np.column_stack([pts[1::2], pts[0::2]]).ravel()
    wins = np.bincount(batch.team, weights=won, minlength=30)
    point_diff = np.bincount(batch.team, weights=diff, minlength=30)
    return wins, point_diff


def _winners(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """(winner, loser) team per game of a batch."""
    pts = batch.team_points
    home_won = pts[0::2] > pts[1::2]
    return np.where(home_won, batch.home, batch.away), np.where(home_won, batch.away, batch.home)


@functools.lru_cache(maxsize=2)
def simulate_season(season_year: int, seed: int) -> SeasonResult:
    lg = league(seed)
    season = lg.season(season_year)
    opener = calendar.season_opener(season_year)
    reg_dates = calendar.regular_season_dates(season_year)
    reg_days = np.array([(d - opener).days for d in reg_dates])
    n_days = (dt.date(season_year + 1, 6, 30) - opener).days
    trade_days = [int(reg_days[t.round * calendar.DATES_PER_ROUND]) for t in season.trades]
    conference, miles, utc_offset = team_geography()
    sim = SeasonSimulator(lg, season, seed, trade_days, n_days, miles, utc_offset)
    yy = season_year % 100

    def dayno(d: dt.date) -> int:
        return (d - opener).days

    batches, rounds, series, game_no, ids = [], [], [], [], []

    def add(batch: Batch, rnd, ser, gno, nba_ids) -> None:
        batches.append(batch)
        rounds.append(np.broadcast_to(rnd, len(batch.day)))
        series.append(np.asarray(ser))
        game_no.append(np.asarray(gno))
        ids.append(np.asarray(nba_ids, dtype=object))

    # regular season
    idx, home, away = regular_season_games(season_year, seed)
    regular = sim.run(reg_days[idx], home, away, KIND_REGULAR, 0)
    add(regular, 0, np.zeros(len(idx), int), np.zeros(len(idx), int),
        [f"002{yy:02d}{k + 1:05d}" for k in range(len(idx))])

    wins, diff = _standings(regular)
    seeds = {}
    for conf in ("East", "West"):
        teams = np.flatnonzero(conference == conf)
        order = np.lexsort((teams, -diff[teams], -wins[teams]))
        seeds[conf] = list(teams[order])

    # play-in: 7v8 and 9v10 (East first date, West second), then loser(7v8) v winner(9v10)
    pi_dates = calendar.play_in_dates(season_year)
    h1 = [seeds[c][s] for c in ("East", "West") for s in (6, 8)]
    a1 = [seeds[c][s] for c in ("East", "West") for s in (7, 9)]
    d1 = [dayno(pi_dates[0])] * 2 + [dayno(pi_dates[1])] * 2
    first = sim.run(np.array(d1), np.array(h1), np.array(a1), KIND_PLAYIN, 1)
    add(first, -1, np.zeros(4, int), np.arange(1, 5), [f"005{yy:02d}000{k:02d}" for k in range(1, 5)])
    w1, l1 = _winners(first)
    second = sim.run(np.array([dayno(pi_dates[2])] * 2), l1[[0, 2]], w1[[1, 3]], KIND_PLAYIN, 2)
    add(second, -1, np.zeros(2, int), np.arange(5, 7), [f"005{yy:02d}000{k:02d}" for k in (5, 6)])
    w2, _ = _winners(second)
    for c, conf in enumerate(("East", "West")):
        seeds[conf][6], seeds[conf][7] = w1[2 * c], w2[c]

    # playoffs: pairs of (higher seed team, lower seed team) per series, with a rank for home court
    seed_rank = np.zeros(30)
    for conf in ("East", "West"):
        for s, t in enumerate(seeds[conf][:8]):
            seed_rank[t] = s
    bracket = [(0, 7), (3, 4), (2, 5), (1, 6)]
    matchups = [(seeds[c][a], seeds[c][b]) for c in ("East", "West") for a, b in bracket]
    plan = calendar.playoff_games(season_year, seed)
    for rnd in (1, 2, 3, 4):
        if rnd == 4:  # finals: home court to the better regular-season record
            a, b = matchups[0]
            matchups = [(a, b) if (wins[a], diff[a], -a) >= (wins[b], diff[b], -b) else (b, a)]
        else:
            matchups = [(a, b) if seed_rank[a] <= seed_rank[b] else (b, a) for a, b in matchups]
        games = [g for g in plan if g.round == rnd]
        better = np.array([matchups[g.series][0] for g in games])
        worse = np.array([matchups[g.series][1] for g in games])
        better_home = np.isin([g.game for g in games], (1, 2, 5, 7))
        batch = sim.run(np.array([dayno(g.date) for g in games]), np.where(better_home, better, worse),
                        np.where(better_home, worse, better), KIND_PLAYOFF, 2 + rnd)
        ser = np.array([g.series for g in games])
        gno = np.array([g.game for g in games])
        add(batch, rnd, ser, gno, [f"004{yy:02d}00{rnd}{s}{n}" for s, n in zip(ser, gno)])
        winner, _ = _winners(batch)
        pts = batch.team_points
        margin_home = pts[0::2] - pts[1::2]
        advancing = []
        for s, (a, b) in enumerate(matchups):  # a is the better seed: it wins full ties
            mine = ser == s
            a_wins, b_wins = np.sum(winner[mine] == a), np.sum(winner[mine] == b)
            a_diff = np.sum(np.where(batch.home[mine] == a, margin_home[mine], -margin_home[mine]))
            advancing.append(a if (a_wins, a_diff) >= (b_wins, -a_diff) else b)
        matchups = [(advancing[2 * i], advancing[2 * i + 1]) for i in range(len(advancing) // 2)]

    return SeasonResult(season_year, opener, lg, batches, np.concatenate(rounds), np.concatenate(series),
                        np.concatenate(game_no), np.concatenate(ids))
