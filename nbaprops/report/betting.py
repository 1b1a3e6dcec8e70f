"""The numbers a betting team reads, as pure functions of counts and sums (DESIGN D14).

A pick is an OVER or UNDER call against the consensus line, staked at one unit at the pick's
stored American price (-110 where the row has none). Its outcome is a WIN (profit
``payout(price)``), a LOSS (-1) or a PUSH (actual = line: the stake comes back, profit 0, D5).

* hit rate = wins / (wins + losses) with a Wilson 95 % interval (pushes apart);
* ROI = profit / units staked (pushes are staked and return 0) with a 95 % interval from the
  normal approximation on the per-pick returns: mean ± 1.96 · s / √n, s the sample standard
  deviation (n - 1), given from ``ROI_MIN_PICKS`` picks on (below, the approximation is not to be
  trusted: no interval). Deterministic (no bootstrap, no seed). A positive ROI is *claimed* only
  where the interval's lower bound is above zero;
* closing-line value: did the consensus line move from opening to closing toward the pick
  (OVER and closing > opening, UNDER and closing < opening)?
* Brier score of P(over) and a calibration table by decile of P(over), on player-games decided
  over or under (a push is neither);
* like with like: a system's MAE on the lined player-games beside the line's MAE on exactly
  those player-games.

The report aggregates rows in the warehouse to the counts and sums these functions take, so the
money and the statistics are defined here once.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Iterable

DEFAULT_PRICE = -110  # the industry's standard vig, where a row stores no price
Z95 = 1.959963984540054  # two-sided 95 % normal quantile
ROI_MIN_PICKS = 30  # fewer picks get no ROI interval (and no claim): the normal approximation needs a sample
WIN, LOSS, PUSH = "WIN", "LOSS", "PUSH"
OVER, UNDER = "OVER", "UNDER"
# The calibration target of issue 13: in a decile holding at least this many player-games the
# observed over rate lies within this distance of the mean predicted P(over).
CALIBRATION_MIN_COUNT = 500
CALIBRATION_TOLERANCE = 0.03


def payout(price: float | None) -> float:
    """Profit per unit staked when a pick at American ``price`` wins (+150 → 1.5, -110 → 0.9091);
    no price means -110."""
    price = DEFAULT_PRICE if price is None or (isinstance(price, float) and math.isnan(price)) else price
    if -100 < price < 100:
        raise ValueError(f"an American price must be <= -100 or >= +100, got {price!r}")
    return price / 100 if price > 0 else 100 / -price


def pick_return(outcome: str, price: float | None) -> float:
    """Profit in units of one unit staked: WIN pays the price, LOSS loses the stake, PUSH returns it."""
    if outcome == WIN:
        return payout(price)
    if outcome == LOSS:
        return -1.0
    if outcome == PUSH:
        return 0.0
    raise ValueError(f"a pick's outcome is WIN, LOSS or PUSH, got {outcome!r}")


def break_even(price: float | None = None) -> float:
    """The hit rate at which picks at ``price`` neither win nor lose (-110: 0.5238)."""
    return 1 / (1 + payout(price))


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of a proportion; None without trials."""
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class HitRate:
    wins: int
    losses: int
    pushes: int
    hit_rate: float | None
    low: float | None
    high: float | None

    def as_dict(self, digits: int = 4) -> dict:
        return _rounded(asdict(self), digits)


def hit_rate(wins: int, losses: int, pushes: int = 0) -> HitRate:
    """wins / (wins + losses) with its Wilson 95 % interval; pushes are counted, not decided."""
    decided = wins + losses
    interval = wilson_interval(wins, decided)
    return HitRate(wins, losses, pushes, wins / decided if decided else None,
                   *(interval if interval else (None, None)))


@dataclass(frozen=True)
class Roi:
    picks: int  # units staked (pushes included)
    profit: float  # units won
    roi: float | None  # profit / picks
    low: float | None  # 95 % interval (normal approximation on per-pick returns); None below ROI_MIN_PICKS
    high: float | None
    positive_claimed: bool  # only where the lower bound is above zero
    default_priced: int  # picks without a stored price, settled at -110

    def as_dict(self, digits: int = 4) -> dict:
        return _rounded(asdict(self), digits)


