"""The five prediction systems on hand-made features: exact outputs, recommendation boundaries,
NO_LINE, the D4 signs and the fallbacks (spec phase5-6 §3)."""
import pytest

from nbaprops.predictions.features import FEATURE_NAMES, FeatureError, feature_dict, features_from_values
from nbaprops.predictions.systems import (NO_LINE, OVER, PASS, UNDER, SystemResult, ensemble, moving_average,
                                          similarity, xgboost_v1, zone_matchup)
from nbaprops.predictions.systems.base import rule_confidence
from nbaprops.predictions.systems.similarity import Context, HistoricalGame

NEUTRAL = dict(
    points_avg_last_5=20.0, points_avg_last_10=18.0, points_avg_season=16.0, points_std_last_10=3.0,
    games_in_last_7_days=3.0, fatigue_score=100.0, shot_zone_mismatch_score=0.0, pace_score=0.0,
    usage_spike_score=0.0, rest_advantage=0.0, injury_risk=0.0, recent_trend=0.0, minutes_change=0.0,
    opponent_def_rating=110.0, opponent_pace=100.0, home_away=1.0, back_to_back=0.0, playoff_game=0.0,
    pct_paint=0.30, pct_mid_range=0.20, pct_three=0.35, pct_free_throw=0.15, team_pace=100.0,
    team_off_rating=112.0, team_win_pct=0.5,
)


def feats(days_rest=2, feature_quality_score=92.0, **changes):
    return features_from_values({**NEUTRAL, **changes}, days_rest=days_rest,
                                feature_quality_score=feature_quality_score)


# ---------------------------------------------------------------- features
def test_feature_dict_needs_the_25_names_in_order():
    values = [float(i) for i in range(25)]
    assert feature_dict(FEATURE_NAMES, values)["pct_paint"] == 18.0
    with pytest.raises(FeatureError):
        feature_dict(tuple(reversed(FEATURE_NAMES)), values)
    with pytest.raises(FeatureError):
        feature_dict(FEATURE_NAMES, values[:24])


# ---------------------------------------------------------------- moving average
def test_moving_average_neutral():
    # base 0.5*20 + 0.3*18 + 0.2*16 = 18.6; home +0.5
    r = moving_average.predict(feats(), line=None)
    assert (r.predicted_points, r.confidence, r.recommendation) == (19.1, 0.6, NO_LINE)
    assert r.components == {"fatigue_adjustment": 0.0, "shot_zone_adjustment": 0.0, "other_adjustments": 0.0,
                            "pace_adjustment": 0.0, "home_away_adjustment": 0.5, "usage_spike_adjustment": 0.0}


def test_moving_average_every_adjustment():
    # 18.6 - 1.0 (fatigue 40: tiredness 60) + 1.5 (0.3*5) - 1.5 (b2b) + 0.6 (0.3*2) - 0.5 (away) + 0.4 (0.4*1)
    r = moving_average.predict(feats(fatigue_score=40.0, shot_zone_mismatch_score=5.0, back_to_back=1.0,
                                     pace_score=2.0, home_away=0.0, usage_spike_score=1.0), line=None)
    assert r.predicted_points == 18.1
    assert r.components == {"fatigue_adjustment": -1.0, "shot_zone_adjustment": 1.5, "other_adjustments": -1.5,
                            "pace_adjustment": 0.6, "home_away_adjustment": -0.5, "usage_spike_adjustment": 0.4}


@pytest.mark.parametrize("fatigue, adjustment", [(100.0, 0.0), (50.0, 0.0), (49.9, -1.0), (30.0, -1.0),
                                                 (29.9, -2.5), (0.0, -2.5)])
def test_d4_fatigue_penalises_tired_players_not_fresh_ones(fatigue, adjustment):
    assert moving_average.predict(feats(fatigue_score=fatigue), None).components["fatigue_adjustment"] == adjustment
    zm = {0.0: 0.0, -1.0: -0.8, -2.5: -1.5}[adjustment]
    assert zone_matchup.predict(feats(fatigue_score=fatigue), None).components["fatigue_adjustment"] == zm


