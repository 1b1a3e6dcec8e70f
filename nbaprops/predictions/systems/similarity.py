"""System 3 — similarity balanced (spec phase5-6 §3.6), system_id similarity_balanced_v1.

The prediction is the similarity-weighted mean of the player's past games played in a context
like today's (opponent strength, rest, venue, form), plus small adjustments.
"""
from __future__ import annotations

import functools
import statistics
from dataclasses import dataclass
from typing import Mapping, Sequence

from nbaprops import catalogue
from nbaprops.predictions.systems.base import SystemResult, clamp, edge_recommendation, fallback, points, pstdev

SYSTEM_ID = catalogue.SIMILARITY
MIN_SCORE = 70
MAX_MATCHES = 20
MIN_MATCHES = 5
TIERS = ("tier_1_elite", "tier_2_average", "tier_3_weak")
REST_BUCKETS = ("back_to_back", "one_day_rest", "two_days_rest", "well_rested")
INSUFFICIENT = "insufficient_similar_games"


@dataclass(frozen=True)
class Context:
    """What makes two games alike."""

    opponent_tier: str
    rest_bucket: str
    is_home: bool
    form: str


@dataclass(frozen=True)
class HistoricalGame:
    """One earlier game of the player (newest first in a history) and its pre-game context."""

    points: float
    context: Context


def opponent_tier(opponent_def_rating: float | None) -> str:
    """< 110 elite, < 115 average, else weak; unknown → average."""
    rating = 112.0 if opponent_def_rating is None else float(opponent_def_rating)
    if rating < 110:
        return TIERS[0]
    if rating < 115:
        return TIERS[1]
    return TIERS[2]


def rest_bucket(days_rest: int | None) -> str:
    """Days since the previous game, on the feature store's scale (1 = played yesterday):
    1 back_to_back, 2 one_day_rest, 3 two_days_rest, >= 4 or unknown (none in 30 days) well_rested.
    The original mapped 0 to back_to_back on the same scale, so no game was ever a back-to-back."""
    if days_rest is None or days_rest >= 4:
        return REST_BUCKETS[3]
    return REST_BUCKETS[max(int(days_rest), 1) - 1]


def form(points_avg_last_5: float | None, points_avg_season: float | None) -> str:
    """hot when L5 - season >= 3, cold when <= -3, else normal (unknown → normal)."""
    if points_avg_last_5 is None or points_avg_season is None:
        return "normal"
    diff = float(points_avg_last_5) - float(points_avg_season)
    if diff >= 3:
        return "hot"
    if diff <= -3:
        return "cold"
    return "normal"


def current_context(features: Mapping[str, object]) -> Context:
    return Context(opponent_tier(features["opponent_def_rating"]), rest_bucket(features["days_rest"]),
                   features["home_away"] == 1, form(features["points_avg_last_5"], features["points_avg_season"]))


def _ordinal_score(a: str, b: str, order: Sequence[str], same: int, adjacent: int) -> int:
    gap = abs(order.index(a) - order.index(b))
    return same if gap == 0 else adjacent if gap == 1 else 0


@functools.lru_cache(maxsize=None)  # 72 contexts: every pair is scored once per process
def similarity_score(today: Context, past: Context) -> int:
    """Out of 100: opponent tier 40 (adjacent 20), rest 30 (adjacent 15), venue 15, form 15 (else 5)."""
    return (_ordinal_score(today.opponent_tier, past.opponent_tier, TIERS, 40, 20)
            + _ordinal_score(today.rest_bucket, past.rest_bucket, REST_BUCKETS, 30, 15)
            + (15 if today.is_home == past.is_home else 0)
            + (15 if today.form == past.form else 5))


def adjustments(features: Mapping[str, object]) -> dict[str, float]:
    """Each rounded to 2 decimals. Fatigue (score - 70) · 0.015 already follows D4 (100 = fresh adds)."""
    f = features
    return {
        "fatigue_adjustment": round((f["fatigue_score"] - 70) * 0.015, 2),
        "shot_zone_adjustment": round(f["shot_zone_mismatch_score"] * 0.4, 2),
        "pace_adjustment": round(f["pace_score"] * 0.8, 2),
        "usage_spike_adjustment": round(f["usage_spike_score"] * 0.8, 2),
        "home_away_adjustment": 0.8 if f["home_away"] == 1 else -0.5,
    }


def confidence(n: int, mean_score: float, spread: float) -> float:
    """0-100: 50, + count (>= 15: 20, >= 10: 15, >= 7: 10, >= 5: -15), + mean score (>= 85: 20,
    >= 75: 15, >= 70: 10), + points spread (< 4: 15, < 6: 8, < 8: 3, else -5); clamped, rounded 2."""
    c = 50.0
    c += 20 if n >= 15 else 15 if n >= 10 else 10 if n >= 7 else -15 if n >= 5 else 0
    c += 20 if mean_score >= 85 else 15 if mean_score >= 75 else 10 if mean_score >= 70 else 0
    c += 15 if spread < 4 else 8 if spread < 6 else 3 if spread < 8 else -5
    return round(clamp(c, 0.0, 100.0), 2)


def predict(features: Mapping[str, object], history: Sequence[HistoricalGame], line: float | None) -> SystemResult:
    """``history``: the player's games of the 90 days before D, newest first, at most 30.

    Games scoring >= 70 against today's context, best 20 (ties: newest first). With fewer than 5,
    the original wrote no row; here a fallback row keeps five systems per player: the season
    average plus the same adjustments, confidence 0, PASS, warning insufficient_similar_games.
    """
    today = current_context(features)
    scored = [(similarity_score(today, game.context), game) for game in history]
    matches = sorted((m for m in scored if m[0] >= MIN_SCORE), key=lambda m: -m[0])[:MAX_MATCHES]
    adjust = adjustments(features)
    total = sum(adjust.values())
    n = len(matches)
    extra = {"similar_games_count": n,
             "avg_similarity_score": round(statistics.fmean(s for s, _ in matches), 2) if matches else None,
             "min_similarity_score": float(min(s for s, _ in matches)) if matches else None}
    if n < MIN_MATCHES:
        return fallback(features["points_avg_season"] + total, line, INSUFFICIENT,
                        components={"similarity_baseline": None, **adjust, **extra})
    weights = [s / 100 for s, _ in matches]
    baseline = sum(g.points * w for (_, g), w in zip(matches, weights)) / sum(weights)
    predicted = points(baseline + total)
    conf = confidence(n, statistics.fmean(s for s, _ in matches), pstdev(g.points for _, g in matches))
    return SystemResult(predicted, round(conf / 100, 4),
                        edge_recommendation(predicted, line, conf, min_confidence=65, edge=2.0),
                        {"similarity_baseline": round(baseline, 2), **adjust, **extra})
