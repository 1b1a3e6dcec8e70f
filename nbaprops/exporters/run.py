"""Phase 6 jobs: write the exporters' objects to the object store and record what was written.

* ``export_dates``     the per-date objects of every predicted game date in [start, end] (one
                       chunk job per chunk of the plan): predictions and best bets from the
                       scheduled slate on, results, live, live-grading and game reports once the
                       date is final (``ExportReads.export_days``); then it removes every per-date
                       object dated in its range that it did not write (a date that went back to
                       scheduled, a player no longer graded), so no stale object survives a re-run;
* ``export_as_of_end`` after every chunk: the latest/today aliases (byte copies of each family's
                       newest dated object: the slate for predictions and best bets, the newest
                       final date for results and live) and the as-of objects, status last;
* ``daily_export``     ``nbaprops export --date D [--only TYPES] [--players]``, the original's
                       daily_export.py: the same exporters for one date, recorded in a marker the
                       Phase 6 gate reads like the chunk jobs' (``markers/exports/daily/D.json``);
* ``*_job``            the rule entry points: job log, run history, then a marker holding object
                       counts and bytes per exporter, a digest of every key and its bytes (its
                       content hash changes only when some object's bytes do) and the manifest of
                       what it wrote: every key with its size and sha256 (compressed).

Every object is validated against the schema of its key (compiled validators) before it is
written; an invalid one fails the job with a sentence naming it. So a marker vouches for its
objects: the Phase 6 gate compares the store with the manifests (present, sizes, digests, nothing
unlisted) and re-validates only objects no manifest vouches for (``verify-phase6 --deep`` all).
Objects are written in full every time (a re-export of the same data writes the same bytes), with
one exception: ``export_as_of_end`` lists a finished season's player-season pages whose inputs did
not change since its previous run in its manifest without building or writing them again
(``nbaprops.exporters.carry``). The as-of objects read the history (box scores, grading, days of
rest) once since the first game and slice it (``ExportReads.read_history``).
"""
from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from nbaprops.catalogue import PHASE_NAMES, parse_chunk_id
from nbaprops.exporters import AS_OF, PER_DATE
from nbaprops.exporters.base import API_VERSION, AsOf, AsOfExporter, CarriedObject, ExportObject, cache_control
from nbaprops.exporters.carry import SIDE_FILE, Carry, season_fingerprints
from nbaprops.exporters.reads import ExportDays, ExportReads
from nbaprops.exporters.schemas import check_object, schemas_digest
from nbaprops.markers import read_marker
from nbaprops.plan import excluded_game_ids

log = logging.getLogger("nbaprops.exporters")
PHASE = PHASE_NAMES[6]


@dataclass
class ExportStats:
    """What a job wrote: objects and bytes per exporter, each key's size and sha256, and a digest
    of (key, sha256) in key order."""

    by_exporter: dict[str, dict[str, int]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)  # stale objects deleted
    carried: int = 0  # objects of the previous run listed without being written again
    _digests: dict[str, str] = field(default_factory=dict)
    _sizes: dict[str, int] = field(default_factory=dict)

    def add(self, exporter: str, key: str, data: bytes) -> None:
        entry = self.by_exporter.setdefault(exporter, {"objects": 0, "bytes": 0})
        entry["objects"] += 1
        entry["bytes"] += len(data)
        self._digests[key] = hashlib.sha256(data).hexdigest()
        self._sizes[key] = len(data)

    def carry(self, exporter: str, key: str, size: int, digest: str) -> None:
        """An object the previous run wrote, unchanged: counted and listed as if written again."""
        entry = self.by_exporter.setdefault(exporter, {"objects": 0, "bytes": 0})
        entry["objects"] += 1
        entry["bytes"] += size
        self._digests[key] = digest
        self._sizes[key] = size
        self.carried += 1

    @property
    def manifest(self) -> dict[str, tuple[int, str]]:
        """key -> (size, sha256) of every object written."""
        return {key: (self._sizes[key], digest) for key, digest in self._digests.items()}

    @property
    def keys(self) -> set[str]:
        return set(self._digests)

    @property
    def objects(self) -> int:
        return sum(e["objects"] for e in self.by_exporter.values())

    @property
    def bytes(self) -> int:
        return sum(e["bytes"] for e in self.by_exporter.values())

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for key in sorted(self._digests):
            h.update(f"{key}\0{self._digests[key]}\n".encode())
        return h.hexdigest()[:16]

    def as_dict(self) -> dict:
        return {"objects": self.objects, "bytes": self.bytes, "objects_digest": self.digest, "removed": self.removed,
                "by_exporter": {k: self.by_exporter[k] for k in sorted(self.by_exporter)},
                MANIFEST_FIELD: encode_manifest(self.manifest), SCHEMAS_FIELD: schemas_digest()}


