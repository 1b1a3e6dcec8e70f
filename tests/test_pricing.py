"""Pricing of a line-aware prediction: P(over) from residual quantiles, EV, recommendation (D14)."""
import pytest

from nbaprops.predictions import pricing
from nbaprops.predictions.pricing import Offer, ResidualDistribution

# One bucket, residuals uniform on [-2, 2]: cdf(r) = (r + 2) / 4.
UNIFORM = ResidualDistribution((), ((-2.0, 0.0, 2.0),))


def test_payout_and_back():
    assert pricing.payout(150) == 1.5
    assert pricing.payout(-125) == 0.8
    assert pricing.payout(100) == pricing.payout(-100) == 1.0
    assert pricing.american_from_payout(0.8) == -125
    assert pricing.american_from_payout(1.5) == 150
    assert pricing.american_from_payout(100 / 110) == -110


@pytest.mark.parametrize("bad", [-99, 50, float("nan"), None])
def test_payout_rejects_prices_that_are_not_american_odds(bad):
    with pytest.raises(ValueError, match="American odds"):
        pricing.payout(bad)


def test_half_point_line_has_no_push():
    # over needs 11+ points: predicted + residual >= 10.5, residual >= 0.5
    assert pricing.outcome_probabilities(UNIFORM, 10.0, 10.5) == (0.375, 0.625)


def test_whole_line_pushes_on_the_line():
    # over: 11+ (residual >= 0.5), under: 9 or less (residual < -0.5), push: exactly 10
    p_over, p_under = pricing.outcome_probabilities(UNIFORM, 10.0, 10.0)
    assert (p_over, p_under) == (0.375, 0.375)


def test_probabilities_saturate_outside_the_quantiles():
    assert pricing.outcome_probabilities(UNIFORM, 30.0, 10.5) == (1.0, 0.0)
    assert pricing.outcome_probabilities(UNIFORM, 2.0, 10.5) == (0.0, 1.0)


def test_line_picks_its_bucket():
    dist = ResidualDistribution((15.0,), ((-1.0, 1.0), (-4.0, 4.0)))
    assert pricing.outcome_probabilities(dist, 10.0, 10.5) == (0.25, 0.75)   # (-1, 1): cdf(0.5) = 0.75
    assert pricing.outcome_probabilities(dist, 20.0, 20.5) == (0.4375, 0.5625)  # (-4, 4): cdf(0.5) = 0.5625
    assert dist.cdf(15.0, 0.0) == 0.5 and dist.cdf(14.9, 0.9) == 0.95


def test_fit_buckets_by_line_and_round_trips():
    dist = ResidualDistribution.fit([-1, 0, 1, -3, 0, 3], [10, 10, 10, 20, 20, 20], buckets=2, n_quantiles=3)
    assert dist == ResidualDistribution((15.0,), ((-1.0, 0.0, 1.0), (-3.0, 0.0, 3.0)))
    assert ResidualDistribution.from_json(dist.to_json()) == dist


def test_distribution_rejects_decreasing_quantiles():
    with pytest.raises(ValueError, match="non-decreasing"):
        ResidualDistribution((), ((1.0, 0.0),))


def test_expected_value_counts_push_as_stake_back():
    assert pricing.expected_value(0.625, 0.375, -110) == pytest.approx(0.625 / 1.1 - 0.375, abs=1e-12)
    assert pricing.expected_value(0.4, 0.4, 100) == 0.0


def test_recommendation_needs_the_minimum_edge():
    assert pricing.recommend(0.05, -0.1, 0.03) == "OVER"
    assert pricing.recommend(-0.2, 0.031, 0.03) == "UNDER"
    assert pricing.recommend(0.029, 0.02, 0.03) == "PASS"


def test_price_bets_the_best_book_and_reports_the_consensus():
    result = pricing.price(UNIFORM, 10.0, Offer(10.5, -110), Offer(10.5, None),
                           Offer(9.5, 100, "fanduel"), Offer(11.5, -120, "caesars"))
    assert (result.p_over, result.p_under) == (0.375, 0.625)
    # over at 9.5, +100: 0.625 - 0.375 = 0.25; under at 11.5, -120: 0.875 / 1.2 - 0.125 = 0.604167
    assert (result.side, result.recommendation) == ("UNDER", "UNDER")
    assert (result.ev_best, result.ev_consensus) == (0.6042, 0.1932)  # consensus under: no price, -110 assumed
    assert result.bet == Offer(11.5, -120, "caesars") and result.consensus == Offer(10.5, None)
    assert result.consensus.price_used == -110


def test_price_over_side():
    result = pricing.price(UNIFORM, 11.0, Offer(10.5, -110), Offer(10.5, -110), Offer(10.5, 100, "betmgm"),
                           Offer(10.5, -110, "fanduel"))
    # P(over 10.5) = 1 - cdf(-0.5) = 0.625: at +100 0.25, at -110 0.193182; under at -110: -0.284091
    assert (result.p_over, result.p_under) == (0.625, 0.375)
    assert (result.side, result.bet.book) == ("OVER", "betmgm")
    assert (result.ev_best, result.ev_consensus) == (0.25, 0.1932)


def test_price_passes_without_edge():
    result = pricing.price(UNIFORM, 10.5, Offer(10.5, -110), Offer(10.5, -110), Offer(10.5, -110), Offer(10.5, -110))
    assert (result.p_over, result.p_under) == (0.5, 0.5)
    assert (result.side, result.recommendation) == ("OVER", "PASS")  # equal EVs: the over, by rule
    assert result.ev_best == result.ev_consensus == -0.0455  # 0.5 / 1.1 - 0.5


def test_recommendation_is_decided_on_the_stored_ev():
    # predicted 10.5 + d: P(over 10.5) = 0.5 + d / 4, the over's EV at +100 = 2 P(over) - 1 = d / 2;
    # d = 0.059992 gives 0.029996, stored 0.03: the stored value reaches the edge
    result = pricing.price(UNIFORM, 10.5 + 0.059992, Offer(10.5, 100), Offer(10.5, 100), Offer(10.5, 100),
                           Offer(10.5, 100))
    assert (result.ev_best, result.recommendation) == (0.03, "OVER")