def test_moving_average_clamps_to_0_and_60():
    assert moving_average.predict(feats(points_avg_last_5=90.0, points_avg_last_10=90.0,
                                        points_avg_season=90.0), None).predicted_points == 60.0
    assert moving_average.predict(feats(points_avg_last_5=0.0, points_avg_last_10=0.0, points_avg_season=0.0,
                                        home_away=0.0), None).predicted_points == 0.0


@pytest.mark.parametrize("std, games, expected", [
    (3.0, 3, 0.60), (4.0, 3, 0.60), (4.01, 3, 0.52), (6.0, 3, 0.52), (6.01, 3, 0.45),
    (3.0, 2, 0.55), (3.0, 1, 0.40), (3.0, 0, 0.40), (6.5, 1, 0.25), (5.0, 2, 0.47),
])
def test_rule_confidence(std, games, expected):
    assert rule_confidence(feats(points_std_last_10=std, games_in_last_7_days=float(games))) == expected


@pytest.mark.parametrize("line, expected", [
    (17.0, OVER),    # margin 2.1
    (17.1, PASS),    # margin 2.0: the edge must exceed 2.0
    (21.1, PASS),    # margin -2.0
    (21.2, UNDER),   # margin -2.1
    (None, NO_LINE),
])
def test_moving_average_recommendation_edges(line, expected):
    assert moving_average.predict(feats(), line).recommendation == expected  # predicted 19.1, confidence 0.60


def test_confidence_of_exactly_045_always_passes():
    # volatility > 6 with >= 3 recent games gives exactly 0.45: PASS whatever the edge (quirk 7, kept)
    r = moving_average.predict(feats(points_std_last_10=6.5), line=5.0)
    assert (r.confidence, r.recommendation) == (0.45, PASS)
    assert moving_average.predict(feats(points_std_last_10=5.0), line=5.0).recommendation == OVER  # 0.52


# ---------------------------------------------------------------- zone matchup
def test_zone_matchup_neutral_defence():
    # season 16 + zone 0 (rating 110) + home 0.8
    r = zone_matchup.predict(feats(), line=None)
    assert (r.predicted_points, r.confidence) == (16.8, 0.6)
    assert r.components == {"shot_zone_adjustment": 0.0, "pace_adjustment": 0.0, "home_away_adjustment": 0.8,
                            "fatigue_adjustment": 0.0}


def test_zone_matchup_weak_defence():
    # rating 115: 5*0.3 = 1.5 per unit of k; shares 0.30/0.20/0.35 weigh 0.7, 0.15 weighs 0.4:
    # 1.8*0.7 + 1.5*0.7 + 1.65*0.7 + 1.2*0.4 = 3.945; + pace 0.4*1 - away 0.8
    r = zone_matchup.predict(feats(opponent_def_rating=115.0, pace_score=1.0, home_away=0.0), line=None)
    assert r.components["shot_zone_adjustment"] == 3.94  # 3.945 stored at 2 decimals (binary 3.94499...)
    assert r.predicted_points == round(16 + 3.945 + 0.4 - 0.8, 1) == 19.5


def test_zone_matchup_zone_scores_are_clamped_to_3():
    # rating 125: every zone's score 4.5k is clamped to 3: 3*(0.7 + 0.7 + 0.7 + 0.4) = 7.5
    r = zone_matchup.predict(feats(opponent_def_rating=125.0), line=None)
    assert r.components["shot_zone_adjustment"] == 7.5
    assert r.predicted_points == 24.3


def test_d4_zone_matchup_favours_weak_defences():
    weak = zone_matchup.predict(feats(opponent_def_rating=118.0), None).predicted_points
    strong = zone_matchup.predict(feats(opponent_def_rating=104.0), None).predicted_points
    assert weak > 16.8 > strong


