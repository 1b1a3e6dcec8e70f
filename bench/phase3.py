"""Benchmark: the full default range through the Phase 3 gate, pipeline vs monolithic baseline.

    .venv/bin/python bench/phase3.py [--chunks month,season,week] [--start 2021-10-19 --end 2026-01-03]

* pipeline   — `snakemake --cores 2 all` from an empty work directory, once per chunk size
               (raw generation, every table x chunk job, the gate).
* monolithic — the same raw load and the same Phase 3 SQL in one process, each table once over
               the whole range, no Snakemake (what a hand-written script would do).
Both run on the embedded DuckDB backend. Ratios are measured in the same run.
Results go to bench/results/phase3.json and are printed as a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = Path(sys.executable).parent / "snakemake"


def run_pipeline(start: str, end: str, chunk: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="nbaprops-bench-") as work:
        cmd = [str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", work, "--cores", "2",
               "--quiet", "all", "--config", f"start_date={start}", f"end_date={end}", f"chunk={chunk}"]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if proc.returncode:
            raise SystemExit(f"pipeline failed ({chunk}):\n{proc.stderr[-3000:]}")
        jobs = sum(1 for _ in Path(work, "markers").rglob("*.json"))
        raw = _benchmark_seconds(Path(work, "benchmarks", "raw.tsv"))
    return {"mode": f"pipeline chunk={chunk}", "seconds": round(seconds, 1), "markers": jobs,
            "raw_seconds": raw}


def _benchmark_seconds(path: Path) -> float | None:
    if not path.exists():
        return None
    header, values = path.read_text().splitlines()[:2]
    return round(float(dict(zip(header.split("\t"), values.split("\t")))["s"]), 1)


def run_monolithic(start: str, end: str) -> dict:
    from nbaprops.config import validate
    from nbaprops.contracts import load_contract
    from nbaprops.gates import PHASE_TABLES, check_phase
    from nbaprops.raw import read_source, tables_for_source
    from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

    config = validate({"start_date": start, "end_date": end})
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    with tempfile.TemporaryDirectory(prefix="nbaprops-mono-") as work:
        t0 = time.perf_counter()
        wh = DuckDBWarehouse(Path(work) / "warehouse")
        frames = read_source(config, first, last)
        for table in tables_for_source("demo"):
            contract = load_contract(table)
            frame = frames[table]
            import pandas as pd

            days = pd.to_datetime(frame[contract.date_column]).dt.date
            wh.replace_range(contract, days.min(), days.max(), frame)
        raw_seconds = time.perf_counter() - t0
        for table in PHASE_TABLES[3]:
            contract = load_contract(table)
            wh.replace_range(contract, first, last, select_sql=contract.sql(),
                             params={"start_date": first, "end_date": last})
        report = check_phase(wh, 3, first, last)
        seconds = time.perf_counter() - t0
    if not report.ok:
        raise SystemExit("monolithic baseline did not pass the Phase 3 gate")
    return {"mode": "monolithic", "seconds": round(seconds, 1), "raw_seconds": round(raw_seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", default="2021-10-19")
    parser.add_argument("--end", default="2026-01-03")
    parser.add_argument("--chunks", default="month,season,week")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    results = [run_monolithic(args.start, args.end)]
    results += [run_pipeline(args.start, args.end, chunk) for chunk in args.chunks.split(",")]
    base = results[0]["seconds"]
    for r in results:
        r["ratio_to_monolithic"] = round(r["seconds"] / base, 2)
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    doc = {"range": [args.start, args.end], "cores": os.cpu_count(), "measured_at": dt.datetime.now().isoformat(),
           "results": results}
    (out / "phase3.json").write_text(json.dumps(doc, indent=1))
    print(f"{'mode':28} {'seconds':>8} {'ratio':>6}  raw s   markers")
    for r in results:
        print(f"{r['mode']:28} {r['seconds']:8.1f} {r['ratio_to_monolithic']:6.2f}  {r.get('raw_seconds')!s:6}  {r.get('markers', '')}")


if __name__ == "__main__":
    main()
