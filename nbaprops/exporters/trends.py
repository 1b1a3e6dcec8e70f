"""Streaks (7) and the trends pages (8-14), as of the newest predicted date A of the range
(tonight's slate, scheduled or final).

Like the original's morning run for 'today', every page describes the slate of A using box scores
and grading through the day before (``data_through`` = A - 1), so nothing on it knows A's results.
Over/under results are the box scores' against the consensus line (D2); a PUSH (D5) ends a run
and is left out of every over rate. Rates are fractions 0-1 rounded to 3 decimals.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from nbaprops.exporters.base import AsOfExporter, data_timestamp, group_by, mean, ratio, rnd
from nbaprops.seasons import season_label
from nbaprops.exporters.league import decided, lined, schedule, team_games, tonight_entry
from nbaprops.exporters.reads import DAWN
from nbaprops.exporters.tonight import current_streak


def _over_rate(games: list[dict]) -> float | None:
    results = Counter(g["over_under_result"] for g in games)
    return ratio(results["OVER"], results["OVER"] + results["UNDER"])


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def _with_rest(reads, first: dt.date, last: dt.date, players: set[str] | None = None) -> list[dict]:
    """Box scores dated [first, last] (of ``players`` only, when given) with the pre-game days of
    rest of each (1 = back-to-back)."""
    rest = reads.rest_days(first, last)
    return [{**g, "days_rest": rest.get((g["game_date"], g["player_lookup"]))} for g in reads.box_scores(first, last)
            if players is None or g["player_lookup"] in players]


class TrendExporter(AsOfExporter):
    """Shared header of the trends family, and what most of its pages start from."""

    def header(self, ctx) -> dict:
        return {"generated_at": data_timestamp(ctx.as_of), "as_of_date": ctx.as_of, "data_through": ctx.through}

    @staticmethod
    def tonight(reads, ctx) -> dict[str, dict]:
        """Each team's game on the as-of date (the slate the page describes)."""
        return team_games(schedule(reads, ctx.as_of, ctx.as_of))


# ---------------------------------------------------------------------------------- 7 streaks
class StreaksExporter(TrendExporter, name="streaks", schema="streaks", keys=("streaks/today.json",), max_age=3600):
    MIN_LENGTH = 4
    LOOKBACK_GAMES = 20
    TOP_PROP, TOP_PREDICTION = 50, 30

    def export(self, reads, ctx):
        names = reads.names(ctx.through)
        games = group_by(lined(reads.box_scores(reads.season_start(ctx.as_of), ctx.through)), "player_lookup")
        streaks: dict[str, list[dict]] = {"over": [], "under": []}
        for player, played in games.items():
            recent = played[-self.LOOKBACK_GAMES:]
            kind, length = current_streak(recent)
            if kind and length >= self.MIN_LENGTH:
                run = recent[-length:]
                streaks[kind].append({
                    "player_lookup": player, "player_full_name": names.name(player, ctx.through),
                    "team_abbr": recent[-1]["team_abbr"], "streak_length": length,
                    "avg_margin": mean(g["margin"] for g in run),
                    "last_games": [{"game_date": g["game_date"], "points": g["points"],
                                    "line": rnd(g["points_line"], 1), "opponent": g["opponent_team_abbr"]}
                                   for g in reversed(run[-5:])]})
        for kind in streaks:
            streaks[kind] = sorted(streaks[kind], key=lambda s: (-s["streak_length"], -abs(s["avg_margin"] or 0),
                                                                 s["player_lookup"]))[: self.TOP_PROP]
        streaks["prediction_hits"] = self._prediction_hits(reads, ctx, names)
        doc = {**self.header(ctx), "min_streak_length": self.MIN_LENGTH, "streaks": streaks, "summary": {
            "total_over_streaks": len(streaks["over"]), "total_under_streaks": len(streaks["under"]),
            "total_prediction_streaks": len(streaks["prediction_hits"]),
            "longest_over": max((s["streak_length"] for s in streaks["over"]), default=0),
            "longest_under": max((s["streak_length"] for s in streaks["under"]), default=0),
            "longest_prediction": max((s["streak_length"] for s in streaks["prediction_hits"]), default=0)}}
        return [self.obj("streaks/today.json", doc)]

    def _prediction_hits(self, reads, ctx, names) -> list[dict]:
        """Runs of consecutive ensemble WINs this season (a push or a loss ends a run; DNPs are void)."""
        bets = [r for r in reads.graded(reads.season_start(ctx.as_of), ctx.through) if r["outcome"] is not None]
        hits = []
        for player, recs in group_by(bets, "player_lookup").items():
            recs.sort(key=lambda r: r["game_date"])
            length = 0
            for r in reversed(recs):
                if r["outcome"] != "WIN":
                    break
                length += 1
            if length >= self.MIN_LENGTH:
                hits.append({"player_lookup": player, "player_full_name": names.name(player, ctx.through),
                             "team_abbr": recs[-1]["team_abbr"], "streak_length": length,
                             "last_games": [{"game_date": r["game_date"], "recommendation": r["recommendation"],
                                             "line": rnd(r["line_value"], 1), "actual": r["actual_points"]}
                                            for r in reversed(recs[-min(length, 5):])]})
        return sorted(hits, key=lambda h: (-h["streak_length"], h["player_lookup"]))[: self.TOP_PREDICTION]


