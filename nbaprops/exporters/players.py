"""Player pages: profiles and their index (17), season pages (18), game reports (19).

The original never ran 18 and 19 (imported only); nbaprops produces them: a game report for
every player who played on a graded date (an ensemble prediction not flagged DNP), and a season
page per profiled player for every season of the range he played in. Everything a page shows
about a game comes from data dated before it (moving averages, recent games, head-to-head are
pre-game) except its ``result`` block.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from nbaprops.catalogue import ENSEMBLE
from nbaprops.exporters.base import (API_VERSION, AsOfExporter, PerDateExporter, confidence_tier, data_timestamp, group_by, mean,
                                     ratio, rnd)
from nbaprops.exporters.daily import record_line, result_of
from nbaprops.exporters.performance import SYSTEMS
from nbaprops.seasons import season_label
from nbaprops.exporters.reads import DAWN, NameBook

SYSTEM_ORDER = tuple(system_id for system_id, _, _ in SYSTEMS)  # the site's ranking of the systems
GAME_LOG = 50


def split_line(games: list[dict]) -> dict:
    """{games, ppg, mpg, over_rate} of box-score rows; over_rate over games with a line, pushes out."""
    results = Counter(g["over_under_result"] for g in games)
    return {"games": len(games), "ppg": mean((g["points"] for g in games), 1),
            "mpg": mean((g["minutes_played"] for g in games), 1),
            "over_rate": ratio(results["OVER"], results["OVER"] + results["UNDER"])}


def box_line(g: dict) -> dict:
    """A game of a game log / recent-games list."""
    return {"game_date": g["game_date"], "opponent": g["opponent_team_abbr"], "home_game": g["home_game"],
            "points": g["points"], "minutes": rnd(g["minutes_played"], 1), "line": rnd(g["points_line"], 1),
            "over_under": g["over_under_result"], "margin": rnd(g["margin"], 2)}


# ---------------------------------------------------------------------------------- 19 game report
class PlayerGameReportExporter(PerDateExporter, name="player-game-report", schema="player-game-report",
                               keys=("players/{player_lookup}/game-report/{date}.json",), max_age=86400,
                               needs_final=True):
    RECENT = 5

    def load(self, reads, start, end):
        return {
            "graded": group_by(reads.graded(start, end, system=None), "game_date"),
            "history": group_by(reads.graded_players_box_scores(start, end), "player_lookup"),
            "features": reads.features(start, end),
            "defense": {(d["analysis_date"], d["team_abbr"]): d for d in reads.zone_defense(start, end)},
            "names": reads.names(end), "seasons": reads.calendar(start, end),
        }

    def export(self, data, day):
        rows = data["graded"].get(day, [])
        systems: dict[str, dict[str, dict]] = {}
        for r in rows:
            systems.setdefault(r["player_lookup"], {})[r["system_id"]] = r
        out = []
        for player in sorted(systems):
            ens = systems[player].get(ENSEMBLE)
            if ens is None or ens["is_dnp"]:
                continue
            out.append(self.obj(f"players/{player}/game-report/{day.isoformat()}.json",
                                self._report(data, day, player, ens, systems[player])))
        return out

    def _report(self, data, day, player, ens, systems) -> dict:
        history = data["history"].get(player, [])
        before = [g for g in history if g["game_date"] < day]
        game = next((g for g in history if g["game_date"] == day), None)
        season = data["seasons"].season_of(day)
        season_games = [g for g in before if g["season_year"] == season]
        opponent = ens["opponent_team_abbr"]
        versus = [g for g in before if g["opponent_team_abbr"] == opponent]
        features = data["features"].get((day, player), {})
        defense = data["defense"].get((day, opponent), {})
        return {
            "player_lookup": player, "player_full_name": data["names"].name(player, day), "game_date": day,
            "game_id": ens["game_id"], "generated_at": data_timestamp(day),
            "player_profile": {"team": ens["team_abbr"], "season": season_label(season),
                               "season_games": len(season_games),
                               "season_ppg": rnd(features.get("points_avg_season"), 1),
                               "scoring_tier": ens["scoring_tier"]},
            "opponent_context": {"opponent": opponent, **{k: defense.get(k) for k in (
                "defensive_rating_last_15", "opponent_pace", "paint_pct_allowed_last_15",
                "three_pt_pct_allowed_last_15", "paint_defense_vs_league_avg", "three_pt_defense_vs_league_avg",
                "games_in_sample")}},
            "moving_averages": {"last_5": rnd(features.get("points_avg_last_5"), 1),
                                "last_10": rnd(features.get("points_avg_last_10"), 1),
                                "season": rnd(features.get("points_avg_season"), 1)},
            "prop_line": {"line": rnd(ens["line_value"], 1), "source": ens["line_source"]},
            "prediction_angles": [
                {"system_id": s, "predicted": rnd(systems[s]["predicted_points"], 1),
                 "confidence": rnd(systems[s]["confidence_score"], 4), "recommendation": systems[s]["recommendation"],
                 "result": result_of(systems[s])}
                for s in SYSTEM_ORDER if s in systems],
            "recent_games": [box_line(g) for g in reversed(before[-self.RECENT:])],
            "head_to_head": {"opponent": opponent, **split_line(versus),
                             "last_games": [box_line(g) for g in reversed(versus[-self.RECENT:])]},
            "result": {"actual": game["points"] if game else None,
                       "minutes": rnd(game["minutes_played"], 1) if game else None,
                       "over_under": game["over_under_result"] if game else None,
                       "margin": rnd(game["margin"], 2) if game else None,
                       "predicted": rnd(ens["predicted_points"], 1), "recommendation": ens["recommendation"],
                       "error": rnd(ens["absolute_error"], 2), "result": result_of(ens)},
        }


# ---------------------------------------------------------------------------------- 17 profiles
def _ensemble_history(reads, through: dt.date) -> dict[str, tuple[list[dict], dict]]:
    """Every ensemble prediction graded up to ``through``, per player, by date, with the player's
    :func:`track_record` (built once a run: the profiles and the season pages both need them)."""
    def build() -> dict[str, tuple[list[dict], dict]]:
        out = group_by(reads.graded(DAWN, through), "player_lookup")
        for recs in out.values():
            recs.sort(key=lambda r: r["game_date"])
        return {player: (recs, track_record(recs)) for player, recs in out.items()}

    return reads.memo(("ensemble_history", through), build)


def track_record(recs: list[dict]) -> dict:
    """Accuracy of a player's ensemble predictions (played games only; DNPs are void)."""
    played = [r for r in recs if not r["is_dnp"] and r["absolute_error"] is not None]
    bets = [r for r in played if r["outcome"] is not None]
    outcome = Counter(r["outcome"] for r in bets)
    return {
        "games_predicted": len(played),
        "recommendations": sum(r["recommendation"] in ("OVER", "UNDER") for r in played),
        "correct": outcome["WIN"], "incorrect": outcome["LOSS"], "pushes": outcome["PUSH"],
        "win_rate": ratio(outcome["WIN"], outcome["WIN"] + outcome["LOSS"]),
        "mae": mean(r["absolute_error"] for r in played), "bias": mean(r["signed_error"] for r in played),
        "avg_confidence": mean((r["confidence_score"] for r in played), 3),
        "within_3_pct": ratio(sum(bool(r["within_3_points"]) for r in played), len(played)),
        "within_5_pct": ratio(sum(bool(r["within_5_points"]) for r in played), len(played)),
    }


