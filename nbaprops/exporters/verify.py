"""``nbaprops verify-phase6`` and the Phase 6 gate: are the published objects complete and valid?

A range passes when
* predictions/{date} and best-bets/{date} exist for exactly the predicted game dates of the range
  (the slate, scheduled or final, and its history), results, live and live-grading for exactly
  the final ones (the number of ``results/{date}.json`` equals the number of final predicted
  dates: the original's "~918 files" made exact), none missing, none extra; players' game reports
  only for final dates;
* every object under ``v1/`` is vouched for by an export marker or parses as JSON and validates
  against the schema of its key (a key no exporter writes is an error too). Export jobs validate
  each object before writing it and record its size and sha256 in their marker's manifest
  (``run.py``); an object whose size and sha256 (on a local store, where reading is cheap; its size
  alone in a bucket, from the listing) equal what some marker recorded is vouched for and not
  parsed again. One a marker lists with other bytes was changed after its job wrote it (an error);
  one no manifest lists (an as-of object of an earlier range, markers before manifests) is
  parsed and validated. ``deep`` (``verify-phase6 --deep``) parses and validates every object;
* each latest/today alias holds the very bytes of its family's object of that family's newest
  date (tonight's slate for predictions and best bets, the newest final date for results and live);
* every as-of singleton exists and describes the newest predicted date (tonight's slate);
* the store holds nothing no export job wrote: no temporary file of an interrupted write, and no
  per-date object (results, …, players' game reports) missing from the key lists that the
  ``export_dates`` markers (and ``nbaprops export``'s daily markers) carry (as-of objects are
  rewritten by ``export_as_of_end`` and may outlive an earlier range, so they are checked by
  schema only).

The Phase 6 gate (``phase6_gate_job``, on a local store) reads only what changed since its last
pass: objects listed by export markers whose content changed, and objects its state does not know;
the rest it carries (``gate_state``). The listing-based checks above run in full every time.
``verify-phase6`` checks in full, ``--deep`` parses everything.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from nbaprops.exporters import AS_OF, PER_DATE
from nbaprops.exporters.base import API_VERSION
from nbaprops.exporters.reads import ExportDays, ExportReads
from nbaprops.exporters.run import SCHEMAS_FIELD, alias_sources, dated_key_pattern, decode_keys, decode_manifest
from nbaprops.exporters.schemas import problems, schema_for_key, schemas_digest

RULE = "=" * 70
SAMPLE = 8
READ_THREADS = 8  # object reads are I/O (a GCS read is one HTTP request)
BATCH = 512
# as-of singletons and the date field that must name the newest predicted date
SINGLETON_DATE_FIELD = {"trends/tonight-plays.json": "game_date", "tonight/all-players.json": "game_date"}
# stores whose objects are cheap to read (files): the gate compares every object's sha256 with the
# markers there; in a bucket (one HTTP request per object) it compares the listing's sizes
DIGESTS_READ = {"local"}


@dataclass
class Phase6Report:
    start: str
    end: str
    store: str
    predicted_dates: int = 0
    final_dates: int = 0
    newest: str | None = None
    newest_final: str | None = None
    objects: int = 0  # parsed and validated
    vouched: int = 0  # matched an export marker's record: not parsed again
    vouched_by: str = ""  # what was compared: "size and sha256" or "size"
    deep: bool = False
    other_schemas: int = 0  # export markers written against other schema files (their objects validated here)
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
    changed: list[str] = field(default_factory=list)  # objects whose bytes no marker that lists them recorded
    key_lists: str = ""  # how the unwritten check ran (or why it could not)
    # object -> the marker whose record its bytes matched, or "" (parsed and valid here), of the
    # objects read and found good (the gate's state: nbaprops.exporters.gate_state)
    verdicts: dict[str, str] = field(default_factory=dict, repr=False)
    carried: int = 0  # objects the last passing gate checked that no export job wrote since (not read again)
    checked: str = ""  # the gate: what it read (gate_state), or why in full

    @property
    def ok(self) -> bool:
        return (self.predicted_dates > 0 and not self.unknown_keys and not self.early_reports and not self.unparsable
                and not self.invalid_count and not self.alias_problems and not self.singleton_problems
                and not self.leftovers and not self.unwritten and not self.changed
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


@dataclass
class ExportMarkers:
    """What the export markers under a markers folder say their jobs wrote."""

    keys: set[str] | None  # every key the export_dates and daily markers list (None: one predates key lists)
    note: str  # how the unwritten check runs (or why it cannot)
    # key -> {(size, sha256): the marker (path under the markers folder) that recorded it}
    vouched: dict[str, dict[tuple[int, str], str]] = field(default_factory=dict)
    other_schemas: int = 0  # markers of jobs that validated against other schema files (vouching for nothing)
    listers: dict[str, list[str]] = field(default_factory=dict)  # key -> the markers listing it
    stale: set[str] = field(default_factory=set)  # the markers counted in other_schemas


def export_marker_files(markers_root: str | Path) -> list[tuple[str, Path]]:
    """(name: the path under ``markers_root``, path) of every export marker the gate reads: the
    export_dates markers, the daily ones of ``nbaprops export``, export_as_of_end's."""
    markers_root = Path(markers_root)
    root = markers_root / "exports"
    paths = sorted((root / "dates").glob("*.json")) + sorted((root / "daily").glob("*.json"))
    paths += [p for p in [root / "as_of_end.json"] if p.exists()]
    return [(p.relative_to(markers_root).as_posix(), p) for p in paths]


