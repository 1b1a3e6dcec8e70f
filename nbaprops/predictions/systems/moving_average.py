"""System 1 — moving average baseline (spec phase5-6 §3.3), system_id moving_average_baseline_v1."""
from __future__ import annotations

from typing import Mapping

from nbaprops import catalogue
from nbaprops.predictions.systems.base import (SystemResult, points, rule_confidence, rule_recommendation,
                                               tiredness_adjustment)

SYSTEM_ID = catalogue.MOVING_AVERAGE


def predict(features: Mapping[str, object], line: float | None) -> SystemResult:
    """0.50·L5 + 0.30·L10 + 0.20·season plus fatigue, matchup, rest, pace, venue and usage terms.

    D4: fatigue penalises tired players (score < 30: -2.5, < 50: -1.0), not fresh ones (the
    original's > 70 / > 50 on a 100 = fresh score). Every other sign already follows its feature's
    meaning: shot_zone_mismatch_score, pace_score and usage_spike_score are + = favourable.
    """
    f = features
    base = 0.50 * f["points_avg_last_5"] + 0.30 * f["points_avg_last_10"] + 0.20 * f["points_avg_season"]
    adjustments = {
        "fatigue_adjustment": tiredness_adjustment(f["fatigue_score"], heavy=-2.5, light=-1.0),
        "shot_zone_adjustment": 0.3 * f["shot_zone_mismatch_score"],
        "other_adjustments": -1.5 if f["back_to_back"] == 1 else 0.0,  # rest: back-to-back
        "pace_adjustment": 0.3 * f["pace_score"],
        "home_away_adjustment": 0.5 if f["home_away"] == 1 else -0.5,
        "usage_spike_adjustment": 0.4 * f["usage_spike_score"],
    }
    predicted = points(base + sum(adjustments.values()))
    confidence = rule_confidence(f)
    return SystemResult(predicted, confidence, rule_recommendation(predicted, line, confidence),
                        {name: round(value, 2) for name, value in adjustments.items()})