SCHEMAS_FIELD = "schemas_sha256"  # the schema files the job validated its objects against
KEYS_FIELD = "keys_gzip_base64"  # markers before manifests: the keys alone
MANIFEST_FIELD = "manifest_gzip_base64"


def _pack(lines) -> str:
    """Sorted lines gzipped (deterministically: no timestamp) and base64-encoded."""
    return base64.b64encode(gzip.compress("\n".join(sorted(lines)).encode(), mtime=0)).decode("ascii")


def _unpack(text: str) -> list[str]:
    listing = gzip.decompress(base64.b64decode(text)).decode()
    return listing.split("\n") if listing else []


def encode_keys(keys) -> str:
    """The sorted keys, one a line (the marker field before manifests)."""
    return _pack(keys)


def encode_manifest(manifest: Mapping[str, tuple[int, str]]) -> str:
    """``key<TAB>size<TAB>sha256`` per object, sorted, compressed: ~60 bytes an object in the
    marker (the digests do not compress), ~3 MB for a season chunk's ~50,000 objects."""
    return _pack(f"{key}\t{size}\t{digest}" for key, (size, digest) in manifest.items())


def decode_manifest(marker: Mapping) -> dict[str, tuple[int, str]] | None:
    """key -> (size, sha256) an export marker vouches for (None for a marker written before manifests)."""
    text = marker.get(MANIFEST_FIELD)
    if text is None:
        return None
    out = {}
    for line in _unpack(text):
        key, size, digest = line.split("\t")
        out[key] = (int(size), digest)
    return out


def decode_keys(marker: Mapping) -> set[str] | None:
    """The keys an export marker says its job wrote (None for a marker written before key lists)."""
    manifest = decode_manifest(marker)
    if manifest is not None:
        return set(manifest)
    text = marker.get(KEYS_FIELD)
    return None if text is None else set(_unpack(text))


class ObjectWriter:
    """Writes objects to the store from a few threads: a write is I/O (an HTTP upload to Cloud
    Storage, a file plus fsync locally), so a chunk's thousand game reports should not wait for
    each other. Encoding and the stats stay on the caller's thread; the first failed write is
    raised by ``flush`` (called on leaving the ``with`` block). Each object is validated against
    its key's schema before it is queued: an invalid one raises (SchemaError) and is not written."""

    THREADS = 8
    MAX_PENDING = 256  # bounds the encoded objects held in memory

    def __init__(self, store, stats: ExportStats):
        self.store, self.stats = store, stats
        self._pool = ThreadPoolExecutor(self.THREADS)
        self._pending: list = []

    def write(self, obj: ExportObject | CarriedObject, exporter: str) -> None:
        if isinstance(obj, CarriedObject):  # already in the store with these bytes: listed only
            self.stats.carry(exporter, obj.key, obj.size, obj.sha256)
            return
        document, data = obj.encoded()
        check_object(obj.key, document)
        self.stats.add(exporter, obj.key, data)
        self._pending.append(self._pool.submit(self.store.write_json, obj.key, data,
                                               cache_control=obj.cache_control))
        if len(self._pending) >= self.MAX_PENDING:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def __enter__(self) -> "ObjectWriter":
        return self

    def __exit__(self, *exc) -> None:
        try:
            if exc[0] is None:
                self.flush()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def dated_key_pattern(key: str) -> re.Pattern:
    """The full keys (under v1/) of one per-date key pattern, capturing the date."""
    return re.compile(re.escape(f"{API_VERSION}/{key}").replace(r"\{date\}", r"(?P<date>\d{4}-\d{2}-\d{2})")
                      .replace(r"\{player_lookup\}", r"[^/]+"))


