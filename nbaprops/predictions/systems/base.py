"""What every system returns, and the rounding, confidence and recommendation rules they share
(spec phase5-6 §3.1-§3.2, §2.5).

Stored values are the values decided on: ``predicted_points`` is rounded once to 1 decimal (the
original's NUMERIC(5,1)) and ``line_margin`` = round(predicted_points - line, 2) (NUMERIC(5,2));
every recommendation is computed from those stored numbers, so a reader can re-derive each
recommendation from its row (the original decided on the unrounded prediction, which a boundary
case could contradict at rest).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

OVER, UNDER, PASS, NO_LINE = "OVER", "UNDER", "PASS", "NO_LINE"
MIN_POINTS, MAX_POINTS = 0.0, 60.0


@dataclass(frozen=True)
class SystemResult:
    """One system's prediction for one player-game.

    ``confidence`` is on the stored 0-1 scale (rounded to 4 decimals: exactly the system's 0-100
    confidence / 100). ``components`` maps contract columns (fatigue_adjustment, ...) to values.
    ``valid`` is False for a fallback row (too few similar games, no trained model): it is stored,
    but the ensemble ignores it, as the original dropped such a system.
    """

    predicted_points: float
    confidence: float
    recommendation: str
    components: Mapping[str, object] = field(default_factory=dict)
    valid: bool = True
    warnings: tuple[str, ...] = ()
    ml_model_id: str | None = None


def clamp(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


def pstdev(values) -> float:
    """Population standard deviation (numpy's default, ddof=0); statistics.pstdev is exact but
    ~20x slower (fractions), which showed in a month's build."""
    values = list(values)
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def points(x: float) -> float:
    """A prediction as stored: clamped to [0, 60], rounded to 1 decimal."""
    return round(clamp(x, MIN_POINTS, MAX_POINTS), 1)


def line_margin(predicted: float, line: float | None) -> float | None:
    """predicted - line as stored (2 decimals); None without a line."""
    return None if line is None else round(predicted - line, 2)


def rule_confidence(features: Mapping[str, object]) -> float:
    """Moving average and zone matchup confidence (§3.1), 0-1, rounded 2.

    The original multiplied by 0.8 for ``data_source == 'mock'``, which no feature-store row has,
    so that factor is omitted. Rounding makes 0.5 - 0.15 + 0.10 exactly 0.45 (0.4499... in the
    original's floats); the recommendation's ``<= 0.45`` gives PASS either way (quirk 7, kept).
    """
    c = 0.50
    volatility = float(features["points_std_last_10"])
    if volatility > 6.0:
        c -= 0.15
    elif volatility > 4.0:
        c -= 0.08
    recent_games = int(features["games_in_last_7_days"])
    if recent_games >= 3:
        c += 0.10
    elif recent_games == 2:
        c += 0.05
    else:
        c -= 0.10
    return round(clamp(c, 0.2, 0.8), 2)


def rule_recommendation(predicted: float, line: float | None, confidence: float) -> str:
    """Moving average and zone matchup (§3.2): PASS when |margin| <= 2.0 or confidence <= 0.45."""
    margin = line_margin(predicted, line)
    if margin is None:
        return NO_LINE
    if abs(margin) <= 2.0 or confidence <= 0.45:
        return PASS
    return OVER if margin > 0 else UNDER


def edge_recommendation(predicted: float, line: float | None, confidence_100: float, *,
                        min_confidence: float, edge: float) -> str:
    """Similarity and XGBoost (§3.4, §3.6): PASS below ``min_confidence`` (0-100); OVER when
    margin >= edge, UNDER when margin <= -edge (inclusive edges, quirk 8 kept), else PASS."""
    margin = line_margin(predicted, line)
    if margin is None:
        return NO_LINE
    if confidence_100 < min_confidence:
        return PASS
    if margin >= edge:
        return OVER
    if margin <= -edge:
        return UNDER
    return PASS


def tiredness_adjustment(fatigue_score: float, *, heavy: float, light: float) -> float:
    """D4: the original penalised fatigue_score > 70 (heavy) and > 50 (light), but the score is
    100 = fresh, so it penalised rested players. Its thresholds are applied here to tiredness
    (100 - fatigue_score): tiredness > 70 (score < 30) gives ``heavy``, > 50 (score < 50) ``light``."""
    tiredness = 100.0 - float(fatigue_score)
    if tiredness > 70:
        return heavy
    if tiredness > 50:
        return light
    return 0.0


def fallback(predicted: float, line: float | None, warning: str, **extra) -> SystemResult:
    """A row that predicts without recommending: confidence 0, PASS (NO_LINE without a line)."""
    value = points(predicted)
    return SystemResult(value, 0.0, NO_LINE if line is None else PASS, valid=False, warnings=(warning,), **extra)
