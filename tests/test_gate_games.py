"""The Phase 3 gate checks games, not just dates: hand-made raw rows built through the real SQL.

Two final games on 2025-01-20, with numbers chosen so every sum is worked out by hand:

* LAL @ BOS, 105-112: team box score for both teams, five gamebook players a side
  (BOS 4 x 22 + 24 = 112, LAL 5 x 21 = 105);
* NYK @ MIA, 90-100: gamebook only (NYK 5 x 18 = 90, MIA 5 x 20 = 100), teams reconstructed.

Points are free throws only, so each row's points add up (the contracts' invariants hold).
"""
from __future__ import annotations

import pandas as pd
import pytest

from nbaprops import gates
from nbaprops.checks import dedupes, games, run_checks
from nbaprops.contracts import load_contract
from nbaprops.testing import fixture_warehouse
from test_phase3_fixtures import CALENDAR, PGS, TDGS, TOGS, build, day, gamebook, schedule, team_box, warehouse

D = "2025-01-20"
START = END = day(D)
BOX_SCORE_TABLES = (TOGS, TDGS, PGS)


def box(team, opponent, is_home, points, **kw):
    return team_box(D, team, opponent, is_home, points=points, fgm=0, fga=0, tpm=0, tpa=0, ftm=points,
                    fta=points, oreb=10, dreb=30, tov=12, **kw)


def players(team, away, home, points, date=D, **kw):
    return [gamebook(date, f"{team.lower()}{i}", team, away, home, points=p, ftm=p, fta=p, **kw)
            for i, p in enumerate(points)]


def raw(*, lal_score=105, bos_players=(22, 22, 22, 22, 24), mia=True, nyk=True, swap=False, extra=()):
    """The two games' raw rows; ``swap`` gives the box scores BOS @ LAL while the schedule says LAL @ BOS,
    ``mia``/``nyk`` False leave that team's box scores out."""
    away, home = ("BOS", "LAL") if swap else ("LAL", "BOS")
    rows = {
        "nba_raw.nbac_schedule": [
            schedule(D, "LAL", "BOS", away_score=lal_score, home_score=112, nba_game_id="0022400561"),
            schedule(D, "NYK", "MIA", away_score=90, home_score=100, nba_game_id="0022400562"),
        ],
        "nba_raw.nbac_team_boxscore": [box("BOS", "LAL", not swap, 112), box("LAL", "BOS", swap, 105)],
        "nba_raw.nbac_gamebook_player_stats": [
            *players("BOS", away, home, bos_players), *players("LAL", away, home, [21] * 5),
            *(players("NYK", "NYK", "MIA", [18] * 5) if nyk else []),
            *(players("MIA", "NYK", "MIA", [20] * 5) if mia else []),
        ],
    }
    for table, more in extra:
        rows[table] = rows.get(table, []) + list(more)
    return rows


def built(tmp_path, tables, start=START, end=END):
    wh = warehouse(tmp_path, tables)
    for table in BOX_SCORE_TABLES:
        build(wh, table, start, end)
    return wh


def by_kind(findings):
    return {f.kind: f for f in findings}


@pytest.fixture
def box_score_gate(monkeypatch):
    """The Phase 3 gate over the three box-score tables only (the others are not built here)."""
    monkeypatch.setitem(gates.PHASE_TABLES, 3, BOX_SCORE_TABLES)


def test_complete_games_give_no_findings(tmp_path, box_score_gate):
    wh = built(tmp_path, raw())
    report = gates.check_phase(wh, 3, START, END)
    assert report.findings == []
    assert report.ok, gates.format_report(report)


def test_a_game_missing_one_team_fails_the_gate_naming_game_and_date(tmp_path, box_score_gate):
    wh = built(tmp_path, raw(mia=False))  # no MIA box score anywhere: NYK cannot be reconstructed alone
    report = gates.check_phase(wh, 3, START, END)
    assert all(t.missing == [] for t in report.tables)  # every date is there: a date check sees nothing
    assert not report.ok
    [missing] = report.findings
    assert (missing.kind, missing.severity, missing.count) == ("missing_game", "error", 1)
    assert missing.examples == ["20250120_NYK_MIA on 2025-01-20: MIA not in team_offense/team_defense/players, "
                                "NYK not in team_offense/team_defense"]
    assert missing.message.startswith("1 final game of the schedule without box scores in nba_raw "
                                      "(nbac_team_boxscore, nbac_gamebook_player_stats, bdl_player_boxscores) "
                                      "and so missing from Phase 3: 20250120_NYK_MIA.")
    assert "declare it in config excluded_games with a reason" in missing.message
    text = gates.format_report(report)
    # player_game_summary's own invariant sees the one-sided game too, and says how to look at it
    assert "❌ PHASE 3 IS INCOMPLETE: 1 of 3 tables need attention, 1 checks failed." in text
    assert ("       → Invariant players_on_both_sides_of_each_game is violated by 1 rows of "
            "nba_analytics.player_game_summary: see them with `nbaprops sql \"select * from (select game_id from "
            "nba_analytics.player_game_summary where game_date between date '2025-01-20' and date '2025-01-20' "
            "group by game_id having count(distinct team_abbr) <> 2 ) as v limit 20\"`.") in text
    assert "   - missing_game (1): 1 final game of the schedule" in text
    assert "Re-run the pipeline" not in text
    assert gates.failure_sentence(report) == (
        "phase 3 gate failed for 2025-01-20..2025-01-20: nba_analytics.player_game_summary (invariant "
        "players_on_both_sides_of_each_game (1)); missing_game (1). What to do is under SUMMARY in the gate report.")


