"""Same results on both backends, with and without injected faults.

The raw load and every table SQL of the pipeline run, chunk by chunk through the same job code the
Snakemake rules call (``nbaprops.jobs``), over a small range that crosses a season opener, once on
the embedded DuckDB warehouse and once with ``backend: bigquery`` against bqemulator (reached
through ``bigquery.api_endpoint``, anonymously). Every table must come out identical row for row.
Then the BigQuery run is repeated through a loopback proxy that fails a share of the requests
with the errors BigQuery is known to return; it must still produce identical tables and no
duplicate rows. Daily-quota and permission errors must stop at once with the backend's message.

Not covered here: tables built in Python from walk-forward XGBoost models (Phase 5 predictions)
and the tables that read them; those need the workflow's model files. They reach the warehouse
through the same replace_range-from-rows path the raw load exercises here.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import time
import uuid
import warnings
from pathlib import Path

import pytest

from emulators.compare import differences, duplicate_keys, normalised
from emulators.faults import FATAL, TRANSIENT, FaultPlan, FaultProxy
from emulators.fixtures import bigquery_emulator_fixture  # noqa: F401 (pytest fixture)
from nbaprops import jobs, plan
from nbaprops.config import validate
from nbaprops.contracts import all_contracts, load_contract
from nbaprops.gates import PHASE_TABLES
from nbaprops.raw import tables_for_source
from nbaprops.runhistory import TABLE as RUN_HISTORY
from nbaprops.warehouse import bigquery_backend, open_warehouse
from nbaprops.warehouse.base import WarehouseError
from nbaprops.warehouse.retry import run_with_retry

pytestmark = pytest.mark.xdist_group("emulators")

# Crosses the 2022-23 opener (2022-10-18) in three weekly chunks.
START, END = dt.date(2022, 10, 18), dt.date(2022, 11, 6)
RAW_TABLES = tables_for_source("demo")
# Raw game tables hold whole seasons: compared by count, and row for row within the range.
SEASON_TABLES = {t for t in RAW_TABLES if t.startswith(("nba_raw.", "nba_demo."))}


def pipeline_tables() -> list[str]:
    """Every table built from SQL alone, in dependency order (phase by phase, as the gates list
    them). Tables built in Python from trained models (Phase 5 predictions, builder tables) and
    everything reading them need the workflow's model files: not covered here (see module doc)."""
    python_built: set[str] = set()
    tables = []
    for phase in sorted(PHASE_TABLES):
        for table in PHASE_TABLES[phase]:
            contract = load_contract(table)
            if contract.builder or not contract.has_sql or {r.table for r in contract.reads} & python_built:
                python_built.add(table)
            else:
                tables.append(table)
    return tables


def make_config(root: Path, **overrides) -> dict:
    config = validate({"start_date": START.isoformat(), "end_date": END.isoformat(), "chunk": "week",
                       "paths": {"warehouse": str(root / "warehouse"), "markers": str(root / "markers"),
                                 "logs": str(root / "logs")}})
    for section, values in overrides.items():
        config[section] = {**config[section], **values} if isinstance(values, dict) else values
    return config


def bigquery_config(root: Path, endpoint: str) -> dict:
    """``backend: bigquery`` at ``endpoint`` with every dataset renamed for this run."""
    suffix = uuid.uuid4().hex[:8]
    datasets = {c.dataset: f"{c.dataset}_{suffix}" for c in all_contracts()}
    # `bigquery.api_endpoint` is not in config/schema.yaml yet: set it after validation.
    return make_config(root, backend="bigquery",
                       bigquery={"project": "test", "api_endpoint": endpoint, "datasets": datasets})


def run_pipeline(config: dict, tables: list[str] | None = None) -> dict[str, dict]:
    """Raw load, then every table (or ``tables``) x chunk, as the rules run them; returns the
    chunk markers."""
    markers = Path(config["paths"]["markers"])
    for season in sorted({c.season for c in plan.chunks(config)}):
        jobs.load_raw_season(config, season, markers / "raw" / f"{season}.json")
    payloads = {}
    for table in tables or pipeline_tables():
        for chunk in plan.chunks(config):
            marker = markers / table / f"{chunk.id}.json"
            payloads[f"{table}/{chunk.id}"] = jobs.build_table_chunk(
                config, table, chunk.start, chunk.end, chunk.id, marker, "test")
    return payloads


