"""BigQueryWarehouse against a recording fake client: the SQL, schemas, jobs and retries it
produces. What only a server can show (the SQL runs, the transaction rolls back, loads succeed)
belongs to the emulator conformance suite."""
from __future__ import annotations

import datetime as dt
import functools
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from google.api_core import exceptions as api
from google.cloud import bigquery

from nbaprops.contracts import all_contracts, load_contract, parse_contract
from nbaprops.warehouse import bigquery_backend, open_warehouse
from nbaprops.warehouse import retry as retry_module
from nbaprops.warehouse.base import Warehouse, WarehouseError
from nbaprops.warehouse.bigquery_backend import BigQueryWarehouse, query_parameters, table_definition

START, END = dt.date(2024, 1, 1), dt.date(2024, 1, 31)
RANGE_PARAMS = {"start_date": START, "end_date": END}

EVERY_TYPE = parse_contract({
    "table": "nba_test.every_type",
    "description": "one row per thing",
    "grain": "one row per thing per day",
    "date_column": "game_date",
    "primary_key": ["game_date", "name"],
    "cluster_by": ["name", "count", "flag", "at"],
    "columns": [
        {"name": "game_date", "type": "DATE", "mode": "REQUIRED", "description": "the day"},
        {"name": "name", "type": "STRING", "mode": "REQUIRED"},
        {"name": "count", "type": "INT64"},
        {"name": "share", "type": "FLOAT64"},
        {"name": "flag", "type": "BOOL"},
        {"name": "at", "type": "TIMESTAMP"},
        {"name": "doc", "type": "JSON"},
        {"name": "tags", "type": "ARRAY<STRING>"},
        {"name": "scores", "type": "ARRAY<FLOAT64>"},
        {"name": "ids", "type": "ARRAY<INT64>"},
    ],
}, Path("<memory>"))

SIMPLE = parse_contract({
    "table": "nba_raw.simple",
    "description": "a small table",
    "grain": "one row per player per game date",
    "date_column": "game_date",
    "primary_key": ["game_date", "player"],
    "columns": [
        {"name": "game_date", "type": "DATE", "mode": "REQUIRED"},
        {"name": "player", "type": "STRING", "mode": "REQUIRED"},
        {"name": "points", "type": "INT64"},
    ],
}, Path("<memory>"))

CONFIG = {"backend": "bigquery", "bigquery": {
    "project": "proj", "location": "EU", "datasets": {"nba_raw": "prod_raw", "nba_analytics": "nba_analytics"},
    "maximum_bytes_billed": 10**9, "max_attempts": 3, "labels": {"app": "nbaprops"}}}


# ------------------------------------------------------------------------------- the fake
class FakeJob:
    def __init__(self, outcome, total_bytes_processed=None):
        self.outcome = outcome
        self.total_bytes_processed = total_bytes_processed
        self.result_kwargs = None

    def result(self, **kwargs):
        self.result_kwargs = kwargs
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return FakeRows(self.outcome)


class FakeRows:
    def __init__(self, table: pa.Table):
        self.table = table

    def to_arrow(self):
        return self.table

    def to_dataframe(self):
        return self.table.to_pandas()


