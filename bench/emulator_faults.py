"""Faults at scale: a month of Phase 3 and 4 chunks on the BigQuery emulator, 10% of requests failing.

    .venv/bin/python bench/emulator_faults.py [--start 2022-10-18 --end 2022-11-17 --chunk week]
                                              [--share 0.10] [--seed 14]

The raw load, then every Phase 3 and Phase 4 table built from SQL, chunk by chunk through the job
code the rules call (``nbaprops.jobs``), twice against bqemulator (``backend: bigquery``,
``bigquery.api_endpoint``): once directly, once through the loopback fault proxy
(tests/emulators/faults.py) failing ``--share`` of all requests with BigQuery's transient errors
(429 rate limits, 500/503 backend errors, concurrent-update conflicts, dropped connections after
the server acted). Every table of the faulted run must equal the undisturbed run's, with no
duplicate keys, run history included — up to rounding flips: a ROUND that met a float within
rounding error of a tie may land one step apart between two runs, because the emulator adds floats
in a varying order (the tests' ``round_float_ties``/MAX_ROUNDING_FLIPS rule: counted, at most 1%
of a table's values). The report counts the injected faults by kind, the retries nbaprops made
(``nbaprops.warehouse.retry``'s "retrying" records) by reason and per table, and the faults the
client library absorbed with its own HTTP retries (injected minus nbaprops' retries).

Needs `make bqemulator`. Results: bench/results/emulator-faults.json.

Measured 2026-12-07 (defaults, 2 shared cores): 71 jobs, 1,246 requests, 103 faults injected
(backend_error 23, rate_limited 21, unavailable 21, concurrent_update 19, dropped 19); nbaprops
retried 19 jobs (the concurrent-update conflicts; the client library's own HTTP retries absorbed
the other 84); every table equal to the undisturbed run's, 229 rounding flips in
player_composite_factors (under 1% of its values; none of that table's jobs was retried: the
emulator's float order, not the faults), no duplicate keys, run history included; clean run
158 s, faulted 319 s.
"""
from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from emulators import BigQueryEmulator  # noqa: E402
from emulators.compare import differences, duplicate_keys, normalised  # noqa: E402
from emulators.faults import TRANSIENT, FaultPlan, FaultProxy  # noqa: E402

MAX_ROUNDING_FLIPS = 0.01  # share of a table's values (tests/test_emulator_pipeline.py)


