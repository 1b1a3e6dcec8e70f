"""ml_feature_store_v2: the 25 features in order, their fallbacks and defaults, the quality score."""
import pytest
from test_phase4_support import (MLFS, PCF, PDC, PGS, PSZA, SCHEDULE, TDZA, TOGS, UPGC, build, day, one,
                                 optional_sources, pgs_row, row, schedule_rows, togs_row, upgc_row,
                                 violated_invariants, warehouse)

D = day(60)
NAMES = ["points_avg_last_5", "points_avg_last_10", "points_avg_season", "points_std_last_10", "games_in_last_7_days",
         "fatigue_score", "shot_zone_mismatch_score", "pace_score", "usage_spike_score", "rest_advantage",
         "injury_risk", "recent_trend", "minutes_change", "opponent_def_rating", "opponent_pace", "home_away",
         "back_to_back", "playoff_game", "pct_paint", "pct_mid_range", "pct_three", "pct_free_throw", "team_pace",
         "team_off_rating", "team_win_pct"]


def _history(player, team, points, minutes, ft_makes, first_day):
    """Games on consecutive days ending the day before ``first_day + len``; lists are newest first."""
    n = len(points)
    return [pgs_row(day(first_day + n - 1 - i), player, team, "OPP", True, points=points[i], minutes=minutes[i],
                    ft_makes=ft_makes[i]) for i in range(n)]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("store")
    pgs = (
        # ann: 10 recent games (33 min) + 5 older (21 min): season minutes 29.0
        _history("ann", "AAA", [30, 28, 26, 20, 20, 18, 18, 18, 18, 18], [33.0] * 10, [2] * 10, 50)
        + _history("ann", "AAA", [18] * 5, [21.0] * 5, [0] * 5, 40)
        + [pgs_row(D, "ann", "AAA", "OPP", True, points=80, minutes=48.0, ft_makes=20)]  # D's own game (D1)
        # bob: 6 games, no Phase 4 rows at all
        + _history("bob", "BBB", [12, 14, 10, 8, 6, 20], [20.0, 22.0, 18.0, 20.0, 20.0, 20.0], [1, 2, 0, 2, 1, 4], 54)
        # dan: trend down, free throws above the 0.5 cap
        + _history("dan", "AAA", [10, 10, 10, 13, 13], [30.0] * 5, [8, 8, 8, 8, 8], 55)
    )
    togs = [togs_row(day(50 + i), "AAA", "OPP", True, won=i < 6) for i in range(8)]  # 6 of 8
    togs += [togs_row(day(50 + i), "BBB", "OPP", True, won=True) for i in range(3)]  # too few games
    togs += [togs_row(day(50 + i), "CCC", "OPP", True, won=i < 2) for i in range(5)]  # 2 of 5
    contexts = [
        upgc_row(D, "ann", "AAA", "OP1", True, days_rest=2, opponent_days_rest=1, season_phase="mid",
                 player_status="questionable"),
        upgc_row(D, "bob", "BBB", "OP2", False, days_rest=5, opponent_days_rest=1, season_phase="playoffs"),
        upgc_row(D, "cal", "CCC", "OP2", True, days_rest=None, opponent_days_rest=2, player_status="out"),
        upgc_row(D, "dan", "AAA", "OP1", True, days_rest=1, opponent_days_rest=3, season_phase="late",
                 player_status="probable"),
    ]
    cache = [row(PDC, player_lookup="ann", cache_date=D, season_year=2022, team_abbr="AAA", points_avg_last_5=21.4,
                 points_avg_last_10=19.8, points_avg_season=18.6, points_std_last_10=4.25, games_in_last_7_days=3,
                 minutes_avg_last_10=33.0, paint_rate_last_10=40.0, three_pt_rate_last_10=30.0,
                 team_pace_last_10=99.5, team_off_rating_last_10=114.25, expected_games_count=5,
                 actual_games_count=5, missing_games_count=0, completeness_percentage=100.0,
                 is_production_ready=True),
             row(PDC, player_lookup="dan", cache_date=D, season_year=2022, team_abbr="AAA", minutes_avg_last_10=20.0,
                 games_in_last_7_days=5, is_production_ready=True)]
    factors = [row(PCF, player_lookup=p, game_date=D, game_id="g", analysis_date=D, team_abbr="AAA",
                   opponent_team_abbr="OP1", fatigue_score=85, shot_zone_mismatch_score=2.4, pace_score=1.5,
                   usage_spike_score=0.0, is_production_ready=True) for p in ("ann", "dan")]
    zones = [row(PSZA, player_lookup="ann", analysis_date=D, season_year=2022, team_abbr="AAA",
                 paint_rate_last_10=42.0, mid_range_rate_last_10=18.0, three_pt_rate_last_10=40.0,
                 is_production_ready=True)]
    defence = [row(TDZA, team_abbr="OP1", analysis_date=D, season_year=2022, defensive_rating_last_15=108.75,
                   opponent_pace=101.2, is_production_ready=True)]
    wh = warehouse(tmp_path, {SCHEDULE: schedule_rows([(day(0), "OPP", "AAA"), (D, "OP1", "AAA")]),
                              PGS: pgs, TOGS: togs, UPGC: contexts, PDC: cache, PCF: factors, PSZA: zones,
                              TDZA: defence, **optional_sources(day(0))})
    return wh, build(wh, MLFS, D)


