"""Gate messages name cause and remedy; findings reach the gate report, status and the HTML report.

Hand-made warehouses: a schedule of two final game dates, tables holding some of them.
"""
from __future__ import annotations

import datetime as dt
import json
import shlex

import pytest

from nbaprops import gates, status
from nbaprops.checks.remedies import build_command, sql_command
from nbaprops.config import ConfigError, load
from nbaprops.findings import Finding
from nbaprops.report.render.gates import render_gates
from nbaprops.report.render.summary import render_summary
from nbaprops.report.section import Section
from nbaprops.runhistory import RunRecord, record
from test_phase3_fixtures import TOGS, day, schedule, togs_row, warehouse

D1, D2 = "2025-01-20", "2025-01-22"
START, END = day(D1), day(D2)
SCHEDULE = [schedule(D1, "LAL", "BOS", away_score=99, home_score=100, nba_game_id="0022400561"),
            schedule(D2, "NYK", "MIA", away_score=99, home_score=100, nba_game_id="0022400562")]


def team_rows(date, away, home):
    """A 100-99 home win; possessions 85 + 0.44 * 10 + 12 - 10 = 91.4."""
    loser = togs_row(date, away, home, pace=91.4, home=False)
    loser.update(points_scored=99, points_allowed=100, win_flag=False, margin_of_victory=-1)
    return [togs_row(date, home, away, pace=91.4), loser]


@pytest.fixture
def only_d1(tmp_path):
    """team_offense_game_summary holds 2025-01-20 only; 2025-01-22 is missing."""
    return warehouse(tmp_path / "wh", {"nba_raw.nbac_schedule": SCHEDULE, TOGS: team_rows(D1, "LAL", "BOS")})


def test_commands():
    assert build_command() == "`snakemake --cores 2 all`"
    assert build_command(START, END, ["a", "b", "a"]) == (
        "`snakemake --cores 2 all --forcerun a b --config start_date=2025-01-20 end_date=2025-01-22`")
    command = sql_command('select "x",\n  n from t where d between @start_date and @end_date and s = @s',
                          {"start_date": START, "end_date": END, "s": "it's"})
    # what the shell hands to `nbaprops sql`: one line, parameters as BigQuery literals
    assert shlex.split(command.strip("`")) == [
        "nbaprops", "sql", "select \"x\", n from t where d between date '2025-01-20' and date '2025-01-22' "
                           "and s = 'it\\'s'"]


def test_a_never_built_date_names_the_command_that_builds_it(only_d1, tmp_path):
    report = gates.check_table(only_d1, TOGS, [START, END], START, END, markers_root=tmp_path / "markers")
    assert report.missing == [D2]
    assert report.remedies[0] == ("Build the missing dates with `snakemake --cores 2 all --config "
                                  "start_date=2025-01-22 end_date=2025-01-22`.")
    assert gates.table_problems(report) == ["missing 1: 2025-01-22"]
    assert gates.table_problems(report, dates=None) == ["missing 1"]


def test_a_date_with_a_marker_but_no_rows_names_a_forced_rebuild(only_d1, tmp_path):
    folder = tmp_path / "markers/nba_analytics/team_offense_game_summary"
    folder.mkdir(parents=True)
    (folder / "2025-01-20_2025-01-22.json").write_text("{}")
    report = gates.check_table(only_d1, TOGS, [START, END], START, END, markers_root=tmp_path / "markers")
    assert report.remedies[0] == (
        "1 of the missing dates have chunk markers but no rows (deleted or replaced after the build): rebuild them "
        "with `snakemake --cores 2 all --forcerun team_offense_game_summary phase3_day_tables --config start_date=2025-01-22 "
        "end_date=2025-01-22`.")


def test_unexpected_dates_and_duplicate_keys_show_their_rows(tmp_path):
    rows = team_rows(D1, "LAL", "BOS") + team_rows("2025-01-21", "LAL", "BOS")
    rows.append(dict(rows[0]))
    wh = warehouse(tmp_path, {"nba_raw.nbac_schedule": SCHEDULE, TOGS: rows})
    report = gates.check_table(wh, TOGS, [START], START, START + dt.timedelta(days=1))
    assert report.unexpected == ["2025-01-21"] and report.duplicate_keys == 1
    unexpected, dupes = report.remedies[:2]
    assert unexpected == (
        "Rows on 1 dates with no expected game (the schedule changed after they were built, or they are bootstrap "
        "days): see them with `nbaprops sql \"select game_date, count(*) as n from "
        "nba_analytics.team_offense_game_summary where game_date in (date '2025-01-21') group by 1 order by 1\"`; "
        "if the schedule is right, rebuild with `snakemake --cores 2 all --forcerun team_offense_game_summary phase3_day_tables`.")
    assert dupes == (
        "1 primary keys (game_date, team_abbr) occur more than once: see them with `nbaprops sql \"select "
        "game_date, team_abbr, count(*) as n from nba_analytics.team_offense_game_summary where game_date between "
        "date '2025-01-20' and date '2025-01-21' group by game_date, team_abbr having count(*) > 1 order by n desc "
        "limit 20\"`; rebuild with `snakemake --cores 2 all --forcerun team_offense_game_summary phase3_day_tables --config "
        "start_date=2025-01-20 end_date=2025-01-21`.")


