"""The accuracy report on a tiny warehouse: exact per-season and overall numbers for the systems, the
tier-adjusted ensemble, the bookmaker line and the oracle, the checks, and the Markdown/JSON renderings."""
import datetime as dt
import json

import pytest
from test_phase4_support import row, warehouse
from test_phase5_grading_support import ENS, ETA, MA, ORACLE, PA

from nbaprops.report.collect.accuracy import LINE, TIER_ADJUSTED, accuracy_report
from nbaprops.report.render.accuracy_text import accuracy_text, format_markdown

A, B = dt.date(2022, 3, 1), dt.date(2022, 11, 1)  # seasons 2021-22 and 2022-23


def graded(date, player, system, predicted, actual, line=None, recommendation=None, outcome=None):
    dnp = actual is None
    return row(PA, game_date=date, player_lookup=player, system_id=system, game_id=f"{date:%Y%m%d}_NYK_BOS",
               predicted_points=predicted, recommendation=recommendation or ("NO_LINE" if line is None else "PASS"),
               has_prop_line=line is not None, line_value=line, scoring_tier="ROTATION_10_19", is_dnp=dnp,
               actual_points=actual, signed_error=None if dnp else predicted - actual,
               absolute_error=None if dnp else abs(predicted - actual), outcome=outcome)


def applied(date, player, predicted, adjusted, actual, line=None, outcome=None):
    dnp = actual is None
    return row(ETA, game_date=date, player_lookup=player, system_id=ENS, game_id=f"{date:%Y%m%d}_NYK_BOS",
               predicted_points=predicted, recommendation="OVER", line_value=line, scoring_tier="ROTATION_10_19",
               tier_adjustment=adjusted - predicted, adjustment_sample_size=20, adjusted_points=adjusted,
               adjusted_recommendation="OVER", is_dnp=dnp, actual_points=actual,
               adjusted_signed_error=None if dnp else adjusted - actual,
               adjusted_absolute_error=None if dnp else abs(adjusted - actual), adjusted_outcome=outcome)


GRADED = [
    graded(A, "ann", ENS, 22.0, 25, 20.5, "OVER", "WIN"), graded(A, "bob", ENS, 10.0, 14),
    graded(A, "cal", ENS, 8.0, None, 7.5, "OVER"),
    graded(A, "ann", MA, 26.0, 25, 20.5, "OVER", "WIN"), graded(A, "bob", MA, 14.0, 14),
    graded(B, "ann", ENS, 20.0, 20, 20.0, "OVER", "PUSH"), graded(B, "dan", ENS, 15.0, 9, 12.5, "OVER", "LOSS"),
    graded(B, "ann", MA, 18.0, 20, 20.0, "UNDER", "PUSH"), graded(B, "dan", MA, 12.0, 9, 12.5, "UNDER", "WIN"),
]
APPLIED = [
    applied(A, "ann", 22.0, 23.5, 25, 20.5, "WIN"), applied(A, "bob", 10.0, 11.0, 14), applied(A, "cal", 8.0, 8.0, None),
    applied(B, "ann", 20.0, 20.0, 20, 20.0), applied(B, "dan", 15.0, 14.0, 9, 12.5, "LOSS"),
]
ORACLE_ROWS = [row(ORACLE, game_date=d, player_lookup=p, team_abbr="BOS", expected_points=e)
               for d, p, e in ((A, "ann", 24.0), (A, "bob", 13.0), (A, "cal", 9.0), (B, "ann", 19.0),
                               (B, "dan", 10.0), (B, "eve", 30.0))]


# Seasons come from the schedule, through the season calendar (nbaprops.seasons).
CAL = "nba_staging.season_calendar"
CALENDAR_ROWS = [row(CAL, game_date=A, season_year=2021),
                 row(CAL, game_date=B, season_year=2022)]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("report"),
                   {PA: GRADED, ETA: APPLIED, ORACLE: ORACLE_ROWS, CAL: CALENDAR_ROWS})
    return accuracy_report(wh, A, B)


def find(report, season, name):
    (found,) = [r for r in report["rows"] if r["season"] == season and r["name"] == name]
    return found


def metrics(r):
    return r["n"], r["mae"], r["bias"], r["within_3_pct"], r["within_5_pct"], r["line_games"], r["mae_on_line_games"]


def bets(r):
    return r["bets"] and (r["bets"]["wins"], r["bets"]["losses"], r["bets"]["pushes"], r["bets"]["hit_rate"])


def test_rows_per_season_in_order(report):
    assert report["seasons"] == ["2021-22", "2022-23", "all"]
    assert [r["name"] for r in report["rows"] if r["season"] == "all"] == [MA, ENS, TIER_ADJUSTED, LINE, "oracle"]
    assert {r["kind"] for r in report["rows"] if r["name"] in (LINE, "oracle")} == {"reference"}


