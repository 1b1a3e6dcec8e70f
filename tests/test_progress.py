"""Progress and ETA from a recorded sequence of job completions."""
import pytest

from nbaprops.progress import estimate, format_duration


def test_eta_uses_each_groups_mean_and_the_overall_mean_for_groups_not_started():
    planned = {"raw": 1, "a": 4, "b": 4}
    done = [("raw", 10.0), ("a", 2.0), ("a", 4.0)]
    p = estimate(planned, done, cores=2)
    assert (p.done, p.total) == (3, 9)
    assert p.groups["a"].remaining == 2 and p.groups["b"].remaining == 4
    # a: 2 left x mean 3 s; b: 4 left x overall mean (16/3 s); divided by 2 cores.
    assert p.eta_seconds == pytest.approx((2 * 3 + 4 * 16 / 3) / 2)


def test_eta_shrinks_as_jobs_finish_and_reaches_zero():
    planned = {"a": 3}
    etas = [estimate(planned, [("a", 1.0)] * k, cores=1).eta_seconds for k in range(1, 4)]
    assert etas == [2.0, 1.0, 0.0]


def test_no_measurement_means_unknown_eta():
    p = estimate({"a": 2}, [], cores=2)
    assert p.eta_seconds is None
    assert format_duration(p.eta_seconds) == "unknown until a job finishes"


def test_unplanned_completions_are_ignored_and_durations_format():
    p = estimate({"a": 1}, [("zzz", 5.0), ("a", 1.0)], cores=1)
    assert (p.done, p.total) == (1, 1)
    assert format_duration(125) == "2m05s" and format_duration(7260) == "2h01m"
