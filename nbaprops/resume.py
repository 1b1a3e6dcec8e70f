"""`nbaprops resume`: continue a run after a crash (kill -9, OOM, a lost machine) the documented way.

A killed Snakemake leaves two things behind (shared/tooling-measurements.md §1): its lock
(``.snakemake/locks/``), which makes every later run stop with ``LockException``, and the outputs
of the jobs it was running flagged incomplete, which only ``--rerun-incomplete`` re-runs. Resume
uses Snakemake's own mechanisms for both:

1. a lock is stale when no Snakemake process is alive in the working directory (the scheduler
   itself, a job it spawned, or an orphaned job of a killed run still writing): then
   ``snakemake --unlock`` removes it; while one is alive, resume refuses and names its pid, so
   there are never two writers;
2. then it becomes ``snakemake all --cores N --rerun-incomplete`` with the same ``--configfile``
   and ``--config`` overrides as the run being resumed.

Processes are found through ``/proc`` (Linux); where there is no ``/proc`` resume cannot tell a
stale lock from a live run and leaves the lock to the operator.
"""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LOCKS = Path(".snakemake") / "locks"
PROC = Path("/proc")


@dataclass(frozen=True)
class Process:
    pid: int
    command: str


@dataclass(frozen=True)
class LockState:
    workdir: Path
    lock_files: tuple[Path, ...]
    alive: tuple[Process, ...] | None  # None: cannot tell (no /proc)

    @property
    def locked(self) -> bool:
        return bool(self.lock_files)

    @property
    def stale(self) -> bool:
        return self.locked and self.alive == ()

    def line(self) -> str | None:
        """One line for `nbaprops status` (None when there is nothing to say)."""
        if self.alive:
            first = self.alive[0]
            return (f"Snakemake is running in {self.workdir}: pid {first.pid}"
                    + (f" (+{len(self.alive) - 1} more processes)" if len(self.alive) > 1 else ""))
        if self.stale:
            return (f"Stale Snakemake lock in {self.workdir / LOCKS} (no Snakemake process is alive): a run was "
                    f"killed; `nbaprops resume` removes the lock and re-runs the interrupted jobs")
        if self.locked:
            return f"Snakemake lock in {self.workdir / LOCKS}; cannot tell whether its run is alive (no /proc)"
        return None


def _ancestors() -> set[int]:
    """This process and its parents: never 'another run'."""
    pids, pid = set(), os.getpid()
    while pid > 1 and pid not in pids:
        pids.add(pid)
        try:
            stat = (PROC / str(pid) / "stat").read_text()
            pid = int(stat.rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return pids


def is_snakemake(argv: list[str]) -> bool:
    """A Snakemake scheduler (`snakemake …`, `python …/bin/snakemake …`, `python -m snakemake …`, as
    `run:` jobs are spawned) or one of its `script:` jobs (`python …/.snakemake/scripts/tmp….py`);
    not, say, `tail -f .snakemake/log/…`."""
    head = argv[:3]
    return (any(os.path.basename(arg) == "snakemake" for arg in head)
            or any(a == "-m" and b == "snakemake" for a, b in zip(head, head[1:]))
            or any("/.snakemake/scripts/" in arg or arg.startswith(".snakemake/scripts/") for arg in head))


def snakemake_processes(workdir: str | os.PathLike) -> tuple[Process, ...] | None:
    """Live processes working in ``workdir`` whose command line mentions snakemake (the scheduler,
    `run:` jobs it spawns as `python -m snakemake`, `script:` jobs running .snakemake/scripts/…),
    or None where /proc does not exist."""
    if not PROC.is_dir():
        return None
    target = os.path.realpath(workdir)
    mine = _ancestors()
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            if os.path.realpath(entry / "cwd") != target:
                continue
            if (entry / "stat").read_text().rpartition(")")[2].split()[0] in ("Z", "X"):
                continue  # killed, not yet reaped: not alive
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to inspect
        if is_snakemake(argv):
            found.append(Process(int(entry.name), " ".join(argv).strip()))
    return tuple(sorted(found, key=lambda p: p.pid))


def lock_state(workdir: str | os.PathLike = ".") -> LockState:
    workdir = Path(workdir).resolve()
    locks = tuple(sorted((workdir / LOCKS).glob("*.lock")))
    return LockState(workdir, locks, snakemake_processes(workdir))


def snakemake_executable() -> str:
    """The snakemake next to this interpreter (the project's .venv), else the one on PATH."""
    sibling = Path(sys.executable).parent / "snakemake"
    return str(sibling) if sibling.exists() else "snakemake"


def snakemake_args(snakefile: str | None, directory: str | None, configfile: str | None,
                   config: list[str] | None) -> tuple[list[str], list[str]]:
    """(arguments placing the workflow, config arguments), shared by --unlock and the resumed run.
    The config arguments go last: --config takes several values and would swallow a target."""
    where = (["--snakefile", snakefile] if snakefile else []) + (["--directory", directory] if directory else [])
    settings = (["--configfile", configfile] if configfile else []) + (["--config", *config] if config else [])
    return where, settings


def resume(*, cores: str = "2", target: str = "all", snakefile: str | None = None, directory: str | None = None,
           configfile: str | None = None, config: list[str] | None = None, extra: list[str] | None = None,
           out=None, err=None) -> int:
    """Unlock a stale lock, then run the workflow with --rerun-incomplete (exec: this process
    becomes Snakemake, so signals and the exit code are Snakemake's)."""
    out, err = out or sys.stdout, err or sys.stderr
    state = lock_state(directory or ".")
    if state.alive:
        first = state.alive[0]
        print(f"error: a Snakemake process is still alive in {state.workdir}: pid {first.pid} ({first.command[:160]})"
              + (f" and {len(state.alive) - 1} more" if len(state.alive) > 1 else "")
              + f"; wait for it to finish or stop it (kill {first.pid}), then run `nbaprops resume` again", file=err)
        return 1
    where, settings = snakemake_args(snakefile, directory, configfile, config)
    exe = snakemake_executable()
    if state.locked:
        if state.alive is None:
            print(f"error: {state.workdir / LOCKS} holds a Snakemake lock and this system has no /proc to tell "
                  f"whether its run is alive; if none is, run `snakemake --unlock`, then `nbaprops resume`", file=err)
            return 1
        print(f"nbaprops resume: no Snakemake process is alive in {state.workdir}; removing the stale lock "
              f"(snakemake --unlock)", file=out, flush=True)
        unlocked = subprocess.run([exe, *where, "--unlock", *settings], capture_output=True, text=True)
        if unlocked.returncode:
            print(f"error: `snakemake --unlock` failed:\n{unlocked.stdout[-2000:]}{unlocked.stderr[-2000:]}", file=err)
            return unlocked.returncode
    command = [exe, *where, target, "--cores", str(cores), "--rerun-incomplete", *(extra or []), *settings]
    print(f"nbaprops resume: {' '.join(command)}", file=out, flush=True)
    os.execv(exe if os.path.isabs(exe) else _which(exe), command)
    return 0  # not reached


def _which(name: str) -> str:
    import shutil

    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is not on PATH; activate the project's environment (. .venv/bin/activate)")
    return found
