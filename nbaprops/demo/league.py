"""Players, rosters and their evolution across seasons (everything results-independent).

The league starts in `calendar.FIRST_SEASON` with 30 rosters of 15 generated players and evolves
season by season from the seed alone, so a season's state never depends on which date range was
requested or on any game result.

Player model (one row per player, arrays indexed by player id `pid`):

* `archetype` guard / wing / big (40/33/27 %): sets the shot-zone profile, free-throw rate and
  per-36 rates of rebounds, assists, steals, blocks, turnovers and fouls (each ×lognormal 0.25).
* `talent` ~ N(0, 1) plus an age curve and a development random walk give the season's
  `rating`. Age curve: −0.025·(27 − age)² below 27 (a 20-year-old is −1.2), flat 27–30,
  −0.06·(age − 30)² above 30 (a 34-year-old is −0.96). Development: +N(0, 0.2) per season.
* A rating point is worth +8 base minutes, +0.055 usage share and +2.5 % make probability
  (simulate.py) — together roughly ×1.7 points per game. League ratings: mean ≈ 0, sd ≈ 1.15.

Between seasons: players age one year; retirement with probability 3 % + (age ≥ 33:
25 % + 12 %/year over 33) + (rating < −1: 30 %); ~15 % of the others change teams in free
agency; as many rookies (age 19–22, talent ~ N(0.1, 1)) enter as players retired. During each
regular season 24–36 one-for-one trades happen on random dates before the deadline (round 55).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from nbaprops.demo.calendar import FIRST_SEASON
from nbaprops.demo.names import NameFactory, player_lookup

N_TEAMS = 30
ROSTER = 15
GUARD, WING, BIG = 0, 1, 2
ZONES = ("paint", "mid", "three")
# shot-zone mix (paint, mid-range, three) by archetype; the player's own mix ~ Dirichlet(40·base)
ZONE_PROFILE = np.array([[0.26, 0.26, 0.48], [0.31, 0.25, 0.44], [0.62, 0.22, 0.16]])
FT_RATE = np.array([0.22, 0.24, 0.32])         # free-throw attempts per field-goal attempt
FT_PCT = np.array([0.82, 0.79, 0.71])
# per-36-minute rates: offensive reb, defensive reb, assists, steals, blocks, turnovers, fouls
RATE_NAMES = ("oreb", "dreb", "ast", "stl", "blk", "tov", "pf")
RATES = np.array([
    [0.7, 3.4, 5.6, 1.2, 0.3, 2.1, 2.2],
    [1.1, 4.8, 2.8, 1.0, 0.5, 1.5, 2.5],
    [3.3, 8.2, 2.0, 0.7, 1.6, 1.6, 3.1],
])
TRADE_DEADLINE_ROUND = 55

STREAM_BASE, STREAM_OFFSEASON, STREAM_TRADES, STREAM_TEAMS = 11, 12, 13, 14


def _rng(seed: int, season: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, season, stream])


def age_curve(age: np.ndarray) -> np.ndarray:
    age = np.asarray(age, dtype=float)
    young = -0.025 * np.clip(27.0 - age, 0, None) ** 2
    old = -0.06 * np.clip(age - 30.0, 0, None) ** 2
    return young + old


@dataclass
class Players:
    """Career-constant attributes of every player who ever played in the league."""
    name: list[str] = field(default_factory=list)
    lookup: list[str] = field(default_factory=list)
    birth_season: np.ndarray = field(default_factory=lambda: np.zeros(0))   # season_year − age
    archetype: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    talent: np.ndarray = field(default_factory=lambda: np.zeros(0))
    zone_profile: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    zone_skill: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    ft_rate: np.ndarray = field(default_factory=lambda: np.zeros(0))
    ft_pct: np.ndarray = field(default_factory=lambda: np.zeros(0))
    usage_ind: np.ndarray = field(default_factory=lambda: np.zeros(0))
    minutes_ind: np.ndarray = field(default_factory=lambda: np.zeros(0))
    rates: np.ndarray = field(default_factory=lambda: np.zeros((0, 7)))

    def __len__(self) -> int:
        return len(self.name)

    def add(self, rng: np.random.Generator, names: NameFactory, season: int, ages: np.ndarray,
            talent: np.ndarray) -> np.ndarray:
        n = len(ages)
        arch = rng.choice(3, size=n, p=[0.40, 0.33, 0.27])
        profile = np.stack([rng.dirichlet(40 * ZONE_PROFILE[a]) for a in arch]) if n else np.zeros((0, 3))
        new = dict(
            birth_season=season - ages,
            archetype=arch,
            talent=talent,
            zone_profile=profile,
            zone_skill=rng.normal(0, 0.04, size=(n, 3)),
            ft_rate=FT_RATE[arch] * rng.lognormal(0, 0.25, size=n),
            ft_pct=np.clip(FT_PCT[arch] + rng.normal(0, 0.05, size=n), 0.45, 0.95),
            usage_ind=rng.lognormal(0, 0.12, size=n),
            minutes_ind=rng.normal(0, 2.0, size=n),
            rates=RATES[arch] * rng.lognormal(0, 0.25, size=(n, 7)),
        )
        start = len(self)
        for key, value in new.items():
            setattr(self, key, np.concatenate([getattr(self, key), value]))
        display = names.draw(rng, n)
        self.name.extend(display)
        self.lookup.extend(player_lookup(x) for x in display)
        return np.arange(start, start + n)


@dataclass(frozen=True)
class Trade:
    round: int          # effective from the first date of this regular-season round
    team_a: int
    team_b: int
    slot_a: int
    slot_b: int
    pid_a: int          # leaves team_a for team_b
    pid_b: int          # leaves team_b for team_a


@dataclass
class Season:
    """One season's league state: opening rosters, trades, ratings and team parameters."""
    season_year: int
    rosters: np.ndarray            # (30, 15) pid at the opener; team index = teams.csv order
    trades: list[Trade]
    rating: np.ndarray             # (n_players,) rating this season (NaN for players not in it)
    pace: np.ndarray               # (30,) possessions per 48 minutes
    offense: np.ndarray            # (30,) relative make-probability bonus of the team's shooters
    defense: np.ndarray            # (30,) relative make-probability allowed to opponents, all zones
    zone_defense: np.ndarray       # (30, 3) extra allowed by zone (paint, mid, three)

    @property
    def final_rosters(self) -> np.ndarray:
        rosters = self.rosters.copy()
        for t in self.trades:
            rosters[t.team_a, t.slot_a], rosters[t.team_b, t.slot_b] = t.pid_b, t.pid_a
        return rosters


