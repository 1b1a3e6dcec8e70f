"""Per-date exporters: results (1) of final dates, best bets (3) and predictions (4) of every
predicted date (tonight's slate too: its picks are PENDING until its games are final).

Decisions against the original (spec/phase5-6.md §6.3, quirk 10):
* outcomes come from grading against real lines (D2): WIN / LOSS / PUSH are separate (D5), a
  push is never counted as incorrect and stays out of every win-rate denominator;
* a numeric 0 stays 0 (the original's truthiness test turned 0 points / 0 error into null);
* NO_LINE predictions are listed with ``result`` NO_LINE and a null line; predictions of players
  who did not play are listed with ``result`` DNP and no error (their bets are void);
* best bets (issue 13) are the line-aware market_xgboost_v1's picks ranked by expected value at
  the best bookmaker's line and price, settled there (the original ranked the ensemble's picks by
  confidence x edge x the player's earlier win rate, none of which is a price).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from nbaprops.exporters.base import (PerDateExporter, confidence_tier, data_timestamp, fatigue_level, game_teams,
                                     group_by, mean, ratio, rnd)
from nbaprops.exporters.reads import NameBook
from nbaprops.predictions import pricing


def player_tier(season_avg: float | None) -> str:
    """The results page's tiers by season average (not 5C's scoring tiers)."""
    avg = season_avg or 0.0
    return "elite" if avg >= 25 else "starter" if avg >= 15 else "role_player"


def result_of(rec: dict) -> str:
    """WIN / LOSS / PUSH for a graded bet; else why it has no outcome."""
    if rec["is_dnp"]:
        return "DNP"
    if rec["recommendation"] in ("PASS", "NO_LINE"):
        return rec["recommendation"]
    return rec["outcome"] or "UNGRADED"  # OVER/UNDER on a player whose points are unknown


def record_line(bets: list[dict]) -> dict:
    """{total, wins, losses, pushes, win_rate, avg_error} of graded bets (D5)."""
    counts = Counter(b["outcome"] for b in bets)
    return {"total": len(bets), "wins": counts["WIN"], "losses": counts["LOSS"], "pushes": counts["PUSH"],
            "win_rate": ratio(counts["WIN"], counts["WIN"] + counts["LOSS"]),
            "avg_error": mean(b["absolute_error"] for b in bets)}


# ---------------------------------------------------------------------------------- 1 results
class ResultsExporter(PerDateExporter, name="results", schema="results", keys=("results/{date}.json",), max_age=86400,
                      alias=("results/latest.json", 300), needs_final=True):
    def load(self, reads, start, end):
        features = reads.features(start, end)
        graded = []
        for r in reads.graded(start, end):
            f = features.get((r["game_date"], r["player_lookup"]), {})
            graded.append({**r, **{k: f.get(k) for k in ("is_home", "days_rest", "back_to_back")}})
        return {"graded": group_by(graded, "game_date"), "names": reads.names(end)}

    def export(self, data, day):
        rows = sorted(data["graded"].get(day, []), key=lambda r: (r["game_id"], r["player_lookup"]))
        results = [self._record(r) for r in rows]
        played = [r for r in rows if r["absolute_error"] is not None]
        # breakdowns are over graded bets, described by their exported records
        bets = [(rec, r) for rec, r in zip(results, rows) if r["outcome"] is not None]
        outcome = Counter(r["outcome"] for _, r in bets)
        recs = Counter(r["recommendation"] for r in rows)
        within3 = sum(bool(r["within_3_points"]) for r in played)
        within5 = sum(bool(r["within_5_points"]) for r in played)
        summary = {
            "total_predictions": len(rows), "graded": len(played), "dnp_count": sum(r["is_dnp"] for r in rows),
            "recommendations": recs["OVER"] + recs["UNDER"], "correct": outcome["WIN"],
            "incorrect": outcome["LOSS"], "pushes": outcome["PUSH"], "pass_count": recs["PASS"],
            "no_line_count": recs["NO_LINE"], "win_rate": ratio(outcome["WIN"], outcome["WIN"] + outcome["LOSS"]),
            "avg_mae": mean(r["absolute_error"] for r in played), "avg_bias": mean(r["signed_error"] for r in played),
            "within_3_points": within3, "within_3_pct": ratio(within3, len(played)),
            "within_5_points": within5, "within_5_pct": ratio(within5, len(played)),
        }

        def line(keep) -> dict:
            return record_line([r for rec, r in bets if keep(rec)])

        breakdowns = {
            "by_player_tier": {t: line(lambda rec, t=t: rec["player_tier"] == t)
                               for t in ("elite", "starter", "role_player")},
            "by_confidence": {t: line(lambda rec, t=t: rec["confidence_tier"] == t) for t in ("high", "medium", "low")},
            "by_recommendation": {s.lower(): line(lambda rec, s=s: rec["recommendation"] == s)
                                  for s in ("OVER", "UNDER")},
            "by_context": {
                "home": line(lambda rec: rec["is_home"] is True),
                "away": line(lambda rec: rec["is_home"] is False),
                "back_to_back": line(lambda rec: rec["is_back_to_back"] is True),
                "rested": line(lambda rec: (rec["days_rest"] or 0) >= 2),
            },
        }
        by_error = sorted(played, key=lambda r: (r["absolute_error"], r["player_lookup"]))
        worst = sorted(played, key=lambda r: (-r["absolute_error"], r["player_lookup"]))
        highlights = {
            "best_prediction": self._highlight(by_error[0], data["names"], day) if by_error else None,
            "worst_prediction": self._highlight(worst[0], data["names"], day) if worst else None,
        }
        doc = {"game_date": day, "generated_at": data_timestamp(day), "summary": summary,
               "breakdowns": breakdowns, "results": results, "highlights": highlights}
        return [self.obj(f"results/{day.isoformat()}.json", doc)]

    @staticmethod
    def _record(r: dict) -> dict:
        away, home = game_teams(r["game_id"])
        is_home = r["is_home"] if r["is_home"] is not None else (r["team_abbr"] == home if home else None)
        b2b = r["back_to_back"]
        return {
            "player_lookup": r["player_lookup"], "game_id": r["game_id"], "team": r["team_abbr"],
            "opponent": r["opponent_team_abbr"], "predicted": rnd(r["predicted_points"], 2),
            "actual": r["actual_points"], "line": rnd(r["line_value"], 2), "recommendation": r["recommendation"],
            "result": result_of(r), "error": rnd(r["absolute_error"], 2), "bias": rnd(r["signed_error"], 2),
            "confidence": rnd(r["confidence_score"], 4), "minutes": rnd(r["minutes_played"], 1),
            "confidence_tier": confidence_tier(r["confidence_score"]),
            "player_tier": player_tier(r["season_points_avg"]),
            "is_home": is_home, "is_back_to_back": None if b2b is None else b2b > 0.5, "days_rest": r["days_rest"],
        }

    @staticmethod
    def _highlight(r: dict, names: NameBook, day: dt.date) -> dict:
        return {"player": names.name(r["player_lookup"], day), "player_lookup": r["player_lookup"],
                "team": r["team_abbr"], "predicted": rnd(r["predicted_points"], 2), "actual": r["actual_points"],
                "error": rnd(r["absolute_error"], 2), "minutes": rnd(r["minutes_played"], 1)}


# ---------------------------------------------------------------------------------- 3 best bets
def settle(recommendation: str, bet_line: float, price: int, actual: int | None, is_dnp: bool | None) -> tuple:
    """(result, profit in units) of a bet at its own line and price: WIN pays the price's payout,
    LOSS costs the stake, PUSH and DNP (void) return it; PENDING before the box score."""
    if is_dnp:
        return "DNP", 0.0
    if actual is None:
        return "PENDING", None
    if actual == bet_line:
        return "PUSH", 0.0
    won = actual > bet_line if recommendation == "OVER" else actual < bet_line
    return ("WIN", round(pricing.payout(price), 4)) if won else ("LOSS", -1.0)


class BestBetsExporter(PerDateExporter, name="best-bets", schema="best-bets", keys=("best-bets/{date}.json",),
                       max_age=86400, alias=("best-bets/latest.json", 300)):
    TOP = 15
    METHODOLOGY = ("market_xgboost_v1's OVER/UNDER picks — the line-aware model, the only system more accurate "
                   "than the consensus line on lined games (nbaprops/predictions/market.md) — ranked by expected "
                   "value per unit at the best bookmaker's line and price (-110 where none is stored). A pick is "
                   "made when that EV is at least 0.03. Top 15. Chosen from pre-game information only; result and "
                   "profit settle the bet at its own line and price (DNP: the player did not play, the bet is void).")

    def load(self, reads, start, end):
        fatigue = reads.fatigue(start, end)
        picks = [{**r, "fatigue_score": fatigue.get((r["game_date"], r["player_lookup"]), {}).get("fatigue_score")}
                 for r in reads.market_picks(start, end)]
        return {"picks": group_by(picks, "game_date"), "names": reads.names(end)}

    def export(self, data, day):
        ranked = sorted(data["picks"].get(day, []), key=lambda r: (-r["ev_best"], r["player_lookup"]))
        picks = []
        for rank, r in enumerate(ranked[: self.TOP], start=1):
            over = r["recommendation"] == "OVER"
            p_win = r["p_over"] if over else r["p_under"]
            result, profit = settle(r["recommendation"], r["bet_line"], r["bet_price_american"], r["actual_points"],
                                    r["is_dnp"])
            picks.append({
                "rank": rank, "player_lookup": r["player_lookup"],
                "player_full_name": data["names"].name(r["player_lookup"], day), "game_id": r["game_id"],
                "team": r["team_abbr"], "opponent": r["opponent_team_abbr"], "recommendation": r["recommendation"],
                "line": rnd(r["current_points_line"], 2), "predicted": rnd(r["predicted_points"], 2),
                "p_win": rnd(p_win, 4), "ev_best": rnd(r["ev_best"], 4), "ev_consensus": rnd(r["ev_consensus"], 4),
                "bet_line": rnd(r["bet_line"], 2), "bet_price_american": r["bet_price_american"],
                "bookmaker": r["bet_bookmaker"], "consensus_price_american": r["consensus_price_american"],
                "fatigue_score": r["fatigue_score"], "fatigue_level": fatigue_level(r["fatigue_score"]),
                "rationale": self.rationale(r, p_win),
                "result": result, "profit_units": profit, "actual": r["actual_points"],
                "error": None if r["actual_points"] is None or r["is_dnp"] else
                rnd(abs(r["actual_points"] - r["predicted_points"]), 2),
            })
        doc = {"game_date": day, "generated_at": data_timestamp(day), "methodology": self.METHODOLOGY,
               "total_picks": len(picks), "picks": picks}
        return [self.obj(f"best-bets/{day.isoformat()}.json", doc)]

    @staticmethod
    def rationale(r: dict, p_win: float) -> list:
        side = r["recommendation"].lower()
        out = [f"{p_win:.0%} to go {side} {r['current_points_line']:g} (predicted {r['predicted_points']:g})",
               f"EV {r['ev_best']:+.3f} a unit at {r['bet_bookmaker'] or 'the best book'} "
               f"({side} {r['bet_line']:g} at {r['bet_price_american']:+d})"]
        if r["bet_line"] != r["current_points_line"]:
            out.append(f"Line shopping: {abs(r['bet_line'] - r['current_points_line']):g} point(s) better than "
                       f"the consensus")
        if r["fatigue_score"] is not None and r["fatigue_score"] < 75:
            out.append("Fatigue concern")
        return out


# ---------------------------------------------------------------------------------- 4 predictions
class PredictionsExporter(PerDateExporter, name="predictions", schema="predictions", keys=("predictions/{date}.json",),
                          max_age=3600, alias=("predictions/today.json", 300)):
    def load(self, reads, start, end):
        # the context shows the similarity system's pace term and similar games (ExportReads.predictions)
        return {"predictions": group_by(reads.predictions(start, end), "game_date"), "names": reads.names(end)}

    def export(self, data, day):
        games = []
        for game_id, preds in sorted(group_by(data["predictions"].get(day, []), "game_id").items()):
            away, home = game_teams(game_id)
            recs = Counter(p["recommendation"] for p in preds)
            entries = []
            for p in sorted(preds, key=lambda p: (-(p["confidence_score"] or 0.0), p["player_lookup"])):
                line = p["current_points_line"]
                entries.append({
                    "player_lookup": p["player_lookup"],
                    "player_full_name": data["names"].name(p["player_lookup"], day),
                    "team": p["team_abbr"], "is_home": p["team_abbr"] == home,
                    "prediction": {"points": rnd(p["predicted_points"], 1), "confidence": rnd(p["confidence_score"], 4),
                                   "recommendation": p["recommendation"], "line": rnd(line, 1),
                                   "edge": None if line is None else round(p["predicted_points"] - line, 1)},
                    "context": {"pace_adjustment": rnd(p["pace_adjustment"], 2),
                                "similar_games": p["similar_games_count"]},
                    "market": None if p["market_points"] is None else {
                        "points": rnd(p["market_points"], 1), "recommendation": p["market_recommendation"],
                        "p_over": rnd(p["market_p_over"], 4), "p_under": rnd(p["market_p_under"], 4),
                        "ev_best": rnd(p["market_ev_best"], 4), "bet_line": rnd(p["market_bet_line"], 1),
                        "bet_price_american": p["market_bet_price_american"],
                        "bookmaker": p["market_bet_bookmaker"]},
                })
            games.append({"game_id": game_id, "home_team": home, "away_team": away, "prediction_count": len(preds),
                          "recommendation_breakdown": {"over": recs["OVER"], "under": recs["UNDER"],
                                                       "pass": recs["PASS"], "no_line": recs["NO_LINE"]},
                          "predictions": entries})
        doc = {"game_date": day, "generated_at": data_timestamp(day), "total_games": len(games),
               "total_predictions": sum(g["prediction_count"] for g in games), "games": games}
        return [self.obj(f"predictions/{day.isoformat()}.json", doc)]
