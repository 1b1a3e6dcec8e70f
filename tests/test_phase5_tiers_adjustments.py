"""5C scoring tiers: tier assignment at the bounds, the adjustment formula over the 30 days strictly before
D (exact values), the no-leakage property (D10) and the application to the ensemble's predictions."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from test_phase4_support import MLFS, PGS, build, one, row, violated_invariants, warehouse
from test_phase5_grading_support import (ENS, ETA, MA, PA, PPP, SCHEDULE, STA, XGB, box_score, features, graded,
                                         predicted, prediction, random_grading, schedule)

D = dt.date(2022, 12, 15)


def days_before(n: int) -> dt.date:
    return D - dt.timedelta(days=n)


def window_rows() -> list[dict]:
    rows = []
    # STARTER: 20 graded rows in [D-30, D-1] (one exactly on D-30), errors -2 x10 and -3 x10,
    # outcomes WIN/LOSS/PUSH in turn (7/7/6)
    for i in range(20):
        rows.append(graded(days_before(30 if i == 0 else i), f"starter{i}", ENS, -2.0 if i < 10 else -3.0,
                           tier="STARTER_20_29", outcome=("WIN", "LOSS", "PUSH")[i % 3], predicted=22.0))
    # ... and rows that must not count: the day before the window, D itself, a DNP inside it
    rows.append(graded(days_before(31), "starter_old", ENS, 50.0, tier="STARTER_20_29", outcome="WIN"))
    rows.append(graded(D, "starter_today", ENS, 50.0, tier="STARTER_20_29", outcome="WIN"))
    rows.append(graded(days_before(5), "starter_dnp", ENS, None, tier="STARTER_20_29"))
    # STAR: 20 rows over-predicted by exactly 1; ROTATION: 19 rows (one short); BENCH: 20 rows +5
    rows += [graded(days_before(1 + i % 10), f"star{i}", ENS, 1.0, tier="STAR_30PLUS", predicted=31.0)
             for i in range(20)]
    rows += [graded(days_before(1 + i % 10), f"rotation{i}", ENS, -4.0) for i in range(19)]
    rows += [graded(days_before(1 + i % 10), f"bench{i}", ENS, 5.0, tier="BENCH_0_9", predicted=6.0)
             for i in range(20)]
    # another system with a prediction on D only: four tiers without a sample
    rows.append(graded(D, "ann", XGB, 2.0))
    return rows


@pytest.fixture(scope="module")
def tiers(tmp_path_factory):
    rows = window_rows()
    wh = warehouse(tmp_path_factory.mktemp("tiers"), {PA: rows, PPP: predicted([r for r in rows if r["game_date"] == D])})
    return wh, build(wh, STA, D)


def test_starter_adjustment_is_exact(tiers):
    _, table = tiers
    starter = one(table, system_id=ENS, scoring_tier="STARTER_20_29")
    assert (starter.window_start, starter.window_end, starter.lookback_days) == \
        (pd.Timestamp(days_before(30)), pd.Timestamp(days_before(1)), 30)
    assert (starter.sample_size, starter.min_sample_size, starter.meets_min_sample) == (20, 20, True)
    assert (starter.avg_signed_error, starter.avg_absolute_error, starter.std_signed_error) == \
        pytest.approx((-2.5, 2.5, 0.51))  # sqrt(5 / 19)
    assert (starter.wins, starter.losses, starter.pushes, starter.current_win_rate) == (7, 7, 6, 0.5)
    assert (starter.recommended_adjustment, starter.application_factor, starter.tier_adjustment) == \
        pytest.approx((2.5, 0.75, 1.88))  # 2.5 * 0.75 = 1.875
    assert starter.adjustment_confidence == pytest.approx(0.195)  # 20/100 * (1 - 0.513/20)
    assert (starter.tier_min_points, starter.tier_max_points, starter.model_version) == (20.0, 30.0, "v1.0")


def test_other_tiers_factor_and_minimum_sample(tiers):
    _, table = tiers
    star = one(table, system_id=ENS, scoring_tier="STAR_30PLUS")
    assert (star.sample_size, star.recommended_adjustment, star.tier_adjustment, star.std_signed_error,
            star.adjustment_confidence, star.tier_max_points) == (20, -1.0, -1.0, 0.0, 0.2, None)
    bench = one(table, system_id=ENS, scoring_tier="BENCH_0_9")
    assert (bench.recommended_adjustment, bench.application_factor, bench.tier_adjustment) == (-5.0, 0.5, -2.5)
    rotation = one(table, system_id=ENS, scoring_tier="ROTATION_10_19")
    assert (rotation.sample_size, rotation.meets_min_sample, rotation.avg_signed_error) == (19, False, -4.0)
    assert (rotation.recommended_adjustment, rotation.tier_adjustment, rotation.adjustment_confidence) == \
        (None, 0.0, None)
    for tier in ("STAR_30PLUS", "STARTER_20_29", "ROTATION_10_19", "BENCH_0_9"):
        empty = one(table, system_id=XGB, scoring_tier=tier)
        assert (empty.sample_size, empty.avg_signed_error, empty.tier_adjustment, empty.current_win_rate) == \
            (0, None, 0.0, None)


def test_one_row_per_tier_system_and_predicted_date(tiers):
    wh, table = tiers
    assert len(table) == 8 and set(table.as_of_date) == {pd.Timestamp(D)}
    assert violated_invariants(wh, STA, D, D) == {}


@pytest.mark.parametrize("season_avg, tier", [
    (-1.0, "BENCH_0_9"), (0.0, "BENCH_0_9"), (9.99, "BENCH_0_9"), (10.0, "ROTATION_10_19"),
    (19.99, "ROTATION_10_19"), (20.0, "STARTER_20_29"), (29.99, "STARTER_20_29"), (30.0, "STAR_30PLUS"),
    (45.0, "STAR_30PLUS"), (None, "STARTER_20_29"),  # no season average: the predicted 22.0 classifies
])
def test_tier_assignment_at_the_bounds_matches_the_tier_table(tmp_path, season_avg, tier):
    tables = {PPP: [prediction(D, "ann", ENS, 22.0, "PASS", line=21.5)], PGS: [box_score(D, "ann", 20)],
              MLFS: [features(D, "ann", season_avg)] if season_avg is not None else []}
    tables[SCHEDULE] = schedule(tables[PPP])
    wh = warehouse(tmp_path, tables)
    assert one(build(wh, PA, D), player_lookup="ann").scoring_tier == tier
    bounds = one(build(wh, STA, D), scoring_tier=tier)
    average = 22.0 if season_avg is None else season_avg
    assert average < 0 or bounds.tier_min_points <= average
    assert bounds.tier_max_points is None or average < bounds.tier_max_points


def test_adjustments_of_d_ignore_grading_of_d_and_later(tmp_path):
    """D10: changing grading on D (and after) changes no adjustment for D; changing D-1 does."""
    rng = np.random.default_rng(7)
    history, today_on = random_grading(rng, D, range(-35, 0)), random_grading(rng, D, range(0, 4))
    base = build(warehouse(tmp_path / "a", {PA: history + today_on, PPP: predicted(today_on)}), STA, D,
                 D + dt.timedelta(days=3))
    changed_today_on = random_grading(np.random.default_rng(8), D, range(0, 4))
    changed = build(warehouse(tmp_path / "b", {PA: history + changed_today_on, PPP: predicted(changed_today_on)}),
                    STA, D, D + dt.timedelta(days=3))
    on_d = base.as_of_date == pd.Timestamp(D)
    assert on_d.sum() == 8 and base[on_d].meets_min_sample.all()
    pd.testing.assert_frame_equal(base[on_d], changed[changed.as_of_date == pd.Timestamp(D)])
    # the next date's window includes D: the same change moves it
    on_next = base.as_of_date == pd.Timestamp(D + dt.timedelta(days=1))
    assert not base[on_next].reset_index(drop=True).equals(
        changed[changed.as_of_date == pd.Timestamp(D + dt.timedelta(days=1))].reset_index(drop=True))


def ensemble_graded(player: str, tier: str, predicted: float, *, line: float | None, actual: int | None,
                    confidence: float = 0.7, recommendation: str = "OVER") -> dict:
    return row(PA, game_date=D, player_lookup=player, system_id=ENS, prediction_id=f"{D}_{player}_ensemble",
               game_id=f"{D:%Y%m%d}_NYK_BOS", predicted_points=predicted, confidence_score=confidence,
               recommendation=recommendation if line is not None else "NO_LINE", has_prop_line=line is not None,
               line_value=line, scoring_tier=tier, is_dnp=actual is None, actual_points=actual,
               signed_error=None if actual is None else predicted - actual,
               absolute_error=None if actual is None else abs(predicted - actual))


@pytest.fixture(scope="module")
def applied(tmp_path_factory):
    today = [
        ensemble_graded("over", "STARTER_20_29", 22.0, line=20.5, actual=25),      # 23.88: OVER, WIN
        ensemble_graded("under", "STARTER_20_29", 15.0, line=20.5, actual=17),     # 16.88: UNDER, WIN
        ensemble_graded("push", "STARTER_20_29", 22.0, line=21.0, actual=21),      # 23.88: OVER, PUSH
        ensemble_graded("loss", "STARTER_20_29", 22.0, line=20.5, actual=19),      # 23.88: OVER, LOSS
        ensemble_graded("edge", "STARTER_20_29", 22.0, line=22.5, actual=25),      # 23.88: edge 1.38, PASS
        ensemble_graded("unsure", "STARTER_20_29", 22.0, line=20.5, actual=25, confidence=0.64),  # PASS
        ensemble_graded("star", "STAR_30PLUS", 31.0, line=30.5, actual=30),        # 30.0: PASS
        ensemble_graded("rotation", "ROTATION_10_19", 12.0, line=None, actual=10),  # no adjustment, NO_LINE
        ensemble_graded("bench", "BENCH_0_9", 1.5, line=None, actual=2),           # -2.5 clamps at 0
        ensemble_graded("sat", "STARTER_20_29", 22.0, line=20.5, actual=None),     # DNP
    ]
    other_system = {**today[0], "system_id": MA}
    graded_rows = window_rows() + today + [other_system]
    on_d = [r for r in graded_rows if r["game_date"] == D]
    # the season average the tier classifies (ensemble_tier_applied reads it from the feature store)
    season_avg = {"STAR_30PLUS": 35.0, "STARTER_20_29": 25.0, "ROTATION_10_19": 15.0, "BENCH_0_9": 5.0}
    wh = warehouse(tmp_path_factory.mktemp("applied"), {
        PA: graded_rows, PPP: predicted(on_d),
        MLFS: [features(D, r["player_lookup"], season_avg[r["scoring_tier"]]) for r in on_d if r["system_id"] == ENS]})
    build(wh, STA, D)
    return wh, build(wh, ETA, D)


def test_adjusted_points_add_the_tier_adjustment_of_the_date(applied):
    _, table = applied
    assert len(table) == 11  # every ensemble prediction of D (starter_today included), no other system
    expected = {"over": (1.88, 23.88), "under": (1.88, 16.88), "star": (-1.0, 30.0), "rotation": (0.0, 12.0),
                "bench": (-2.5, 0.0), "sat": (1.88, 23.88)}
    for player, (adjustment, points) in expected.items():
        adjusted = one(table, player_lookup=player)
        assert (adjusted.tier_adjustment, adjusted.adjusted_points) == pytest.approx((adjustment, points)), player
    assert one(table, player_lookup="over").adjustment_sample_size == 20
    assert one(table, player_lookup="rotation").adjustment_sample_size == 19


def test_adjusted_points_are_graded(applied):
    _, table = applied
    result = {p: (r.adjusted_recommendation, r.adjusted_outcome) for p in table.player_lookup
              for r in [one(table, player_lookup=p)]}
    assert {p: result[p] for p in ("over", "under", "push", "loss", "edge", "unsure", "star", "rotation", "sat")} == {
        "over": ("OVER", "WIN"), "under": ("UNDER", "WIN"), "push": ("OVER", "PUSH"), "loss": ("OVER", "LOSS"),
        "edge": ("PASS", None), "unsure": ("PASS", None), "star": ("PASS", None), "rotation": ("NO_LINE", None),
        "sat": ("OVER", None)}
    over = one(table, player_lookup="over")
    assert (over.adjusted_absolute_error, over.adjusted_signed_error, over.adjusted_within_3_points,
            over.adjusted_within_5_points) == pytest.approx((1.12, -1.12, True, True))
    star = one(table, player_lookup="star")
    assert (star.adjusted_absolute_error, star.adjusted_within_3_points) == (0.0, True)
    sat = one(table, player_lookup="sat")
    assert sat.is_dnp and (sat.adjusted_absolute_error, sat.adjusted_signed_error, sat.actual_points) == (None,) * 3


def test_applied_invariants_hold(applied):
    wh, _ = applied
    assert violated_invariants(wh, ETA, D, D) == {}
