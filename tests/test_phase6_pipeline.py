"""End to end through Phase 6: `snakemake all` on the small range ends with the Phase 6 gate, one
results object per graded date; a forced re-export rewrites identical bytes; the gate rule names
a missing results file. Skipped until the Snakefile includes rules/publishing.smk."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import E2E_RANGE, REPO, snakemake
from nbaprops.config import validate
from nbaprops.exporters.verify import verify_phase6
from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e"),
              pytest.mark.skipif("rules/publishing.smk" not in (REPO / "Snakefile").read_text(),
                                 reason="the Snakefile does not include rules/publishing.smk yet")]
START, END = (dt.date.fromisoformat(d) for d in E2E_RANGE)


def graded_dates(workdir: Path) -> list[str]:
    frame = DuckDBWarehouse(workdir / "warehouse").query(
        "select distinct game_date from nba_predictions.prediction_accuracy order by game_date")
    return [d.date().isoformat() for d in frame["game_date"]]


def exports(workdir: Path) -> dict[str, bytes]:
    root = workdir / "exports"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.json"))}


def test_pipeline_ends_with_the_phase6_gate(pipeline_workdir):
    gate = json.loads((pipeline_workdir / "markers/gates/phase6.json").read_text())
    assert gate["ok"] and "PHASE 6 IS COMPLETE" in gate["report"]
    dates = graded_dates(pipeline_workdir)
    assert len(dates) > 5
    results = sorted(k for k in exports(pipeline_workdir)
                     if k.startswith("v1/results/") and k != "v1/results/latest.json")
    assert results == [f"v1/results/{d}.json" for d in dates]
    config = validate({"start_date": E2E_RANGE[0], "end_date": E2E_RANGE[1],
                       "paths": {"warehouse": str(pipeline_workdir / "warehouse")},
                       "storage": {"path": str(pipeline_workdir / "exports")}})
    ok, text = verify_phase6(config, START, END)
    assert ok, text


def test_chunk_markers_record_objects_and_bytes(pipeline_workdir):
    markers = sorted((pipeline_workdir / "markers/exports/dates").glob("*.json"))
    docs = [json.loads(m.read_text()) for m in markers]
    written = exports(pipeline_workdir)
    dated = {k: v for k, v in written.items() if any(d in k for doc in docs for d in doc["dates"])
             and "latest" not in k and "today" not in k}
    assert sum(d["objects"] for d in docs) == len(dated)
    assert sum(d["bytes"] for d in docs) == sum(len(v) for v in dated.values())


def test_a_forced_re_export_writes_identical_bytes(pipeline_copy):
    before = exports(pipeline_copy)
    snakemake(pipeline_copy, "all", "--forcerun", "export_dates", "export_as_of_end")
    assert exports(pipeline_copy) == before


def test_the_gate_rule_names_a_missing_results_file(pipeline_copy):
    first = graded_dates(pipeline_copy)[0]
    (pipeline_copy / f"exports/v1/results/{first}.json").unlink()
    out = snakemake(pipeline_copy, "all", "--forcerun", "phase6_gate", check=False)
    assert out.returncode != 0
    log = (pipeline_copy / "logs/gates/phase6.log").read_text()
    assert f"Missing (1): {first}" in log and "PHASE 6 IS INCOMPLETE" in log