def read_table(config: dict, table: str, in_range: bool = False):
    """The table's rows, normalised; ``in_range``: only those dated within the test range."""
    contract = load_contract(table)
    where = f"where {contract.date_column} between @start and @end" if in_range else ""
    wh = open_warehouse(config)
    try:
        return normalised(wh.query(f"select * from {table} {where}", {"start": START, "end": END}), contract)
    finally:
        wh.close()


def row_count(config: dict, table: str) -> int:
    wh = open_warehouse(config)
    try:
        return int(wh.query(f"select count(*) as n from {table}")["n"][0])
    finally:
        wh.close()


MAX_ROUNDING_FLIPS = 0.01  # share of a table's values


def assert_same(embedded, production, contract) -> None:
    """Identical rows, except that a rounded number may sit one rounding step apart where ROUND met
    a value within floating-point error of a tie: engines add floats in different orders (so does
    BigQuery), e.g. a league-wide AVG. Such flips must stay rare, and are reported as a warning,
    never silently."""
    flips: list[str] = []
    assert differences(embedded, production, contract, rounding_flips=flips) == []
    if flips:
        assert len(flips) <= MAX_ROUNDING_FLIPS * embedded.size, f"{len(flips)} rounding flips: {flips[:5]}"
        warnings.warn(f"{contract.table}: {len(flips)} of {embedded.size} values one rounding step apart "
                      f"between DuckDB and the emulator (float sums near a ROUND tie); first: {flips[0]}",
                      stacklevel=2)


@pytest.fixture(scope="module")
def duckdb_run(tmp_path_factory):
    config = make_config(tmp_path_factory.mktemp("duckdb"))
    return config, run_pipeline(config)


@pytest.fixture(scope="module")
def bigquery_run(tmp_path_factory, bigquery_emulator):
    config = bigquery_config(tmp_path_factory.mktemp("bigquery"), bigquery_emulator.url)
    t0 = time.monotonic()
    markers = run_pipeline(config)
    return config, markers, time.monotonic() - t0


# ------------------------------------------------------------------------------- same results
@pytest.mark.parametrize("table", RAW_TABLES + pipeline_tables())
def test_every_table_is_identical_on_both_backends(duckdb_run, bigquery_run, table):
    """Built and reference tables in full; season tables by count, and row for row in the range."""
    contract = load_contract(table)
    raw = table in SEASON_TABLES
    embedded, production = (read_table(run[0], table, in_range=raw) for run in (duckdb_run, bigquery_run))
    assert len(embedded) > 0, f"{table} is empty on DuckDB: the comparison would prove nothing"
    assert_same(embedded, production, contract)
    if raw:
        assert row_count(duckdb_run[0], table) == row_count(bigquery_run[0], table)


def test_chunk_markers_agree(duckdb_run, bigquery_run):
    def essence(markers):
        return {k: (m["rows"], m["dates"], m["code_fingerprint"]) for k, m in markers.items()}

    assert essence(duckdb_run[1]) == essence(bigquery_run[1])
    assert {m["backend"] for m in bigquery_run[1].values()} == {"bigquery"}
    # The range crosses the opener: the first chunk starts on it, the last ends in November.
    first = min(duckdb_run[1].values(), key=lambda m: m["start"])
    assert first["dates"][0] == START.isoformat()


def test_rerunning_a_chunk_on_bigquery_changes_nothing(bigquery_run):
    config = bigquery_run[0]
    table = pipeline_tables()[0]
    before = read_table(config, table)
    chunk = plan.chunks(config)[1]
    jobs.build_table_chunk(config, table, chunk.start, chunk.end, chunk.id,
                           Path(config["paths"]["markers"]) / "rerun.json", "test")
    assert differences(before, read_table(config, table), load_contract(table)) == []


