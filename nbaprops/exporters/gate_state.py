"""The Phase 6 gate's memory: what its last pass found, so the next gate reads only what changed.

A full check reads every object of the store (~107,000 on the default range: 8 s) although a
daily run rewrites a few thousand. After a gate passes, its job writes ``gates/.phase6-state.json``
under the markers folder (not a rule's output: Snakemake deletes the gate marker before the job
runs, this file stays):

* the basis: this module's and ``verify.py``'s code, the schema files, the store, the start date;
* the sha256 of every export marker file it read (``verify.export_marker_files``);
* every key some marker lists or the store held, with the markers listing it and its verdict:
  the marker whose record its bytes matched, "" (no marker vouched: parsed and valid), or None
  (listed, not in the store).

The next gate (``verify.verify_phase6`` with ``state``) compares the marker files' sha256 with the
state's. A marker whose content changed (the export job that re-ran, the new day's chunk, the
as-of export) is decoded; every object it lists is read, hashed and checked as in a full check,
so is every object the store holds that the state does not know. An object no changed marker
lists and that the last pass found good is carried: not read again, counted as it was found. The
listing, the per-date families, early game reports, unknown keys, temporary files, aliases and
as-of singletons are checked in full every time, so a removed, added or stray object is caught.

A full check instead when there is no state or its basis differs, when a marker the state knows
is gone, or where the state cannot decide (an object reappearing under an unchanged marker, an
object a changed marker lists that an unchanged one vouched for). What the carry does not see is
an object whose bytes changed while every marker listing it stayed the same: a hand edit, or an
``nbaprops export`` that failed after writing objects and before its marker (a failed Snakemake
export job is safe: Snakemake deletes its marker before it runs, so its re-run's marker differs).
``nbaprops verify-phase6`` (a full check) and ``--deep`` still read everything.
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from nbaprops.exporters.schemas import schema_for_key, schemas_digest

STATE_FILE = Path("gates") / ".phase6-state.json"  # under the markers folder
_CODE = (Path(__file__), Path(__file__).with_name("verify.py"))


def state_path(markers_root: str | os.PathLike) -> Path:
    return Path(markers_root) / STATE_FILE


def basis(store_url: str, start: str) -> dict:
    """What a state is valid for: the gate's code, the schema files, the store, the start date."""
    code = hashlib.sha256(b"".join(p.read_bytes() for p in _CODE)).hexdigest()[:16]
    return {"code": code, "schemas": schemas_digest(), "store": store_url, "start": start}


def marker_digests(files: list[tuple[str, Path]]) -> dict[str, str]:
    """name -> sha256 of the marker file's bytes."""
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files}


@dataclass
class State:
    basis: dict
    markers: dict[str, dict]  # name -> {"sha256", "stale"}
    groups: list[tuple[tuple[str, ...], str | None, list[str]]]  # (listers, verdict, keys)


def load(path: Path) -> State | None:
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return State(doc["basis"], doc["markers"], [(tuple(listers), verdict, keys) for listers, verdict, keys
                                                in doc["groups"]])


