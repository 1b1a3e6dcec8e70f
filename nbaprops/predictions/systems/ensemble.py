"""System 5 — ensemble (spec phase5-6 §3.7), system_id ensemble_v1.

Built from the four base systems' stored outputs (the original re-ran them inside the ensemble,
drawing fresh mock noise); a fallback row (no trained model, too few similar games) is not a
component, as the original dropped a system that returned nothing.
"""
from __future__ import annotations

import statistics
from typing import Sequence

from nbaprops.predictions.systems.base import (NO_LINE, OVER, PASS, UNDER, SystemResult, clamp, line_margin,
                                               points, pstdev)

SYSTEM_ID = "ensemble_v1"
BASE_SYSTEMS = 4


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
    """confidence < 65 or |margin| < 1.5 → PASS; else the strict majority of the components'
    own recommendations if OVER or UNDER has one, else the side of the line the prediction is on."""
    margin = line_margin(predicted, line)
    if margin is None:
        return NO_LINE
    if confidence_100 < 65 or abs(margin) < 1.5:
        return PASS
    half = len(component_recommendations) / 2
    if sum(r == OVER for r in component_recommendations) > half:
        return OVER
    if sum(r == UNDER for r in component_recommendations) > half:
        return UNDER
    return OVER if margin > 0 else UNDER


def predict(components: Sequence[SystemResult], line: float | None) -> SystemResult:
    """Confidence-weighted mean of the valid components' predictions (weights = their 0-100
    confidences; the registry's fixed weights were never used, quirk 9 kept)."""
    valid = [c for c in components if c.valid]
    if len(valid) < 2:  # unreachable: moving average and zone matchup are always valid
        raise ValueError(f"the ensemble needs at least 2 valid components, got {len(valid)}")
    preds = [c.predicted_points for c in valid]
    confs = [round(c.confidence * 100, 2) for c in valid]
    predicted = points(sum(p * w for p, w in zip(preds, confs)) / sum(confs))
    spread = pstdev(preds)
    conf = confidence(confs, spread)
    rec = recommendation(predicted, line, conf, [c.recommendation for c in valid])
    return SystemResult(predicted, round(conf / 100, 4), rec, {
        "prediction_variance": round(spread, 2),
        "system_agreement_score": agreement_score(spread),
        "contributing_systems": len(valid),
    })


