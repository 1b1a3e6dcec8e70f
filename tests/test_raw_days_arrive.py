"""A `files` raw folder as a real feed fills it: days arrive, a game goes missing, optional
sources and a column are absent. End to end through the Phase 4 gate (issue: real raw data)."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from nbaprops.demo.export import export_files

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
START = dt.date(2022, 10, 18)
FIRST_END = dt.date(2022, 11, 6)
SECOND_END = dt.date(2022, 11, 20)
TARGET = ("markers/gates/phase3.json", "markers/gates/phase4.json")
PHASE3_TABLES = 10  # with nba_staging.pregame_rosters (issue 12)
PHASE4_TABLES = 5


def configure(workdir: Path, raw: Path, end: dt.date) -> list[str]:
    cfg = workdir / "raw.yaml"
    cfg.write_text(f"raw:\n  source: files\n  path: {raw}\n  seed: 2021\n")
    return ["--configfile", str(REPO / "config" / "config.yaml"), str(cfg),
            "--config", f"start_date={START}", f"end_date={end}", "chunk=week"]


def run(workdir: Path, raw: Path, end: dt.date, *targets: str) -> subprocess.CompletedProcess:
    cmd = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir), "--cores", "2",
           *(targets or TARGET), *configure(workdir, raw, end)]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)


def status(workdir: Path, raw: Path, end: dt.date, *args: str) -> subprocess.CompletedProcess:
    """`nbaprops status` of the range on the files folder."""
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    config.update(start_date=str(START), end_date=str(end), chunk="week",
                  raw={"source": "files", "path": str(raw), "seed": 2021})
    (workdir / "status.yaml").write_text(yaml.safe_dump(config))
    return subprocess.run([str(Path(sys.executable).parent / "nbaprops"), "status", "--configfile", "status.yaml",
                           *args], cwd=workdir, capture_output=True, text=True)


def jobs_run(proc: subprocess.CompletedProcess) -> list[tuple[str, str]]:
    """(rule, wildcards) of every job a run executed, from Snakemake's log."""
    text = proc.stdout + proc.stderr
    jobs = []
    for block in re.split(r"\n\[[^\]]+\]\n", text):
        rule = re.search(r"^(?:local)?(?:rule|checkpoint) (\w+):", block, re.M)
        if rule:
            wildcards = re.search(r"^\s+wildcards: (.*)$", block, re.M)
            jobs.append((rule.group(1), wildcards.group(1) if wildcards else ""))
    return jobs