# ---------------------------------------------------------------------------------- 8 who's hot / cold
def heat_score(hit_rate: float, streak: int, direction: str | None, avg_margin: float) -> float:
    """0-10. The original's streak term made a long UNDER run as 'hot' as an OVER run; here an
    over run adds up to +0.25 and an under run removes as much from a neutral 0.125."""
    run = min(streak / 10, 1.0) * (1 if direction == "over" else -1 if direction == "under" else 0)
    margin = min(max((avg_margin + 10) / 20, 0.0), 1.0)
    return round(10 * (0.5 * hit_rate + 0.125 * (1 + run) + 0.25 * margin), 1)


class WhosHotColdExporter(TrendExporter, name="trends-hot-cold", schema="whos-hot-cold",
                          keys=("trends/whos-hot-v2.json",), max_age=3600):
    WINDOW_DAYS, MIN_GAMES, TOP = 30, 5, 10

    def export(self, reads, ctx):
        names = reads.names(ctx.through)
        tonight = self.tonight(reads, ctx)
        games = decided(reads.box_scores(ctx.as_of - dt.timedelta(days=self.WINDOW_DAYS), ctx.through))
        entries = []
        for player, played in group_by(games, "player_lookup").items():
            if len(played) < self.MIN_GAMES:
                continue
            hit_rate = sum(g["over_under_result"] == "OVER" for g in played) / len(played)
            direction, streak = current_streak(played)
            avg_margin = math.fsum(g["margin"] for g in played) / len(played)
            team = played[-1]["team_abbr"]
            entries.append({"player_lookup": player, "player_full_name": names.name(player, ctx.through),
                            "team_abbr": team, "position": None,
                            "heat_score": heat_score(hit_rate, streak, direction, avg_margin),
                            "hit_rate": round(hit_rate, 3), "hit_rate_games": len(played), "current_streak": streak,
                            "streak_direction": direction, "avg_margin": round(avg_margin, 2),
                            "playing_tonight": team in tonight, "tonight": tonight_entry(tonight.get(team))})
        hot = sorted(entries, key=lambda e: (-e["heat_score"], -e["hit_rate"], e["player_lookup"]))[: self.TOP]
        taken = {e["player_lookup"] for e in hot}
        cold = sorted((e for e in entries if e["player_lookup"] not in taken),
                      key=lambda e: (e["heat_score"], e["hit_rate"], e["player_lookup"]))[: self.TOP]
        doc = {**self.header(ctx), "time_period": "last_30_days", "min_games": self.MIN_GAMES,
               "total_qualifying_players": len(entries),
               "hot": [{"rank": i, **e} for i, e in enumerate(hot, start=1)],
               "cold": [{"rank": i, **e} for i, e in enumerate(cold, start=1)],
               "league_average": {"hit_rate": ratio(sum(g["over_under_result"] == "OVER" for g in games), len(games)),
                                  "avg_margin": mean(g["margin"] for g in games)}}
        return [self.obj("trends/whos-hot-v2.json", doc)]