def test_first_season_exact(report):
    assert metrics(find(report, "2021-22", MA)) == (2, 0.5, 0.5, 1.0, 1.0, 1, 1.0)
    assert bets(find(report, "2021-22", MA)) == (1, 0, 0, 1.0)
    assert metrics(find(report, "2021-22", ENS)) == (2, 3.5, -3.5, 0.5, 1.0, 1, 3.0)  # cal did not play
    assert metrics(find(report, "2021-22", TIER_ADJUSTED)) == (2, 2.25, -2.25, 1.0, 1.0, 1, 1.5)
    assert metrics(find(report, "2021-22", LINE)) == (1, 4.5, -4.5, 0.0, 1.0, 1, 4.5)
    assert bets(find(report, "2021-22", LINE)) is None
    assert metrics(find(report, "2021-22", "oracle")) == (2, 1.0, -1.0, 1.0, 1.0, 1, 1.0)


def test_second_season_pushes_apart(report):
    assert bets(find(report, "2022-23", MA)) == (1, 0, 1, 1.0)
    assert bets(find(report, "2022-23", ENS)) == (0, 1, 1, 0.0)
    assert bets(find(report, "2022-23", TIER_ADJUSTED)) == (0, 1, 0, 0.0)
    assert metrics(find(report, "2022-23", ENS)) == (2, 3.0, 3.0, 0.5, 0.5, 2, 3.0)
    assert metrics(find(report, "2022-23", TIER_ADJUSTED)) == (2, 2.5, 2.5, 0.5, 1.0, 2, 2.5)
    assert metrics(find(report, "2022-23", LINE)) == (2, 1.75, 1.75, 0.5, 1.0, 2, 1.75)
    assert metrics(find(report, "2022-23", "oracle")) == (2, 1.0, 0.0, 1.0, 1.0, 2, 1.0)  # eve was not predicted


def test_all_seasons_pool_the_sums(report):
    assert metrics(find(report, "all", MA)) == (4, 1.5, 0.5, 1.0, 1.0, 3, 2.0)
    assert bets(find(report, "all", MA)) == (2, 0, 1, 1.0)
    assert metrics(find(report, "all", ENS)) == (4, 3.25, -0.25, 0.5, 0.75, 3, 3.0)
    assert bets(find(report, "all", ENS)) == (1, 1, 1, 0.5)
    assert metrics(find(report, "all", TIER_ADJUSTED)) == (4, 2.375, 0.125, 0.75, 1.0, 3, 2.167)
    assert metrics(find(report, "all", LINE)) == (3, 2.667, -0.333, 0.3333, 1.0, 3, 2.667)
    assert metrics(find(report, "all", "oracle")) == (4, 1.0, -0.5, 1.0, 1.0, 3, 1.0)


def test_checks(report):
    assert report["checks"]["all"] == {
        "tier_adjusted_mae_change": -0.875, "tier_adjusted_beats_unadjusted": True,
        "ensemble_v1_beats_moving_average": False,
        "ensemble_mae_excess_over_oracle": 2.25, "ensemble_within_8pct_of_oracle": False,
        # like with like: 2.0 and 3.0 on the three lined games where the line's MAE is 2.667
        f"{ENS}_beats_line_on_its_lined_games": False, f"{MA}_beats_line_on_its_lined_games": True,
    }


def test_fallback_rows_are_left_out_of_a_system_and_in_its_betting_record(tmp_path):
    fallback = dict(graded(A, "eve", ENS, 30.0, 10), is_fallback=True)
    report = accuracy_report(warehouse(tmp_path, {PA: [*GRADED, fallback], CAL: CALENDAR_ROWS}), A, B)
    assert find(report, "all", ENS)["n"] == 4  # as without eve
    (record,) = [b for b in report["betting"] if b["season"] == "all" and b["name"] == ENS]
    assert (record["errors"]["games"], record["fallback"]["games"], record["fallback"]["mae"]) == (4, 1, 20.0)


def test_no_oracle_rows_without_the_oracle(tmp_path):
    report = accuracy_report(warehouse(tmp_path, {PA: GRADED, ETA: APPLIED, CAL: CALENDAR_ROWS}), A, B)
    assert "oracle" not in {r["name"] for r in report["rows"]}
    assert "ensemble_mae_excess_over_oracle" not in report["checks"]["all"]


def test_empty_range(tmp_path):
    report = accuracy_report(warehouse(tmp_path, {PA: GRADED, CAL: CALENDAR_ROWS}), dt.date(2023, 1, 1), dt.date(2023, 1, 31))
    assert (report["rows"], report["seasons"]) == ([], [])
    assert "No graded predictions" in format_markdown(report)


def test_markdown_and_json(report):
    text = format_markdown(report)
    assert "## Season 2021-22" in text and "## All seasons" in text
    assert f"| {ENS} | 4 | 3.250 | -0.250 | 50.0% | 75.0% | 50.0% | 1–1–1 | 3.000 (3) |" in text
    assert f"| {LINE} | 3 | 2.667 | -0.333 | 33.3% | 100.0% | – | – | 2.667 (3) |" in text
    assert json.loads(accuracy_text(report, "json"))["seasons"] == ["2021-22", "2022-23", "all"]