def test_zone_matchup_centres_on_the_league_rating_of_the_date():
    # an opponent as good as the league's mean (113) moves nothing; 110 is only the default centre
    assert zone_matchup.predict(feats(opponent_def_rating=113.0), None, league_def_rating=113.0).components[
        "shot_zone_adjustment"] == 0.0
    assert zone_matchup.predict(feats(opponent_def_rating=118.0), None, league_def_rating=113.0).components[
        "shot_zone_adjustment"] == zone_matchup.predict(feats(opponent_def_rating=115.0), None).components[
        "shot_zone_adjustment"]


@pytest.mark.parametrize("share, weight", [(0.40, 1.0), (0.3999, 0.7), (0.20, 0.7), (0.1999, 0.4), (0.0, 0.4)])
def test_zone_usage_weight_boundaries(share, weight):
    assert zone_matchup.zone_usage_weight(share) == weight


# ---------------------------------------------------------------- similarity
TODAY = dict(points_avg_last_5=17.0, fatigue_score=90.0)  # average opponent, one day's rest, home, normal form
SAME = Context("tier_2_average", "one_day_rest", True, "normal")


def games(points, context=SAME):
    return [HistoricalGame(float(p), context) for p in points]


def test_similarity_context_of_today():
    assert similarity.current_context(feats(**TODAY)) == SAME
    assert similarity.current_context(feats(days_rest=1, opponent_def_rating=109.9, home_away=0.0,
                                            points_avg_last_5=19.0)) == Context(
        "tier_1_elite", "back_to_back", False, "hot")
    assert similarity.current_context(feats(days_rest=None, opponent_def_rating=115.0,
                                            points_avg_last_5=13.0)).rest_bucket == "well_rested"


@pytest.mark.parametrize("days_rest, bucket", [(1, "back_to_back"), (2, "one_day_rest"), (3, "two_days_rest"),
                                               (4, "well_rested"), (12, "well_rested"), (None, "well_rested")])
def test_rest_buckets_on_the_feature_store_scale(days_rest, bucket):
    assert similarity.rest_bucket(days_rest) == bucket


def test_similarity_score_parts():
    assert similarity.similarity_score(SAME, SAME) == 100
    # adjacent tier 20 + adjacent rest 15 + other venue 0 + other form 5
    assert similarity.similarity_score(SAME, Context("tier_3_weak", "two_days_rest", False, "hot")) == 40
    # two tiers / two buckets apart score 0
    assert similarity.similarity_score(Context("tier_1_elite", "back_to_back", True, "cold"),
                                       Context("tier_3_weak", "two_days_rest", True, "cold")) == 30


def test_similarity_five_identical_contexts():
    # baseline = mean(10..18) = 14; adjustments: fatigue (90-70)*0.015 = 0.3, home 0.8 → 15.1
    # confidence 50 - 15 (n = 5) + 20 (mean score 100) + 15 (std sqrt(8) < 4) = 70
    r = similarity.predict(feats(**TODAY), games([10, 12, 14, 16, 18]), line=None)
    assert (r.predicted_points, r.confidence, r.recommendation) == (15.1, 0.7, NO_LINE)
    assert r.components == {"similarity_baseline": 14.0, "fatigue_adjustment": 0.3, "shot_zone_adjustment": 0.0,
                            "pace_adjustment": 0.0, "usage_spike_adjustment": 0.0, "home_away_adjustment": 0.8,
                            "similar_games_count": 5, "avg_similarity_score": 100.0, "min_similarity_score": 100.0}
    assert r.valid and r.warnings == ()


@pytest.mark.parametrize("line, expected", [(13.1, OVER), (13.2, PASS), (17.0, PASS), (17.1, UNDER)])
def test_similarity_edges_are_inclusive(line, expected):
    assert similarity.predict(feats(**TODAY), games([10, 12, 14, 16, 18]), line).recommendation == expected


