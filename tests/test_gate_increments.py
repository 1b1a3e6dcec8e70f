"""Gates that check what changed since their last pass (issue 12, nbaprops.gate_state).

Hand-made league: one final game on each of 2025-01-20, -21 and -22, team_offense_game_summary
the only Phase 3 table, in day chunks. The phase's checks are replaced by one range check that
records the spans it is asked about and reports one warning per span, so what is checked in
full and what is carried forward can be told apart exactly.
"""
from __future__ import annotations

import datetime as dt

import pytest

from nbaprops import gate_state, gates
from nbaprops.contracts import load_contract
from nbaprops.findings import Finding
from nbaprops.markers import write_marker
from nbaprops.testing import with_all_columns
from test_gate_messages import team_rows
from test_phase3_fixtures import TOGS, day, frame, schedule, warehouse

D1, D2, D3 = "2025-01-20", "2025-01-21", "2025-01-22"
SCHEDULE = [schedule(d, "LAL", "BOS", away_score=99, home_score=100, nba_game_id=f"00224005{i}")
            for i, d in enumerate((D1, D2, D3))]


def chunk(d: str) -> str:
    return f"{d}_{d}"


@pytest.fixture
def league(tmp_path, monkeypatch):
    """(warehouse, config, spans checked by the range check, build(d): a chunk job's marker)."""
    spans = []

    def spans_check(wh, start, end, options):
        spans.append((start.isoformat(), end.isoformat()))
        return [Finding("span_seen", "warning", f"checked {start}..{end}", 1)]

    monkeypatch.setitem(gates.PHASE_TABLES, 3, (TOGS,))
    monkeypatch.setitem(gates.PHASE_CHECKS, 3, [spans_check])
    monkeypatch.setitem(gate_state.PHASE_TABLES, 3, (TOGS,))
    wh = warehouse(tmp_path / "wh", {"nba_raw.nbac_schedule": SCHEDULE,
                                     TOGS: [r for d in (D1, D2, D3) for r in team_rows(d, "LAL", "BOS")]})
    markers = tmp_path / "markers"
    config = {"start_date": D1, "end_date": D2, "paths": {"markers": str(markers)}, "excluded_games": []}

    def build(d: str, run: str = "r1") -> None:
        write_marker(markers / "nba_analytics" / "team_offense_game_summary" / f"{chunk(d)}.json",
                     {"chunk": chunk(d), "run_id": run})

    for d in (D1, D2, D3):
        build(d)
    return wh, config, spans, build


def gate(wh, config, run: str):
    """One gate run as run_gate does it: check, and on a pass record the state."""
    start, end = day(config["start_date"]), day(config["end_date"])
    versions = {chunk(d): "v1" for d in (D1, D2, D3) if day(d) <= end}
    report, record = gate_state.check(wh, config, 3, start, end, versions)
    if report.ok:
        record(run, f"{run}-time")
    return report


def test_a_new_day_is_checked_in_full_and_the_earlier_days_are_vouched_with_their_findings(league):
    wh, config, spans, _ = league
    first = gate(wh, config, "run1")
    assert first.ok and spans == [(D1, D2)] and first.coverage == {"in_full": f"{D1}..{D2}", "vouched": []}
    config["end_date"] = D3
    second = gate(wh, config, "run2")
    assert spans == [(D1, D2), (D3, D3)]  # only the new day
    assert [f.message for f in second.findings] == [f"checked {D1}..{D2}", f"checked {D3}..{D3}"]
    assert second.coverage == {"in_full": f"{D3}..{D3}", "vouched": [f"{D1}..{D2} by the pass of run1-time (run1)"]}
    # dates and rows still cover the whole range; the invariants ran on the new day only and hold
    [table] = second.tables
    assert (table.expected, table.present, table.rows, table.duplicate_keys) == (3, 3, 6, 0)
    assert second.ok
    text = gates.format_report(second)
    assert (f"Checked in full: {D3}..{D3}; the dates present, rows, raw stage findings and schedule of the whole "
            f"range checked again; vouched by earlier passes: {D1}..{D2} by the pass of run1-time (run1) (their warnings "
            "carried forward).") in text
    state = gate_state.read_state(config["paths"]["markers"], 3)
    assert [(s["start"], s["end"], s["run_id"], s["findings"]) for s in state["segments"]] == [
        (D1, D2, "run1", {"spans_check": [Finding("span_seen", "warning", f"checked {D1}..{D2}", 1).as_dict()]}),
        (D3, D3, "run2", {"spans_check": [Finding("span_seen", "warning", f"checked {D3}..{D3}", 1).as_dict()]})]
    # nothing changed: nothing is checked in full, everything carried
    third = gate(wh, config, "run3")
    assert spans == [(D1, D2), (D3, D3)] and third.ok
    assert [f.message for f in third.findings] == [f"checked {D1}..{D2}", f"checked {D3}..{D3}"]
    assert third.coverage["in_full"] is None


