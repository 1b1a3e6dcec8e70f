"""Object-store conformance: the same tests against the local folder and a Cloud Storage bucket
(fake-gcs-server on 127.0.0.1, started by the tests), plus what only one backend can show."""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import threading
import uuid

import numpy as np
import pytest

from emulators.faults import FaultPlan, FaultProxy
from emulators.fixtures import gcs_emulator_fixture  # noqa: F401 (pytest fixture)
from nbaprops.storage import (DEFAULT_CACHE_CONTROL, ObjectExists, ObjectNotFound, ObjectStore, StorageError,
                              encode_json, open_store)
from nbaprops.storage.gcs import GCSObjectStore
from nbaprops.storage.local import LocalObjectStore

pytestmark = pytest.mark.xdist_group("emulators")

DOCUMENT = {"date": "2024-01-05", "players": [{"name": "Zoë Ünal", "points": 23.5, "line": None}], "n": 1}


def fast_retry(deadline: float = 20.0):
    """The library's retry with short waits, so fault tests take seconds."""
    from google.cloud.storage.retry import DEFAULT_RETRY

    return DEFAULT_RETRY.with_delay(initial=0.01, maximum=0.2).with_deadline(deadline)


def new_bucket(emulator) -> str:
    name = f"nbaprops-test-{uuid.uuid4().hex[:10]}"
    emulator.client().create_bucket(name)
    return name


@pytest.fixture(params=["local", "gcs"])
def store(request, tmp_path) -> ObjectStore:
    if request.param == "local":
        return open_store({"storage": {"backend": "local", "path": str(tmp_path / "exports")}})
    emulator = request.getfixturevalue("gcs_emulator")
    # Through the config factory: the client finds the emulator through STORAGE_EMULATOR_HOST.
    return open_store({"storage": {"backend": "gcs", "bucket": new_bucket(emulator), "prefix": "site/v1"}})


# ------------------------------------------------------------------------------- conformance
def test_json_round_trips_byte_for_byte(store):
    url = store.write_json("results/2024-01-05.json", DOCUMENT)
    assert url.endswith("results/2024-01-05.json")
    assert store.read_bytes("results/2024-01-05.json") == encode_json(DOCUMENT)
    assert json.loads(store.read_bytes("results/2024-01-05.json")) == DOCUMENT


def test_the_same_document_gives_the_same_bytes_on_every_backend(store, tmp_path):
    reference = LocalObjectStore(tmp_path / "reference")
    reference.write_json("a.json", DOCUMENT)
    store.write_json("a.json", DOCUMENT)
    assert store.read_bytes("a.json") == reference.read_bytes("a.json")


def test_overwrite_replaces_the_object(store):
    store.write_json("today.json", {"v": 1})
    store.write_json("today.json", {"v": 2}, cache_control="no-cache")
    assert json.loads(store.read_bytes("today.json")) == {"v": 2}


def test_create_only_refuses_other_content_but_accepts_the_same(store):
    store.write_json("markers/chunk.json", {"rows": 5}, create_only=True)
    store.write_json("markers/chunk.json", {"rows": 5}, create_only=True)  # a retried write: fine
    with pytest.raises(ObjectExists, match="already exists"):
        store.write_json("markers/chunk.json", {"rows": 6}, create_only=True)
    assert json.loads(store.read_bytes("markers/chunk.json")) == {"rows": 5}


def test_list_keys_under_a_prefix_sorted(store):
    for key in ("v1/results/2024-01-02.json", "v1/results/2024-01-01.json", "v1/players/p1.json", "top.json"):
        store.write_json(key, {"k": key})
    assert store.list_keys("v1/results/") == ["v1/results/2024-01-01.json", "v1/results/2024-01-02.json"]
    assert store.list_keys() == ["top.json", "v1/players/p1.json", "v1/results/2024-01-01.json",
                                 "v1/results/2024-01-02.json"]
    assert store.list_keys("nothing/") == []


