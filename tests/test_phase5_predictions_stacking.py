"""The ensemble's learned weights on hand-made slices: exact non-negative least squares (a
negative coefficient is clipped by the active-set search), the median-residual intercept, one set
per valid-system combination with its row minimum, the artifact round trip and its fallback."""
import numpy as np
import pytest

from nbaprops.predictions import stacking
from nbaprops.predictions.systems.ensemble import Weights

MA, ZM, SIM, XGB = stacking.COMPONENTS


def test_nnls_clips_a_negative_coefficient_exactly():
    # y = 2a - b: least squares would take b at -1; with b >= 0 the best is a alone:
    # y on a = [1, 2, 3, 4]: slope 8 / 5 = 1.6, intercept 3.5 - 1.6 * 2.5 = -0.5 (SSE 0.2 < 4 for b alone)
    a, b = np.array([1.0, 2, 3, 4]), np.array([1.0, 1, 2, 2])
    y = 2 * a - b
    weights = stacking.fit_set(np.column_stack([a, b]), y, ("a", "b"))
    assert weights == Weights(("a", "b"), (1.6, 0.0), -0.5)  # residuals y - 1.6a: -0.6 -0.2 -0.8 -0.4, median -0.5


def test_intercept_is_the_median_residual_not_the_mean():
    # one system a = 0..4, y = 0, 1, 2, 13, 4: least squares slope 20/10 = 2, intercept 4 - 2*2 = 0;
    # residuals y - 2a = 0, -1, -2, 7, -4 → the median -1 minimises the absolute error
    a = np.arange(5.0)
    y = np.array([0.0, 1, 2, 13, 4])
    assert stacking.fit_set(a[:, None], y, ("a",)) == Weights(("a",), (2.0,), -1.0)


def test_nnls_intercept_is_free():
    # y = a - 30: the intercept may be negative, the coefficient must not
    a = np.array([40.0, 50, 60])
    solution = stacking.nnls(np.column_stack([a, np.ones(3)]), a - 30, free=1)
    assert np.allclose(solution, [1.0, -30.0])


def slice_of(predictions, valid, actual):
    n = len(actual)
    return stacking.SliceData(np.array(["2022-11-30"] * n, dtype="datetime64[D]"), [f"p{i}" for i in range(n)],
                              np.array(predictions, dtype=float), np.array(valid, dtype=bool),
                              np.full((n, 4), 0.6), np.array(actual, dtype=float))


def test_exact_weights_on_a_tiny_slice():
    """Points = (moving average + XGBoost) / 2 + 1 exactly; zone matchup and similarity are noise.
    Similarity is a fallback on the last two rows: the four-system set fits on 6 rows, the set
    without similarity on all 8."""
    ma = [10, 12, 14, 16, 18, 20, 22, 8]
    xgb = [11, 11, 15, 15, 19, 19, 23, 9]
    zm = [5, 25, 25, 5, 15, 10, 3, 7]
    sim = [30, 2, 17, 9, 4, 28, 0, 0]
    actual = [(m + x) / 2 + 1 for m, x in zip(ma, xgb)]
    valid = [[True, True, True, True]] * 6 + [[True, True, False, True]] * 2
    data = slice_of(np.column_stack([ma, zm, sim, xgb]), valid, actual)
    sets, info = stacking.fit_weights(data, min_rows=4)
    assert sets == [Weights((MA, ZM, SIM, XGB), (0.5, 0.0, 0.0, 0.5), 1.0),
                    Weights((MA, ZM, XGB), (0.5, 0.0, 0.5), 1.0)]
    assert [(i["rows"], i["fitted"]) for i in info] == [(6, True), (8, True)]
    assert np.array_equal(stacking.ensemble_predictions(data, sets), np.array(actual))
    metrics = stacking.slice_metrics(data, sets)
    assert metrics["ensemble_v1_learned_in_sample"] == 0.0 and metrics[MA] == 1.125  # (5 × 1.5 + 3 × 0.5) / 8
    # with a row minimum of 7, the four-system set is not fitted: its rows take the next set
    sets, info = stacking.fit_weights(data, min_rows=7)
    assert [w.systems for w in sets] == [(MA, ZM, XGB)] and info[0] == {
        "systems": [MA, ZM, SIM, XGB], "rows": 6, "fitted": False, "reason": "6 slice rows < 7"}


def test_artifact_round_trip_and_determinism(tmp_path):
    data = slice_of([[10, 20, 15, 12]] * 3 + [[20, 10, 15, 22]] * 3, [[True] * 4] * 6, [11, 12, 13, 21, 22, 23])
    sets, info = stacking.fit_weights(data, min_rows=2)
    raw = stacking.artifact("2022-12", data, sets, info, {"rounds": 5})
    assert raw == stacking.artifact("2022-12", data, sets, info, {"rounds": 5})
    path = tmp_path / "2022-12.json"
    path.write_bytes(raw)
    assert stacking.load_weights([path]) == {"2022-12": sets}
    (tmp_path / "2023-01.json").write_bytes(stacking.insufficient_artifact("2023-01", "no history"))
    assert stacking.load_weights([tmp_path / "2023-01.json"]) == {"2023-01": []}
    (tmp_path / "2023-02.json").write_text('{"learner": {}}')
    with pytest.raises(ValueError, match="not an ensemble weights artifact"):
        stacking.load_weights([tmp_path / "2023-02.json"])


def test_weights_refuse_negative_coefficients():
    with pytest.raises(ValueError, match="non-negative"):
        Weights(("a", "b"), (0.5, -0.1), 0.0)