def test_the_gate_report_gives_remedies_never_the_old_advice(only_d1, monkeypatch):
    monkeypatch.setitem(gates.PHASE_TABLES, 3, (TOGS,))
    report = gates.check_phase(only_d1, 3, START, END)
    text = gates.format_report(report)
    assert "Re-run the pipeline for the missing chunks" not in text
    assert ("   - nba_analytics.team_offense_game_summary: missing 1: 2025-01-22\n"
            "       → Build the missing dates with `snakemake --cores 2 all --config start_date=2025-01-22 "
            "end_date=2025-01-22`.") in text
    # the game check names each game and what lacks it (no box scores in nba_raw here)
    [missing] = report.findings
    assert (missing.kind, missing.count) == ("missing_game", 2)
    assert missing.examples == [
        "20250120_LAL_BOS on 2025-01-20: BOS not in team_defense/players, LAL not in team_defense/players",
        "20250122_NYK_MIA on 2025-01-22: MIA not in team_offense/team_defense/players, "
        "NYK not in team_offense/team_defense/players"]
    assert report.as_dict()["finding_counts"] == {"error": 1, "warning": 0, "info": 0}
    json.dumps(report.as_dict())  # the gate marker holds the findings


def test_no_game_in_range_says_where_to_look(tmp_path, monkeypatch):
    monkeypatch.setitem(gates.PHASE_TABLES, 3, (TOGS,))
    wh = warehouse(tmp_path, {"nba_raw.nbac_schedule": SCHEDULE})
    text = gates.format_report(gates.check_phase(wh, 3, day("2025-07-01"), day("2025-07-31")))
    assert ("   No expected game dates: the raw schedule has no game in 2025-07-01..2025-07-31. See what it holds "
            "with `nbaprops sql \"select min(game_date) as first, max(game_date) as last, count(*) as games from "
            "nba_raw.nbac_schedule\"`; load the raw data for this range with "
            "`snakemake --cores 2 all --config start_date=2025-07-01 end_date=2025-07-31`.") in text


@pytest.mark.parametrize("entry, message", [
    ({"game_id": "2025-01-20 LAL", "reason": "postponed"},
     "config key 'excluded_games.0.game_id' is '2025-01-20 LAL'; expected the canonical game id "
     "YYYYMMDD_AWAY_HOME, e.g. 20220101_LAL_DEN"),
    ({"game_id": "20250120_LAL_BOS"}, "config entry 'excluded_games.0' is missing a required key: "
                                      "'reason' is a required property"),
    ({"game_id": "20250120_LAL_BOS", "reason": ""},
     "config key 'excluded_games.0.reason' is ''; expected why the game has no box scores, e.g. postponed"),
])
def test_excluded_games_are_validated_in_one_sentence(entry, message):
    with pytest.raises(ConfigError) as err:
        load(overrides={"excluded_games": [entry]})
    assert str(err.value) == message
    assert load(overrides={"excluded_games": [{"game_id": "20250120_LAL_BOS", "reason": "postponed"}]})[
        "excluded_games"] == [{"game_id": "20250120_LAL_BOS", "reason": "postponed"}]


def _config(tmp_path):
    return {"paths": {"markers": str(tmp_path / "markers"), "logs": "logs"}, "excluded_games": []}


def test_status_shows_the_latest_findings_and_what_to_do(only_d1, tmp_path):
    old = Finding("deduplicated_rows", "warning", "an older run", 7, TOGS)
    new = [Finding("missing_game", "error", "1 final game … missing", 1, None, ["20250122_NYK_MIA"]),
           Finding("excluded_game", "info", "listed in reports only", 1)]
    for findings in ([old], new):
        run = RunRecord("gate.phase3", "gate", START, END)
        record(only_d1, run, "failed", summary={"findings": [f.as_dict() for f in findings]})
    state = status.collect(only_d1, _config(tmp_path), START, END, [3])
    assert [f.kind for _, f in state["findings"]] == ["missing_game", "excluded_game"]
    text = status.format_status(state)
    line = next(li for li in text.splitlines() if li.startswith(TOGS))
    assert line.endswith("missing 1: 2025-01-22")
    assert ("Findings: 1 error (latest run of each job)\n"
            "  gate.phase3: [x] 1 final game … missing (e.g. 20250122_NYK_MIA)") in text
    assert "listed in reports only" not in text and "an older run" not in text
    assert not status.is_complete(state)
    # one command for every table's missing dates (the other tables lack both dates)
    assert text.endswith(
        "INCOMPLETE — what to do:\n"
        "  - Build the missing dates with `snakemake --cores 2 all --config start_date=2025-01-20 "
        "end_date=2025-01-22`.\n"
        "  - Read the failed jobs' logs above; once the cause is fixed, `snakemake --cores 2 all` re-runs them.\n"
        "  - Each error finding above names its remedy.")

    page = render_gates(Section(state), {3: {"finding_counts": {"error": 1, "warning": 0}}}, {3: "failed"}, tmp_path)
    assert "findings: 1 error" in page
    assert ('<tr class="bad"><td>error</td><td><span class="ds">gate.</span>phase3</td><td>missing_game</td>'
            '<td class="r">1</td><td>1 final game … missing</td><td>20250122_NYK_MIA</td></tr>') in page
    assert "listed in reports only" in page  # info: in reports
    assert "<td>missing 1: 2025-01-22</td><td>Build the missing dates with" in page
    summary = render_summary(Section(state), Section(), Section(), Section(), {3: "failed"})
    assert '<div class="k">Findings</div><div class="v">1 / 0</div><div class="f">errors / warnings: missing_game' \
        in summary
