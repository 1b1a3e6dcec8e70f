"""team_defense_game_summary: the offence rows seen from the other side, worked out by hand."""
import pandas as pd
import pytest

from test_phase3_fixtures import TDGS, TOGS, assert_invariants, build, day, row, team_games_raw, warehouse

D = day("2025-01-20")


@pytest.fixture(scope="module")
def tdgs(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("tdgs"), team_games_raw())
    build(wh, TOGS, D, D)
    out = build(wh, TDGS, D, D)
    assert_invariants(wh, TDGS, D, D)
    return out


def test_two_rows_per_game(tdgs):
    assert len(tdgs) == 8
    assert sorted(tdgs.defending_team_abbr) == ["BOS", "CHI", "DEN", "GSW", "LAL", "MIA", "NYK", "PHX"]


def test_opponent_offence_and_defensive_rating(tdgs):
    bos = row(tdgs, defending_team_abbr="BOS")
    assert (bos.opponent_team_abbr, bos.points_allowed) == ("LAL", 105)
    assert (bos.opp_fg_makes, bos.opp_fg_attempts, bos.opp_three_pt_makes, bos.opp_ft_attempts) == (38, 90, 9, 25)
    assert (bos.turnovers_forced, bos.fouls_committed, bos.opp_rebounds) == (14, 18, 45)
    # 105 / (90 + 0.44*25 - 12 + 14) * 100 = 105 / 103 * 100
    assert bos.defensive_rating == pytest.approx(101.94)
    assert bos.opponent_pace == pytest.approx(103.0)
    # 105 / (2 * (90 + 11)) = 0.5198
    assert bos.opponent_ts_pct == pytest.approx(0.520)
    assert bos.three_pt_points_allowed == 27
    lal = row(tdgs, defending_team_abbr="LAL")
    # 112 / 100.8 * 100
    assert lal.defensive_rating == pytest.approx(111.11)
    assert lal.opponent_pace == pytest.approx(100.8)


def test_result_is_compared_on_points(tdgs):
    bos, lal = row(tdgs, defending_team_abbr="BOS"), row(tdgs, defending_team_abbr="LAL")
    assert bos.win_flag and bos.margin_of_victory == 7
    assert not lal.win_flag and lal.margin_of_victory == -7
    assert bos.home_game and not lal.home_game


def test_zones_allowed_and_blocks_by_zone(tdgs):
    lal = row(tdgs, defending_team_abbr="LAL")
    # BOS's shots: paint 2 (1 made), mid 2 (1 made); LAL blocked the 3-ft layup
    assert (lal.opp_paint_attempts, lal.opp_paint_makes) == (2, 1)
    assert (lal.opp_mid_range_attempts, lal.opp_mid_range_makes) == (2, 1)
    assert (lal.points_in_paint_allowed, lal.mid_range_points_allowed, lal.three_pt_points_allowed) == (2, 2, 36)
    assert (lal.blocks_paint, lal.blocks_mid_range, lal.blocks_three_pt) == (1, 0, 0)
    bos = row(tdgs, defending_team_abbr="BOS")
    # BOS blocked LAL's only shot, a three
    assert (bos.opp_paint_attempts, bos.blocks_paint, bos.blocks_three_pt) == (0, 0, 1)
    assert bos.shot_zones_available


def test_real_overtime_periods(tdgs):
    gsw = row(tdgs, defending_team_abbr="GSW")
    assert gsw.overtime_periods == 2
    # the opponent's pace per 48 minutes: 103.0 * 48 / 58
    assert gsw.opponent_pace == pytest.approx(85.2)
    assert gsw.defensive_rating == pytest.approx(101.94)
    assert row(tdgs, defending_team_abbr="MIA").overtime_periods == 1


def test_reconstructed_game_defensive_actions_and_flags(tdgs):
    mia = row(tdgs, defending_team_abbr="MIA")
    # MIA's own steals / defensive rebounds are the sums of its 5 active players (1 and 2 each)
    assert (mia.steals, mia.defensive_rebounds, mia.blocks) == (5, 10, 0)
    assert mia.points_allowed == 90
    # NYK: 90 / 86.6 * 100
    assert mia.defensive_rating == pytest.approx(103.93)
    assert mia.primary_source_used == "reconstructed_team_from_gamebook"
    assert not mia.shot_zones_available and pd.isna(mia.opp_paint_attempts)
    assert {"backup_source_used", "reconstructed", "shot_zones_unavailable"} <= set(mia.quality_issues)