def test_a_game_in_raw_but_not_built_names_the_rebuild_and_the_raw_rows(tmp_path):
    built(tmp_path, raw(mia=False))
    # MIA's gamebook rows arrive after the build, spelled with a status the staging filters out
    wh = warehouse(tmp_path, {"nba_raw.nbac_gamebook_player_stats": raw()["nba_raw.nbac_gamebook_player_stats"][:15]
                              + players("MIA", "NYK", "MIA", [20] * 5, status="Active")})
    [missing] = games.missing_games(wh, START, END, {})
    assert missing.message.startswith("1 final game with box-score rows in nba_raw but missing from Phase 3: "
                                      "20250120_NYK_MIA. Rebuild their dates with `snakemake --cores 2 all "
                                      "--forcerun player_boxscores phase3_day_tables team_offense_game_summary --config "
                                      "start_date=2025-01-20 end_date=2025-01-20`;")
    assert ("`nbaprops sql \"select 'gamebook' as source, player_status, count(*) as n from "
            "nba_raw.nbac_gamebook_player_stats where game_date = date '2025-01-20' and team_abbr in ('NYK', 'MIA') "
            "group by 1, 2 union all") in missing.message


def test_an_excluded_game_is_listed_with_its_reason_and_expected_nowhere(tmp_path, monkeypatch):
    # the season calendar follows the schedule, not the box scores: it holds the excluded game's date
    monkeypatch.setitem(gates.PHASE_TABLES, 3, (CALENDAR, *BOX_SCORE_TABLES))
    forfeited = schedule("2025-01-21", "CHI", "DEN", away_score=0, home_score=1, nba_game_id="0022400563")
    wh = built(tmp_path, raw(mia=False, nyk=False, extra=[("nba_raw.nbac_schedule", [forfeited])]),
               END, day("2025-01-21"))
    build(wh, CALENDAR, START, day("2025-01-21"), staging=False)
    assert wh.dates_present(load_contract(CALENDAR), START, day("2025-01-21")) == [START, day("2025-01-21")]
    options = {"excluded_games": [{"game_id": "20250120_NYK_MIA", "reason": "postponed"},
                                  {"game_id": "20250121_CHI_DEN", "reason": "forfeited"},
                                  {"game_id": "20250120_PHX_GSW", "reason": "typo"}]}
    report = gates.check_phase(wh, 3, START, day("2025-01-21"), options)
    assert report.ok, gates.format_report(report)
    assert report.expected_dates == 1  # 2025-01-21's only game is excluded
    calendar = report.tables[0]
    assert (calendar.present, calendar.expected, calendar.unexpected) == (1, 1, [])  # nor is it unexpected
    listed, unknown = report.findings
    assert (listed.kind, listed.severity, listed.count) == ("excluded_game", "info", 3)
    assert listed.message == ("Config excluded_games excludes 3 games of this range, expected in no table: "
                              "20250120_NYK_MIA (postponed), 20250120_PHX_GSW (typo), 20250121_CHI_DEN (forfeited).")
    assert (unknown.kind, unknown.severity, unknown.examples) == ("excluded_game_not_scheduled", "warning",
                                                                  ["20250120_PHX_GSW"])
    assert "(1 warning above)" in gates.format_report(report)


def test_team_points_that_do_not_add_up_are_counted(tmp_path, box_score_gate):
    # BOS's players score 110 against the team box score's 112; the schedule gives LAL 104, the box 105
    wh = built(tmp_path, raw(lal_score=104, bos_players=(22, 22, 22, 22, 22)))
    report = gates.check_phase(wh, 3, START, END)
    assert report.ok  # warnings pass
    found = by_kind(report.findings)
    players_sum, score = found["team_points_mismatch"], found["team_score_mismatch"]
    assert (players_sum.severity, players_sum.count) == ("warning", 1)
    assert players_sum.examples == ["20250120_LAL_BOS BOS: team 112, players 110 (nbac_team_boxscore)"]
    assert (score.severity, score.count) == ("warning", 1)
    assert score.examples == ["20250120_LAL_BOS LAL: team 105, schedule 104"]
    assert "See them with `nbaprops sql \"select team.game_id" in players_sum.message
    assert "between date '2025-01-20' and date '2025-01-20'" in players_sum.message