def write_days(reads: ExportReads, writer: ObjectWriter, days: ExportDays, exporters) -> None:
    """Every object of ``exporters`` (per-date) for their dates of ``days``."""
    for exporter in exporters:
        dates = days.of(exporter)
        if not dates:
            continue
        t0 = time.monotonic()
        data = exporter.load(reads, dates[0], dates[-1])
        for day in dates:
            for obj in exporter.export(data, day):
                writer.write(obj, exporter.name)
        log.info("%s: %d objects for %d dates in %.1fs", exporter.name,
                 writer.stats.by_exporter.get(exporter.name, {}).get("objects", 0), len(dates), time.monotonic() - t0)


def remove_stale(store, start: dt.date, end: dt.date, written: set[str], exporters) -> list[str]:
    """Delete the objects of ``exporters`` dated in [start, end] that this run did not write: the
    run owns those dates, so what it did not write describes a state they are no longer in (a
    date back to scheduled, a prediction or a graded player gone). Returns the deleted keys."""
    removed = []
    listings: dict[str, list[str]] = {}
    for exporter in exporters:
        for key in exporter.keys:
            pattern = dated_key_pattern(key)
            for found in _dated_candidates(store, key, start, end, listings):
                match = pattern.fullmatch(found)
                if match and start.isoformat() <= match["date"] <= end.isoformat() and found not in written:
                    store.delete(found)
                    removed.append(found)
    if removed:
        log.info("removed %d stale objects of %s..%s, e.g. %s", len(removed), start, end, removed[0])
    return sorted(removed)


GLOB_DAYS = 31  # up to a month's dates, a local store globs each date's player objects instead of listing


def _dated_candidates(store, key: str, start: dt.date, end: dt.date, listings: dict[str, list[str]]) -> list[str]:
    """The keys that may be ``key``'s objects dated in [start, end]: the listing of its prefix
    (shared through ``listings``), or, for a per-player key of a short range on a local store,
    one glob per date (a day chunk's job need not list the ~100,000 game reports of every date)."""
    days = (end - start).days + 1
    if "{player_lookup}" in key and hasattr(store, "glob_keys") and days <= GLOB_DAYS:
        found = []
        for i in range(days):
            day = (start + dt.timedelta(days=i)).isoformat()
            found += store.glob_keys(f"{API_VERSION}/" + key.replace("{player_lookup}", "*").replace("{date}", day))
        return found
    prefix = f"{API_VERSION}/{key.split('{')[0]}"
    if prefix not in listings:
        listings[prefix] = store.list_keys(prefix)
    return listings[prefix]


def export_dates(wh, store, start: dt.date, end: dt.date, excluded=()) -> tuple[ExportDays, ExportStats]:
    """Every per-date object of the predicted dates in [start, end] (one run: one ExportReads),
    then no other per-date object dated in the range."""
    stats = ExportStats()
    reads = ExportReads(wh, excluded)
    days = reads.export_days(start, end)
    with ObjectWriter(store, stats) as writer:
        write_days(reads, writer, days, PER_DATE)
    stats.removed = remove_stale(store, start, end, stats.keys, PER_DATE)
    return days, stats


def alias_sources(days: ExportDays, exporters=PER_DATE) -> list[tuple[str, str, int, str]]:
    """(alias key, source key, max-age, exporter) of every latest/today alias: each family's
    object of its newest date (tonight's slate, or the newest final date for results and live)."""
    out = []
    for exporter in exporters:
        newest = days.of(exporter)[-1] if days.of(exporter) else None
        if exporter.alias and newest:
            alias, max_age = exporter.alias
            source = exporter.keys[0].format(date=newest.isoformat())
            out.append((f"{API_VERSION}/{alias}", f"{API_VERSION}/{source}", max_age, exporter.name))
    return out


