"""team_defense_zone_analysis: zone windows, vs-league comparisons and their fallbacks, exact values."""
import pytest
from test_phase4_support import (SCHEDULE, TDGS, TDZA, build, day, one, schedule_rows, tdgs_row, violated_invariants,
                                 warehouse)

D = day(20)


def _games(team, opp, days, **values):
    return [tdgs_row(day(n), team, opp, n % 2 == 0, **values) for n in days]


@pytest.fixture(scope="module")
def zones(tmp_path_factory):
    """BOS: 16 games before D (the oldest falls outside the 15-game window) plus D's own game;
    MIA: 7 games without mid-range attempts; ORL: 7 games, one without play-by-play; LAL: 3 games.
    Fewer than 10 teams, so the league average falls back to the defaults."""
    tmp_path = tmp_path_factory.mktemp("zones")
    tdgs = (
        _games("BOS", "NYK", [2], paint=(20, 20), mid=(10, 10), three=(30, 30), points_allowed=150,
               defensive_rating=150.0, opponent_pace=120.0)
        + _games("BOS", "NYK", range(3, 13), paint=(20, 11), mid=(10, 4), three=(30, 12), blocks=(3, 1, 0),
                 points_allowed=108, defensive_rating=110.0, opponent_pace=99.0)
        + _games("BOS", "NYK", range(13, 18), paint=(22, 13), mid=(10, 4), three=(30, 12), blocks=(4, 1, 1),
                 points_allowed=111, defensive_rating=113.0, opponent_pace=102.0)
        + _games("BOS", "NYK", [20], paint=(20, 0), mid=(10, 0), three=(30, 0), points_allowed=40,
                 defensive_rating=40.0, opponent_pace=60.0)  # D's own game: never read for D (D1)
        + _games("MIA", "ORL", range(4, 11), paint=(10, 5), mid=(0, 0), three=(20, 7))
        + _games("ORL", "MIA", range(4, 10), paint=(10, 6), mid=(5, 2), three=(25, 9))
        + _games("ORL", "MIA", [10], three=(25, 9), zones=False)
        + _games("LAL", "GSW", [5, 9, 15], paint=(10, 5), mid=(5, 2), three=(25, 9))
    )
    wh = warehouse(tmp_path, {SCHEDULE: schedule_rows([(day(0), "GSW", "LAL"), (D, "NYK", "BOS")]), TDGS: tdgs})
    return wh, build(wh, TDZA, D)


def test_full_window_uses_last_15_games_before_d_against_default_league(zones):
    _, out = zones
    bos = one(out, team_abbr="BOS", analysis_date=D)
    # 10 games paint 11/20 + 5 games 13/22 = 175/310; mid 60/150; three 180/450
    assert bos.games_in_sample == 15
    assert bos.paint_pct_allowed_last_15 == pytest.approx(0.565)
    assert bos.mid_range_pct_allowed_last_15 == pytest.approx(0.400)
    assert bos.three_pt_pct_allowed_last_15 == pytest.approx(0.400)
    assert bos.paint_defense_vs_league_avg == pytest.approx(-1.55)  # (0.564516 - 0.580) * 100
    assert bos.mid_range_defense_vs_league_avg == pytest.approx(-1.00)
    assert bos.three_pt_defense_vs_league_avg == pytest.approx(4.50)
    assert (bos.strongest_zone, bos.weakest_zone) == ("paint", "perimeter")
    assert bos.paint_attempts_allowed_per_game == pytest.approx(20.7)  # 310 / 15
    assert bos.paint_points_allowed_per_game == pytest.approx(23.3)  # 2 * 175 / 15
    assert bos.paint_blocks_per_game == pytest.approx(3.3)  # (10*3 + 5*4) / 15
    assert bos.three_pt_blocks_per_game == pytest.approx(0.3)
    assert bos.defensive_rating_last_15 == pytest.approx(111.0)
    assert bos.opponent_points_per_game == pytest.approx(109.0)
    assert bos.opponent_pace == pytest.approx(100.0)
    assert (bos.league_paint_pct, bos.league_mid_range_pct, bos.league_three_pt_pct) == (0.58, 0.41, 0.355)
    assert bos.league_average_source == "default" and bos.league_average_teams is None
    assert bos.data_quality_tier == "high" and bos.is_production_ready and not bos.early_season_flag
    assert bos.insufficient_data_reason is None
    assert list(bos.data_quality_issues) == ["league_average_default"]


