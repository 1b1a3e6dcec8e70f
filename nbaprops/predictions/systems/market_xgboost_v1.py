"""System 6 — the line-aware model, system_id market_xgboost_v1 (issue 13, DESIGN D14).

Not one of the original's five: it reads the consensus line and the bookmakers' prices
(``nbaprops.predictions.market`` trains it) and prices its prediction as a bet
(``nbaprops.predictions.pricing``): P(over)/P(under) at the consensus line, EV per unit of the
better side at its best bookmaker and at the consensus price (-110 where no price is stored), and
a recommendation on that EV with the minimum edge. ``confidence_score`` is the recommended
(better) side's probability of winning at the consensus line.

Fallbacks say so: without a line, or in a month whose market model had too little history, the
row carries XGBoost's prediction (``fallback_system`` 'xgboost_v1'), confidence 0, NO_LINE / PASS,
and a warning; the pricing columns are NULL.
"""
from __future__ import annotations

from dataclasses import dataclass

from nbaprops import catalogue
from nbaprops.predictions import pricing
from nbaprops.predictions.pricing import Offer, ResidualDistribution
from nbaprops.predictions.systems.base import SystemResult, fallback, points

SYSTEM_ID = catalogue.MARKET_XGBOOST
FALLBACK_SYSTEM = catalogue.XGBOOST
NO_LINE_WARNING = "market_fallback_no_line"
INSUFFICIENT_WARNING = "market_fallback_insufficient_history"
FALLBACK_MODEL_ID = "fallback_xgboost_v1"
PRICING_COLUMNS = (
    "p_over", "p_under", "value_side", "ev_best", "ev_consensus", "bet_line", "bet_price_american",
    "bet_bookmaker", "consensus_price_american", "fallback_system",
)


@dataclass(frozen=True)
class MarketOffers:
    """A player-game's bets on offer before tip-off (nba_staging.player_prop_lines)."""

    consensus_over: Offer
    consensus_under: Offer
    best_over: Offer
    best_under: Offer

    @classmethod
    def from_row(cls, row: dict) -> "MarketOffers | None":
        """From a row holding the player_prop_lines columns; None without a consensus line."""
        line = row.get("current_points_line")
        if line is None:
            return None
        return cls(Offer(line, row.get("consensus_over_price_american")),
                   Offer(line, row.get("consensus_under_price_american")),
                   Offer(row["best_over_line"], row.get("best_over_price_american"), row.get("best_over_bookmaker")),
                   Offer(row["best_under_line"], row.get("best_under_price_american"), row.get("best_under_bookmaker")))


def _fallback(xgboost: SystemResult, line: float | None, warning: str) -> SystemResult:
    result = fallback(xgboost.predicted_points, line, warning, ml_model_id=FALLBACK_MODEL_ID)
    return SystemResult(result.predicted_points, result.confidence, result.recommendation,
                        {"fallback_system": FALLBACK_SYSTEM}, valid=False, warnings=result.warnings,
                        ml_model_id=FALLBACK_MODEL_ID)


def predict(offers: MarketOffers | None, model_output: float | None, model_id: str | None,
            distribution: ResidualDistribution | None, xgboost: SystemResult,
            min_edge: float = pricing.MIN_EDGE) -> SystemResult:
    """The market row from the model's output (line + shrink × predicted residual) and its
    month's residual distribution; ``xgboost`` is the player's xgboost_v1 row (the fallback)."""
    if offers is None:
        return _fallback(xgboost, None, NO_LINE_WARNING)
    if model_output is None or distribution is None:
        return _fallback(xgboost, offers.consensus_over.line, INSUFFICIENT_WARNING)
    predicted = points(model_output)
    priced = pricing.price(distribution, predicted, offers.consensus_over, offers.consensus_under,
                           offers.best_over, offers.best_under, min_edge)
    p_side = priced.p_over if priced.side == pricing.OVER else priced.p_under
    components = {
        "p_over": round(priced.p_over, 4), "p_under": round(priced.p_under, 4), "value_side": priced.side,
        "ev_best": round(priced.ev_best, 4), "ev_consensus": round(priced.ev_consensus, 4),
        "bet_line": priced.bet.line, "bet_price_american": int(priced.bet.price_used),
        "bet_bookmaker": priced.bet.book, "consensus_price_american": int(priced.consensus.price_used),
        "fallback_system": None,
    }
    return SystemResult(predicted, round(p_side, 4), priced.recommendation, components, ml_model_id=model_id)
