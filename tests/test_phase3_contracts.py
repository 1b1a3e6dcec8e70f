"""Phase 3 SQL against its contracts: declared reads, empty inputs, a demo-league range (types,
REQUIRED columns, keys, invariants, expected dates), sufficient lookbacks, and point-in-time
correctness of the pre-game tables (D1, D12)."""
import datetime as dt

import pandas as pd
import pytest
import sqlglot
from sqlglot import exp

from nbaprops.catalogue import POSTGAME_TABLES
from nbaprops.contracts import load_contract
from nbaprops.demo.generate import generate
from nbaprops.gates import check_table, schedule_dates
from nbaprops.testing import fixture_warehouse
from test_phase3_fixtures import DAG_ORDER, PGS, UPGC, UTGC, build

START, END = dt.date(2022, 10, 18), dt.date(2022, 11, 3)   # crosses the 2022-23 opener
STATIC_DATASETS = ("nba_reference", "nba_static")


def tables_read(sql: str) -> set[str]:
    tree = sqlglot.parse_one(sql, read="bigquery")
    return {f"{t.db}.{t.name}" for t in tree.find_all(exp.Table) if t.db}


@pytest.mark.parametrize("table", DAG_ORDER)
def test_reads_declare_exactly_the_tables_the_sql_reads(table):
    contract = load_contract(table)
    assert tables_read(contract.sql()) == {r.table for r in contract.reads}


@pytest.mark.parametrize("table", DAG_ORDER)
def test_runs_on_empty_inputs(tmp_path, table):
    wh = fixture_warehouse(tmp_path, {})
    assert build(wh, table, START, END).empty


@pytest.fixture(scope="module")
def demo_raw():
    raw = generate(START, END, seed=2021)
    raw.pop("nba_demo.oracle_player_points")
    return raw


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory, demo_raw):
    wh = fixture_warehouse(tmp_path_factory.mktemp("demo"), demo_raw)
    built = {table: build(wh, table, START, END, staging=False) for table in DAG_ORDER}
    return wh, built


@pytest.mark.parametrize("table", DAG_ORDER)
def test_demo_range_meets_the_contract_and_the_gate(demo_warehouse, table):
    wh, built = demo_warehouse
    expected = schedule_dates(wh, START, END)
    report = check_table(wh, table, expected, START, END)
    assert report.rows == len(built[table]) > 0
    assert not report.missing and not report.unexpected
    assert report.duplicate_keys == 0
    assert {i.name: i.sample for i in report.invariants if i.violations} == {}


def test_demo_range_has_two_team_rows_per_final_game(demo_warehouse):
    wh, built = demo_warehouse
    games = wh.query("select count(distinct game_id) as n from nba_raw.nbac_schedule "
                     "where game_date between @start_date and @end_date and game_status = 3",
                     {"start_date": START, "end_date": END})["n"].iloc[0]
    for table in ("nba_analytics.team_offense_game_summary", "nba_analytics.team_defense_game_summary", UTGC):
        assert len(built[table]) == 2 * games


def test_the_graded_line_is_the_pre_game_line(demo_warehouse):
    """One consensus (nba_staging.player_prop_lines): player_game_summary grades against the line
    upcoming_player_game_context showed before the game."""
    _, built = demo_warehouse
    graded = built[PGS].dropna(subset=["points_line"])
    shown = built[UPGC].set_index(["game_date", "player_lookup"])
    shown = shown.loc[list(zip(graded.game_date, graded.player_lookup))]
    assert len(graded) > 100
    assert graded.points_line.tolist() == shown.current_points_line.tolist()
    assert graded.points_line_books.tolist() == shown.current_points_line_books.tolist()


def _window(frame: pd.DataFrame, column: str, first: dt.date, last: dt.date) -> pd.DataFrame:
    dates = pd.to_datetime(frame[column]).dt.date
    return frame[(dates >= first) & (dates <= last)]


