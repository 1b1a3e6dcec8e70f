"""Three consecutive demo days (issue 12): the pipeline predicts a scheduled date before any of
its box scores exist, grades it in the first run after its games are final, and the backfill of a
past date publishes exactly what the daily run published on it (D12)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import E2E_RANGE
from tests.test_raw_days_arrive import jobs_run, query

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
START = E2E_RANGE[0]
# Three consecutive game dates after the 2022-23 season's 14 bootstrap days, inside the
# session's backfill range (conftest.E2E_RANGE), so its predictions are the backfill to compare.
DAYS = (dt.date(2022, 11, 8), dt.date(2022, 11, 9), dt.date(2022, 11, 10))
TABLE_PHASES = ("nba_staging", "nba_analytics", "nba_precompute", "nba_predictions")


def daily_run(workdir: Path, day: dt.date) -> subprocess.CompletedProcess:
    """The morning of ``day``: the demo knows everything before it and ``day``'s pre-tip market."""
    morning = workdir / f"{day}.yaml"
    morning.write_text(f"start_date: {START}\nend_date: {day}\nchunk: week\n"
                       f"raw:\n  source: demo\n  seed: 2021\n  as_of: {day}\n")
    cmd = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir), "--cores", "2", "all",
           "--configfile", str(REPO / "config" / "config.yaml"), str(morning)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc


def predictions(workdir: Path, day: dt.date) -> pd.DataFrame:
    frame = query(workdir, f"select * from nba_predictions.player_prop_predictions where game_date = '{day}'")
    return frame.sort_values(["system_id", "player_lookup"]).reset_index(drop=True)


def count(workdir: Path, table: str, column: str, day: dt.date) -> int:
    return int(query(workdir, f"select count(*) as n from {table} where {column} = '{day}'")["n"].iloc[0])


def exported(workdir: Path, key: str) -> dict | None:
    path = workdir / "exports" / "v1" / key
    return json.loads(path.read_text()) if path.exists() else None


@pytest.fixture(scope="module")
def days(tmp_path_factory):
    """Run the pipeline on the mornings of the three days, in one work directory; after each run,
    what the tests look at."""
    workdir = tmp_path_factory.mktemp("daily")
    seen = []
    for day in DAYS:
        proc = daily_run(workdir, day)
        seen.append({
            "day": day, "jobs": jobs_run(proc), "predictions": predictions(workdir, day),
            "box_scores": count(workdir, "nba_raw.bdl_player_boxscores", "game_date", day),
            "graded": count(workdir, "nba_predictions.prediction_accuracy", "game_date", day),
            # the rostered players not ruled out by the injury report (the original predicts no one
            # listed out)
            "rostered": set(query(workdir, "select distinct player_lookup from nba_analytics.upcoming_player_game_context "
                                           f"where game_date = '{day}' and coalesce(player_status, '') != 'out'")
                            ["player_lookup"]),
            "tonight": exported(workdir, "tonight/all-players.json"),
            "results": exported(workdir, f"results/{day}.json"),
            "predictions_object": exported(workdir, f"predictions/{day}.json"),
        })
        if len(seen) > 1:
            before = seen[-2]["day"]
            seen[-1]["previous_graded"] = count(workdir, "nba_predictions.prediction_accuracy", "game_date", before)
            seen[-1]["previous_results"] = exported(workdir, f"results/{before}.json")
            seen[-1]["previous_predictions"] = predictions(workdir, before)
    return seen


def test_a_scheduled_date_is_predicted_before_its_box_scores_exist(days):
    for morning in days:
        assert morning["box_scores"] == 0
        frame = morning["predictions"]
        assert len(frame) > 0
        # every rostered player of the pre-game context, every system
        assert set(frame["player_lookup"]) == morning["rostered"]
        assert frame.groupby("player_lookup")["system_id"].nunique().min() == frame["system_id"].nunique()
        assert frame["has_prop_line"].any() and (~frame["has_prop_line"]).any()
        assert morning["graded"] == 0 and morning["results"] is None
        assert morning["tonight"]["game_date"] == morning["day"].isoformat()
        assert morning["predictions_object"] is not None


def test_the_next_run_grades_the_day_and_predicts_the_next(days):
    for before, after in zip(days, days[1:]):
        assert after["previous_graded"] == len(before["predictions"])
        assert after["previous_results"] is not None
        # the demo publishes the whole pre-tip market by the morning: nothing newer to change it
        pd.testing.assert_frame_equal(after["previous_predictions"], before["predictions"])


def test_each_morning_rebuilds_only_the_chunks_holding_the_new_days(days):
    for before, after in zip(days, days[1:]):
        for rule, wildcards in after["jobs"]:
            if "chunk=" in wildcards:
                chunk = wildcards.split("chunk=")[1].split(",")[0]
            elif "day=" in wildcards:  # a day bundle (rules/bundles.smk): the chunk {day}_{day}
                day = wildcards.split("day=")[1].split(",")[0]
                chunk = f"{day}_{day}"
            else:
                continue
            first, last = (dt.date.fromisoformat(p) for p in chunk.split("_"))
            assert first <= before["day"] <= last or first <= after["day"] <= last, (rule, chunk)


def test_the_backfill_publishes_what_the_daily_run_published(days, pipeline_workdir):
    for morning in days:
        pd.testing.assert_frame_equal(predictions(pipeline_workdir, morning["day"]), morning["predictions"])