class FakeClient:
    """Records every call. Query and load outcomes are queued per call: an Arrow table of rows,
    or an exception that the job's result() raises; with none queued a job returns one row (0)."""

    project = "proj"

    def __init__(self, datasets=(), tables=()):
        self.calls: list[tuple[str, str]] = []
        self.jobs: list[SimpleNamespace] = []
        self.query_outcomes: list = []
        self.load_outcomes: list = []
        self.datasets = {d.dataset_id: d for d in datasets}
        self.tables = {f"{t.project}.{t.dataset_id}.{t.table_id}": t for t in tables}
        self.created: list = []
        self.loaded: dict[str, pa.Table] = {}
        self.closed = False

    def query(self, sql, job_config=None, job_id_prefix=None, location=None, job_retry="client default"):
        self.calls.append(("query", sql))
        outcome = self.query_outcomes.pop(0) if self.query_outcomes else pa.table({"n": [0]})
        job = FakeJob(outcome, total_bytes_processed=12345 if job_config.dry_run else None)
        self.jobs.append(SimpleNamespace(kind="query", sql=sql, config=job_config, prefix=job_id_prefix,
                                         location=location, job_retry=job_retry, job=job))
        return job

    def query_and_wait(self, *args, **kwargs):
        raise AssertionError("query_and_wait swallows job errors on the emulator; use query().result()")

    def get_dataset(self, dataset_id):
        self.calls.append(("get_dataset", dataset_id))
        if dataset_id.split(".")[-1] not in self.datasets:
            raise api.NotFound(f"Not found: Dataset {dataset_id}", errors=[{"reason": "notFound"}])
        return self.datasets[dataset_id.split(".")[-1]]

    def create_dataset(self, dataset, exists_ok=False):
        self.calls.append(("create_dataset", dataset.dataset_id))
        self.created.append(dataset)
        self.datasets[dataset.dataset_id] = dataset
        return dataset

    def get_table(self, table_id):
        self.calls.append(("get_table", table_id))
        if table_id not in self.tables:
            raise api.NotFound(f"Not found: Table {table_id}", errors=[{"reason": "notFound"}])
        return self.tables[table_id]

    def create_table(self, table, exists_ok=False):
        table_id = f"{table.project}.{table.dataset_id}.{table.table_id}"
        self.calls.append(("create_table", table_id))
        assert exists_ok, "create_table must be idempotent"
        self.created.append(table)
        self.tables[table_id] = table
        return table

    def delete_table(self, table, not_found_ok=False):
        self.calls.append(("delete_table", table))
        assert not_found_ok
        self.tables.pop(table, None)

    def load_table_from_file(self, file_obj, destination, job_config=None, job_id_prefix=None, location=None):
        self.calls.append(("load", destination))
        self.loaded[destination] = pq.read_table(file_obj)
        outcome = self.load_outcomes.pop(0) if self.load_outcomes else pa.table({})
        job = FakeJob(outcome)
        self.jobs.append(SimpleNamespace(kind="load", destination=destination, config=job_config,
                                         prefix=job_id_prefix, location=location, job=job))
        return job

    def close(self):
        self.closed = True

    def queries(self):
        return [j for j in self.jobs if j.kind == "query"]


@pytest.fixture(autouse=True)
def fresh_process_cache(monkeypatch):
    """Each test starts as a new process would: nothing ensured yet, and no real sleeping."""
    monkeypatch.setattr(bigquery_backend, "_ENSURED", set())
    sleeps: list[float] = []
    monkeypatch.setattr(bigquery_backend, "run_with_retry",
                        functools.partial(retry_module.run_with_retry, sleep=sleeps.append, rng=lambda: 1.0))
    return sleeps


def warehouse(client=None, **overrides) -> tuple[BigQueryWarehouse, FakeClient]:
    client = client or FakeClient()
    config = {**CONFIG, "bigquery": {**CONFIG["bigquery"], **overrides}}
    return BigQueryWarehouse.from_config(config, client=client), client


def ensured(client: FakeClient) -> FakeClient:
    """Forget the calls that created datasets and tables, to look at what follows."""
    client.calls.clear()
    client.created.clear()
    return client


def simple_rows(*dates: str) -> pd.DataFrame:
    return pd.DataFrame({"game_date": [dt.date.fromisoformat(d) for d in dates],
                         "player": [f"p{i}" for i in range(len(dates))], "points": list(range(len(dates)))})


def params_of(job) -> dict[str, tuple]:
    out = {}
    for p in job.config.query_parameters:
        repr_ = p.to_api_repr()
        out[p.name] = (repr_["parameterType"]["type"], repr_["parameterType"].get("arrayType", {}).get("type"),
                       p.values if hasattr(p, "values") else p.value)
    return out


