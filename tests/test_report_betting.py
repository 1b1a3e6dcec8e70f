"""The betting statistics on hand-made counts: payouts at American prices, Wilson intervals (checked
against the roots of the score-test quadratic), ROI and its normal-approximation interval, the
positive-ROI claim, closing-line value, Brier score, the calibration table and like-with-like MAE."""
import pytest

from nbaprops.report.betting import (CALIBRATION_MIN_COUNT, LOSS, OVER, PUSH, ROI_MIN_PICKS, UNDER, WIN, break_even, brier_score,
                                     calibration_table, closing_line_value, hit_rate, like_with_like, payout,
                                     pick_return, roi, toward_pick, wilson_interval)


def test_payout_at_american_prices():
    assert payout(150) == 1.5
    assert payout(100) == 1.0
    assert payout(-125) == 0.8
    assert payout(-110) == pytest.approx(0.9090909091)
    assert payout(None) == payout(-110) == payout(float("nan"))  # no stored price: -110
    with pytest.raises(ValueError, match="American price"):
        payout(-50)


def test_pick_returns_and_break_even():
    assert [pick_return(o, 200) for o in (WIN, LOSS, PUSH)] == [2.0, -1.0, 0.0]
    assert pick_return(PUSH, None) == 0.0  # a push returns the stake
    assert break_even() == pytest.approx(11 / 21)  # 52.38 % at -110
    assert break_even(100) == 0.5
    with pytest.raises(ValueError, match="WIN, LOSS or PUSH"):
        pick_return("PASS", -110)


def test_wilson_interval_is_the_score_test_inversion():
    # roots of (1 + z²/n) p² - (2 p̂ + z²/n) p + p̂² = 0, solved independently
    assert wilson_interval(5, 10) == pytest.approx((0.2365930905, 0.7634069095))
    assert wilson_interval(53, 100) == pytest.approx((0.4328885697, 0.6248918204))
    assert wilson_interval(10, 10) == pytest.approx((0.7224672001, 1.0))
    assert wilson_interval(0, 4) == pytest.approx((0.0, 0.4898908365))
    assert wilson_interval(0, 0) is None


def test_hit_rate_keeps_pushes_out_of_the_denominator():
    rate = hit_rate(5, 5, pushes=3)
    assert (rate.wins, rate.losses, rate.pushes, rate.hit_rate) == (5, 5, 3, 0.5)
    assert rate.as_dict() == {"wins": 5, "losses": 5, "pushes": 3, "hit_rate": 0.5, "low": 0.2366, "high": 0.7634}
    assert hit_rate(0, 0, 2).as_dict() == {"wins": 0, "losses": 0, "pushes": 2, "hit_rate": None, "low": None,
                                           "high": None}


def test_roi_interval_from_per_pick_returns():
    # 10 returns each of +1, -1 and 0: mean 0, sample variance 20/29, half-width 1.96·sqrt(20/29/30)
    even = roi([(WIN, 100, 10), (LOSS, -110, 10), (PUSH, -110, 10)])
    assert (even.picks, even.profit, even.roi) == (30, 0.0, 0.0)
    assert (even.low, even.high) == pytest.approx((-0.2971689724, 0.2971689724))
    assert not even.positive_claimed


def test_roi_at_minus_110_where_no_price_is_stored():
    result = roi([(WIN, None, 22), (LOSS, None, 20)])  # 22 wins at -110 against 20 losses: exactly break-even
    assert (result.picks, result.default_priced) == (42, 42)
    assert result.profit == pytest.approx(0.0, abs=1e-12)
    # per-pick returns 22 x (10/11), 20 x (-1): s² = (22·100/121 + 20) / 41
    assert (result.low, result.high) == pytest.approx((-0.2918500823, 0.2918500823))
    assert not result.positive_claimed


def test_positive_roi_is_claimed_only_above_a_positive_lower_bound():
    sure = roi([(WIN, 100, ROI_MIN_PICKS)])  # no spread: the interval is the point
    assert (sure.roi, sure.low, sure.high, sure.positive_claimed) == (1.0, 1.0, 1.0, True)
    lucky = roi([(WIN, 100, 18), (LOSS, 100, 12)])  # +20 % but an interval reaching below zero
    assert lucky.roi == pytest.approx(0.2) and lucky.low == pytest.approx(0.2 - 0.3566027669)
    assert not lucky.positive_claimed
    few = roi([(WIN, 150, ROI_MIN_PICKS - 1)])  # too few picks for the approximation: no interval, no claim
    assert (few.roi, few.low, few.high, few.positive_claimed) == (1.5, None, None, False)
    assert roi([]).as_dict() == {"picks": 0, "profit": 0.0, "roi": None, "low": None, "high": None,
                                 "positive_claimed": False, "default_priced": 0}


def test_closing_line_value_follows_the_pick():
    assert [toward_pick(OVER, m) for m in (1.5, 0.0, -0.5)] == [1, 0, -1]
    assert [toward_pick(UNDER, m) for m in (1.5, 0.0, -0.5)] == [-1, 0, 1]
    assert toward_pick("PASS", 1.0) is None
    # (side, sign of closing - opening, picks, summed move)
    clv = closing_line_value([(OVER, 1, 3, 2.5), (OVER, -1, 1, -1.0), (UNDER, -1, 2, -1.5), (UNDER, 0, 2, 0.0),
                              (UNDER, 1, 1, 0.5), ("PASS", 1, 7, 9.0)])
    assert clv.as_dict() == {"picks": 9, "toward": 5, "against": 2, "unmoved": 2, "toward_rate": 0.7143,
                             "mean_move": round((2.5 - 1.0 + 1.5 + 0.0 - 0.5) / 9, 4)}
    assert closing_line_value([]).toward_rate is None


def test_brier_score():
    assert brier_score(0.5, 4) == 0.125
    assert brier_score(0.0, 0) is None


def test_calibration_table_judges_only_well_filled_deciles():
    table = calibration_table([(6, CALIBRATION_MIN_COUNT - 100, 0.65 * (CALIBRATION_MIN_COUNT - 100), 272),
                               (2, 4, 1.0, 3), (5, 1000, 550.0, 600), (8, 0, 0.0, 0),
                               (6, 100, 65.0, 68)])  # a second cell of decile 6 (another season) adds up
    assert table == [
        {"decile": 2, "range": [0.2, 0.3], "count": 4, "mean_predicted": 0.25, "observed_over_rate": 0.75,
         "gap": 0.5, "calibrated": None},  # too few to judge
        {"decile": 5, "range": [0.5, 0.6], "count": 1000, "mean_predicted": 0.55, "observed_over_rate": 0.6,
         "gap": 0.05, "calibrated": False},
        {"decile": 6, "range": [0.6, 0.7], "count": 500, "mean_predicted": 0.65, "observed_over_rate": 0.68,
         "gap": 0.03, "calibrated": True},  # within 3 points, inclusive
    ]


def test_like_with_like():
    assert like_with_like(4, 18.0, 16.0) == {"games": 4, "mae": 4.5, "line_mae": 4.0, "mae_minus_line": 0.5,
                                             "beats_line": False}
    assert like_with_like(0, 0.0, 0.0)["mae"] is None
