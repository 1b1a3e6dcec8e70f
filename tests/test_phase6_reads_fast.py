"""The as-of export's faster reads give the same values: rows from Arrow (arrow_rows) equal rows()
of the pandas result, types included, and the history reads sliced from one read since DAWN
(ExportReads.read_history) equal their own queries."""
import datetime as dt
import math

import duckdb
import pytest
from test_phase6_support import D1, D2, START, league

from nbaprops.exporters.base import arrow_rows, rows
from nbaprops.exporters.reads import DAWN, ExportReads

SQL = """select * from (values
    (1::INTEGER, true, 1.5::DOUBLE, DATE '2022-11-01', DATE '2022-11-02', TIMESTAMP '2022-11-01 19:30', 'a', 3::BIGINT,
     'NaN'::DOUBLE),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, 4::BIGINT, -0.0::DOUBLE))
    t(i, b, f, game_date, first_game, tip, s, n, nan)"""


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    return (math.isnan(a) and math.isnan(b)) if isinstance(a, float) and a != a else a == b


def test_arrow_rows_are_rows_of_the_pandas_result():
    con = duckdb.connect()
    old, new = rows(con.sql(SQL).df()), arrow_rows(con.sql(SQL).to_arrow_table())
    assert len(old) == len(new) == 2
    for o, n in zip(old, new):
        assert list(o) == list(n) and all(same(o[k], n[k]) for k in o), (o, n)
    assert new[0]["i"] == 1 and type(new[0]["i"]) is int and new[1]["i"] is None  # no float for a NULL int
    assert new[0]["game_date"] == dt.date(2022, 11, 1) and type(new[0]["game_date"]) is dt.date
    assert type(new[0]["first_game"]).__name__ == "Timestamp"  # a DATE not named *date, as pandas gives it
    assert new[0]["nan"] is None and new[1]["f"] is None


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return league(tmp_path_factory.mktemp("league"))


def test_history_slices_equal_their_own_queries(wh):
    plain, sliced = ExportReads(wh), ExportReads(wh)
    sliced.read_history(D2)
    for first, last in ((START, D2), (D1, D2), (START, D1), (DAWN, D1), (D2, D2)):
        assert sliced.box_scores(first, last) == plain.box_scores(first, last)
        assert sorted(sliced.graded(first, last), key=repr) == sorted(plain.graded(first, last), key=repr)
        assert sliced.rest_days(first, last) == plain.rest_days(first, last)
    assert sliced.slate_box_scores(D2) == plain.slate_box_scores(D2)
    assert sorted(sliced.box_names(D1), key=repr) == sorted(plain.box_names(D1), key=repr)
    assert [r["player_lookup"] for r in sliced.slate_box_scores(D2)] == ["ann"] * 5 + ["bob"] * 5 + ["cal"] * 5 \
        + ["dan"]
