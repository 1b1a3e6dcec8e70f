"""Fixture builders shared by the Phase 4 table tests (no tests here).

Rows are built per table from the contract: every REQUIRED column gets a neutral filler value
unless the test gives it, so a fixture states only the values its expectations depend on.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping

import pandas as pd

from nbaprops.contracts import load_contract
from nbaprops.predictions.participation import played
from nbaprops.testing import fixture_warehouse
from test_phase3_fixtures import build as build_in_dag

OPENER = dt.date(2022, 10, 18)  # season 2022's first final game in every fixture schedule
SEASON = 2022

SCHEDULE = "nba_raw.nbac_schedule"
PLAY_BY_PLAY = "nba_raw.bigdataball_play_by_play"
INJURY_REPORT = "nba_raw.nbac_injury_report"
PGS = "nba_analytics.player_game_summary"
TOGS = "nba_analytics.team_offense_game_summary"
TDGS = "nba_analytics.team_defense_game_summary"
UPGC = "nba_analytics.upcoming_player_game_context"
UTGC = "nba_analytics.upcoming_team_game_context"
TDZA = "nba_precompute.team_defense_zone_analysis"
PSZA = "nba_precompute.player_shot_zone_analysis"
PCF = "nba_precompute.player_composite_factors"
PDC = "nba_precompute.player_daily_cache"
MLFS = "nba_predictions.ml_feature_store_v2"

_FILLER = {"STRING": "x", "INT64": 0, "FLOAT64": 0.0, "BOOL": False, "JSON": "{}",
           "TIMESTAMP": pd.Timestamp("2022-01-01", tz="UTC")}


def day(n: int) -> dt.date:
    """The date n days after the fixture season's opener (day 0)."""
    return OPENER + dt.timedelta(days=n)


def game_id(date: dt.date, away: str, home: str) -> str:
    return f"{date:%Y%m%d}_{away}_{home}"


def row(table: str, **values) -> dict:
    """One row of ``table``: the given values plus a filler for every other REQUIRED column."""
    out = {}
    for col in load_contract(table).columns:
        if col.name in values:
            out[col.name] = values[col.name]
        elif col.required:
            out[col.name] = [] if col.type.startswith("ARRAY") else _FILLER.get(col.type, OPENER)
    unknown = set(values) - set(out)
    if unknown:
        raise KeyError(f"{table} has no columns {sorted(unknown)}")
    return out


def schedule_rows(games: Iterable[tuple[dt.date, str, str]]) -> list[dict]:
    """Final schedule games (date, away, home)."""
    return [row(SCHEDULE, game_id=f"00222{i:05d}", game_date=d, season_year=SEASON, game_status=3,
                away_team_tricode=away, home_team_tricode=home, home_team_score=100, away_team_score=90)
            for i, (d, away, home) in enumerate(games)]


def optional_sources(on: dt.date) -> dict[str, list[dict]]:
    """One play-by-play event and one injury-report row on ``on`` (a final game date of the
    schedule): the season has both optional sources from then on (D13)."""
    return {PLAY_BY_PLAY: [row(PLAY_BY_PLAY, game_id=game_id(on, "OPP", "AAA"), game_date=on, event_sequence=1)],
            INJURY_REPORT: [row(INJURY_REPORT, game_date=on, report_date=on, report_hour=17, team="AAA",
                                player_lookup="nobody", injury_status="out")]}


def warehouse(tmp_path, tables: Mapping[str, list[dict]]):
    frames = {}
    for table, rows in tables.items():
        frames[table] = pd.DataFrame(rows) if rows else pd.DataFrame(columns=load_contract(table).column_names)
    return fixture_warehouse(tmp_path, frames)


def build(wh, table: str, start: dt.date, end: dt.date | None = None, *, staging: bool = True) -> pd.DataFrame:
    """Run the table's SQL (after the staging tables it reads, unless ``staging=False``), check the
    rows against its contract, store them and return them."""
    return build_in_dag(wh, table, start, end or start, staging=staging)


def violated_invariants(wh, table: str, start: dt.date, end: dt.date) -> dict[str, int]:
    """Invariant name -> number of violating rows, for every invariant the stored rows break."""
    from nbaprops.gates import _check_invariants

    results = _check_invariants(wh, load_contract(table), {"start_date": start, "end_date": end})
    return {r.name: r.violations for r in results if r.violations}


class Row(dict):
    """One result row: attribute access, SQL NULLs as None, arrays as lists."""

    __getattr__ = dict.__getitem__


def _plain(value):
    if hasattr(value, "__len__") and not isinstance(value, str):
        return [_plain(v) for v in value]
    return None if pd.isna(value) else value


def one(frame: pd.DataFrame, **keys) -> Row:
    """The single row of ``frame`` matching ``keys``."""
    mask = pd.Series(True, index=frame.index)
    for col, value in keys.items():
        mask &= frame[col] == (pd.Timestamp(value) if isinstance(value, dt.date) else value)
    found = frame[mask]
    assert len(found) == 1, f"expected one row for {keys}, found {len(found)}"
    return Row({col: _plain(value) for col, value in found.iloc[0].items()})