def lists_written(name: str) -> bool:
    """Whether a marker (by name) lists the keys its job wrote for the unwritten check (the
    export_dates and daily markers; as-of objects may outlive their range)."""
    return name.startswith(("exports/dates/", "exports/daily/"))


def read_export_markers(markers_root: str | Path, only: set[str] | None = None) -> ExportMarkers:
    """The keys every ``export_dates`` marker (and every daily marker of ``nbaprops export``)
    under ``markers_root`` lists (of any range: objects of an earlier range were written by its
    jobs), and the (size, sha256) every manifest (also ``export_as_of_end``'s) records per key,
    from markers whose job validated against today's schema files (a changed schema vouches for
    nothing its job wrote: those objects are validated again). ``only``: the markers of those
    names alone (the gate's re-check of what changed)."""
    folder = Path(markers_root) / "exports" / "dates"
    files = export_marker_files(markers_root)
    dated = [name for name, _ in files if lists_written(name)]
    out = ExportMarkers(set(), f"{{n:,}} keys listed by {len(dated)} export_dates markers in {folder}")
    if not dated:
        out.keys, out.note = None, f"not checked: no export_dates markers in {folder}"
    for name, path in files:
        if only is not None and name not in only:
            continue
        marker = json.loads(path.read_text())
        manifest = decode_manifest(marker)
        if manifest and marker.get(SCHEMAS_FIELD) != schemas_digest():
            out.stale.add(name)
        else:
            for key, record in (manifest or {}).items():
                out.vouched.setdefault(key, {})[record] = name
        listed = set(manifest) if manifest is not None else decode_keys(marker)
        for key in listed or ():
            out.listers.setdefault(key, []).append(name)
        if out.keys is None or not lists_written(name):
            continue
        if listed is None:
            out.keys, out.note = None, (f"not checked: {path} was written before export markers listed their keys; "
                                        f"re-export with --forcerun export_dates")
            continue
        out.keys |= listed
    out.other_schemas = len(out.stale)
    if out.keys is not None:
        out.note = out.note.format(n=len(out.keys))
    return out


def written_keys(markers_root: str | Path) -> tuple[set[str] | None, str]:
    """(keys the export_dates and daily markers list, how the check runs) or (None, why not)."""
    markers = read_export_markers(markers_root)
    return markers.keys, markers.note


@dataclass
class Carried:
    """Objects the last passing gate found good whose key no export marker changed since lists
    (``gate_state``): not read again, counted as they were found."""

    keys: frozenset[str] = frozenset()
    vouched: int = 0
    by_schema: dict[str, int] = field(default_factory=dict)  # parsed and valid then, per schema


