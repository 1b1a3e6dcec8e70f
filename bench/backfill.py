"""Benchmark: the default range through a phase's gate, pipeline vs monolithic baseline.

    .venv/bin/python bench/backfill.py --through 3 [--chunks month,season] [--start … --end …]
    .venv/bin/python bench/backfill.py --through 6          # the full `all`

* pipeline   — `snakemake --cores 2 <phase N gate>` from an empty work directory, once per chunk
               size: raw generation, every table x chunk job, model training, exports, gates.
* monolithic — the same work in one Python process with no Snakemake: the raw load, then every
               table of every phase once over the whole range (the same SQL and builders, every
               month's model trained in turn, the exports in one pass), then the same gates. It is
               what a hand-written script doing the same computation would cost.
Both run on the embedded DuckDB backend with 2 cores available; ratios are measured in the same
run. Results go to bench/results/through-phase<N>.json and are printed as a table.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"


def _cpu_seconds() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


def run_pipeline(start: str, end: str, chunk: str, through: int, keep: str | None = None) -> dict:
    target = "all" if through == 6 else f"markers/gates/phase{through}.json"
    if keep:
        shutil.rmtree(keep, ignore_errors=True)
        Path(keep).mkdir(parents=True)
    with (contextlib.nullcontext(keep) if keep else tempfile.TemporaryDirectory(prefix="nbaprops-bench-")) as work:
        cmd = [str(SNAKEMAKE), target, "-s", str(REPO / "Snakefile"), "--directory", work, "--cores", "2",
               "--quiet", "progress", "--config", f"start_date={start}", f"end_date={end}", f"chunk={chunk}"]
        cpu0, t0 = _cpu_seconds(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        seconds, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
        if proc.returncode:
            raise SystemExit(f"pipeline failed ({chunk}):\n{proc.stderr[-3000:]}")
        jobs = len(list(Path(work, "benchmarks").rglob("*.tsv")))
        models = Path(work, "models")
        train = sum(json.loads(p.read_text()).get("seconds", 0) for p in models.rglob("*.metrics.json"))
    return {"mode": f"pipeline chunk={chunk}", "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "jobs": jobs, "model_training_seconds": round(train, 1)}


def run_monolithic(start: str, end: str, through: int) -> dict:
    from nbaprops.config import validate
    from nbaprops.catalogue import PHASE_TABLES
    from nbaprops.gates import check_phase
    from nbaprops.jobs import build_table_chunk, load_raw_season
    from nbaprops.plan import chunks, game_dates

    with tempfile.TemporaryDirectory(prefix="nbaprops-mono-") as work:
        os.chdir(work)
        config = validate({"start_date": start, "end_date": end})
        dates = game_dates(config)
        first, last = dates[0], dates[-1]
        whole = f"{first.isoformat()}_{last.isoformat()}"
        cpu0, t0 = time.process_time(), time.perf_counter()
        for season in sorted({c.season for c in chunks(config)}):
            load_raw_season(config, season, f"m/raw/{season}.json")
        train_seconds = 0.0
        for phase in sorted(p for p in PHASE_TABLES if p <= through):
            for table in PHASE_TABLES[phase]:
                inputs = {}
                if phase == 5 and table.endswith("_base"):
                    t1 = time.perf_counter()
                    inputs = train_all_models(config, dates)
                    train_seconds += time.perf_counter() - t1
                build_table_chunk(config, table, first, last, whole, f"m/{table}.json", f"phase{phase}", inputs=inputs)
        if through >= 6:
            from nbaprops.exporters.run import export_as_of_end_job, export_dates_job

            export_dates_job(config, whole, "m/exports.json")
            export_as_of_end_job(config, "m/as_of.json")
        from nbaprops.warehouse import open_warehouse

        wh = open_warehouse(config)
        reports = [check_phase(wh, p, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
                   for p in sorted(PHASE_TABLES) if p <= min(through, 5)]
        seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        os.chdir(REPO)
    failing = [f"{t.table}: missing {len(t.missing)}, unexpected {len(t.unexpected)}, "
               f"invariants {[i.name for i in t.invariants if i.violations]}"
               for r in reports for t in r.tables if not t.ok]
    for line in failing:  # reported, not fatal: the timing is still the baseline's
        print("monolithic gate problem:", line, file=sys.stderr)
    return {"mode": "monolithic", "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "jobs": 1,
            "model_training_seconds": round(train_seconds, 1), "gate_problems": failing}


def train_all_models(config, dates) -> dict:
    """Every month's model, trained in turn (what the train_models jobs do in parallel)."""
    from nbaprops.catalogue import ENSEMBLE
    from nbaprops.predictions import windows
    from nbaprops.training_job import train_window_job

    model_paths, ensemble_paths = [], []
    for window in windows.windows_for_dates(dates):
        model = Path("models") / windows.MODEL_NAME / f"{window}.json"
        ensemble = Path("models") / ENSEMBLE / f"{window}.json"
        for path in (model, ensemble):
            path.parent.mkdir(parents=True, exist_ok=True)
        train_window_job(config, window, model, ensemble, model.with_suffix(".metrics.json"))
        model_paths.append(str(model))
        ensemble_paths.append(str(ensemble))
    return {"models": model_paths, "ensembles": ensemble_paths}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", default="2021-10-19")
    parser.add_argument("--end", default="2026-01-03")
    parser.add_argument("--through", type=int, choices=[3, 4, 5, 6], default=6)
    parser.add_argument("--chunks", default="month,season")
    parser.add_argument("--keep", help="run the first chunk size's pipeline in this folder and keep it (reports, exports)")
    args = parser.parse_args()
    results = [run_monolithic(args.start, args.end, args.through)]
    chunks = args.chunks.split(",")
    results += [run_pipeline(args.start, args.end, chunk, args.through, args.keep if i == 0 else None)
                for i, chunk in enumerate(chunks)]
    base = results[0]["seconds"]
    for r in results:
        r["ratio_to_monolithic"] = round(r["seconds"] / base, 2)
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    doc = {"range": [args.start, args.end], "through_phase": args.through, "cores": os.cpu_count(),
           "load_average_after": os.getloadavg(), "measured_at": dt.datetime.now().isoformat(), "results": results}
    (out / f"through-phase{args.through}.json").write_text(json.dumps(doc, indent=1))
    print(f"through phase {args.through}, {args.start}..{args.end}, 2 cores")
    print(f"{'mode':24} {'wall s':>7} {'cpu s':>7} {'ratio':>6} {'jobs':>5} {'train s':>8}")
    for r in results:
        print(f"{r['mode']:24} {r['seconds']:7.1f} {r['cpu_seconds']:7.1f} {r['ratio_to_monolithic']:6.2f} "
              f"{r['jobs']:5d} {r['model_training_seconds']:8.1f}")


if __name__ == "__main__":
    main()
