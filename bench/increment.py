"""Benchmark: the daily increment. What does one more game day cost once the range is built?

    .venv/bin/python bench/increment.py [--workdir BUILT] [--keep] [--start … --end …]

1. base      — the default range (config/config.yaml: its dates and chunk size) built with
               `snakemake --cores 2 all`: in --workdir if it holds a finished build (its Phase 6
               gate marker), else built there first (or in a scratch folder: ~10-20 min).
2. increment — a copy of the base (the base stays as it was, so the benchmark can be repeated),
               end_date moved to the next game day of the schedule: the jobs Snakemake ran, per
               rule, and the wall time.
3. no-op     — the same command again: nothing to do; its wall time.
Targets (issue 12): at most 30 jobs and 20 s for the increment, at most 5 s for the no-op, on
2 cores; printed as measured/target ratios (a ratio above 1 misses the target). Results go to
bench/results/increment.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"
TARGETS = {"increment_jobs": 30, "increment_seconds": 20.0, "noop_seconds": 5.0}


def snakemake(work: Path, *config: str) -> tuple[float, str]:
    """`snakemake --cores 2 all` in ``work`` with ``config`` overrides: (wall seconds, its log)."""
    cmd = [str(SNAKEMAKE), "all", "-s", str(REPO / "Snakefile"), "--directory", str(work), "--cores", "2",
           "--config", *config]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"snakemake failed in {work} ({' '.join(config)}):\n{proc.stderr[-4000:]}")
    return seconds, proc.stdout + proc.stderr


TARGET_RULES = {"all"}  # rules that only name targets: Snakemake lists them as jobs, they run nothing


def job_stats(log: str) -> dict[str, int]:
    """Jobs per rule from Snakemake's "Job stats" table, target rules apart (empty when there
    was nothing to do)."""
    match = re.search(r"Job stats:\n(?:job\s+count\n)?-+\s+-+\n(.*?)\n\s*total\s+\d+", log, re.S)
    if not match:
        return {}
    counts = {}
    for line in match.group(1).splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and parts[0] not in TARGET_RULES:
            counts[parts[0]] = int(parts[1])
    return counts


STAMP = re.compile(r"^\[(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})\]$")


def timeline(log: str) -> list[tuple[str, int, int]]:
    """(rule, started, finished) of each job from Snakemake's log, in seconds from the first job's
    start (the log stamps whole seconds): where the increment's wall time goes, job by job."""
    stamp = None
    started: dict[str, tuple[str, dt.datetime]] = {}
    finished: dict[str, dt.datetime] = {}
    rule = None
    for line in log.splitlines():
        if match := STAMP.match(line):
            stamp = dt.datetime.strptime(match.group(1), "%a %b %d %H:%M:%S %Y")
        elif match := re.match(r"^local(?:rule|checkpoint) (\w+):", line):
            rule = match.group(1)
        elif (match := re.match(r"^\s+jobid: (\d+)", line)) and rule:
            started[match.group(1)], rule = (rule, stamp), None
        elif match := re.match(r"^Finished jobid: (\d+)", line):
            finished[match.group(1)] = stamp
    if not started:
        return []
    t0 = min(at for _, at in started.values())
    jobs = [(name, int((at - t0).total_seconds()), int((finished[job] - t0).total_seconds()))
            for job, (name, at) in started.items() if job in finished and name not in TARGET_RULES]
    return sorted(jobs, key=lambda job: (job[1], job[2], job[0]))


def job_seconds(work: Path, since: float) -> dict[str, float]:
    """Seconds of each job written since ``since`` from its benchmark file (rules with a
    ``benchmark:``; the gates and reports have none), by the file's path under benchmarks/."""
    out = {}
    for path in sorted((work / "benchmarks").rglob("*.tsv")):
        if path.stat().st_mtime >= since:
            lines = path.read_text().splitlines()
            if len(lines) > 1:
                out[str(path.relative_to(work / "benchmarks").with_suffix(""))] = float(lines[1].split("\t")[0])
    return out


