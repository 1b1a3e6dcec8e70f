"""2 system performance (``systems/performance.json``): each system's record over the last 7 and
30 days, the season and all time, from system_daily_performance up to the as-of date.

Decisions: ``season`` is the as-of date's season (the original's "season" was all history,
quirk 13; that is ``all_time`` here); win rates are wins / (wins + losses) with pushes apart
(D5); MAE and bias are weighted by each day's graded predictions (the original averaged the
daily MAEs, so a 2-game day weighed as much as a 14-game one).
"""
from __future__ import annotations

import datetime as dt
import math

from nbaprops.catalogue import ENSEMBLE, MARKET_XGBOOST, MOVING_AVERAGE, SIMILARITY, XGBOOST, ZONE_MATCHUP
from nbaprops.exporters.base import AsOfExporter, data_timestamp, ratio
from nbaprops.seasons import season_label

SYSTEMS = (  # (system_id, display name, description), in rank order
    # nbaprops.predictions.stacking: learned weights, not the components' confidences (those only in a
    # month without a trained XGBoost, the range's first)
    (ENSEMBLE, "Ensemble", "Blend of the four base systems with weights learned monthly (non-negative least "
                           "squares) on the 30 game dates before the month"),
    (XGBOOST, "XGBoost ML", "Gradient-boosted trees on the 25 features, retrained monthly on earlier games"),
    (MOVING_AVERAGE, "Moving Average", "Recent and season scoring averages with context adjustments"),
    (SIMILARITY, "Similarity", "Points in the player's most similar past games"),
    (ZONE_MATCHUP, "Zone Matchup", "Shot-zone profile against the opponent's zone defence"),
    # The sixth, not the original's: where a player has no line it serves XGBoost's prediction.
    (MARKET_XGBOOST, "Market XGBoost", "Learns points minus the bookmakers' consensus line, priced as a bet: "
                                       "P(over) and expected value at the stored prices"),
)
PRIMARY = ENSEMBLE


def _weighted(rows: list[dict], column: str) -> float | None:
    weight = sum(r["graded_count"] for r in rows if r[column] is not None)
    if not weight:
        return None
    return round(math.fsum(r[column] * r["graded_count"] for r in rows if r[column] is not None) / weight, 2)


def window(rows: list[dict]) -> dict:
    def total(column: str) -> int:
        return sum(r[column] for r in rows)

    return {"days": len(rows), "predictions": total("predictions_count"), "graded": total("graded_count"),
            "recommendations": total("recommendations_count"), "correct": total("correct_count"),
            "incorrect": total("incorrect_count"), "pushes": total("push_count"),
            "win_rate": ratio(total("correct_count"), total("correct_count") + total("incorrect_count")),
            "mae": _weighted(rows, "mae"), "bias": _weighted(rows, "avg_bias")}


def breakdown(rows: list[dict]) -> dict:
    def rate(won: str, lost: str) -> float | None:
        wins = sum(r[won] for r in rows)
        return ratio(wins, wins + sum(r[lost] for r in rows))

    graded = sum(r["graded_count"] for r in rows)
    return {"over_win_rate": rate("over_correct", "over_incorrect"),
            "under_win_rate": rate("under_correct", "under_incorrect"),
            "within_3_pct": ratio(sum(r["within_3_count"] for r in rows), graded),
            "within_5_pct": ratio(sum(r["within_5_count"] for r in rows), graded),
            "high_confidence_win_rate": rate("high_confidence_correct", "high_confidence_incorrect")}


def _best(systems: list[dict], value, better) -> dict | None:
    """{system_id, value} of the system whose season value is best (ties: the higher rank)."""
    candidates = [(value(s), s) for s in systems if value(s) is not None]
    if not candidates:
        return None
    chosen = min(candidates, key=lambda c: (better(c[0]), c[1]["rank"]))
    return {"system_id": chosen[1]["system_id"], "value": chosen[0]}


class SystemPerformanceExporter(AsOfExporter, name="performance", schema="system-performance",
                                keys=("systems/performance.json",), max_age=3600):
    def export(self, reads, ctx):
        daily = reads.scorecards(ctx.as_of)
        seasons = reads.calendar(min((r["game_date"] for r in daily), default=ctx.as_of), ctx.as_of)
        current = seasons.season_of(ctx.as_of)
        windows = {
            "last_7_days": lambda d: d > ctx.as_of - dt.timedelta(days=7),
            "last_30_days": lambda d: d > ctx.as_of - dt.timedelta(days=30),
            "season": lambda d: seasons.season_of(d) == current,
            "all_time": lambda d: True,
        }
        systems = []
        for rank, (system_id, display, description) in enumerate(SYSTEMS, start=1):
            mine = [r for r in daily if r["system_id"] == system_id]
            season = [r for r in mine if windows["season"](r["game_date"])]
            systems.append({"system_id": system_id, "display_name": display, "description": description,
                            "is_primary": system_id == PRIMARY, "rank": rank,
                            "windows": {name: window([r for r in mine if keep(r["game_date"])])
                                        for name, keep in windows.items()},
                            "breakdown": breakdown(season)})
        comparison = {
            "best_mae": _best(systems, lambda s: s["windows"]["season"]["mae"], lambda v: v),
            "best_win_rate": _best(systems, lambda s: s["windows"]["season"]["win_rate"], lambda v: -v),
            "lowest_bias": _best(systems, lambda s: s["windows"]["season"]["bias"], abs),
        }
        doc = {"as_of_date": ctx.as_of, "generated_at": data_timestamp(ctx.as_of),
               "season": season_label(current), "systems": systems, "comparison": comparison}
        return [self.obj("systems/performance.json", doc)]