@pytest.mark.parametrize("table", DAG_ORDER)
def test_declared_lookback_is_enough(tmp_path, demo_raw, demo_warehouse, table):
    """A chunk built from only the rows its reads declare (dates in [start - lookback, end])
    equals the chunk built from everything."""
    _, built = demo_warehouse
    start, end = dt.date(2022, 10, 29), dt.date(2022, 11, 2)
    contract = load_contract(table)
    inputs = {}
    for read in contract.reads:
        rows = demo_raw[read.table] if read.table in demo_raw else built[read.table]
        if read.table.split(".")[0] not in STATIC_DATASETS:
            column = load_contract(read.table).date_column
            rows = _window(rows, column, start - dt.timedelta(days=read.lookback_days), end)
        inputs[read.table] = rows
    alone = build(fixture_warehouse(tmp_path, inputs), table, start, end, staging=False)
    full = _window(built[table], contract.date_column, start, end).reset_index(drop=True)
    # a column's pandas dtype depends on whether the slice happens to hold a NULL
    pd.testing.assert_frame_equal(alone, full, check_dtype=False)


PRE_GAME_TABLES = [t for t in DAG_ORDER if t not in POSTGAME_TABLES]


def _rows_on(frame: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    return _window(frame, "game_date", day, day).reset_index(drop=True)


@pytest.mark.parametrize("change", ["rewrite", "delete"])
def test_pre_game_tables_ignore_the_dates_own_results(tmp_path, demo_raw, demo_warehouse, change):
    """D1/D12: rewriting every box score, play and final score of D — or deleting D's gamebook, box
    scores, team box scores and play-by-play and making its games scheduled again — changes the
    game summaries of D but none of D's pre-game rows (calendar, rosters, prop lines, contexts)."""
    _, built = demo_warehouse
    d = dt.date(2022, 11, 1)
    changed = {name: frame.copy() for name, frame in demo_raw.items()}

    def on_d(frame, column="game_date"):
        return pd.to_datetime(frame[column]).dt.date == d

    sched = changed["nba_raw.nbac_schedule"]
    if change == "rewrite":
        book = changed["nba_raw.nbac_gamebook_player_stats"]
        active = on_d(book) & (book.player_status == "active")
        book.loc[active, "minutes"] = "48:00"
        book.loc[active, ["points", "free_throws_made", "free_throws_attempted"]] += 2
        book.loc[on_d(book) & ~active, "player_lookup"] += "x"   # other players on D's gamebook
        bdl_rows = changed["nba_raw.bdl_player_boxscores"]
        bdl_rows.loc[on_d(bdl_rows), ["points", "free_throws_made", "free_throws_attempted"]] += 2
        box = changed["nba_raw.nbac_team_boxscore"]
        box.loc[on_d(box), ["points", "ft_made", "ft_attempted"]] += 10
        box.loc[on_d(box), "minutes"] = "265:00"
        flip = on_d(sched)
        sched.loc[flip, ["home_team_score", "away_team_score"]] = (
            sched.loc[flip, ["away_team_score", "home_team_score"]].to_numpy())
        sched.loc[flip, "winning_team_tricode"] = None
        pbp = changed["nba_raw.bigdataball_play_by_play"]
        changed["nba_raw.bigdataball_play_by_play"] = pbp[~on_d(pbp)]
    else:   # the morning of D: its games scheduled, nothing of them loaded
        for name in ("nba_raw.nbac_gamebook_player_stats", "nba_raw.bdl_player_boxscores",
                     "nba_raw.nbac_team_boxscore", "nba_raw.bigdataball_play_by_play"):
            changed[name] = changed[name][~on_d(changed[name])]
        sched.loc[on_d(sched), "game_status"] = 1
        sched.loc[on_d(sched), ["home_team_score", "away_team_score", "winning_team_tricode"]] = None
        props = changed["nba_raw.odds_api_player_points_props"]
        changed["nba_raw.odds_api_player_points_props"] = props[~on_d(props) | (props.minutes_before_tipoff >= 0)]

    wh = fixture_warehouse(tmp_path, changed)
    rebuilt = {table: build(wh, table, START, d, staging=False) for table in DAG_ORDER}

    assert not _rows_on(rebuilt[PGS], d).equals(_rows_on(built[PGS], d))
    for table in PRE_GAME_TABLES:
        assert len(_rows_on(built[table], d)) > 0, table
        pd.testing.assert_frame_equal(_rows_on(rebuilt[table], d), _rows_on(built[table], d), check_dtype=False,
                                      obj=table)