def write_aliases(store, sources: list[tuple[str, str, int, str]], stats: ExportStats) -> None:
    """Copy each alias's source (:func:`alias_sources`) over the alias, validated as any object
    written (the source was read back from the store)."""
    from nbaprops.storage import ObjectNotFound

    for alias, source, max_age, exporter in sources:
        try:
            data = store.read_bytes(source)
        except ObjectNotFound:
            raise RuntimeError(f"{source} is missing: the per-date export of its date has not run; run the "
                               f"export_dates job of its chunk first") from None
        try:
            document = json.loads(data)
        except ValueError as exc:
            raise RuntimeError(f"{source} is not JSON ({exc}), so {alias} was not copied from it; re-run the "
                               f"export_dates job of its chunk (--forcerun export_dates)") from None
        check_object(alias, document)
        store.write_json(alias, data, cache_control=cache_control(max_age))
        stats.add(f"{exporter}-alias", alias, data)


def write_as_of(reads: ExportReads, writer: ObjectWriter, ctx: AsOf, exporters=AS_OF) -> None:
    for exporter in exporters:
        t0 = time.monotonic()
        writer.flush()  # status reads what the exporters before it wrote
        carried = writer.stats.carried
        for obj in exporter.export(reads, ctx):
            writer.write(obj, exporter.name)
        carried = writer.stats.carried - carried
        log.info("%s: %d objects%s in %.1fs", exporter.name,
                 writer.stats.by_exporter.get(exporter.name, {}).get("objects", 0),
                 f" ({carried} carried from the previous run)" if carried else "", time.monotonic() - t0)


def export_as_of_end(wh, store, start: dt.date, end: dt.date, excluded=(),
                     markers_root: str | Path | None = None) -> tuple[dt.date | None, ExportStats]:
    """The aliases and the as-of objects for the newest predicted date of [start, end], tonight's
    slate (for ``end`` itself, with empty shapes, when nothing in the range is predicted). With
    ``markers_root`` the finished seasons' player-season pages whose inputs are unchanged since
    the previous run are carried forward (``nbaprops.exporters.carry``), not rebuilt."""
    stats = ExportStats()
    reads = ExportReads(wh, excluded)
    days = reads.export_days(start, end)
    write_aliases(store, alias_sources(days), stats)
    as_of = days.newest or end
    reads.read_history(as_of)
    carry, side_file = None, None
    if markers_root is not None:
        side_file = Path(markers_root) / "exports" / SIDE_FILE
        calendar = reads.calendar(None, as_of)
        current = calendar.season_of(as_of)
        finished = {season: span.last for season, span in calendar.spans.items() if season < current}
        fingerprints = season_fingerprints(markers_root, finished, reads.season_start(start), store.url)
        carry = Carry.take(side_file, fingerprints, store)
    ctx = AsOf(as_of=as_of, start=start, end=end, store=store, final=days.newest_final, carry=carry)
    with ObjectWriter(store, stats) as writer:
        write_as_of(reads, writer, ctx)
    if carry is not None:  # every object is written: the next run may trust this record
        carry.save(side_file, stats.manifest)
    return days.newest, stats


