"""team_offense_game_summary: exact values worked out by hand from test_phase3_fixtures.team_games_raw."""
import pandas as pd
import pytest

from test_phase3_fixtures import TOGS, assert_invariants, build, day, row, team_games_raw, warehouse

D = day("2025-01-20")


@pytest.fixture(scope="module")
def togs(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("togs"), team_games_raw())
    out = build(wh, TOGS, D, D)
    assert_invariants(wh, TOGS, D, D)
    return out


def test_two_rows_per_game_and_latest_team_box_load_wins(togs):
    assert len(togs) == 8
    # the older BOS load (110 points) is ignored, so no duplicate rows either
    bos = row(togs, team_abbr="BOS")
    assert bos.points_scored == 112 and bos.points_allowed == 105


def test_possessions_rating_pace_from_team_box(togs):
    bos = row(togs, team_abbr="BOS")
    # 88 + 0.44*20 + 14 - 10 = 100.8 -> stored 100; 112 / 100.8 * 100 = 111.11; 100.8 * 48 / 48
    assert bos.possessions == 100
    assert bos.offensive_rating == pytest.approx(111.11)
    assert bos.pace == pytest.approx(100.8)
    # 112 / (2 * (88 + 8.8)) = 0.5785
    assert bos.ts_pct == pytest.approx(0.579)
    lal = row(togs, team_abbr="LAL")
    # 90 + 11 + 14 - 12 = 103.0; 105 / 103 * 100 = 101.94
    assert lal.possessions == 103
    assert lal.offensive_rating == pytest.approx(101.94)
    assert lal.pace == pytest.approx(103.0)


def test_result_margin_home_and_game_id(togs):
    bos, lal = row(togs, team_abbr="BOS"), row(togs, team_abbr="LAL")
    assert bos.win_flag and not lal.win_flag
    assert bos.margin_of_victory == 7 and lal.margin_of_victory == -7
    assert bos.home_game and not lal.home_game
    assert bos.game_id == lal.game_id == "20250120_LAL_BOS"
    assert bos.nba_game_id == "0022400561"
    assert bos.opponent_team_abbr == "LAL" and lal.opponent_team_abbr == "BOS"
    assert bos.primary_source_used == "nbac_team_boxscore" and bos.quality_tier == "gold"


def test_overtime_periods_and_pace_from_team_minutes(togs):
    assert row(togs, team_abbr="BOS").overtime_periods == 0
    gsw, phx = row(togs, team_abbr="GSW"), row(togs, team_abbr="PHX")
    # "290:00" = 240 + 2 * 25
    assert gsw.overtime_periods == phx.overtime_periods == 2
    # pace = possessions * 48 / (290 / 5): 100.8 * 48 / 58 = 83.42; 103.0 * 48 / 58 = 85.24
    assert gsw.pace == pytest.approx(83.4)
    assert phx.pace == pytest.approx(85.2)
    # the rating does not depend on minutes
    assert gsw.offensive_rating == pytest.approx(111.11)


def test_game_missing_from_team_box_is_rebuilt_from_active_gamebook_players(togs):
    mia, nyk = row(togs, team_abbr="MIA"), row(togs, team_abbr="NYK")
    # 5 active players x 20 points; the DNP row and BDL's 40-point MIA row are ignored
    assert (mia.points_scored, mia.fg_makes, mia.fg_attempts) == (100, 40, 75)
    assert (mia.three_pt_makes, mia.three_pt_attempts, mia.ft_makes, mia.ft_attempts) == (10, 25, 10, 10)
    assert (mia.offensive_rebounds, mia.turnovers) == (5, 5)
    # 75 + 4.4 + 5 - 5 = 79.4; 100 / 79.4 * 100 = 125.94
    assert mia.possessions == 79
    assert mia.offensive_rating == pytest.approx(125.94)
    # 5 x 53:00 = 265 player minutes: one overtime; pace = 79.4 * 48 / 53 = 71.91
    assert mia.overtime_periods == 1
    assert mia.pace == pytest.approx(71.9)
    # 80 + 6.6 + 5 - 5 = 86.6; 90 / 86.6 = 103.93; 86.6 * 48 / 53 = 78.43
    assert (nyk.points_scored, nyk.possessions) == (90, 86)
    assert nyk.offensive_rating == pytest.approx(103.93)
    assert nyk.pace == pytest.approx(78.4)
    assert mia.win_flag and mia.margin_of_victory == 10 and mia.home_game and not nyk.home_game
    assert mia.game_id == "20250120_NYK_MIA" and pd.isna(mia.nba_game_id)
    assert mia.primary_source_used == "reconstructed_team_from_gamebook"
    assert (mia.quality_tier, mia.quality_score) == ("silver", 85)
    assert {"backup_source_used", "reconstructed"} <= set(mia.quality_issues)


def test_game_missing_from_team_box_and_gamebook_is_rebuilt_from_bdl(togs):
    den, chi = row(togs, team_abbr="DEN"), row(togs, team_abbr="CHI")
    assert den.primary_source_used == chi.primary_source_used == "reconstructed_team_from_bdl"
    # DEN: 90 + 4.4 + 5 - 5 = 94.4 -> 94, 110 / 94.4 = 116.53; whole minutes 5 x 48 = 240: no overtime
    assert (den.points_scored, den.possessions, den.overtime_periods) == (110, 94, 0)
    assert den.offensive_rating == pytest.approx(116.53)
    assert den.pace == pytest.approx(94.4)
    # CHI: 85 + 8.8 + 5 - 5 = 93.8; 105 / 93.8 = 111.94
    assert chi.offensive_rating == pytest.approx(111.94)
    assert den.home_game and den.win_flag and den.margin_of_victory == 5


def test_shot_zones_from_play_by_play_with_8_foot_boundary(togs):
    bos = row(togs, team_abbr="BOS")
    # paint: 8.0 ft make + 3.0 ft blocked miss; mid: 8.1 ft miss + no-distance make; 3PT not a zone
    assert (bos.team_paint_attempts, bos.team_paint_makes) == (2, 1)
    assert (bos.team_mid_range_attempts, bos.team_mid_range_makes) == (2, 1)
    assert bos.points_in_paint_scored == 2
    assert (bos.paint_shots_blocked, bos.mid_range_shots_blocked, bos.three_pt_shots_blocked) == (1, 0, 0)
    assert bos.shot_zones_available and bos.shot_zones_source == "bigdataball_play_by_play"
    lal = row(togs, team_abbr="LAL")
    # covered game, LAL took only a (blocked) three: zones are 0, not NULL
    assert (lal.team_paint_attempts, lal.team_mid_range_attempts, lal.three_pt_shots_blocked) == (0, 0, 1)


def test_games_without_play_by_play_have_null_zones_and_an_issue(togs):
    mia = row(togs, team_abbr="MIA")
    assert not mia.shot_zones_available
    assert pd.isna(mia.team_paint_attempts) and pd.isna(mia.points_in_paint_scored)
    assert "shot_zones_unavailable" in set(mia.quality_issues)
    assert "shot_zones_unavailable" not in set(row(togs, team_abbr="BOS").quality_issues)