def check_store(store, days: ExportDays, start: dt.date, end: dt.date,
                written: set[str] | None = None, key_lists: str = "",
                vouched: Mapping[str, Mapping[tuple[int, str], str]] | None = None, deep: bool = False,
                carried: Carried | None = None,
                every: tuple[list[str], list[str]] | None = None) -> Phase6Report:
    """Check the store against the range's predicted and final dates; ``written`` (the keys the
    export markers list) enables the check that every per-date object was written by an export
    job, ``vouched`` (key -> (size, sha256) the manifests record) spares the objects whose bytes a
    marker recorded from parsing and validation, unless ``deep``; ``carried`` objects are neither
    read (but the as-of singletons, for their date) nor checked against ``written``: the listing,
    the families, aliases and singletons are checked in full every time."""
    newest, newest_final = days.newest, days.newest_final
    report = Phase6Report(start.isoformat(), end.isoformat(), store.url, len(days.predicted), len(days.final),
                          newest and newest.isoformat(), newest_final and newest_final.isoformat(),
                          key_lists=key_lists, deep=deep)
    vouched = vouched or {}
    digests = getattr(store, "backend", None) in DIGESTS_READ
    report.vouched_by = "size and sha256" if digests else "size"
    every, report.leftovers = store_listing(store) if every is None else every
    keys = _under(every, f"{API_VERSION}/")
    report.unknown_keys = [k for k in every if not k.startswith(f"{API_VERSION}/")]
    carried = carried or Carried()
    report.carried = sum(k in carried.keys for k in keys) if carried.keys else 0
    if written is not None:
        per_date = _per_date_patterns()
        report.unwritten = [k for k in sorted(set(keys).difference(written, carried.keys))
                            if any(p.fullmatch(k) for p in per_date)]
    first, last = start.isoformat(), end.isoformat()

    def in_range(day: str) -> bool:
        return first <= day <= last

    final = {d.isoformat() for d in days.final}
    for prefix, pattern, needs_final in _dated_families():
        want = final if needs_final else {d.isoformat() for d in days.predicted}
        family = _under(keys, f"{API_VERSION}/{prefix}")
        found = {m["date"] for m in map(pattern.fullmatch, family) if m and in_range(m["date"])}
        report.families[prefix.rstrip("/")] = {"found": len(found), "expected": len(want),
                                               "kind": "final" if needs_final else "predicted",
                                               "missing": sorted(want - found), "unexpected": sorted(found - want)}
    for exporter in PER_DATE:
        if exporter.needs_final and "{player_lookup}" in exporter.keys[0]:
            pattern = dated_key_pattern(exporter.keys[0])
            head, _, tail = exporter.keys[0].partition("{player_lookup}")
            inside = tail.split("{date}")[0]  # "/game-report/": a cheap test before the pattern
            report.early_reports += [k for k in _under(keys, f"{API_VERSION}/{head}") if inside in k
                                     and (m := pattern.fullmatch(k)) and in_range(m["date"]) and m["date"] not in final]
    documents: dict[str, object] = {}
    watched = {f"{API_VERSION}/{k}" for k in _singletons()}
    to_read = [k for k in keys if k not in carried.keys or k in watched] if carried.keys else keys
    report.vouched, report.objects = carried.vouched, sum(carried.by_schema.values())
    report.by_schema = dict(carried.by_schema)
    if vouched and not digests and not deep:  # a bucket: sizes from the listing, read what they do not vouch for
        sizes = store.sizes(f"{API_VERSION}/")
        to_read = []
        for key in keys:
            recorded = vouched.get(key)
            if recorded and sizes.get(key) in {size for size, _ in recorded}:
                report.vouched += 1
                if key in watched:
                    to_read.append(key)
            elif recorded:
                report.changed.append(_changed(key, sizes.get(key), None, recorded))
            else:
                to_read.append(key)
    with ThreadPoolExecutor(READ_THREADS) as pool:
        for i in range(0, len(to_read), BATCH):
            batch = to_read[i: i + BATCH]
            for key, data in zip(batch, pool.map(store.read_bytes, batch)):
                keep = documents if key in watched else None
                if key in carried.keys:  # a singleton, read for its date
                    keep[key] = json.loads(data)
                    continue
                recorded = vouched.get(key)
                if recorded and digests:
                    record = (len(data), hashlib.sha256(data).hexdigest())
                    if record not in recorded:
                        report.changed.append(_changed(key, *record, recorded))
                        continue
                    report.vouched += 1
                    report.verdicts[key] = recorded[record]
                    if not deep:
                        if keep is not None:
                            keep[key] = json.loads(data)
                        continue
                elif recorded and not deep:  # vouched for by its size above: a singleton, read for its date
                    keep[key] = json.loads(data)
                    continue
                _check_object(report, key, data, keep)
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