def query(workdir: Path, sql: str) -> pd.DataFrame:
    exe = Path(sys.executable).parent / "nbaprops"
    proc = subprocess.run([str(exe), "sql", "--format", "json", sql], cwd=workdir, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    return pd.DataFrame(json.loads(proc.stdout))


def final_games(raw: Path, end: dt.date) -> pd.DataFrame:
    schedule = pd.read_csv(raw / "nbac_schedule.csv", dtype=str)
    schedule = schedule[schedule["game_status"] == "3"]
    days = pd.to_datetime(schedule["game_date"]).dt.date
    return schedule[(days >= START) & (days <= end)]


def test_days_arrive_and_only_the_new_chunks_run(tmp_path):
    raw, work = tmp_path / "raw", tmp_path / "work"
    work.mkdir()
    export_files(raw, START, SECOND_END, through=FIRST_END)
    first = run(work, raw, FIRST_END)
    assert first.returncode == 0, first.stderr[-3000:]

    export_files(raw, START, SECOND_END, through=SECOND_END)  # two more weeks arrive
    stale = status(work, raw, SECOND_END)  # before the run: status must not call it complete
    assert stale.returncode != 0 and "differs from the raw source" in stale.stdout, stale.stdout
    second = run(work, raw, SECOND_END)
    assert second.returncode == 0, second.stderr[-3000:]
    ran = jobs_run(second)
    new_chunks = {"chunk=2022-11-07_2022-11-13", "chunk=2022-11-14_2022-11-20"}
    assert ("raw", "season=2022") in ran
    table_jobs = [(r, w) for r, w in ran if w.startswith("chunk=")]
    assert {w for _, w in table_jobs} == new_chunks  # no earlier chunk re-ran
    assert len(table_jobs) == 2 * (PHASE3_TABLES + PHASE4_TABLES)
    assert len(ran) == len(table_jobs) + 1 + 2  # + raw + two gates

    # Every final game of the new dates is in the warehouse, with both teams and its players.
    games = final_games(raw, SECOND_END)
    got = query(work, "select game_date, count(distinct game_id) as games, count(*) as team_rows "
                      "from nba_analytics.team_offense_game_summary group by 1 order by 1")
    per_date = games.groupby("game_date").size()
    assert list(got["game_date"].str[:10]) == list(per_date.index)
    assert list(got["games"]) == list(per_date) and list(got["team_rows"]) == list(2 * per_date)
    gate = json.loads((work / "markers/gates/phase3.json").read_text())
    assert gate["ok"] and gate["expected_dates"] == len(per_date)

    # Nothing changed: nothing runs.
    again = run(work, raw, SECOND_END)
    assert again.returncode == 0 and jobs_run(again) == []


def test_a_game_missing_from_every_box_score_source_is_named(tmp_path):
    raw, work = tmp_path / "raw", tmp_path / "work"
    work.mkdir()
    export_files(raw, START, FIRST_END, through=FIRST_END)
    game = final_games(raw, FIRST_END).iloc[5]
    day, home = game["game_date"], game["home_team_tricode"]
    for name in ("nbac_gamebook_player_stats", "bdl_player_boxscores", "nbac_team_boxscore"):
        frame = pd.read_csv(raw / f"{name}.csv", dtype=str, keep_default_na=False)
        keep = ~((frame["game_date"] == day) & frame["game_id"].str.contains(home))
        frame[keep].to_csv(raw / f"{name}.csv", index=False)
    proc = run(work, raw, FIRST_END, TARGET[0])
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr + "".join(p.read_text() for p in (work / "logs").rglob("*.log"))
    assert day in text and home in text
    assert "Re-run the pipeline for the missing chunks" not in text


def test_a_real_looking_folder_without_optional_sources_runs_and_declares_what_is_degraded(tmp_path):
    raw, work = tmp_path / "raw", tmp_path / "work"
    work.mkdir()
    export_files(raw, START, FIRST_END, through=FIRST_END,
                 omit=["bigdataball_play_by_play", "nbac_injury_report", "odds_api_game_lines"])
    # The Odds API sends the event's start time, not minutes before tip-off.
    props = pd.read_csv(raw / "odds_api_player_points_props.csv", dtype=str, keep_default_na=False)
    schedule = pd.read_csv(raw / "nbac_schedule.csv", dtype=str, keep_default_na=False)
    starts = dict(zip(schedule["game_date"] + schedule["home_team_tricode"], schedule["game_date_est"]))
    props["game_start_time"] = (props["game_date"] + props["home_team_abbr"]).map(starts)
    props.drop(columns=["minutes_before_tipoff"]).to_csv(raw / "odds_api_player_points_props.csv", index=False)

    proc = run(work, raw, FIRST_END)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = query(work, "select count(*) as n from nba_staging.player_prop_lines")
    assert int(lines["n"].iloc[0]) > 1000  # real lines, not none
    gate = json.loads((work / "markers/gates/phase4.json").read_text())
    degraded = [f for f in gate["findings"] if f["kind"] == "degraded_feature"]
    assert {"pct_paint", "injury_risk"} <= {w for f in degraded for w in re.findall(r"\w+", f["message"])}
    shown = status(work, raw, FIRST_END, "--phase", "4")
    assert "pct_paint" in shown.stdout, shown.stdout + shown.stderr