# ---------------------------------------------------------------------------------- 9 bounce back
class BounceBackExporter(TrendExporter, name="trends-bounce-back", schema="bounce-back",
                         keys=("trends/bounce-back.json",), max_age=3600):
    SHORTFALL, MIN_SEASON_GAMES, MIN_SAMPLE = 10, 10, 3

    def export(self, reads, ctx):
        names = reads.names(ctx.through)
        tonight = self.tonight(reads, ctx)
        current = reads.season_of(ctx.as_of)
        candidates, bad_games, bounced = [], 0, 0
        for player, played in group_by(reads.box_scores(DAWN, ctx.through), "player_lookup").items():
            sample = rebounds = 0
            candidate = None
            for season, games in group_by(played, "season_year").items():
                avg = mean((g["points"] for g in games), 6)
                if avg is None:
                    continue
                for game, following in zip(games, games[1:]):  # a bad game and the player's next one
                    if game["points"] is not None and following["points"] is not None \
                            and game["points"] <= avg - self.SHORTFALL:
                        sample += 1
                        rebounds += following["points"] >= avg
                last = games[-1]
                if season == current and len(games) >= self.MIN_SEASON_GAMES and last["points"] is not None \
                        and last["points"] <= avg - self.SHORTFALL:
                    candidate = (last, avg)
            bad_games += sample
            bounced += rebounds
            if candidate:
                candidates.append((player, *candidate, sample, rebounds))
        entries = []
        for player, last, avg, sample, rebounds in candidates:
            rate = ratio(rebounds, sample) if sample >= self.MIN_SAMPLE else None
            significance = ("high" if sample >= 10 and (rate or 0) >= 0.7 else
                            "medium" if sample >= 5 and (rate or 0) >= 0.6 else "low")
            team = last["team_abbr"]
            entries.append({"player_lookup": player, "player_full_name": names.name(player, ctx.through),
                            "team_abbr": team,
                            "last_game": {"date": last["game_date"], "result": last["points"],
                                          "opponent": last["opponent_team_abbr"],
                                          "margin": round(last["points"] - avg, 1)},
                            "season_average": round(avg, 1), "shortfall": round(avg - last["points"], 1),
                            "bounce_back_rate": rate, "bounce_back_sample": sample, "significance": significance,
                            "playing_tonight": team in tonight, "tonight": tonight_entry(tonight.get(team))})
        entries.sort(key=lambda e: (-e["shortfall"], e["player_lookup"]))
        doc = {**self.header(ctx), "shortfall_threshold": self.SHORTFALL, "min_season_games": self.MIN_SEASON_GAMES,
               "total_candidates": len(entries),
               "bounce_back_candidates": [{"rank": i, **e} for i, e in enumerate(entries, start=1)],
               "league_baseline": {"bounce_back_rate": ratio(bounced, bad_games), "sample": bad_games}}
        return [self.obj("trends/bounce-back.json", doc)]


# ---------------------------------------------------------------------------------- 10 what matters
ARCHETYPES = (  # (name, minimum ppg over the last 365 days, description, plural label)
    ("star", 22.0, "22+ points per game", "Stars"),
    ("scorer", 15.0, "15-22 points per game", "Scorers"),
    ("rotation", 8.0, "8-15 points per game", "Rotation players"),
    ("role_player", 0.0, "Under 8 points per game", "Role players"),
)
REST_SPLITS = (("b2b", "on a back-to-back", lambda r: r == 1), ("one_day", "with one day of rest", lambda r: r == 2),
               ("rested", "with two or more days of rest", lambda r: r is not None and r >= 3))


def _split(games: list[dict]) -> dict:
    results = Counter(g["over_under_result"] for g in games)
    return {"games": results["OVER"] + results["UNDER"], "over_pct": _over_rate(games)}