def roi(picks: Iterable[tuple[str, float | None, int]], z: float = Z95) -> Roi:
    """ROI in units of picks given as (outcome, American price or None, count)."""
    n, total, squares, default_priced = 0, 0.0, 0.0, 0
    for outcome, price, count in picks:
        if count <= 0:
            continue
        r = pick_return(outcome, price)
        n, total, squares = n + count, total + r * count, squares + r * r * count
        if price is None or (isinstance(price, float) and math.isnan(price)):
            default_priced += count
    if not n:
        return Roi(0, 0.0, None, None, None, False, 0)
    mean = total / n
    if n < ROI_MIN_PICKS:
        return Roi(n, total, mean, None, None, False, default_priced)
    variance = max(0.0, (squares - n * mean * mean) / (n - 1))
    half = z * math.sqrt(variance / n)
    return Roi(n, total, mean, mean - half, mean + half, mean - half > 0, default_priced)


def toward_pick(side: str, move: float) -> int | None:
    """+1 when the consensus line's move from opening to closing (``move`` = closing - opening) went
    toward the pick (OVER and up, UNDER and down), -1 away from it, 0 unmoved; None for a non-pick."""
    if side not in (OVER, UNDER):
        return None
    sign = (move > 0) - (move < 0)
    return sign if side == OVER else -sign


@dataclass(frozen=True)
class ClosingLineValue:
    picks: int  # picks with an opening and a closing line
    toward: int
    against: int
    unmoved: int
    toward_rate: float | None  # toward / (toward + against)
    mean_move: float | None  # mean points the line moved toward the pick (negative: away)

    def as_dict(self, digits: int = 4) -> dict:
        return _rounded(asdict(self), digits)


def closing_line_value(picks: Iterable[tuple[str, float, int, float]]) -> ClosingLineValue:
    """CLV of picks given as (side, sign of closing - opening, count, sum of closing - opening)."""
    toward = against = unmoved = 0
    n, moved = 0, 0.0
    for side, sign, count, move_sum in picks:
        direction = toward_pick(side, sign)
        if direction is None or count <= 0:
            continue
        n += count
        moved += move_sum if side == OVER else -move_sum
        toward += count if direction > 0 else 0
        against += count if direction < 0 else 0
        unmoved += count if direction == 0 else 0
    decided = toward + against
    return ClosingLineValue(n, toward, against, unmoved, toward / decided if decided else None,
                            moved / n if n else None)


def brier_score(squared_error_sum: float, count: int) -> float | None:
    """Mean squared difference between P(over) and the outcome (1 over, 0 under)."""
    return squared_error_sum / count if count else None


def calibration_table(cells: Iterable[tuple[int, int, float, int]]) -> list[dict]:
    """From (decile, count, sum of P(over), overs) cells — decile 0 is P(over) in [0, 0.1), 9 is
    [0.9, 1.0]; cells of one decile add up — per decile: the mean predicted P(over), the observed
    over rate, their gap and, where the decile holds at least ``CALIBRATION_MIN_COUNT``, whether
    the gap is within ``CALIBRATION_TOLERANCE`` (None below that count)."""
    sums: dict[int, list] = {}
    for decile, count, p_sum, overs in cells:
        total = sums.setdefault(decile, [0, 0.0, 0])
        total[0], total[1], total[2] = total[0] + count, total[1] + p_sum, total[2] + overs
    table = []
    for decile, (count, p_sum, overs) in sorted(sums.items()):
        if count <= 0:
            continue
        predicted, observed = p_sum / count, overs / count
        gap = round(observed - predicted, 4)  # judged as shown: 0.68 - 0.65 is 0.0300000000000000266
        table.append({"decile": decile, "range": [decile / 10, (decile + 1) / 10], "count": count,
                      "mean_predicted": round(predicted, 4), "observed_over_rate": round(observed, 4), "gap": gap,
                      "calibrated": abs(gap) <= CALIBRATION_TOLERANCE if count >= CALIBRATION_MIN_COUNT else None})
    return table


def like_with_like(games: int, system_absolute_error_sum: float, line_absolute_error_sum: float) -> dict:
    """A system's MAE and the line's MAE on the same player-games, and by how much the system is off it."""
    if not games:
        return {"games": 0, "mae": None, "line_mae": None, "mae_minus_line": None, "beats_line": None}
    mae, line_mae = system_absolute_error_sum / games, line_absolute_error_sum / games
    return {"games": games, "mae": round(mae, 3), "line_mae": round(line_mae, 3),
            "mae_minus_line": round(mae - line_mae, 3), "beats_line": mae < line_mae}


def _rounded(values: dict, digits: int) -> dict:
    return {k: round(v, digits) if isinstance(v, float) else v for k, v in values.items()}
