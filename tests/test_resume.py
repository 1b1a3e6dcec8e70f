"""`nbaprops resume`: a stale Snakemake lock is removed with `snakemake --unlock` only when no
Snakemake process is alive in the directory; a live run is refused by pid; then the workflow runs
with --rerun-incomplete and the caller's config overrides. (That it works right after a real
kill -9 is tests/test_chaos.py.)"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from nbaprops import cli, resume


def locked(workdir: Path) -> Path:
    lock = workdir / ".snakemake" / "locks" / "0.input.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(str(workdir / "markers/x.json"))
    return lock


@pytest.fixture
def fake_run(tmp_path):
    """A live process in tmp_path whose command line says snakemake (as a scheduler's would)."""
    proc = subprocess.Popen(["bash", "-c", "exec -a snakemake sleep 60"], cwd=tmp_path)
    deadline = time.monotonic() + 5
    # Wait for the exec itself: before it, bash's own command line merely mentions snakemake.
    while Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")[0] != b"snakemake":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    yield proc
    proc.kill()
    proc.wait()


@pytest.fixture
def execs(monkeypatch):
    """Capture the exec of snakemake and every subprocess (the --unlock) instead of running them."""
    calls = {"exec": None, "run": []}

    def fake_exec(path, argv):
        calls["exec"] = argv

    def fake_run(argv, **kwargs):
        calls["run"].append(argv)
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(resume.os, "execv", fake_exec)
    monkeypatch.setattr(resume.subprocess, "run", fake_run)
    monkeypatch.setattr(resume, "snakemake_executable", lambda: "/venv/bin/snakemake")
    return calls


pytestmark = pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs /proc (Linux)")


def test_no_lock_nothing_to_say(tmp_path):
    state = resume.lock_state(tmp_path)
    assert not state.locked and state.alive == () and state.line() is None


def test_a_lock_with_no_live_process_is_stale(tmp_path):
    locked(tmp_path)
    state = resume.lock_state(tmp_path)
    assert state.stale
    assert state.line() == (f"Stale Snakemake lock in {tmp_path}/.snakemake/locks (no Snakemake process is "
                            f"alive): a run was killed; `nbaprops resume` removes the lock and re-runs the "
                            f"interrupted jobs")


def test_a_live_snakemake_in_the_directory_holds_the_lock(tmp_path, fake_run):
    locked(tmp_path)
    state = resume.lock_state(tmp_path)
    assert not state.stale and [p.pid for p in state.alive] == [fake_run.pid]
    assert state.line() == f"Snakemake is running in {tmp_path}: pid {fake_run.pid}"
    assert resume.lock_state(tmp_path / "..").alive == ()  # only processes working in that very directory


def test_resume_refuses_while_a_run_is_alive_naming_its_pid(tmp_path, fake_run, execs, capsys):
    locked(tmp_path)
    assert cli.main(["resume", "--directory", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: a Snakemake process is still alive in {tmp_path}: pid {fake_run.pid} "
                          f"(snakemake 60); wait for it to finish or stop it (kill {fake_run.pid})")
    assert execs == {"exec": None, "run": []}
    assert (tmp_path / ".snakemake/locks/0.input.lock").exists()


def test_resume_unlocks_a_stale_lock_then_reruns_incomplete_with_the_same_overrides(tmp_path, execs, capsys):
    locked(tmp_path)
    cli.main(["resume", "--cores", "4", "-d", str(tmp_path), "--configfile", "my.yaml",
              "--config", "start_date=2023-10-24", "end_date=2023-12-31", "--keep-going"])
    settings = ["--configfile", "my.yaml", "--config", "start_date=2023-10-24", "end_date=2023-12-31"]
    assert execs["run"] == [["/venv/bin/snakemake", "--directory", str(tmp_path), "--unlock", *settings]]
    assert execs["exec"] == ["/venv/bin/snakemake", "--directory", str(tmp_path), "all", "--cores", "4",
                             "--rerun-incomplete", "--keep-going", *settings]
    assert "removing the stale lock (snakemake --unlock)" in capsys.readouterr().out


def test_resume_without_a_lock_just_reruns_incomplete(tmp_path, execs):
    cli.main(["resume", "-d", str(tmp_path)])
    assert execs["run"] == []
    assert execs["exec"] == ["/venv/bin/snakemake", "--directory", str(tmp_path), "all", "--cores", "2",
                             "--rerun-incomplete"]


def test_other_commands_still_reject_unknown_arguments(capsys):
    with pytest.raises(SystemExit):
        cli.main(["plan", "--bogus"])
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


@pytest.mark.parametrize("argv, alive", [
    (["/venv/bin/python", "/venv/bin/snakemake", "all", "--cores", "2"], True),
    (["snakemake", "all"], True),
    (["/venv/bin/python", "-m", "snakemake", "--target-jobs", "report_html:"], True),
    (["/venv/bin/python", "/work/.snakemake/scripts/tmpab12.build_table.py"], True),
    (["tail", "-f", ".snakemake/log/2026-12-07T162619.snakemake.log"], False),
    (["vim", "rules/raw.smk"], False),
])
def test_what_counts_as_a_live_snakemake(argv, alive):
    assert resume.is_snakemake(argv) == alive


def test_status_says_when_a_stale_lock_is_present(tmp_path, monkeypatch):
    from nbaprops import status

    state = {"start": "2022-10-18", "end": "2022-11-13", "tables": [], "last_ok": {}, "failures": [], "gates": {},
             "findings": []}
    monkeypatch.chdir(tmp_path)
    assert "Snakemake lock" not in status.format_status(state)
    locked(tmp_path)
    assert f"\n\nStale Snakemake lock in {tmp_path}/.snakemake/locks (no Snakemake process is alive): a run was " \
           f"killed; `nbaprops resume` removes the lock" in status.format_status(state)
