"""5B grading on a hand-made set: prediction_accuracy (errors, within-N, WIN/LOSS/PUSH on real lines,
PASS/NO_LINE not graded, DNP excluded) and system_daily_performance (exact aggregates)."""
import datetime as dt

import pytest
from test_phase4_support import MLFS, PGS, build, one, violated_invariants, warehouse
from test_phase5_grading_support import (ENS, MA, PA, PPP, SCHEDULE, SDP, SIM, XGB, ZM, box_score, features,
                                         prediction, schedule)

D = dt.date(2022, 11, 10)
NEXT = D + dt.timedelta(days=1)

PREDICTIONS = [
    # ann scores 25 against a 22.5 line
    prediction(D, "ann", MA, 24.0, "OVER", line=22.5, confidence=0.55),
    prediction(D, "ann", ZM, 20.0, "UNDER", line=22.5, confidence=0.5),
    prediction(D, "ann", XGB, 22.0, "PASS", line=22.5, confidence=0.8),
    prediction(D, "ann", ENS, 28.1, "OVER", line=22.5, confidence=0.7),
    # bob scores exactly his 20.0 line: pushes both ways
    prediction(D, "bob", MA, 23.0, "OVER", line=20.0, confidence=0.6),
    prediction(D, "bob", ZM, 17.5, "UNDER", line=20.0, confidence=0.45),
    # cal has no real line
    prediction(D, "cal", MA, 10.0, "NO_LINE"),
    # dan has no box-score row, eve played 0 minutes: both did not play
    prediction(D, "dan", MA, 15.0, "OVER", line=14.5, confidence=0.75),
    prediction(D, "eve", MA, 6.0, "UNDER", line=8.5, confidence=0.52),
    # gus played with unknown minutes; his similarity row carries its components
    prediction(D, "gus", SIM, 10.0, "PASS", line=9.5, pace_adjustment=0.8, similar_games_count=12),
    # a prediction of the next day is outside the graded range
    prediction(NEXT, "ann", MA, 30.0, "OVER", line=22.5),
]
BOX_SCORES = [box_score(D, "ann", 25), box_score(D, "bob", 20), box_score(D, "cal", 12, minutes=18.5),
              box_score(D, "eve", 0, minutes=0.0), box_score(D, "fay", 30),
              box_score(D, "gus", 8, minutes=None),  # fay had no prediction
              box_score(NEXT, "ann", 40)]
FEATURES = [features(D, "ann", 29.99), features(D, "bob", 30.0), features(D, "cal", 9.99), features(D, "eve", 0.0)]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("grading"), {PPP: PREDICTIONS, PGS: BOX_SCORES, MLFS: FEATURES,
                                                                 SCHEDULE: schedule(PREDICTIONS)})
    return wh, build(wh, PA, D), build(wh, SDP, D)


def test_one_row_per_prediction_of_the_range(graded):
    _, accuracy, _ = graded
    assert len(accuracy) == 10
    assert set(accuracy.player_lookup) == {"ann", "bob", "cal", "dan", "eve", "gus"}
    assert (accuracy.game_date.dt.date == D).all()


def test_errors_and_within_n_are_exact_and_inclusive(graded):
    _, accuracy, _ = graded
    expected = {  # system: (absolute, signed, within 3, within 5)
        MA: (1.0, -1.0, True, True),
        ZM: (5.0, -5.0, False, True),  # exactly 5: within 5
        XGB: (3.0, -3.0, True, True),  # exactly 3: within 3
        ENS: (3.1, 3.1, False, True),
    }
    for system, values in expected.items():
        ann = one(accuracy, player_lookup="ann", system_id=system)
        assert (ann.absolute_error, ann.signed_error, ann.within_3_points, ann.within_5_points) == \
            pytest.approx(values), system
        assert (ann.actual_points, ann.minutes_played, ann.is_dnp) == (25, 30.0, False)
        assert (ann.line_value, ann.actual_margin) == (22.5, 2.5)
    assert one(accuracy, player_lookup="ann", system_id=ENS).predicted_margin == pytest.approx(5.6)


def test_outcomes_on_real_lines(graded):
    _, accuracy, _ = graded
    outcome = {(r.player_lookup, r.system_id): (r.outcome, r.prediction_correct) for r in
               (one(accuracy, player_lookup=p, system_id=s) for p, s in
                [("ann", MA), ("ann", ZM), ("ann", ENS), ("bob", MA), ("bob", ZM)])}
    assert outcome == {
        ("ann", MA): ("WIN", True), ("ann", ZM): ("LOSS", False), ("ann", ENS): ("WIN", True),
        ("bob", MA): ("PUSH", None), ("bob", ZM): ("PUSH", None),  # D5: neither correct nor incorrect
    }


def test_pass_and_no_line_are_graded_for_error_only(graded):
    _, accuracy, _ = graded
    passed = one(accuracy, player_lookup="ann", system_id=XGB)
    assert (passed.outcome, passed.prediction_correct, passed.absolute_error) == (None, None, 3.0)
    no_line = one(accuracy, player_lookup="cal", system_id=MA)
    assert (no_line.recommendation, no_line.has_prop_line, no_line.line_value) == ("NO_LINE", False, None)
    assert (no_line.outcome, no_line.prediction_correct, no_line.predicted_margin, no_line.actual_margin) == \
        (None, None, None, None)
    assert (no_line.absolute_error, no_line.signed_error, no_line.minutes_played) == (2.0, -2.0, 18.5)