def test_a_rebuilt_old_chunk_is_checked_again_with_its_segment_and_a_violation_in_it_fails(league):
    wh, config, spans, build = league
    config["end_date"] = D1
    gate(wh, config, "run1")
    config["end_date"] = D2
    gate(wh, config, "run2")
    config["end_date"] = D3
    gate(wh, config, "run3")
    assert spans == [(D1, D1), (D2, D2), (D3, D3)]
    # D2's chunk is rebuilt with a broken margin: its segment and every later one are checked again
    broken = team_rows(D2, "LAL", "BOS")
    broken[0]["margin_of_victory"] = 7
    wh.replace_range(load_contract(TOGS), day(D2), day(D2), with_all_columns(TOGS, frame(broken)))
    build(D2, run="r2")
    report = gate(wh, config, "run4")
    assert spans[-1] == (D2, D3) and not report.ok
    [table] = report.tables
    assert [(i.name, i.violations) for i in table.invariants if i.violations] == [("margin_matches_points", 1)]
    assert report.coverage["vouched"] == [f"{D1}..{D1} by the pass of run1-time (run1)"]
    # a failed gate leaves the last pass's state: fixed later, the same dates are checked again
    wh.replace_range(load_contract(TOGS), day(D2), day(D2), with_all_columns(TOGS, frame(team_rows(D2, "LAL", "BOS"))))
    assert gate(wh, config, "run5").ok and spans[-1] == (D2, D3)


def test_a_change_in_the_first_segment_or_the_basis_is_a_full_check(league):
    wh, config, spans, build = league
    gate(wh, config, "run1")
    build(D1, run="r2")
    gate(wh, config, "run2")
    assert spans == [(D1, D2), (D1, D2)]
    config["excluded_games"] = [{"game_id": "20250122_LAL_BOS", "reason": "test"}]  # config the checks read
    gate(wh, config, "run3")
    assert spans[-1] == (D1, D2)
    config["start_date"] = D2
    gate(wh, config, "run4")
    assert spans[-1] == (D2, D2)


def test_plan_check_widens_to_the_segment_that_holds_the_first_change():
    state = {"basis": "b", "start": D1, "end": "2025-01-31",
             "chunks": {"t/2025-01-20_2025-01-25": "a", "t/2025-01-26_2025-01-31": "b"},
             "segments": [{"start": D1, "end": "2025-01-24"}, {"start": "2025-01-25", "end": "2025-01-31"}]}
    start, end = day(D1), day("2025-02-02")
    new = {**state["chunks"], "t/2025-02-01_2025-02-02": "c"}
    plan = gate_state.plan_check(state, "b", new, start, end)
    assert (plan.since, plan.vouched) == (day("2025-02-01"), state["segments"])
    # the chunk 01-26..01-31 rebuilt: from the start of its segment (01-25)
    plan = gate_state.plan_check(state, "b", {**new, "t/2025-01-26_2025-01-31": "x"}, start, end)
    assert (plan.since, plan.vouched) == (day("2025-01-25"), state["segments"][:1])
    # a chunk gone (the month regrouped) counts as changed from its first date
    gone = {k: v for k, v in new.items() if k != "t/2025-01-20_2025-01-25"}
    assert gate_state.plan_check(state, "b", gone, start, end).full
    assert gate_state.plan_check(state, "other", new, start, end).reason.startswith("the basis changed")
    assert gate_state.plan_check(state, "b", new, start, day("2025-01-30")).reason == "the range shrank"
    assert gate_state.plan_check(None, "b", new, start, end).reason == "no earlier pass"


