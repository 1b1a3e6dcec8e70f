"""Each system's betting record on a tiny warehouse: like-with-like MAE against the line, fallback rows
apart, pick counts with void picks, hit rate and ROI at stored prices (-110 where none), closing-line
value from the opening and closing consensus lines, and Brier score and calibration of P(over) — the
market columns stood in for by existing columns (the line-aware system's are not merged yet)."""
import datetime as dt

import pytest
from test_phase4_support import row, warehouse
from test_phase5_grading_support import MA, PA, XGB

from nbaprops.report.collect import betting_record
from nbaprops.report.collect.betting_record import betting_record as record

LINES = "nba_staging.player_prop_lines"
CAL = "nba_staging.season_calendar"
Z, A, B = dt.date(2022, 3, 1), dt.date(2022, 11, 1), dt.date(2022, 11, 3)  # seasons 2021-22 and 2022-23


def graded(date, player, system, predicted, actual, recommendation="PASS", line=None, outcome=None, *,
           p_over=None, over_price=None, under_price=None, fallback=False):
    dnp = actual is None
    return row(PA, game_date=date, player_lookup=player, system_id=system, game_id=f"{date:%Y%m%d}_NYK_BOS",
               predicted_points=predicted, recommendation=recommendation if line is not None else "NO_LINE",
               has_prop_line=line is not None, line_value=line, scoring_tier="ROTATION_10_19", is_dnp=dnp,
               actual_points=actual, signed_error=None if dnp else predicted - actual,
               absolute_error=None if dnp else abs(predicted - actual), outcome=outcome, is_fallback=fallback,
               # stand-ins for the market columns (see ``market_columns``)
               confidence_score=p_over, pace_adjustment=over_price, season_points_avg=under_price)


def line(date, player, opening, closing):
    return row(LINES, game_date=date, player_lookup=player, opening_points_line=opening, current_points_line=closing,
               current_points_line_books=3, player_match="exact")


GRADED = [
    # ann: the line rose from 19.5 to 20.5 toward her OVER, a win at -120
    graded(A, "ann", MA, 22.0, 25, "OVER", 20.5, "WIN", p_over=0.6, over_price=-120),
    # bob: the line fell toward his UNDER, a loss at no stored price (-110)
    graded(A, "bob", MA, 9.0, 14, "UNDER", 10.5, "LOSS", p_over=0.2),
    # ann again: a push on an unmoved line at +100 (no over or under: out of Brier)
    graded(B, "ann", MA, 21.0, 20, "OVER", 20.0, "PUSH", p_over=0.5, over_price=100),
    graded(B, "cal", MA, 7.0, None, "UNDER", 8.5),  # did not play: a void pick
    graded(B, "dan", MA, 10.0, 12),  # no line: error only
    graded(A, "ann", XGB, 18.0, 25, "PASS", 20.5, fallback=True, p_over=0.9),
    graded(A, "bob", XGB, 12.0, 14, "PASS", 10.5, p_over=1.0),  # P(over) 1.0 is the top decile
    graded(Z, "eve", MA, 18.0, 20, "OVER", 15.5, "WIN"),  # last season, no opening line stored
]
PROP_LINES = [line(A, "ann", 19.5, 20.5), line(A, "bob", 11.0, 10.5), line(B, "ann", 20.0, 20.0),
              line(B, "cal", 8.5, 8.5)]
CALENDAR = [row(CAL, game_date=d, season_year=2021 if d == Z else 2022) for d in (Z, A, B)]


# the market system's columns are not merged yet: existing columns stand in for them
STAND_INS = {"p_over": "confidence_score", "pick_price": "not_a_column_yet", "over_price": "pace_adjustment",
             "under_price": "season_points_avg"}


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("record"), {PA: GRADED, LINES: PROP_LINES, CAL: CALENDAR})
    return {(r["season"], r["name"]): r for r in record(wh, Z, B, STAND_INS)}


def test_one_row_per_season_and_system(rows):
    assert list(rows) == [("2021-22", MA), ("2022-23", MA), ("2022-23", XGB), ("all", MA), ("all", XGB)]


