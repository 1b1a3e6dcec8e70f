"""The `nbaprops` command: query the warehouse, verify phases, show the plan.

    nbaprops sql "select ..." [--format table|csv|json]
    nbaprops verify-phase3 --start-date 2021-10-19 --end-date 2026-01-03 [--verbose]
    nbaprops status | watch | estimate | plan
    nbaprops resume [--cores 2] [--configfile F] [--config key=value ...]   after a crash
    nbaprops report accuracy|html
    nbaprops export [--date 2024-01-05] [--only results,trends-daily] [--players [--min-games 5]]
    nbaprops demo export-files DIR [--through 2021-11-30] [--omit bigdataball_play_by_play,...]

Every command reads the same configuration as the workflow (config/config.yaml of the current
directory if present, else the project default; `--configfile` and `--set key=value` override).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from nbaprops.catalogue import GATED_PHASES
from nbaprops.config import ConfigError, start_end
from nbaprops.config import load as load_config
from nbaprops.plan import PlanError


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2021-10-19") from None


def _config(args) -> dict:
    """The command's configuration: ``--configfile`` (default config/config.yaml) and its ``--set`` items."""
    return load_config(args.configfile, settings=args.set)


def _print_frame(frame, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        print(frame.to_json(orient="records", date_format="iso", indent=1))
    else:
        if frame.empty:
            print("(no rows)")
        else:
            print(frame.to_string(index=False, max_rows=None))


def cmd_sql(args) -> int:
    from nbaprops.warehouse import open_warehouse

    with open_warehouse(_config(args)) as wh:
        _print_frame(wh.query(args.query), args.format)
    return 0


def cmd_verify(args, phase: int) -> int:
    from nbaprops import gates
    from nbaprops.warehouse import open_warehouse

    if args.start_date > args.end_date:
        print(f"error: --start-date {args.start_date} is after --end-date {args.end_date}", file=sys.stderr)
        return 1
    config = _config(args)
    with open_warehouse(config) as wh:
        report = gates.check_phase(wh, phase, args.start_date, args.end_date, config)
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=1, default=str))
    else:
        print(gates.format_report(report, verbose=args.verbose))
    return 0 if report.ok else 1


def cmd_verify_phase6(args) -> int:
    from nbaprops.exporters.verify import verify_phase6

    if args.start_date > args.end_date:
        print(f"error: --start-date {args.start_date} is after --end-date {args.end_date}", file=sys.stderr)
        return 1
    ok, text = verify_phase6(_config(args), args.start_date, args.end_date, deep=args.deep)
    print(text)
    return 0 if ok else 1


def cmd_export(args) -> int:
    """The original's daily_export.py modes (nbaprops.exporters.run.daily_export)."""
    from nbaprops.exporters.run import ExportRefused, daily_export, daily_types
    from nbaprops.jobrun import JobError

    if args.min_games is not None and not args.players:
        print("error: --min-games applies to --players only", file=sys.stderr)
        return 2
    if args.players and args.only:
        print("error: --players exports the player pages only; leave out --only", file=sys.stderr)
        return 2
    config = _config(args)
    # the job's log goes to a file, as a pipeline job's (logs/exports/daily/<date>.log)
    log_path = Path(config["paths"]["logs"]) / "exports" / "daily" / f"{args.date or 'tonight'}.log"
    try:
        payload = daily_export(config, args.date, daily_types(args.only, args.players), args.min_games, log_path)
    except (ExportRefused, JobError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{payload['date']} ({'final' if payload['final'] else 'scheduled'}): {payload['objects']:,} objects "
          f"({payload['bytes']:,} bytes) in {payload['store']}")
    for name, counts in payload["by_exporter"].items():
        print(f"  {name:<24} {counts['objects']:>6,} objects")
    if payload["removed"]:
        print(f"  removed {len(payload['removed'])} stale objects of {payload['date']}")
    for note in payload["notes"]:
        print(f"  skipped {note}")
    return 0


def cmd_plan(args) -> int:
    from nbaprops import plan
    from nbaprops.seasons import season_label

    config = _config(args)
    days = plan.game_days(config)
    chunks = plan.chunks(config, days)
    print(f"{config['start_date']} .. {config['end_date']}: {sum(len(c.dates) for c in chunks)} game dates "
          f"in {len(chunks)} {config['chunk']} chunks (raw source: {config['raw']['source']})")
    for c in chunks:
        scheduled = sum(days[d].state == plan.SCHEDULED for d in c.dates)
        print(f"  {c.id}  season {season_label(c.season)}  {len(c.dates):3d} dates"
              + (f" ({scheduled} scheduled, awaiting grading)" if scheduled else ""))
    overdue = plan.overdue_finding({d: g.state for d, g in days.items()}, plan.league_today(config))
    if overdue:
        print(f"warning: {overdue.message}")
    return 0