def store_listing(store) -> tuple[list[str], list[str]]:
    """(every key, temporary files of interrupted writes), from one walk where the store can."""
    if hasattr(store, "listing"):
        return store.listing()
    return store.list_keys(), store.leftovers()


def _under(keys: list[str], prefix: str) -> list[str]:
    """The keys starting with ``prefix`` of sorted ``keys`` (a slice, not a scan)."""
    return keys[bisect.bisect_left(keys, prefix): bisect.bisect_left(keys, prefix + "\U0010ffff")]


def _changed(key: str, size: int | None, digest: str | None, recorded: set[tuple[int, str]]) -> str:
    """One line of the report for an object whose bytes no marker listing it recorded."""
    size_, digest_ = sorted(recorded)[-1]
    found = f"{size} bytes" + (f", sha256 {digest[:12]}…" if digest else "")
    return f"{key}: {found} in the store; its export marker recorded {size_} bytes, sha256 {digest_[:12]}…"


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
    elif key not in report.verdicts:  # (--deep: a vouched object keeps its marker)
        report.verdicts[key] = ""
    if keep is not None:
        keep[key] = doc


def _counts_line(report: Phase6Report) -> str:
    if report.deep:
        return (f"Objects under {API_VERSION}/ parsed and validated (--deep): {report.objects:,}; "
                f"{report.vouched:,} of them hold the bytes their export marker recorded ({report.vouched_by})")
    return (f"Objects under {API_VERSION}/: {report.objects + report.vouched:,}; vouched for by their export markers ({report.vouched_by} "
            f"as written, validated by the export job): {report.vouched:,}; parsed and validated here: "
            f"{report.objects:,}" + (f" ({report.other_schemas} export markers were written against other "
                                     f"schema files: their objects are validated here)" if report.other_schemas
                                     else ""))


def _valid_objects(report: Phase6Report) -> str:
    if report.deep or not report.vouched:
        return f"{report.objects:,} valid objects"
    return f"{report.vouched + report.objects:,} valid objects ({report.vouched:,} vouched for by export markers)"


def format_report(report: Phase6Report) -> str:
    lines = [RULE, f"PHASE 6 EXPORTS  {report.start} .. {report.end}  ({report.store})", RULE,
             f"Predicted game dates: {report.predicted_dates}"
             + (f" (newest {report.newest}, tonight's slate)" if report.newest else "")
             + f"; final: {report.final_dates}" + (f" (newest {report.newest_final})" if report.newest_final else ""),
             _counts_line(report)] + ([report.checked] if report.checked else [])
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
        ("Objects changed after their export job wrote them (its marker recorded other bytes; re-run the "
         "job that writes them with --forcerun)", f"every object a marker lists holds the bytes it recorded "
         f"({report.vouched_by})", report.changed),
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
                     f"{_valid_objects(report)}, tonight's slate {report.newest}.")
    elif report.predicted_dates == 0:
        lines.append("❌ PHASE 6 IS INCOMPLETE: no predicted game dates in this range (is Phase 5 built?).")
    else:
        lines.append("❌ PHASE 6 IS INCOMPLETE. Re-export with: snakemake --cores 2 all (a damaged object is "
                     "rewritten by forcing its job: --forcerun export_dates export_as_of_end)")
    lines.append(RULE)
    return "\n".join(lines)


