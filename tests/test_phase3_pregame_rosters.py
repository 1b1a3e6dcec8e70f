"""nba_staging.pregame_rosters on a season's opening night (D12), by hand: a team's roster is its
last box score of the previous season; a team without any box score in the year before takes the
registry's players of the season listed with it from a first game on or before the date."""
import pandas as pd
import pytest

from test_phase3_fixtures import (ROSTERS, assert_invariants, build, day, gamebook, registry, schedule,
                                  warehouse)

OPENER = day("2024-10-22")


@pytest.fixture(scope="module")
def rosters(tmp_path_factory):
    tables = {
        "nba_raw.nbac_schedule": [
            schedule("2024-04-14", "WAS", "BOS", away_score=90, home_score=120, season_year=2023),
            schedule("2024-10-22", "NYK", "BOS", status=1, nba_game_id="0022400001"),
        ],
        "nba_raw.nbac_gamebook_player_stats": [
            gamebook("2024-04-14", "bos1", "BOS", "WAS", "BOS", season_year=2023),
            gamebook("2024-04-14", "bos2", "BOS", "WAS", "BOS", status="dnp", season_year=2023),
            gamebook("2024-04-14", "bos3", "BOS", "WAS", "BOS", status="inactive", season_year=2023),
            gamebook("2024-04-14", "was1", "WAS", "WAS", "BOS", season_year=2023),   # WAS does not play
        ],
        "nba_reference.nba_players_registry": [
            registry("nyk1", "nyk1_001", "NYK", first_game="2024-10-22"),
            registry("nyk2", "nyk2_001", "NYK", first_game="2024-11-30"),   # joins later: not yet
            registry("nyk3", "nyk3_001", "NYK", season_year=2023, first_game="2023-10-25"),   # last season
            registry("bos9", "bos9_001", "BOS", first_game="2024-10-22"),   # BOS has a box score: not read
        ],
    }
    wh = warehouse(tmp_path_factory.mktemp("rosters"), tables)
    out = build(wh, ROSTERS, OPENER, OPENER)
    assert_invariants(wh, ROSTERS, OPENER, OPENER)
    return out


def test_opening_night_rosters(rosters):
    got = [(r.team_abbr, r.player_lookup, r.roster_game_date.date().isoformat(),
            None if pd.isna(r.roster_game_status) else r.roster_game_status, r.roster_source)
           for r in rosters.sort_values(["team_abbr", "player_lookup"]).itertuples()]
    assert got == [
        # the team's last gamebook of the previous season, active, DNP and inactive alike
        ("BOS", "bos1", "2024-04-14", "active", "nbac_gamebook"),
        ("BOS", "bos2", "2024-04-14", "dnp", "nbac_gamebook"),
        ("BOS", "bos3", "2024-04-14", "inactive", "nbac_gamebook"),
        # no NYK box score in the year before: the registry's players of the season so far
        ("NYK", "nyk1", "2024-10-22", None, "nba_players_registry"),
    ]
