"""A line-aware prediction priced as a bet (DESIGN D14): P(over), expected value, recommendation.

The predictive distribution of a player-game's points is the point prediction plus a residual
drawn from the model's own out-of-sample residuals (``ResidualDistribution``: empirical quantiles
per bucket of the line, fitted walk-forward by ``nbaprops.predictions.market``). Points are whole
numbers, so a predicted value v counts as the integer nearest it: with a line of 17.0 the over
needs v >= 17.5, the under v < 16.5, and what lies between is a push (the stake comes back).

Expected value is per unit staked at an American price: a win pays ``payout(price)`` (+150 → 1.5,
-110 → 0.909…), a loss costs 1, a push 0. The recommendation is the side with the larger EV when
that EV reaches ``MIN_EDGE``; otherwise PASS. Everything here is a pure function of its arguments.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

import numpy as np

# The price assumed where no bookmaker's price is stored (the industry's standard vig).
DEFAULT_AMERICAN = -110
# A margin for the model's own error: on the full demo range (walk-forward) picks with EV >= 0.03
# at the best book returned +0.141 a unit, every side with EV >= 0 +0.128 (nbaprops/predictions/market.md).
MIN_EDGE = 0.03
# EVs are stored to 4 decimals, and the side and recommendation are decided on those stored
# values, so a reader can re-derive every recommendation from its row.
EV_DIGITS = 4
OVER, UNDER, PASS, NO_LINE = "OVER", "UNDER", "PASS", "NO_LINE"


def payout(american: float) -> float:
    """Profit per unit staked when a bet at ``american`` odds wins (+150 → 1.5, -125 → 0.8)."""
    if american is None or not math.isfinite(american) or -100 < american < 100:
        raise ValueError(f"American odds must be <= -100 or >= +100, got {american!r}")
    return american / 100 if american > 0 else 100 / -american


def american_from_payout(value: float) -> int:
    """The American odds (rounded to the nearest integer) paying ``value`` per unit staked."""
    if not value > 0:
        raise ValueError(f"a payout must be positive, got {value!r}")
    return int(round(value * 100)) if value >= 1 else int(round(-100 / value))


def expected_value(p_win: float, p_lose: float, american: float) -> float:
    """EV per unit staked: win pays ``payout(american)``, loss costs the stake, push returns it."""
    return p_win * payout(american) - p_lose


@dataclass(frozen=True)
class ResidualDistribution:
    """Empirical residual (actual - predicted points) quantiles per line bucket.

    ``upper_edges[i]`` is bucket i's exclusive upper line edge (the last bucket is open), and
    ``quantiles[i]`` its residual quantiles at evenly spaced probabilities 0, 1/(n-1), …, 1.
    """

    upper_edges: tuple[float, ...]
    quantiles: tuple[tuple[float, ...], ...]

    def __post_init__(self):
        if len(self.quantiles) != len(self.upper_edges) + 1:
            raise ValueError(f"{len(self.upper_edges)} bucket edges need {len(self.upper_edges) + 1} quantile "
                             f"lists, got {len(self.quantiles)}")
        for q in self.quantiles:
            if len(q) < 2 or any(b < a for a, b in zip(q, q[1:])):
                raise ValueError("each bucket needs at least 2 non-decreasing quantiles")

    @classmethod
    def fit(cls, residuals: Sequence[float], lines: Sequence[float], *, buckets: int,
            n_quantiles: int = 101) -> "ResidualDistribution":
        """Equal-count line buckets (edges at the lines' quantiles, rounded 1) and each bucket's
        residual quantiles (rounded 4): the same inputs give the same numbers."""
        residuals, lines = np.asarray(residuals, float), np.asarray(lines, float)
        if len(residuals) != len(lines) or not len(residuals):
            raise ValueError(f"need equally many residuals and lines, got {len(residuals)} and {len(lines)}")
        edges = sorted({round(float(e), 1) for e in np.quantile(lines, np.arange(1, buckets) / buckets)})
        which = np.searchsorted(np.asarray(edges), lines, side="right")
        probabilities = np.linspace(0, 1, n_quantiles)
        quantiles = tuple(tuple(round(float(v), 4) for v in np.quantile(residuals[which == b], probabilities))
                          for b in range(len(edges) + 1))
        return cls(tuple(edges), quantiles)

    def cdf(self, line: float, residual: float) -> float:
        """P(residual < ``residual``) in ``line``'s bucket (linear between quantiles)."""
        q = self.quantiles[bisect_right(self.upper_edges, line)]
        return float(np.interp(residual, q, np.linspace(0, 1, len(q)), left=0.0, right=1.0))

    def to_json(self) -> dict:
        return {"upper_edges": list(self.upper_edges), "quantiles": [list(q) for q in self.quantiles]}

    @classmethod
    def from_json(cls, doc: dict) -> "ResidualDistribution":
        return cls(tuple(doc["upper_edges"]), tuple(tuple(q) for q in doc["quantiles"]))


def outcome_probabilities(distribution: ResidualDistribution, predicted: float, line: float) -> tuple[float, float]:
    """(P(over), P(under)) of the line; 1 minus their sum is the push probability."""
    first_over = math.floor(line) + 1          # the smallest whole score above the line
    last_under = math.ceil(line) - 1           # the largest whole score below it
    p_over = 1.0 - distribution.cdf(line, first_over - 0.5 - predicted)
    p_under = distribution.cdf(line, last_under + 0.5 - predicted)
    return p_over, p_under


def recommend(ev_over: float, ev_under: float, min_edge: float = MIN_EDGE) -> str:
    """The side with the larger EV when it reaches ``min_edge`` units; PASS otherwise."""
    side, ev = (OVER, ev_over) if ev_over >= ev_under else (UNDER, ev_under)
    return side if ev >= min_edge else PASS


@dataclass(frozen=True)
class Offer:
    """One side's bet as stored: the line and American price (None: no price stored) and where."""

    line: float
    price: float | None
    book: str | None = None

    @property
    def price_used(self) -> float:
        return DEFAULT_AMERICAN if self.price is None else self.price


@dataclass(frozen=True)
class Pricing:
    """A priced prediction. ``side`` is the side with the larger EV at its best book and ``bet``
    that book's offer; ``ev_best`` / ``ev_consensus`` are the side's EV at the best book and at the
    consensus line and price. ``recommendation`` is ``side`` when ``ev_best`` reaches the minimum
    edge, else PASS."""

    p_over: float
    p_under: float
    side: str
    ev_best: float
    ev_consensus: float
    bet: Offer
    consensus: Offer
    recommendation: str


def price(distribution: ResidualDistribution, predicted: float, consensus_over: Offer, consensus_under: Offer,
          best_over: Offer, best_under: Offer, min_edge: float = MIN_EDGE) -> Pricing:
    """Price ``predicted`` against the consensus line and each side's best book. The side is
    chosen on the best book's EV (a bettor places the bet at the best line and price on offer);
    the side's consensus EV is reported beside it. P(over)/P(under) are at the consensus line;
    EVs are rounded to ``EV_DIGITS`` before anything is decided on them."""
    p_over, p_under = outcome_probabilities(distribution, predicted, consensus_over.line)
    at_best_over = outcome_probabilities(distribution, predicted, best_over.line)
    at_best_under = outcome_probabilities(distribution, predicted, best_under.line)
    ev_over = round(expected_value(at_best_over[0], at_best_over[1], best_over.price_used), EV_DIGITS)
    ev_under = round(expected_value(at_best_under[1], at_best_under[0], best_under.price_used), EV_DIGITS)
    if ev_over >= ev_under:
        side, ev_best, bet, consensus = OVER, ev_over, best_over, consensus_over
        ev_consensus = expected_value(p_over, p_under, consensus_over.price_used)
    else:
        side, ev_best, bet, consensus = UNDER, ev_under, best_under, consensus_under
        ev_consensus = expected_value(p_under, p_over, consensus_under.price_used)
    ev_consensus = round(ev_consensus, EV_DIGITS)
    return Pricing(p_over, p_under, side, ev_best, ev_consensus, bet, consensus, recommend(ev_over, ev_under, min_edge))
