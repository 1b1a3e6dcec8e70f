"""End to end: snakemake on a small range in a temp directory, to the Phase 3 gate and back."""
from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import time

import pandas as pd
import pytest

from conftest import E2E_RANGE, nbaprops_cli, snakemake
from nbaprops.contracts import load_contract
from nbaprops.gates import PHASE_TABLES
from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
START, END = (dt.date.fromisoformat(d) for d in E2E_RANGE)


def table_rows(workdir, table):
    contract = load_contract(table)
    wh = DuckDBWarehouse(workdir / "warehouse")
    frame = wh.query(f"select * from {table}")
    return frame.sort_values(list(contract.primary_key)).reset_index(drop=True)


def test_pipeline_reaches_a_passing_gate(pipeline_workdir):
    gate = json.loads((pipeline_workdir / "markers/gates/phase3.json").read_text())
    assert gate["ok"] and gate["expected_dates"] > 10
    for table in gate["tables"]:
        assert table["missing"] == [] and table["unexpected"] == [] and table["duplicate_keys"] == 0


def test_every_chunk_has_a_marker_with_rows_and_run_history(pipeline_workdir):
    markers = sorted((pipeline_workdir / "markers/nba_analytics").rglob("*.json"))
    assert len(markers) == 5 * 4  # five tables x four weekly chunks
    docs = [json.loads(m.read_text()) for m in markers]
    assert all(d["rows"] > 0 and d["dates"] for d in docs)
    history = DuckDBWarehouse(pipeline_workdir / "warehouse").query(
        "select processor_name, status from nba_reference.processor_run_history")
    assert (history["status"] == "success").all()
    assert (history["processor_name"] == "nba_analytics.player_game_summary").sum() == 4


def test_nothing_to_do_on_a_second_run(pipeline_copy):
    out = snakemake(pipeline_copy, "-n", "all")
    assert "Nothing to be done" in out.stdout + out.stderr


def test_rerunning_a_chunk_is_idempotent(pipeline_copy):
    before = {t: table_rows(pipeline_copy, t) for t in PHASE_TABLES[3]}
    snakemake(pipeline_copy, "all", "--forcerun", "team_offense_game_summary")
    for table, rows in before.items():
        pd.testing.assert_frame_equal(rows.drop(columns=[c for c in rows if c in ("processed_at", "created_at")]),
                                      table_rows(pipeline_copy, table).drop(
                                          columns=[c for c in rows if c in ("processed_at", "created_at")]))


def test_verify_phase3_passes_then_names_a_removed_date(pipeline_copy):
    ok = nbaprops_cli(pipeline_copy, "verify-phase3", "--start-date", E2E_RANGE[0], "--end-date", E2E_RANGE[1])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    contract = load_contract("nba_analytics.player_game_summary")
    wh = DuckDBWarehouse(pipeline_copy / "warehouse")
    victim = wh.dates_present(contract, START, END)[3]
    empty = wh.query(f"select * from {contract.table} where false")
    wh.replace_range(contract, victim, victim, empty)
    bad = nbaprops_cli(pipeline_copy, "verify-phase3", "--start-date", E2E_RANGE[0], "--end-date", E2E_RANGE[1])
    assert bad.returncode == 1
    assert f"Missing dates (1): {victim.isoformat()}" in bad.stdout
    assert f"player_game_summary: missing 1: {victim.isoformat()}" in bad.stdout


def test_the_gate_rule_fails_naming_the_date(pipeline_copy):
    contract = load_contract("nba_analytics.team_defense_game_summary")
    wh = DuckDBWarehouse(pipeline_copy / "warehouse")
    victim = wh.dates_present(contract, START, END)[-1]
    wh.replace_range(contract, victim, victim, wh.query(f"select * from {contract.table} where false"))
    out = snakemake(pipeline_copy, "all", "--forcerun", "phase3_gate", check=False)
    assert out.returncode != 0
    assert victim.isoformat() in out.stdout + out.stderr
    assert not (pipeline_copy / "markers/gates/phase3.json").exists()