def test_home_and_away_swapped_against_the_schedule_is_named(tmp_path, box_score_gate):
    wh = built(tmp_path, raw(swap=True))
    report = gates.check_phase(wh, 3, START, END)
    assert not report.ok
    [swapped] = [f for f in report.findings if f.severity == "error"]
    assert (swapped.kind, swapped.count) == ("game_id_mismatch", 1)
    assert swapped.examples == ["20250120_LAL_BOS appears as 20250120_BOS_LAL in player_game_summary (10 rows), "
                                "team_defense_game_summary (2 rows), team_offense_game_summary (2 rows)"]
    assert swapped.message.startswith("1 scheduled game under another game_id in Phase 3 "
                                      "(20250120_LAL_BOS appears as 20250120_BOS_LAL):")


def test_a_row_of_a_team_without_a_scheduled_game_is_named(tmp_path):
    wh = built(tmp_path, raw())
    wh.replace_range(*_without_schedule_game(wh, "0022400562"))
    found = by_kind(games.game_id_mismatches(wh, START, END, {}))
    assert found["unscheduled_game"].examples == [
        "20250120_NYK_MIA on 2025-01-20 in player_game_summary (10 rows), team_defense_game_summary (2 rows), "
        "team_offense_game_summary (2 rows)"]


def _without_schedule_game(wh, nba_game_id):
    contract = load_contract("nba_raw.nbac_schedule")
    rows = wh.query(f"select * from {contract.table} where game_id <> '{nba_game_id}'")
    return contract, START, END, rows


def test_every_dedupe_is_counted(tmp_path):
    loaded_twice = [box("BOS", "LAL", True, 110, processed_at="2025-01-21 05:00")]
    bos0_twice = players("BOS", "LAL", "BOS", [22], processed_at="2025-01-21 05:00")
    wh = built(tmp_path, raw(extra=[("nba_raw.nbac_team_boxscore", loaded_twice),
                                    ("nba_raw.nbac_gamebook_player_stats", bos0_twice)]))
    found = {f.table: f for f in dedupes.dedupe_counts(wh, START, END, {})}
    # (the pre-game context no longer reads the date's box scores, D12: nothing of its own to count)
    assert set(found) == {TOGS, PGS}
    team = found[TOGS]
    assert (team.kind, team.severity, team.count) == ("deduplicated_rows", "warning", 1)
    assert team.examples == ["2025-01-20 BOS (2 rows)"]
    assert team.message == ("team_offense_game_summary dropped 1 duplicate row: of the input rows sharing a key "
                            "(game_date, team_abbr; 1 key) only the first by processed_at desc, game_id is kept. "
                            "A source that loaded a game or a player twice is the usual cause; if the copies "
                            "differ, remove the wrong one from the raw source.")
    assert (found[PGS].count, found[PGS].examples) == (1, ["2025-01-20 bos0 (2 rows)"])
    # the gate's checks report them as warnings (the kept rows are the latest loads, so the points add up)
    assert {(f.kind, f.severity) for f in run_checks(wh, 3, START, END)} == {("deduplicated_rows", "warning")}


def test_each_dedupe_names_a_deduplicating_cte_of_its_model():
    for table, cte in dedupes.DEDUPES:
        sql, keys, kept = dedupes.dedupe_sql(table, cte)
        assert keys[0] == "game_date" and kept.startswith("processed_at desc")
    with pytest.raises(ValueError, match="no CTE named 'nope'"):
        dedupes.dedupe_sql(TOGS, "nope")


def test_stale_schedule_compares_game_dates_and_their_state(tmp_path, monkeypatch):
    """D12: a scheduled date is a game date like a final one; the loaded schedule is stale when a
    date's state (all final, or not) differs from the source's."""
    from nbaprops import plan
    from nbaprops.checks import raw as raw_checks

    loaded = [schedule("2025-01-20", "LAL", "BOS", away_score=100, home_score=110, nba_game_id="0022400561"),
              schedule("2025-01-21", "LAL", "MIA", status=1, nba_game_id="0022400570")]
    wh = fixture_warehouse(tmp_path, {"nba_raw.nbac_schedule": pd.DataFrame(loaded)})
    options = {"raw": {"source": "files"}, "excluded_games": []}

    def source(statuses):
        return lambda config: pd.DataFrame({"game_date": [day("2025-01-20"), day("2025-01-21")],
                                            "season_year": [2024, 2024], "game_status": statuses,
                                            "game_id": ["0022400561", "0022400570"], "game_key": [None, None]})

    monkeypatch.setattr(plan, "schedule_games", source([3, 1]))
    assert raw_checks.stale_schedule(wh, START, day("2025-01-21"), options) == []
    monkeypatch.setattr(plan, "schedule_games", source([3, 3]))   # the 01-21 game went final since the load
    (stale,) = raw_checks.stale_schedule(wh, START, day("2025-01-21"), options)
    assert (stale.kind, stale.severity, stale.examples) == ("stale_raw_schedule", "error", ["2025-01-21"])
    assert "1 date(s) changed between scheduled and final" in stale.message
