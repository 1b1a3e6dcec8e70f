"""Exported objects are byte-identical in the local folder and in a Cloud Storage bucket.

The Phase 6 exporters run over the end-to-end pipeline's warehouse twice, once into a local folder
and once into a bucket of the GCS emulator (fake-gcs-server on 127.0.0.1): the same keys must hold
the same bytes, and the bucket's objects carry a JSON content type and a Cache-Control.
"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from conftest import E2E_RANGE
from emulators.fixtures import gcs_emulator_fixture  # noqa: F401 (pytest fixture)
from nbaprops.storage.gcs import GCSObjectStore
from nbaprops.storage.local import LocalObjectStore
from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

# Shares the session's end-to-end pipeline run (tests/conftest.py) with the other e2e tests.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
START, END = (dt.date.fromisoformat(d) for d in E2E_RANGE)


def export_everything(wh, store) -> None:
    from nbaprops.exporters.run import export_as_of_end, export_dates

    export_dates(wh, store, START, END)
    export_as_of_end(wh, store, START, END)


def test_exports_are_byte_identical_in_a_folder_and_a_bucket(pipeline_workdir, gcs_emulator, tmp_path):
    pytest.importorskip("nbaprops.exporters.run", reason="the Phase 6 exporters are not in this tree")
    wh = DuckDBWarehouse(pipeline_workdir / "warehouse")
    folder = LocalObjectStore(tmp_path / "exports")
    bucket_name = f"nbaprops-site-{uuid.uuid4().hex[:8]}"
    gcs_emulator.client().create_bucket(bucket_name)
    bucket = GCSObjectStore(bucket_name, "site")
    try:
        export_everything(wh, folder)
        export_everything(wh, bucket)
    finally:
        wh.close()
    keys = folder.list_keys()
    assert len(keys) > 10 and bucket.list_keys() == keys
    differing = [k for k in keys if bucket.read_bytes(k) != folder.read_bytes(k)]
    assert differing == []
    blob = gcs_emulator.client().bucket(bucket_name).get_blob(f"site/{keys[0]}")
    assert blob.content_type == "application/json" and blob.cache_control
