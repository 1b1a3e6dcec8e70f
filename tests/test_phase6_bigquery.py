"""Phase 6 on the BigQuery backend (bqemulator, started by the tests): every exporter's SQL runs as
BigQuery SQL and every object comes out byte for byte as on the embedded DuckDB warehouse."""
import uuid

import pandas as pd
import pytest
from test_phase6_run import SMALL_LEAGUE
from test_phase6_support import D1, D2, END, START, league

from emulators.fixtures import bigquery_emulator_fixture  # noqa: F401 (pytest fixture)
from nbaprops.contracts import all_contracts, load_contract
from nbaprops.exporters import CATALOGUE, AsOfExporter
from nbaprops.exporters.base import AsOf
from nbaprops.exporters.reads import READ_TABLES, ExportReads
from nbaprops.warehouse.bigquery_backend import BigQueryWarehouse

pytestmark = [pytest.mark.xdist_group("emulators"),
              # the client library's advice (BigQuery Storage module, pandas-gbq) does not apply to an emulator
              pytest.mark.filterwarnings("ignore::UserWarning:google.cloud.bigquery.table"),
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")]
LEAGUE_TABLES = READ_TABLES  # every table the exporters read


def every_object(wh) -> dict[str, bytes]:
    out = {}
    for exporter in CATALOGUE:
        exporter = type(exporter)()
        for name, value in SMALL_LEAGUE.items():
            if hasattr(exporter, name):
                setattr(exporter, name, value)
        if isinstance(exporter, AsOfExporter):
            objects = exporter.export(ExportReads(wh), AsOf(D2, START, END))
        else:
            objects = [o for day in (D1, D2) for o in exporter.run(ExportReads(wh), day)]
        out.update({o.key: o.data() for o in objects})
    return out


def test_every_object_is_the_same_on_bigquery(tmp_path, bigquery_emulator):
    duck = league(tmp_path)
    suffix = uuid.uuid4().hex[:8]
    bq = BigQueryWarehouse("test", datasets={c.dataset: f"{c.dataset}_{suffix}" for c in all_contracts()},
                           maximum_bytes_billed=10**12, client=bigquery_emulator.client())
    for table in LEAGUE_TABLES:
        contract = load_contract(table)
        rows = duck.query(f"select * from {table}")
        days = pd.to_datetime(rows[contract.date_column]).dt.date
        bq.replace_range(contract, days.min(), days.max(), rows)
    expected = every_object(duck)
    assert every_object(bq) == expected
    assert len(expected) > 30
