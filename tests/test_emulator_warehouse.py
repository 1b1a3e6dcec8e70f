"""Warehouse conformance: the same tests against the embedded DuckDB backend and the BigQuery
backend talking to a real server (bqemulator on 127.0.0.1, started by the tests).

Where the emulator cannot do what BigQuery does, the test says so in a declared skip naming the
divergence (``emulators.DIVERGENCES``); ``test_declared_divergences_still_hold`` keeps each
declaration honest by probing the emulator for it.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from emulators import DIVERGENCES
from emulators.compare import normalised
from emulators.fixtures import bigquery_emulator_fixture  # noqa: F401 (pytest fixture)
from test_bigquery_backend import EVERY_TYPE  # every column type, partitioned and clustered
from nbaprops import runhistory
from nbaprops.contracts import all_contracts, load_contract, parse_contract
from nbaprops.warehouse import bigquery_backend
from nbaprops.warehouse.base import Warehouse, WarehouseError
from nbaprops.warehouse.bigquery_backend import BigQueryWarehouse
from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

pytestmark = pytest.mark.xdist_group("emulators")

DAYS = [dt.date(2024, 1, d) for d in (1, 2, 3, 4, 5)]


def every_type_rows(days, version: int = 1) -> pd.DataFrame:
    rows = []
    for i, day in enumerate(days):
        for name in ("ann", "bob"):
            rows.append({
                "game_date": day, "name": name, "count": i * 10 + version, "share": 0.25 * i + version,
                "flag": name == "ann",
                "at": dt.datetime(2024, 1, 1, 12, 30, tzinfo=dt.timezone.utc) + dt.timedelta(days=i),
                "doc": json.dumps({"v": version, "k": [i, name]}),
                "tags": [name, f"t{i}"], "scores": [0.5 * i, 1.5], "ids": [i, version],
            })
    return pd.DataFrame(rows, columns=EVERY_TYPE.column_names)


# ------------------------------------------------------------------------------- backends
def _datasets() -> set[str]:
    return {c.dataset for c in all_contracts()} | {EVERY_TYPE.dataset}


@pytest.fixture(params=["duckdb", "bigquery"])
def warehouse(request, tmp_path) -> Warehouse:
    """A fresh, empty warehouse of each backend (BigQuery: datasets renamed per test)."""
    if request.param == "duckdb":
        wh = DuckDBWarehouse(tmp_path / "warehouse")
    else:
        emulator = request.getfixturevalue("bigquery_emulator")
        suffix = uuid.uuid4().hex[:8]
        wh = BigQueryWarehouse("test", datasets={d: f"{d}_{suffix}" for d in _datasets()},
                               maximum_bytes_billed=10**12, client=emulator.client())
    yield wh
    wh.close()


def on_emulator(wh: Warehouse) -> bool:
    return wh.backend == "bigquery"


def declared_divergence(name: str) -> None:
    pytest.skip(f"emulator divergence '{name}': {DIVERGENCES[name]}")


def table_rows(wh: Warehouse, contract, where: str = "true") -> pd.DataFrame:
    """The table's rows in a backend-neutral shape: sorted by key, plain Python values."""
    return normalised(wh.query(f"select * from {contract.table} where {where}"), contract)


# ------------------------------------------------------------------------------- ensure_table
@pytest.mark.parametrize("contract", all_contracts(), ids=lambda c: c.table)
def test_ensure_table_creates_every_contract_with_its_schema(warehouse, contract, monkeypatch):
    warehouse.ensure_table(contract)
    empty = warehouse.query(f"select * from {contract.table}")
    assert list(empty.columns) == contract.column_names and empty.empty
    if on_emulator(warehouse):
        # Forget what this process ensured: the second call reads the table back from the server
        # and compares schema, modes, partitioning (and refuses any difference).
        monkeypatch.setattr(bigquery_backend, "_ENSURED", set())
        warehouse.ensure_table(contract)
        table = warehouse.client.get_table(warehouse._table_id(contract))
        assert table.time_partitioning.field == contract.date_column
        assert table.time_partitioning.expiration_ms is None


