"""The MLFS feature record (spec phase5-6 §1.1-§1.2) as the systems see it."""
from __future__ import annotations

from typing import Mapping, Sequence

FEATURE_VERSION = "v1_baseline_25"
FEATURE_NAMES: tuple[str, ...] = (
    "points_avg_last_5", "points_avg_last_10", "points_avg_season", "points_std_last_10",
    "games_in_last_7_days", "fatigue_score", "shot_zone_mismatch_score", "pace_score", "usage_spike_score",
    "rest_advantage", "injury_risk", "recent_trend", "minutes_change", "opponent_def_rating", "opponent_pace",
    "home_away", "back_to_back", "playoff_game", "pct_paint", "pct_mid_range", "pct_three", "pct_free_throw",
    "team_pace", "team_off_rating", "team_win_pct",
)
N_FEATURES = len(FEATURE_NAMES)


class FeatureError(ValueError):
    """An MLFS row does not hold the 25 features of v1_baseline_25 in order."""


def feature_dict(names: Sequence[str], values: Sequence[float], *, days_rest: int | None = None,
                 feature_quality_score: float | None = None) -> dict:
    """One player's features by name plus the row-level fields the systems read.

    The original's loader also added aliases (``pct_free_throw`` as ``assisted_rate_last_10``,
    ``team_win_pct`` as ``usage_rate_last_10``, ...) for its mock XGBoost; nothing here reads
    them (XGBoost consumes the array in MLFS order), so the mislabelled aliases (quirk 4) are gone.
    ``days_rest`` keeps its meaning from the feature store: days since the player's previous game
    (1 = back-to-back), None without one in 30 days.
    """
    if tuple(names) != FEATURE_NAMES or len(values) != N_FEATURES:
        raise FeatureError(f"expected the {N_FEATURES} features of {FEATURE_VERSION} in order, got {list(names)}")
    features = {name: float(value) for name, value in zip(names, values)}
    features["days_rest"] = None if days_rest is None else int(days_rest)
    features["feature_quality_score"] = feature_quality_score
    return features


def features_from_values(values: Mapping[str, float], **row) -> dict:
    """A feature dict from named values (tests, tools): every one of the 25 names is required."""
    missing = [n for n in FEATURE_NAMES if n not in values]
    if missing:
        raise FeatureError(f"missing features {missing}")
    return feature_dict(FEATURE_NAMES, [values[n] for n in FEATURE_NAMES], **row)
