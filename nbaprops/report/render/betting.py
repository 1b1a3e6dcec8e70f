"""The betting record as table cells (plain text): the Markdown report and the HTML report write the
same columns from ``collect.betting_record`` rows."""
from __future__ import annotations

from typing import Mapping

from nbaprops.report.render.cells import num, pct

BETTING_HEADER = ("system", "MAE, its lined games", "line's MAE, same games (n)", "MAE − line", "picks O/U (void)",
                  "hit rate [95%]", "ROI [95%]", "CLV toward", "Brier", "fallback rows (MAE)")
CALIBRATION_HEADER = ("P(over)", "n", "mean predicted", "observed over rate", "gap", "calibrated")


def _interval(low: float | None, high: float | None, fmt) -> str:
    return "" if low is None else f" [{fmt(low)}, {fmt(high)}]"


def _signed_pct(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1%}"


def betting_cells(record: Mapping) -> tuple[str, ...]:
    """One row of the betting table; ✓ marks a claimed positive ROI (its interval above zero)."""
    lined, picks, hits, roi = record["errors"]["lined"], record["picks"], record["hit_rate"], record["roi"]
    fallback = record["fallback"]
    probability = record["probability"]
    return (
        record["name"],
        num(lined["mae"]),
        f"{num(lined['line_mae'])} ({lined['games']:,})",
        num(lined["mae_minus_line"], "+.3f"),
        f"{picks['graded']:,} ({picks['over']:,}/{picks['under']:,}; {picks['void']:,} void)",
        pct(hits["hit_rate"]) + _interval(hits["low"], hits["high"], lambda v: f"{v:.1%}"),
        _signed_pct(roi["roi"]) + _interval(roi["low"], roi["high"], _signed_pct)
        + (" ✓" if roi["positive_claimed"] else ""),
        pct(record["clv"]["toward_rate"]),
        num(probability and probability["brier"], ".4f"),
        f"{fallback['games']:,} ({num(fallback['mae'])})" if fallback["games"] else "–",
    )


def calibration_cells(decile: Mapping) -> tuple[str, ...]:
    low, high = decile["range"]
    judged = {True: "yes", False: "no", None: "too few"}[decile["calibrated"]]
    return (f"{low:.1f}–{high:.1f}", f"{decile['count']:,}", pct(decile["mean_predicted"]),
            pct(decile["observed_over_rate"]), f"{decile['gap']:+.1%}", judged)
