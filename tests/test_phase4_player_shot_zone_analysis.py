"""player_shot_zone_analysis: zone shares, efficiency, windows and sample rules, exact values."""
import datetime as dt

import pytest
from test_phase4_support import (PGS, PSZA, SCHEDULE, UPGC, build, day, one, pgs_row, schedule_rows, upgc_row,
                                 violated_invariants, warehouse)

D = day(20)


def _games(player, days, **values):
    return [pgs_row(day(n), player, "BOS", "NYK", n % 2 == 0, points=10, **values) for n in days]


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("shots")
    pgs = (
        # ann: 12 games; the 10 newest are 8 x (paint 6/3, mid 2/1, three 4/1) + 2 x (10/6, 0/0, 2/1)
        _games("ann", [1, 2], paint=(20, 20), mid=(0, 0), three=(0, 0), assisted=0)
        + _games("ann", range(3, 11), paint=(6, 3), mid=(2, 1), three=(4, 1), assisted=3)
        + _games("ann", [11, 12], paint=(10, 6), mid=(0, 0), three=(2, 1), assisted=3)
        + [pgs_row(day(13), "ann", "BOS", "NYK", False, points=0, minutes=0.0, paint=(0, 0), mid=(0, 0), three=(0, 0),
                   assisted=0)]  # a 0-minute row without shots is not a game played
        + _games("ann", [20], paint=(30, 0), mid=(30, 0), three=(30, 0), assisted=0)  # D's own game (D1)
        # ben: 7 games, one without play-by-play (its box-score threes must not skew the zones)
        + _games("ben", range(3, 9), paint=(2, 1), mid=(3, 1), three=(5, 2), assisted=2)
        + _games("ben", [9], paint=(0, 0), mid=(0, 0), three=(10, 5), zones=False)
        # cal: 3 games this season and one of the previous season
        + _games("cal", [5, 6, 7])
        + [pgs_row(dt.date(2022, 4, 8), "cal", "BOS", "NYK", True, points=10)]
        # eve: 16 games (20-game trend available); fay: mid-range shooter; gus: balanced
        + _games("eve", range(1, 17), paint=(5, 2), mid=(5, 2), three=(10, 3))
        + _games("fay", range(5, 10), paint=(3, 1), mid=(4, 2), three=(3, 1))
        + _games("gus", range(5, 10), paint=(7, 3), mid=(6, 3), three=(7, 2))
        + _games("hal", range(5, 10))  # not on a roster of D: no row
    )
    roster = [upgc_row(D, p, "BOS", "NYK", True) for p in ("ann", "ben", "cal", "dan", "eve", "fay", "gus")]
    wh = warehouse(tmp_path, {SCHEDULE: schedule_rows([(day(0), "NYK", "BOS"), (D, "NYK", "BOS")]),
                              PGS: pgs, UPGC: roster})
    return wh, build(wh, PSZA, D)


def test_zone_shares_and_efficiency_over_last_10_games_before_d(shots):
    _, out = shots
    ann = one(out, player_lookup="ann", analysis_date=D)
    # zone attempts T = 68 paint + 16 mid + 36 three = 120
    assert ann.games_in_sample_10 == 10 and ann.zone_games_in_sample_10 == 10
    assert ann.total_shots_last_10 == 120
    assert (ann.paint_rate_last_10, ann.mid_range_rate_last_10, ann.three_pt_rate_last_10) == \
        pytest.approx((56.67, 13.33, 30.0))
    assert (ann.paint_pct_last_10, ann.mid_range_pct_last_10, ann.three_pt_pct_last_10) == \
        pytest.approx((0.529, 0.5, 0.278))  # 36/68, 8/16, 10/36
    assert (ann.paint_attempts_per_game, ann.mid_range_attempts_per_game, ann.three_pt_attempts_per_game) == \
        pytest.approx((6.8, 1.6, 3.6))
    assert ann.assisted_rate_last_10 == pytest.approx(55.56)  # 30 of 54 makes
    assert ann.unassisted_rate_last_10 == pytest.approx(44.44)
    assert ann.primary_scoring_zone == "paint"
    assert ann.games_in_sample_20 == 12 and ann.paint_rate_last_20 is None and ann.sample_quality_20 == "limited"
    assert ann.sample_quality_10 == "excellent" and ann.data_quality_tier == "high"
    assert ann.is_production_ready and not ann.early_season_flag and ann.insufficient_data_reason is None
    assert ann.data_quality_issues == []


def test_partial_sample_and_uncovered_game(shots):
    _, out = shots
    ben = one(out, player_lookup="ben")
    assert ben.games_in_sample_10 == 7 and ben.zone_games_in_sample_10 == 6
    assert (ben.paint_rate_last_10, ben.mid_range_rate_last_10, ben.three_pt_rate_last_10) == \
        pytest.approx((20.0, 30.0, 50.0))  # 12 / 18 / 30 of 60 covered attempts
    assert ben.three_pt_pct_last_10 == pytest.approx(0.4)
    assert ben.three_pt_attempts_per_game == pytest.approx(5.0)
    assert ben.primary_scoring_zone == "perimeter"
    assert ben.sample_quality_10 == "good" and ben.data_quality_tier == "medium"
    assert ben.early_season_flag and not ben.is_production_ready
    assert ben.insufficient_data_reason == "Only 7 games of a 10-game window"
    assert ben.data_quality_issues == ["thin_sample", "shot_zones_unavailable"]


def test_short_or_empty_history_keeps_a_row_with_null_metrics(shots):
    _, out = shots
    cal = one(out, player_lookup="cal")
    assert cal.games_in_sample_10 == 3  # last season's game does not count
    assert cal.paint_rate_last_10 is None and cal.total_shots_last_10 is None and cal.primary_scoring_zone is None
    assert cal.sample_quality_10 == "insufficient" and cal.insufficient_data_reason == "Only 3 games, need 5 to compute"
    dan = one(out, player_lookup="dan")
    assert dan.games_in_sample_10 == 0 and dan.games_in_sample_20 == 0 and dan.paint_pct_last_10 is None
    assert dan.insufficient_data_reason == "No games this season before the analysis date"


def test_twenty_game_trend_needs_15_games(shots):
    _, out = shots
    eve = one(out, player_lookup="eve")
    assert eve.games_in_sample_20 == 16 and eve.sample_quality_20 == "good"
    assert eve.paint_rate_last_20 == pytest.approx(25.0) and eve.paint_pct_last_20 == pytest.approx(0.4)


@pytest.mark.parametrize("player, zone", [("ann", "paint"), ("ben", "perimeter"), ("fay", "mid_range"),
                                          ("gus", "balanced")])
def test_primary_scoring_zone(shots, player, zone):
    # fay: 30 / 40 / 30 %; gus: 35 / 30 / 35 %
    assert one(shots[1], player_lookup=player).primary_scoring_zone == zone


def test_rows_are_the_roster_of_d_and_invariants_hold(shots):
    wh, out = shots
    assert sorted(out.player_lookup) == ["ann", "ben", "cal", "dan", "eve", "fay", "gus"]
    assert violated_invariants(wh, PSZA, D, D) == {}