class WhatMattersExporter(TrendExporter, name="trends-what-matters", schema="what-matters",
                          keys=("trends/what-matters.json",), max_age=43200):
    WINDOW_DAYS, MIN_GAMES, MIN_INSIGHT_GAMES, MIN_INSIGHT_GAP, EXAMPLES = 365, 20, 30, 0.05, 3

    def export(self, reads, ctx):
        names = reads.names(ctx.through)
        games = _with_rest(reads, ctx.as_of - dt.timedelta(days=self.WINDOW_DAYS), ctx.through)
        groups: dict[str, list[tuple[float, str, list[dict]]]] = {a[0]: [] for a in ARCHETYPES}
        for player, played in group_by(games, "player_lookup").items():
            if len(played) < self.MIN_GAMES:
                continue
            ppg = mean((g["points"] for g in played), 3) or 0.0
            archetype = next(name for name, low, _, _ in ARCHETYPES if ppg >= low)
            groups[archetype].append((ppg, player, played))
        archetypes, insights = {}, []
        for name, _, description, label in ARCHETYPES:
            members = sorted(groups[name], key=lambda m: (-m[0], m[1]))
            lined = [g for _, _, played in members for g in played if g["over_under_result"] in ("OVER", "UNDER")]
            factors = {"rest": {key: _split([g for g in lined if keep(g["days_rest"])])
                                for key, _, keep in REST_SPLITS},
                       "home_away": {"home": _split([g for g in lined if g["home_game"]]),
                                     "away": _split([g for g in lined if not g["home_game"]])}}
            overall = _over_rate(lined)
            archetypes[name] = {"description": description, "player_count": len(members),
                                "example_players": [{"player_lookup": p, "player_full_name": names.name(p, ctx.through),
                                                     "ppg": round(ppg, 1)} for ppg, p, _ in members[: self.EXAMPLES]],
                                "overall_over_pct": overall, "factors": factors}
            insight = self._insight(label, overall, factors)
            if insight:
                insights.append(insight)
        doc = {**self.header(ctx), "window_days": self.WINDOW_DAYS, "min_games": self.MIN_GAMES,
               "archetypes": archetypes, "key_insights": insights}
        return [self.obj("trends/what-matters.json", doc)]

    def _insight(self, label: str, overall: float | None, factors: dict) -> str | None:
        """The split that moves the archetype's over rate most (enough games, a real gap)."""
        if overall is None:
            return None
        texts = {**{k: text for k, text, _ in REST_SPLITS}, "home": "at home", "away": "on the road"}
        splits = [(abs(s["over_pct"] - overall), key, s) for group in factors.values() for key, s in group.items()
                  if s["over_pct"] is not None and s["games"] >= self.MIN_INSIGHT_GAMES]
        gap, key, split = max(splits, key=lambda t: (t[0], t[1]), default=(0.0, None, None))
        if gap < self.MIN_INSIGHT_GAP:
            return None
        return (f"{label} go OVER {_pct(split['over_pct'])} of the time {texts[key]} "
                f"(vs {_pct(overall)} overall, {split['games']} games)")


# ---------------------------------------------------------------------------------- 11 team tendencies
def _team_entry(team: str, value: float | None, games: int, insight: str) -> dict:
    return {"team_abbr": team, "value": value, "games": games, "insight": insight}


