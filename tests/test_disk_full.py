"""A full disk fails the write naming the path, commits nothing partial (manifests name only
complete files), and after space is freed `nbaprops resume` gives the uninterrupted run's digests.

Unit tests inject ENOSPC; the end-to-end test gives the warehouse a small tmpfs of its own, in a
private mount namespace (`unshare --map-root-user --mount`: no root needed where user namespaces
are allowed), runs `snakemake all` until the disk fills, checks the warehouse, grows the tmpfs
(`mount -o remount,size=`) and resumes.
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from nbaprops.contracts import parse_contract  # noqa: E402
from nbaprops.storage.files import DiskFullError  # noqa: E402
from nbaprops.storage.local import LocalObjectStore  # noqa: E402
from nbaprops.warehouse import duckdb_backend  # noqa: E402
from nbaprops.warehouse.duckdb_backend import MANIFEST, DuckDBWarehouse  # noqa: E402

D = dt.date
CONTRACT = parse_contract({
    "table": "nba_test.points", "grain": "one row per player per date", "date_column": "game_date",
    "primary_key": ["game_date", "player"],
    "columns": [{"name": "game_date", "type": "DATE", "mode": "REQUIRED"},
                {"name": "player", "type": "STRING", "mode": "REQUIRED"}, {"name": "points", "type": "INT64"}],
}, Path("<memory>"))
SMALL_KB = 5400  # the e2e range's warehouse takes ~7.3 MB, raw ~4.5 MB of it: fills after the raw stage


def rows(first: dt.date, n: int, points: int = 10) -> pd.DataFrame:
    return pd.DataFrame([{"game_date": first + dt.timedelta(days=i), "player": "a", "points": points}
                         for i in range(n)])


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_while_writing_a_table_names_the_path_and_commits_nothing(tmp_path, monkeypatch):
    wh = DuckDBWarehouse(tmp_path)
    wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 5), rows(D(2022, 1, 1), 5))
    folder = tmp_path / "nba_test/points"
    manifest = (folder / MANIFEST).read_text()
    monkeypatch.setattr(duckdb_backend.pq, "write_table", enospc)
    with pytest.raises(DiskFullError) as err:
        wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 5), rows(D(2022, 1, 1), 5, points=99))
    message = str(err.value)
    assert message.startswith(f"no space left on the disk holding {folder}/.tmp-2022-01-01_2022-01-05-")
    assert "while writing 5 rows of nba_test.points for 2022-01-01..2022-01-05" in message
    assert message.endswith("free space on that disk, then run `nbaprops resume`; nothing half-written was "
                            "committed")
    assert (folder / MANIFEST).read_text() == manifest  # the old rows stay, whole
    assert not list(folder.glob(".tmp-*"))
    monkeypatch.undo()
    assert DuckDBWarehouse(tmp_path).query("select sum(points) as s from nba_test.points")["s"][0] == 50


def test_a_full_disk_while_committing_a_manifest_keeps_the_old_manifest(tmp_path, monkeypatch):
    wh = DuckDBWarehouse(tmp_path)
    wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 5), rows(D(2022, 1, 1), 5))
    folder = tmp_path / "nba_test/points"
    manifest = (folder / MANIFEST).read_text()
    monkeypatch.setattr(duckdb_backend.os, "fsync", enospc)
    with pytest.raises(DiskFullError, match=r"while writing .*(rows|manifest) of nba_test.points"):
        wh.replace_range(CONTRACT, D(2022, 1, 6), D(2022, 1, 9), rows(D(2022, 1, 6), 4))
    assert (folder / MANIFEST).read_text() == manifest
    assert not [p for p in folder.iterdir() if p.name.startswith(f".{MANIFEST}")]


def test_a_full_disk_while_writing_an_export_names_the_object(tmp_path, monkeypatch):
    store = LocalObjectStore(tmp_path)
    monkeypatch.setattr("nbaprops.storage.local.os.fsync", enospc)
    with pytest.raises(DiskFullError) as err:
        store.write_json("v1/results/2023-01-05.json", {"a": 1})
    assert str(err.value).startswith(f"no space left on the disk holding {tmp_path}/v1/results/.tmp-2023-01-05.json.")
    assert "while writing object 'v1/results/2023-01-05.json'" in str(err.value)
    assert store.list_keys() == [] and store.leftovers() == []


# ----------------------------------------------------------------------------- end to end
def _mount_namespace_available() -> str | None:
    if not shutil.which("unshare"):
        return "no unshare"
    probe = subprocess.run(["unshare", "--map-root-user", "--mount", "sh", "-c",
                            "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d && rmdir $d"],
                           capture_output=True, text=True)
    return None if probe.returncode == 0 else f"cannot mount a tmpfs in a user namespace: {probe.stderr.strip()}"


@pytest.mark.e2e
@pytest.mark.xdist_group("e2e")
def test_a_run_whose_disk_fills_resumes_to_identical_digests(pipeline_workdir, tmp_path):
    reason = _mount_namespace_available()
    if reason:
        pytest.skip(reason)
    import chaos

    workdir = tmp_path / "work"
    proc = subprocess.run(["unshare", "--map-root-user", "--mount", sys.executable, __file__, str(workdir),
                           str(SMALL_KB)], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.splitlines()[-1])
    assert got["full_returncode"] != 0
    assert got["disk_full_message"], "no job said which path had no space"
    # jobs run in the work directory: the path is relative to it
    assert got["disk_full_message"].startswith("no space left on the disk holding warehouse/nba_"), got
    assert got["manifests"] > 3 and got["manifest_problems"] == []
    assert got["resume_returncode"] == 0, got["resume_tail"]
    assert chaos.differences(chaos.digests(pipeline_workdir), got["digests"]) == []


def _inside_namespace(workdir: Path, size_kb: int) -> dict:
    """Runs as root of a private mount namespace: fill, check, free, resume."""
    import re

    import chaos
    from conftest import E2E_RANGE

    run = chaos.Run(*E2E_RANGE, "week")
    warehouse = workdir / "warehouse"
    warehouse.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(warehouse)], check=True)
    with open(workdir / "full.log", "w") as log:
        full_rc = run.first(workdir, log).wait()
    said = [p.read_text(errors="replace") for p in [workdir / "full.log", *(workdir / "logs").rglob("*.log")]]
    found = [m.group(0) for text in said for m in re.finditer(r"no space left on the disk holding \S+", text)]
    problems, manifests = [], 0
    for manifest in warehouse.glob(f"*/*/{MANIFEST}"):
        manifests += 1
        for entry in json.loads(manifest.read_text())["files"]:
            path = manifest.parent / entry["file"]
            try:
                if pq.read_metadata(path).num_rows != entry["rows"]:
                    problems.append(f"{path}: row count differs from the manifest")
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{path}: {exc}")
    subprocess.run(["mount", "-o", "remount,size=1g", str(warehouse)], check=True)  # space freed
    with open(workdir / "resume.log", "w") as log:
        resume_rc = run.resume(workdir, log).wait()
    return {"full_returncode": full_rc, "disk_full_message": found[0] if found else None, "manifests": manifests,
            "manifest_problems": problems, "resume_returncode": resume_rc,
            "resume_tail": (workdir / "resume.log").read_text()[-2000:], "digests": chaos.digests(workdir)}


if __name__ == "__main__":
    print(json.dumps(_inside_namespace(Path(sys.argv[1]), int(sys.argv[2])), default=str))