def test_ensure_table_refuses_a_table_that_differs_from_its_contract(bigquery_emulator):
    client = bigquery_emulator.client()
    dataset = f"nba_test_{uuid.uuid4().hex[:8]}"
    wh = BigQueryWarehouse("test", datasets={"nba_test": dataset}, client=client)
    wh.ensure_table(EVERY_TYPE)
    changed = parse_contract({**_contract_doc(EVERY_TYPE), "columns": [
        *(_column_doc(c) for c in EVERY_TYPE.columns if c.name != "share"),
        {"name": "share", "type": "STRING"}]}, Path("<memory>"))
    bigquery_backend._ENSURED.clear()
    with pytest.raises(WarehouseError, match="column share is FLOAT64 NULLABLE there but STRING NULLABLE"):
        wh.ensure_table(changed)


def _column_doc(c):
    return {"name": c.name, "type": c.type, "mode": "REQUIRED" if c.required else "NULLABLE"}


def _contract_doc(contract) -> dict:
    return {"table": contract.table, "description": contract.description, "grain": contract.grain,
            "date_column": contract.date_column, "primary_key": list(contract.primary_key),
            "cluster_by": list(contract.cluster_by), "columns": [_column_doc(c) for c in contract.columns]}


# ------------------------------------------------------------------------------- replace_range
def test_replace_range_from_a_dataframe_round_trips_every_type(warehouse):
    rows = every_type_rows(DAYS)
    assert warehouse.replace_range(EVERY_TYPE, DAYS[0], DAYS[-1], rows) == len(rows)
    got = table_rows(warehouse, EVERY_TYPE)
    want = normalised(rows, EVERY_TYPE)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_replace_range_is_idempotent_and_keeps_rows_outside_the_range(warehouse):
    warehouse.replace_range(EVERY_TYPE, DAYS[0], DAYS[-1], every_type_rows(DAYS))
    inner = DAYS[1:3]
    for _ in range(2):  # twice: re-running never duplicates
        assert warehouse.replace_range(EVERY_TYPE, inner[0], inner[-1], every_type_rows(inner, version=2)) == 4
    got = table_rows(warehouse, EVERY_TYPE)
    assert len(got) == 10 and not got.duplicated(["game_date", "name"]).any()
    versions = dict(zip(got["game_date"], got["doc"].map(lambda d: d["v"])))
    assert versions == {DAYS[0]: 1, DAYS[1]: 2, DAYS[2]: 2, DAYS[3]: 1, DAYS[4]: 1}


def test_replace_range_with_no_rows_empties_just_that_range(warehouse):
    warehouse.replace_range(EVERY_TYPE, DAYS[0], DAYS[-1], every_type_rows(DAYS))
    assert warehouse.replace_range(EVERY_TYPE, DAYS[2], DAYS[2], every_type_rows([])) == 0
    assert warehouse.dates_present(EVERY_TYPE, DAYS[0], DAYS[-1]) == [DAYS[0], DAYS[1], DAYS[3], DAYS[4]]


def test_replace_range_from_sql_is_idempotent(warehouse):
    warehouse.replace_range(EVERY_TYPE, DAYS[0], DAYS[-1], every_type_rows(DAYS))
    target = parse_contract({**_contract_doc(EVERY_TYPE), "table": "nba_test.derived"}, Path("<memory>"))
    sql = ("select * replace (`count` * 2 as `count`) from nba_test.every_type "
           "where game_date between @start_date and @end_date and `count` >= @least")
    params = {"start_date": DAYS[1], "end_date": DAYS[3], "least": 0}
    for _ in range(2):
        assert warehouse.replace_range(target, DAYS[1], DAYS[3], select_sql=sql, params=params) == 6
    got = table_rows(warehouse, target)
    assert sorted(set(got["game_date"])) == DAYS[1:4]
    assert list(got["count"]) == [22, 22, 42, 42, 62, 62]


