"""Game simulation: pre-game state, true expected points, and realised box scores.

Batches of games (a whole regular season, a play-in day, a playoff round) are simulated at once
with numpy over arrays shaped (team-games, 15 roster slots); only playoff matchups need earlier
results, so a season takes a handful of batches. Effect sizes (all in the README table):

Team level, per team-game, expressed in team points (≈112 a game) and applied as a relative
change of field-goal make probability (`1 + pts / 95`, field goals being ≈95 of the points):
  home +1.5, away −1.5 (home margin +3) · back-to-back −1.5 · 2 days rest +0.3 · 3+ days
  rest +0.6 · trip ≥ 1,500 miles since the last game −0.5 · −0.3 per time zone moved east
  (max 3).
Pace: possessions = mean of both teams' pace (95–105; playoffs ×0.97); expected team field-goal
attempts = 0.87 × possessions; realised ×lognormal(sd 0.06) shared by both teams.
Offence/defence: the team's shooters make +N(0, 2 %) more; its opponents make +N(0, 2 %)
overall and +N(0, 5 %) per zone (paint ≤ 8 ft, mid-range, three) — opponent zone defence.
Player level: base minutes 22 + 8·rating (clipped 4–38, + an individual N(0, 2)), ×form,
×a season trend (young players rise), ×0.88 for players 30+ on a back-to-back, ×(1 + 0.04·rating⁺)
in the postseason; scaled so the 8–11 players who play share exactly 240 minutes (cap 42).
Usage 0.19 + 0.055·rating (clipped 0.08–0.40, × individual lognormal 0.12); make probability
×(1 + 0.025·rating); base make probability 60 % paint, 42 % mid-range, 35.5 % three. Field-goal
attempts are the team's attempts split by minutes × usage share, so the shots of absent players go to the others in
proportion to usage. Form: three per-player AR(1) processes over days (φ = 0.97; sd 0.05 on
make probability, 0.10 on usage, 0.08 on minutes).

The oracle is the expected points of each active player-game given all of that (attempts ×
zone mix × make probability × value + free throws), ×1.005 for the expected share of overtime.
Realisation: the team's attempts ~ Normal(expected × pace shock, 3) are split among its players
and zones multinomially in proportion to share × a per-player minutes shock (lognormal 0.15),
makes are binomial, free throws Poisson/binomial. A game tied after regulation goes to 5-minute
overtimes until it is decided; a team down 1–3 at the end ties it in 25 % of such games (its
highest-usage player makes a free throw, layup or three), which brings overtime to ~5 % of games.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nbaprops.demo.league import League, Season, ROSTER, N_TEAMS

ZONE_VALUE = np.array([2, 2, 3])
MINUTES_BASE, MINUTES_PER_RATING, MINUTES_RANGE = 22.0, 8.0, (4.0, 38.0)
USAGE_BASE, USAGE_PER_RATING, USAGE_RANGE = 0.19, 0.055, (0.08, 0.40)
SKILL_PER_RATING = 0.025
BASE_MAKE = np.array([0.60, 0.42, 0.355])
HOME_PTS, AWAY_PTS = 1.5, -1.5
B2B_PTS, REST2_PTS, REST3_PTS = -1.5, 0.3, 0.6
LONG_TRIP_MILES, LONG_TRIP_PTS, TZ_EAST_PTS = 1500, -0.5, -0.3
FG_POINTS = 95.0
FGA_PER_POSSESSION = 0.87
OT_FACTOR = 1.005
MINUTES_CAP = 42.0
GAME_SHOCK_SD, PLAYER_SHOCK_SD, TEAM_FGA_SD = 0.06, 0.15, 3.0
TYING_SHOT_P = 0.25

KIND_REGULAR, KIND_PLAYIN, KIND_PLAYOFF = 0, 1, 2

# player status in the gamebook
INACTIVE, DNP, ACTIVE = 0, 1, 2
# injury-report listing
NOT_LISTED, OUT, DOUBTFUL, QUESTIONABLE, PROBABLE, AVAILABLE = range(6)
STATUS_NAMES = ("", "out", "doubtful", "questionable", "probable", "available")

INJURY_REASONS = tuple(
    f"Injury/Illness - {part}; {kind}"
    for part, kind in [
        ("Left Ankle", "Sprain"), ("Right Ankle", "Sprain"), ("Left Knee", "Soreness"),
        ("Right Knee", "Tendinitis"), ("Low Back", "Spasms"), ("Left Hamstring", "Strain"),
        ("Right Hamstring", "Strain"), ("Right Foot", "Contusion"), ("Left Calf", "Strain"),
        ("Right Shoulder", "Soreness"), ("Left Wrist", "Sprain"), ("Right Hip", "Soreness"),
        ("Left Groin", "Strain"), ("Right Thumb", "Sprain"), ("Nose", "Fracture"),
    ]) + ("Injury/Illness - Illness", "Injury/Illness - Non-COVID Illness")
REASON_REST = len(INJURY_REASONS)
REASON_GLEAGUE = REASON_REST + 1
REASON_PERSONAL = REASON_GLEAGUE + 1
REASONS = INJURY_REASONS + ("Rest", "G League - Two-Way", "Personal Reasons")
REASON_CATEGORIES = tuple("illness" if "Illness" in r.split(" - ")[1] else "injury" for r in INJURY_REASONS) + (
    "rest", "g league", "personal")

STREAM_PLAYER_DAYS, STREAM_GAMES = 31, 32


@dataclass
class Batch:
    """Results of simulating a batch of games. Team-game 2g is game g's home team, 2g+1 away."""
    day: np.ndarray          # (G,) days since the opener
    home: np.ndarray
    away: np.ndarray
    kind: int
    n_ot: np.ndarray         # (G,)
    team: np.ndarray         # (TG,)
    rest_gap: np.ndarray     # (TG,) days since the team's previous game
    pid: np.ndarray          # (TG, 15)
    status: np.ndarray       # (TG, 15) INACTIVE / DNP / ACTIVE
    listing0: np.ndarray     # (TG, 15) injury-report listing the day before
    listing1: np.ndarray     # (TG, 15) listing on game day (latest)
    reason: np.ndarray       # (TG, 15) index into REASONS
    expected: np.ndarray     # (TG, 15) true expected points (0 unless active)
    seconds: np.ndarray      # (TG, 15) seconds played
    att: np.ndarray          # (TG, 15, 3) field-goal attempts by zone
    made: np.ndarray         # (TG, 15, 3)
    fta: np.ndarray
    ftm: np.ndarray
    oreb: np.ndarray
    dreb: np.ndarray
    stl: np.ndarray
    tov: np.ndarray
    pf: np.ndarray
    plus_minus: np.ndarray
    ast_weight: np.ndarray   # (TG, 15) propensity to assist (rate × minutes), 0 if not playing
    blk_weight: np.ndarray

    @property
    def points(self) -> np.ndarray:
        return (self.made * ZONE_VALUE).sum(-1) + self.ftm

    @property
    def team_points(self) -> np.ndarray:
        return self.points.sum(1)


