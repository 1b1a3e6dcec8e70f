"""What a write killed midway leaves in the export store, and who cleans it: the next write of the
same key deletes its temporary file; the Phase 6 gate names any left, and any per-date object no
export job's marker lists."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from nbaprops.exporters.run import (KEYS_FIELD, MANIFEST_FIELD, ExportStats, decode_keys, decode_manifest,
                                    encode_keys, encode_manifest)
from nbaprops.exporters.reads import ExportDays
from nbaprops.exporters.verify import check_store, format_report, written_keys
from nbaprops.storage.local import LocalObjectStore

KEY = "v1/results/2023-01-05.json"


def killed_write(root, key: str, suffix: str = "4242-deadbeef"):
    """The temporary file a writer killed between write and rename leaves."""
    folder, _, name = key.rpartition("/")
    path = root / folder / f".tmp-{name}.{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"half": ')
    return path


def test_a_killed_write_leaves_a_temporary_file_that_is_no_object(tmp_path):
    killed_write(tmp_path, KEY)
    store = LocalObjectStore(tmp_path)
    assert store.list_keys() == [] and not store.exists(KEY)
    assert store.leftovers() == ["v1/results/.tmp-2023-01-05.json.4242-deadbeef"]


def test_the_next_write_of_the_key_removes_it_and_only_it(tmp_path):
    killed_write(tmp_path, KEY)
    other = killed_write(tmp_path, "v1/results/2023-01-06.json")
    store = LocalObjectStore(tmp_path)  # the re-run export job
    store.write_json(KEY, {"ok": True})
    assert store.list_keys() == [KEY] and store.read_bytes(KEY) == b'{"ok":true}'
    assert store.leftovers() == [f"v1/results/{other.name}"]  # another key's: not this write's to judge


def test_a_temporary_file_appearing_after_the_folder_was_listed_belongs_to_a_live_writer(tmp_path):
    store = LocalObjectStore(tmp_path)
    store.write_json("v1/results/2023-01-04.json", {})  # lists the folder
    live = killed_write(tmp_path, KEY, "999-live")  # another thread or job, mid-write
    store.write_json("v1/results/2023-01-03.json", {})
    assert live.exists()


def test_markers_carry_the_keys_their_job_wrote_with_sizes_and_digests(tmp_path):
    stats = ExportStats()
    for key in ("v1/results/2023-01-05.json", "v1/players/a/game-report/2023-01-05.json"):
        stats.add("x", key, b"{}")
    doc = stats.as_dict()
    assert decode_keys(doc) == {"v1/results/2023-01-05.json", "v1/players/a/game-report/2023-01-05.json"}
    assert decode_manifest(doc) == {k: (2, hashlib.sha256(b"{}").hexdigest()) for k in decode_keys(doc)}
    assert doc[MANIFEST_FIELD] == encode_manifest(dict(reversed(stats.manifest.items())))  # deterministic
    assert decode_keys({}) is None and decode_manifest({}) is None
    assert decode_keys({KEYS_FIELD: encode_keys(["v1/a.json"])}) == {"v1/a.json"}  # a marker before manifests
    folder = tmp_path / "markers/exports/dates"
    folder.mkdir(parents=True)
    (folder / "2023-01-01_2023-01-31.json").write_text(json.dumps(doc))
    keys, how = written_keys(tmp_path / "markers")
    assert keys == decode_keys(doc) and how.startswith("2 keys listed by 1 export_dates markers")
    assert written_keys(tmp_path / "nothing") == (None, f"not checked: no export_dates markers in "
                                                        f"{tmp_path}/nothing/exports/dates")


def test_the_gate_names_leftovers_and_objects_no_export_job_wrote(tmp_path):
    store = LocalObjectStore(tmp_path)
    store.write_json(KEY, {})
    store.write_json("v1/players/a/game-report/2023-01-05.json", {})
    store.write_json("v1/players/b/game-report/2023-01-05.json", {})  # no marker lists it
    store.write_json("v1/status.json", {})  # as-of objects are export_as_of_end's: schema-checked only
    killed_write(tmp_path, "v1/results/2023-01-06.json")
    written = {KEY, "v1/players/a/game-report/2023-01-05.json"}
    day = dt.date(2023, 1, 5)
    report = check_store(store, ExportDays((day,), (day,)), day, day, written,
                         "2 keys listed by 1 export_dates markers")
    assert report.leftovers == ["v1/results/.tmp-2023-01-06.json.4242-deadbeef"]
    assert report.unwritten == ["v1/players/b/game-report/2023-01-05.json"]
    assert not report.ok
    text = format_report(report)
    assert "❌ Temporary files of interrupted writes" in text and "   v1/results/.tmp-2023-01-06.json.4242-deadbeef" in text
    assert "❌ Per-date objects no export job wrote (2 keys listed by 1 export_dates markers):\n" \
           "   v1/players/b/game-report/2023-01-05.json" in text