def test_run_history_records_every_job_once(bigquery_run):
    history = read_table(bigquery_run[0], RUN_HISTORY)
    built = history[history["phase"] == "test"]
    assert set(zip(built["processor_name"], built["chunk_id"])) == {tuple(k.split("/")) for k in bigquery_run[1]}
    assert set(built["status"]) == {"success"}
    assert duplicate_keys(history, load_contract(RUN_HISTORY)) == 0


# ------------------------------------------------------------------------------- faults
@pytest.fixture
def fast_backoff(monkeypatch):
    """Project retries with short waits (still exponential, still jittered): seconds, not minutes."""
    monkeypatch.setattr(bigquery_backend, "run_with_retry",
                        functools.partial(run_with_retry, base_delay=0.05, max_delay=0.5))


def test_a_run_with_injected_transient_faults_gives_identical_tables(
        duckdb_run, bigquery_emulator, fast_backoff, tmp_path):
    """The raw load and Phase 3 (every kind of job: loads, range replacements, run history) with
    a share of all requests failing; later phases only repeat the same calls."""
    phase3 = [t for t in PHASE_TABLES[3] if load_contract(t).has_sql]
    plan_ = FaultPlan(share=0.05, kinds=TRANSIENT, seed=2022)
    with FaultProxy(bigquery_emulator.url, plan_, lifetime=900) as proxy:
        config = bigquery_config(tmp_path, proxy.url)
        run_pipeline(config, phase3)
        proxy.set_plan(FaultPlan())  # read the results back undisturbed
        for table in RAW_TABLES + phase3:
            contract, raw = load_contract(table), table in SEASON_TABLES
            production = read_table(config, table, in_range=raw)
            assert duplicate_keys(production, contract) == 0, table
            assert_same(read_table(duckdb_run[0], table, in_range=raw), production, contract)
            if raw:
                assert row_count(config, table) == row_count(duckdb_run[0], table), table
        history = read_table(config, RUN_HISTORY)
    assert duplicate_keys(history, load_contract(RUN_HISTORY)) == 0
    assert set(proxy.injected) == set(TRANSIENT), proxy.injected  # every kind was exercised
    print(f"injected {dict(proxy.injected)} into {proxy.requests} requests")


@pytest.mark.parametrize("kind, reason, advice", [
    ("quota_exceeded", "quotaExceeded", "a BigQuery quota is used up"),
    ("access_denied", "accessDenied", "the credentials lack a permission"),
])
def test_daily_quota_and_permission_errors_stop_at_once(bigquery_emulator, kind, reason, advice):
    assert kind in FATAL
    contract = load_contract(RUN_HISTORY)
    with FaultProxy(bigquery_emulator.url, lifetime=120) as proxy:
        wh = bigquery_backend.BigQueryWarehouse(
            "test", datasets={contract.dataset: f"{contract.dataset}_{uuid.uuid4().hex[:8]}"},
            client=bigquery_emulator.client(endpoint=proxy.url))
        wh.ensure_table(contract)
        proxy.set_plan(FaultPlan(share=1.0, kinds=(kind,), only=r"/jobs$"))
        t0 = time.monotonic()
        with pytest.raises(WarehouseError, match=f"failed \\({reason}\\).*What to do: {advice}"):
            wh.replace_range(contract, START, START, select_sql=f"select * from {RUN_HISTORY} where false")
    assert sum(proxy.injected.values()) == 1, proxy.log  # one attempt: no retry
    assert time.monotonic() - t0 < 5


def test_config_endpoint_reaches_the_emulator_anonymously(bigquery_emulator):
    """`bigquery.api_endpoint` alone (no credentials anywhere) is enough to talk to an emulator."""
    config = {"backend": "bigquery", "bigquery": {"project": "test", "api_endpoint": bigquery_emulator.url,
                                                  "datasets": {"nba_raw": f"nba_raw_{uuid.uuid4().hex[:8]}"}}}
    wh = open_warehouse(config)
    try:
        from google.auth.credentials import AnonymousCredentials

        assert isinstance(wh.client._credentials, AnonymousCredentials)
        contract = load_contract("nba_raw.nbac_schedule")
        wh.ensure_table(contract)
        assert wh.dates_present(contract, START, END) == []
        assert json.loads(wh.query("select to_json_string(struct(1 as a)) as j")["j"][0]) == {"a": 1}
    finally:
        wh.close()