def test_partial_window_is_flagged_not_dropped(zones):
    _, out = zones
    mia = one(out, team_abbr="MIA")
    assert mia.games_in_sample == 7
    assert mia.paint_pct_allowed_last_15 == pytest.approx(0.5)
    assert mia.paint_defense_vs_league_avg == pytest.approx(-8.0)
    assert mia.mid_range_pct_allowed_last_15 is None and mia.mid_range_defense_vs_league_avg is None  # no attempts
    assert mia.three_pt_defense_vs_league_avg == pytest.approx(-0.5)  # 49/140 = 0.350
    assert (mia.strongest_zone, mia.weakest_zone) == ("paint", "perimeter")
    assert mia.calculation_notes == "No mid-range attempts"
    assert mia.data_quality_tier == "low" and mia.early_season_flag and not mia.is_production_ready
    assert mia.insufficient_data_reason == "Only 7 games of a 15-game window"
    assert list(mia.data_quality_issues) == ["thin_sample", "league_average_default"]


def test_zone_means_skip_games_without_play_by_play(zones):
    _, out = zones
    orl = one(out, team_abbr="ORL")
    assert orl.games_in_sample == 7
    assert orl.paint_pct_allowed_last_15 == pytest.approx(0.6)  # 36/60 over the 6 covered games
    assert orl.paint_attempts_allowed_per_game == pytest.approx(10.0)  # not 60/7
    assert orl.three_pt_pct_allowed_last_15 == pytest.approx(0.36)  # box score: all 7 games, 63/175


def test_below_five_games_metrics_are_null(zones):
    _, out = zones
    lal = one(out, team_abbr="LAL")
    assert lal.games_in_sample == 3
    assert all(lal[c] is None for c in ("paint_pct_allowed_last_15", "defensive_rating_last_15",
                                        "opponent_points_per_game", "paint_defense_vs_league_avg"))
    assert lal.strongest_zone is None and lal.weakest_zone is None
    assert lal.insufficient_data_reason == "Only 3 games, need 5 to compute"


def test_every_team_with_a_season_game_gets_a_row_and_invariants_hold(zones):
    wh, out = zones
    assert sorted(out.team_abbr) == ["BOS", "LAL", "MIA", "ORL"]  # NYK/GSW have no defence rows
    assert violated_invariants(wh, TDZA, D, D) == {}


def test_league_average_from_teams_with_ten_games_in_thirty_days(tmp_path):
    """Ten teams with 10 games in [D-30, D): paint pct 0.50 + 0.02 i, so the league paint pct is
    0.59. A team with 9 games and a team without play-by-play do not count."""
    d = day(30)
    tdgs = []
    for i in range(10):
        tdgs += _games(f"T{i:02d}", "OPP", range(15, 25), paint=(50, 25 + i), mid=(10, 4), three=(20, 7))
    tdgs += _games("T10", "OPP", range(16, 25), paint=(50, 50), mid=(10, 10), three=(20, 20))
    tdgs += _games("T11", "OPP", range(15, 25), three=(20, 20), zones=False)
    wh = warehouse(tmp_path, {SCHEDULE: schedule_rows([(day(0), "OPP", "T00"), (d, "OPP", "T00")]), TDGS: tdgs})
    out = build(wh, TDZA, d)
    t0 = one(out, team_abbr="T00")
    assert t0.league_average_source == "computed" and t0.league_average_teams == 10
    assert (t0.league_paint_pct, t0.league_mid_range_pct, t0.league_three_pt_pct) == (0.59, 0.4, 0.35)
    assert t0.paint_defense_vs_league_avg == pytest.approx(-9.0)
    assert t0.mid_range_defense_vs_league_avg == pytest.approx(0.0)
    assert t0.three_pt_defense_vs_league_avg == pytest.approx(0.0)
    assert t0.games_in_sample == 10 and t0.data_quality_tier == "medium"
    assert list(t0.data_quality_issues) == ["thin_sample"]
    t9 = one(out, team_abbr="T09")
    assert t9.paint_defense_vs_league_avg == pytest.approx(9.0)  # 0.68 - 0.59
    assert violated_invariants(wh, TDZA, d, d) == {}


def test_nine_qualifying_teams_fall_back_to_defaults(tmp_path):
    d = day(30)
    tdgs = []
    for i in range(9):
        tdgs += _games(f"T{i:02d}", "OPP", range(15, 25), paint=(50, 30), mid=(10, 4), three=(20, 7))
    wh = warehouse(tmp_path, {SCHEDULE: schedule_rows([(day(0), "OPP", "T00"), (d, "OPP", "T00")]), TDGS: tdgs})
    t0 = one(build(wh, TDZA, d), team_abbr="T00")
    assert t0.league_average_source == "default"
    assert t0.paint_defense_vs_league_avg == pytest.approx(2.0)  # 0.60 - 0.58
