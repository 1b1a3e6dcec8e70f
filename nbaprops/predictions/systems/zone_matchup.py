"""System 2 — zone matchup (spec phase5-6 §3.5), system_id zone_matchup_v1."""
from __future__ import annotations

from typing import Mapping

from nbaprops import catalogue
from nbaprops.predictions.systems.base import (SystemResult, clamp, points, rule_confidence, rule_recommendation,
                                               tiredness_adjustment)

SYSTEM_ID = catalogue.ZONE_MATCHUP
LEAGUE_DEF_RATING = 110.0  # the spec's centre; the builder passes the date's league mean
ZONES = (("pct_paint", 1.2), ("pct_mid_range", 1.0), ("pct_three", 1.1), ("pct_free_throw", 0.8))


def zone_usage_weight(share: float) -> float:
    """Weight of a zone by the player's share of it: >= 0.40 → 1.0, >= 0.20 → 0.7, else 0.4."""
    if share >= 0.40:
        return 1.0
    if share >= 0.20:
        return 0.7
    return 0.4


def zone_adjustment(features: Mapping[str, object], league_def_rating: float = LEAGUE_DEF_RATING) -> float:
    """Σ over paint, mid-range, three and free throws of score × usage weight, where
    score = clamp((opponent_def_rating - league_def_rating) · 0.3 · k, -3, 3).

    D4: opponent_def_rating is points allowed per 100 possessions, so a rating above the league's
    is a *weak* defence and raises the prediction. The original used (110 - rating), raising
    predictions against good defences (quirk 5, fixed). The centre is the league's mean rating
    of the date (the builder passes it, as Phase 4's opponent_strength_score does) rather than
    the fixed 110: with the sign fixed, a league averaging 112-114 would make an average
    opponent raise every prediction (a +1.8 to +3 point bias on the demo league).
    """
    gap = float(features["opponent_def_rating"]) - league_def_rating
    return sum(clamp(gap * 0.3 * k, -3.0, 3.0) * zone_usage_weight(float(features[name])) for name, k in ZONES)


def predict(features: Mapping[str, object], line: float | None,
            league_def_rating: float = LEAGUE_DEF_RATING) -> SystemResult:
    """points_avg_season + zone + pace + venue + fatigue (D4 as in the moving average: < 30 -1.5,
    < 50 -0.8). ``league_def_rating``: the mean opponent_def_rating of the date's teams (the
    spec's fixed 110 when not given)."""
    f = features
    adjustments = {
        "shot_zone_adjustment": zone_adjustment(f, league_def_rating),
        "pace_adjustment": 0.4 * f["pace_score"],
        "home_away_adjustment": 0.8 if f["home_away"] == 1 else -0.8,
        "fatigue_adjustment": tiredness_adjustment(f["fatigue_score"], heavy=-1.5, light=-0.8),
    }
    predicted = points(f["points_avg_season"] + sum(adjustments.values()))
    confidence = rule_confidence(f)
    return SystemResult(predicted, confidence, rule_recommendation(predicted, line, confidence),
                        {name: round(value, 2) for name, value in adjustments.items()})