class RetryCounter(logging.Handler):
    """Counts the project's job-level retries ("…: attempt n of m failed (reason); retrying …")."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.by_reason: Counter[str] = Counter()
        self.by_table: Counter[str] = Counter()
        self.current = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "nbaprops.warehouse.retry" and "retrying" in record.getMessage():
            self.by_reason[str(record.args[3])] += 1
            self.by_table[self.current] += 1


def sql_tables(phases=(3, 4)) -> list[str]:
    """Phase 3 and 4 tables built from SQL alone, in dependency order."""
    from nbaprops.contracts import load_contract
    from nbaprops.catalogue import PHASE_TABLES

    out, python_built = [], set()
    for phase in phases:
        for table in PHASE_TABLES[phase]:
            contract = load_contract(table)
            if contract.builder or not contract.has_sql or {r.table for r in contract.reads} & python_built:
                python_built.add(table)
            else:
                out.append(table)
    return out


def make_config(root: Path, endpoint: str, start: str, end: str, chunk: str) -> dict:
    from nbaprops.config import validate
    from nbaprops.contracts import all_contracts

    config = validate({"start_date": start, "end_date": end, "chunk": chunk,
                       "paths": {"warehouse": str(root / "warehouse"), "markers": str(root / "markers"),
                                 "logs": str(root / "logs")}})
    suffix = uuid.uuid4().hex[:8]
    # The emulator's project ("test") is shorter than BigQuery's rules allow: set after validation.
    config["backend"] = "bigquery"
    config["bigquery"] = {**config["bigquery"], "project": "test", "api_endpoint": endpoint,
                          "datasets": {c.dataset: f"{c.dataset}_{suffix}" for c in all_contracts()}}
    return config


def build(config: dict, tables: list[str], counter: RetryCounter) -> dict:
    from nbaprops import jobs, plan
    from nbaprops.raw import tables_for_source

    markers = Path(config["paths"]["markers"])
    counter.current = "raw"
    jobs.load_raw(config, {t: markers / f"{t}.json" for t in tables_for_source(config["raw"]["source"])})
    chunks = plan.chunks(config)
    for table in tables:
        counter.current = table
        for chunk in chunks:
            jobs.build_table_chunk(config, table, chunk.start, chunk.end, chunk.id,
                                   markers / table / f"{chunk.id}.json", "bench")
    return {"chunks": len(chunks), "jobs": 1 + len(tables) * len(chunks)}


def read(config: dict, table: str):
    from nbaprops.contracts import load_contract
    from nbaprops.warehouse import open_warehouse

    wh = open_warehouse(config)
    try:
        return normalised(wh.query(f"select * from {table}"), load_contract(table))
    finally:
        wh.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", default="2022-10-18")
    parser.add_argument("--end", default="2022-11-17")
    parser.add_argument("--chunk", default="week")
    parser.add_argument("--share", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "emulator-faults.json"))
    args = parser.parse_args()
    reason = BigQueryEmulator.missing()
    if reason:
        print(f"skipped: {reason}")
        return 2
    from nbaprops.contracts import load_contract
    from nbaprops.raw import tables_for_source
    from nbaprops.runhistory import TABLE as RUN_HISTORY
    from nbaprops.warehouse import bigquery_backend
    from nbaprops.warehouse.retry import run_with_retry

    # Short, still exponential and jittered waits: the emulator answers in milliseconds.
    bigquery_backend.run_with_retry = functools.partial(run_with_retry, base_delay=0.05, max_delay=0.5)
    counter = RetryCounter()
    logging.getLogger("nbaprops.warehouse.retry").addHandler(counter)
    logging.getLogger("nbaprops.warehouse.retry").setLevel(logging.WARNING)
    tables = sql_tables()
    compared = tables_for_source("demo") + tables
    emulator = BigQueryEmulator().start()
    try:
        with tempfile.TemporaryDirectory(prefix="nbaprops-faults-") as work:
            t0 = time.monotonic()
            clean = make_config(Path(work, "clean"), emulator.url, args.start, args.end, args.chunk)
            shape = build(clean, tables, RetryCounter())
            clean_seconds = time.monotonic() - t0
            plan = FaultPlan(share=args.share, kinds=TRANSIENT, seed=args.seed)
            with FaultProxy(emulator.url, plan, lifetime=7200, max_requests=1_000_000) as proxy:
                t0 = time.monotonic()
                faulted = make_config(Path(work, "faulted"), proxy.url, args.start, args.end, args.chunk)
                build(faulted, tables, counter)
                faulted_seconds = time.monotonic() - t0
                proxy.set_plan(FaultPlan())  # read back undisturbed
                results = {}
                for table in compared:
                    contract = load_contract(table)
                    want, got = read(clean, table), read(faulted, table)
                    flips: list[str] = []
                    found = differences(want, got, contract, rounding_flips=flips)
                    if len(flips) > MAX_ROUNDING_FLIPS * max(1, got.size):
                        found += [f"{len(flips)} rounding flips, more than {MAX_ROUNDING_FLIPS:.0%} of the values"]
                    results[table] = {"rows": len(got), "duplicate_keys": duplicate_keys(got, contract),
                                      "differences": found, "rounding_flips": len(flips),
                                      "retries": counter.by_table.get(table, 0)}
                history = read(faulted, RUN_HISTORY)
                history_duplicates = duplicate_keys(history, load_contract(RUN_HISTORY))
    finally:
        emulator.stop()
    report = {"range": [args.start, args.end], "chunk": args.chunk, **shape, "fault_share": args.share,
              "seed": args.seed, "requests": proxy.requests, "injected": dict(proxy.injected),
              "retries": dict(counter.by_reason), "retries_total": sum(counter.by_reason.values()),
              "absorbed_by_client_library": sum(proxy.injected.values()) - sum(counter.by_reason.values()),
              "seconds": {"clean": round(clean_seconds, 1), "faulted": round(faulted_seconds, 1)},
              "tables": results, "run_history_rows": len(history), "run_history_duplicate_keys": history_duplicates}
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=1, default=str) + "\n")
    bad = {t: r for t, r in results.items() if r["differences"] or r["duplicate_keys"]}
    print(f"{report['jobs']} jobs ({len(tables)} Phase 3-4 tables x {shape['chunks']} chunks + raw), "
          f"{args.start} .. {args.end}; {proxy.requests} requests, {sum(proxy.injected.values())} faults injected "
          f"({', '.join(f'{k} {v}' for k, v in sorted(proxy.injected.items()))}); "
          f"{report['retries_total']} nbaprops retries ({', '.join(f'{k} {v}' for k, v in sorted(counter.by_reason.items()))}), "
          f"{report['absorbed_by_client_library']} absorbed by the client library's own retries")
    print(f"clean run {report['seconds']['clean']} s, faulted run {report['seconds']['faulted']} s")
    for table, r in results.items():
        status = "identical" if not r["differences"] and not r["duplicate_keys"] else "DIFFERS"
        flips = f"  ({r['rounding_flips']} rounding flips)" if r["rounding_flips"] else ""
        print(f"  {table:50} {r['rows']:>8} rows  {r['retries']:>4} retries  {status}{flips}")
    print(f"run history: {len(history)} rows, {history_duplicates} duplicate keys")
    print("ALL TABLES IDENTICAL, NO DUPLICATES" if not bad and not history_duplicates else f"DIFFERENCES: {bad}")
    return 0 if not bad and not history_duplicates else 1


if __name__ == "__main__":
    sys.exit(main())