def test_like_with_like_and_fallbacks_apart(rows):
    ma = rows[("2022-23", MA)]
    assert ma["errors"] == {"games": 4, "mae": 2.75, "lined": {"games": 3, "mae": 3.0, "line_mae": 2.667,
                                                               "mae_minus_line": 0.333, "beats_line": False}}
    assert ma["fallback"]["games"] == 0
    xgb = rows[("2022-23", XGB)]
    assert xgb["errors"] == {"games": 1, "mae": 2.0, "lined": {"games": 1, "mae": 2.0, "line_mae": 3.5,
                                                               "mae_minus_line": -1.5, "beats_line": True}}
    assert xgb["fallback"] == {"games": 1, "mae": 7.0, "lined": {"games": 1, "mae": 7.0, "line_mae": 4.5,
                                                                 "mae_minus_line": 2.5, "beats_line": False}}


def test_picks_hit_rate_and_roi_at_stored_prices(rows):
    ma = rows[("2022-23", MA)]
    assert ma["picks"] == {"graded": 3, "over": 2, "under": 1, "void": 1}
    assert ma["hit_rate"] == {"wins": 1, "losses": 1, "pushes": 1, "hit_rate": 0.5, "low": 0.0945, "high": 0.9055}
    # returns 100/120, -1, 0 (too few picks for an interval: nbaprops.report.betting.ROI_MIN_PICKS)
    assert ma["roi"] == {"picks": 3, "profit": -0.1667, "roi": -0.0556, "low": None, "high": None,
                         "positive_claimed": False, "default_priced": 1}
    assert rows[("2021-22", MA)]["roi"] == {"picks": 1, "profit": 0.9091, "roi": 0.9091, "low": None, "high": None,
                                            "positive_claimed": False, "default_priced": 1}
    assert rows[("all", MA)]["hit_rate"]["wins"] == 2 and rows[("all", MA)]["roi"]["picks"] == 4
    assert rows[("2022-23", XGB)]["picks"] == {"graded": 0, "over": 0, "under": 0, "void": 0}


def test_closing_line_value(rows):
    assert rows[("2022-23", MA)]["clv"] == {"picks": 3, "toward": 2, "against": 0, "unmoved": 1, "toward_rate": 1.0,
                                            "mean_move": 0.5}
    assert rows[("2021-22", MA)]["clv"]["picks"] == 0  # no opening line stored for eve


def test_brier_and_calibration_of_p_over(rows):
    ma = rows[("2022-23", MA)]["probability"]
    assert (ma["games"], ma["brier"]) == (2, 0.4)  # (0.4² + 0.8²) / 2; the push is neither over nor under
    assert [(c["decile"], c["count"], c["mean_predicted"], c["observed_over_rate"]) for c in ma["calibration"]] == \
        [(2, 1, 0.2, 1.0), (6, 1, 0.6, 1.0)]
    xgb = rows[("2022-23", XGB)]["probability"]  # the fallback row's P(over) is left out
    assert (xgb["games"], xgb["brier"], [c["decile"] for c in xgb["calibration"]]) == (1, 0.0, [9])
    assert rows[("2021-22", MA)]["probability"] is None


def test_absent_market_columns_read_as_null():
    sql = betting_record.rows_sql({**betting_record.MARKET_COLUMNS, "p_over": "no_such_column",
                                   "pick_price": "no_such_price"})
    assert "cast(null as float64) as p_over" in sql
    assert "player_prop_predictions_base" not in sql  # no column read from it: no join


def test_market_columns_are_read_from_the_table_declaring_them():
    lines = [line.strip() for line in betting_record.rows_sql().splitlines()]
    assert "predictions.p_over as p_over," in lines  # the market system's P(over), base predictions
    assert "coalesce(predictions.consensus_price_american," in lines  # its pick's consensus price
    assert ("case graded.recommendation when 'OVER' then lines.consensus_over_price_american when 'UNDER' then "
            "lines.consensus_under_price_american end) as price") in lines  # every other system's picks
