"""Shared fixtures: one small end-to-end pipeline run reused by every end-to-end test."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
# A short range that crosses a season opener (2022-10-18) and several weekly chunks.
E2E_RANGE = ("2022-10-18", "2022-11-13")


def snakemake(workdir: Path, *args: str, check: bool = True, **popen) -> subprocess.CompletedProcess:
    cmd = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir), "--cores", "2",
           *args, "--config", f"start_date={E2E_RANGE[0]}", f"end_date={E2E_RANGE[1]}", "chunk=week"]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, **popen)
    if check and proc.returncode:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc


@pytest.fixture(scope="session")
def pipeline_workdir(tmp_path_factory) -> Path:
    """A work directory where `snakemake all` ran to the Phase 3 gate (do not modify it)."""
    workdir = tmp_path_factory.mktemp("pipeline")
    snakemake(workdir, "all")
    return workdir


@pytest.fixture
def pipeline_copy(pipeline_workdir, tmp_path) -> Path:
    """A private copy of the finished pipeline work directory, free to modify."""
    target = tmp_path / "work"
    shutil.copytree(pipeline_workdir, target, ignore=shutil.ignore_patterns(".snakemake"))
    return target


def nbaprops_cli(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "nbaprops"
    return subprocess.run([str(exe), *args], cwd=workdir, capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