def next_game_day(start: str, end: str) -> str:
    """The schedule's first game date after ``end`` (the default source's calendar)."""
    from nbaprops import plan
    from nbaprops.config import load

    config = load(overrides={"start_date": start, "end_date": (dt.date.fromisoformat(end)
                                                                + dt.timedelta(days=60)).isoformat()})
    later = [d for d in plan.game_dates(config) if d > dt.date.fromisoformat(end)]
    if not later:
        raise SystemExit(f"the schedule has no game date in the 60 days after {end}")
    return later[0].isoformat()


def ensure_base(work: Path, start: str, end: str) -> float | None:
    """Build the range in ``work`` unless it is built already; the build's wall seconds (None: was built)."""
    if (work / "markers" / "gates" / "phase6.json").exists():
        return None
    work.mkdir(parents=True, exist_ok=True)
    print(f"building {start}..{end} in {work} (one time, ~10-20 min on 2 cores)", flush=True)
    seconds, _ = snakemake(work, f"start_date={start}", f"end_date={end}")
    return seconds


def main() -> None:
    from nbaprops.config import load

    defaults = load()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", help="a built copy of the range (built here first if it is not)")
    parser.add_argument("--start", default=defaults["start_date"])
    parser.add_argument("--end", default=defaults["end_date"])
    parser.add_argument("--keep", action="store_true", help="keep the incremented copy (its path is printed)")
    args = parser.parse_args()

    base = Path(args.workdir or tempfile.mkdtemp(prefix="nbaprops-increment-base-")).resolve()
    build_seconds = ensure_base(base, args.start, args.end)
    # Nothing may be left to do in the base: otherwise the increment would count the base's rest.
    base_rest, log = snakemake(base, f"start_date={args.start}", f"end_date={args.end}")
    if job_stats(log):
        print(f"the base was not up to date: Snakemake ran {job_stats(log)} first", file=sys.stderr)

    day = next_game_day(args.start, args.end)
    copy = Path(tempfile.mkdtemp(prefix="nbaprops-increment-")) / "work"
    shutil.copytree(base, copy, symlinks=True)  # keeps mtimes: Snakemake sees the same state
    since = time.time()
    inc_seconds, inc_log = snakemake(copy, f"start_date={args.start}", f"end_date={day}")
    seconds = job_seconds(copy, since)
    noop_seconds, noop_log = snakemake(copy, f"start_date={args.start}", f"end_date={day}")
    jobs = job_stats(inc_log)
    measured = {"increment_jobs": sum(jobs.values()), "increment_seconds": round(inc_seconds, 1),
                "noop_seconds": round(noop_seconds, 1)}
    ratios = {k: round(measured[k] / TARGETS[k], 2) for k in TARGETS}
    doc = {"range": [args.start, args.end], "next_game_day": day, "base": str(base),
           "base_build_seconds": round(build_seconds, 1) if build_seconds else None,
           "measured": measured, "targets": TARGETS, "ratios": ratios, "jobs_per_rule": jobs,
           "job_seconds": seconds, "timeline": timeline(inc_log),
           "noop_jobs": sum(job_stats(noop_log).values()), "cores": os.cpu_count(),
           "load_average_after": os.getloadavg(), "measured_at": dt.datetime.now().isoformat()}
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "increment.json").write_text(json.dumps(doc, indent=1))
    print(f"increment {args.end} -> {day} after {args.start}..{args.end} was built, 2 cores")
    print(f"{'measure':18} {'measured':>9} {'target':>7} {'ratio':>6}")
    for key in TARGETS:
        print(f"{key:18} {measured[key]:9} {TARGETS[key]:7} {ratios[key]:6.2f}")
    print("jobs per rule: " + ", ".join(f"{rule} {n}" for rule, n in sorted(jobs.items())))
    slowest = sorted(seconds.items(), key=lambda item: -item[1])[:8]
    print("slowest jobs with a benchmark file: " + ", ".join(f"{name} {s:.1f}s" for name, s in slowest))
    print("timeline (s from the first job's start, whole seconds): " + ", ".join(
        f"{rule} {start}-{end}" for rule, start, end in doc["timeline"]))
    if args.keep:
        print(f"incremented copy kept in {copy}")
    else:
        shutil.rmtree(copy.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
