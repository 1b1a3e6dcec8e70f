"""The two live exporters (15 live scores, 16 live grading), produced for historical game dates
from final data: the BallDontLie live API of the original is replaced by the warehouse's final
box scores (player_game_summary) and the schedule's final scores, so no network is needed and
every game is 'final'. ``updated_at`` is the game date's :func:`data_timestamp`, ``poll_id``
its compact form."""
from __future__ import annotations

from collections import Counter

from nbaprops.exporters.base import PerDateExporter, data_timestamp, game_teams, group_by, mean, ratio, rnd
from nbaprops.exporters.league import schedule


def poll_id(day) -> str:
    return f"{day:%Y%m%d}T000000Z"


def _game_counts(games: list[dict]) -> dict:
    status = Counter(g["game_status"] for g in games)
    return {"games_in_progress": status["in_progress"], "games_final": status["final"]}


# ---------------------------------------------------------------------------------- 15 live scores
class LiveScoresExporter(PerDateExporter, name="live", schema="live", keys=("live/{date}.json",), max_age=30,
                         alias=("live/latest.json", 30), needs_final=True):
    def load(self, reads, start, end):
        return {"games": group_by(schedule(reads, start, end), "game_date"),
                "players": group_by(reads.box_scores(start, end), "game_date")}

    def export(self, data, day):
        games = data["games"].get(day, [])
        players: dict[str, list[dict]] = {}
        for p in data["players"].get(day, []):
            players.setdefault(p["game_id"], []).append(p)
        out = []
        for g in games:
            roster = sorted(players.get(g["game_id"], []),
                            key=lambda p: (p["team_abbr"] != g["away_team"], -(p["points"] or 0), p["player_lookup"]))
            out.append({
                "game_id": g["game_id"], "status": g["game_status"], "period": g["period"], "time_remaining": None,
                "home_team": g["home_team"], "away_team": g["away_team"], "home_score": g["home_score"],
                "away_score": g["away_score"],
                "players": [{"player_lookup": p["player_lookup"], "name": p["player_full_name"], "team": p["team_abbr"],
                             "points": p["points"], "rebounds": p["total_rebounds"], "assists": p["assists"],
                             "minutes": rnd(p["minutes_played"], 1)} for p in roster],
            })
        doc = {"updated_at": data_timestamp(day), "game_date": day, "poll_id": poll_id(day), **_game_counts(games),
               "total_games": len(games), "games": out}
        return [self.obj(f"live/{day.isoformat()}.json", doc)]


# ---------------------------------------------------------------------------------- 16 live grading
def live_status(r: dict, game_status: str) -> str:
    """correct / incorrect / push for a decided bet (D5), dnp for a player who did not play a
    final game, graded for a played prediction without a bet, pending otherwise."""
    if game_status != "final":
        return "pending"
    if r["is_dnp"]:
        return "dnp"
    if r["outcome"]:
        return {"WIN": "correct", "LOSS": "incorrect", "PUSH": "push"}[r["outcome"]]
    return "graded" if r["actual_points"] is not None else "pending"


class LiveGradingExporter(PerDateExporter, name="live-grading", schema="live-grading",
                          keys=("live-grading/{date}.json",), max_age=30, alias=("live-grading/latest.json", 30),
                          needs_final=True):
    def load(self, reads, start, end):
        # Grading already pairs each ensemble prediction with the final box score by the same rules
        # the live grader applies, so the two pages cannot disagree.
        return {"graded": group_by(reads.graded(start, end), "game_date"),
                "games": group_by(schedule(reads, start, end), "game_date"), "names": reads.names(end)}

    def export(self, data, day):
        games = data["games"].get(day, [])
        game_of = {g["game_id"]: g for g in games}
        predictions = []
        for r in sorted(data["graded"].get(day, []), key=lambda r: (r["game_id"], r["player_lookup"])):
            away, home = game_teams(r["game_id"])
            game = game_of.get(r["game_id"], {"game_status": "final", "period": None})
            predictions.append({
                "player_lookup": r["player_lookup"], "player_name": data["names"].name(r["player_lookup"], day),
                "team": r["team_abbr"], "home_team": home, "away_team": away, "game_status": game["game_status"],
                "period": game["period"], "time_remaining": None, "predicted": rnd(r["predicted_points"], 1),
                "line": rnd(r["line_value"], 1), "recommendation": r["recommendation"],
                "confidence": rnd(r["confidence_score"], 4), "has_line": bool(r["has_prop_line"]),
                "line_source": r["line_source"], "actual": r["actual_points"], "minutes": rnd(r["minutes_played"], 1),
                "error": rnd(r["absolute_error"], 2), "margin_vs_line": rnd(r["actual_margin"], 2),
                "status": live_status(r, game["game_status"]),
            })
        status = Counter(p["status"] for p in predictions)
        summary = {
            "total_predictions": len(predictions), "graded": sum(p["actual"] is not None for p in predictions),
            "pending": status["pending"], "dnp": status["dnp"], "correct": status["correct"],
            "incorrect": status["incorrect"], "pushes": status["push"],
            "win_rate": ratio(status["correct"], status["correct"] + status["incorrect"]),
            "avg_error": mean(p["error"] for p in predictions), **_game_counts(games),
        }
        doc = {"updated_at": data_timestamp(day), "game_date": day, "summary": summary, "predictions": predictions}
        return [self.obj(f"live-grading/{day.isoformat()}.json", doc)]