# ----------------------------------------------------------------------------- rule entry points
def _run(config: Mapping, processor: str, start: dt.date, end: dt.date, chunk_id: str | None, marker, log_path,
         work, rerun: str = "the same snakemake command") -> dict:
    """One export job: ``work(wh, store)`` returns the marker's payload (with objects and bytes)."""
    from nbaprops.jobrun import now_iso, run_job
    from nbaprops.storage import open_store

    def failure(exc: BaseException) -> str:
        if isinstance(exc, ExportRefused):
            return str(exc)
        return (f"{processor} for {start}..{end} failed: {exc}\nObjects already written stay (a re-run rewrites "
                f"them); fix the cause and re-run {rerun}. Log: {log_path}")

    with run_job(config, processor, PHASE, start, end, chunk_id, log_path=log_path, failure=failure) as job:
        store = open_store(config)
        log.info("%s for %s..%s into %s", processor, start, end, store.url)
        payload = work(job.wh, store)
        payload.update({"phase": PHASE, "processor": processor, "start": start.isoformat(), "end": end.isoformat(),
                        "store": store.url, "backend": job.wh.backend, "run_id": job.run.run_id,
                        "seconds": job.seconds, "written_at": now_iso()})
        log.info("wrote %d objects (%d bytes)", payload["objects"], payload["bytes"])
        path = marker(payload) if callable(marker) else marker  # a daily export's date is known only now
        return job.succeed(path, payload, rows=payload["objects"], summary={"bytes": payload["bytes"]})


def export_dates_job(config: Mapping, chunk_id: str, marker, log_path=None) -> dict:
    """Rule ``export_dates``: the per-date objects of one chunk, then its marker."""
    start, end = parse_chunk_id(chunk_id)

    def work(wh, store):
        days, stats = export_dates(wh, store, start, end, excluded_game_ids(config))
        return {"chunk": chunk_id, "dates": [d.isoformat() for d in days.predicted],
                "final_dates": [d.isoformat() for d in days.final], **stats.as_dict()}

    return _run(config, "exports.dates", start, end, chunk_id, marker, log_path, work)


def export_as_of_end_job(config: Mapping, marker, log_path=None) -> dict:
    """Rule ``export_as_of_end``: aliases and as-of objects for the configured range, then its marker."""
    from nbaprops.config import start_end

    start, end = start_end(config)

    def work(wh, store):
        newest, stats = export_as_of_end(wh, store, start, end, excluded_game_ids(config), config["paths"]["markers"])
        return {"as_of_date": newest.isoformat() if newest else None, "carried": stats.carried, **stats.as_dict()}

    return _run(config, "exports.as_of_end", start, end, None, marker, log_path, work)


# ----------------------------------------------------------------------------- nbaprops export (daily modes)
class ExportRefused(ValueError):
    """A daily export that cannot run as asked (a date without predictions, an unknown type)."""


# The original's --only groups (spec/phase5-6.md §6.4); --players selects the player pages.
TYPE_GROUPS = {
    "trends-daily": ("trends-hot-cold", "trends-bounce-back", "tonight-trend-plays"),
    "trends-weekly": ("trends-what-matters", "trends-team", "trends-quick-hits"),
    "trends-all": ("trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team",
                   "trends-quick-hits", "trends-deep-dive", "tonight-trend-plays"),
}
PLAYER_TYPES = ("player-profiles", "player-season")
DAILY_TYPES = tuple(e.name for e in PER_DATE + AS_OF if e.name not in PLAYER_TYPES)


def daily_types(only: str | None, players: bool) -> tuple[str, ...]:
    """The exporter names ``--only a,b`` (groups expanded) or ``--players`` select; every daily
    type without either (the original's default: all but the player pages)."""
    if players:
        return PLAYER_TYPES
    if not only:
        return DAILY_TYPES
    chosen: list[str] = []
    for name in (n.strip() for n in only.split(",") if n.strip()):
        expanded = TYPE_GROUPS.get(name, (name,))
        unknown = [n for n in expanded if n not in DAILY_TYPES]
        if unknown:
            raise ExportRefused(f"--only names an unknown export type {unknown[0]!r}; valid types are "
                                f"{', '.join(DAILY_TYPES)} and the groups {', '.join(TYPE_GROUPS)} "
                                f"(player pages: --players)")
        chosen += [n for n in expanded if n not in chosen]
    return tuple(chosen)


def daily_marker_path(config: Mapping, day: dt.date) -> Path:
    """Where ``nbaprops export`` records the per-date keys it wrote for ``day`` (read by the gate)."""
    return Path(config["paths"]["markers"]) / "exports" / "daily" / f"{day.isoformat()}.json"