# ------------------------------------------------------------------------------- construction
def test_importing_the_backend_does_not_import_the_client_library():
    code = ("import sys, nbaprops.warehouse, nbaprops.warehouse.bigquery_backend, nbaprops.warehouse.retry; "
            "print(sorted(m for m in sys.modules if m.startswith(('google.cloud.bigquery', 'google.api_core'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_missing_client_library_gives_a_helpful_error(monkeypatch):
    import google.cloud

    monkeypatch.delattr(google.cloud, "bigquery")
    monkeypatch.setitem(sys.modules, "google.cloud.bigquery", None)
    with pytest.raises(WarehouseError, match="google-cloud-bigquery.*make install"):
        BigQueryWarehouse.from_config(CONFIG)


def test_from_config_requires_a_project_and_names_the_key():
    for section in ({}, {"project": None}, {"location": "US"}):
        with pytest.raises(WarehouseError, match=r"bigquery\.project"):
            BigQueryWarehouse.from_config({"bigquery": section}, client=FakeClient())
    with pytest.raises(WarehouseError, match=r"bigquery\.project"):
        BigQueryWarehouse.from_config({}, client=FakeClient())


def test_from_config_defaults_and_factory():
    wh = BigQueryWarehouse.from_config({"bigquery": {"project": "proj"}}, client=FakeClient())
    assert (wh.location, wh.max_attempts, wh.maximum_bytes_billed) == ("US", 8, None)
    assert wh.datasets == {} and wh.labels == {}
    assert isinstance(wh, Warehouse) and wh.backend == "bigquery"
    wh, _ = warehouse()
    assert wh.datasets == {"nba_raw": "prod_raw"}  # identity entries dropped
    assert (wh.location, wh.max_attempts, wh.maximum_bytes_billed) == ("EU", 3, 10**9)


def test_open_warehouse_builds_the_client_from_the_environment(monkeypatch):
    built = {}

    class Client(FakeClient):
        def __init__(self, project, location):
            super().__init__()
            built.update(project=project, location=location)

    monkeypatch.setattr(bigquery, "Client", Client)
    wh = open_warehouse(CONFIG)
    assert isinstance(wh, BigQueryWarehouse) and built == {"project": "proj", "location": "EU"}
    wh.close()
    assert wh.client.closed


def test_missing_credentials_say_how_to_provide_them(monkeypatch):
    import google.auth.exceptions

    def no_credentials(**kwargs):
        raise google.auth.exceptions.DefaultCredentialsError("Your default credentials were not found")

    monkeypatch.setattr(bigquery, "Client", no_credentials)
    with pytest.raises(WarehouseError, match="GOOGLE_APPLICATION_CREDENTIALS.*application-default login"):
        BigQueryWarehouse.from_config(CONFIG)


def test_invalid_labels_are_rejected_naming_the_key():
    with pytest.raises(WarehouseError, match=r"bigquery\.labels.*'App'"):
        warehouse(labels={"App": "nbaprops"})


def test_close_leaves_an_injected_client_open():
    wh, client = warehouse()
    wh.close()
    assert not client.closed


# ------------------------------------------------------------------------------- schema
def test_schema_maps_every_contract_type_mode_partitioning_and_clustering():
    table = table_definition(EVERY_TYPE, "proj.nba_test.every_type").to_api_repr()
    fields = {f["name"]: (f["type"], f["mode"]) for f in table["schema"]["fields"]}
    assert fields == {
        "game_date": ("DATE", "REQUIRED"), "name": ("STRING", "REQUIRED"), "count": ("INT64", "NULLABLE"),
        "share": ("FLOAT64", "NULLABLE"), "flag": ("BOOL", "NULLABLE"), "at": ("TIMESTAMP", "NULLABLE"),
        "doc": ("JSON", "NULLABLE"), "tags": ("STRING", "REPEATED"), "scores": ("FLOAT64", "REPEATED"),
        "ids": ("INT64", "REPEATED"),
    }
    assert table["schema"]["fields"][0]["description"] == "the day"
    assert table["timePartitioning"] == {"type": "DAY", "field": "game_date"}  # no expirationMs (D9)
    assert table["clustering"] == {"fields": ["name", "count", "flag", "at"]}
    assert table["description"] == "one row per thing"


def test_staging_schema_is_nullable_with_json_as_string():
    fields = {f.name: (f.field_type, f.mode) for f in bigquery_backend.schema_fields(EVERY_TYPE, staging=True)}
    assert fields["doc"] == ("STRING", "NULLABLE")
    assert fields["game_date"] == ("DATE", "NULLABLE") and fields["tags"] == ("STRING", "REPEATED")


@pytest.mark.parametrize("change,problem", [
    ({"cluster_by": ["name", "count", "flag", "at", "game_date"]}, "BigQuery allows 4"),
    ({"cluster_by": ["share"]}, "cluster_by column share is FLOAT64"),
    ({"cluster_by": ["tags"]}, "cluster_by column tags is ARRAY<STRING>"),
    ({"date_column": "at"}, "date_column at is TIMESTAMP"),
])
def test_contracts_bigquery_cannot_build_are_refused_with_the_reason(change, problem):
    doc = {"table": "nba_test.bad", "grain": "g", "primary_key": ["game_date"], "date_column": "game_date",
           "columns": [{"name": c.name, "type": c.type} for c in EVERY_TYPE.columns], **change}
    with pytest.raises(WarehouseError, match=problem):
        table_definition(parse_contract(doc, Path("<memory>")), "proj.nba_test.bad")


@pytest.mark.parametrize("contract", all_contracts(), ids=lambda c: c.table)
def test_every_contract_becomes_a_valid_partitioned_table(contract):
    wh, client = warehouse()
    wh.ensure_table(contract)
    created = [t for t in client.created if isinstance(t, bigquery.Table)]
    assert len(created) == 1
    table = json.loads(json.dumps(created[0].to_api_repr()))  # serialisable as the API request
    expected_dataset = CONFIG["bigquery"]["datasets"].get(contract.dataset, contract.dataset)
    assert table["tableReference"] == {"projectId": "proj", "datasetId": expected_dataset,
                                       "tableId": contract.name}
    fields = {f["name"]: f for f in table["schema"]["fields"]}
    assert list(fields) == contract.column_names
    for col in contract.columns:
        field = fields[col.name]
        assert field["type"] in {"STRING", "INT64", "FLOAT64", "BOOL", "DATE", "TIMESTAMP", "JSON"}
        if col.type.startswith("ARRAY<"):
            assert field["mode"] == "REPEATED"
        else:
            assert field["mode"] == ("REQUIRED" if col.required else "NULLABLE")
        assert len(field.get("description", "")) <= 1024
    assert table["timePartitioning"] == {"type": "DAY", "field": contract.date_column}
    assert fields[contract.date_column]["type"] == "DATE" and fields[contract.date_column]["mode"] != "REPEATED"
    clustering = table.get("clustering", {}).get("fields", [])
    assert clustering == list(contract.cluster_by) and len(clustering) <= 4
    assert all(fields[f]["type"] in {"STRING", "INT64", "BOOL", "DATE", "TIMESTAMP"} for f in clustering)


# ------------------------------------------------------------------------------- ensure_table
def test_ensure_table_creates_dataset_then_table_once_per_process():
    wh, client = warehouse()
    wh.ensure_table(SIMPLE)
    assert client.calls == [("get_dataset", "proj.prod_raw"), ("create_dataset", "prod_raw"),
                            ("get_table", "proj.prod_raw.simple"), ("create_table", "proj.prod_raw.simple")]
    assert client.created[0].location == "EU"
    wh.ensure_table(SIMPLE)
    other, _ = warehouse(client)  # another warehouse in the same process
    other.ensure_table(SIMPLE)
    assert len(client.calls) == 4  # no metadata calls in loops (5 table updates per 10 s)


def test_ensure_table_accepts_a_matching_table_without_writing():
    existing = table_definition(SIMPLE, "proj.prod_raw.simple")
    existing._properties["schema"]["fields"][2]["type"] = "INTEGER"  # the API answers legacy type names
    client = FakeClient(datasets=[bigquery.Dataset("proj.prod_raw")], tables=[existing])
    client.datasets["prod_raw"].location = "EU"
    wh, _ = warehouse(client)
    wh.ensure_table(SIMPLE)
    assert [c[0] for c in client.calls] == ["get_dataset", "get_table"]


def test_ensure_table_refuses_a_table_that_differs_from_its_contract():
    existing = bigquery.Table("proj.prod_raw.simple", schema=[
        bigquery.SchemaField("game_date", "DATE", mode="REQUIRED"),
        bigquery.SchemaField("player", "STRING"),
        bigquery.SchemaField("extra", "STRING"),
    ])
    existing.time_partitioning = bigquery.TimePartitioning(field="game_date", expiration_ms=86_400_000)
    client = FakeClient(datasets=[bigquery.Dataset("proj.prod_raw")], tables=[existing])
    wh, _ = warehouse(client, location="US")
    with pytest.raises(WarehouseError) as info:
        wh.ensure_table(SIMPLE)
    message = str(info.value)
    for part in ("column points is missing", "column player is STRING NULLABLE there but STRING REQUIRED",
                 "column extra is not in the contract", "partitions expire", "D9", "Migrate the table"):
        assert part in message


@pytest.mark.parametrize("setting,problem", [
    ({"location": "US"}, "it is in US but `bigquery.location` is EU"),
    ({"location": "EU", "default_partition_expiration_ms": 86_400_000}, "default table or partition expiration"),
])
def test_ensure_table_refuses_an_unsuitable_dataset(setting, problem):
    dataset = bigquery.Dataset("proj.prod_raw")
    for key, value in setting.items():
        setattr(dataset, key, value)
    wh, _ = warehouse(FakeClient(datasets=[dataset]))
    with pytest.raises(WarehouseError, match=problem):
        wh.ensure_table(SIMPLE)


# ------------------------------------------------------------------------------- replace_range
SELECT = "select game_date, player, points from nba_raw.upstream where game_date between @start_date and @end_date"
RENDERED = ("SELECT game_date, player, points FROM prod_raw.upstream "  # datasets renamed per config
            "WHERE game_date BETWEEN @start_date AND @end_date")

EXPECTED_SCRIPT = f"""\
DECLARE rows_written INT64 DEFAULT 0;
BEGIN TRANSACTION;
DELETE FROM `proj.prod_raw.simple` WHERE `game_date` BETWEEN @nbaprops_range_start AND @nbaprops_range_end;
INSERT INTO `proj.prod_raw.simple` (`game_date`, `player`, `points`)
SELECT `game_date`, `player`, `points`
FROM (
{RENDERED}
)
WHERE IF(`game_date` BETWEEN @nbaprops_range_start AND @nbaprops_range_end, TRUE, ERROR(FORMAT('nba_raw.simple: \
a new row dated %t lies outside the range %t..%t being replaced; the SELECT must return only rows whose game_date \
lies between its start_date and end_date', `game_date`, @nbaprops_range_start, @nbaprops_range_end)));
SET rows_written = (SELECT COUNT(*) FROM `proj.prod_raw.simple` WHERE `game_date` BETWEEN @nbaprops_range_start \
AND @nbaprops_range_end);
COMMIT TRANSACTION;
SELECT rows_written;
"""


def test_replace_range_from_sql_is_one_guarded_transaction():
    wh, client = warehouse()
    wh.ensure_table(SIMPLE)
    client = ensured(client)
    client.query_outcomes = [pa.table({"rows_written": [42]})]
    written = wh.replace_range(SIMPLE, START, END, select_sql=SELECT, params=RANGE_PARAMS)
    assert written == 42
    assert client.calls == [("query", EXPECTED_SCRIPT)]  # one job: DELETE + guarded INSERT + COMMIT
    job = client.jobs[0]
    assert params_of(job) == {
        "start_date": ("DATE", None, START), "end_date": ("DATE", None, END),
        "nbaprops_range_start": ("DATE", None, START), "nbaprops_range_end": ("DATE", None, END)}
    assert job.prefix == "nbaprops_nba_raw_simple_replace_" and job.location == "EU"
    assert job.job_retry is None and job.job.result_kwargs == {"job_retry": None}


def test_replace_range_ensures_the_table_first():
    wh, client = warehouse()
    wh.replace_range(SIMPLE, START, END, select_sql=SELECT, params=RANGE_PARAMS)
    assert [c[0] for c in client.calls] == ["get_dataset", "create_dataset", "get_table", "create_table", "query"]


def test_replace_range_refuses_reserved_parameter_names_and_ambiguous_input():
    wh, client = warehouse()
    with pytest.raises(ValueError, match="reserved"):
        wh.replace_range(SIMPLE, START, END, select_sql=SELECT, params={"nbaprops_range_start": START})
    with pytest.raises(ValueError, match="exactly one"):
        wh.replace_range(SIMPLE, START, END, simple_rows("2024-01-02"), select_sql=SELECT)
    with pytest.raises(ValueError, match="exactly one"):
        wh.replace_range(SIMPLE, START, END)
    assert client.calls == []


def test_replace_range_from_dataframe_stages_then_swaps_in_one_transaction():
    wh, client = warehouse()
    wh.ensure_table(SIMPLE)
    client = ensured(client)
    client.query_outcomes = [pa.table({"rows_written": [2]})]
    before = dt.datetime.now(dt.timezone.utc)
    written = wh.replace_range(SIMPLE, START, END, simple_rows("2024-01-02", "2024-01-31"))
    assert written == 2
    kinds = [c[0] for c in client.calls]
    assert kinds == ["create_table", "load", "query", "delete_table"]
    staging = client.calls[0][1]
    assert staging.startswith("proj.prod_raw.simple__staging_") and client.calls[1][1] == staging
    assert client.calls[3] == ("delete_table", staging)
    staged = client.created[0]
    assert dt.timedelta(minutes=59) < staged.expires - before <= dt.timedelta(hours=1, seconds=5)
    load = [j for j in client.jobs if j.kind == "load"][0]
    assert load.config.source_format == "PARQUET" and load.config.write_disposition == "WRITE_TRUNCATE"
    assert load.config.parquet_options.enable_list_inference is True
    assert load.prefix == "nbaprops_nba_raw_simple_load_" and load.location == "EU"
    assert client.loaded[staging].to_pydict() == {
        "game_date": [dt.date(2024, 1, 2), dt.date(2024, 1, 31)], "player": ["p0", "p1"], "points": [0, 1]}
    script = client.calls[2][1]
    expected = EXPECTED_SCRIPT.replace(RENDERED, f"SELECT `game_date`, `player`, `points` FROM `{staging}`")
    assert script == expected


@pytest.mark.parametrize("failing,error,calls", [
    ("query_outcomes", api.BadRequest("Syntax error", errors=[{"reason": "invalidQuery"}]),
     ["create_table", "load", "query", "delete_table"]),
    ("load_outcomes", api.BadRequest("Error while reading data", errors=[{"reason": "invalid"}]),
     ["create_table", "load", "delete_table"]),
], ids=["swap fails", "load fails"])
def test_dataframe_path_drops_staging_even_on_failure(failing, error, calls):
    wh, client = warehouse()
    wh.ensure_table(SIMPLE)
    client = ensured(client)
    setattr(client, failing, [error])
    with pytest.raises(WarehouseError, match=error.errors[0]["reason"]):
        wh.replace_range(SIMPLE, START, END, simple_rows("2024-01-02"))
    assert [c[0] for c in client.calls] == calls
    assert not any("__staging_" in t for t in client.tables)


def test_out_of_range_dataframe_rows_raise_before_any_call():
    wh, client = warehouse()
    outside = r"2024-01-02\.\.2024-02-01 fall outside the range 2024-01-01\.\.2024-01-31"
    with pytest.raises(WarehouseError, match=outside):
        wh.replace_range(SIMPLE, START, END, simple_rows("2024-01-02", "2024-02-01"))
    assert client.calls == []


def test_rows_that_break_the_contract_raise_before_any_call():
    wh, client = warehouse()
    with pytest.raises(WarehouseError, match="REQUIRED"):
        wh.replace_range(SIMPLE, START, END, simple_rows("2024-01-02").assign(player=[None]))
    assert client.calls == []


# ------------------------------------------------------------------------------- append
def test_append_loads_to_staging_and_inserts_parsing_json():
    contract = load_contract("nba_reference.processor_run_history")
    json_columns = [c.name for c in contract.columns if c.type == "JSON"]
    assert json_columns, "run history has JSON columns: the reason append stages"
    row = {c.name: None for c in contract.columns}
    row.update({c.name: "x" for c in contract.columns if c.required and c.type == "STRING"})
    row.update({c.name: START for c in contract.columns if c.required and c.type == "DATE"})
    row.update({c.name: dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
                for c in contract.columns if c.required and c.type == "TIMESTAMP"})
    row.update({name: '{"rows": 3}' for name in json_columns})
    wh, client = warehouse()
    wh.ensure_table(contract)
    client = ensured(client)
    assert wh.append(contract, pd.DataFrame([row])) == 1
    assert [c[0] for c in client.calls] == ["create_table", "load", "query", "delete_table"]
    staging, insert = client.calls[1][1], client.calls[2][1]
    assert insert.startswith("INSERT INTO `proj.nba_reference.processor_run_history` (")
    assert f"PARSE_JSON(`{json_columns[0]}`) AS `{json_columns[0]}`" in insert and f"FROM `{staging}`" in insert
    assert client.loaded[staging].schema.field(json_columns[0]).type == pa.string()
    assert client.jobs[-1].prefix == "nbaprops_nba_reference_processor_run_history_append_"


def test_append_of_no_rows_makes_no_calls():
    wh, client = warehouse()
    assert wh.append(SIMPLE, simple_rows()) == 0
    assert client.calls == []


# ------------------------------------------------------------------------------- reading
def test_query_renames_datasets_binds_parameters_and_waits_with_result():
    wh, client = warehouse()
    client.query_outcomes = [pa.table({"player": ["a", "b"]})]
    frame = wh.query("select player from nba_raw.simple where game_date = @d and player in unnest(@names)",
                     {"d": START, "names": ["a", "b"]})
    assert frame["player"].tolist() == ["a", "b"]
    job = client.jobs[0]
    assert job.sql == "SELECT player FROM prod_raw.simple WHERE game_date = @d AND player IN UNNEST(@names)"
    assert job.job.result_kwargs == {"job_retry": None}  # query().result(), never query_and_wait()
    assert params_of(job) == {"d": ("DATE", None, START), "names": ("ARRAY", "STRING", ["a", "b"])}
    assert job.prefix == "nbaprops_query_"


def test_query_arrow_and_identity_datasets_leave_sql_alone():
    wh, client = warehouse(datasets={})
    client.query_outcomes = [pa.table({"x": [1]})]
    sql = "select 1 as x -- from nba_raw.t"
    assert wh.query_arrow(sql).to_pydict() == {"x": [1]}
    assert client.jobs[0].sql == sql


def test_dates_present_bounds_the_partition_column():
    wh, client = warehouse()
    wh.ensure_table(SIMPLE)
    client = ensured(client)
    client.query_outcomes = [pa.table({"game_date": pa.array([dt.date(2024, 1, 2), dt.date(2024, 1, 5)])})]
    assert wh.dates_present(SIMPLE, START, END) == [dt.date(2024, 1, 2), dt.date(2024, 1, 5)]
    job = client.jobs[0]
    assert job.sql == ("SELECT DISTINCT `game_date` FROM `proj.prod_raw.simple` WHERE `game_date` "
                       "BETWEEN @nbaprops_range_start AND @nbaprops_range_end ORDER BY 1")
    assert params_of(job) == {"nbaprops_range_start": ("DATE", None, START),
                              "nbaprops_range_end": ("DATE", None, END)}


def test_estimate_bytes_is_a_dry_run_without_cache():
    wh, client = warehouse()
    assert wh.estimate_bytes("select * from nba_raw.simple where game_date = @d", {"d": START}) == 12345
    config = client.jobs[0].config
    assert config.dry_run is True and config.use_query_cache is False
    assert config.maximum_bytes_billed is None  # the estimate of a query over the cap must not fail
    assert client.jobs[0].job.result_kwargs is None  # a dry run is read, not awaited


def test_every_job_carries_the_cost_cap_labels_and_location():
    wh, client = warehouse()
    wh.query("select 1")
    wh.query_arrow("select 1")
    wh.estimate_bytes("select 1")
    wh.dates_present(SIMPLE, START, END)
    wh.replace_range(SIMPLE, START, END, select_sql=SELECT, params=RANGE_PARAMS)
    wh.replace_range(SIMPLE, START, END, simple_rows("2024-01-03"))
    wh.append(SIMPLE, simple_rows("2024-01-03"))
    queries = client.queries()
    assert len(queries) == 7
    for job in queries:
        assert job.config.maximum_bytes_billed == (None if job.config.dry_run else 10**9)
        assert job.config.labels["app"] == "nbaprops" and job.config.labels["nbaprops_op"]
        assert job.location == "EU" and job.job_retry is None
    table_ops = [j for j in client.jobs if j.kind == "load" or j.config.labels["nbaprops_op"] not in
                 ("query", "estimate")]
    assert all(j.config.labels["nbaprops_table"] == "nba_raw-simple" for j in table_ops)
    assert all(j.config.labels["app"] == "nbaprops" for j in client.jobs if j.kind == "load")


def test_no_cost_cap_configured_sends_none():
    wh, client = warehouse(maximum_bytes_billed=None)
    wh.query("select 1")
    assert "maximumBytesBilled" not in client.jobs[0].config.to_api_repr()["query"]


# ------------------------------------------------------------------------------- parameters
def test_parameter_types():
    params = query_parameters({
        "d": dt.date(2024, 1, 2), "ts": dt.datetime(2024, 1, 2, 3, tzinfo=dt.timezone.utc),
        "pts": pd.Timestamp("2024-01-02T03:00Z"), "i": 3, "ni": np.int64(4), "f": 1.5, "nf": np.float64(2.5),
        "b": True, "nb": np.bool_(False), "s": "x",
        "ds": [dt.date(2024, 1, 2)], "ss": ("a", "b"), "mixed_numbers": [1, 2.5], "na": np.array([1, 2]),
    })
    types = {}
    for p in params:
        repr_ = p.to_api_repr()
        json.dumps(repr_)  # plain Python values: the client serialises with json
        types[p.name] = repr_["parameterType"].get("arrayType", repr_["parameterType"])["type"]
        if "arrayType" in repr_["parameterType"]:
            types[p.name] = f"ARRAY<{types[p.name]}>"
    assert types == {
        "d": "DATE", "ts": "TIMESTAMP", "pts": "TIMESTAMP", "i": "INT64", "ni": "INT64", "f": "FLOAT64",
        "nf": "FLOAT64", "b": "BOOL", "nb": "BOOL", "s": "STRING",
        "ds": "ARRAY<DATE>", "ss": "ARRAY<STRING>", "mixed_numbers": "ARRAY<FLOAT64>", "na": "ARRAY<INT64>",
    }


@pytest.mark.parametrize("value,problem", [
    (None, "cannot bind None"), ([], "empty list"), (["a", 1], "one type"), ({"a": 1}, "cannot bind"),
])
def test_parameters_that_cannot_be_typed_are_refused_by_name(value, problem):
    with pytest.raises(WarehouseError, match=f"@p.*{problem}"):
        query_parameters({"p": value})


# ------------------------------------------------------------------------------- retries
def test_transient_job_failures_resubmit_a_new_job(fresh_process_cache):
    wh, client = warehouse()
    client.query_outcomes = [
        api.TooManyRequests("Exceeded rate limits", errors=[{"reason": "jobRateLimitExceeded"}]),
        api.BadRequest("Could not serialize access to table due to concurrent update",
                       errors=[{"reason": "invalidQuery"}]),
        pa.table({"x": [1]}),
    ]
    assert wh.query("select 1 as x")["x"].tolist() == [1]
    assert len(client.queries()) == 3  # three jobs, each with a fresh id from the prefix
    assert fresh_process_cache == [1.0, 2.0]


def test_fatal_job_failures_stop_at_once_naming_the_operation(fresh_process_cache):
    wh, client = warehouse()
    wh.ensure_table(SIMPLE)
    client = ensured(client)
    client.query_outcomes = [api.Forbidden("Quota exceeded: too many table modifications",
                                           errors=[{"reason": "quotaExceeded"}])]
    with pytest.raises(WarehouseError) as info:
        wh.replace_range(SIMPLE, START, END, select_sql=SELECT, params=RANGE_PARAMS)
    assert len(client.queries()) == 1 and fresh_process_cache == []
    message = str(info.value)
    assert "replace_range nba_raw.simple 2024-01-01..2024-01-31" in message
    assert "quotaExceeded" in message and "nbaprops resume" in message


def test_exhausted_attempts_report_the_limit(fresh_process_cache):
    wh, client = warehouse()
    client.query_outcomes = [api.ServiceUnavailable("backend unavailable")] * 3
    with pytest.raises(WarehouseError, match="after 3 attempts"):
        wh.query("select 1")
    assert len(client.queries()) == 3


def test_a_failed_staging_drop_is_logged_not_raised(caplog):
    wh, client = warehouse()
    wh.ensure_table(SIMPLE)

    def forbidden(table, not_found_ok=False):
        raise api.Forbidden("Access Denied", errors=[{"reason": "accessDenied"}])

    client.delete_table = forbidden
    client.query_outcomes = [pa.table({"rows_written": [1]})]
    assert wh.replace_range(SIMPLE, START, END, simple_rows("2024-01-02")) == 1
    assert any("expires within" in r.getMessage() for r in caplog.records)
