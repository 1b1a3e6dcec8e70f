"""System 5 — ensemble (spec phase5-6 §3.7), system_id ensemble_v1.

Built from the four base systems' stored outputs (the original re-ran them inside the ensemble,
drawing fresh mock noise); a fallback row (no trained model, too few similar games) is not a
component, as the original dropped a system that returned nothing.

The point prediction is a **learned** combination (``Weights``): non-negative weights over the
base systems plus an intercept, fitted walk-forward per calendar month by the monthly training
job on a held-out slice of the dates before the month (``nbaprops.predictions.stacking``). The
spec's confidence-weighted mean is the documented fallback for a month without learned weights
(too little history to train XGBoost, e.g. the first month of a range). Confidence, variance,
agreement and recommendation are the spec's either way.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Mapping, Sequence

from nbaprops import catalogue
from nbaprops.predictions.systems.base import (NO_LINE, OVER, PASS, UNDER, SystemResult, clamp, line_margin,
                                               points, pstdev)

SYSTEM_ID = catalogue.ENSEMBLE
BASE_SYSTEMS = 4
LEARNED = "learned_weights"
CONFIDENCE_WEIGHTED = "confidence_weighted"


@dataclass(frozen=True)
class Weights:
    """One learned combination: predicted = intercept + Σ coefficient · component prediction,
    over ``systems`` (all of which must be valid components of the row)."""

    systems: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float

    def __post_init__(self):
        if len(self.systems) != len(self.coefficients) or not self.systems:
            raise ValueError(f"weights need one coefficient per system: {self.systems} {self.coefficients}")
        if any(c < 0 or not math.isfinite(c) for c in self.coefficients) or not math.isfinite(self.intercept):
            raise ValueError(f"weights must be finite and non-negative: {self.coefficients} {self.intercept}")

    def combine(self, predictions: Mapping[str, float]) -> float:
        return self.intercept + math.fsum(c * predictions[s] for s, c in zip(self.systems, self.coefficients))

    def as_dict(self) -> dict:
        return {"systems": list(self.systems), "coefficients": list(self.coefficients), "intercept": self.intercept}

    @classmethod
    def from_dict(cls, doc: Mapping) -> Weights:
        return cls(tuple(doc["systems"]), tuple(float(c) for c in doc["coefficients"]), float(doc["intercept"]))


def select_weights(weight_sets: Sequence[Weights], valid_systems) -> Weights | None:
    """The first stored set (most systems first) whose systems are all valid for the row."""
    valid = set(valid_systems)
    for weights in weight_sets:
        if set(weights.systems) <= valid:
            return weights
    return None


def agreement_score(spread: float) -> float:
    """0-100 from the components' std: < 2 → 95, < 3 → 85, < 6 → 70, else max(50, 100 - 5·std)."""
    if spread < 2.0:
        return 95.0
    if spread < 3.0:
        return 85.0
    if spread < 6.0:
        return 70.0
    return round(max(50.0, 100.0 - 5.0 * spread), 2)


def confidence(confidences_100: Sequence[float], spread: float) -> float:
    """0-100: mean component confidence, + 10 (std < 2), + 5 (< 3), - 5 (< 6), else - 10;
    + 5 when all four base systems contributed; clamped to [20, 95]."""
    c = statistics.fmean(confidences_100)
    c += 10 if spread < 2.0 else 5 if spread < 3.0 else -5 if spread < 6.0 else -10
    if len(confidences_100) == BASE_SYSTEMS:
        c += 5
    return round(clamp(c, 20.0, 95.0), 2)


def recommendation(predicted: float, line: float | None, confidence_100: float,
                   component_recommendations: Sequence[str]) -> str:
    """confidence < 65 or |margin| < 1.5 → PASS; else the side of the line the ensemble's own
    prediction is on — unless a strict majority of the components recommends the other side, then
    PASS. (The spec followed the majority even against the ensemble's own margin; with learned
    weights and an intercept that could say OVER on a prediction below the line.)"""
    margin = line_margin(predicted, line)
    if margin is None:
        return NO_LINE
    if confidence_100 < 65 or abs(margin) < 1.5:
        return PASS
    side = OVER if margin > 0 else UNDER
    other = UNDER if side == OVER else OVER
    if sum(r == other for r in component_recommendations) > len(component_recommendations) / 2:
        return PASS  # the components disagree with the ensemble's own side
    return side


def confidence_weighted(predictions: Sequence[float], confidences_100: Sequence[float]) -> float:
    """The spec's combination (§3.7, quirk 9): Σ(pred·conf) / Σ conf over the valid components."""
    return sum(p * w for p, w in zip(predictions, confidences_100)) / sum(confidences_100)


def predict(components: Sequence[SystemResult] | Mapping[str, SystemResult], line: float | None,
            weights: Sequence[Weights] | None = None) -> SystemResult:
    """The ensemble row from the base systems' results (a list, or system_id → result).

    Point prediction: with ``weights`` (the month's learned sets; ``components`` must then be a
    mapping), the first set whose systems are all valid: intercept + Σ w·pred; otherwise — no
    learned weights for the month, or none fits the row's valid systems — the spec's
    confidence-weighted mean. Confidence, spread, agreement and recommendation: the spec's.
    """
    if isinstance(components, Mapping):
        named = {system_id: c for system_id, c in components.items() if c.valid}
        valid = list(named.values())
    else:
        if weights:
            raise ValueError("learned weights need the components by system_id")
        named, valid = {}, [c for c in components if c.valid]
    if len(valid) < 2:  # unreachable: moving average and zone matchup are always valid
        raise ValueError(f"the ensemble needs at least 2 valid components, got {len(valid)}")
    preds = [c.predicted_points for c in valid]
    confs = [round(c.confidence * 100, 2) for c in valid]
    chosen = select_weights(weights or (), named)
    if chosen is not None:
        predicted = points(chosen.combine({s: c.predicted_points for s, c in named.items()}))
    else:
        predicted = points(confidence_weighted(preds, confs))
    spread = pstdev(preds)
    conf = confidence(confs, spread)
    rec = recommendation(predicted, line, conf, [c.recommendation for c in valid])
    return SystemResult(predicted, round(conf / 100, 4), rec, {
        "prediction_variance": round(spread, 2),
        "system_agreement_score": agreement_score(spread),
        "contributing_systems": len(valid),
    })
