"""A real `files` raw folder on the morning of a game day (issue 12): the schedule's games of the
day are scheduled (status 1), the props file has their pre-tip snapshots, no box score of the day
exists. The loader times each prop from pre-game knowledge only (the schedule, the game the prop
names, the player's morning team), so the day's lines reach nba_staging.player_prop_lines and the
predictions exactly as the demo source gives them; `end_date: today` against the schedule."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from nbaprops import plan
from nbaprops.config import today as league_today, validate
from nbaprops.demo.export import export_files
from nbaprops.raw.files import read_raw_folder_with_report
from tests.test_raw_days_arrive import query

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
PROPS = "nba_raw.odds_api_player_points_props"
# A game day after the 2022-23 season's 14 bootstrap days (so Phase 4 and 5 have rows), with a
# schedule running on to April: its last date is long past end_date.
START, AS_OF = dt.date(2022, 10, 18), dt.date(2022, 11, 8)
# What a player-only props feed sends: no game, no tip-off, no minutes before it.
GAME_COLUMNS = ["game_id", "home_team_abbr", "away_team_abbr", "game_start_time", "minutes_before_tipoff"]
LINE_COLUMNS = ["player_lookup", "current_points_line", "opening_points_line", "current_points_line_books",
                "player_match", "team_abbr", "best_over_line", "best_under_line"]


def morning_folder(raw: Path) -> pd.DataFrame:
    """The demo's folder on the morning of AS_OF, its props stripped to a player-only feed;
    returns the demo's own props (with their minutes_before_tipoff)."""
    export_files(raw, START, AS_OF, as_of=AS_OF)
    path = raw / "odds_api_player_points_props.csv"
    given = pd.read_csv(path, dtype=str, keep_default_na=False)
    given.drop(columns=GAME_COLUMNS).to_csv(path, index=False)
    return given


def snakemake(workdir: Path, extra: str, *targets: str) -> None:
    cfg = workdir / "run.yaml"
    cfg.write_text(f"start_date: {START}\nend_date: {AS_OF}\nchunk: week\n{extra}")
    cmd = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir), "--cores", "2", *targets,
           "--configfile", str(REPO / "config" / "config.yaml"), str(cfg)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"


def lines_of(workdir: Path) -> pd.DataFrame:
    return query(workdir, f"select {', '.join(LINE_COLUMNS)} from nba_staging.player_prop_lines "
                          f"where game_date = '{AS_OF}' order by player_lookup")


@pytest.mark.e2e
def test_a_game_days_morning_folder_predicts_its_lines_like_the_demo(tmp_path):
    raw = tmp_path / "raw"
    given = morning_folder(raw)

    # The loader: every snapshot of the day is timed as the demo timed it, from pre-game knowledge.
    frames, report = read_raw_folder_with_report(raw, START, AS_OF)
    loaded = frames[PROPS]
    day = pd.to_datetime(loaded["game_date"]).dt.date == AS_OF
    schedule = frames["nba_raw.nbac_schedule"]
    assert set(schedule.loc[pd.to_datetime(schedule["game_date"]).dt.date == AS_OF, "game_status"]) == {1}
    assert not any(pd.to_datetime(frames[t]["game_date"]).dt.date.eq(AS_OF).any()
                   for t in ("nba_raw.nbac_gamebook_player_stats", "nba_raw.bdl_player_boxscores"))
    expected = given.loc[given["game_date"] == str(AS_OF), "minutes_before_tipoff"].astype(int)
    assert day.sum() == len(expected) > 100
    assert loaded.loc[day, "minutes_before_tipoff"].astype(int).tolist() == expected.tolist()
    assert (loaded["minutes_before_tipoff"].astype(int) == given["minutes_before_tipoff"].astype(int)).all()
    assert not [f for f in report.findings if f.kind == "unusable_prop_snapshots"]

    # The pipeline on the folder: the day's lines are the demo source's, and predicted.
    files, demo = tmp_path / "files", tmp_path / "demo"
    files.mkdir(), demo.mkdir()
    last = plan.chunks(validate({"start_date": str(START), "end_date": str(AS_OF), "chunk": "week"}))[-1]
    snakemake(files, f"raw:\n  source: files\n  path: {raw}\n",
              f"markers/nba_predictions/player_prop_predictions/{last.id}.json")
    snakemake(demo, f"raw:\n  source: demo\n  seed: 2021\n  as_of: {AS_OF}\n",
              f"markers/nba_staging/player_prop_lines/{last.id}.json")
    lines = lines_of(files)
    assert len(lines) > 50
    pd.testing.assert_frame_equal(lines, lines_of(demo))

    predicted = query(files, "select distinct player_lookup, has_prop_line, current_points_line "
                             "from nba_predictions.player_prop_predictions "
                             f"where game_date = '{AS_OF}' and has_prop_line order by player_lookup")
    placed = lines[lines["team_abbr"].notna()]
    assert predicted["player_lookup"].tolist() == placed["player_lookup"].tolist()
    assert predicted["current_points_line"].tolist() == placed["current_points_line"].tolist()


def schedule_folder(raw: Path, days: dict[dt.date, int]) -> Path:
    """A folder holding only a schedule: one game a day, with the given status."""
    rows = [{"game_id": f"00224{i:05d}", "game_date": d.isoformat(), "game_date_est": f"{d + dt.timedelta(days=1)}T00:00:00Z",
             "season_year": 2026, "game_status": status, "home_team_tricode": "BOS", "away_team_tricode": "NYK",
             "home_team_score": 101 if status == 3 else None, "away_team_score": 99 if status == 3 else None}
            for i, (d, status) in enumerate(days.items())]
    raw.mkdir()
    pd.DataFrame(rows).to_csv(raw / "nbac_schedule.csv", index=False)
    return raw


def test_end_date_today_plans_todays_scheduled_games_and_refuses_a_schedule_that_ended(tmp_path):
    today = league_today()
    day = dt.timedelta(days=1)
    raw = schedule_folder(tmp_path / "running", {today - day: 3, today: 1, today + day: 1})
    config = validate({"start_date": (today - day).isoformat(), "end_date": "today",
                       "raw": {"source": "files", "path": str(raw)}})
    # The schedule runs on past end_date: its later games are not planned.
    assert plan.date_states(config) == {today - day: plan.FINAL, today: plan.SCHEDULED}

    raw = schedule_folder(tmp_path / "ended", {today - 2 * day: 3, today - day: 3})
    with pytest.raises(plan.PlanError, match=rf"^end_date {today} is past the last game of the raw schedule "
                                             rf"\({today - day}\): set end_date to {today - day} or earlier"):
        plan.game_days(validate({"start_date": (today - 2 * day).isoformat(), "end_date": "today",
                                 "raw": {"source": "files", "path": str(raw)}}))