def daily_export(config: Mapping, day: dt.date | None, types: tuple[str, ...], min_games: int | None = None,
                 log_path=None) -> dict:
    """``nbaprops export``: the selected exporters for ``day`` (default: tonight's slate, the
    newest predicted date of the configured range), as the export jobs write them:

    * per-date types for ``day`` (results, live, live-grading and game reports only once it is
      final), then no other object of those families dated ``day``;
    * their aliases only when ``day`` is the family's newest date (the original moved latest.json
      to any date exported, so re-exporting an old date unpublished tonight's slate);
    * as-of types (and ``--players``) only for tonight's slate: they describe the newest
      predicted date, as ``export_as_of_end`` writes them, so the Phase 6 gate keeps agreeing.

    The keys written are added to ``markers/exports/daily/{day}.json``. Returns the marker's
    payload; ``notes`` says what was skipped and why."""
    from nbaprops.config import start_end

    start, end = start_end(config)
    def work(wh, store):
        reads = ExportReads(wh, excluded_game_ids(config))
        days = reads.export_days(start, end)
        chosen = day or days.newest
        if chosen is None or chosen not in days.predicted:
            span = f"they run {days.predicted[0]}..{days.newest}" if days.predicted else "there are none"
            raise ExportRefused(f"{chosen or 'the configured range'} has no predictions to export (predicted dates "
                                f"of {start}..{end}: {span}); pick a predicted date, or build Phases 3-5 for it "
                                f"(snakemake --cores 2 all)")
        notes: list[str] = []
        one = ExportDays((chosen,), (chosen,) if chosen in days.final else ())
        per_date = [e for e in PER_DATE if e.name in types]
        waiting = [e.name for e in per_date if e.needs_final and chosen not in days.final]
        if waiting:
            notes.append(f"{', '.join(waiting)}: {chosen} is not final yet (a game is scheduled or in progress); "
                         f"the first export after its games are final writes them")
        stats = ExportStats()
        with ObjectWriter(store, stats) as writer:
            write_days(reads, writer, one, per_date)
        stats.removed = remove_stale(store, chosen, chosen, stats.keys, per_date)
        mine = [s for s in alias_sources(days, per_date) if s[1].endswith(f"/{chosen.isoformat()}.json")]
        write_aliases(store, mine, stats)
        as_of = [_with_min_games(e, min_games) for e in AS_OF if e.name in types]
        if as_of and chosen != days.newest:
            notes.append(f"{', '.join(e.name for e in as_of)}: they describe tonight's slate {days.newest}, not "
                         f"{chosen}; run them with --date {days.newest}")
        elif as_of:
            ctx = AsOf(as_of=chosen, start=start, end=end, store=store, final=days.newest_final)
            with ObjectWriter(store, stats) as writer:
                write_as_of(reads, writer, ctx, as_of)
        path = daily_marker_path(config, chosen)
        listed = (decode_manifest(read_marker(path)) or {}) if path.exists() else {}
        payload = {"date": chosen.isoformat(), "final": chosen in days.final, "types": list(types), "notes": notes,
                   **stats.as_dict()}
        # with the day's objects of earlier daily exports: the gate's record of who wrote what
        removed = set(stats.removed)
        kept = {k: v for k, v in listed.items() if k not in removed}
        payload[MANIFEST_FIELD] = encode_manifest({**kept, **stats.manifest})
        return payload

    return _run(config, "exports.daily", day or end, day or end, None,
                lambda payload: daily_marker_path(config, dt.date.fromisoformat(payload["date"])),
                log_path, work, rerun="the same nbaprops export command")


def _with_min_games(exporter: AsOfExporter, min_games: int | None) -> AsOfExporter:
    """``exporter``, or with ``--min-games`` a copy profiling players with at least that many
    graded games (the player pages' threshold; the original's --min-games)."""
    if min_games is None or not hasattr(exporter, "MIN_PROFILE_GAMES"):
        return exporter
    copy = type(exporter)()
    copy.MIN_PROFILE_GAMES = min_games
    return copy
