"""Reads several exporters share: the schedule of a date range (with D6 game ids and tip-off
times) and players' box-score histories."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from nbaprops.exporters.base import query_rows

EASTERN = ZoneInfo("America/New_York")
GAME_STATUS = {1: "scheduled", 2: "in_progress", 3: "final"}


def tip_time(instant) -> str | None:
    """A UTC tip-off instant as the site shows it: '7:30 PM ET'."""
    if instant is None:
        return None
    local = instant.to_pydatetime().astimezone(EASTERN) if hasattr(instant, "to_pydatetime") else \
        instant.astimezone(EASTERN)
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'} ET"


def schedule(wh, start: dt.date, end: dt.date) -> list[dict]:
    """Games dated [start, end], ordered by date and D6 game id: game_id (YYYYMMDD_AWAY_HOME),
    nba_game_id, home_team, away_team, game_time, game_status, home_score, away_score and
    period (4 + the overtimes of the home team's box score; None before it is final)."""
    games = query_rows(wh, """
        select schedule.game_date, schedule.game_id as nba_game_id, schedule.home_team_tricode,
            schedule.away_team_tricode, schedule.game_date_est, schedule.game_status,
            schedule.home_team_score, schedule.away_team_score, offense.overtime_periods
        from nba_raw.nbac_schedule as schedule
        left join nba_analytics.team_offense_game_summary as offense
            on offense.game_date = schedule.game_date and offense.team_abbr = schedule.home_team_tricode
        where schedule.game_date between @start_date and @end_date""", {"start_date": start, "end_date": end})
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


BOX_COLUMNS = ("game_date", "player_lookup", "game_id", "season_year", "team_abbr", "opponent_team_abbr", "home_game",
               "points", "minutes_played", "fg_makes", "fg_attempts", "three_pt_makes", "three_pt_attempts",
               "ft_makes", "ft_attempts", "total_rebounds", "assists", "points_line", "over_under_result", "margin",
               "ts_pct", "usage_rate")


def box_scores(wh, first: dt.date, last: dt.date, where: str = "", params: dict | None = None) -> list[dict]:
    """player_game_summary rows dated [first, last] (``where`` adds a condition on ``box``),
    ordered by player and date."""
    cols = ", ".join(f"box.{c}" for c in BOX_COLUMNS)
    frame = query_rows(wh, f"""
        select {cols} from nba_analytics.player_game_summary as box
        where box.game_date between @first_date and @last_date {('and ' + where) if where else ''}""",
                       {"first_date": first, "last_date": last, **(params or {})})
    return sorted(frame, key=lambda r: (r["player_lookup"], r["game_date"]))
