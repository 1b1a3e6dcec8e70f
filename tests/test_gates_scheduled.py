"""Gates over scheduled dates (issue 12): pre-game tables are expected on every date with games,
post-game tables (catalogue.POSTGAME_TABLES) on final dates only; reports count the scheduled
dates awaiting their grading and warn about scheduled dates before today.

Hand-made schedule: 2025-01-20 final, 2025-01-22 scheduled (status 1), 2025-01-23 partly final
(one game final, one in progress: status 2).
"""
from __future__ import annotations

import datetime as dt

from nbaprops import gates, status
from nbaprops.catalogue import POSTGAME_TABLES
from test_gate_messages import team_rows
from test_phase3_fixtures import TOGS, UTGC, day, schedule, togs_row, warehouse

D1, D2, D3 = "2025-01-20", "2025-01-22", "2025-01-23"
START, END = day(D1), day(D3)
SCHEDULE = [schedule(D1, "LAL", "BOS", away_score=99, home_score=100, nba_game_id="0022400561"),
            schedule(D2, "NYK", "MIA", status=1, nba_game_id="0022400562"),
            schedule(D3, "DEN", "PHX", away_score=99, home_score=100, nba_game_id="0022400563"),
            schedule(D3, "GSW", "SAC", away_score=50, home_score=48, status=2, nba_game_id="0022400564")]


def test_the_tables_in_this_test_are_classified_as_assumed():
    assert TOGS in POSTGAME_TABLES and UTGC not in POSTGAME_TABLES


def test_pre_game_tables_expect_every_date_post_game_tables_the_final_ones(tmp_path):
    wh = warehouse(tmp_path, {"nba_raw.nbac_schedule": SCHEDULE})
    expected = gates.phase_dates(wh, 3, START, END)
    assert expected.games == [day(D1), day(D2), day(D3)]
    assert expected.final == [day(D1)]
    assert expected.partly_final == {day(D3)}
    assert expected.scheduled == [day(D2), day(D3)]
    assert (expected.of(UTGC), expected.of(TOGS)) == ([day(D1), day(D2), day(D3)], [day(D1)])
    assert gates.schedule_states(wh, START, END) == {day(D1): "final", day(D2): "scheduled", day(D3): "scheduled"}
    # excluding the game in progress makes 2025-01-23 a final date
    assert gates.schedule_states(wh, START, END, ["20250123_GSW_SAC"])[day(D3)] == "final"


def test_post_game_rows_of_a_partly_final_date_are_neither_missing_nor_unexpected(tmp_path):
    # team box-score rows of 2025-01-20 and of 2025-01-23's final game only; none of the scheduled date
    wh = warehouse(tmp_path, {"nba_raw.nbac_schedule": SCHEDULE,
                              TOGS: [
                                  togs_row(D1, "BOS", "LAL", pace=91.4), togs_row(D3, "PHX", "DEN", pace=91.4)]})
    expected = gates.phase_dates(wh, 3, START, END)
    report = gates.check_table(wh, TOGS, expected.of(TOGS), START, END, invariants=False,
                               tolerated=expected.tolerated(TOGS))
    assert (report.expected, report.present, report.missing, report.unexpected) == (1, 1, [], [])
    # the same rows judged as a pre-game table's: expected on all three dates, the scheduled one missing
    pre = gates.check_table(wh, TOGS, expected.of(UTGC), START, END, invariants=False,
                            tolerated=expected.tolerated(UTGC))
    assert (pre.expected, pre.present, pre.missing) == (3, 2, [D2])


def test_gate_report_counts_the_scheduled_dates_and_warns_about_overdue_ones(tmp_path, monkeypatch):
    monkeypatch.setitem(gates.PHASE_TABLES, 3, (TOGS,))
    monkeypatch.setitem(gates.PHASE_CHECKS, 3, [])  # the games checks are tested elsewhere
    wh = warehouse(tmp_path, {"nba_raw.nbac_schedule": SCHEDULE, TOGS: team_rows(D1, "LAL", "BOS")})
    # noon in New York on 2025-01-23: 01-22's game should be final by now, 01-23's is tonight
    report = gates.check_phase(wh, 3, START, END, now=dt.datetime(2025, 1, 23, 17, 0, tzinfo=dt.timezone.utc))
    assert report.ok, gates.format_report(report)
    assert report.scheduled == [D2, D3] and report.expected_dates == 3
    [overdue] = report.findings
    assert (overdue.kind, overdue.severity, overdue.examples) == ("overdue_scheduled_dates", "warning", [D2])
    text = gates.format_report(report)
    assert ("Scheduled dates awaiting grading: 2 (2025-01-22..2025-01-23): predicted from what is known before "
            "tip-off, graded by the first run after their box scores arrive") in text
    assert "✅ nba_analytics.team_offense_game_summary  (final dates only)\n   Dates: 1/1   Rows: 2" in text


def test_status_says_how_many_dates_await_grading():
    state = {"start": START, "end": END, "tables": [], "last_ok": {}, "failures": [], "findings": [],
             "gates": {3: "passed"}, "scheduled": [D2, D3]}
    assert "\nScheduled dates awaiting grading: 2 (2025-01-22..2025-01-23):" in status.format_status(state)


def test_a_date_that_went_final_in_the_source_makes_the_loaded_schedule_stale(tmp_path):
    from nbaprops.checks.raw import stale_schedule

    wh = warehouse(tmp_path / "wh", {"nba_raw.nbac_schedule": SCHEDULE[:2]})
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "nbac_schedule.csv").write_text(
        "game_id,game_date,season_year,game_status,home_team_tricode,away_team_tricode,home_team_score,away_team_score\n"
        "0022400561,2025-01-20,2024,3,BOS,LAL,100,99\n0022400562,2025-01-22,2024,3,MIA,NYK,100,99\n")
    options = {"raw": {"source": "files", "path": str(folder)}, "chunk": "season"}
    [stale] = stale_schedule(wh, day(D1), day(D2), options)
    assert (stale.kind, stale.count, stale.examples) == ("stale_raw_schedule", 1, [D2])
    assert ("differs from the raw source for 2025-01-20..2025-01-22: 1 date(s) changed between scheduled and "
            "final;") in stale.message
    # the same state on both sides: nothing to say
    assert stale_schedule(wh, day(D1), day(D1), options) == []