def test_kill_minus_nine_then_rerun_incomplete_resumes_without_duplicates(pipeline_copy):
    for marker in (pipeline_copy / "markers/nba_analytics").rglob("*.json"):
        marker.unlink()  # everything in Phase 3 must be rebuilt
    before = {t: len(table_rows(pipeline_copy, t)) for t in PHASE_TABLES[3]}
    from conftest import REPO, SNAKEMAKE

    proc = subprocess.Popen(
        [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(pipeline_copy), "--cores", "2", "all",
         "--config", f"start_date={E2E_RANGE[0]}", f"end_date={E2E_RANGE[1]}", "chunk=week"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and len(list((pipeline_copy / "markers/nba_analytics").rglob("*.json"))) < 3:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)  # the scheduler dies; running jobs are orphaned
    proc.wait()
    time.sleep(3)  # let orphaned jobs finish or die
    snakemake(pipeline_copy, "--unlock")
    snakemake(pipeline_copy, "all", "--rerun-incomplete")
    after = {t: len(table_rows(pipeline_copy, t)) for t in PHASE_TABLES[3]}
    assert after == before
    for table in PHASE_TABLES[3]:
        rows = table_rows(pipeline_copy, table)
        assert not rows.duplicated(list(load_contract(table).primary_key)).any()
    gate = json.loads((pipeline_copy / "markers/gates/phase3.json").read_text())
    assert gate["ok"]


def test_phase4_gate_excludes_exactly_the_bootstrap_fortnight(pipeline_workdir):
    gate = json.loads((pipeline_workdir / "markers/gates/phase4.json").read_text())
    assert gate["ok"]
    assert gate["bootstrap_dates_excluded"] == 14  # the opener 2022-10-18 and the 13 days after it
    first_dates = DuckDBWarehouse(pipeline_workdir / "warehouse").query(
        "select min(game_date) as d from nba_predictions.ml_feature_store_v2")["d"]
    assert first_dates.iloc[0].date() == dt.date(2022, 11, 1)  # day 14 of the season


def test_a_silently_constant_feature_fails_the_phase4_check(pipeline_copy, monkeypatch):
    from nbaprops import gates
    from nbaprops.checks import features

    contract = load_contract("nba_predictions.ml_feature_store_v2")
    wh = DuckDBWarehouse(pipeline_copy / "warehouse")
    dates, _ = gates.expected_dates(wh, 4, START, END)
    monkeypatch.setattr(features, "MIN_DATES_FOR_CONSTANT", len(dates))  # the short range counts as a season

    def stuck(warehouse):
        report = gates.check_table(warehouse, contract.table, dates, START, END)
        return {i.name for i in report.invariants if i.violations}

    before = stuck(wh)  # a fortnight into a season some features still sit at their defaults
    assert "health:fatigue_score:not_constant" not in before
    rows = wh.query(f"select * from {contract.table}")
    rows["fatigue_score"] = 50.0  # stuck at its default, in the column and in the vector
    rows["features"] = rows["features"].apply(lambda f: [*f[:5], 50.0, *f[6:]])
    wh.replace_range(contract, START, END, rows)
    assert stuck(DuckDBWarehouse(pipeline_copy / "warehouse")) - before == {"health:fatigue_score:not_constant"}


def test_a_failed_job_log_names_table_chunk_error_and_what_to_do(pipeline_copy):
    # A table whose raw input vanished: the job fails; its log must say what, where and what to do.
    import shutil

    shutil.rmtree(pipeline_copy / "warehouse/nba_raw/nbac_gamebook_player_stats")
    (pipeline_copy / "warehouse/nba_raw/nbac_team_boxscore/_manifest.json").write_text("{not json")
    out = snakemake(pipeline_copy, "all", "--forcerun", "team_offense_game_summary", check=False)
    assert out.returncode != 0
    logs = sorted((pipeline_copy / "logs/nba_analytics/team_offense_game_summary").glob("*.log"))
    text = "\n".join(p.read_text() for p in logs)
    assert "building nba_analytics.team_offense_game_summary for chunk 2022-" in text
    assert "nba_raw.nbac_team_boxscore" in text and "--forcerun markers/raw/2022.json" in text
    assert "Nothing of this chunk was committed" in text and "re-run the same snakemake command" in text
