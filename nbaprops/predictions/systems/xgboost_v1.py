"""System 4 — XGBoost (spec phase5-6 §3.4, DESIGN D3), system_id xgboost_v1.

The original always served a hand-written mock plus N(0, 0.3) noise. Here the prediction is a
real model's output (``nbaprops.predictions.training``: trained walk-forward on the feature store
joined with actual points); this module only turns that output into a row.
"""
from __future__ import annotations

from typing import Mapping

from nbaprops import catalogue
from nbaprops.predictions.systems.base import SystemResult, edge_recommendation, fallback, points

SYSTEM_ID = catalogue.XGBOOST
FALLBACK_MODEL_ID = "fallback_insufficient_history"


def confidence(features: Mapping[str, object]) -> float:
    """0-100: 70, + feature quality (>= 90: 10, >= 80: 7, >= 70: 5, >= 60: 2; missing 80),
    + volatility points_std_last_10 (< 4: 10, < 6: 7, < 8: 5, else 2); rounded 2."""
    quality = features.get("feature_quality_score")
    quality = 80.0 if quality is None else float(quality)
    volatility = float(features["points_std_last_10"])
    c = 70.0
    c += 10 if quality >= 90 else 7 if quality >= 80 else 5 if quality >= 70 else 2 if quality >= 60 else 0
    c += 10 if volatility < 4 else 7 if volatility < 6 else 5 if volatility < 8 else 2
    return round(min(100.0, max(0.0, c)), 2)


def predict(features: Mapping[str, object], model_output: float | None, model_id: str | None,
            line: float | None, *, fallback_points: float) -> SystemResult:
    """``model_output``: the window's model's raw prediction for this row, or None when the window
    had too little history to train. Then the documented estimator is the moving average's
    prediction (``fallback_points``), with confidence 0, PASS and ml_model_id
    fallback_insufficient_history; the ensemble ignores such a row.

    Recommendation: confidence < 60 → PASS (unreachable: 72-90), margin >= 1.5 OVER, <= -1.5 UNDER.
    """
    if model_output is None:
        return fallback(fallback_points, line, FALLBACK_MODEL_ID, ml_model_id=FALLBACK_MODEL_ID)
    predicted = points(model_output)
    conf = confidence(features)
    return SystemResult(predicted, round(conf / 100, 4),
                        edge_recommendation(predicted, line, conf, min_confidence=60, edge=1.5),
                        ml_model_id=model_id)
