"""`nbaprops estimate`: jobs per table on both backends; dry runs of every chunk on BigQuery."""
from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from emulators import DIVERGENCES
from emulators.fixtures import bigquery_emulator_fixture  # noqa: F401 (pytest fixture)
from nbaprops import estimate as estimate_module
from nbaprops import plan
from nbaprops.config import validate
from nbaprops.contracts import all_contracts
from nbaprops.estimate import built_tables, estimate_backfill, format_estimate, run
from nbaprops.warehouse.bigquery_backend import BigQueryWarehouse

pytestmark = pytest.mark.xdist_group("emulators")

START, END = dt.date(2022, 10, 18), dt.date(2022, 11, 6)


def config(**overrides) -> dict:
    value = validate({"start_date": "2021-10-19", "end_date": "2026-01-03", "chunk": "week"})
    value.update(overrides)
    return value


def bigquery_config(emulator, **bigquery) -> dict:
    suffix = uuid.uuid4().hex[:8]
    value = config(backend="bigquery")
    value["bigquery"] = {**value["bigquery"], "project": "test", "api_endpoint": emulator.url,
                         "datasets": {c.dataset: f"{c.dataset}_{suffix}" for c in all_contracts()}, **bigquery}
    return value


def test_duckdb_counts_jobs_per_table_and_no_bytes():
    est = estimate_backfill(config(), START, END)
    chunks = plan.chunks({**config(), "start_date": START.isoformat(), "end_date": END.isoformat()})
    assert est.chunks == len(chunks) == 3
    assert [t.table for t in est.tables[1:]] == built_tables()
    assert all(t.jobs == 3 and t.bytes is None for t in est.tables[1:])  # every table, SQL or Python
    assert est.jobs == 1 + 3 * len(built_tables()) and est.bytes is None
    text = format_estimate(est)
    assert "2022-10-18 .. 2022-11-06 on duckdb: 3 week chunks" in text and "only jobs are counted" in text


def test_bigquery_dry_runs_every_chunk_of_every_table(bigquery_emulator, monkeypatch):
    calls = []
    original = BigQueryWarehouse.estimate_bytes

    def recording(self, sql, params=None):
        calls.append(params)
        return original(self, sql, params)

    monkeypatch.setattr(BigQueryWarehouse, "estimate_bytes", recording)
    end = START + dt.timedelta(days=7)  # two chunks keep the dry runs few
    est = estimate_backfill(bigquery_config(bigquery_emulator), START, end)
    chunks = plan.chunks({**config(), "start_date": START.isoformat(), "end_date": end.isoformat()})
    sql_tables = [t for t in built_tables() if estimate_module._runs_sql(t)]
    assert len(chunks) == 2 and len(calls) == 2 * len(sql_tables)  # every chunk's SQL, validated
    assert {(p["start_date"], p["end_date"]) for p in calls} == {(c.start, c.end) for c in chunks}
    assert all((t.bytes is not None) == (t.table in sql_tables) for t in est.tables[1:])
    if est.bytes == 0:
        pytest.skip(f"emulator divergence 'dry_run_bytes': {DIVERGENCES['dry_run_bytes']} "
                    f"(jobs and dry runs verified)")


def test_chunks_over_the_bytes_cap_are_flagged_and_fail_the_command(bigquery_emulator, monkeypatch, capsys):
    monkeypatch.setattr(BigQueryWarehouse, "estimate_bytes", lambda self, sql, params=None: 3 * 2**40)
    cfg = bigquery_config(bigquery_emulator, maximum_bytes_billed=2**40)
    assert run(cfg, START, END) == 1
    out = capsys.readouterr().out
    assert "!! 3 chunk(s) over maximum_bytes_billed" in out and "1.0 TiB" in out
    assert run(cfg, START, END, fmt="json") == 1
    doc = json.loads(capsys.readouterr().out)
    sql_tables = [t for t in built_tables() if estimate_module._runs_sql(t)]
    assert doc["bytes"] == 3 * 2**40 * 3 * len(sql_tables) and doc["jobs"] == 1 + 3 * len(built_tables())


def test_a_reversed_range_is_refused():
    with pytest.raises(ValueError, match="after"):
        estimate_module.estimate_backfill(config(), END, START)