class League:
    """The league's whole history for one seed, built lazily season by season."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.players = Players()
        self._names = NameFactory()
        self._dev = np.zeros(0)
        self._seasons: dict[int, Season] = {}

    def season(self, season_year: int) -> Season:
        if season_year < FIRST_SEASON:
            raise ValueError(f"the demo league starts with the {FIRST_SEASON} season")
        while season_year not in self._seasons:
            nxt = max(self._seasons, default=FIRST_SEASON - 1) + 1
            self._seasons[nxt] = self._build(nxt)
        return self._seasons[season_year]

    def age(self, season_year: int) -> np.ndarray:
        return season_year - self.players.birth_season

    # -- season construction ------------------------------------------------------------------
    def _build(self, year: int) -> Season:
        if year == FIRST_SEASON:
            rng = _rng(self.seed, year, STREAM_BASE)
            ages = np.clip(np.round(rng.triangular(19, 25, 37, size=N_TEAMS * ROSTER)), 19, 37)
            pids = self.players.add(rng, self._names, year, ages, rng.normal(0, 1, size=len(ages)))
            self._dev = np.zeros(len(self.players))
            rosters = rng.permutation(pids).reshape(N_TEAMS, ROSTER)
            pace = rng.uniform(95, 105, size=N_TEAMS)
            offense = rng.normal(0, 0.02, size=N_TEAMS)
            defense = rng.normal(0, 0.02, size=N_TEAMS)
            zone_defense = rng.normal(0, 0.05, size=(N_TEAMS, 3))
        else:
            prev = self._seasons[year - 1]
            rosters = self._offseason(year, prev.final_rosters, prev.rating)
            rng = _rng(self.seed, year, STREAM_TEAMS)
            pace = np.clip(0.5 * prev.pace + 0.5 * rng.uniform(95, 105, size=N_TEAMS), 95, 105)
            offense = 0.5 * prev.offense + rng.normal(0, 0.017, size=N_TEAMS)
            defense = 0.5 * prev.defense + rng.normal(0, 0.017, size=N_TEAMS)
            zone_defense = 0.5 * prev.zone_defense + rng.normal(0, 0.043, size=(N_TEAMS, 3))
        rating = np.full(len(self.players), np.nan)
        in_league = rosters.ravel()
        rating[in_league] = (self.players.talent[in_league] + age_curve(self.age(year)[in_league])
                             + self._dev[in_league])
        trades = self._trades(year, rosters)
        return Season(year, rosters, trades, rating, pace, offense, defense, zone_defense)

    def _offseason(self, year: int, rosters: np.ndarray, last_rating: np.ndarray) -> np.ndarray:
        rng = _rng(self.seed, year, STREAM_OFFSEASON)
        rosters = rosters.copy()
        flat = rosters.ravel()
        age = self.age(year)[flat]
        p_retire = (0.03 + (age >= 33) * (0.25 + 0.12 * (age - 33))
                    + (last_rating[flat] < -1.0) * 0.30)
        retire = rng.random(flat.size) < np.clip(p_retire, 0, 0.95)
        free_agent = ~retire & (rng.random(flat.size) < 0.15)
        n_rookies = int(retire.sum())
        rookie_ages = rng.choice([19, 20, 21, 22], size=n_rookies, p=[0.2, 0.3, 0.25, 0.25]).astype(float)
        rookies = self.players.add(rng, self._names, year, rookie_ages, rng.normal(0.1, 1.0, size=n_rookies))
        self._dev = np.concatenate([self._dev, np.zeros(n_rookies)])
        self._dev = self._dev + rng.normal(0, 0.2, size=len(self._dev))
        open_slots = np.flatnonzero(retire | free_agent)
        pool = np.concatenate([flat[free_agent], rookies])
        flat[open_slots] = rng.permutation(pool)
        return flat.reshape(N_TEAMS, ROSTER)

    def _trades(self, year: int, rosters: np.ndarray) -> list[Trade]:
        rng = _rng(self.seed, year, STREAM_TRADES)
        n = int(rng.integers(24, 37))
        rounds = np.sort(rng.integers(5, TRADE_DEADLINE_ROUND, size=n))
        current = rosters.copy()
        trades = []
        for rnd in rounds:
            a, b = rng.choice(N_TEAMS, size=2, replace=False)
            sa, sb = rng.integers(ROSTER, size=2)
            trade = Trade(int(rnd), int(a), int(b), int(sa), int(sb), int(current[a, sa]), int(current[b, sb]))
            current[a, sa], current[b, sb] = trade.pid_b, trade.pid_a
            trades.append(trade)
        return trades


@functools.lru_cache(maxsize=4)
def league(seed: int) -> League:
    """The (lazily extended) league of a seed, shared within a process."""
    return League(seed)

