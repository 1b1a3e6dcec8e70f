"""Box scores against the schedule: one game key (D6) and no final game without its two teams.

The schedule says which team was home. A box-score row (gamebook, BDL, team box) is matched to
its game by date and team, and takes the schedule's ``game_id`` (``YYYYMMDD_AWAY_HOME``) and
home/away — otherwise a feed that swapped home and away gives one game two ids across the Phase 3
tables. Each corrected row is counted. Then every final game of the range must have player rows
for both its teams, after all of the loader's filtering.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from nbaprops.raw.report import QuarantineReport
from nbaprops.raw.validate import RawInputError

SCHEDULE = "nba_raw.nbac_schedule"
GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"
BDL = "nba_raw.bdl_player_boxscores"
TEAM_BOX = "nba_raw.nbac_team_boxscore"
EXAMPLES = 5

# table → the columns that say which game a row belongs to (besides game_id)
GAME_COLUMNS = {GAMEBOOK: ("home_team_abbr", "away_team_abbr"), BDL: (), TEAM_BOX: ("is_home",)}


def games_by_team(schedule: pd.DataFrame) -> pd.DataFrame:
    """One row per (game_date, team) of the schedule: the game's date-based id, away, home and
    whether the team is home. A team with two games on a date is ambiguous and left out."""
    days = pd.to_datetime(schedule["game_date"])
    key = days.dt.strftime("%Y%m%d") + "_" + schedule["away_team_tricode"] + "_" + schedule["home_team_tricode"]
    games = pd.DataFrame({"game_date": days, "away": schedule["away_team_tricode"],
                          "home": schedule["home_team_tricode"], "game_key": key})
    sides = pd.concat([games.assign(team=games["away"], home_side=False),
                       games.assign(team=games["home"], home_side=True)], ignore_index=True)
    sides = sides.dropna(subset=["game_date", "team"])
    return sides.drop_duplicates(["game_date", "team"], keep=False)


def reconcile_with_schedule(frames: dict[str, pd.DataFrame], report: QuarantineReport) -> None:
    """Box-score rows take game_id and home/away from the schedule's game of their date and
    team (in place); corrected rows and rows without a schedule game are counted."""
    sides = games_by_team(frames[SCHEDULE])
    for table, columns in GAME_COLUMNS.items():
        frame = frames[table]
        if frame.empty:
            continue
        keys = pd.DataFrame({"game_date": pd.to_datetime(frame["game_date"]), "team": frame["team_abbr"]})
        matched = keys.merge(sides, on=["game_date", "team"], how="left")  # keeps the row order
        matched.index = frame.index
        found = matched["game_key"].notna()
        wanted = {"game_id": matched["game_key"]}
        if "home_team_abbr" in columns:
            wanted.update(home_team_abbr=matched["home"], away_team_abbr=matched["away"])
        if "is_home" in columns:
            wanted["is_home"] = matched["home_side"].astype("boolean")
        changed = pd.Series(False, index=frame.index)
        for column, value in wanted.items():
            differs = found & (frame[column].astype(object) != value.astype(object)).fillna(True)
            changed |= differs
        file_report = report.files[table]
        if changed.any():
            for column, value in wanted.items():
                frame.loc[changed, column] = value[changed]
            file_report.correct("game_id or home/away differ from nbac_schedule: taken from the "
                                "schedule's game of the same date and team", frame.index[changed])
        orphans = frame.loc[~found, ["game_date", "team_abbr"]].drop_duplicates()
        if len(orphans):
            file_report.note(
                f"{int((~found).sum())} row(s) have no game of their team on their date in "
                f"nbac_schedule (kept as they are; check the team codes and dates)",
                severity="warning", kind="rows_without_schedule_game", count=int((~found).sum()),
                examples=[f"{d} {t}" for d, t in orphans.head(EXAMPLES).itertuples(index=False)])


def check_final_games_have_both_teams(frames: dict[str, pd.DataFrame], start: dt.date, end: dt.date,
                                      files: dict[str, Path]) -> None:
    """Every final game of [start, end] needs player rows of both teams — active gamebook rows
    or BDL rows — after the loader's filtering (raw-inputs §5); otherwise a RawInputError naming
    the games, their dates, the missing teams and the files."""
    schedule = frames[SCHEDULE]
    days = pd.to_datetime(schedule["game_date"])
    final = schedule[(schedule["game_status"] == 3).fillna(False)
                     & (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]
    if final.empty:
        return
    gamebook = frames[GAMEBOOK]
    played = pd.concat([gamebook.loc[gamebook["player_status"] == "active", ["game_date", "team_abbr"]],
                        frames[BDL][["game_date", "team_abbr"]]])
    seen = set(zip(pd.to_datetime(played["game_date"]).dt.date, played["team_abbr"]))
    missing = []
    for day, away, home in zip(final["game_date"], final["away_team_tricode"], final["home_team_tricode"]):
        lacking = [team for team in (away, home) if (day, team) not in seen]
        if lacking:
            missing.append((day, away, home, lacking))
    if not missing:
        return
    sources = " or ".join(files[t].name if t in files else f"{t.split('.')[1]} (no file)"
                          for t in (GAMEBOOK, BDL))
    missing.sort()
    listed = ", ".join(f"{d} {a}@{h} (game {d:%Y%m%d}_{a}_{h}; no rows for {' and '.join(lack)})"
                       for d, a, h, lack in missing[:EXAMPLES])
    more = f" and {len(missing) - EXAMPLES} more" if len(missing) > EXAMPLES else ""
    raise RawInputError(
        f"{len(missing)} final game(s) of {files[SCHEDULE].name} between {start} and {end} lack "
        f"player rows of one or both teams in {sources}: {listed}{more}; every final game needs "
        f"the box score of both teams in the gamebook (active players) or BDL file (add them, "
        f"or narrow the date range)")