def test_exists_and_missing_objects(store):
    assert not store.exists("a/b.json")
    store.write_json("a/b.json", [1, 2])
    assert store.exists("a/b.json") and not store.exists("a/c.json")
    with pytest.raises(ObjectNotFound, match="c.json"):
        store.read_bytes("a/c.json")


@pytest.mark.parametrize("key", ["/abs.json", "../up.json", "a//b.json", "a/./b.json", "sp ace.json", ""])
def test_bad_keys_are_refused(store, key):
    with pytest.raises(StorageError, match="object key"):
        store.write_json(key, {})


def test_concurrent_writers_leave_one_whole_object(store):
    documents = [{"writer": i, "rows": list(range(2000))} for i in range(6)]
    threads = [threading.Thread(target=store.write_json, args=("race.json", d)) for d in documents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert json.loads(store.read_bytes("race.json")) in documents
    assert store.list_keys() == ["race.json"]  # no temporary files visible


# ------------------------------------------------------------------------------- encoding and factory
def test_encoding_is_compact_utf8_and_refuses_nan():
    assert encode_json({"b": 1, "a": [1.5, None], "é": dt.date(2024, 1, 5), "n": np.int64(3)}) == \
        '{"b":1,"a":[1.5,null],"é":"2024-01-05","n":3}'.encode()
    with pytest.raises(StorageError, match="NaN"):
        encode_json({"x": math.nan})
    with pytest.raises(StorageError, match="not JSON"):
        encode_json(b"{oops")


def test_factory_defaults_to_a_local_exports_folder_and_checks_gcs_settings():
    store = open_store({})
    assert isinstance(store, LocalObjectStore) and str(store.root) == "exports"
    with pytest.raises(StorageError, match="storage.bucket"):
        open_store({"storage": {"backend": "gcs"}})
    with pytest.raises(StorageError, match="bare bucket name"):
        open_store({"storage": {"backend": "gcs", "bucket": "gs://b"}})
    with pytest.raises(StorageError, match="choose 'local' or 'gcs'"):
        open_store({"storage": {"backend": "s3"}})


def test_importing_storage_does_not_import_the_client_library():
    import subprocess
    import sys

    code = ("import sys, nbaprops.storage; nbaprops.storage.open_store({}); "
            "print('google.cloud.storage' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------------------- local only
def test_local_listing_walks_only_the_prefix_folder_and_globs_keys(tmp_path, monkeypatch):
    store = LocalObjectStore(tmp_path / "exports")
    for key in ("v1/results/2024-01-01.json", "v1/results-extra.json", "v1/players/p1/game-report/2024-01-01.json",
                "v1/players/p2/game-report/2024-01-01.json", "v1/players/p2/game-report/2024-01-02.json", "top.json"):
        store.write_json(key, {"k": key})
    (tmp_path / "exports/v1/players/p1/game-report/.tmp-2024-01-01.json.1-ab").write_text("{")
    walked = []
    real_walk = os.walk
    monkeypatch.setattr(os, "walk", lambda top: walked.append(str(top)) or real_walk(top))
    assert store.list_keys("v1/results/") == ["v1/results/2024-01-01.json"]
    assert store.list_keys("v1/res") == ["v1/results-extra.json", "v1/results/2024-01-01.json"]
    assert store.list_keys("top") == ["top.json"]
    assert store.list_keys("v1/nothing/") == []
    root = str(tmp_path / "exports")
    assert walked == [f"{root}/v1/results", f"{root}/v1", root]  # v1/nothing/ is no folder: not walked
    # one date's game reports of every player, temporary files apart
    assert store.glob_keys("v1/players/*/game-report/2024-01-01.json") == [
        "v1/players/p1/game-report/2024-01-01.json", "v1/players/p2/game-report/2024-01-01.json"]
    assert store.glob_keys("v1/players/*/game-report/2024-01-03.json") == []
    with pytest.raises(StorageError, match="object key"):
        store.glob_keys("../*.json")


# ------------------------------------------------------------------------------- GCS only
def test_gcs_objects_carry_content_type_and_cache_control(gcs_emulator):
    bucket = new_bucket(gcs_emulator)
    store = GCSObjectStore(bucket, "nbaprops/")
    assert store.write_json("v1/x.json", DOCUMENT, cache_control="public, max-age=60") == \
        f"gs://{bucket}/nbaprops/v1/x.json"
    blob = gcs_emulator.client().bucket(bucket).get_blob("nbaprops/v1/x.json")
    assert blob.content_type == "application/json"
    assert blob.cache_control == "public, max-age=60"
    store.write_json("v1/y.json", DOCUMENT)
    assert gcs_emulator.client().bucket(bucket).get_blob("nbaprops/v1/y.json").cache_control == DEFAULT_CACHE_CONTROL
    assert store.list_keys("v1/") == ["v1/x.json", "v1/y.json"]  # keys are relative to the prefix


def test_gcs_create_only_is_enforced_by_the_server_when_writers_race(gcs_emulator):
    """Two stores both see no object, both write create-only: the server lets exactly one win."""
    bucket = new_bucket(gcs_emulator)
    stores = [GCSObjectStore(bucket, client=gcs_emulator.client()) for _ in range(2)]
    outcomes = []

    def write(store, i):
        try:
            store.write_json("claim.json", {"writer": i}, create_only=True)
            outcomes.append(("won", i))
        except ObjectExists:
            outcomes.append(("lost", i))

    threads = [threading.Thread(target=write, args=(s, i)) for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [i for outcome, i in outcomes if outcome == "won"]
    assert len(winners) == 1 and len(outcomes) == 2
    assert json.loads(stores[0].read_bytes("claim.json")) == {"writer": winners[0]}


def test_gcs_retries_transient_faults(gcs_emulator):
    bucket = new_bucket(gcs_emulator)
    plan = FaultPlan(share=0.5, kinds=("rate_limited", "backend_error", "unavailable", "dropped"), seed=11)
    with FaultProxy(gcs_emulator.url, plan, lifetime=120) as proxy:
        store = GCSObjectStore(bucket, client=gcs_emulator.client(endpoint=proxy.url), retry=fast_retry())
        for i in range(12):
            store.write_json(f"k{i:02d}.json", {"i": i})
            assert store.exists(f"k{i:02d}.json")
        assert store.list_keys() == [f"k{i:02d}.json" for i in range(12)]
        assert [json.loads(store.read_bytes(f"k{i:02d}.json"))["i"] for i in range(12)] == list(range(12))
        for i in range(4):  # create-only through lost responses: the retry finds its own bytes
            store.write_json(f"c{i}.json", {"i": i}, create_only=True)
    assert sum(proxy.injected.values()) >= 10, proxy.injected


def test_gcs_permission_errors_fail_at_once_with_what_to_do(gcs_emulator):
    bucket = new_bucket(gcs_emulator)
    plan = FaultPlan(share=1.0, kinds=("access_denied",))
    with FaultProxy(gcs_emulator.url, plan, lifetime=60) as proxy:
        store = GCSObjectStore(bucket, client=gcs_emulator.client(endpoint=proxy.url), retry=fast_retry())
        with pytest.raises(StorageError, match="roles/storage.objectAdmin"):
            store.write_json("x.json", {})
    requests = [line for line, _ in proxy.log]
    assert len(requests) == len(set(requests)), requests  # no request was retried


def test_gcs_missing_bucket_says_so(gcs_emulator):
    store = GCSObjectStore(f"no-such-bucket-{uuid.uuid4().hex[:6]}", client=gcs_emulator.client())
    with pytest.raises(StorageError, match="does not exist"):
        store.write_json("x.json", {})