def test_out_of_range_rows_are_refused_and_nothing_changes(warehouse):
    warehouse.replace_range(EVERY_TYPE, DAYS[0], DAYS[-1], every_type_rows(DAYS))
    before = table_rows(warehouse, EVERY_TYPE)
    with pytest.raises(WarehouseError, match="outside the range"):
        warehouse.replace_range(EVERY_TYPE, DAYS[1], DAYS[2], every_type_rows(DAYS[1:4], version=3))
    # From SQL that forgets its date filter: BigQuery's in-script guard raises ERROR() after the
    # DELETE ran, so this also proves the transaction rolled the DELETE back.
    sql = "select * from nba_test.every_type where game_date >= @start_date"
    guard_message = "outside the range|Invalid type specifier" if on_emulator(warehouse) else "outside the range"
    with pytest.raises(WarehouseError, match=guard_message):  # emulator: declared divergence 'format_t'
        warehouse.replace_range(EVERY_TYPE, DAYS[1], DAYS[2], select_sql=sql, params={"start_date": DAYS[1]})
    pd.testing.assert_frame_equal(table_rows(warehouse, EVERY_TYPE), before)


def test_rows_that_break_the_contract_are_refused_naming_the_column(warehouse):
    rows = every_type_rows(DAYS[:1]).assign(name=None)
    with pytest.raises(WarehouseError, match="every_type.name is REQUIRED"):
        warehouse.replace_range(EVERY_TYPE, DAYS[0], DAYS[0], rows)


# ------------------------------------------------------------------------------- append, dates, query
def test_append_writes_run_history_with_json_columns(warehouse):
    contract = load_contract(runhistory.TABLE)
    runs = [runhistory.RunRecord("nba_analytics.player_game_summary", "phase_3_analytics", DAYS[0], DAYS[1], "c1")
            for _ in range(2)]
    assert warehouse.append(contract, runs[0].row("success", 7, warehouse.backend, summary={"dates": 2})) == 1
    assert warehouse.append(contract, runs[1].row("failed", None, warehouse.backend,
                                                  errors=[{"error_type": "X", "error_message": "boom"}])) == 1
    got = warehouse.query(
        "select status, records_processed, json_value(summary, '$.dates') as dates, "
        "json_value(errors, '$[0].error_message') as message, data_date "
        "from nba_reference.processor_run_history order by status desc")
    assert got["status"].tolist() == ["success", "failed"]
    assert got["dates"].tolist()[0] == "2" and got["message"].tolist()[1] == "boom"
    assert got["records_processed"].tolist()[0] == 7 and pd.isna(got["records_processed"].tolist()[1])
    assert set(pd.to_datetime(got["data_date"]).dt.date) == {DAYS[1]}


def test_bigquery_append_retried_after_a_lost_response_adds_nothing(bigquery_emulator):
    """The same rows appended twice (what a retry does when the first INSERT's response was lost)
    are stored once: the INSERT skips primary keys the table already holds."""
    contract = load_contract(runhistory.TABLE)
    wh = BigQueryWarehouse("test", datasets={contract.dataset: f"{contract.dataset}_{uuid.uuid4().hex[:8]}"},
                           client=bigquery_emulator.client())
    rows = [runhistory.RunRecord(f"nba_test.t{i}", "p", DAYS[i], DAYS[i]).row("success", i, "bigquery")
            for i in range(3)]
    rows = pa.concat_tables(rows) if isinstance(rows[0], pa.Table) else pd.concat(rows, ignore_index=True)
    wh.append(contract, rows)
    wh.append(contract, rows)
    wh.append(contract, rows[:1])
    assert len(wh.query(f"select run_id from {contract.table}")) == 3


def test_dates_present_lists_distinct_dates_in_the_range(warehouse):
    warehouse.replace_range(EVERY_TYPE, DAYS[0], DAYS[-1], every_type_rows([DAYS[0], DAYS[2], DAYS[4]]))
    assert warehouse.dates_present(EVERY_TYPE, DAYS[1], DAYS[4]) == [DAYS[2], DAYS[4]]
    assert warehouse.dates_present(EVERY_TYPE, dt.date(2030, 1, 1), dt.date(2030, 2, 1)) == []


