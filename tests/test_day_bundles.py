"""Day bundles (rules/bundles.smk): a day chunk's tables of one phase are built by one job, each
table still committed and given its own marker and log; other chunks keep one job per table."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from nbaprops import jobs
from nbaprops.catalogue import DAY_BUNDLE_RULES, PHASE_TABLES
from tests.test_raw_days_arrive import jobs_run

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
# Under chunk: auto this range is October 2022 as one month chunk (the season's past month) and
# the first three game days of November, end_date's month, as day chunks.
START, END = "2022-10-18", "2022-11-03"
DAYS = ("2022-11-01", "2022-11-02", "2022-11-03")


def dry_run_jobs(workdir: Path, chunk: str, start: str = START) -> dict[str, list[str]]:
    """Rule -> wildcards of each job `snakemake -n all` plans in an empty work directory."""
    cmd = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir), "--cores", "2", "-n",
           "all", "--config", f"start_date={start}", f"end_date={END}", f"chunk={chunk}"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    out: dict[str, list[str]] = {}
    for rule, wildcards in jobs_run(proc):
        out.setdefault(rule, []).append(wildcards)
    return out


@pytest.fixture(scope="module")
def auto_plan(tmp_path_factory):
    return dry_run_jobs(tmp_path_factory.mktemp("auto"), "auto")


def test_a_day_chunk_is_one_job_per_phase(auto_plan):
    for phase in (3, 4, 5):
        assert sorted(auto_plan[DAY_BUNDLE_RULES[phase]]) == [f"day={d}" for d in DAYS]


def test_the_month_chunk_keeps_one_job_per_table(auto_plan):
    for phase in (3, 4, 5):
        for table in PHASE_TABLES[phase]:
            assert auto_plan[table.split(".")[1]] == ["chunk=2022-10-18_2022-10-31"], table


def test_month_chunks_have_no_bundle(tmp_path):
    plan = dry_run_jobs(tmp_path, "month")
    assert not set(plan) & set(DAY_BUNDLE_RULES.values())
    for table in PHASE_TABLES[3]:
        assert sorted(plan[table.split(".")[1]]) == ["chunk=2022-10-18_2022-10-31", "chunk=2022-11-01_2022-11-03"]


def test_history_day_chunks_keep_per_table_jobs_of_the_tables_read(tmp_path):
    """A range starting mid-season under chunk: day: the season's 14 earlier game days are history
    chunks, where only the Phase 3 tables later dates read are built, by their own rules."""
    plan = dry_run_jobs(tmp_path, "day", start=DAYS[0])
    assert sorted(plan[DAY_BUNDLE_RULES[3]]) == [f"day={d}" for d in DAYS]
    history = plan["season_calendar"]
    assert len(history) == 14 and all(w < f"chunk={DAYS[0]}" for w in history)
    assert "upcoming_player_game_context" not in plan


def test_the_bundle_builds_each_table_in_order_with_its_own_marker_log_and_inputs(monkeypatch):
    calls = []
    monkeypatch.setattr(jobs, "build_table_chunk", lambda *args, **kwargs: calls.append((args, kwargs)) or {})
    day = dt.date(2026, 1, 4)
    tables = ("nba_predictions.player_prop_predictions_base", "nba_predictions.prediction_accuracy")
    jobs.build_day_tables({"c": 1}, tables, day, "phase_5_predictions",
                          markers={"player_prop_predictions_base": "m/base.json", "prediction_accuracy": "m/acc.json"},
                          logs={"player_prop_predictions_base": "l/base.log", "prediction_accuracy": "l/acc.log"},
                          inputs={"nba_predictions.player_prop_predictions_base": {"models": ["x.json"]},
                                  "nba_predictions.prediction_accuracy": {}})
    chunk = "2026-01-04_2026-01-04"
    assert calls == [
        (({"c": 1}, tables[0], day, day, chunk, "m/base.json", "phase_5_predictions", "l/base.log"),
         {"inputs": {"models": ["x.json"]}}),
        (({"c": 1}, tables[1], day, day, chunk, "m/acc.json", "phase_5_predictions", "l/acc.log"),
         {"inputs": {}}),
    ]


def test_a_failing_table_stops_the_bundle_before_the_next(monkeypatch):
    built = []

    def build(config, table, *args, **kwargs):
        if table.endswith("b"):
            raise jobs.JobError("b failed")
        built.append(table)

    monkeypatch.setattr(jobs, "build_table_chunk", build)
    with pytest.raises(jobs.JobError, match="b failed"):
        jobs.build_day_tables({}, ("x.a", "x.b", "x.c"), dt.date(2026, 1, 4), "p",
                              markers={"a": "a", "b": "b", "c": "c"}, logs={"a": "a", "b": "b", "c": "c"})
    assert built == ["x.a"]


def test_a_bundles_benchmark_counts_in_its_phase():
    from nbaprops.report.collect.timings import _benchmark_group

    assert _benchmark_group(Path("phase4_day_tables/2026-01-04_2026-01-04.tsv")) == (
        "phase4_day_tables", "2026-01-04_2026-01-04", "Phase 4")
    assert _benchmark_group(Path("nba_precompute/player_daily_cache/2026-01-04_2026-01-04.tsv")) == (
        "nba_precompute.player_daily_cache", "2026-01-04_2026-01-04", "Phase 4")
