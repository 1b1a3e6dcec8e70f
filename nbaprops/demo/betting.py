"""Betting markets around the true expectations: player points props and game lines.

Player props (`odds_api_player_points_props`) are offered for every active player whose true
expected points are ≥ 6. The market's consensus is expected + a shared error N(0, 1.5); each
book adds its own N(0, 0.35) and lines are x.5 (floor(value) + 0.5). Books: draftkings 97 %,
fanduel 96 %, betmgm 85 %, caesars 80 %, pointsbetus 55 % of player-games. Each game has 2–4
pre-game snapshots (opening ~24 h before tip-off, then ~12 h / ~6 h / ~3 h, the last ~25 min
before); the opening line is off by a further N(0, 1) that shrinks linearly to 0 at the last
pre-game snapshot. In 10 % of games an extra in-game snapshot (30–120 min after tip-off,
`minutes_before_tipoff` < 0) holds live lines at 25–70 % of the pre-game value. Prices: the
over's probability is 0.5 + 0.08 × (value − line), with a 4.5 % vig, as American odds rounded to
5 (≈ −110 both sides). `game_id` is the date-based id for seasons before 2023-24 and the NBA id
from then on (raw-inputs §3.1: the real feed switched).

BettingPros (`bettingpros_player_points_props`, a backup): ~70 % of those player-games, 0–5 books
(BetMGM, Caesars, DraftKings, FanDuel, BetRivers), an over and an under row each; `player_team`
uses Basketball-Reference codes (BRK, PHO, CHO) 10 % of the time, `validated_team` never.

Game lines (`odds_api_game_lines`): spreads and totals from the teams' true expected points
(sum of their players' oracle values) + market errors N(0, 1.5) on the margin and N(0, 3) on the
total, per book N(0, 0.3); 2–3 snapshots (opening ~20 h, ~3 h, ~15 min before). Spreads: the
favourite's point is negative, halves allowed. Decimal prices ≈ 1.91. `game_id` is a
deterministic 32-hex Odds API event id.
"""
from __future__ import annotations

import hashlib

import numpy as np

ODDS_BOOKS = ("draftkings", "fanduel", "betmgm", "caesars", "pointsbetus")
ODDS_BOOK_P = np.array([0.97, 0.96, 0.85, 0.80, 0.55])
BP_BOOKS = ("BetMGM", "Caesars", "DraftKings", "FanDuel", "BetRivers")
BP_BOOK_P = np.array([0.6, 0.5, 0.7, 0.7, 0.4])
LINE_BOOKS = ("draftkings", "fanduel", "betmgm", "caesars", "pointsbetus")
LINE_BOOK_P = np.array([0.98, 0.97, 0.90, 0.85, 0.60])
PROP_MIN_EXPECTED = 6.0
MARKET_SD, BOOK_SD, OPENING_SD = 1.5, 0.35, 1.0
VIG = 1.045
# minutes before tip-off of the pre-game snapshots, by number of snapshots
SNAPSHOT_PLANS = {2: (1440, 25), 3: (1440, 360, 25), 4: (1440, 720, 180, 25)}


def half_point(value: np.ndarray) -> np.ndarray:
    """Prop-style x.5 line."""
    return np.maximum(np.floor(value) + 0.5, 0.5)


def american(prob: np.ndarray) -> np.ndarray:
    """American odds (rounded to 5) of an implied probability including vig."""
    prob = np.clip(prob, 0.05, 0.95)
    odds = np.where(prob > 0.5, -100 * prob / (1 - prob), 100 * (1 - prob) / prob)
    odds = np.rint(odds / 5) * 5
    return np.where((odds > -100) & (odds < 100), np.where(prob > 0.5, -100, 100), odds).astype(np.int64)


def over_probability(value: np.ndarray, line: np.ndarray) -> np.ndarray:
    return np.clip(0.5 + 0.08 * (value - line), 0.3, 0.7)


def event_id(seed: int, game_id: str) -> str:
    return hashlib.md5(f"nbaprops-demo:{seed}:{game_id}".encode()).hexdigest()


def snapshot_plan(rng: np.random.Generator, n_games: int) -> np.ndarray:
    """(G, 5) minutes before tip-off of each game's snapshots (NaN = none); column 4 is the
    optional in-game snapshot (negative)."""
    plan = np.full((n_games, 5), np.nan)
    n_snap = rng.choice([2, 3, 4], size=n_games, p=[0.3, 0.45, 0.25])
    for n, minutes in SNAPSHOT_PLANS.items():
        rows = np.flatnonzero(n_snap == n)
        jitter = rng.normal(0, 1, size=(len(rows), n)) * np.array(minutes) * 0.05
        plan[rows[:, None], np.arange(n)[None, :]] = np.rint(np.array(minutes) + jitter)
    live = rng.random(n_games) < 0.10
    plan[live, 4] = -rng.integers(30, 121, size=live.sum())
    return plan


