"""'Tonight' pages (5 all players, 6 one file per player): the as-of date's slate as it stood
before tip-off. Players are the pre-game rosters (upcoming_player_game_context, whose injury
status and consensus line are pre-game too); form, season numbers and streaks use box scores
dated before the slate; the prediction is the ensemble's.

Decisions: every player record has the same keys (``props`` is empty and ``prediction`` may
exist without a line: D2 keeps NO_LINE predictions); an unknown fatigue score has a null level;
last-10 results are 'O' / 'U' / 'P' (a push, D5) / '-' (no line).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from nbaprops.exporters.base import AsOfExporter, data_timestamp, fatigue_level, group_by, mean, rnd
from nbaprops.exporters.league import schedule

LIMITED_DATA_GAMES = 10
RESULT_LETTER = {"OVER": "O", "UNDER": "U", "PUSH": "P"}


def current_streak(games: list[dict]) -> tuple[str | None, int]:
    """(over|under, length) of the newest run of equal OVER/UNDER results (games without a line
    skipped, a push ends the run)."""
    kind, length = None, 0
    for g in reversed(games):
        result = g["over_under_result"]
        if result is None:
            continue
        if result == "PUSH" or (kind and result.lower() != kind):
            break
        kind, length = result.lower(), length + 1
    return kind, length


def made_of(made, attempts) -> str | None:
    return None if made is None or attempts is None else f"{made}/{attempts}"


class Slate:
    """Everything both tonight exporters read for the as-of date."""

    def __init__(self, reads, day: dt.date):
        self.day = day
        self.games = schedule(reads, day, day)
        self.players = reads.player_context(day, day)
        self.predictions = {p["player_lookup"]: p for p in reads.predictions(day, day)}
        self.factors = {player: f for (_, player), f in reads.fatigue(day, day).items()}
        self.defense = {d["team_abbr"]: d for d in reads.zone_defense(day, day)}
        self.odds = group_by(reads.odds(day), "player_lookup")
        self.history = group_by(reads.slate_box_scores(day), "player_lookup")
        self.names = reads.names(day)
        self.first_of_season = reads.season_start(day)

    def season_games(self, player: str) -> list[dict]:
        return [g for g in self.history.get(player, []) if g["game_date"] >= self.first_of_season]

    def best_odds(self, player: str, line: float | None) -> dict | None:
        """The best American price per side among bookmakers offering the consensus line."""
        if line is None:
            return None
        offers = [o for o in self.odds.get(player, []) if o["points_line"] == line]
        best = {side: max((o["odds_american"] for o in offers if o["bet_side"] == side), default=None)
                for side in ("over", "under")}
        return {"stat_type": "points", "line": rnd(line, 1), "over_odds": best["over"], "under_odds": best["under"]}

    def fatigue(self, player: str) -> tuple[int | None, dict | None]:
        row = self.factors.get(player) or {}
        context = row.get("fatigue_context_json")
        return row.get("fatigue_score"), json.loads(context) if context else None

    def prediction(self, player: str) -> dict | None:
        return self.predictions.get(player)


def _numbers(games: list[dict]) -> dict:
    return {"season_ppg": mean((g["points"] for g in games), 1),
            "season_mpg": mean((g["minutes_played"] for g in games), 1), "games_played": len(games)}


# ---------------------------------------------------------------------------------- 5 all players
class TonightAllPlayersExporter(AsOfExporter, name="tonight", schema="tonight-all-players",
                                keys=("tonight/all-players.json",), max_age=300):
    def export(self, reads, ctx):
        slate = reads.memo(("slate", ctx.as_of), lambda: Slate(reads, ctx.as_of))
        by_game = group_by(slate.players, "game_id")
        games = []
        for g in slate.games:
            players = [self._player(slate, p) for p in by_game.get(g["game_id"], [])]
            players.sort(key=lambda p: (p["injury_status"] == "out", not p["has_line"],
                                        -((p["prediction"] or {}).get("confidence") or 0.0), -(p["season_ppg"] or 0.0),
                                        p["player_lookup"]))
            games.append({"game_id": g["game_id"], "home_team": g["home_team"], "away_team": g["away_team"],
                          "game_time": g["game_time"], "game_status": g["game_status"], "player_count": len(players),
                          "players": players})
        everyone = [p for g in games for p in g["players"]]
        doc = {"game_date": ctx.as_of, "generated_at": data_timestamp(ctx.as_of), "total_players": len(everyone),
               "total_with_lines": sum(p["has_line"] for p in everyone), "games": games}
        return [self.obj("tonight/all-players.json", doc)]

    @staticmethod
    def _player(slate: Slate, p: dict) -> dict:
        player = p["player_lookup"]
        season = slate.season_games(player)
        last_10 = list(reversed(season[-10:]))
        results = Counter(g["over_under_result"] for g in last_10)
        score, _ = slate.fatigue(player)
        prediction = slate.prediction(player)
        line = p["current_points_line"] if p["has_prop_line"] else None
        return {
            "player_lookup": player, "name": slate.names.name(player, slate.day), "team": p["team_abbr"],
            "is_home": p["home_game"], "has_line": line is not None, "fatigue_level": fatigue_level(score),
            "fatigue_score": score, "days_rest": p["days_rest"], "injury_status": p["player_status"],
            "injury_reason": p["injury_report"], **_numbers(season),
            "last_5_ppg": mean((g["points"] for g in season[-5:]), 1), "limited_data": len(season) < LIMITED_DATA_GAMES,
            "last_10_points": [g["points"] for g in last_10],
            "last_10_results": [RESULT_LETTER.get(g["over_under_result"], "-") for g in last_10],
            "last_10_record": f"{results['OVER']}-{results['UNDER']}",
            "props": [slate.best_odds(player, line)] if line is not None else [],
            "prediction": None if prediction is None else {
                "predicted": rnd(prediction["predicted_points"], 1),
                "confidence": rnd(prediction["confidence_score"], 4), "recommendation": prediction["recommendation"]},
        }


# ---------------------------------------------------------------------------------- 6 per player
class TonightPlayerExporter(AsOfExporter, name="tonight-players", schema="tonight-player",
                            keys=("tonight/player/{player_lookup}.json",), max_age=300):
    STRONG_DEFENSES = WEAK_DEFENSES = 5  # ranks at either end of the league's defensive ratings
    SPLIT_GAMES = 3  # games needed before a home/away or opponent split becomes a factor
    SPLIT_GAP = 2.0  # points per game away from the season average that make a split a factor

    def export(self, reads, ctx):
        slate = reads.memo(("slate", ctx.as_of), lambda: Slate(reads, ctx.as_of))
        ranked = sorted((d["defensive_rating_last_15"], team) for team, d in slate.defense.items()
                        if d["defensive_rating_last_15"] is not None)
        rank = {team: i + 1 for i, (_, team) in enumerate(ranked)}
        return [self.obj(f"tonight/player/{p['player_lookup']}.json", self._page(slate, p, rank, len(ranked)))
                for p in sorted(slate.players, key=lambda p: p["player_lookup"])]

    def _page(self, slate: Slate, p: dict, rank: dict, teams: int) -> dict:
        player = p["player_lookup"]
        season = slate.season_games(player)
        score, context = slate.fatigue(player)
        kind, length = current_streak(season)
        prediction = slate.prediction(player)
        line = p["current_points_line"] if p["has_prop_line"] else None
        return {
            "player_lookup": player, "player_full_name": slate.names.name(player, slate.day), "game_date": slate.day,
            "generated_at": data_timestamp(slate.day), "games_played": len(season),
            "limited_data": len(season) < LIMITED_DATA_GAMES,
            "game_context": {"game_id": p["game_id"], "opponent": p["opponent_team_abbr"], "home_game": p["home_game"],
                             "team_abbr": p["team_abbr"], "line": rnd(line, 1), "days_rest": p["days_rest"],
                             "is_back_to_back": p["back_to_back"], "injury_status": p["player_status"],
                             "injury_reason": p["injury_report"]},
            "quick_numbers": {**_numbers(season), "last_10_ppg": mean((g["points"] for g in season[-10:]), 1),
                              "last_10_mpg": mean((g["minutes_played"] for g in season[-10:]), 1),
                              "last_5_ppg": mean((g["points"] for g in season[-5:]), 1),
                              "last_5_mpg": mean((g["minutes_played"] for g in season[-5:]), 1)},
            "fatigue": {"score": score, "level": fatigue_level(score), "context": context},
            "current_streak": {"type": kind, "length": length},
            "tonights_factors": self._factors(slate, p, season, score, rank, teams),
            "recent_form": [{"game_date": g["game_date"], "opponent": g["opponent_team_abbr"],
                             "home_game": g["home_game"], "points": g["points"], "minutes": rnd(g["minutes_played"], 1),
                             "fg": made_of(g["fg_makes"], g["fg_attempts"]),
                             "three": made_of(g["three_pt_makes"], g["three_pt_attempts"]),
                             "ft": made_of(g["ft_makes"], g["ft_attempts"]), "over_under": g["over_under_result"],
                             "line": rnd(g["points_line"], 1), "margin": rnd(g["margin"], 2)}
                            for g in reversed(season[-10:])],
            "prediction": None if prediction is None else {
                "predicted_points": rnd(prediction["predicted_points"], 1),
                "confidence_score": rnd(prediction["confidence_score"], 4),
                "recommendation": prediction["recommendation"], "line": rnd(prediction["current_points_line"], 1),
                "edge": rnd(prediction["line_margin"], 2), "pace_adjustment": rnd(prediction["pace_adjustment"], 2),
                "similar_games": prediction["similar_games_count"]},
        }

    def _factors(self, slate: Slate, p: dict, season: list[dict], score, rank: dict, teams: int) -> list[dict]:
        factors = []
        season_ppg = mean((g["points"] for g in season), 1)

        def split(name: str, games: list[dict], description: str) -> None:
            ppg = mean((g["points"] for g in games), 1)
            if len(games) >= self.SPLIT_GAMES and season_ppg is not None and abs(ppg - season_ppg) >= self.SPLIT_GAP:
                impact = round(ppg - season_ppg, 1)
                factors.append({"factor": name, "direction": "positive" if impact > 0 else "negative",
                                "impact": impact, "description": description.format(ppg=ppg, n=len(games))})

        if p["back_to_back"]:
            factors.append({"factor": "back_to_back", "direction": "negative", "impact": None,
                            "description": "Second game of a back-to-back"})
        where = "home" if p["home_game"] else "on the road"
        split("location", [g for g in season if g["home_game"] == p["home_game"]],
              f"{{ppg:.1f}} ppg {where} this season ({{n}} games)")
        opponent = p["opponent_team_abbr"]
        versus = [g for g in slate.history.get(p["player_lookup"], []) if g["opponent_team_abbr"] == opponent]
        split("vs_opponent", versus, f"{{ppg:.1f}} ppg in {{n}} games against {opponent}")
        if (p["days_rest"] or 0) >= 3:
            factors.append({"factor": "well_rested", "direction": "positive", "impact": None,
                            "description": f"{p['days_rest']} days since his last game"})
        if score is not None and score < 75:
            factors.append({"factor": "fatigue", "direction": "negative", "impact": None,
                            "description": f"Fatigue score {score} of 100"})
        elif score is not None and score >= 95:
            factors.append({"factor": "fresh", "direction": "positive", "impact": None,
                            "description": f"Fatigue score {score} of 100"})
        place = rank.get(opponent)
        if teams < self.STRONG_DEFENSES + self.WEAK_DEFENSES:  # too few ratings to call a defence strong or weak
            place = None
        if place is not None and place <= self.STRONG_DEFENSES:
            factors.append({"factor": "opponent_defense", "direction": "negative", "impact": None,
                            "description": f"{opponent} has the league's #{place} defence over its last 15 games"})
        elif place is not None and place > teams - self.WEAK_DEFENSES:
            factors.append({"factor": "opponent_defense", "direction": "positive", "impact": None,
                            "description": f"{opponent} has the league's #{place} defence (of {teams}) "
                                           f"over its last 15 games"})
        return factors
