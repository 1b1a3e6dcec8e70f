"""player_daily_cache: season stats before D, team context, completeness windows, exact values."""
import pytest
from test_phase4_support import (PDC, PGS, PSZA, SCHEDULE, TOGS, UPGC, build, day, one, pgs_row, row, schedule_rows,
                                 togs_row, upgc_row, violated_invariants, warehouse)

D = day(40)
BOS_DAYS = list(range(12, 40, 2))  # 14 team games before D, newest last
# ann skips days 34 and 26; newest first her points are 20 10 30 20 15 25 5 15 20 10 | 40 40
ANN = {38: 20, 36: 10, 32: 30, 30: 20, 28: 15, 24: 25, 22: 5, 20: 15, 18: 20, 16: 10, 14: 40, 12: 40}
ANN_USAGE = {38: 20.0, 36: 22.0, 32: 24.0, 30: 20.0, 28: 22.0, 24: 24.0, 22: 20.0, 20: 24.0, 18: None, 16: None,
             14: 30.0, 12: 30.0}


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("cache")
    pgs = [pgs_row(day(n), "ann", "BOS", "NYK", True, points=p, minutes=35.0 if n == 38 else 30.0,
                   usage_rate=ANN_USAGE[n], ts_pct=0.55, paint=(6, 3), mid=(4, 2), three=(5, 2), assisted=3,
                   zones=n != 22) for n, p in ANN.items()]
    pgs.append(pgs_row(D, "ann", "BOS", "NYK", True, points=99, minutes=48.0))  # D's own game (D1)
    pgs += [pgs_row(day(n), "bob", "BOS", "NYK", True, points=10) for n in BOS_DAYS]
    pgs += [pgs_row(day(n), "cal", "BOS", "NYK", True, points=10) for n in (20, 30, 38)]
    pgs += [pgs_row(day(n), "dan", "NYK", "BOS", False, points=12) for n in BOS_DAYS]  # traded from NYK
    pgs += [pgs_row(day(n), "eve", "LAL", "GSW", True, points=8) for n in range(12, 31, 2)]
    togs = [togs_row(day(n), "BOS", "NYK", True, won=True, pace=90.0, offensive_rating=100.0) for n in BOS_DAYS[:4]]
    togs += [togs_row(day(n), "BOS", "NYK", True, won=True, pace=102.0, offensive_rating=114.0) for n in BOS_DAYS[4:9]]
    togs += [togs_row(day(n), "BOS", "NYK", True, won=True, pace=100.0, offensive_rating=110.0) for n in BOS_DAYS[9:]]
    togs += [togs_row(D, "BOS", "NYK", True, won=True, pace=150.0, offensive_rating=150.0)]
    togs += [togs_row(day(n), "LAL", "GSW", True, won=True) for n in range(12, 31, 2)]
    context = dict(games_in_last_7_days=2, games_in_last_14_days=5, minutes_in_last_7_days=65,
                   minutes_in_last_14_days=155, back_to_backs_last_14_days=0, avg_minutes_per_game_last_7=32.5)
    roster = [upgc_row(D, p, "BOS", "NYK", True, **context) for p in ("ann", "bob", "cal", "dan", "fin")]
    roster.append(upgc_row(D, "eve", "LAL", "GSW", True, **context))
    zones = [row(PSZA, player_lookup="ann", analysis_date=D, season_year=2022, team_abbr="BOS",
                 primary_scoring_zone="paint", paint_rate_last_10=45.5, three_pt_rate_last_10=20.25)]
    wh = warehouse(tmp_path, {SCHEDULE: schedule_rows([(day(0), "NYK", "BOS"), (D, "NYK", "BOS")]),
                              PGS: pgs, TOGS: togs, UPGC: roster, PSZA: zones})
    return wh, build(wh, PDC, D)


def test_player_stats_over_games_before_d(cache):
    ann = one(cache[1], player_lookup="ann", cache_date=D)
    assert ann.games_played_season == 12
    assert (ann.points_avg_last_5, ann.points_avg_last_10, ann.points_avg_season) == pytest.approx((19.0, 17.0, 20.8))
    assert ann.points_std_last_10 == pytest.approx(7.53)  # sqrt(510 / 9)
    assert ann.minutes_avg_last_10 == pytest.approx(30.5)
    assert ann.usage_rate_last_10 == pytest.approx(22.0)  # 8 known values of the last 10
    assert ann.player_usage_rate_season == pytest.approx(23.6)
    assert ann.ts_pct_last_10 == pytest.approx(0.55)
    assert ann.assisted_rate_last_10 == pytest.approx(0.43)  # 27 / 63 over the 9 covered games, a fraction
    assert not ann.early_season_flag and ann.insufficient_data_reason is None


