"""Phase 3 checks per game, not per date: every final game of the schedule is in the box-score
tables (the post-game tables; a scheduled game has none yet, D12), every Phase 3 row is under the
schedule's game id, and team points add up.

The schedule (nba_raw.nbac_schedule, T1) says which games exist. A game the user declares in
config ``excluded_games`` (postponed, forfeited, …) is expected nowhere and listed with its reason.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Mapping

from nbaprops.checks.remedies import build_command, counted, rules_of, sql_command
from nbaprops.findings import Finding

# D6: the canonical game id, from the schedule's date and tricodes.
SCHEDULE_GAME_ID = "concat(format_date('%Y%m%d', game_date), '_', away_team_tricode, '_', home_team_tricode)"


def schedule_ctes(final_only: bool = True) -> str:
    """CTEs ``schedule_games`` (one row per game of the range, final ones only unless told) and
    ``schedule_teams`` (each game from both sides, with the team's final score)."""
    return f"""
schedule_games as (
    select distinct
        game_date,
        {SCHEDULE_GAME_ID} as game_id,
        away_team_tricode,
        home_team_tricode,
        away_team_score,
        home_team_score
    from nba_raw.nbac_schedule
    where game_date between @start_date and @end_date{" and game_status = 3" if final_only else ""}
),

schedule_teams as (
    select schedule_games.game_date, schedule_games.game_id, schedule_games.away_team_tricode as team_abbr,
        schedule_games.away_team_score as score
    from schedule_games
    union all
    select schedule_games.game_date, schedule_games.game_id, schedule_games.home_team_tricode as team_abbr,
        schedule_games.home_team_score as score
    from schedule_games
)"""


FINAL_GAMES = schedule_ctes()

# Where each Phase 3 table keeps its team, for tables that hold one row per team or player and game.
TEAM_COLUMN = {
    "nba_analytics.team_offense_game_summary": "team_abbr",
    "nba_analytics.team_defense_game_summary": "defending_team_abbr",
    "nba_analytics.player_game_summary": "team_abbr",
    "nba_analytics.upcoming_team_game_context": "team_abbr",
    "nba_analytics.upcoming_player_game_context": "team_abbr",
}
# Rebuilding these re-runs every Phase 3 table that a game's box scores reach (and the day
# bundle that builds them on day chunks: remedies.rules_of).
REBUILD_RULES = tuple(dict.fromkeys(rule for table in ("nba_staging.player_boxscores",
                                                        "nba_analytics.team_offense_game_summary")
                                    for rule in rules_of(table)))


def excluded_games(options: Mapping) -> dict[str, str]:
    """Config ``excluded_games``: game id → reason."""
    return {g["game_id"]: g["reason"] for g in options.get("excluded_games") or []}


def _game_day(game_id: str) -> dt.date:
    return dt.datetime.strptime(game_id[:8], "%Y%m%d").date()


def _params(start: dt.date, end: dt.date) -> dict:
    return {"start_date": start, "end_date": end}


def _schedule_game_ids(wh, start: dt.date, end: dt.date) -> set[str]:
    """Every game of the schedule in [start, end], whatever its status (a postponed game may never be final)."""
    frame = wh.query(f"with {schedule_ctes(final_only=False)} select distinct game_id from schedule_games",
                     _params(start, end))
    return set(frame["game_id"])


def excluded_games_listed(wh, start: dt.date, end: dt.date, options: Mapping) -> list[Finding]:
    """The games of the range that config excludes, with their reasons (and any the schedule lacks)."""
    excluded = {g: r for g, r in excluded_games(options).items() if start <= _game_day(g) <= end}
    if not excluded:
        return []
    listing = ", ".join(f"{g} ({r})" for g, r in sorted(excluded.items()))
    findings = [Finding(
        "excluded_game", "info",
        f"Config excluded_games excludes {counted(len(excluded), 'game')} of this range, expected in no table: "
        f"{listing}.",
        len(excluded), None, sorted(excluded))]
    unknown = sorted(set(excluded) - _schedule_game_ids(wh, start, end))
    if unknown:
        findings.append(Finding(
            "excluded_game_not_scheduled", "warning",
            f"Config excluded_games names {counted(len(unknown), 'game')} that the schedule does not hold "
            f"({', '.join(unknown)}): check the game ids (YYYYMMDD_AWAY_HOME) in config/config.yaml.",
            len(unknown), None, unknown))
    return findings


# What can hold a scheduled team's game: the Phase 3 box-score tables, then the raw box scores.
TEAM_ROW_SOURCES = {
    "team_offense": ("nba_analytics.team_offense_game_summary", "team_abbr"),
    "team_defense": ("nba_analytics.team_defense_game_summary", "defending_team_abbr"),
    "players": ("nba_analytics.player_game_summary", "team_abbr"),
    "raw_team_box": ("nba_raw.nbac_team_boxscore", "team_abbr"),
    "raw_gamebook": ("nba_raw.nbac_gamebook_player_stats", "team_abbr"),
    "raw_bdl": ("nba_raw.bdl_player_boxscores", "team_abbr"),
}
PHASE3_SOURCES = ("team_offense", "team_defense", "players")
_COUNTS = ",\n".join(
    f"{name} as (\n    select game_date, {column} as team_abbr, count(*) as n\n    from {table}\n"
    f"    where game_date between @start_date and @end_date\n    group by game_date, {column}\n)"
    for name, (table, column) in TEAM_ROW_SOURCES.items())
_JOINS = "\n".join(
    f"left join {name}\n    on {name}.game_date = schedule_teams.game_date "
    f"and {name}.team_abbr = schedule_teams.team_abbr" for name in TEAM_ROW_SOURCES)
MISSING_TEAMS_SQL = f"""
with
{FINAL_GAMES},

{_COUNTS}

select
    schedule_teams.game_date,
    schedule_teams.game_id,
    schedule_teams.team_abbr,
    {", ".join(f"{name}.n is not null as in_{name}" for name in TEAM_ROW_SOURCES)}
from schedule_teams
{_JOINS}
where {" or ".join(f"{name}.n is null" for name in PHASE3_SOURCES)}
order by schedule_teams.game_date, schedule_teams.game_id, schedule_teams.team_abbr
"""


def missing_games(wh, start: dt.date, end: dt.date, options: Mapping) -> list[Finding]:
    """Final games of the schedule without both team rows and players (error, naming each game)."""
    excluded = excluded_games(options)
    frame = wh.query(MISSING_TEAMS_SQL, _params(start, end))
    gaps: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    unloaded: set[tuple[str, dt.date]] = set()  # games with a gap no raw row could fill
    for row in frame.to_dict("records"):
        if row["game_id"] in excluded:
            continue
        key = (row["game_id"], _day(row["game_date"]))
        lacking = [name for name in PHASE3_SOURCES if not row[f"in_{name}"]]
        gaps[key].append(f"{row['team_abbr']} not in {'/'.join(lacking)}")
        # team rows come from the team box score or are summed from the players' rows
        raw_players = row["in_raw_gamebook"] or row["in_raw_bdl"]
        if not raw_players and (not row["in_players"] or not row["in_raw_team_box"]):
            unloaded.add(key)
    if not gaps:
        return []
    described = {key: f"{key[0]} on {key[1].isoformat()}: {', '.join(parts)}" for key, parts in gaps.items()}
    findings = []
    not_loaded = sorted(unloaded)
    if not_loaded:
        findings.append(Finding(
            "missing_game", "error",
            f"{counted(len(not_loaded), 'final game')} of the schedule without box scores in nba_raw "
            f"({', '.join(t.split('.')[1] for n, (t, _) in TEAM_ROW_SOURCES.items() if n.startswith('raw_'))}) "
            f"and so missing from Phase 3: "
            f"{_games(not_loaded)}. Add their box scores to the raw source, or, if a game was not played "
            "(postponed, forfeited), declare it in config excluded_games with a reason.",
            len(not_loaded), None, [described[k] for k in not_loaded]))
    not_built = sorted(set(gaps) - unloaded)
    if not_built:
        first, last = not_built[0][1], max(day for _, day in not_built)
        game, day = not_built[0]
        findings.append(Finding(
            "missing_game", "error",
            f"{counted(len(not_built), 'final game')} with box-score rows in nba_raw but missing from Phase 3: "
            f"{_games(not_built)}. Rebuild their dates with "
            f"{build_command(first, last, REBUILD_RULES)}; a game still missing after that has raw rows the "
            f"staging filters out (e.g. no gamebook row with player_status 'active'): see them with "
            + sql_command(
                "select 'gamebook' as source, player_status, count(*) as n from nba_raw.nbac_gamebook_player_stats "
                "where game_date = @day and team_abbr in (@away, @home) group by 1, 2 union all "
                "select 'bdl', null, count(*) from nba_raw.bdl_player_boxscores "
                "where game_date = @day and team_abbr in (@away, @home)",
                {"day": day, "away": game.split("_")[1], "home": game.split("_")[2]}) + ".",
            len(not_built), None, [described[k] for k in not_built]))
    return findings


def _games(keys, limit: int = 10) -> str:
    names = [game for game, _ in keys]
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else value.date()


def game_id_mismatches(wh, start: dt.date, end: dt.date, options: Mapping) -> list[Finding]:
    """Phase 3 rows whose game_id is not the schedule's id of their team's game that day (error).

    A home/away swap between the schedule and the box scores gives one game two ids across the
    Phase 3 tables; rows of a team with no game that day belong to no scheduled game.
    """
    parts = [f"""
    select '{table}' as table_name, t.game_date, t.game_id, schedule_teams.game_id as schedule_game_id,
        count(*) as n
    from {table} as t
    left join schedule_teams
        on schedule_teams.game_date = t.game_date and schedule_teams.team_abbr = t.{column}
    where t.game_date between @start_date and @end_date
        and (schedule_teams.game_id is null or schedule_teams.game_id <> t.game_id)
    group by 1, 2, 3, 4""" for table, column in TEAM_COLUMN.items()]
    # any status: a row of a game not final yet (a daily run) still has the schedule's id
    sql = f"with {schedule_ctes(final_only=False)}\n" + "\nunion all".join(parts) + "\norder by 2, 3, 1"
    frame = wh.query(sql, _params(start, end))
    excluded = excluded_games(options)
    swapped: dict[str, list[str]] = defaultdict(list)
    unscheduled: dict[str, list[str]] = defaultdict(list)
    for row in frame.to_dict("records"):
        where = f"{row['table_name'].split('.')[1]} ({int(row['n'])} rows)"
        if isinstance(row["schedule_game_id"], str):
            swapped[f"{row['schedule_game_id']} appears as {row['game_id']}"].append(where)
        elif row["game_id"] not in excluded:
            unscheduled[f"{row['game_id']} on {_day(row['game_date']).isoformat()}"].append(where)
    rebuild = build_command(start, end, REBUILD_RULES)
    findings = []
    if swapped:
        findings.append(_games_in_tables(
            "game_id_mismatch", swapped, f"{counted(len(swapped), 'scheduled game')} under another game_id in Phase 3",
            "the box scores' home and away teams disagree with the schedule's, which gives one game two ids. "
            "Correct home/away in the raw box scores (nbac_team_boxscore.is_home, the gamebook's "
            f"home_team_abbr/away_team_abbr, the BDL game_id) or in the schedule, then rebuild the dates with {rebuild}."))
    if unscheduled:
        findings.append(_games_in_tables(
            "unscheduled_game", unscheduled,
            f"{counted(len(unscheduled), 'game')} in Phase 3 with no game of the same teams that day in the schedule",
            "a team code the schedule spells differently, a date that differs, or a game missing from the "
            f"schedule. Correct the raw data, then rebuild with {rebuild}."))
    return findings


def _games_in_tables(kind: str, games: Mapping[str, list[str]], what: str, why: str) -> Finding:
    """An error naming games (up to five in the sentence) and, per game, the tables that hold it."""
    return Finding(kind, "error", f"{what} ({'; '.join(list(games)[:5])}): {why}", len(games), None,
                   [f"{game} in {', '.join(where)}" for game, where in games.items()])


# Each team-game's points against its players' sum, and against the schedule's final score.
PLAYERS_SUM_SQL = """
select team.game_id, team.game_date, team.team_abbr, team.points_scored, team.primary_source_used,
    sum(player.points) as players_points
from nba_analytics.team_offense_game_summary as team
inner join nba_analytics.player_game_summary as player
    on player.game_date = team.game_date and player.team_abbr = team.team_abbr
where team.game_date between @start_date and @end_date
group by 1, 2, 3, 4, 5
having sum(player.points) <> team.points_scored
order by 2, 1, 3
"""
SCHEDULE_SCORE_SQL = """
select team.game_id, team.game_date, team.team_abbr, team.points_scored,
    if(team.team_abbr = schedule.home_team_tricode, schedule.home_team_score, schedule.away_team_score)
        as schedule_points
from nba_analytics.team_offense_game_summary as team
inner join nba_raw.nbac_schedule as schedule
    on schedule.game_date = team.game_date and schedule.game_status = 3
    and team.team_abbr in (schedule.home_team_tricode, schedule.away_team_tricode)
where team.game_date between @start_date and @end_date
    and team.points_scored
        <> if(team.team_abbr = schedule.home_team_tricode, schedule.home_team_score, schedule.away_team_score)
order by 2, 1, 3
"""


# (kind, query, its compared column, what it is, its label in examples, cause)
POINT_COMPARISONS = (
    ("team_points_mismatch", PLAYERS_SUM_SQL, "players_points", "the sum of the players' points in "
     "player_game_summary", "players", "the team box score disagrees with the player box scores, or a player is "
     "missing or counted twice (player features of those games use the players' rows)"),
    ("team_score_mismatch", SCHEDULE_SCORE_SQL, "schedule_points", "the schedule's final score", "schedule",
     "the box score or the schedule is wrong"),
)


def team_points_mismatches(wh, start: dt.date, end: dt.date, options: Mapping) -> list[Finding]:
    """Team points that disagree with the players' sum or the schedule's final score (warnings)."""
    params = _params(start, end)
    findings = []
    for kind, sql, column, what, label, cause in POINT_COMPARISONS:
        rows = wh.query(sql, params).to_dict("records")
        if rows:
            findings.append(Finding(
                kind, "warning",
                f"{counted(len(rows), 'team-game')} of team_offense_game_summary whose points differ from {what}: "
                f"{cause}. See them with {sql_command(sql, params)}.",
                len(rows), "nba_analytics.team_offense_game_summary",
                [f"{r['game_id']} {r['team_abbr']}: team {int(r['points_scored'])}, {label} {int(r[column])}"
                 + (f" ({r['primary_source_used']})" if "primary_source_used" in r else "") for r in rows]))
    return findings
