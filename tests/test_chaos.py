"""A short chaos run: kill -9 the whole run twice (in a SQL table job and in an export job),
resume each time with the README's command (`nbaprops resume`), and get exactly the tables and
the export tree of an uninterrupted run, with no temporary file left. bench/chaos.py is the full
version (seeds, every stage)."""
from __future__ import annotations

import sys

import pytest

from conftest import E2E_RANGE, REPO

sys.path.insert(0, str(REPO / "bench"))
import chaos  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_stages_come_from_rule_names():
    assert [chaos.stage_of(r) for r in ("raw", "raw_season", "player_game_summary", "phase3_gate", "train_models",
                                        "player_prop_predictions_base", "player_prop_predictions", "export_dates",
                                        "export_as_of_end", "phase6_gate", "accuracy_report", "report_html",
                                        "all")] == \
        ["raw", "raw", "sql", "gate3", "train", "predictions", "predictions", "exports", "exports", "gate6",
         "reports", "reports", None]


def test_every_stage_is_planned_a_kill_across_the_seeds():
    plans = chaos.plan_kills([1, 2, 3], 7)
    assert all(len(p) == 7 for p in plans.values())
    assert {s for p in plans.values() for s in p} == set(chaos.STAGES)
    assert all(p == sorted(p, key=lambda s: chaos.POSITION[s]) for p in plans.values())
    # a one-job stage (raw, a gate) is planned once per seed: after it ran it cannot be hit again
    assert all(p.count(s) <= 1 for p in plans.values() for s in chaos.SINGLE)


def test_a_one_job_stage_is_passed_once_a_later_stage_started():
    assert chaos.passed("gate4", {"sql", "train"}) and not chaos.passed("gate4", {"sql", "gate3"})
    assert not chaos.passed("sql", {"exports"})  # many jobs: wait for the next one


def test_killed_twice_and_resumed_it_equals_an_uninterrupted_run(pipeline_workdir, tmp_path):
    reference = chaos.digests(pipeline_workdir)
    result = chaos.chaos_run(chaos.Run(*E2E_RANGE, "week"), tmp_path / "work", seed=3, stages=["sql", "exports"],
                             durations=chaos.durations_from(pipeline_workdir))
    assert [k["planned"] for k in result["kills"]] == ["sql", "exports"], result
    assert result["final_returncode"] == 0, (tmp_path / "work/run.log").read_text()[-3000:]
    assert chaos.differences(reference, result["digests"]) == []
    assert len(reference["tables"]) > 25 and reference["export_files"] > 100
