"""`nbaprops status` on hand-made warehouse states: exact lines and exit codes."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import E2E_RANGE, nbaprops_cli
from nbaprops.contracts import load_contract
from nbaprops.runhistory import RunRecord, record
from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
RANGE = ["--start-date", E2E_RANGE[0], "--end-date", E2E_RANGE[1]]
START, END = (dt.date.fromisoformat(d) for d in E2E_RANGE)


def status(workdir):
    return nbaprops_cli(workdir, "status", *RANGE)


def test_complete_state(pipeline_copy):
    out = status(pipeline_copy)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Gates: phase 3 passed" in out.stdout
    assert out.stdout.rstrip().endswith("COMPLETE")
    for line in out.stdout.splitlines():
        if line.startswith("nba_analytics."):
            assert line.split()[1] == line.split()[2] == "27" and line.endswith("ok")


def test_one_missing_date(pipeline_copy):
    contract = load_contract("nba_analytics.upcoming_team_game_context")
    wh = DuckDBWarehouse(pipeline_copy / "warehouse")
    wh.replace_range(contract, dt.date(2022, 10, 25), dt.date(2022, 10, 25),
                     wh.query(f"select * from {contract.table} where false"))
    out = status(pipeline_copy)
    assert out.returncode == 1
    line = next(li for li in out.stdout.splitlines() if li.startswith(contract.table))
    assert line.split()[1:3] == ["27", "26"]
    assert line.endswith("missing 1: 2022-10-25")
    assert "INCOMPLETE" in out.stdout


def test_an_unexpected_extra_date(pipeline_copy):
    contract = load_contract("nba_analytics.team_offense_game_summary")
    wh = DuckDBWarehouse(pipeline_copy / "warehouse")
    extra = wh.query(f"select * from {contract.table} where game_date = date '2022-10-25'")
    extra["game_date"] = dt.date(2022, 11, 24)  # Thanksgiving: no games in the demo calendar
    assert wh.dates_present(contract, dt.date(2022, 11, 24), dt.date(2022, 11, 24)) == []
    wh.replace_range(contract, dt.date(2022, 11, 24), dt.date(2022, 11, 24), extra)
    out = nbaprops_cli(pipeline_copy, "status", "--start-date", E2E_RANGE[0], "--end-date", "2022-11-30")
    line = next(li for li in out.stdout.splitlines() if li.startswith(contract.table))
    assert "unexpected 1: 2022-11-24" in line
    assert out.returncode == 1


def test_a_failed_job_is_listed_with_its_log(pipeline_copy):
    wh = DuckDBWarehouse(pipeline_copy / "warehouse")
    run = RunRecord("nba_analytics.player_game_summary", "phase_3_analytics", dt.date(2022, 10, 24),
                    dt.date(2022, 10, 30), "2022-10-24_2022-10-30")
    record(wh, run, "failed", errors=[{"error_type": "JobError", "error_message": "boom: disk full"}])
    out = status(pipeline_copy)
    assert out.returncode == 1
    assert "Failed jobs (1, no later success):" in out.stdout
    assert "nba_analytics.player_game_summary chunk 2022-10-24_2022-10-30" in out.stdout
    assert "boom: disk full" in out.stdout
    assert "log: logs/nba_analytics/player_game_summary/2022-10-24_2022-10-30.log" in out.stdout
    # A later success of the same chunk clears it.
    record(wh, RunRecord(run.processor, run.phase, run.start, run.end, run.chunk_id), "success", 10)
    assert status(pipeline_copy).returncode == 0


def test_watch_once_reports_all_jobs_done(pipeline_copy):
    out = nbaprops_cli(pipeline_copy, "watch", "--once", "--set", f"start_date={E2E_RANGE[0]}",
                       "--set", f"end_date={E2E_RANGE[1]}", "--set", "chunk=week")
    assert out.returncode == 0, out.stderr
    from nbaprops.config import validate
    from nbaprops.progress import planned_markers

    config = validate({"start_date": E2E_RANGE[0], "end_date": E2E_RANGE[1], "chunk": "week"})
    total = sum(len(paths) for paths in planned_markers(config).values())
    assert total > 60  # raw, every phase's tables x 4 chunks, the models, the gates
    assert f"total {total}/{total} jobs (100%)" in out.stdout