def verify_phase6(config: Mapping, start: dt.date, end: dt.date, wh=None, deep: bool = False,
                  state: Path | None = None) -> tuple[bool, str]:
    """Check the configured object store against the warehouse's predicted and final dates in [start, end];
    returns (ok, report text). ``nbaprops verify-phase6 [--deep]`` and the Phase 6 gate (which passes
    its job's open warehouse ``wh``) call this; ``deep`` parses and validates every object, also
    those the export markers vouch for. ``state`` (the gate: ``gate_state``): read only what
    changed since the last passing check recorded there, and record this one if it passes."""
    from nbaprops.storage import open_store
    from nbaprops.warehouse import open_warehouse

    from nbaprops.plan import excluded_game_ids

    excluded = excluded_game_ids(config)
    if wh is None:
        with open_warehouse(config) as own:
            days = ExportReads(own, excluded).export_days(start, end)
    else:
        days = ExportReads(wh, excluded).export_days(start, end)
    store = open_store(config)
    root = config["paths"]["markers"]
    if state is None or deep or getattr(store, "backend", None) not in DIGESTS_READ:
        markers = read_export_markers(root)
        report = check_store(store, days, start, end, markers.keys, markers.note, markers.vouched, deep)
        report.other_schemas = markers.other_schemas
        return report.ok, format_report(report)
    return _incremental(store, days, start, end, root, state)


def _incremental(store, days: ExportDays, start: dt.date, end: dt.date, root, path: Path) -> tuple[bool, str]:
    """The gate's check: what changed since the last passing gate (``gate_state``), else in full."""
    from nbaprops.exporters import gate_state

    every = store_listing(store)
    listed = set(_under(every[0], f"{API_VERSION}/"))
    files = export_marker_files(root)
    digests = gate_state.marker_digests(files)
    now_basis = gate_state.basis(store.url, start.isoformat())
    previous = gate_state.load(path)
    plan, why = gate_state.plan(previous, now_basis, digests, listed, lambda names: read_export_markers(root, names),
                                lists_written)
    if plan is None:
        markers = read_export_markers(root)
        report = check_store(store, days, start, end, markers.keys, markers.note, markers.vouched, every=every)
        changed, stale, carried = None, markers.stale, frozenset()
        how = f"Checked in full ({why})"
    else:
        markers = read_export_markers(root, plan.changed)
        dated = sum(lists_written(name) for name, _ in files)
        note = f"{len(plan.written):,} keys listed by {dated} export_dates markers in {Path(root) / 'exports' / 'dates'}"
        carried = plan.vouched_keys | plan.validated_keys
        report = check_store(store, days, start, end, plan.written, note, markers.vouched, every=every,
                             carried=Carried(carried, len(plan.vouched_keys & listed),
                                             gate_state.carried_schemas(plan.validated_keys & listed)))
        changed, stale = plan.changed, plan.stale
        how = (f"Checked what changed since the last passing gate: {len(plan.changed)} changed export markers, "
               f"{len(listed) - report.carried:,} objects read; {report.carried:,} carried")
    report.other_schemas = len(stale)
    report.checked = how
    if report.ok:
        gate_state.save(path, gate_state.after_pass(previous, now_basis, digests, stale, changed, markers.listers,
                                                    listed, report.verdicts, carried))
    return report.ok, format_report(report)


def phase6_gate_job(config: Mapping, marker, log_path=None) -> dict:
    """Rule ``phase6_gate``: verify the configured range; write the gate marker or fail with the report."""
    import logging

    from nbaprops.config import start_end
    from nbaprops.jobrun import now_iso, run_job

    log = logging.getLogger("nbaprops.exporters")
    start, end = start_end(config)
    with run_job(config, "gate.phase6", "gate", start, end, log_path=log_path) as job:
        log.info("checking the objects of %s..%s against the export markers", start, end)
        from nbaprops.exporters.gate_state import state_path

        ok, text = verify_phase6(config, start, end, job.wh, state=state_path(config["paths"]["markers"]))
        log.info("\n%s", text)
        if not ok:
            raise job.fail(f"phase 6 gate failed for {start}..{end}:\n{text}\nFull report: {log_path}",
                           summary={"ok": False})
        return job.succeed(marker, {"phase": 6, "start": start.isoformat(), "end": end.isoformat(), "ok": True,
                                    "report": text, "run_id": job.run.run_id, "written_at": now_iso()},
                           summary={"ok": True})