def save(path: Path, state: State) -> None:
    """Atomically: a kill leaves the previous state (still true of what it describes) or this one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps({"basis": state.basis, "markers": state.markers,
                               "groups": [[list(listers), verdict, keys] for listers, verdict, keys in state.groups]},
                              separators=(",", ":")))
    os.replace(tmp, path)


@dataclass
class Plan:
    """What an incremental check needs (``verify.check_store``'s arguments)."""

    changed: set[str]  # markers whose content changed (or are new)
    vouched_keys: frozenset[str]  # carried: vouched for by an unchanged marker's record
    validated_keys: frozenset[str]  # carried: parsed and valid at the last pass
    written: set[str]  # every key an export_dates or daily marker lists now
    stale: set[str]  # markers written against other schema files


def plan(state: State | None, now_basis: dict, digests: Mapping[str, str], listed: set[str], decoded,
         lists_written) -> tuple[Plan | None, str]:
    """(the incremental plan, "") or (None, why a full check runs). ``listed``: the store's keys
    under v1/; ``decoded(names)``: ``verify.read_export_markers`` of those markers alone."""
    if state is None:
        return None, "no state of an earlier passing gate"
    if state.basis != now_basis:
        changed = sorted(k for k in now_basis if state.basis.get(k) != now_basis[k])
        return None, f"changed since the last passing gate: {', '.join(changed)}"
    gone = sorted(set(state.markers) - set(digests))
    if gone:
        return None, f"{len(gone)} export markers are gone since the last passing gate (e.g. {gone[0]})"
    changed = {name for name, digest in digests.items() if state.markers.get(name, {}).get("sha256") != digest}
    markers = decoded(changed)
    if markers.keys is None and any(lists_written(n) for n in changed):
        return None, markers.note
    fresh = set(markers.listers)  # keys a changed marker lists now
    vouched, validated, written = set(), set(), set(markers.keys or ())
    for listers, verdict, keys in state.groups:
        kept = [n for n in listers if n not in changed]  # unchanged markers list the same keys
        if any(lists_written(n) for n in kept):
            written.update(keys)
        present = listed.intersection(keys)
        if not present:
            continue
        if verdict is None and kept:  # back in the store, listed by a marker whose record is not kept here
            return None, f"{len(present)} objects reappeared since the last passing gate (e.g. {min(present)})"
        touched = len(kept) < len(listers)
        reread = present if touched else present & fresh
        if reread and verdict and verdict not in changed:
            return None, (f"{len(reread)} objects an unchanged marker vouched for are listed by a changed one "
                          f"(e.g. {min(reread)})")
        if not touched:
            (vouched if verdict else validated).update(present - fresh)
    stale = {n for n, m in state.markers.items() if m["stale"] and n not in changed} | markers.stale
    return Plan(changed, frozenset(vouched), frozenset(validated), written, stale), ""


def carried_schemas(keys) -> dict[str, int]:
    """Parsed-and-valid objects per schema (the report's counts) of carried keys."""
    out: dict[str, int] = {}
    for key in keys:
        schema = schema_for_key(key)
        out[schema] = out.get(schema, 0) + 1
    return out


def after_pass(previous: State | None, now_basis: dict, digests: Mapping[str, str], stale: set[str],
               changed: set[str] | None, listers: Mapping[str, list[str]], listed: set[str],
               verdicts: Mapping[str, str], carried: frozenset[str]) -> State:
    """The state a passing check leaves. Full check (``changed`` None): ``listers`` of every
    marker. Incremental: of the changed markers; the rest comes from ``previous`` (a group no
    changed marker listed moves whole, by set operations: the daily gate touches few keys)."""
    groups: dict[tuple[tuple[str, ...], str | None], set[str]] = {}

    def add(names: tuple[str, ...], verdict: str | None, keys) -> None:
        if keys:
            groups.setdefault((names, verdict), set()).update(keys)

    fresh = listers.keys()
    kept_of: dict[str, tuple[str, ...]] = {}  # fresh keys: the unchanged markers listing them
    tracked: set[str] = set()
    for old_listers, verdict, keys in (previous.groups if changed is not None else ()):
        kept = tuple(n for n in old_listers if n not in changed)
        keys = set(keys)
        tracked |= keys
        again = keys & fresh
        for key in again:
            kept_of[key] = kept
        rest = keys - again
        if kept == old_listers:  # untouched: carried where present, else listed and absent
            add(kept, verdict, rest & carried)
            add(kept, None, rest - listed)
        else:  # its objects were read again
            add(kept, None, rest - listed if kept else ())
            for key in rest & listed:
                add(kept, verdicts[key], (key,))
    for key, names in listers.items():
        add(tuple(sorted({*kept_of.get(key, ()), *names})), verdicts.get(key) if key in listed else None, (key,))
    for key in listed - tracked - fresh:  # objects no marker lists (parsed and valid)
        add((), verdicts[key], (key,))
    return State(now_basis, {n: {"sha256": d, "stale": n in stale} for n, d in sorted(digests.items())},
                 [(names, verdict, sorted(keys)) for (names, verdict), keys in
                  sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] or ""))])
