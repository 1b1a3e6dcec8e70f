"""BigQuery → DuckDB rendering: the silent divergences are patched or refused in one place."""
import datetime as dt

import duckdb
import pytest

from nbaprops.sqlrender import SqlRenderError, to_bigquery, to_duckdb


def run(sql, params=None):
    return duckdb.sql(to_duckdb(sql, params)).fetchall()


def test_date_arithmetic_stays_a_date():
    (row,) = run("select date_sub(@d, interval 7 day), date_add(@d, interval 1 month), date_trunc(@d, month)",
                 {"d": dt.date(2022, 3, 15)})
    assert row == (dt.date(2022, 3, 8), dt.date(2022, 4, 15), dt.date(2022, 3, 1))


def test_parameters_bind_with_types():
    (row,) = run("select @d = date '2022-01-02', @n + 1, @s, @f * 2, @b, array_length(@xs)",
                 {"d": dt.date(2022, 1, 2), "n": 41, "s": "it's", "f": 1.25, "b": True, "xs": [1, 2, 3]})
    assert row == (True, 42, "it's", 2.5, True, 3)


def test_bigquery_functions_agree():
    (row,) = run("select safe_divide(1, 0), safe_divide(6, 3), date_diff(date '2022-01-10', date '2022-01-01', day), "
                 "countif(x > 1) from unnest([1, 2, 3]) as x")
    assert row == (None, 2.0, 9, 2)


@pytest.mark.parametrize("sql, why", [
    ("select extract(dayofweek from date '2022-01-01')", "DAYOFWEEK"),
    ("select cast(1.5 as numeric)", "NUMERIC"),
    ("select x from unnest([1]) as x with offset", "WITH OFFSET"),
    ("select any_value(x) from unnest([1]) as x", "ANY_VALUE"),
])
def test_silent_divergences_are_refused(sql, why):
    with pytest.raises(SqlRenderError, match=why):
        to_duckdb(sql)


def test_missing_parameter_is_named():
    with pytest.raises(SqlRenderError, match="@end_date has no value"):
        to_duckdb("select @end_date", {})


def test_dataset_renaming():
    out = to_bigquery("select * from nba_analytics.t join nba_raw.u on true", {"nba_analytics": "prod_analytics"})
    assert "prod_analytics.t" in out and "nba_raw.u" in out


def test_integer_division_keeps_bigquery_precedence():
    (row,) = run("select div(10 - 4, 2), div(7, 2), mod(7, 2)")
    assert row == (3, 3, 1)


def test_countif_over_only_nulls_is_zero_as_on_bigquery():
    assert run("select countif(x > 1) from unnest([cast(null as int64)]) as x") == [(0,)]
    assert run("select countif(x > 1) over () from unnest([cast(null as int64)]) as x") == [(0,)]
    (row,) = run("select countif(x > 1) from unnest([1, 2, 3]) as x")
    assert row == (2,)
