"""Phase 4 SQL against its contracts on the demo league: declared reads, empty inputs, the gate's
expectations (rows on exactly the non-bootstrap game dates, unique keys, invariants) and
sufficient lookbacks."""
import datetime as dt
import re

import pandas as pd
import pytest
import sqlglot
from sqlglot import exp

from nbaprops.contracts import load_contract
from nbaprops.demo.generate import generate
from nbaprops.gates import PHASE_TABLES, check_table, schedule_dates
from nbaprops.seasons import is_bootstrap, openers_from_dates, season_year
from nbaprops.testing import fixture_warehouse
from test_phase4_support import PHASE4_ORDER, build

START, END = dt.date(2022, 10, 18), dt.date(2022, 11, 9)  # the 2022-23 opener, 14 bootstrap days, then a week


def tables_read(sql: str) -> set[str]:
    tree = sqlglot.parse_one(sql, read="bigquery")
    return {f"{t.db}.{t.name}" for t in tree.find_all(exp.Table) if t.db}


@pytest.mark.parametrize("table", PHASE4_ORDER)
def test_reads_declare_exactly_the_tables_the_sql_reads(table):
    contract = load_contract(table)
    assert tables_read(contract.sql()) == {r.table for r in contract.reads}


@pytest.mark.parametrize("table", PHASE4_ORDER)
def test_runs_on_empty_inputs(tmp_path, table):
    assert build(fixture_warehouse(tmp_path, {}), table, START, END).empty


@pytest.fixture(scope="module")
def demo_raw():
    raw = generate(START, END, seed=2022)
    raw.pop("nba_demo.oracle_player_points")
    return raw


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_raw):
    wh = fixture_warehouse(tmp_path_factory.mktemp("demo"), demo_raw)
    built = {table: build(wh, table, START, END, staging=False) for table in PHASE_TABLES[3] + PHASE4_ORDER}
    return wh, built


def test_demo_dates_are_the_non_bootstrap_game_dates(demo):
    wh, _ = demo
    dates = schedule_dates(wh, START, END)
    openers = openers_from_dates(dates)
    expected = [d for d in dates if not is_bootstrap(d, openers)]
    assert expected[0] == dt.date(2022, 11, 1)  # day 14 from the 2022-10-18 opener
    for table in PHASE4_ORDER:
        report = check_table(wh, table, expected, START, END)
        assert (report.missing, report.unexpected, report.duplicate_keys) == ([], [], 0), table
        assert {i.name: i.sample for i in report.invariants if i.violations} == {}, table


def test_demo_rows_cover_every_rostered_player_and_team(demo):
    _, built = demo
    upgc = built["nba_analytics.upcoming_player_game_context"]
    on_phase4_dates = upgc[pd.to_datetime(upgc.game_date) >= pd.Timestamp("2022-11-01")]
    for table in ("nba_precompute.player_shot_zone_analysis", "nba_precompute.player_composite_factors",
                  "nba_precompute.player_daily_cache", "nba_predictions.ml_feature_store_v2"):
        assert len(built[table]) == len(on_phase4_dates), table
    store = built["nba_predictions.ml_feature_store_v2"]
    assert store.feature_quality_score.between(40, 97).all()
    assert (store.team_win_pct != 0.5).any() and (store.opponent_def_rating != 112.0).any()


@pytest.mark.parametrize("table", PHASE4_ORDER)
def test_declared_lookback_is_enough(tmp_path, demo_raw, demo, table):
    """A chunk built from only the rows its reads declare equals the chunk built from everything."""
    _, built = demo
    start, end = dt.date(2022, 11, 4), dt.date(2022, 11, 8)
    contract = load_contract(table)
    inputs = {}
    for read in contract.reads:
        rows = demo_raw[read.table] if read.table in demo_raw else built[read.table]
        if read.table not in demo_raw:
            first = (dt.date(season_year(start), 7, 1) if read.season_to_date
                     else start - dt.timedelta(days=read.lookback_days))
            dates = pd.to_datetime(rows[load_contract(read.table).date_column]).dt.date
            rows = rows[(dates >= first) & (dates <= end)]
        inputs[read.table] = rows
    alone = build(fixture_warehouse(tmp_path, inputs), table, start, end, staging=False)
    dates = pd.to_datetime(built[table][contract.date_column]).dt.date
    full = built[table][(dates >= start) & (dates <= end)].reset_index(drop=True)
    # a column's pandas dtype depends on whether the slice happens to hold a NULL
    pd.testing.assert_frame_equal(alone, full, check_dtype=False)


@pytest.mark.parametrize("table", PHASE4_ORDER)
def test_no_step_has_duplicate_column_names(tmp_path, table):
    """BigQuery rejects a CTE with two columns of one name (an ambiguous star join); DuckDB silently
    renames the second to name_1, so check every CTE's columns here."""
    sql = load_contract(table).sql()
    wh = fixture_warehouse(tmp_path, {})
    for step in re.findall(r"^(\w+) as \($", sql, re.MULTILINE):
        columns = list(wh.query(sql.replace("select * from final", f"select * from {step} limit 0"),
                                {"start_date": START, "end_date": END}).columns)
        renamed = [c for c in columns if re.fullmatch(r".+_\d+", c) and re.sub(r"_\d+$", "", c) in columns]
        assert not renamed, f"{table}: {step} repeats {renamed}"