def test_similarity_below_65_confidence_passes():
    # std of (0, 20, 0, 20, 0) = 9.8: 50 - 15 + 20 - 5 = 50 < 65
    r = similarity.predict(feats(**TODAY), games([0, 20, 0, 20, 0]), line=1.0)
    assert (r.confidence, r.recommendation) == (0.5, PASS)


def test_similarity_weights_by_score_and_keeps_scores_from_70():
    seventy = Context("tier_2_average", "two_days_rest", False, "normal")  # 40 + 15 + 0 + 15 = 70
    sixty = Context("tier_2_average", "two_days_rest", False, "hot")       # 40 + 15 + 0 + 5 = 60
    history = games([20, 20, 20, 20]) + games([10], seventy) + games([99], sixty)
    r = similarity.predict(feats(**TODAY), history, line=None)
    # (4*20*1.0 + 10*0.7) / 4.7
    assert r.components["similarity_baseline"] == round(87 / 4.7, 2)
    assert (r.components["similar_games_count"], r.components["min_similarity_score"]) == (5, 70.0)
    assert r.components["avg_similarity_score"] == 94.0
    assert r.predicted_points == round(87 / 4.7 + 1.1, 1)


def test_similarity_takes_the_best_20_newest_first():
    r = similarity.predict(feats(**TODAY), games([10] * 20 + [30] * 5), line=None)  # newest first
    assert (r.components["similarity_baseline"], r.components["similar_games_count"]) == (10.0, 20)
    # n >= 15: +20, mean 100: +20, std 0: +15 → 105 → 100
    assert r.confidence == 1.0


def test_similarity_fallback_with_fewer_than_5_similar_games():
    r = similarity.predict(feats(**TODAY), games([10, 12, 14, 16]), line=10.0)
    # season average 16 + 1.1, confidence 0, PASS, not an ensemble component
    assert (r.predicted_points, r.confidence, r.recommendation, r.valid) == (17.1, 0.0, PASS, False)
    assert r.warnings == ("insufficient_similar_games",)
    assert r.components["similar_games_count"] == 4 and r.components["similarity_baseline"] is None
    assert similarity.predict(feats(**TODAY), [], line=None).recommendation == NO_LINE


def test_similarity_fatigue_term_rewards_freshness():
    fresh = similarity.adjustments(feats(fatigue_score=100.0))["fatigue_adjustment"]
    tired = similarity.adjustments(feats(fatigue_score=40.0))["fatigue_adjustment"]
    assert (fresh, tired) == (0.45, -0.45)


# ---------------------------------------------------------------- xgboost
def test_xgboost_row_from_model_output():
    # confidence 70 + 10 (quality 92) + 10 (std 3 < 4) = 90
    r = xgboost_v1.predict(feats(), 23.456, "xgboost_v1_2022-12", line=None, fallback_points=19.1)
    assert (r.predicted_points, r.confidence, r.recommendation, r.ml_model_id) == (23.5, 0.9, NO_LINE,
                                                                                   "xgboost_v1_2022-12")
    assert xgboost_v1.predict(feats(), 75.0, "m", None, fallback_points=0).predicted_points == 60.0
    assert xgboost_v1.predict(feats(), -3.0, "m", None, fallback_points=0).predicted_points == 0.0


@pytest.mark.parametrize("line, expected", [(22.0, OVER), (22.1, PASS), (24.9, PASS), (25.0, UNDER)])
def test_xgboost_edges_are_inclusive(line, expected):
    assert xgboost_v1.predict(feats(), 23.5, "m", line, fallback_points=0).recommendation == expected