def test_the_basis_ignores_end_date_and_the_demo_morning_only(league):
    _, config, _, _ = league
    basis = gate_state.basis_digest(config, 3)
    assert gate_state.basis_digest({**config, "end_date": D3}, 3) == basis
    demo = {**config, "raw": {"source": "demo", "seed": 2021, "as_of": D2}}
    assert gate_state.basis_digest({**demo, "raw": {**demo["raw"], "as_of": D3}}, 3) == gate_state.basis_digest(demo, 3)
    assert gate_state.basis_digest({**demo, "raw": {**demo["raw"], "seed": 7}}, 3) != gate_state.basis_digest(demo, 3)
    assert gate_state.basis_digest({**config, "excluded_games": [{"game_id": "x", "reason": "y"}]}, 3) != basis
    assert gate_state.basis_digest(config, 4) != basis


def test_daily_segments_are_folded_into_one_past_max_segments():
    days = [day(D1) + dt.timedelta(days=i) for i in range(gate_state.MAX_SEGMENTS + 2)]
    state = {"basis": "b", "start": D1, "end": days[-1].isoformat(),
             "chunks": {f"t/{d}_{d}": "a" for d in days},
             "segments": [{"start": d.isoformat(), "end": d.isoformat()} for d in days]}
    new_day = days[-1] + dt.timedelta(days=1)
    plan = gate_state.plan_check(state, "b", {**state["chunks"], f"t/{new_day}_{new_day}": "a"}, day(D1), new_day)
    assert (plan.since, plan.vouched) == (days[1], state["segments"][:1])
    # at the bound, nothing is folded
    state["segments"] = state["segments"][:gate_state.MAX_SEGMENTS]
    state["end"] = days[gate_state.MAX_SEGMENTS - 1].isoformat()
    plan = gate_state.plan_check(state, "b", {f"t/{d}_{d}": "a" for d in days[:gate_state.MAX_SEGMENTS + 1]},
                                 day(D1), days[gate_state.MAX_SEGMENTS])
    assert (plan.since, len(plan.vouched)) == (days[gate_state.MAX_SEGMENTS], gate_state.MAX_SEGMENTS)


def test_seasonal_findings_of_earlier_seasons_are_carried_and_the_changed_season_is_checked_again(tmp_path,
                                                                                                  monkeypatch):
    calls = []

    def seasonal_check(wh, start, end, options):
        return [f for _, f in by_season(wh, start, end, options)]

    def by_season(wh, start, end, options):
        calls.append((start.isoformat(), end.isoformat()))
        return [(2024, Finding("seasonal", "warning", "2024 now", 1))]

    monkeypatch.setitem(gates.PHASE_TABLES, 4, ())
    monkeypatch.setitem(gates.PHASE_CHECKS, 4, [seasonal_check])
    monkeypatch.setitem(gates.SEASONAL_CHECKS, seasonal_check, by_season)
    wh = warehouse(tmp_path / "wh", {"nba_raw.nbac_schedule": [
        schedule("2024-04-14", "LAL", "BOS", away_score=99, home_score=100, season_year=2023),
        schedule("2025-01-20", "LAL", "BOS", away_score=99, home_score=100, season_year=2024)]})
    carried = [{"check": "seasonal_check", "season": 2023, "finding": Finding("seasonal", "warning", "2023", 1).as_dict()},
               {"check": "seasonal_check", "season": 2024, "finding": Finding("seasonal", "warning", "2024 before", 1).as_dict()}]
    report = gates.check_phase(wh, 4, day("2024-01-01"), day("2025-01-20"), since=day("2025-01-20"), seasonal=carried)
    # season 2024 from the day after 2023's last game; 2023 carried
    assert calls == [("2024-04-15", "2025-01-20")]
    assert [f.message for f in report.findings] == ["2023", "2024 now"]
    assert [(c, s) for c, s, _, _ in report.origins] == [("seasonal_check", 2023), ("seasonal_check", 2024)]
