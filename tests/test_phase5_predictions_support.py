"""Fixture league for the Phase 5A tests (no tests here): feature-store, context, prop-line and
box-score rows of a small deterministic league, where points follow the features plus noise."""
from __future__ import annotations

import datetime as dt

import numpy as np
from test_phase4_support import MLFS, PGS, UPGC, game_id, pgs_row, row, upgc_row, warehouse

from nbaprops.predictions.features import FEATURE_NAMES, FEATURE_VERSION

PREDICTIONS = "nba_predictions.player_prop_predictions_base"
LINES = "nba_staging.player_prop_lines"
TEAMS = ("BOS", "NYK", "LAL", "GSW")
FIRST, LAST = dt.date(2022, 11, 1), dt.date(2022, 12, 20)


def dates(first: dt.date = FIRST, last: dt.date = LAST) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def mlfs_row(date: dt.date, player: str, team: str, opp: str, home: bool, values: dict, *,
             days_rest: int | None = 2, quality: float = 92.0) -> dict:
    away, home_team = (opp, team) if home else (team, opp)
    return row(MLFS, player_lookup=player, universal_player_id=f"{player}_001", game_date=date,
               game_id=game_id(date, away, home_team), team_abbr=team, opponent_team_abbr=opp, is_home=home,
               days_rest=days_rest, features=[float(values[n]) for n in FEATURE_NAMES],
               feature_names=list(FEATURE_NAMES), feature_sources=["phase4"] * 25, feature_count=25,
               feature_version=FEATURE_VERSION, feature_quality_score=quality, quality_tier="silver",
               data_source="phase4", is_production_ready=True, **{n: float(values[n]) for n in FEATURE_NAMES})


def league(players_per_team: int = 10, first: dt.date = FIRST, last: dt.date = LAST, seed: int = 0) -> dict:
    """Every player plays every day (BOS at NYK, LAL at GSW, venues alternating). Player k of a
    team: listed out on days where (day + k) % 17 == 0 (no box score), no prop line when k is 9.
    A line's bets on offer: four bookmakers, the over a point lower at draftkings (+100) every
    third day, the under at -110 everywhere."""
    rng = np.random.default_rng(seed)
    tables = {MLFS: [], PGS: [], UPGC: [], LINES: []}
    talent = {f"{t.lower()}_{k}": 6.0 + 2.2 * k + (i % 2) for i, t in enumerate(TEAMS) for k in range(players_per_team)}
    for n, day in enumerate(dates(first, last)):
        for away, home in (("BOS", "NYK"), ("LAL", "GSW")):
            if n % 2:
                away, home = home, away
            for team, opp, is_home in ((home, away, True), (away, home, False)):
                opp_def = 104.0 + (n * 7 + len(opp)) % 17
                for k in range(players_per_team):
                    player = f"{team.lower()}_{k}"
                    base = talent[player] + rng.normal(0, 1.5)
                    values = dict(
                        points_avg_last_5=round(base + rng.normal(0, 1.0), 1), points_avg_last_10=round(base, 1),
                        points_avg_season=round(talent[player], 1), points_std_last_10=round(rng.uniform(2, 9), 1),
                        games_in_last_7_days=float(rng.integers(1, 5)), fatigue_score=float(rng.integers(40, 101)),
                        shot_zone_mismatch_score=round(rng.uniform(-5, 5), 1), pace_score=round(rng.uniform(-3, 3), 1),
                        usage_spike_score=0.0, rest_advantage=0.0, injury_risk=0.0, recent_trend=0.0,
                        minutes_change=0.0, opponent_def_rating=opp_def, opponent_pace=100.0,
                        home_away=1.0 if is_home else 0.0, back_to_back=0.0, playoff_game=0.0, pct_paint=0.35,
                        pct_mid_range=0.2, pct_three=0.35, pct_free_throw=0.15, team_pace=100.0,
                        team_off_rating=112.0, team_win_pct=0.5)
                    tables[MLFS].append(mlfs_row(day, player, team, opp, is_home, values, days_rest=1 + n % 3))
                    out = (n + k) % 17 == 0
                    line = None if k == 9 else round(talent[player]) + 0.5
                    tables[UPGC].append(upgc_row(day, player, team, opp, is_home, player_status="out" if out else None,
                                                 has_prop_line=line is not None, current_points_line=line,
                                                 current_points_line_source="consensus" if line else None))
                    if line is not None:
                        shop = n % 3 == 0
                        tables[LINES].append(row(
                            LINES, game_date=day, player_lookup=player, current_points_line=line,
                            opening_points_line=line - (n % 2), current_points_line_books=4,
                            player_match="exact", current_points_line_mean=line - 0.25 * shop, no_vig_over_mean=0.5,
                            consensus_over_price_american=-110, consensus_under_price_american=-110,
                            best_over_line=line - shop, best_over_price_american=100 if shop else -110,
                            best_over_bookmaker="draftkings", best_under_line=line,
                            best_under_price_american=-110, best_under_bookmaker="fanduel"))
                    if not out:
                        expected = base + 0.25 * (opp_def - 110) + (1.0 if is_home else -1.0)
                        points = int(max(0, round(expected + rng.normal(0, 4))))
                        tables[PGS].append(pgs_row(day, player, team, opp, is_home, points=points))
    return tables


def league_warehouse(path, tables: dict | None = None):
    return warehouse(path, tables or league())