@pytest.mark.parametrize("quality, std, expected", [
    (92.0, 3.0, 90.0), (90.0, 4.0, 87.0), (89.99, 5.99, 84.0), (80.0, 6.0, 82.0), (79.9, 7.99, 80.0),
    (70.0, 8.0, 77.0), (60.0, 9.0, 74.0), (59.9, 9.0, 72.0), (None, 3.0, 87.0),
])
def test_xgboost_confidence(quality, std, expected):
    assert xgboost_v1.confidence(feats(feature_quality_score=quality, points_std_last_10=std)) == expected


def test_xgboost_fallback_serves_the_moving_average():
    r = xgboost_v1.predict(feats(), None, None, line=15.0, fallback_points=19.1)
    assert (r.predicted_points, r.confidence, r.recommendation, r.valid) == (19.1, 0.0, PASS, False)
    assert r.ml_model_id == "fallback_insufficient_history" and r.warnings == ("fallback_insufficient_history",)


# ---------------------------------------------------------------- ensemble
def comp(points, confidence, recommendation=PASS, valid=True):
    return SystemResult(points, confidence, recommendation, valid=valid)


def test_ensemble_weights_by_confidence():
    # (19.1*60 + 16.8*60 + 15.1*70 + 23.5*90) / 280 = 19.021; std 3.152 (< 6: -5); mean 70 + 5 (all four) - 5
    r = ensemble.predict([comp(19.1, 0.6), comp(16.8, 0.6), comp(15.1, 0.7), comp(23.5, 0.9)], line=None)
    assert (r.predicted_points, r.confidence, r.recommendation) == (19.0, 0.7, NO_LINE)
    assert r.components == {"prediction_variance": 3.15, "system_agreement_score": 70.0, "contributing_systems": 4}


def test_ensemble_ignores_fallback_rows():
    r = ensemble.predict([comp(20.0, 0.6), comp(20.0, 0.6), comp(0.0, 0.0, valid=False), comp(30.0, 0.9)], None)
    # (20*60 + 20*60 + 30*90) / 210 = 24.29; std 4.71 → -5; mean 70, no +5 with three components
    assert (r.predicted_points, r.confidence, r.components["contributing_systems"]) == (24.3, 0.65, 3)


@pytest.mark.parametrize("recs, line, expected", [
    ((OVER, OVER, OVER, UNDER), 18.0, OVER),
    ((UNDER, UNDER, UNDER, OVER), 18.0, PASS),    # a strict majority against the ensemble's own side: PASS
    ((OVER, OVER, UNDER, UNDER), 18.0, OVER),     # no majority: the prediction's side
    ((OVER, OVER, PASS, PASS), 22.0, UNDER),
    ((OVER, OVER, OVER, OVER), 18.5, OVER),       # margin 1.5: decides
    ((OVER, OVER, OVER, OVER), 18.6, PASS),       # margin 1.4 < 1.5
    ((UNDER, UNDER, UNDER, UNDER), 21.5, UNDER),  # margin -1.5
    ((OVER, OVER, OVER, OVER), None, NO_LINE),
])
def test_ensemble_recommendation(recs, line, expected):
    r = ensemble.predict([comp(20.0, 0.5, rec) for rec in recs], line)  # confidence 50 + 10 + 5 = 65: decides
    assert r.confidence == 0.65
    assert r.recommendation == expected


def test_ensemble_below_65_confidence_passes():
    r = ensemble.predict([comp(20.0, 0.45, OVER), comp(20.0, 0.45, OVER)], line=10.0)  # 45 + 10 = 55
    assert (r.confidence, r.recommendation) == (0.55, PASS)


