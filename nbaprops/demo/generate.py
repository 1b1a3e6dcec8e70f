"""The demo league's raw data: `generate(start, end, seed)`.

Every full season that intersects [start, end] is simulated (opener through the finals; all
games final) and returned whole — rows outside [start, end] included — so a date's data never
depends on the requested range, and history before `start` is there for look-back windows.
With `as_of`, the same seasons are then shown as on that date's morning (nbaprops/demo/as_of.py):
games before it final, games on it and after it scheduled.
`nba_static.travel_distances` is static. `nba_reference.player_aliases` holds a nickname spelling
of every player of the league's seasons through ALIAS_SEASONS_THROUGH with a common first-name
nickname ("Herb Smith" → herbertsmith), the same whichever seasons are generated; the demo's props
spell names as its box scores do, so no alias is ever needed to attach them (the consensus lines
do not depend on it), but the table and its loading are exercised on every backend.
See nbaprops/demo/README.md for the model.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from nbaprops import travel
from nbaprops.contracts import load_contract
from nbaprops.demo import calendar
from nbaprops.demo.as_of import on_the_morning_of
from nbaprops.demo.league import league
from nbaprops.demo.season import simulate_season
from nbaprops.demo.tables import season_tables
from nbaprops.raw.names import player_lookup

# Static tables are loaded whole by every raw season job, so they must not depend on the season
# generated (with each season's own players, the last season job to finish decided the table).
ALIAS_SEASONS_THROUGH = 2025
NICKNAMES = {"Anthony": "Tony", "Cameron": "Cam", "Herbert": "Herb", "Michael": "Mike", "Nickeil": "Nick",
             "Patrick": "Pat"}
TABLES = (
    "nba_raw.nbac_schedule",
    "nba_raw.nbac_gamebook_player_stats",
    "nba_raw.bdl_player_boxscores",
    "nba_raw.nbac_team_boxscore",
    "nba_raw.odds_api_player_points_props",
    "nba_raw.bettingpros_player_points_props",
    "nba_raw.odds_api_game_lines",
    "nba_raw.bigdataball_play_by_play",
    "nba_raw.nbac_injury_report",
    "nba_reference.nba_players_registry",
    "nba_reference.player_aliases",
    "nba_static.travel_distances",
    "nba_demo.oracle_player_points",
)


def generate(start: dt.date, end: dt.date, seed: int = 2021,
             as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the raw contract (plus registry, travel distances and the oracle) for the
    seasons touching [start, end], keyed "dataset.table", columns in contract order; with
    ``as_of``, as known on the morning of that date (nbaprops/demo/as_of.py)."""
    seasons = calendar.seasons_touching(start, end)
    for year in seasons:
        calendar.regular_season_dates(year)  # raises a clear error before FIRST_SEASON
    parts = [season_tables(simulate_season(year, seed), seed) for year in seasons]
    out = {}
    for table in TABLES:
        if table == "nba_static.travel_distances":
            out[table] = travel.travel_distances()
        elif table == "nba_reference.player_aliases":
            out[table] = nickname_aliases(league_players(seed))
        elif parts:
            out[table] = pd.concat([p[table] for p in parts], ignore_index=True)
        else:  # a range without games (e.g. July to September)
            out[table] = _empty(table)
    return out if as_of is None else on_the_morning_of(out, as_of)


def league_players(seed: int) -> pd.DataFrame:
    """Every player of the league's seasons through ALIAS_SEASONS_THROUGH (player_lookup, player_name)."""
    history = league(seed)
    history.season(ALIAS_SEASONS_THROUGH)
    return pd.DataFrame({"player_lookup": history.players.lookup, "player_name": history.players.name})


def nickname_aliases(registry: pd.DataFrame) -> pd.DataFrame:
    """One alias per player whose first name has a nickname: alias_lookup of "Herb Smith" →
    player_lookup herbertsmith."""
    players = registry.drop_duplicates("player_lookup").sort_values("player_lookup")
    rows = [(player_lookup(f"{NICKNAMES[first]} {rest}"), lookup, f"{NICKNAMES[first]} {rest}")
            for lookup, name in zip(players["player_lookup"], players["player_name"])
            for first, _, rest in [str(name).partition(" ")] if first in NICKNAMES]
    aliases = pd.DataFrame(rows, columns=["alias_lookup", "player_lookup", "alias_display"])
    return aliases.assign(reason="nickname", valid_from=travel.VALID_FROM)[
        load_contract("nba_reference.player_aliases").column_names]


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in load_contract(table).column_names})