def interpretation(summary: dict) -> dict:
    bias, mae = summary["bias"] or 0.0, summary["mae"]
    direction = "neutral" if abs(bias) < 1 else "over" if bias > 0 else "under"
    accuracy = None if mae is None else "high" if mae < 4 else "medium" if mae < 6 else "low"
    text = {"neutral": "Our predictions for this player are unbiased on average",
            "over": f"We tend to over-predict this player by {abs(bias):.1f} points",
            "under": f"We tend to under-predict this player by {abs(bias):.1f} points"}[direction]
    if mae is not None:
        text += f"; typical miss {mae:.1f} points ({accuracy} accuracy)."
    return {"bias_direction": direction, "accuracy_level": accuracy, "text": text}


class PlayerProfileExporter(AsOfExporter, name="player-profiles", schema="player-profile",
                            keys=("players/index.json", "players/{player_lookup}.json"), max_age=3600):
    """``players/index.json``: every player with ensemble predictions on 3+ dates he played;
    ``players/{lookup}.json``: a profile for those with 5+ (the original's --players mode)."""

    MIN_INDEX_GAMES, MIN_PROFILE_GAMES = 3, 5

    def export(self, reads, ctx):
        graded = _ensemble_history(reads, ctx.as_of)
        names = reads.names(ctx.as_of)
        index, objects = [], []
        qualified = {p: (recs, record) for p, (recs, record) in graded.items()
                     if record["games_predicted"] >= self.MIN_INDEX_GAMES}
        profiled = sorted(p for p, (_, record) in qualified.items()
                          if record["games_predicted"] >= self.MIN_PROFILE_GAMES)
        boxes = group_by(reads.box_scores(DAWN, ctx.as_of), "player_lookup") if profiled else {}
        upcoming = group_by(reads.player_context(ctx.as_of + dt.timedelta(days=1), ctx.end), "player_lookup")
        for player in sorted(qualified):
            recs, record = qualified[player]
            index.append({"player_lookup": player, "player_full_name": names.name(player, ctx.as_of),
                          "team": recs[-1]["team_abbr"], "games_predicted": record["games_predicted"],
                          "recommendations": record["recommendations"], "mae": record["mae"],
                          "win_rate": record["win_rate"], "bias": record["bias"],
                          "within_5_pct": record["within_5_pct"]})
        current_season = reads.season_of(ctx.as_of)
        for player in profiled:
            objects.append(self.obj(f"players/{player}.json", self._profile(
                player, *qualified[player], boxes.get(player, []), upcoming.get(player, []), names, ctx,
                current_season)))
        index.sort(key=lambda e: (-e["games_predicted"], e["player_lookup"]))
        doc = {"generated_at": data_timestamp(ctx.as_of), "as_of_date": ctx.as_of, "total_players": len(index),
               "min_games_for_profile": self.MIN_PROFILE_GAMES, "players": index}
        return [self.obj("players/index.json", doc, schema="players-index")] + objects

    def _profile(self, player, recs, record, games, upcoming, names, ctx, current_season: int) -> dict:
        played = [r for r in recs if not r["is_dnp"]]
        summary = {"team": recs[-1]["team_abbr"], "games_predicted": record["games_predicted"],
                   "total_recommendations": record["recommendations"],
                   **{k: record[k] for k in ("correct", "incorrect", "pushes", "mae", "win_rate", "bias",
                                             "avg_confidence", "within_3_pct", "within_5_pct")},
                   "date_range": {"first": played[0]["game_date"], "last": played[-1]["game_date"]}}
        predicted = {r["game_date"]: r for r in recs}
        log = []
        for g in reversed(games[-GAME_LOG:]):
            p = predicted.get(g["game_date"])
            log.append({**box_line(g), "predicted": rnd(p["predicted_points"], 1) if p else None,
                        "recommendation": p["recommendation"] if p else None,
                        "result": result_of(p) if p else None})
        latest_season = games[-1]["season_year"] if games else current_season
        season = [g for g in games if g["season_year"] == latest_season]
        bets = [r for r in played if r["outcome"] is not None]
        nxt = min(upcoming, key=lambda u: u["game_date"]) if upcoming else None
        return {
            "player_lookup": player, "player_full_name": names.name(player, ctx.as_of),
            "generated_at": data_timestamp(ctx.as_of), "summary": summary, "interpretation": interpretation(summary),
            "game_log": log,
            "splits": {"season": season_label(latest_season),
                       "home": split_line([g for g in season if g["home_game"]]),
                       "away": split_line([g for g in season if not g["home_game"]])},
            "our_track_record": {
                "over": record_line([r for r in bets if r["recommendation"] == "OVER"]),
                "under": record_line([r for r in bets if r["recommendation"] == "UNDER"]),
                "by_confidence": {t: record_line([r for r in bets if confidence_tier(r["confidence_score"]) == t])
                                  for t in ("high", "medium", "low")},
            },
            "next_game": None if nxt is None else {
                "game_date": nxt["game_date"], "game_id": nxt["game_id"], "opponent": nxt["opponent_team_abbr"],
                "home_game": nxt["home_game"], "line": rnd(nxt["current_points_line"], 1)},
        }


