"""The demo league on the morning of a date (config ``raw.as_of``): what is known by then.

The seasons are simulated whole, exactly as without ``as_of``; then each raw row is kept,
changed or withheld by the state of its date (the contract's date column: the game's date, the
registry's first game date) relative to ``as_of``:

* before ``as_of`` — final: every row exactly as without ``as_of``;
* ``as_of`` itself — scheduled (the morning of game day): schedule rows with ``game_status`` 1,
  and what is published before tip-off: prop snapshots with ``minutes_before_tipoff >= 0``, the
  BettingPros lines and game lines (all taken before tip-off), the injury report and the
  registry; no gamebook, BDL or team box scores, play-by-play, in-game snapshots or oracle;
* after ``as_of`` — scheduled, not yet in any feed: schedule rows with ``game_status`` 1 only.

A scheduled game's schedule row has no score or winner, and its ``processed_at`` is the day
the league published the season's schedule (``schedule_published``), not the morning: a date's
rows depend only on its own state, never on how far ``as_of`` is from it, so the raw version of
a window (nbaprops/raw/versions.py) can follow the states of its dates alone.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping

import pandas as pd

from nbaprops.contracts import load_contract
from nbaprops.raw import STATIC_TABLES

SCHEDULE = "nba_raw.nbac_schedule"
PROPS = "nba_raw.odds_api_player_points_props"
# Tables with rows for the morning's games: what is published before tip-off.
PRE_TIP_TABLES = (
    "nba_raw.bettingpros_player_points_props",  # last updated 10-300 minutes before tip-off
    "nba_raw.odds_api_game_lines",              # snapshots 15 minutes to 20 hours before
    "nba_raw.nbac_injury_report",
    "nba_reference.nba_players_registry",
)
# Every other dated table (box scores, play-by-play, the oracle) describes or knows the game
# itself: rows only for dates before as_of.
SCHEDULED = 1  # nbac_schedule.game_status of a game not yet played
# The schedule's scores: a scheduled game has none (nor a winning team).
SCORES = ("home_team_score", "away_team_score")


def schedule_published(season_year: int) -> pd.Timestamp:
    """When the demo league publishes a season's schedule (mid-August, as the NBA does)."""
    return pd.Timestamp(dt.datetime(season_year, 8, 15, 16, 0), tz="UTC")


def on_the_morning_of(frames: Mapping[str, pd.DataFrame], as_of: dt.date) -> dict[str, pd.DataFrame]:
    """``frames`` (generate's tables) as known on the morning of ``as_of``."""
    out = {}
    for table, frame in frames.items():
        if table in STATIC_TABLES:
            out[table] = frame
            continue
        day = pd.to_datetime(frame[load_contract(table).date_column]).dt.date
        if table == SCHEDULE:
            out[table] = _schedule(frame, day >= as_of)
            continue
        keep = day < as_of
        if table == PROPS:
            keep |= (day == as_of) & (frame["minutes_before_tipoff"] >= 0)
        elif table in PRE_TIP_TABLES:
            keep |= day == as_of
        out[table] = frame if keep.all() else frame[keep.to_numpy()].reset_index(drop=True)
    return out


def _schedule(frame: pd.DataFrame, scheduled: pd.Series) -> pd.DataFrame:
    """Games on or after as_of as the schedule lists them before they are played."""
    if not scheduled.any():
        return frame
    frame = frame.copy()
    rows = scheduled.to_numpy()
    frame.loc[rows, "game_status"] = SCHEDULED
    for column in SCORES:
        frame[column] = frame[column].astype("Int64")  # nullable: NULL until the game is final
    for column in (*SCORES, "winning_team_tricode"):
        frame.loc[rows, column] = pd.NA
    frame.loc[rows, "processed_at"] = [schedule_published(int(y)) for y in frame.loc[rows, "season_year"]]
    return frame