def test_team_context_over_its_last_10_games(cache):
    ann = one(cache[1], player_lookup="ann")
    assert ann.team_pace_last_10 == pytest.approx(101.0)
    assert ann.team_off_rating_last_10 == pytest.approx(112.0)


def test_context_and_shot_zones_are_copied(cache):
    ann = one(cache[1], player_lookup="ann")
    assert (ann.games_in_last_7_days, ann.minutes_in_last_14_days, ann.avg_minutes_per_game_last_7) == (2, 155, 32.5)
    assert (ann.primary_scoring_zone, ann.paint_rate_last_10, ann.three_pt_rate_last_10) == ("paint", 45.5, 20.25)
    assert ann.shot_zone_data_available
    bob = one(cache[1], player_lookup="bob")
    assert not bob.shot_zone_data_available and bob.primary_scoring_zone is None


def test_completeness_windows_flag_without_dropping(cache):
    ann = one(cache[1], player_lookup="ann")
    # team last 5 games: ann played 4; last 10: 8; days D-7..D-1: 2 of 3; D-14..D-1: 5 of 7
    assert (ann.l5_completeness_pct, ann.l10_completeness_pct, ann.l7d_completeness_pct,
            ann.l14d_completeness_pct) == pytest.approx((80.0, 80.0, 66.67, 71.43))
    assert (ann.l5_is_complete, ann.l10_is_complete, ann.l7d_is_complete, ann.l14d_is_complete) == \
        (True, True, False, True)
    assert not ann.all_windows_complete and not ann.is_production_ready
    assert (ann.expected_games_count, ann.actual_games_count, ann.missing_games_count) == (5, 4, 1)
    assert ann.completeness_percentage == pytest.approx(80.0) and ann.quality_tier == "silver"
    bob = one(cache[1], player_lookup="bob")
    assert bob.all_windows_complete and bob.is_production_ready and bob.quality_tier == "gold"
    assert bob.points_std_last_10 == pytest.approx(0.0)


def test_traded_player_counts_games_by_date(cache):
    dan = one(cache[1], player_lookup="dan")
    assert dan.games_played_season == 14 and dan.l10_completeness_pct == pytest.approx(100.0)
    assert dan.team_pace_last_10 == pytest.approx(101.0)  # his team on D's roster


def test_empty_window_is_complete(cache):
    eve = one(cache[1], player_lookup="eve")  # LAL's last game was D-10
    assert eve.l7d_completeness_pct == pytest.approx(100.0) and eve.l14d_completeness_pct == pytest.approx(100.0)
    assert eve.is_production_ready


def test_fewer_than_five_games_keep_a_row_without_stats(cache):
    cal = one(cache[1], player_lookup="cal")
    assert cal.games_played_season == 3
    assert cal.points_avg_last_5 is None and cal.points_avg_season is None and cal.points_std_last_10 is None
    assert cal.insufficient_data_reason == "Only 3 games played, need 5 minimum"
    assert cal.early_season_flag and not cal.is_production_ready
    assert cal.team_pace_last_10 == pytest.approx(101.0)  # team values do not depend on his games


def test_player_without_games_is_incomplete_not_dropped(cache):
    fin = one(cache[1], player_lookup="fin")
    assert fin.games_played_season == 0 and fin.points_avg_last_10 is None
    assert (fin.l5_completeness_pct, fin.l10_completeness_pct, fin.l7d_completeness_pct,
            fin.l14d_completeness_pct) == (0.0, 0.0, 0.0, 0.0)
    assert (fin.expected_games_count, fin.actual_games_count, fin.missing_games_count) == (5, 0, 5)
    assert fin.quality_tier == "unusable" and not fin.is_production_ready
    assert fin.insufficient_data_reason == "Only 0 games played, need 5 minimum"


def test_invariants(cache):
    wh, out = cache
    assert sorted(out.player_lookup) == ["ann", "bob", "cal", "dan", "eve", "fin"]
    assert violated_invariants(wh, PDC, D, D) == {}
