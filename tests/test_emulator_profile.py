"""profiles/gcp: what can be proven on one machine.

* the profile parses and caps every table's writes (BigQuery: 2 mutating DML per table);
* with it (Kubernetes executor, markers in Cloud Storage) a dry run plans the same jobs as the
  default profile, its storage being the GCS emulator;
* with the executor overridden to local, a job's markers land in the emulator's bucket through
  Snakemake's GCS storage plugin, read back byte for byte through nbaprops.storage, and a marker
  written by nbaprops.storage counts as done for Snakemake.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from emulators.fixtures import gcs_emulator_fixture  # noqa: F401 (pytest fixture)
from nbaprops.storage.gcs import GCSObjectStore

pytestmark = [pytest.mark.xdist_group("emulators"), pytest.mark.e2e]

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
PROFILE = REPO / "profiles" / "gcp" / "config.yaml"
RANGE = ["start_date=2022-10-18", "end_date=2022-11-06", "chunk=week"]
PLUGINS = ("snakemake_executor_plugin_kubernetes", "snakemake_storage_plugin_gcs")


def missing_plugins() -> list[str]:
    import importlib.util

    return [name for name in PLUGINS if importlib.util.find_spec(name) is None]


needs_plugins = pytest.mark.skipif(
    bool(missing_plugins()),
    reason=f"profiles/gcp needs {', '.join(PLUGINS)} (pip install -e '.[gcp]'); missing: {missing_plugins()}")


def snakemake(workdir: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir), *args, "--config", *RANGE]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=600)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def job_stats(proc: subprocess.CompletedProcess) -> dict[str, int]:
    """The 'Job stats' table of a dry run: rule -> number of jobs."""
    text = proc.stdout + proc.stderr
    table = text[text.index("Job stats:"):].split("\n\n")[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M)}


@pytest.fixture
def bucket(gcs_emulator) -> dict:
    """A fresh bucket in the emulator and the environment Snakemake's GCS plugin needs for it."""
    name = f"nbaprops-workflow-{uuid.uuid4().hex[:8]}"
    gcs_emulator.client().create_bucket(name)
    return {"name": name, "prefix": f"gs://{name}/nbaprops",
            "env": {"STORAGE_EMULATOR_HOST": gcs_emulator.url, "SNAKEMAKE_STORAGE_GCS_PROJECT": "test"}}


def test_the_profile_caps_every_table_writer(tmp_path):
    profile = yaml.safe_load(PROFILE.read_text())
    assert profile["executor"] == "kubernetes" and profile["default-storage-provider"] == "gcs"
    caps = dict(item.split("=") for item in profile["resources"])
    planned = snakemake(tmp_path, "-n", "all")
    writers = set(re.findall(r"\b(writes_\w+)=1\b", planned.stdout + planned.stderr))
    assert writers, "no writes_* resources found in the plan"
    assert writers <= set(caps), f"uncapped in profiles/gcp (unlimited otherwise): {sorted(writers - set(caps))}"
    # Two writers per table (BigQuery's mutating-DML limit); one raw season at a time, since every
    # season's raw job writes the same raw tables.
    assert all(int(caps[w]) == (1 if w == "writes_raw" else 2) for w in writers)


@needs_plugins
def test_a_dry_run_with_the_gcp_profile_plans_the_same_jobs(tmp_path, bucket):
    default = job_stats(snakemake(tmp_path / "default", "-n", "all"))
    gcp = snakemake(tmp_path / "gcp", "-n", "all", "--profile", str(PROFILE.parent),
                    "--default-storage-prefix", bucket["prefix"], env=bucket["env"])
    assert job_stats(gcp) == default and default["total"] > 10
    assert f"{bucket['prefix']}/markers/gates/phase3.json" in gcp.stdout + gcp.stderr


@needs_plugins
def test_markers_round_trip_between_snakemake_storage_and_nbaprops_storage(tmp_path, bucket):
    run = ["markers/raw/2022.json", "--profile", str(PROFILE.parent), "--executor", "local", "--cores", "1",
           "--default-storage-prefix", bucket["prefix"]]
    snakemake(tmp_path, *run, env=bucket["env"])
    store = GCSObjectStore(bucket["name"], "nbaprops")
    keys = store.list_keys("markers/")
    assert "markers/raw/2022.json" in keys
    marker = json.loads(store.read_bytes("markers/raw/2022.json"))
    assert marker["season"] == 2022 and marker["tables"]["nba_raw.nbac_schedule"]["rows"] > 0
    # A marker (re)written by nbaprops.storage is as good as Snakemake's own.
    data = store.read_bytes("markers/raw/2022.json")
    gcs = store.client.bucket(bucket["name"])
    gcs.blob("nbaprops/markers/raw/2022.json").delete()
    assert "Nothing to be done" not in snakemake(tmp_path, *run, "-n", env=bucket["env"]).stdout
    store.write_json("markers/raw/2022.json", data, create_only=True)
    again = snakemake(tmp_path, *run, "-n", env=bucket["env"])
    assert "Nothing to be done" in again.stdout + again.stderr
