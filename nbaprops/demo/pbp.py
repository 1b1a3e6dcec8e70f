"""BigDataBall-style play-by-play built from the simulated box scores.

Every field-goal attempt becomes one `shot` event and every free throw one `free throw` event,
so the play-by-play and the box scores agree exactly. Shot distances follow the zones: paint
0–8 ft; mid-range 9–21 ft (2PT); threes 22–23 ft from the corners (25 %) and 24–27 ft above the
break, 1 % heaves of 30–40 ft — every three's subtype contains '3pt'. Made shots are assisted
with probability 52 % (paint), 42 % (mid-range), 84 % (three) by a teammate on the floor chosen in
proportion to assist rate × minutes; missed shots are blocked with probability 22 % / 7 % / 2.5 %
by an opponent chosen by block rate × minutes. The box score's assists and blocks are these
counts. Free throws come in trips: and-ones ('free throw 1/1', about 7 % of made shots), two-shot
trips ('free throw 1/2', 'free throw 2/2') and, when the count is odd, a technical. Events are
ordered by a random game clock (free-throw pairs stay together).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PAINT_SUBTYPES = ("layup", "driving layup", "dunk", "hook shot", "tip layup shot", "driving floating jump shot")
MID_SUBTYPES = ("jump shot", "pullup jump shot", "fadeaway jump shot", "turnaround jump shot", "step back jump shot")
THREE_SUBTYPES = ("3pt jump shot", "3pt pullup jump shot", "3pt step back jump shot", "3pt running jump shot")
FT_SUBTYPES = ("free throw 1/1", "free throw technical", "free throw 1/2", "free throw 2/2")
SUBTYPES = PAINT_SUBTYPES + MID_SUBTYPES + THREE_SUBTYPES + FT_SUBTYPES
_FT0 = len(PAINT_SUBTYPES) + len(MID_SUBTYPES) + len(THREE_SUBTYPES)
ASSIST_P = np.array([0.52, 0.42, 0.84])
BLOCK_P = np.array([0.22, 0.07, 0.025])
AND_ONE_P = 0.07
FT_DISTANCE = 15.0


@dataclass
class Events:
    """One row per event; player columns are flat (team-game × 15 + slot) indices, −1 = none."""
    team_game: np.ndarray
    sequence: np.ndarray      # 1.. within the game
    is_shot: np.ndarray       # field goal (else free throw)
    zone: np.ndarray          # 0 paint, 1 mid, 2 three (−1 for free throws)
    subtype: np.ndarray       # index into SUBTYPES
    made: np.ndarray
    distance: np.ndarray
    player_1: np.ndarray
    player_2: np.ndarray
    role_2: np.ndarray        # 0 none, 1 assist, 2 block
    assists: np.ndarray       # (TG, 15) box-score assists implied
    blocks: np.ndarray        # (TG, 15)


def _pick(rng: np.random.Generator, weight: np.ndarray, rows: np.ndarray, exclude: np.ndarray | None) -> np.ndarray:
    """A slot per row drawn in proportion to `weight[row]` (never `exclude`)."""
    cum = np.cumsum(weight, axis=1)
    out = np.empty(len(rows), dtype=np.int64)
    todo = np.arange(len(rows))
    for _ in range(50):
        c = cum[rows[todo]]
        u = rng.random(len(todo)) * c[:, -1]
        pick = np.minimum((c <= u[:, None]).sum(1), weight.shape[1] - 1)
        out[todo] = pick
        if exclude is None:
            break
        todo = todo[pick == exclude[todo]]
        if not len(todo):
            break
    if exclude is not None and len(todo):
        out[todo] = -1
    return out


def build(rng: np.random.Generator, att: np.ndarray, made: np.ndarray, fta: np.ndarray, ftm: np.ndarray,
          ast_weight: np.ndarray, blk_weight: np.ndarray, game_minutes: np.ndarray) -> Events:
    """Events of the team-games given by (TG, 15, 3) attempts/makes and (TG, 15) free throws;
    `game_minutes` per team-game (48 + 5 per overtime). Team-game 2g and 2g+1 are opponents."""
    n_tg, n_slot, _ = att.shape
    # -- shots -------------------------------------------------------------------------------
    cell_att = att.ravel()
    cell = np.repeat(np.arange(cell_att.size), cell_att)
    first = np.repeat(np.cumsum(cell_att) - cell_att, cell_att)
    shot_made = (np.arange(len(cell)) - first) < np.repeat(made.ravel(), cell_att)
    shot_tg, shot_slot, zone = cell // (n_slot * 3), (cell // 3) % n_slot, cell % 3
    n_shots = len(cell)
    distance = np.empty(n_shots)
    subtype = np.empty(n_shots, dtype=np.int64)
    for z, lo, names in ((0, 0, PAINT_SUBTYPES), (1, len(PAINT_SUBTYPES), MID_SUBTYPES),
                         (2, len(PAINT_SUBTYPES) + len(MID_SUBTYPES), THREE_SUBTYPES)):
        m = zone == z
        k = int(m.sum())
        subtype[m] = lo + rng.integers(len(names), size=k)
        if z == 0:
            distance[m] = rng.choice(9, size=k, p=[0.12, 0.25, 0.2, 0.13, 0.09, 0.07, 0.06, 0.05, 0.03])
        elif z == 1:
            distance[m] = rng.integers(9, 22, size=k)
        else:
            kind = rng.random(k)
            distance[m] = np.where(kind < 0.25, rng.integers(22, 24, size=k),
                                   np.where(kind < 0.99, rng.choice([24, 25, 26, 27], size=k, p=[0.35, 0.3, 0.2, 0.15]),
                                            rng.integers(30, 41, size=k)))
    player_1 = shot_tg * n_slot + shot_slot
    player_2 = np.full(n_shots, -1)
    role_2 = np.zeros(n_shots, dtype=np.int8)
    u = rng.random(n_shots)
    assisted = np.flatnonzero(shot_made & (u < ASSIST_P[zone]))
    pick = _pick(rng, ast_weight, shot_tg[assisted], shot_slot[assisted])
    ok = pick >= 0
    player_2[assisted[ok]] = shot_tg[assisted[ok]] * n_slot + pick[ok]
    role_2[assisted[ok]] = 1
    blocked = np.flatnonzero(~shot_made & (u < BLOCK_P[zone]))
    opponent = shot_tg[blocked] ^ 1
    pick = _pick(rng, blk_weight, opponent, None)
    player_2[blocked] = opponent * n_slot + pick
    role_2[blocked] = 2
    assists = np.bincount(player_2[role_2 == 1], minlength=n_tg * n_slot).reshape(n_tg, n_slot)
    blocks = np.bincount(player_2[role_2 == 2], minlength=n_tg * n_slot).reshape(n_tg, n_slot)

    # -- free throws -------------------------------------------------------------------------
    fgm = made.sum(-1).ravel()
    fta_f, ftm_f = fta.ravel(), ftm.ravel()
    and_one = np.minimum(rng.binomial(fgm, AND_ONE_P), fta_f)
    odd = (fta_f - and_one) % 2 == 1
    grow = odd & (and_one < fgm)
    and_one = and_one + grow
    technical = (odd & ~grow).astype(np.int64)
    pairs = (fta_f - and_one - technical) // 2
    owner = np.concatenate([np.repeat(np.arange(fta_f.size), n) for n in (and_one, technical, pairs, pairs)])
    ft_sub = np.concatenate([np.full(n.sum(), _FT0 + k) for k, n in enumerate((and_one, technical, pairs, pairs))])
    trip_time = rng.random(int(and_one.sum() + technical.sum() + pairs.sum()))
    n_single = int(and_one.sum() + technical.sum())
    ft_time = np.concatenate([trip_time, trip_time[n_single:]])
    ft_order = np.concatenate([np.zeros(n_single + pairs.sum()), np.ones(pairs.sum())])
    # which free throws went in: ftm of each player's attempts, chosen at random
    key = rng.random(len(owner))
    srt = np.lexsort((key, owner))
    pos = np.empty(len(owner), dtype=np.int64)
    start = np.cumsum(fta_f) - fta_f
    pos[srt] = np.arange(len(owner)) - start[owner[srt]]
    ft_made = pos < ftm_f[owner]

    # -- all events, ordered by a random clock within each game --------------------------------
    tg = np.concatenate([shot_tg, owner // n_slot])
    clock = np.concatenate([rng.random(n_shots), ft_time]) * game_minutes[tg]
    sub_order = np.concatenate([np.zeros(n_shots), ft_order])
    game = tg // 2
    order = np.lexsort((sub_order, clock, game))
    game_sorted = game[order]
    game_start = np.r_[0, np.flatnonzero(game_sorted[1:] != game_sorted[:-1]) + 1]
    seq = np.arange(len(order)) - np.repeat(game_start, np.diff(np.r_[game_start, len(order)])) + 1
    n_ft = len(owner)
    return Events(
        team_game=tg[order],
        sequence=seq,
        is_shot=np.r_[np.ones(n_shots, bool), np.zeros(n_ft, bool)][order],
        zone=np.r_[zone, np.full(n_ft, -1)][order],
        subtype=np.r_[subtype, ft_sub][order],
        made=np.r_[shot_made, ft_made][order],
        distance=np.r_[distance, np.full(n_ft, FT_DISTANCE)][order],
        player_1=np.r_[player_1, owner][order],
        player_2=np.r_[player_2, np.full(n_ft, -1)][order],
        role_2=np.r_[role_2, np.zeros(n_ft, np.int8)][order],
        assists=assists,
        blocks=blocks,
    )
