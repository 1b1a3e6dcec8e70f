"""A range starting mid-season: Phase 4 reads each date's season to date, so the Phase 3 tables it
reads are built on the season's dates before start_date too (plan.history_chunks), and nothing
else is."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from nbaprops import plan
from nbaprops.config import validate
from tests.test_raw_days_arrive import jobs_run, query

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
D = dt.date


def config(start: str, end: str, chunk: str = "week") -> dict:
    return validate({"start_date": start, "end_date": end, "chunk": chunk})


def ids(chunks) -> list[str]:
    return [c.id for c in chunks]


def test_history_chunks_are_the_seasons_dates_before_start_date():
    # The demo's 2023-24 season opens on 24 October; 24 December has no games.
    assert ids(plan.history_chunks(config("2024-01-02", "2024-01-09"))) == [
        "2023-10-24_2023-10-29", "2023-10-30_2023-11-05", "2023-11-06_2023-11-12", "2023-11-13_2023-11-19",
        "2023-11-20_2023-11-26", "2023-11-27_2023-12-03", "2023-12-04_2023-12-10", "2023-12-11_2023-12-17",
        "2023-12-18_2023-12-23", "2023-12-25_2023-12-31", "2024-01-01_2024-01-01"]
    # chunk: auto groups them as the range would: months before end_date's month.
    assert ids(plan.history_chunks(config("2024-01-02", "2024-01-09", "auto"))) == [
        "2023-10-24_2023-10-31", "2023-11-01_2023-11-30", "2023-12-01_2023-12-31", "2024-01-01_2024-01-01"]


def test_a_range_from_the_opener_or_the_offseason_has_no_history():
    assert plan.history_chunks(config("2023-10-24", "2023-11-09")) == []
    assert plan.history_chunks(config("2023-08-01", "2023-11-09")) == []
    # Only the first season's: the range's later seasons are built from their openers anyway.
    assert ids(plan.history_chunks(config("2023-04-01", "2023-10-30", "season"))) == ["2022-10-18_2023-03-31"]


START, END = D(2022, 11, 3), D(2022, 11, 9)   # the demo's 2022-23 season opened on 18 October


@pytest.mark.e2e
def test_a_range_starting_mid_season_passes_the_phase4_gate_with_its_seasons_history(tmp_path):
    """Before: the first date had no team game before it in the warehouse, so it got no
    team_defense_zone_analysis rows and failed the Phase 4 gate; every window was short."""
    cmd = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path), "--cores", "2",
           "markers/gates/phase4.json", "--configfile", str(REPO / "config" / "config.yaml"),
           "--config", f"start_date={START}", f"end_date={END}", "chunk=week"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"

    history = {"chunk=2022-10-18_2022-10-23", "chunk=2022-10-24_2022-10-30", "chunk=2022-10-31_2022-11-02"}
    ran = jobs_run(proc)
    phase3 = {r for r, w in ran if w in history}
    # The season-to-date reads of Phase 4 (player and team game summaries) and what they read.
    assert phase3 == {"pregame_rosters", "player_boxscores", "play_by_play_shots", "player_prop_lines",
                      "team_offense_game_summary", "team_defense_game_summary", "player_game_summary"}
    assert not list((tmp_path / "markers/nba_precompute").rglob("2022-10-*.json"))   # no Phase 4 on them

    # Each team's window on the first date holds its games of the season before it.
    got = query(tmp_path, "select team_abbr, games_in_sample from nba_precompute.team_defense_zone_analysis "
                          f"where analysis_date = '{START}' order by team_abbr")
    played = query(tmp_path, "select team_abbr, least(count(*), 15) as games from ("
                             " select home_team_tricode as team_abbr from nba_raw.nbac_schedule"
                             f" where game_date between '2022-10-18' and '{START - dt.timedelta(days=1)}'"
                             " union all select away_team_tricode from nba_raw.nbac_schedule"
                             f" where game_date between '2022-10-18' and '{START - dt.timedelta(days=1)}'"
                             ") as games group by 1 order by 1")
    assert len(got) == 30
    assert got.values.tolist() == played.values.tolist()
