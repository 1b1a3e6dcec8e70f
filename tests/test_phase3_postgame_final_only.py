"""Post-game tables (catalogue.POSTGAME_TABLES) describe final games only (D12): a game in progress
with partial box scores, or a scheduled one, has no rows until the schedule calls it final."""
import pytest

from nbaprops.catalogue import POSTGAME_TABLES
from test_phase3_fixtures import BOX, PGS, SHOTS, TDGS, TOGS, build, day, schedule, team_games_raw, warehouse

D = day("2025-01-20")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """team_games_raw's four games: LAL @ BOS in progress (team box and play-by-play already
    loaded), NYK @ MIA final, CHI @ DEN still scheduled (BDL rows anyway), PHX @ GSW missing from
    the schedule (kept: the gate reports it as unscheduled)."""
    raw = team_games_raw()
    raw["nba_raw.nbac_schedule"] = [
        schedule("2025-01-20", "LAL", "BOS", status=2, nba_game_id="0022400561"),
        schedule("2025-01-20", "NYK", "MIA", away_score=90, home_score=100, nba_game_id="0022400563"),
        schedule("2025-01-20", "CHI", "DEN", status=1, nba_game_id="0022400564"),
    ]
    wh = warehouse(tmp_path_factory.mktemp("postgame"), raw)
    return {table: build(wh, table, D, D, staging=False) for table in (BOX, SHOTS, TOGS, TDGS, PGS)}


def test_every_table_here_is_a_postgame_table():
    assert {BOX, SHOTS, TOGS, TDGS, PGS} <= POSTGAME_TABLES


def test_only_final_and_unscheduled_games_have_rows(built):
    assert sorted(built[TOGS].team_abbr) == ["GSW", "MIA", "NYK", "PHX"]
    assert sorted(set(built[TDGS].defending_team_abbr)) == ["GSW", "MIA", "NYK", "PHX"]
    assert sorted(set(built[BOX].team_abbr)) == sorted(set(built[PGS].team_abbr)) == ["MIA", "NYK"]
    assert built[SHOTS].empty   # the only play-by-play is of the game in progress