class TeamTendenciesExporter(TrendExporter, name="trends-team", schema="team-tendencies",
                             keys=("trends/team-tendencies.json",), max_age=43200):
    """Pace (team_offense_game_summary), zone defence (team_defense_zone_analysis, pre-game on A),
    home/road records and back-to-back margins (upcoming_team_game_context) of A's season."""

    TOP, MIN_SPLIT_GAMES = 5, 2

    def export(self, reads, ctx):
        first = reads.season_start(ctx.as_of)
        games = reads.team_games(first, ctx.through)
        zones = reads.zone_defense(first, ctx.as_of)
        teams = group_by(games, "team_abbr")
        pace = sorted((mean((g["pace"] for g in played), 1), team, len(played)) for team, played in teams.items())
        pace = [p for p in pace if p[0] is not None]
        latest = {}
        for z in sorted(zones, key=lambda z: z["analysis_date"]):
            latest[z["team_abbr"]] = z

        def zone(column: str, what: str) -> dict:
            ranked = sorted((z[column], team, z["games_in_sample"])
                            for team, z in latest.items() if z[column] is not None)
            return {"best": [_team_entry(t, v, n, f"Opponents shoot {v:.1%} {what} (last {n} games)")
                             for v, t, n in ranked[: self.TOP]],
                    "worst": [_team_entry(t, v, n, f"Opponents shoot {v:.1%} {what} (last {n} games)")
                              for v, t, n in sorted(ranked, key=lambda r: (-r[0], r[1]))[: self.TOP]]}

        records = []
        for team, played in teams.items():
            home = [g for g in played if g["home_game"]]
            away = [g for g in played if not g["home_game"]]
            b2b = [g for g in played if g["team_back_to_back"]]
            other = [g for g in played if not g["team_back_to_back"]]
            gap = None
            if len(b2b) >= self.MIN_SPLIT_GAMES and other:  # margin on back-to-backs against the other games
                gap = mean(g["margin_of_victory"] for g in b2b) - mean(g["margin_of_victory"] for g in other)
            records.append({"team": team, "home": ratio(sum(g["win_flag"] for g in home), len(home)),
                            "away": ratio(sum(g["win_flag"] for g in away), len(away)),
                            "home_games": len(home), "away_games": len(away), "b2b_games": len(b2b), "b2b_gap": gap})
        split = [r for r in records if r["home"] is not None and r["away"] is not None
                 and min(r["home_games"], r["away_games"]) >= self.MIN_SPLIT_GAMES]
        dominant = sorted(split, key=lambda r: (-(r["home"] - r["away"]), r["team"]))[: self.TOP]
        road = sorted(split, key=lambda r: (-r["away"], r["team"]))[: self.TOP]
        tired = [r for r in records if r["b2b_gap"] is not None]
        league_pace = mean((g["pace"] for g in games), 1)
        doc = {**self.header(ctx), "season": season_label(reads.season_of(ctx.as_of)),
               "pace": {"kings": [_team_entry(t, v, n, f"{v:.1f} possessions per 48 minutes")
                                  for v, t, n in sorted(pace, key=lambda p: (-p[0], p[1]))[: self.TOP]],
                        "grinders": [_team_entry(t, v, n, f"{v:.1f} possessions per 48 minutes")
                                     for v, t, n in pace[: self.TOP]],
                        "league_average": league_pace},
               "defense_by_zone": {"paint": zone("paint_pct_allowed_last_15", "in the paint"),
                                   "perimeter": zone("three_pt_pct_allowed_last_15", "from three")},
               "home_away": {
                   "home_dominant": [_team_entry(r["team"], round(r["home"] - r["away"], 3),
                                                 r["home_games"] + r["away_games"],
                                                 f"Wins {r['home']:.0%} at home, {r['away']:.0%} on the road")
                                     for r in dominant],
                   "road_warriors": [_team_entry(r["team"], r["away"], r["away_games"],
                                                 f"Wins {r['away']:.0%} of road games") for r in road]},
               "back_to_back": {
                   "vulnerable": [_team_entry(r["team"], round(r["b2b_gap"], 1), r["b2b_games"],
                                              f"Point margin {r['b2b_gap']:+.1f} on back-to-backs vs other games")
                                  for r in sorted(tired, key=lambda r: (r["b2b_gap"], r["team"]))[: self.TOP]],
                   "resilient": [_team_entry(r["team"], round(r["b2b_gap"], 1), r["b2b_games"],
                                             f"Point margin {r['b2b_gap']:+.1f} on back-to-backs vs other games")
                                 for r in sorted(tired, key=lambda r: (-r["b2b_gap"], r["team"]))[: self.TOP]]}}
        return [self.obj("trends/team-tendencies.json", doc)]


# ---------------------------------------------------------------------------------- 12 quick hits
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LINE_RANGES = ((0, 10, "under 10"), (10, 20, "10-19.5"), (20, 30, "20-29.5"), (30, 1000, "30 or more"))