def test_query_binds_every_parameter_type(warehouse):
    warehouse.replace_range(EVERY_TYPE, DAYS[0], DAYS[-1], every_type_rows(DAYS))
    got = warehouse.query(
        "select name, count(*) as n, sum(share) as total from nba_test.every_type "
        "where game_date between @start_date and @end_date and name in unnest(@names) "
        "and `count` >= @least and share < @below and flag = @flag and name != @other "
        "group by name order by name",
        {"start_date": DAYS[1], "end_date": DAYS[3], "names": ["ann", "zed"], "least": 11, "below": 9.5,
         "flag": True, "other": "bob"})
    assert got.to_dict("records") == [{"name": "ann", "n": 3, "total": pytest.approx(4.5)}]


def test_a_bad_query_fails_naming_the_problem(warehouse):
    with pytest.raises(Exception, match="(?i)no_such_table|not found|does not exist"):
        warehouse.query("select * from nba_test.no_such_table")


# ------------------------------------------------------------------------------- BigQuery only
def test_dry_run_estimates_without_running(bigquery_emulator):
    wh = BigQueryWarehouse("test", datasets={"nba_test": f"nba_test_{uuid.uuid4().hex[:8]}"},
                           client=bigquery_emulator.client())
    wh.replace_range(EVERY_TYPE, DAYS[0], DAYS[-1], every_type_rows(DAYS))
    estimate = wh.estimate_bytes("select * from nba_test.every_type where game_date = @d", {"d": DAYS[0]})
    assert isinstance(estimate, int) and estimate >= 0
    if estimate == 0:
        declared_divergence("dry_run_bytes")


def test_declared_divergences_still_hold(bigquery_emulator):
    """Each declared divergence is still real; if one disappears, drop its declaration."""
    from google.cloud import bigquery

    client = bigquery_emulator.client()
    dataset = f"probe_{uuid.uuid4().hex[:8]}"
    client.create_dataset(dataset)
    client.query(f"create table `{dataset}.t` (d DATE, x INT64) partition by d").result()
    client.query(f"insert into `{dataset}.t` values (date '2024-01-01', 1)").result()
    dry = client.query(f"select * from `{dataset}.t`", job_config=bigquery.QueryJobConfig(dry_run=True))
    assert (dry.total_bytes_processed or 0) == 0, "dry runs now report bytes: drop 'dry_run_bytes'"
    assert client.query_and_wait("select * from no_such_dataset.t").total_rows in (0, None), \
        "query_and_wait now raises: drop 'query_and_wait_errors'"
    # 'parameter_binding' is corrected at start-up (bqemu_launch.py): check the correction holds
    # for a script and for a statement whose comment names its parameters.
    day = bigquery.ScalarQueryParameter("day", "DATE", DAYS[0])
    script = client.query(f"DECLARE n INT64 DEFAULT 0; SET n = (SELECT count(*) FROM `{dataset}.t` WHERE d = @day);"
                          " SELECT n;", job_config=bigquery.QueryJobConfig(query_parameters=[day])).result()
    assert [row[0] for row in script] == [1]
    commented = client.query(f"-- rows dated @day\nSELECT count(*) FROM `{dataset}.t` WHERE d = @day",
                             job_config=bigquery.QueryJobConfig(query_parameters=[day])).result()
    assert [row[0] for row in commented] == [1]
    # 'round_float_ties' is corrected at start-up (bqemu_launch.py): check the correction holds.
    rounded = client.query("SELECT ROUND(CAST(30 AS INT64) + CAST(57 AS INT64) / 60, 1) AS r, "
                           "ROUND(2.5) AS half, ROUND(-2.5) AS minus_half").result()
    assert [tuple(row.values()) for row in rounded] == [(30.9, 3.0, -3.0)]
    with pytest.raises(Exception, match="(?i)invalid type specifier|invalid format string"):
        client.query("SELECT FORMAT('%t', DATE '2024-01-01')").result()
    with pytest.raises(Exception, match="(?i)invalid table"):
        client.load_table_from_file(io.BytesIO(b'{"d": "2024-01-02", "x": 2}\n'), f"test.{dataset}.t$20240102",
                                    job_config=bigquery.LoadJobConfig(
                                        write_disposition="WRITE_TRUNCATE",
                                        source_format="NEWLINE_DELIMITED_JSON")).result()