# ---------------------------------------------------------------------------------- 18 season pages
class PlayerSeasonExporter(AsOfExporter, name="player-season", schema="player-season",
                           keys=("players/{player_lookup}/season/{season}.json",), max_age=3600):
    """``players/{lookup}/season/{YYYY-YY}.json`` for each profiled player and each season of the
    range he played in. A page reads only its season's games up to the as-of date; its
    ``generated_at`` is its last game's date, so a finished season's page never changes."""

    MIN_PROFILE_GAMES = PlayerProfileExporter.MIN_PROFILE_GAMES  # the profiled players

    def export(self, reads, ctx):
        graded = _ensemble_history(reads, ctx.as_of)
        profiled = {p for p, (_, record) in graded.items() if record["games_predicted"] >= self.MIN_PROFILE_GAMES}
        if not profiled:
            return []
        names = reads.names(ctx.as_of)
        first = reads.season_start(ctx.start)
        current = reads.season_of(ctx.as_of)
        out = []
        for player, games in sorted(group_by(reads.box_scores(first, ctx.as_of), "player_lookup").items()):
            if player not in profiled:
                continue
            for season, season_games in sorted(group_by(games, "season_year").items()):
                key = f"players/{player}/season/{season_label(season)}.json"
                # a finished season's page whose inputs did not change since the previous run
                kept = ctx.carry.get(f"{API_VERSION}/{key}") if ctx.carry is not None and season < current else None
                out.append(kept or self.obj(key, self._page(player, season, season_games, names)))
        return out

    @staticmethod
    def _page(player: str, season: int, games: list[dict], names: NameBook) -> dict:
        last = games[-1]["game_date"]
        lined = [g for g in games if g["over_under_result"] is not None]
        results = Counter(g["over_under_result"] for g in lined)
        season_ppg = mean((g["points"] for g in games), 1)
        last_5 = mean((g["points"] for g in games[-5:]), 1)
        trend = "steady"
        if last_5 is not None and season_ppg is not None and abs(last_5 - season_ppg) >= 2:
            trend = "up" if last_5 > season_ppg else "down"

        def pct(made: str, attempts: str) -> float | None:
            return ratio(sum(g[made] or 0 for g in games), sum(g[attempts] or 0 for g in games))

        home = split_line([g for g in games if g["home_game"]])
        away = split_line([g for g in games if not g["home_game"]])
        patterns = []
        if home["ppg"] is not None and away["ppg"] is not None and abs(home["ppg"] - away["ppg"]) >= 2:
            better = "at home" if home["ppg"] > away["ppg"] else "on the road"
            patterns.append(f"Scores {abs(home['ppg'] - away['ppg']):.1f} more points per game {better}")
        recent = [g for g in lined if g["over_under_result"] in ("OVER", "UNDER")][-10:]
        if len(recent) >= 5:
            overs = sum(g["over_under_result"] == "OVER" for g in recent)
            if overs >= 0.7 * len(recent) or overs <= 0.3 * len(recent):
                patterns.append(f"Went OVER in {overs} of his last {len(recent)} games with a line")
        if trend != "steady":
            patterns.append(f"Last 5 games: {last_5:.1f} ppg against {season_ppg:.1f} for the season")
        monthly = [{"month": month, **split_line(month_games)}
                   for month, month_games in sorted(_by_month(games).items())]
        return {
            "player_lookup": player, "player_full_name": names.name(player, last), "season": season_label(season),
            "generated_at": data_timestamp(last),
            "player_profile": {"team": games[-1]["team_abbr"], "games_played": len(games),
                               "first_game": games[0]["game_date"], "last_game": last},
            "averages": {"ppg": season_ppg, "mpg": mean((g["minutes_played"] for g in games), 1),
                         "rpg": mean((g["total_rebounds"] for g in games), 1),
                         "apg": mean((g["assists"] for g in games), 1), "fg_pct": pct("fg_makes", "fg_attempts"),
                         "three_pct": pct("three_pt_makes", "three_pt_attempts"),
                         "ft_pct": pct("ft_makes", "ft_attempts"), "ts_pct": mean((g["ts_pct"] for g in games), 3),
                         "usage_rate": mean((g["usage_rate"] for g in games), 1)},
            "current_form": {"last_5_ppg": last_5, "last_10_ppg": mean((g["points"] for g in games[-10:]), 1),
                             "season_ppg": season_ppg, "trend": trend},
            "key_patterns": patterns,
            "prop_hit_rates": {"games_with_line": len(lined), "over": results["OVER"], "under": results["UNDER"],
                               "push": results["PUSH"],
                               "over_rate": ratio(results["OVER"], results["OVER"] + results["UNDER"]),
                               "avg_line": mean((g["points_line"] for g in lined), 1),
                               "avg_margin": mean(g["margin"] for g in lined)},
            "game_log": [{**box_line(g), "rebounds": g["total_rebounds"], "assists": g["assists"]}
                         for g in reversed(games)],
            "splits": {"home": home, "away": away},
            "monthly": monthly,
        }


def _by_month(games: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for g in games:
        out.setdefault(f"{g['game_date']:%Y-%m}", []).append(g)
    return out