@pytest.mark.parametrize("two_points, confidence, agreement", [
    ((20.0, 20.0), 0.95, 95.0),   # std 0: 90 + 10 = 100, clamped to 95
    ((20.0, 23.8), 0.95, 95.0),   # std 1.9 < 2
    ((20.0, 24.0), 0.95, 85.0),   # std 2.0: +5; agreement 85
    ((20.0, 26.0), 0.85, 70.0),   # std 3.0: -5; agreement 70
    ((10.0, 24.0), 0.80, 65.0),   # std 7.0: -10; agreement 100 - 5*7
    ((0.0, 30.0), 0.80, 50.0),    # std 15: agreement floor 50
])
def test_ensemble_confidence_and_agreement(two_points, confidence, agreement):
    r = ensemble.predict([comp(p, 0.9) for p in two_points], line=None)
    assert (r.confidence, r.components["system_agreement_score"]) == (confidence, agreement)


def test_ensemble_confidence_floor_is_20():
    assert ensemble.predict([comp(0.0, 0.2), comp(30.0, 0.2)], None).confidence == 0.2  # 20 - 10 → 20


# ---------------------------------------------------------------- ensemble: learned weights
MA, ZM, SIM, XGB = (moving_average.SYSTEM_ID, zone_matchup.SYSTEM_ID, similarity.SYSTEM_ID, xgboost_v1.SYSTEM_ID)
LEARNED = [ensemble.Weights((MA, ZM, SIM, XGB), (0.3, 0.05, 0.0, 0.7), -0.8),
           ensemble.Weights((MA, ZM, XGB), (0.25, 0.1, 0.7), -0.5)]


def named(ma, zm, sim, xgb, sim_valid=True, rec=PASS):
    return {MA: comp(ma, 0.6, rec), ZM: comp(zm, 0.6, rec), SIM: comp(sim, 0.7 if sim_valid else 0.0, rec, sim_valid),
            XGB: comp(xgb, 0.9, rec)}


def test_ensemble_with_learned_weights():
    # -0.8 + 0.3*19.1 + 0.05*16.8 + 0*15.1 + 0.7*23.5 = 22.22 → 22.2; confidence and agreement as the spec's
    r = ensemble.predict(named(19.1, 16.8, 15.1, 23.5), line=None, weights=LEARNED)
    assert (r.predicted_points, r.confidence, r.recommendation) == (22.2, 0.7, NO_LINE)
    assert r.components == {"prediction_variance": 3.15, "system_agreement_score": 70.0, "contributing_systems": 4}


def test_ensemble_without_similarity_takes_the_set_without_it():
    # similarity is a fallback row: -0.5 + 0.25*20 + 0.1*20 + 0.7*30 = 27.5 (the spec: 24.3)
    r = ensemble.predict(named(20.0, 20.0, 0.0, 30.0, sim_valid=False), None, LEARNED)
    assert (r.predicted_points, r.confidence, r.components["contributing_systems"]) == (27.5, 0.65, 3)


def test_ensemble_without_weights_is_the_spec_confidence_weighting():
    components = named(19.1, 16.8, 15.1, 23.5)
    for weights in (None, [], [ensemble.Weights((MA, "another_system"), (1.0, 1.0), 0.0)]):
        assert ensemble.predict(components, None, weights).predicted_points == 19.0  # as the spec's test above
    with pytest.raises(ValueError, match="by system_id"):
        ensemble.predict(list(components.values()), None, LEARNED)


def test_learned_ensemble_never_bets_against_its_own_margin():
    # -0.8 + 0.3*20 + 0.05*20 + 0.7*20 = 20.2 vs line 18.7: margin +1.5, confidence 70 + 10 + 5 = 85, but
    # every component says UNDER: the ensemble's own side (OVER) is contradicted → PASS, never UNDER.
    r = ensemble.predict(named(20.0, 20.0, 20.0, 20.0, rec=UNDER), 18.7, LEARNED)
    assert (r.predicted_points, r.confidence, r.recommendation) == (20.2, 0.85, PASS)
    assert ensemble.predict(named(20.0, 20.0, 20.0, 20.0, rec=OVER), 18.7, LEARNED).recommendation == OVER
    assert ensemble.predict(named(20.0, 20.0, 20.0, 20.0, rec=UNDER), 18.8, LEARNED).recommendation == PASS
