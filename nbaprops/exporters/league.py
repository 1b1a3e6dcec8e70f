"""What several exporters make of the same reads: the schedule of a date range (with D6 game ids
and tip-off times), each team's game of a date, and box scores with a line."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


EASTERN = ZoneInfo("America/New_York")
GAME_STATUS = {1: "scheduled", 2: "in_progress", 3: "final"}


def tip_time(instant) -> str | None:
    """A UTC tip-off instant as the site shows it: '7:30 PM ET'."""
    if instant is None:
        return None
    local = instant.to_pydatetime().astimezone(EASTERN) if hasattr(instant, "to_pydatetime") else \
        instant.astimezone(EASTERN)
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'} ET"


def schedule(reads, start: dt.date, end: dt.date) -> list[dict]:
    """Games dated [start, end], ordered by date and D6 game id: game_id (YYYYMMDD_AWAY_HOME),
    nba_game_id, home_team, away_team, game_time, game_status, home_score, away_score and
    period (4 + the overtimes of the home team's box score; None before it is final)."""
    games = reads.schedule(start, end)
    out = []
    for g in games:
        status = GAME_STATUS.get(g["game_status"], "scheduled")
        out.append({
            "game_date": g["game_date"],
            "game_id": f"{g['game_date']:%Y%m%d}_{g['away_team_tricode']}_{g['home_team_tricode']}",
            "nba_game_id": g["nba_game_id"], "home_team": g["home_team_tricode"], "away_team": g["away_team_tricode"],
            "game_time": tip_time(g["game_date_est"]), "game_status": status,
            "home_score": g["home_team_score"], "away_score": g["away_team_score"],
            "period": 4 + (g["overtime_periods"] or 0) if status == "final" else None,
        })
    # a real feed may list a game twice (raw contract); keep one row per D6 id
    unique = {(g["game_date"], g["game_id"]): g for g in sorted(out, key=lambda g: (g["game_date"], g["game_id"],
                                                                                     g["nba_game_id"] or ""))}
    return list(unique.values())


def team_games(games: list[dict]) -> dict[str, dict]:
    """Each team's game (from one date's schedule) with opponent and home flag."""
    out = {}
    for g in games:
        out[g["home_team"]] = {**g, "team": g["home_team"], "opponent": g["away_team"], "home": True}
        out[g["away_team"]] = {**g, "team": g["away_team"], "opponent": g["home_team"], "home": False}
    return out


def tonight_entry(team_game: dict | None) -> dict | None:
    """The 'tonight' block of trend entries: {opponent, game_time, home} or None."""
    if not team_game:
        return None
    return {"opponent": team_game["opponent"], "game_time": team_game["game_time"], "home": team_game["home"]}


def lined(games: list[dict]) -> list[dict]:
    """Box scores with an over/under result against the consensus line (a push too)."""
    return [g for g in games if g["over_under_result"] is not None]


def decided(games: list[dict]) -> list[dict]:
    """Box scores that went OVER or UNDER the line (pushes out, D5)."""
    return [g for g in games if g["over_under_result"] in ("OVER", "UNDER")]
