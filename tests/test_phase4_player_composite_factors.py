"""player_composite_factors: fatigue, shot-zone mismatch, pace, usage and opponent strength, exact values."""
import json

import pytest
from test_phase4_support import (PCF, PSZA, SCHEDULE, TDZA, UPGC, UTGC, build, day, one, row, schedule_rows,
                                 upgc_row, utgc_row, violated_invariants, warehouse)

D = day(20)
FRESH = dict(days_rest=2, games_in_last_7_days=2, minutes_in_last_7_days=60, avg_minutes_per_game_last_7=30.0,
             back_to_backs_last_14_days=0)


def _context(player, opponent, team="AAA", **context):
    return upgc_row(D, player, team, opponent, True, **{**FRESH, **context})


def _zones(player, zone, paint=None, mid=None, three=None, ready=True):
    return row(PSZA, player_lookup=player, analysis_date=D, season_year=2022, team_abbr="AAA",
               primary_scoring_zone=zone, paint_rate_last_10=paint, mid_range_rate_last_10=mid,
               three_pt_rate_last_10=three, is_production_ready=ready)


def _defence(team, paint, mid, three, rating, ready=True):
    return row(TDZA, team_abbr=team, analysis_date=D, season_year=2022, paint_defense_vs_league_avg=paint,
               mid_range_defense_vs_league_avg=mid, three_pt_defense_vs_league_avg=three,
               defensive_rating_last_15=rating, is_production_ready=ready)