class QuickHitsExporter(TrendExporter, name="trends-quick-hits", schema="quick-hits", keys=("trends/quick-hits.json",),
                        max_age=43200):
    MIN_SAMPLE, TOP = 50, 8

    def export(self, reads, ctx):
        games = decided(_with_rest(reads, reads.season_start(ctx.as_of), ctx.through))
        season = season_label(reads.season_of(ctx.as_of))
        candidates = []

        def candidate(stat_id: str, category: str, label: str, subset: list[dict]) -> None:
            rate = _over_rate(subset)
            if rate is None or len(subset) < self.MIN_SAMPLE:
                return
            trend = "over" if rate >= 0.5 else "under"
            share = rate if trend == "over" else 1 - rate
            candidates.append((share, {
                "id": stat_id, "category": category, "headline": f"{label[0].upper()}{label[1:]}: {trend.upper()} "
                                                                 f"{_pct(share)}",
                "stat": _pct(share), "description": f"Player points props went {trend.upper()} {_pct(share)} of the "
                                                     f"time {label} in {season}",
                "sample_size": len(subset), "trend": trend,
                "context": f"{len(subset)} lined games through {ctx.through.isoformat()}"}))

        for i, day in enumerate(WEEKDAYS):
            candidate(f"day-{day.lower()}", "day_of_week", f"on {day}s",
                      [g for g in games if g["game_date"].weekday() == i])
        for key, text, keep in REST_SPLITS:
            candidate(f"rest-{key}", "situational", text, [g for g in games if keep(g["days_rest"])])
        candidate("location-home", "home_away", "at home", [g for g in games if g["home_game"]])
        candidate("location-away", "home_away", "on the road", [g for g in games if not g["home_game"]])
        for low, high, text in LINE_RANGES:
            candidate(f"line-{low}", "scoring_range", f"with a line of {text}",
                      [g for g in games if low <= g["points_line"] < high])
        ranked = [c for _, c in sorted(candidates, key=lambda c: (-c[0], c[1]["id"]))]
        doc = {**self.header(ctx), "stats": ranked[: self.TOP], "total_available": len(candidates),
               "refresh_note": f"Over/under rates of {season} box scores against the consensus line, "
                               f"recomputed with each export; only splits with {self.MIN_SAMPLE}+ games"}
        return [self.obj("trends/quick-hits.json", doc)]


# ---------------------------------------------------------------------------------- 13 deep dive
DEEP_DIVES = {  # month: (title, subtitle, slug, teaser, cta)
    10: ("Opening Night Overreactions", "How early-season scoring compares with last year", "opening-month",
         "The first weeks of a season move lines more than they should.", "See the opening-month numbers"),
    11: ("November Reality Check", "Which hot starts hold up", "november-reality-check",
         "A month in, the sample sizes start to mean something.", "Check the November trends"),
    12: ("The December Grind", "Back-to-backs and road trips pile up", "december-grind",
         "Holiday schedules squeeze rest. Here is what it does to scoring.", "Explore December scoring"),
    1: ("January Minutes Crunch", "Rotations tighten at mid-season", "january-minutes",
        "Coaches shorten benches in January; props follow.", "See who gains minutes"),
    2: ("All-Star Break Effect", "Scoring before and after the break", "all-star-break",
        "Rest and trades reshape February.", "Compare pre- and post-break"),
    3: ("March Load Management", "Rest days and tanking teams", "march-load-management",
        "Contenders rest stars while lottery teams play the kids.", "Track March rest patterns"),
    4: ("Playoff Push", "The final stretch of the regular season", "playoff-push",
        "Seeding races and resting starters collide in April.", "See the April splits"),
}
DEFAULT_DEEP_DIVE_MONTH = 12


class DeepDiveExporter(TrendExporter, name="trends-deep-dive", schema="deep-dive",
                       keys=("trends/deep-dive-current.json",), max_age=86400):
    def export(self, reads, ctx):
        month = ctx.through.month if ctx.through.month in DEEP_DIVES else DEFAULT_DEEP_DIVE_MONTH
        title, subtitle, slug, teaser, cta = DEEP_DIVES[month]
        games = [g for g in decided(reads.box_scores(reads.season_start(ctx.as_of), ctx.through))
                 if g["game_date"].month == ctx.through.month]
        rate = _over_rate(games)
        month_name = dt.date(2000, ctx.through.month, 1).strftime("%B")
        doc = {**self.header(ctx), "month": month_name, "title": title, "subtitle": subtitle,
               "hero_stat": {"value": None if rate is None else _pct(rate),
                             "label": f"of player points props went OVER in {month_name} "
                                      f"{season_label(reads.season_of(ctx.as_of))}",
                             "context": f"{len(games)} lined games through {ctx.through.isoformat()}"},
               "teaser": teaser, "slug": slug, "cta": cta}
        return [self.obj("trends/deep-dive-current.json", doc)]


# ---------------------------------------------------------------------------------- 14 tonight plays
TREND_PRIORITY = {"streak": 0, "momentum": 1, "rest": 2}


