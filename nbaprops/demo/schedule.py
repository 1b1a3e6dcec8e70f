"""Regular-season matchups and game ids (results-independent).

Demo simplification of the NBA's division-based formula: 82 rounds built from round-robins
(circle method) — two full cycles with home and away swapped (every pair meets twice, once at
each arena) plus 24 rounds of a third cycle, home chosen to balance each team at 41 ± 1 home
games. Round order is shuffled and team identities permuted per season. Each round is played
over two consecutive game dates of `calendar.regular_season_dates` (opening night: 2 games, then
3–12 games on the first date of a round and the rest on the second). A team that played on a
round's second date tends to play late in the next round too, which puts back-to-backs at
~17 % of games (the real rate is 15–20 %).
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from nbaprops.demo.calendar import DATES_PER_ROUND, REGULAR_SEASON_ROUNDS, regular_season_dates
from nbaprops.demo.league import N_TEAMS

STREAM_SCHEDULE = 21


def _circle_rounds(order: np.ndarray) -> list[np.ndarray]:
    """29 rounds of 15 (a, b) pairs in which every team meets every other once."""
    n = len(order)
    rounds = []
    ring = list(order[1:])
    for r in range(n - 1):
        arr = [order[0]] + ring
        pairs = np.array([(arr[i], arr[n - 1 - i]) for i in range(n // 2)])
        if r % 2:  # alternate which side of each pair is listed first (home)
            pairs = pairs[:, ::-1]
        rounds.append(pairs)
        ring = ring[-1:] + ring[:-1]
    return rounds


def regular_season_games(season_year: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(date index into regular_season_dates, home team, away team) of the 1,230 games, sorted
    by date. Teams are indices in teams.csv order."""
    rng = np.random.default_rng([seed, season_year, STREAM_SCHEDULE])
    first = _circle_rounds(rng.permutation(N_TEAMS))
    second = [p[:, ::-1] for p in first]
    third = _circle_rounds(rng.permutation(N_TEAMS))[: REGULAR_SEASON_ROUNDS - 2 * (N_TEAMS - 1)]
    home_count = np.full(N_TEAMS, N_TEAMS - 1)
    balanced = []
    for pairs in third:
        pairs = pairs.copy()
        for k, (a, b) in enumerate(pairs):
            if home_count[b] < home_count[a] or (home_count[a] == home_count[b] and rng.random() < 0.5):
                pairs[k] = (b, a)
            home_count[pairs[k][0]] += 1
        balanced.append(pairs)
    rounds = first + second + balanced
    order = rng.permutation(len(rounds))

    day_idx, homes, aways = [], [], []
    late = np.zeros(N_TEAMS, dtype=bool)  # played on the previous round's second date
    for k, r in enumerate(order):
        pairs = rounds[r]
        n_first = 2 if k == 0 else int(rng.integers(3, 13))
        # late teams prefer the second date again: fewer back-to-backs
        score = late[pairs].sum(axis=1) + rng.random(len(pairs)) * 1.2
        on_second = np.zeros(len(pairs), dtype=bool)
        on_second[np.argsort(-score)[: len(pairs) - n_first]] = True
        late[:] = False
        late[pairs[on_second].ravel()] = True
        day_idx.append(k * DATES_PER_ROUND + on_second.astype(int))
        homes.append(pairs[:, 0])
        aways.append(pairs[:, 1])
    day_idx, homes, aways = (np.concatenate(x) for x in (day_idx, homes, aways))
    srt = np.lexsort((homes, day_idx))
    return day_idx[srt], homes[srt], aways[srt]


def regular_season_dates_of(season_year: int, day_idx: np.ndarray) -> list[dt.date]:
    dates = regular_season_dates(season_year)
    return [dates[i] for i in day_idx]