def _ar1(rng: np.random.Generator, n: int, days: int, sd: float, phi: float = 0.97) -> np.ndarray:
    out = np.empty((n, days), dtype=np.float64)
    x = rng.normal(0, sd, size=n)
    innovation = rng.normal(0, sd * np.sqrt(1 - phi**2), size=(days, n))
    for d in range(days):
        x = phi * x + innovation[d]
        out[:, d] = x
    return out


def _capped_share(weight: np.ndarray, total: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Scale each row of `weight` to sum to `total`, no entry above `cap` (excess redistributed
    in proportion to the uncapped weights)."""
    share = weight * (total / weight.sum(1))[:, None]
    for _ in range(6):
        capped = share >= cap[:, None]
        if not (share > cap[:, None]).any():
            break
        free = np.where(capped, 0.0, weight)
        room = total - (capped * cap[:, None]).sum(1)
        share = np.where(capped, cap[:, None], free * (room / np.maximum(free.sum(1), 1e-12))[:, None])
    return share


def _integer_split(weight: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Integers proportional to each row of `weight`, summing exactly to `total` (largest
    remainder)."""
    exact = weight * (total / weight.sum(1))[:, None]
    base = np.floor(exact).astype(np.int64)
    short = total - base.sum(1)
    frac = np.where(weight > 0, exact - base, -1.0)
    rank = np.empty_like(base)
    order = np.argsort(-frac, axis=1, kind="stable")
    np.put_along_axis(rank, order, np.arange(weight.shape[1])[None, :].repeat(len(weight), 0), axis=1)
    return base + (rank < short[:, None])


class SeasonSimulator:
    """Simulates one season's games batch by batch, carrying each team's last game (for rest
    and travel) from batch to batch."""

    def __init__(self, league: League, season: Season, seed: int, trade_days: list[int], n_days: int,
                 distance: np.ndarray, utc_offset: np.ndarray):
        self.league, self.season, self.seed = league, season, seed
        self.year = season.season_year
        self.trade_days = trade_days
        self.distance, self.utc_offset = distance, utc_offset
        self.last_day = np.full(N_TEAMS, -10)
        self.last_arena = np.arange(N_TEAMS)
        players = league.players
        pids = season.rosters.ravel()
        self.local = np.full(len(players), -1)
        self.local[pids] = np.arange(len(pids))
        self.age = league.age(self.year)
        self._player_days(pids, n_days)

    def _player_days(self, pids: np.ndarray, n_days: int) -> None:
        """Injury spells, form and minutes trend of every player of the season, by day."""
        rng = np.random.default_rng([self.seed, self.year, STREAM_PLAYER_DAYS])
        n = len(pids)
        age = self.age[pids]
        injured = np.zeros((n, n_days + 1), dtype=bool)
        reason = np.zeros((n, n_days + 1), dtype=np.int16)
        n_spells = rng.poisson(1.5 + 0.08 * np.clip(age - 28, 0, None))
        who = np.repeat(np.arange(n), n_spells)
        kind = rng.choice(3, size=len(who), p=[0.7, 0.25, 0.05])
        length = np.ceil(rng.exponential(np.array([6.0, 20.0, 70.0])[kind])).astype(int)
        start = rng.integers(0, n_days, size=len(who))
        preseason = rng.random(n) < 0.03
        who = np.concatenate([who, np.flatnonzero(preseason)])
        start = np.concatenate([start, np.zeros(preseason.sum(), dtype=int)])
        length = np.concatenate([length, rng.integers(20, 120, size=preseason.sum())])
        spell_reason = rng.integers(len(INJURY_REASONS), size=len(who))
        for w, s, ln, r in zip(who, start, length, spell_reason):
            injured[w, s:s + ln] = True
            reason[w, s:s + ln] = r
        self.injured, self.injury_reason = injured, reason
        self.form_skill = _ar1(rng, n, n_days + 1, 0.05)
        self.form_usage = _ar1(rng, n, n_days + 1, 0.10)
        self.form_minutes = _ar1(rng, n, n_days + 1, 0.08)
        self.trend = rng.normal(0, 0.10, size=n) + 0.10 * (age <= 23)
        self.n_days = n_days

    def rosters_on(self, team: np.ndarray, day: np.ndarray) -> np.ndarray:
        roster = self.season.rosters[team].copy()
        for trade, trade_day in zip(self.season.trades, self.trade_days):
            after = day >= trade_day
            roster[after & (team == trade.team_a), trade.slot_a] = trade.pid_b
            roster[after & (team == trade.team_b), trade.slot_b] = trade.pid_a
        return roster

    def run(self, day: np.ndarray, home: np.ndarray, away: np.ndarray, kind: int, batch_no: int) -> Batch:
        rng = np.random.default_rng([self.seed, self.year, STREAM_GAMES, batch_no])
        season, players = self.season, self.league.players
        n_games = len(day)
        team = np.column_stack([home, away]).ravel()
        opp = np.column_stack([away, home]).ravel()
        is_home = np.tile([True, False], n_games)
        tday = np.repeat(day, 2)
        arena = np.repeat(home, 2)
        postseason = kind != KIND_REGULAR

        # -- rest and travel since each team's previous game -------------------------------
        order = np.lexsort((tday, team))
        t_sorted = team[order]
        first = np.r_[True, t_sorted[1:] != t_sorted[:-1]]
        last = np.r_[t_sorted[1:] != t_sorted[:-1], True]
        prev_day = np.r_[0, tday[order][:-1]]
        prev_arena = np.r_[0, arena[order][:-1]]
        prev_day[first] = self.last_day[t_sorted[first]]
        prev_arena[first] = self.last_arena[t_sorted[first]]
        gap = np.empty(len(team), dtype=int)
        came_from = np.empty(len(team), dtype=int)
        gap[order] = tday[order] - prev_day
        came_from[order] = prev_arena
        self.last_day[t_sorted[last]] = tday[order][last]
        self.last_arena[t_sorted[last]] = arena[order][last]
        miles = self.distance[came_from, arena]
        tz_east = np.clip(self.utc_offset[arena] - self.utc_offset[came_from], 0, 3)
        situation = (np.where(is_home, HOME_PTS, AWAY_PTS) + B2B_PTS * (gap == 1) + REST2_PTS * (gap == 3)
                     + REST3_PTS * (gap >= 4) + LONG_TRIP_PTS * (miles >= LONG_TRIP_MILES) + TZ_EAST_PTS * tz_east)

        # -- who is available ----------------------------------------------------------------
        pid = self.rosters_on(team, tday)
        loc = self.local[pid]
        d = tday[:, None]
        rating = season.rating[pid]
        age = self.age[pid]
        injured = self.injured[loc, d]
        spell_ends = injured & ~self.injured[loc, d + 1]
        depth = np.argsort(np.argsort(-rating, axis=1), axis=1)
        u = rng.random((len(team), ROSTER, 4))
        gleague = ~injured & (age <= 23) & (depth >= 12) & (u[..., 0] < 0.4)
        rested = (~injured & ~gleague & (rating > 1.0) & (age >= 30) & (gap == 1)[:, None]
                  & (u[..., 1] < 0.25) & (not postseason))
        healthy = ~injured & ~gleague & ~rested
        q = healthy & (u[..., 2] < 0.035)
        p = healthy & (u[..., 2] >= 0.035) & (u[..., 2] < 0.065)
        dbt = healthy & (u[..., 2] >= 0.065) & (u[..., 2] < 0.073)
        personal = healthy & (u[..., 2] >= 0.073) & (u[..., 2] < 0.076)
        plays = np.where(q, u[..., 3] < 0.75, np.where(p, u[..., 3] < 0.97, np.where(dbt, u[..., 3] < 0.2, True)))
        available = healthy & ~personal & plays

        listing0 = np.full(pid.shape, NOT_LISTED, dtype=np.int8)
        spell_tag = np.where(u[..., 3] < 0.25, QUESTIONABLE, np.where(u[..., 3] < 0.5, DOUBTFUL, OUT))
        listing0[injured] = np.where(spell_ends, spell_tag, OUT)[injured]
        listing0[q], listing0[p], listing0[dbt], listing0[personal] = QUESTIONABLE, PROBABLE, DOUBTFUL, OUT
        listing1 = listing0.copy()
        listing1[injured | gleague | rested | personal] = OUT
        listing1[(q | p | dbt) & ~available] = OUT
        upgrade = rng.choice(np.array([QUESTIONABLE, PROBABLE, AVAILABLE], dtype=np.int8), size=pid.shape,
                             p=[0.3, 0.2, 0.5])
        listing1[q & available] = upgrade[q & available]
        listing1[dbt & available] = QUESTIONABLE
        reason = self.injury_reason[loc, d].astype(np.int16)
        minor = rng.integers(len(INJURY_REASONS), size=pid.shape)
        reason[q | p | dbt] = minor[q | p | dbt]
        reason[gleague], reason[rested], reason[personal] = REASON_GLEAGUE, REASON_REST, REASON_PERSONAL

        # -- rotation and minutes ------------------------------------------------------------
        if postseason:
            k = rng.choice([8, 9, 10], size=len(team), p=[0.35, 0.45, 0.20])
        else:
            k = rng.choice([8, 9, 10, 11], size=len(team), p=[0.15, 0.35, 0.35, 0.15])
        score = np.where(available, rating + self.form_minutes[loc, d] + rng.normal(0, 0.3, size=pid.shape), -np.inf)
        rank = np.argsort(np.argsort(-score, axis=1), axis=1)
        playing = available & (rank < k[:, None])
        status = np.where(playing, ACTIVE, np.where(available, DNP, INACTIVE)).astype(np.int8)

        season_frac = d / 180.0 - 0.5
        weight = (np.clip(MINUTES_BASE + MINUTES_PER_RATING * rating + players.minutes_ind[pid], *MINUTES_RANGE)
                  * np.exp(self.form_minutes[loc, d] + self.trend[loc] * season_frac)
                  * np.where((gap == 1)[:, None] & (age >= 30), 0.88, 1.0)
                  * (1 + 0.04 * np.clip(rating, 0, None) * postseason))
        weight = np.where(playing, weight, 0.0)
        cap = np.maximum(MINUTES_CAP, 240.0 / np.maximum(playing.sum(1), 1) + 1e-6)
        minutes = _capped_share(weight, np.full(len(team), 240.0), cap)

        usage = (np.clip(USAGE_BASE + USAGE_PER_RATING * rating, *USAGE_RANGE) * players.usage_ind[pid]
                 * np.exp(self.form_usage[loc, d]))
        volume = minutes * usage
        share = volume / volume.sum(1, keepdims=True)
        possessions = (season.pace[home] + season.pace[away]) / 2 * (0.97 if postseason else 1.0)
        lam_fga = (FGA_PER_POSSESSION * np.repeat(possessions, 2))[:, None] * share

        zone_mix = players.zone_profile[pid]
        make = (BASE_MAKE * (1 + SKILL_PER_RATING * rating)[..., None] * (1 + players.zone_skill[pid])
                * np.exp(self.form_skill[loc, d])[..., None]
                * (1 + season.offense[team])[:, None, None]
                * (1 + season.defense[opp][:, None] + season.zone_defense[opp])[:, None, :]
                * (1 + situation / FG_POINTS)[:, None, None])
        make = np.clip(make, 0.05, 0.85)
        lam_fta = lam_fga * players.ft_rate[pid]
        ft_pct = players.ft_pct[pid]
        expected = np.where(playing, ((lam_fga[..., None] * zone_mix * make * ZONE_VALUE).sum(-1)
                                      + lam_fta * ft_pct) * OT_FACTOR, 0.0)

        # -- realisation ---------------------------------------------------------------------
        # The team's attempts are drawn once (pace shock shared by both teams plus noise) and
        # split among its players and zones: a player's extra minutes come out of his teammates'.
        game_shock = np.repeat(rng.lognormal(-GAME_SHOCK_SD**2 / 2, GAME_SHOCK_SD, size=n_games), 2)
        player_shock = rng.lognormal(-PLAYER_SHOCK_SD**2 / 2, PLAYER_SHOCK_SD, size=pid.shape) * playing
        team_fga = lam_fga.sum(1) * game_shock
        pvals = (share * player_shock)[..., None] * zone_mix
        pvals = (pvals / pvals.sum((1, 2), keepdims=True)).reshape(len(team), -1)
        lam_ft = lam_fta * game_shock[:, None] * player_shock

        def draw(rows: np.ndarray, fraction: float):
            n = np.maximum(0, np.rint(rng.normal(team_fga[rows] * fraction, TEAM_FGA_SD * np.sqrt(fraction))))
            a = rng.multinomial(n.astype(np.int64), pvals[rows]).reshape(len(rows), ROSTER, 3)
            f = rng.poisson(lam_ft[rows] * fraction)
            return a, rng.binomial(a, make[rows]), f, rng.binomial(f, ft_pct[rows])

        def team_points(m, f):
            return (m * ZONE_VALUE).sum((1, 2)) + f.sum(1)

        att, made, fta, ftm = draw(np.arange(len(team)), 1.0)
        pts = team_points(made, ftm)
        # late-game tying shot: a team down 1-3 ties it with its highest-usage player's free
        # throw (down 1), layup (2) or three (3) in 25 % of such games
        lead = pts[0::2] - pts[1::2]
        rescue = np.flatnonzero((np.abs(lead) <= 3) & (lead != 0) & (rng.random(n_games) < TYING_SHOT_P))
        trailing = 2 * rescue + (lead[rescue] > 0)
        shooter = np.argmax(np.where(playing[trailing], share[trailing], -1.0), axis=1)
        deficit = np.abs(lead[rescue])
        for need, zone in ((2, 0), (3, 2)):
            rows, cols = trailing[deficit == need], shooter[deficit == need]
            att[rows, cols, zone] += 1
            made[rows, cols, zone] += 1
        rows, cols = trailing[deficit == 1], shooter[deficit == 1]
        fta[rows, cols] += 1
        ftm[rows, cols] += 1
        n_ot = np.zeros(n_games, dtype=int)
        pts = team_points(made, ftm)
        tied = np.flatnonzero(pts[0::2] == pts[1::2])
        while len(tied):  # overtime: five more minutes of the same game, until someone leads
            rows = np.column_stack([2 * tied, 2 * tied + 1]).ravel()
            for total, extra in zip((att, made, fta, ftm), draw(rows, 5 / 48)):
                total[rows] += extra
            n_ot[tied] += 1
            pts = team_points(made, ftm)
            tied = tied[pts[2 * tied] == pts[2 * tied + 1]]

        game_minutes = np.repeat(48 + 5 * n_ot, 2)
        played_share = _capped_share(minutes * player_shock * (game_minutes / 48.0)[:, None],
                                     game_minutes * 5.0, np.maximum(cap, 44.0) + 5 * np.repeat(n_ot, 2))
        seconds = _integer_split(played_share, game_minutes * 300)
        played = seconds / 60.0
        rates = players.rates[pid] * (played / 36.0)[..., None]
        oreb, dreb, _, stl, _, tov, pf = (rng.poisson(rates[..., i]) for i in range(7))
        pf = np.minimum(pf, 6)

        margin = pts - np.column_stack([pts[1::2], pts[0::2]]).ravel()
        pm = np.rint(margin[:, None] * played / game_minutes[:, None]
                     + rng.normal(0, 4, size=pid.shape)).astype(np.int64) * playing
        top = np.argmax(seconds, axis=1)
        pm[np.arange(len(team)), top] += 5 * margin - pm.sum(1)

        return Batch(
            day=day, home=home, away=away, kind=kind, n_ot=n_ot, team=team, rest_gap=gap, pid=pid,
            status=status, listing0=listing0, listing1=listing1, reason=reason, expected=expected,
            seconds=seconds, att=att, made=made, fta=fta, ftm=ftm, oreb=oreb, dreb=dreb, stl=stl,
            tov=tov, pf=pf, plus_minus=pm,
            ast_weight=players.rates[pid][..., 2] * played, blk_weight=players.rates[pid][..., 4] * played,
        )