class TonightTrendPlaysExporter(TrendExporter, name="tonight-trend-plays", schema="tonight-plays",
                                keys=("trends/tonight-plays.json",), max_age=3600):
    STREAK_DAYS, STREAK_MIN, STREAK_HIGH = 30, 3, 5
    MOMENTUM_DAYS, MOMENTUM_MIN, MOMENTUM_HIGH = 45, 0.15, 0.25
    REST_GAP, REST_HIGH_GAMES, REST_HIGH_GAP = 2.0, 10, 3.0

    def export(self, reads, ctx):
        names = reads.names(ctx.through)
        games = schedule(reads, ctx.as_of, ctx.as_of)
        tonight = team_games(games)
        slate = [p for p in reads.player_context(ctx.as_of, ctx.as_of)
                 if p["team_abbr"] in tonight and p["player_status"] != "out"]
        # the slate's players' history alone (the rest of the league's is not looked at)
        history = group_by(_with_rest(reads, DAWN, ctx.through, {p["player_lookup"] for p in slate}),
                           "player_lookup") if slate else {}
        plays = []
        for p in sorted(slate, key=lambda p: p["player_lookup"]):
            played = history.get(p["player_lookup"], [])
            play = self._streak(played, ctx) or self._momentum(played, ctx) or self._rest(played, p["days_rest"])
            if play:
                team = p["team_abbr"]
                plays.append({"player_lookup": p["player_lookup"],
                              "player_full_name": names.name(p["player_lookup"], ctx.through), "team_abbr": team,
                              "position": None, **play, "tonight": tonight_entry(tonight.get(team))})
        plays.sort(key=lambda t: (TREND_PRIORITY[t["trend_type"]], t["confidence"] != "high", t["player_lookup"]))
        kinds = Counter(t["trend_type"] for t in plays)
        doc = {"generated_at": data_timestamp(ctx.as_of), "game_date": ctx.as_of, "data_through": ctx.through,
               "games_tonight": len(games), "total_trend_plays": len(plays), "trend_plays": plays,
               "by_trend_type": {k: kinds[k] for k in TREND_PRIORITY}}
        return [self.obj("trends/tonight-plays.json", doc)]

    def _streak(self, played: list[dict], ctx) -> dict | None:
        window = [g for g in played if g["game_date"] > ctx.as_of - dt.timedelta(days=self.STREAK_DAYS)]
        kind, length = current_streak(window)
        if not kind or length < self.STREAK_MIN:
            return None
        return {"trend_type": "streak", "trend_direction": kind,
                "trend_details": {"streak_length": length, "window_days": self.STREAK_DAYS},
                "confidence": "high" if length >= self.STREAK_HIGH else "medium"}

    def _momentum(self, played: list[dict], ctx) -> dict | None:
        window = [g for g in played if g["game_date"] >= ctx.as_of - dt.timedelta(days=self.MOMENTUM_DAYS)
                  and g["points"] is not None]
        if len(window) < 10:
            return None
        last_5, last_15 = mean((g["points"] for g in window[-5:]), 6), mean((g["points"] for g in window[-15:]), 6)
        if not last_15:
            return None
        change = (last_5 - last_15) / last_15
        if abs(change) < self.MOMENTUM_MIN:
            return None
        return {"trend_type": "momentum", "trend_direction": "up" if change > 0 else "down",
                "trend_details": {"last_5_ppg": round(last_5, 1), "last_15_ppg": round(last_15, 1),
                                  "change_pct": round(change, 3)},
                "confidence": "high" if abs(change) >= self.MOMENTUM_HIGH else "medium"}

    def _rest(self, played: list[dict], days_rest: int | None) -> dict | None:
        if days_rest == 1:
            situation, same = "back_to_back", [g for g in played if g["days_rest"] == 1]
        elif days_rest is not None and 3 <= days_rest <= 7:
            situation, same = "rested", [g for g in played if g["days_rest"] is not None and 3 <= g["days_rest"] <= 7]
        else:
            return None
        split, overall = mean((g["points"] for g in same), 6), mean((g["points"] for g in played), 6)
        if split is None or overall is None or abs(split - overall) < self.REST_GAP:
            return None
        impact = split - overall
        return {"trend_type": "rest", "trend_direction": "up" if impact > 0 else "down",
                "trend_details": {"situation": situation, "days_rest": days_rest, "split_ppg": round(split, 1),
                                  "overall_ppg": round(overall, 1), "impact": round(impact, 1), "games": len(same)},
                "confidence": "high" if len(same) >= self.REST_HIGH_GAMES and abs(impact) >= self.REST_HIGH_GAP
                else "medium"}