@pytest.fixture(scope="module")
def factors(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("factors")
    contexts = [
        _context("fresh", "OP1", pace_differential=5.0),
        _context("tired", "OP1", days_rest=1, back_to_back=True, games_in_last_7_days=4, minutes_in_last_7_days=250,
                 avg_minutes_per_game_last_7=36.0, back_to_backs_last_14_days=2, player_age=35,
                 pace_differential=-8.0, projected_usage_rate=28.0, avg_usage_rate_last_7_games=20.0,
                 star_teammates_out=2),
        _context("rested", "OP2", days_rest=4, games_in_last_7_days=1, minutes_in_last_7_days=30,
                 back_to_backs_last_14_days=1, player_age=31, projected_usage_rate=22.0,
                 avg_usage_rate_last_7_games=20.0, star_teammates_out=1),
        _context("unknown", "OP1", days_rest=None, avg_minutes_per_game_last_7=None),
        _context("big_paint", "OP3"),
        _context("no_zones", "OP1", pace_differential=1.0),
        _context("no_opponent", "XXX"),
        _context("usage_drop", "OP1", projected_usage_rate=18.0, avg_usage_rate_last_7_games=25.0,
                 star_teammates_out=2),
        _context("zero_base", "OP1", team="ZZZ", projected_usage_rate=30.0, avg_usage_rate_last_7_games=0.0),
    ]
    zones = [
        _zones("fresh", "paint", paint=60.0, mid=10.0, three=30.0),
        _zones("tired", "perimeter", paint=40.0, mid=30.0, three=30.0),
        _zones("rested", "mid_range", paint=30.0, mid=40.0, three=30.0),
        _zones("unknown", "balanced", paint=25.0, mid=35.0, three=40.0),
        _zones("big_paint", "paint", paint=55.0, mid=20.0, three=25.0),
        _zones("no_zones", None, ready=False),
        _zones("no_opponent", "paint", paint=60.0, mid=10.0, three=30.0),
    ]
    defence = [_defence("OP1", 6.0, -2.0, 3.0, 115.0), _defence("OP2", -4.0, -2.5, 1.0, 105.0),
               _defence("OP3", 9.0, 0.0, 0.0, 110.0, ready=False), _defence("OP4", None, None, None, None)]
    wh = warehouse(tmp_path, {SCHEDULE: schedule_rows([(day(0), "OP1", "AAA"), (D, "OP1", "AAA")]),
                              UPGC: contexts, UTGC: [utgc_row(D, "AAA", "OP1", True)], PSZA: zones, TDZA: defence})
    return wh, build(wh, PCF, D)


@pytest.mark.parametrize("player, score", [
    ("fresh", 100),       # no penalty
    ("tired", 35),        # 100 - 15 b2b - 10 games - 10 minutes - 8 avg - 12 b2bs - 10 age
    ("rested", 95),       # 100 + 5 rest - 5 one b2b - 5 age 31
    ("unknown", 100),     # missing rest / average minutes take neutral defaults
])
def test_fatigue_score(factors, player, score):
    assert one(factors[1], player_lookup=player).fatigue_score == score


@pytest.mark.parametrize("player, score", [
    ("fresh", 7.2),        # paint: 6.0 * min(60/50, 1) = 6.0 > 5 -> * 1.2
    ("tired", 1.8),        # perimeter: 3.0 * 30/50
    ("rested", -2.0),      # mid-range: -2.5 * 40/50
    ("unknown", 3.0),      # balanced -> paint pair: 6.0 * 25/50
    ("big_paint", 10.0),   # 9.0 * 1.2 = 10.8, clamped
    ("no_zones", 0.0),     # the player's zone metrics are NULL
    ("no_opponent", 0.0),  # the opponent has no zone row
])
def test_shot_zone_mismatch(factors, player, score):
    assert one(factors[1], player_lookup=player).shot_zone_mismatch_score == pytest.approx(score)


@pytest.mark.parametrize("player, pace, usage", [
    ("fresh", 2.5, 0.0),        # +5 pace differential / 2; no projection -> no usage spike
    ("tired", -3.0, 3.0),       # -8 / 2 clamped; 0.3 * (28 - 20) * 1.30 = 3.12 clamped
    ("rested", 0.0, 0.7),       # no pace differential; 0.3 * 2 * 1.15 = 0.69
    ("usage_drop", 0.0, -2.1),  # 0.3 * (18 - 25); no star multiplier on a drop
    ("zero_base", 0.0, 0.0),    # a zero baseline gives no spike
])
def test_pace_and_usage(factors, player, pace, usage):
    got = one(factors[1], player_lookup=player)
    assert (got.pace_score, got.usage_spike_score) == pytest.approx((pace, usage))


@pytest.mark.parametrize("player, strength", [("fresh", 1.0), ("rested", -1.0), ("big_paint", 0.0),
                                              ("no_opponent", 0.0)])
def test_opponent_strength_against_mean_defensive_rating(factors, player, strength):
    # mean of D's known ratings (115, 105, 110) = 110; (rating - 110) / 5
    assert one(factors[1], player_lookup=player).opponent_strength_score == pytest.approx(strength)


@pytest.mark.parametrize("player, total", [
    ("fresh", 10.7),    # 0 + 7.2 + 2.5 + 0 + 1.0
    ("tired", -0.45),   # -3.25 + 1.8 - 3.0 + 3.0 + 1.0
    ("rested", -2.56),  # -0.25 - 2.0 + 0 + 0.69 (unrounded) - 1.0
    ("big_paint", 10.0),
])
def test_total_adds_the_unrounded_factors(factors, player, total):
    assert one(factors[1], player_lookup=player).total_composite_adjustment == pytest.approx(total)


def test_context_json_and_warnings(factors):
    _, out = factors
    tired = one(out, player_lookup="tired")
    assert json.loads(tired.fatigue_context_json) == {
        "days_rest": 1, "back_to_back": True, "games_last_7": 4, "minutes_last_7": 250, "avg_minutes_pg_last_7": 36.0,
        "back_to_backs_last_14": 2, "player_age": 35, "final_score": 35}
    assert tired.has_warnings and tired.warning_details == "EXTREME_FATIGUE"
    big = one(out, player_lookup="big_paint")
    assert big.warning_details == "EXTREME_MATCHUP"
    zone = json.loads(big.shot_zone_context_json)
    assert zone["mismatch_type"] == "favorable" and zone["player_primary_zone"] == "paint"
    assert json.loads(one(out, player_lookup="no_zones").shot_zone_context_json)["missing_data"] is True
    assert json.loads(tired.usage_context_json)["usage_trend"] == "spike"


def test_completeness_and_readiness(factors):
    _, out = factors
    fresh = one(out, player_lookup="fresh")
    assert fresh.data_completeness_pct == 80 and fresh.missing_data_fields == "projected_usage_rate"
    assert fresh.is_production_ready and fresh.data_quality_issues == []
    no_zones = one(out, player_lookup="no_zones")
    assert no_zones.data_completeness_pct == 60
    assert no_zones.missing_data_fields == "projected_usage_rate,player_shot_zone"
    assert no_zones.data_quality_issues == ["upstream_player_shot_zone_incomplete"]
    big = one(out, player_lookup="big_paint")
    assert not big.is_production_ready and big.data_quality_issues == ["upstream_team_defense_zone_incomplete"]
    zero = one(out, player_lookup="zero_base")  # no zone row, no team context row
    assert zero.data_quality_issues == ["upstream_player_shot_zone_incomplete", "upstream_team_context_incomplete"]


def test_one_row_per_rostered_player_and_invariants(factors):
    wh, out = factors
    assert len(out) == 9 and set(out.analysis_date) == set(out.game_date)
    assert violated_invariants(wh, PCF, D, D) == {}