def _range(args, config) -> tuple[dt.date, dt.date]:
    """``--start-date`` / ``--end-date``, else the configured range; a reversed range is an error."""
    start, end = start_end(config, args.start_date, args.end_date)
    if start > end:
        raise ConfigError(f"--start-date {start} is after --end-date {end}")
    return start, end


def cmd_status(args) -> int:
    from nbaprops import status
    from nbaprops.warehouse import open_warehouse

    config = _config(args)
    start, end = _range(args, config)
    with open_warehouse(config) as wh:
        state = status.collect(wh, config, start, end, [args.phase] if args.phase else None)
    print(status.format_status(state))
    return 0 if status.is_complete(state) else 1


def cmd_report_accuracy(args) -> int:
    from nbaprops.report.collect.accuracy import accuracy_report
    from nbaprops.report.render.accuracy_text import accuracy_text
    from nbaprops.warehouse import open_warehouse

    config = _config(args)
    start, end = _range(args, config)
    with open_warehouse(config) as wh:
        report = accuracy_report(wh, start, end)
    print(accuracy_text(report, args.format), end="")
    return 0


def cmd_estimate(args) -> int:
    from nbaprops import estimate

    return estimate.run(_config(args), args.start_date, args.end_date, args.format)


def cmd_report_html(args) -> int:
    """`nbaprops report html [--output reports/index.html] [--start-date ..] [--end-date ..]`."""
    from nbaprops.report.html import now_line, write_html_report

    config = _config(args)
    start, end = _range(args, config)
    path = write_html_report(config, args.output, start=start, end=end, generated=now_line())
    print(f"wrote {path} ({start} .. {end}); open it in a browser: file://{path.resolve()}")
    return 0


def cmd_resume(args, extra: list[str]) -> int:
    from nbaprops.resume import resume

    return resume(cores=args.cores, target=args.target, snakefile=args.snakefile, directory=args.directory,
                  configfile=args.configfile, config=args.config, extra=extra)


def cmd_watch(args) -> int:
    from nbaprops import progress

    final = progress.watch(_config(args), args.cores, args.interval, args.once)
    return 0 if final.done >= final.total else 1