# ---------------------------------------------------------------- Phase 3 rows
def pgs_row(date: dt.date, player: str, team: str, opp: str, home: bool, *, points: int, minutes: float = 30.0,
            paint=(6, 3), mid=(4, 2), three=(5, 2), ft_makes: int = 0, assisted: int = 3,
            usage_rate: float | None = 20.0, ts_pct: float | None = 0.55, zones: bool = True) -> dict:
    """A player_game_summary row; shot zones as (attempts, makes)."""
    away, home_team = (opp, team) if home else (team, opp)
    fg_makes = paint[1] + mid[1] + three[1]
    return row(PGS, player_lookup=player, game_id=game_id(date, away, home_team), game_date=date, season_year=SEASON,
               team_abbr=team, opponent_team_abbr=opp, home_game=home, points=points, minutes_played=minutes,
               fg_attempts=paint[0] + mid[0] + three[0], fg_makes=fg_makes, three_pt_attempts=three[0],
               three_pt_makes=three[1], ft_makes=ft_makes, ft_attempts=ft_makes,
               paint_attempts=paint[0] if zones else None, paint_makes=paint[1] if zones else None,
               mid_range_attempts=mid[0] if zones else None, mid_range_makes=mid[1] if zones else None,
               assisted_fg_makes=assisted if zones else None,
               unassisted_fg_makes=fg_makes - assisted if zones else None,
               shot_zones_available=zones, usage_rate=usage_rate, ts_pct=ts_pct, is_active=True,
               played=played(minutes, points), player_status="active")


def tdgs_row(date: dt.date, team: str, opp: str, home: bool, *, paint=(40, 24), mid=(20, 8), three=(30, 11),
             points_allowed: int = 110, defensive_rating: float = 110.0, opponent_pace: float = 100.0,
             blocks=(3, 1, 0), zones: bool = True) -> dict:
    """A team_defense_game_summary row: what ``team`` allowed ``opp``; zones as (attempts, makes)."""
    away, home_team = (opp, team) if home else (team, opp)
    return row(TDGS, game_id=game_id(date, away, home_team), game_date=date, season_year=SEASON,
               defending_team_abbr=team, opponent_team_abbr=opp, home_game=home, points_allowed=points_allowed,
               opp_paint_attempts=paint[0] if zones else None, opp_paint_makes=paint[1] if zones else None,
               opp_mid_range_attempts=mid[0] if zones else None, opp_mid_range_makes=mid[1] if zones else None,
               opp_three_pt_attempts=three[0], opp_three_pt_makes=three[1],
               points_in_paint_allowed=2 * paint[1] if zones else None, three_pt_points_allowed=3 * three[1],
               blocks_paint=blocks[0] if zones else None, blocks_mid_range=blocks[1] if zones else None,
               blocks_three_pt=blocks[2] if zones else None, defensive_rating=defensive_rating,
               opponent_pace=opponent_pace, shot_zones_available=zones)


def togs_row(date: dt.date, team: str, opp: str, home: bool, *, won: bool, pace: float = 100.0,
             offensive_rating: float = 112.0) -> dict:
    away, home_team = (opp, team) if home else (team, opp)
    return row(TOGS, game_id=game_id(date, away, home_team), game_date=date, season_year=SEASON, team_abbr=team,
               opponent_team_abbr=opp, home_game=home, points_scored=110 if won else 100,
               points_allowed=100 if won else 110, win_flag=won, pace=pace, offensive_rating=offensive_rating)


def upgc_row(date: dt.date, player: str, team: str, opp: str, home: bool, **context) -> dict:
    """An upcoming_player_game_context row; ``context`` overrides the pre-game fields."""
    away, home_team = (opp, team) if home else (team, opp)
    values = dict(player_lookup=player, universal_player_id=f"{player}_001", game_id=game_id(date, away, home_team),
                  game_date=date, season_year=SEASON, team_abbr=team, opponent_team_abbr=opp, home_game=home,
                  season_phase="early", back_to_back=context.get("days_rest") == 1, is_production_ready=True)
    values.update(context)
    return row(UPGC, **values)


def utgc_row(date: dt.date, team: str, opp: str, home: bool, **context) -> dict:
    away, home_team = (opp, team) if home else (team, opp)
    values = dict(team_abbr=team, game_id=game_id(date, away, home_team), game_date=date, season_year=SEASON,
                  opponent_team_abbr=opp, home_game=home, is_production_ready=True)
    values.update(context)
    return row(UTGC, **values)


PHASE4_ORDER = (TDZA, PSZA, PCF, PDC, MLFS)


def build_phase4(wh, start: dt.date, end: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Build the five Phase 4 tables in DAG order for [start, end]; their rows by table."""
    return {table: build(wh, table, start, end) for table in PHASE4_ORDER}