def props(rng: np.random.Generator, expected: np.ndarray, game: np.ndarray, plan: np.ndarray) -> dict:
    """Rows of the Odds API props for player-games (arrays `expected`, `game` index)."""
    n = len(expected)
    consensus = expected + rng.normal(0, MARKET_SD, size=n)
    offered = rng.random((n, len(ODDS_BOOKS))) < ODDS_BOOK_P
    offered[~offered.any(1), 0] = True
    book_value = consensus[:, None] + rng.normal(0, BOOK_SD, size=(n, len(ODDS_BOOKS)))
    opening = rng.normal(0, OPENING_SD, size=n)[:, None] + rng.normal(0, 0.3, size=(n, len(ODDS_BOOKS)))
    snaps = plan[game]                                            # (n, 5)
    n_pre = np.isfinite(snaps[:, :4]).sum(1)
    rank = np.arange(4)[None, :]
    decay = np.where(rank < n_pre[:, None], 1 - rank / np.maximum(n_pre[:, None] - 1, 1), 0.0)
    present = np.isfinite(snaps)[:, None, :] & offered[..., None]
    # middle snapshots miss a book now and then; opening, last pre-game and live always complete
    middle = (rank > 0) & (rank < n_pre[:, None] - 1)
    gaps = np.concatenate([middle, np.zeros((n, 1), bool)], axis=1)[:, None, :] & (
        rng.random(present.shape) < 0.08)
    present &= ~gaps
    pg, book, slot = np.nonzero(present)
    value = book_value[pg, book] + np.where(slot < 4, opening[pg, book] * decay[pg, np.minimum(slot, 3)], 0.0)
    live = slot == 4
    value[live] = book_value[pg[live], book[live]] * rng.uniform(0.25, 0.7, size=live.sum())
    line = half_point(value)
    p_over = over_probability(value, line)
    return dict(player_game=pg, book=book, minutes_before=snaps[pg, slot].astype(np.int64), line=line,
                over=american(p_over * VIG), under=american((1 - p_over) * VIG),
                consensus=consensus, opening=opening)


def bettingpros(rng: np.random.Generator, consensus: np.ndarray, opening: np.ndarray) -> dict:
    """Rows of the BettingPros backup feed (two per book: over, under)."""
    n = len(consensus)
    covered = rng.random(n) < 0.7
    offered = (rng.random((n, len(BP_BOOKS))) < BP_BOOK_P) & covered[:, None]
    value = consensus[:, None] + rng.normal(0, BOOK_SD, size=offered.shape)
    open_value = value + opening[:, :1]
    pg, book = np.nonzero(offered)
    line = half_point(value[pg, book])
    p_over = over_probability(value[pg, book], line)
    over, under = american(p_over * VIG), american((1 - p_over) * VIG)
    return dict(player_game=pg, book=book, line=line, opening_line=half_point(open_value[pg, book]),
                over=over, under=under, minutes_before=rng.integers(10, 301, size=len(pg)),
                is_active=rng.random(len(pg)) < 0.97, br_code=rng.random(len(pg)) < 0.10)


def game_lines(rng: np.random.Generator, margin: np.ndarray, total: np.ndarray) -> dict:
    """Rows of spreads and totals for games with true expected home margin and total."""
    g = len(margin)
    market_margin = margin + rng.normal(0, 1.5, size=g)
    market_total = total + rng.normal(0, 3.0, size=g)
    offered = rng.random((g, len(LINE_BOOKS))) < LINE_BOOK_P
    offered[~offered.any(1), 0] = True
    n_snap = rng.choice([2, 3], size=g, p=[0.4, 0.6])
    minutes = np.array([1200, 180, 15])
    has = np.column_stack([np.ones(g, bool), n_snap == 3, np.ones(g, bool)])
    game, book, slot = np.nonzero(offered[..., None] & has[:, None, :])
    drift = np.where(slot == 2, 0.0, np.where(slot == 1, 0.5, 1.0))
    open_margin = rng.normal(0, 1.0, size=g)
    open_total = rng.normal(0, 2.0, size=g)
    book_margin = rng.normal(0, 0.3, size=(g, len(LINE_BOOKS)))
    book_total = rng.normal(0, 0.5, size=(g, len(LINE_BOOKS)))
    m = market_margin[game] + book_margin[game, book] + drift * open_margin[game]
    t = market_total[game] + book_total[game, book] + drift * open_total[game]
    spread_home = -np.rint(m * 2) / 2
    total_line = np.rint(t * 2) / 2
    jitter = rng.normal(0, 0.015, size=(len(game), 4))
    price = np.round(1 / (0.5 * VIG) + jitter, 2)
    minutes_before = np.rint(minutes[slot] * (1 + rng.normal(0, 0.05, size=len(game)))).astype(np.int64)
    return dict(game=game, book=book, minutes_before=minutes_before, spread_home=spread_home,
                total=total_line, price=price)