def test_players_who_did_not_play_are_flagged_and_not_graded(graded):
    _, accuracy, _ = graded
    for player, minutes in (("dan", None), ("eve", 0.0)):
        dnp = one(accuracy, player_lookup=player)
        assert dnp.is_dnp and dnp.minutes_played == minutes
        assert (dnp.actual_points, dnp.absolute_error, dnp.signed_error, dnp.within_3_points, dnp.within_5_points,
                dnp.outcome, dnp.prediction_correct, dnp.actual_margin) == (None,) * 8
        assert dnp.has_prop_line and dnp.predicted_margin is not None  # the bet existed; it is void
    assert one(accuracy, player_lookup="dan").team_abbr == "BOS"  # from the prediction


def test_a_box_score_with_unknown_minutes_counts_as_played(graded):
    _, accuracy, _ = graded
    gus = one(accuracy, player_lookup="gus")
    assert (gus.is_dnp, gus.minutes_played, gus.actual_points, gus.signed_error) == (False, None, 8, 2.0)
    assert (gus.pace_adjustment, gus.similarity_sample_size) == (0.8, 12)


def test_confidence_decile_and_scoring_tier(graded):
    _, accuracy, _ = graded
    deciles = {(r.player_lookup, r.system_id): r.confidence_decile for r in accuracy.itertuples()}
    assert deciles[("ann", MA)] == 6 and deciles[("ann", ENS)] == 8 and deciles[("ann", XGB)] == 9
    tiers = {r.player_lookup: (r.season_points_avg, r.scoring_tier) for r in accuracy.itertuples()}
    assert tiers["ann"] == (29.99, "STARTER_20_29")
    assert tiers["bob"] == (30.0, "STAR_30PLUS")
    assert tiers["cal"] == (9.99, "BENCH_0_9")
    assert tiers["eve"] == (0.0, "BENCH_0_9")
    assert tiers["dan"][1] == "ROTATION_10_19"  # no feature row: the predicted 15.0 classifies


def test_grading_invariants_hold(graded):
    wh, _, _ = graded
    assert violated_invariants(wh, PA, D, D) == {}
    assert violated_invariants(wh, SDP, D, D) == {}


def test_daily_performance_aggregates_exactly(graded):
    _, _, daily = graded
    assert list(daily.system_id) == sorted([MA, ZM, SIM, XGB, ENS])
    ma = one(daily, system_id=MA)
    # MA rows: ann WIN (err -1), bob PUSH (+3), cal NO_LINE (-2), dan DNP, eve DNP
    assert (ma.predictions_count, ma.graded_count, ma.dnp_count, ma.real_line_count) == (5, 3, 2, 4)
    assert (ma.recommendations_count, ma.pass_count, ma.no_line_count) == (4, 0, 1)
    assert (ma.correct_count, ma.incorrect_count, ma.push_count, ma.win_rate) == (1, 0, 1, 1.0)
    assert (ma.mae, ma.avg_bias) == pytest.approx((2.0, 0.0))
    assert (ma.within_3_count, ma.within_3_pct, ma.within_5_count, ma.within_5_pct) == (3, 1.0, 3, 1.0)
    assert (ma.over_count, ma.over_correct, ma.over_incorrect, ma.over_push, ma.over_win_rate) == (3, 1, 0, 1, 1.0)
    assert (ma.under_count, ma.under_correct, ma.under_incorrect, ma.under_push, ma.under_win_rate) == \
        (1, 0, 0, 0, None)
    assert ma.avg_confidence == pytest.approx((0.55 + 0.6 + 0.6 + 0.75 + 0.52) / 5, abs=5e-4)
    assert (ma.high_confidence_count, ma.high_confidence_correct, ma.high_confidence_incorrect,
            ma.high_confidence_win_rate) == (1, 0, 0, None)  # dan at 0.75 did not play

    zm = one(daily, system_id=ZM)
    # ann LOSS (-5), bob PUSH (-2.5): pushes stay out of the win rate
    assert (zm.correct_count, zm.incorrect_count, zm.push_count, zm.win_rate) == (0, 1, 1, 0.0)
    assert (zm.mae, zm.avg_bias, zm.within_3_count, zm.within_3_pct, zm.within_5_pct) == \
        pytest.approx((3.75, -3.75, 1, 0.5, 1.0))
    assert (zm.under_count, zm.under_incorrect, zm.under_push, zm.under_win_rate) == (2, 1, 1, 0.0)

    xgb = one(daily, system_id=XGB)
    assert (xgb.recommendations_count, xgb.pass_count, xgb.win_rate, xgb.high_confidence_count) == (0, 1, None, 1)
    ens = one(daily, system_id=ENS)
    assert (ens.high_confidence_count, ens.high_confidence_correct, ens.high_confidence_win_rate) == (1, 1, 1.0)


def test_fallback_rows_are_flagged_from_their_warning(tmp_path):
    """A system's fallback row (the only kind with a warning) is flagged, so reports measure it apart (D14)."""
    predictions = [prediction(D, "ann", SIM, 24.0, "PASS", line=22.5, confidence=0.0,
                              warnings=["insufficient_similar_games"], similar_games_count=3),
                   prediction(D, "ann", XGB, 23.0, "PASS", line=22.5, confidence=0.0,
                              warnings=["fallback_insufficient_history"], ml_model_id="fallback_insufficient_history"),
                   prediction(D, "ann", MA, 24.0, "OVER", line=22.5)]
    wh = warehouse(tmp_path, {PPP: predictions, PGS: [box_score(D, "ann", 25)], MLFS: FEATURES,
                              SCHEDULE: schedule(predictions)})
    accuracy = build(wh, PA, D)
    assert {r.system_id: r.is_fallback for r in accuracy.itertuples()} == {SIM: True, XGB: True, MA: False}
    assert violated_invariants(wh, PA, D, D) == {}
