"""``nbaprops verify-phase6`` and the Phase 6 gate: are the published objects complete and valid?

A range passes when
* predictions/{date} and best-bets/{date} exist for exactly the predicted game dates of the range
  (the slate, scheduled or final, and its history), results, live and live-grading for exactly
  the final ones (the number of ``results/{date}.json`` equals the number of final predicted
  dates: the original's "~918 files" made exact), none missing, none extra; players' game reports
  only for final dates;
* every object under ``v1/`` parses as JSON and validates against the schema of its key (a key
  no exporter writes is an error too);
* each latest/today alias holds the very bytes of its family's object of that family's newest
  date (tonight's slate for predictions and best bets, the newest final date for results and live);
* every as-of singleton exists and describes the newest predicted date (tonight's slate);
* the store holds nothing no export job wrote: no temporary file of an interrupted write, and no
  per-date object (results, …, players' game reports) missing from the key lists that the
  ``export_dates`` markers (and ``nbaprops export``'s daily markers) carry (as-of objects are
  rewritten by ``export_as_of_end`` and may outlive an earlier range, so they are checked by
  schema only).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from nbaprops.exporters import AS_OF, PER_DATE
from nbaprops.exporters.base import API_VERSION
from nbaprops.exporters.reads import ExportDays, ExportReads
from nbaprops.exporters.run import alias_sources, dated_key_pattern, decode_keys
from nbaprops.exporters.schemas import problems, schema_for_key

RULE = "=" * 70
SAMPLE = 8
READ_THREADS = 8  # object reads are I/O (a GCS read is one HTTP request)
BATCH = 512
# as-of singletons and the date field that must name the newest predicted date
SINGLETON_DATE_FIELD = {"trends/tonight-plays.json": "game_date", "tonight/all-players.json": "game_date"}


@dataclass
class Phase6Report:
    start: str
    end: str
    store: str
    predicted_dates: int = 0
    final_dates: int = 0
    newest: str | None = None
    newest_final: str | None = None
    objects: int = 0
    by_schema: dict[str, int] = field(default_factory=dict)
    # prefix -> {found, expected, kind (predicted|final), missing, unexpected}
    families: dict[str, dict] = field(default_factory=dict)
    early_reports: list[str] = field(default_factory=list)  # game reports of dates that are not final
    unknown_keys: list[str] = field(default_factory=list)
    unparsable: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # "key: problem"
    invalid_count: int = 0
    alias_problems: list[str] = field(default_factory=list)
    singleton_problems: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # temporary files of interrupted writes
    unwritten: list[str] = field(default_factory=list)  # per-date objects no export job's marker lists
    key_lists: str = ""  # how the unwritten check ran (or why it could not)

    @property
    def ok(self) -> bool:
        return (self.predicted_dates > 0 and not self.unknown_keys and not self.early_reports and not self.unparsable
                and not self.invalid_count and not self.alias_problems and not self.singleton_problems
                and not self.leftovers and not self.unwritten
                and all(not f["missing"] and not f["unexpected"] for f in self.families.values()))


def _dated_families() -> list[tuple[str, re.Pattern, bool]]:
    """(prefix, key pattern, needs_final) of the one-object-per-date families."""
    out = []
    for exporter in PER_DATE:
        key = exporter.keys[0]
        if key.endswith("/{date}.json") and "{player_lookup}" not in key:
            out.append((key[: -len("{date}.json")], dated_key_pattern(key), exporter.needs_final))
    return out


def _singletons() -> list[str]:
    return [key for exporter in AS_OF for key in exporter.keys if "{" not in key]


def _per_date_patterns() -> list[re.Pattern]:
    return [dated_key_pattern(key) for exporter in PER_DATE for key in exporter.keys]


def written_keys(markers_root: str | Path) -> tuple[set[str] | None, str]:
    """The keys every ``export_dates`` marker (and every daily marker of ``nbaprops export``)
    under ``markers_root`` lists (of any range: objects of an earlier range were written by its
    jobs), or None with the reason when some marker predates key lists."""
    folder = Path(markers_root) / "exports" / "dates"
    keys: set[str] = set()
    markers = sorted(folder.glob("*.json")) + sorted((Path(markers_root) / "exports" / "daily").glob("*.json"))
    if not markers:
        return None, f"not checked: no export_dates markers in {folder}"
    for path in markers:
        listed = decode_keys(json.loads(path.read_text()))
        if listed is None:
            return None, (f"not checked: {path} was written before export markers listed their keys; "
                          f"re-export with --forcerun export_dates")
        keys |= listed
    return keys, f"{len(keys):,} keys listed by {len(markers)} export_dates markers in {folder}"


def check_store(store, days: ExportDays, start: dt.date, end: dt.date,
                written: set[str] | None = None, key_lists: str = "") -> Phase6Report:
    """Check the store against the range's predicted and final dates; ``written`` (the keys the
    export markers list) enables the check that every per-date object was written by an export job."""
    newest, newest_final = days.newest, days.newest_final
    report = Phase6Report(start.isoformat(), end.isoformat(), store.url, len(days.predicted), len(days.final),
                          newest and newest.isoformat(), newest_final and newest_final.isoformat(),
                          key_lists=key_lists)
    keys = store.list_keys(f"{API_VERSION}/")
    report.leftovers = store.leftovers()
    report.unknown_keys = [k for k in store.list_keys() if not k.startswith(f"{API_VERSION}/")]
    if written is not None:
        per_date = _per_date_patterns()
        report.unwritten = [k for k in keys if k not in written and any(p.fullmatch(k) for p in per_date)]
    def in_range(day: str) -> bool:
        return start.isoformat() <= day <= end.isoformat()

    final = {d.isoformat() for d in days.final}
    for prefix, pattern, needs_final in _dated_families():
        want = final if needs_final else {d.isoformat() for d in days.predicted}
        found = {m["date"] for m in map(pattern.fullmatch, keys) if m and in_range(m["date"])}
        report.families[prefix.rstrip("/")] = {"found": len(found), "expected": len(want),
                                               "kind": "final" if needs_final else "predicted",
                                               "missing": sorted(want - found), "unexpected": sorted(found - want)}
    for exporter in PER_DATE:
        if exporter.needs_final and "{player_lookup}" in exporter.keys[0]:
            pattern = dated_key_pattern(exporter.keys[0])
            report.early_reports += [k for k in keys if (m := pattern.fullmatch(k)) and in_range(m["date"])
                                     and m["date"] not in final]
    documents: dict[str, object] = {}
    watched = {f"{API_VERSION}/{k}" for k in _singletons()}
    with ThreadPoolExecutor(READ_THREADS) as pool:
        for i in range(0, len(keys), BATCH):
            batch = keys[i: i + BATCH]
            for key, data in zip(batch, pool.map(store.read_bytes, batch)):
                _check_object(report, key, data, documents if key in watched else None)
    if newest:
        for alias, source, _, _ in alias_sources(days):
            if not store.exists(alias):
                report.alias_problems.append(f"{alias} is missing")
            elif not store.exists(source):
                report.alias_problems.append(f"{alias}: its source {source} is missing")
            elif store.read_bytes(alias) != store.read_bytes(source):
                report.alias_problems.append(f"{alias} does not hold the bytes of {source} (its family's newest "
                                             f"date)")
        for key in sorted(watched):
            short = key[len(API_VERSION) + 1:]
            if key not in documents:
                report.singleton_problems.append(f"{key} is missing")
                continue
            doc = documents[key]
            date_field = SINGLETON_DATE_FIELD.get(short, "as_of_date")
            if isinstance(doc, dict) and date_field in doc and doc[date_field] != newest.isoformat():
                report.singleton_problems.append(f"{key} describes {doc[date_field]}, not the newest predicted "
                                                 f"date {newest.isoformat()}")
    return report


def _check_object(report: Phase6Report, key: str, data: bytes, keep: dict | None) -> None:
    schema = schema_for_key(key)
    if schema is None:
        report.unknown_keys.append(key)
        return
    try:
        doc = json.loads(data)
    except ValueError as exc:
        report.unparsable.append(f"{key}: {exc}")
        return
    report.objects += 1
    report.by_schema[schema] = report.by_schema.get(schema, 0) + 1
    found = problems(schema, doc)
    if found:
        report.invalid_count += 1
        if len(report.invalid) < SAMPLE:
            report.invalid.append(f"{key} (schema {schema}): {found[0]}" + (f" (+{len(found) - 1} more)"
                                                                            if len(found) > 1 else ""))
    if keep is not None:
        keep[key] = doc


def format_report(report: Phase6Report) -> str:
    lines = [RULE, f"PHASE 6 EXPORTS  {report.start} .. {report.end}  ({report.store})", RULE,
             f"Predicted game dates: {report.predicted_dates}"
             + (f" (newest {report.newest}, tonight's slate)" if report.newest else "")
             + f"; final: {report.final_dates}" + (f" (newest {report.newest_final})" if report.newest_final else ""),
             f"Objects under {API_VERSION}/ parsed and validated: {report.objects:,}"]
    for name in sorted(report.by_schema):
        lines.append(f"   {name:<22} {report.by_schema[name]:>8,}")
    lines.append("")
    for family, f in sorted(report.families.items()):
        ok = not f["missing"] and not f["unexpected"]
        lines.append(f"{'✅' if ok else '❌'} {family}/{{date}}.json: {f['found']} objects for "
                     f"{f['expected']} {f['kind']} dates")
        if f["missing"]:
            lines.append(f"   Missing ({len(f['missing'])}): {', '.join(f['missing'][:SAMPLE])}"
                         + (" …" if len(f["missing"]) > SAMPLE else ""))
        if f["unexpected"]:
            lines.append(f"   For dates that are not {f['kind']} ({len(f['unexpected'])}): "
                         f"{', '.join(f['unexpected'][:SAMPLE])}" + (" …" if len(f["unexpected"]) > SAMPLE else ""))
    checks = [  # (what failed, what passing says, the failures)
        ("Temporary files of interrupted writes (no export job wrote them; delete them or re-run the "
         "export job of their date)", "no temporary files", report.leftovers),
        ("Keys no exporter writes", "every key belongs to an exporter", report.unknown_keys),
        ("Game reports of dates that are not final (re-run the export_dates job of their chunk)",
         "game reports exist for final dates only", report.early_reports),
        (f"Per-date objects no export job wrote ({report.key_lists})",
         "every per-date object was written by an export job" + (f" ({report.key_lists})" if report.key_lists
                                                                 else ""), report.unwritten),
        ("Objects that are not JSON", "every object parses", report.unparsable),
        (f"Objects failing their schema ({report.invalid_count})", "every object matches its schema", report.invalid),
        ("Aliases", "every latest/today alias holds its family's newest date's object", report.alias_problems),
        ("As-of objects", "every as-of object exists and describes the newest predicted date",
         report.singleton_problems),
    ]
    if report.key_lists.startswith("not checked"):
        lines.append(f"⚠️  per-date objects against the export jobs' key lists: {report.key_lists}")
    for failed, passed, found in checks:
        if not found and passed.startswith("every per-date object was written") and \
                report.key_lists.startswith("not checked"):
            continue
        if not found:
            lines.append(f"✅ {passed}")
            continue
        lines.append(f"❌ {failed}:")
        lines += [f"   {item}" for item in found[:SAMPLE]]
        if len(found) > SAMPLE:
            lines.append(f"   … {len(found) - SAMPLE} more")
    lines += ["", RULE]
    if report.ok:
        lines.append(f"✅ PHASE 6 IS COMPLETE: one object per predicted or final date in every per-date family, "
                     f"{report.objects:,} valid objects, tonight's slate {report.newest}.")
    elif report.predicted_dates == 0:
        lines.append("❌ PHASE 6 IS INCOMPLETE: no predicted game dates in this range (is Phase 5 built?).")
    else:
        lines.append("❌ PHASE 6 IS INCOMPLETE. Re-export with: snakemake --cores 2 all (a damaged object is "
                     "rewritten by forcing its job: --forcerun export_dates export_as_of_end)")
    lines.append(RULE)
    return "\n".join(lines)


def verify_phase6(config: Mapping, start: dt.date, end: dt.date, wh=None) -> tuple[bool, str]:
    """Check the configured object store against the warehouse's predicted and final dates in [start, end];
    returns (ok, report text). ``nbaprops verify-phase6`` and the Phase 6 gate (which passes its
    job's open warehouse ``wh``) call this."""
    from nbaprops.storage import open_store
    from nbaprops.warehouse import open_warehouse

    from nbaprops.plan import excluded_game_ids

    excluded = excluded_game_ids(config)
    if wh is None:
        with open_warehouse(config) as own:
            days = ExportReads(own, excluded).export_days(start, end)
    else:
        days = ExportReads(wh, excluded).export_days(start, end)
    written, key_lists = written_keys(config["paths"]["markers"])
    report = check_store(open_store(config), days, start, end, written, key_lists)
    return report.ok, format_report(report)


def phase6_gate_job(config: Mapping, marker, log_path=None) -> dict:
    """Rule ``phase6_gate``: verify the configured range; write the gate marker or fail with the report."""
    import logging

    from nbaprops.config import start_end
    from nbaprops.jobrun import now_iso, run_job

    log = logging.getLogger("nbaprops.exporters")
    start, end = start_end(config)
    with run_job(config, "gate.phase6", "gate", start, end, log_path=log_path) as job:
        ok, text = verify_phase6(config, start, end, job.wh)
        log.info("\n%s", text)
        if not ok:
            raise job.fail(f"phase 6 gate failed for {start}..{end}:\n{text}\nFull report: {log_path}",
                           summary={"ok": False})
        return job.succeed(marker, {"phase": 6, "start": start.isoformat(), "end": end.isoformat(), "ok": True,
                                    "report": text, "run_id": job.run.run_id, "written_at": now_iso()},
                           summary={"ok": True})
