"""Phase 6 into a Cloud Storage bucket (fake-gcs-server, started by the tests): the same bytes as
the local folder, each object with content type application/json and its catalogue Cache-Control,
and verify_phase6 reading the bucket."""
import uuid

import pytest
from test_phase6_run import config_for, contents, run_all
from test_phase6_support import END, START, league

from emulators.fixtures import gcs_emulator_fixture  # noqa: F401 (pytest fixture)
from nbaprops.exporters.run import export_as_of_end, export_dates
from nbaprops.exporters.verify import verify_phase6
from nbaprops.storage import open_store

pytestmark = pytest.mark.xdist_group("emulators")

CACHE_CONTROL = {  # key prefix -> the catalogue's Cache-Control (aliases first: they differ)
    "v1/results/latest.json": 300, "v1/best-bets/latest.json": 300, "v1/predictions/today.json": 300,
    "v1/live/latest.json": 30, "v1/live-grading/latest.json": 30,
    "v1/results/": 86400, "v1/best-bets/": 86400, "v1/predictions/": 3600, "v1/live/": 30, "v1/live-grading/": 30,
    "v1/systems/": 3600, "v1/tonight/": 300, "v1/streaks/": 3600, "v1/trends/whos-hot-v2.json": 3600,
    "v1/trends/bounce-back.json": 3600, "v1/trends/tonight-plays.json": 3600, "v1/trends/deep-dive-current.json": 86400,
    "v1/trends/": 43200, "v1/players/index.json": 3600, "v1/players/": 3600, "v1/status.json": 60,
}


def expected_cache_control(key: str) -> str:
    if "/game-report/" in key:
        return "public, max-age=86400"
    prefix = next(p for p in CACHE_CONTROL if key.startswith(p))
    return f"public, max-age={CACHE_CONTROL[prefix]}"


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return league(tmp_path_factory.mktemp("league"))


def test_a_bucket_gets_the_same_objects_with_type_and_cache_control(wh, tmp_path, gcs_emulator):
    bucket = f"nbaprops-test-{uuid.uuid4().hex[:10]}"
    gcs_emulator.client().create_bucket(bucket)
    config = {**config_for(wh, tmp_path), "storage": {"backend": "gcs", "bucket": bucket, "prefix": "site"}}
    store = open_store(config)
    export_dates(wh, store, START, END)
    export_as_of_end(wh, store, START, END)
    local = contents(run_all(wh, tmp_path / "local"))
    assert {key: store.read_bytes(key) for key in store.list_keys()} == local
    blobs = {b.name: b for b in gcs_emulator.client().list_blobs(bucket, prefix="site/")}
    assert sorted(blobs) == sorted(f"site/{key}" for key in local)
    for name, blob in blobs.items():
        key = name[len("site/"):]
        assert (blob.content_type, blob.cache_control) == ("application/json", expected_cache_control(key)), key
    ok, text = verify_phase6(config, START, END)
    assert ok, text
    assert f"gs://{bucket}/site/" in text