def cmd_demo_export_files(args) -> int:
    from nbaprops.demo.export import export_files

    config = _config(args)
    start, end = _range(args, config)
    seed = args.seed if args.seed is not None else config["raw"].get("seed", 2021)
    try:
        written = export_files(args.dir, start, end, seed=seed, fmt=args.format,
                               through=args.through or end, omit=(args.omit or "").split(","),
                               as_of=args.as_of)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"demo league (seed {seed}), seasons touching {start}..{end}, rows through "
          f"{args.through or end}: {len(written)} {args.format} files in {args.dir}")
    for table, rows in written.items():
        print(f"  {table.split('.')[1]}.{args.format}: {rows} rows")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nbaprops", description=__doc__.split("\n\n")[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--configfile", help="config file (default: config/config.yaml)")
    common.add_argument("--set", action="append", metavar="KEY=VALUE",
                        help="override a config key, e.g. --set backend=bigquery (repeatable)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sql", parents=[common], help="run BigQuery SQL on the configured warehouse")
    p.add_argument("query")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_sql)

    for phase in GATED_PHASES:
        p = sub.add_parser(f"verify-phase{phase}", parents=[common],
                           help=f"check phase {phase} is complete for a date range (exit 0 only if so)")
        p.add_argument("--start-date", type=_parse_date, required=True)
        p.add_argument("--end-date", type=_parse_date, required=True)
        p.add_argument("--verbose", "-v", action="store_true")
        if phase == 6:  # exports are objects, not tables: their own check (nbaprops.exporters.verify)
            p.add_argument("--deep", action="store_true",
                           help="parse and validate every object, also those the export markers vouch for")
            p.set_defaults(func=cmd_verify_phase6)
            continue
        p.add_argument("--format", choices=["text", "json"], default="text")
        p.set_defaults(func=lambda a, phase=phase: cmd_verify(a, phase))

    p = sub.add_parser("status", parents=[common], help="what is done, failed and left per table (exit 0 if complete)")
    p.add_argument("--phase", type=int, choices=[3, 4, 5, 6])
    p.add_argument("--start-date", type=_parse_date, help="default: config start_date")
    p.add_argument("--end-date", type=_parse_date, help="default: config end_date")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("watch", parents=[common], help="progress and ETA of a running backfill, from its markers")
    p.add_argument("--cores", type=int, default=2, help="cores snakemake runs with (for the ETA)")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between updates")
    p.add_argument("--once", action="store_true", help="print once and exit")
    p.set_defaults(func=cmd_watch)

    report = sub.add_parser("report", help="reports over the built tables").add_subparsers(dest="report", required=True)
    p = report.add_parser("accuracy", parents=[common],
                          help="per system and season: MAE, bias, within 3/5, hit rate on real lines, vs line and oracle")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown")
    p.add_argument("--start-date", type=_parse_date, help="default: config start_date")
    p.add_argument("--end-date", type=_parse_date, help="default: config end_date")
    p.set_defaults(func=cmd_report_accuracy)
    p = report.add_parser("html", parents=[common],
                          help="one self-contained HTML page: coverage heatmap, timings, accuracy charts, gates, exports")
    p.add_argument("--output", default="reports/index.html", help="where to write it (default: reports/index.html)")
    p.add_argument("--start-date", type=_parse_date, help="default: config start_date")
    p.add_argument("--end-date", type=_parse_date, help="default: config end_date")
    p.set_defaults(func=cmd_report_html)

    p = sub.add_parser("estimate", parents=[common],
                       help="jobs per table and (BigQuery) bytes a backfill would scan, from dry runs, before anything runs")
    p.add_argument("--start-date", type=_parse_date, help="default: config start_date")
    p.add_argument("--end-date", type=_parse_date, help="default: config end_date")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_estimate)

    demo = sub.add_parser("demo", help="the embedded demo league").add_subparsers(dest="demo", required=True)
    p = demo.add_parser("export-files", parents=[common],
                        help="write the demo league's raw tables as a raw folder (raw.source: files)")
    p.add_argument("dir", help="folder to write <table>.csv / <table>.parquet into")
    p.add_argument("--start-date", type=_parse_date, help="default: config start_date")
    p.add_argument("--end-date", type=_parse_date, help="default: config end_date")
    p.add_argument("--seed", type=int, help="demo league seed (default: config raw.seed)")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv")
    p.add_argument("--through", type=_parse_date,
                   help="keep only rows dated on or before this day (default: the end date)")
    p.add_argument("--as-of", type=_parse_date,
                   help="the league on this date's morning: its games scheduled, pre-tip rows only (raw.as_of)")
    p.add_argument("--omit", metavar="TABLE,...",
                   help="tables to leave out, e.g. bigdataball_play_by_play,nbac_injury_report,odds_api_game_lines")
    p.set_defaults(func=cmd_demo_export_files)

    p = sub.add_parser("export", parents=[common],
                       help="write one date's JSON objects (the original's daily_export.py) into the object store")
    p.add_argument("--date", type=_parse_date,
                   help="the game date (default: tonight's slate, the newest predicted date of the configured range)")
    p.add_argument("--only", metavar="TYPE,...",
                   help="export types, e.g. results,best-bets or a group trends-daily|trends-weekly|trends-all "
                        "(default: every type but the player pages)")
    p.add_argument("--players", action="store_true", help="the player pages only (index, profiles, seasons)")
    p.add_argument("--min-games", type=int, help="with --players: graded games a player needs for a profile")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("plan", parents=[common], help="list the chunks (jobs per table) of the configured range")
    p.set_defaults(func=cmd_plan)

    # Takes Snakemake's own --configfile/--config (not --set): it resumes a snakemake command.
    p = sub.add_parser("resume", help="after a crash: remove a stale Snakemake lock, re-run interrupted jobs "
                                      "(snakemake all --rerun-incomplete); other arguments go to snakemake")
    p.add_argument("--cores", "-c", default="2", help="as snakemake's --cores (default 2)")
    p.add_argument("--target", default="all", help="what to build (default: all)")
    p.add_argument("--snakefile", "-s", help="as snakemake's --snakefile")
    p.add_argument("--directory", "-d", help="as snakemake's --directory (the run's working directory)")
    p.add_argument("--configfile", help="as snakemake's --configfile")
    p.add_argument("--config", nargs="+", metavar="KEY=VALUE", help="as snakemake's --config")
    p.set_defaults(func=cmd_resume, passthrough=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "passthrough", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.func(args, extra) if getattr(args, "passthrough", False) else args.func(args)
    except (ConfigError, PlanError) as exc:  # the range or a key is wrong: one sentence says what to do
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a user sees one line, not a traceback
        from nbaprops.warehouse.base import WarehouseError
        from nbaprops.sqlrender import SqlRenderError

        if isinstance(exc, (WarehouseError, SqlRenderError)) or type(exc).__module__.startswith(("duckdb", "sqlglot", "google")):
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
