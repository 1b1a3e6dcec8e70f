"""The rendered-SQL cache: exactly sqlrender's output for any values, and no sqlglot on a hit."""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nbaprops import sqlcache, sqlrender
from nbaprops.catalogue import PHASE_TABLES
from nbaprops.contracts import load_contract

SQL_TABLES = [t for tables in PHASE_TABLES.values() for t in tables if load_contract(t).has_sql]
FIRST = {"start_date": dt.date(2024, 1, 5), "end_date": dt.date(2024, 1, 9)}
LATER = {"start_date": dt.date(2025, 12, 31), "end_date": dt.date(2026, 1, 4)}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache" / "sql"
    monkeypatch.setenv("NBAPROPS_CACHE", str(folder.parent))
    sqlcache._MEMO.clear()
    yield folder
    sqlcache._MEMO.clear()


@pytest.mark.parametrize("table", SQL_TABLES)
def test_every_table_sql_renders_from_the_cache_exactly_as_sqlglot_does(cache, table):
    sql = load_contract(table).sql()
    assert sqlcache.render(sql, FIRST) == (sqlrender.to_duckdb(sql, FIRST), sqlrender.referenced_tables(sql))
    assert len(list(cache.glob("*.json"))) == 1
    sqlcache._MEMO.clear()  # a later job: the entry comes from disk, filled with other dates
    assert sqlcache.render(sql, LATER)[0] == sqlrender.to_duckdb(sql, LATER)


def test_each_kind_of_parameter(cache):
    sql = ("select @d as d, date_sub(@d, interval 3 day) as d3, @t as t, @s as s, @n as n, @b as b, @z as z "
           "from nba_raw.nbac_schedule")
    params = {"d": dt.date(2024, 2, 29), "t": dt.datetime(2024, 2, 29, 19, 30), "s": "LAL", "n": 7, "b": True,
              "z": None}
    text, tables = sqlcache.render(sql, params)
    assert text == ("SELECT CAST('2024-02-29' AS DATE) AS d, CAST(CAST('2024-02-29' AS DATE) - INTERVAL '3' DAY AS DATE)"
                    " AS d3, CAST('2024-02-29T19:30:00' AS TIMESTAMP) AS t, 'LAL' AS s, 7 AS n, TRUE AS b, NULL AS z "
                    "FROM nba_raw.nbac_schedule")
    assert tables == ["nba_raw.nbac_schedule"]
    other = {**params, "d": dt.date(2023, 1, 1), "s": "BOS"}
    assert sqlcache.render(sql, other)[0] == sqlrender.to_duckdb(sql, other)
    # integers, booleans and NULL are part of the key: another value is another entry
    sqlcache.render(sql, {**params, "n": 8})
    assert len(list(cache.glob("*.json"))) == 2


def test_values_that_are_not_placeholders_safe_are_rendered_and_not_cached(cache):
    sql = "select @s as s, @f as f"
    assert sqlcache.render(sql, {"s": "O'Neal", "f": 0.5})[0] == "SELECT 'O''Neal' AS s, 0.5 AS f"
    assert sqlcache.render(sql, {"s": "it's", "f": 1})[0] == "SELECT 'it''s' AS s, 1 AS f"
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_a_new_renderer_never_reads_an_old_entry(cache, monkeypatch):
    sql = "select @d as d"
    sqlcache.render(sql, {"d": dt.date(2024, 1, 1)})
    monkeypatch.setattr(sqlcache, "renderer_version", lambda: "another-renderer")
    sqlcache.render(sql, {"d": dt.date(2024, 1, 1)})
    assert len(list(cache.glob("*.json"))) == 2


def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NBAPROPS_CACHE", str(blocker / "cache"))
    sqlcache._MEMO.clear()
    sql = load_contract(SQL_TABLES[0]).sql()
    assert sqlcache.render(sql, FIRST)[0] == sqlrender.to_duckdb(sql, FIRST)


def test_a_cached_statement_runs_without_importing_sqlglot(cache, tmp_path):
    sql = load_contract(SQL_TABLES[0]).sql()
    sqlcache.render(sql, FIRST)
    script = (f"import datetime as dt, sys\nfrom nbaprops import sqlcache\nfrom nbaprops.contracts import load_contract\n"
              f"sqlcache.render(load_contract({SQL_TABLES[0]!r}).sql(), {{'start_date': dt.date(2026, 1, 4), "
              f"'end_date': dt.date(2026, 1, 4)}})\nprint('sqlglot' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "NBAPROPS_CACHE": str(cache.parent)}, cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "False"