def test_full_phase4_row(store):
    ann = one(store[1], player_lookup="ann", game_date=D)
    assert ann.feature_names == NAMES and ann.feature_count == 25 and ann.feature_version == "v1_baseline_25"
    assert ann.features == pytest.approx([
        21.4, 19.8, 18.6, 4.25, 3.0,      # cache
        85.0, 2.4, 1.5, 0.0,              # composite factors
        1.0,                              # rest: 2 - 1
        2.0,                              # questionable
        2.0,                              # trend: newest 3 avg 28 vs games 4-5 avg 20 -> +8
        1.0,                              # minutes: (33 - 29) / 29 = +0.138
        108.75, 101.2,                    # opponent's zone row
        1.0, 0.0, 0.0,                    # home, not a back-to-back, not playoffs
        0.42, 0.18, 0.40,                 # shot-zone rates / 100 (player_shot_zone_analysis wins over the cache)
        0.093457944,                      # 20 FT makes of 214 points
        99.5, 114.25,                     # team pace / offensive rating from the cache
        0.75,                             # 6 wins in 8 games before D
    ], abs=1e-9)
    assert ann.feature_sources == ["phase4"] * 9 + ["calculated"] * 4 + ["phase4"] * 2 + ["phase3"] * 3 + \
        ["phase4"] * 3 + ["calculated", "phase4", "phase4", "calculated"]
    assert ann.feature_quality_score == pytest.approx(97.0)  # (22 * 100 + 3 * 75) / 25
    assert (ann.quality_tier, ann.data_source) == ("gold", "phase4_partial")
    assert [ann[name] for name in NAMES] == pytest.approx(ann.features)
    assert ann.is_production_ready and ann.data_quality_issues == []
    assert (ann.is_home, ann.days_rest, ann.expected_games_count, ann.completeness_percentage) == (True, 2, 5, 100.0)


def test_phase3_fallbacks_and_defaults(store):
    bob = one(store[1], player_lookup="bob")
    assert bob.features == pytest.approx([
        10.0, 11.7, 11.7,                 # last 5 / last 6 / season means of his games before D
        5.0, 3.0, 50.0, 0.0, 0.0, 0.0,    # defaults
        2.0,                              # rest 5 - 1 clamped to 2
        0.0,                              # not on the injury report
        2.0,                              # newest 3 avg 12 vs 7 -> +5
        0.0,                              # 20.0 recent minutes = 20.0 season
        112.0, 100.0,                     # no opponent zone row
        0.0, 0.0, 1.0,                    # away, playoffs
        0.30, 0.20, 0.35,                 # default zone shares
        0.142857143,                      # 10 FT makes of 70 points
        100.0, 112.0,                     # no cache
        0.5,                              # only 3 team games
    ], abs=1e-9)
    assert bob.feature_sources == (["phase3"] * 3 + ["default"] * 6 + ["calculated"] * 4 + ["default"] * 2
                                   + ["phase3"] * 3 + ["default"] * 3 + ["calculated"] + ["default"] * 3)
    assert bob.feature_quality_score == pytest.approx(60.4)  # (6 * 75 + 14 * 40 + 5 * 100) / 25
    assert (bob.quality_tier, bob.data_source) == ("bronze", "mixed")
    assert not bob.is_production_ready
    assert bob.data_quality_issues == ["upstream_player_daily_cache_incomplete",
                                       "upstream_player_composite_factors_incomplete",
                                       "upstream_player_shot_zone_incomplete",
                                       "upstream_team_defense_zone_incomplete"]


def test_player_without_history_gets_defaults(store):
    cal = one(store[1], player_lookup="cal")
    assert cal.features == pytest.approx([10.0, 10.0, 10.0, 5.0, 3.0, 50.0, 0.0, 0.0, 0.0, 0.0, 3.0, 0.0, 0.0,
                                          112.0, 100.0, 1.0, 0.0, 0.0, 0.30, 0.20, 0.35, 0.15, 100.0, 112.0, 0.4])
    assert cal.feature_sources[9] == "default" and cal.feature_sources[10] == "calculated"
    assert cal.feature_sources[24] == "calculated"  # 2 wins in 5 team games
    assert cal.feature_quality_score == pytest.approx(49.0)  # (20 * 40 + 2 * 100 + 3 * 75) / 25
    assert cal.quality_tier == "poor"


def test_calculated_features_signs_and_clamps(store):
    dan = one(store[1], player_lookup="dan")
    assert dan.rest_advantage == -2.0       # 1 - 3
    assert dan.injury_risk == 1.0           # probable
    assert dan.recent_trend == -1.0         # newest 3 avg 10 vs 13: declining is negative (D4)
    assert dan.minutes_change == -2.0       # cache 20 vs season 30: -0.33
    assert dan.pct_free_throw == 0.5        # 40 / 56 clamped
    assert dan.back_to_back == 1.0
    assert dan.points_avg_last_5 == 11.2 and dan.feature_sources[0] == "phase3"  # the cache row has no points


def test_one_row_per_rostered_player_and_invariants(store):
    wh, out = store
    assert sorted(out.player_lookup) == ["ann", "bob", "cal", "dan"]
    assert violated_invariants(wh, MLFS, D, D) == {}
