"""The demo league on the morning of D (raw.as_of = D, D12): Phase 3 on that morning builds the
same pre-game rows of D as the backfill after D's games went final, and the post-game tables wait
for D. The day after (schedule rows only) gets its contexts too."""
import datetime as dt

import pandas as pd
import pytest

from nbaprops.catalogue import POSTGAME_TABLES
from nbaprops.demo.generate import generate
from nbaprops.testing import fixture_warehouse
from test_phase3_fixtures import DAG_ORDER, PGS, UPGC, UTGC, build

START, D = dt.date(2022, 11, 8), dt.date(2022, 11, 10)
NEXT = D + dt.timedelta(days=1)
PRE_GAME_TABLES = [t for t in DAG_ORDER if t not in POSTGAME_TABLES]


def on(frame: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    dates = pd.to_datetime(frame["game_date"]).dt.date
    return frame[(dates >= first) & (dates <= last)].reset_index(drop=True)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    """Phase 3 over [START, D + 1] from the demo as it is after the games (backfill) and as it
    was on D's morning."""
    out = {}
    for name, as_of in (("backfill", None), ("morning", D)):
        raw = generate(START, NEXT, seed=2021, as_of=as_of)
        raw.pop("nba_demo.oracle_player_points", None)
        wh = fixture_warehouse(tmp_path_factory.mktemp(name), raw)
        out[name] = {table: build(wh, table, START, NEXT, staging=False) for table in DAG_ORDER}
    return out


@pytest.mark.parametrize("table", PRE_GAME_TABLES)
def test_the_morning_builds_the_backfills_pre_game_rows(worlds, table):
    backfill, morning = on(worlds["backfill"][table], START, D), on(worlds["morning"][table], START, D)
    assert len(on(morning, D, D)) > 0
    pd.testing.assert_frame_equal(morning, backfill, check_dtype=False)


def test_post_game_rows_wait_for_the_games(worlds):
    assert len(on(worlds["backfill"][PGS], D, D)) > 0
    assert on(worlds["morning"][PGS], D, NEXT).empty
    before = D - dt.timedelta(days=1)
    pd.testing.assert_frame_equal(on(worlds["morning"][PGS], START, D), on(worlds["backfill"][PGS], START, before),
                                  check_dtype=False)


@pytest.mark.parametrize("day", [D, NEXT])
def test_every_scheduled_team_has_a_context_and_a_roster(worlds, day):
    teams = on(worlds["morning"][UTGC], day, day)
    players = on(worlds["morning"][UPGC], day, day)
    assert len(teams) > 0 and len(teams) % 2 == 0
    per_team = players.groupby("team_abbr").size()
    assert set(per_team.index) == set(teams.team_abbr)
    assert per_team.min() >= 8   # a team's last box score lists its whole roster (DNP and inactive too)
