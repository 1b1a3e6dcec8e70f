"""What changed since a phase gate last passed (issue 12: gates that check what changed).

A gate re-checks in full only the dates that changed since its last pass; the cheap global
checks (dates present, rows, duplicate keys per table, the raw stage's findings, the schedule)
run over the whole range every time (``nbaprops.gates.check_phase``). The last pass is kept in a
side file beside the gate marker (Snakemake deletes a job's declared output before running it,
so the marker itself cannot be read back): written only after the marker, so a kill leaves
either the previous pass's state or none, and both make the next run check at least as much.

What a pass vouches for: its *basis* (the range start, the config the checks read, the code of
the gates, checks and contracts) and the identity of every chunk it saw (each chunk marker's
bytes, of this phase and the phases before it, and each chunk's raw version). The next gate
with the same basis re-checks from the first date of any chunk that is new, rewritten or gone,
widened to the start of the checked segment that holds it; segments wholly before that date
are vouched by the pass that checked them, and their warnings and infos are carried forward.
Anything else — no state, another basis, a shrunk range — is a full check.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from nbaprops.catalogue import PHASE_TABLES, parse_chunk_id
from nbaprops.markers import write_marker
from nbaprops.paths import SQL_DIR

log = logging.getLogger("nbaprops.gates")
PACKAGE = Path(__file__).resolve().parent
# The code a gate's verdict depends on besides the contracts (which are hashed per table).
CODE_FILES = ("gates.py", "gate_state.py", "findings.py", "plan.py", "seasons.py", "checks/*.py")
# Config keys the checks do not read: moving end_date is what an increment is. The demo's
# raw.as_of moves with it in a daily run of the demo; what it changes in the data shows in the
# chunks' raw versions, which a pass records per chunk.
VOLATILE_CONFIG = frozenset({"end_date"})
VOLATILE_RAW_CONFIG = frozenset({"as_of"})
# Vouched segments kept at most: each carries its own findings (one warning line each in the
# report); past this, the segments after the first are checked again as one.
MAX_SEGMENTS = 6


def state_path(markers_root: str | Path, phase: int) -> Path:
    """The side file of a gate's last pass (not a declared output: Snakemake leaves it alone)."""
    return Path(markers_root) / "gates" / f".phase{phase}.state.json"


def basis_digest(config: Mapping, phase: int) -> str:
    """The digest of what a pass's verdict rests on apart from the data: the configuration
    (end_date and raw.as_of apart), the gate and check code, and every contract and model SQL (invariants,
    health columns, the dedupes the checks count)."""
    digest = hashlib.sha256(str(phase).encode())
    stable = {k: v for k, v in config.items() if k not in VOLATILE_CONFIG}
    if isinstance(stable.get("raw"), Mapping):
        stable["raw"] = {k: v for k, v in stable["raw"].items() if k not in VOLATILE_RAW_CONFIG}
    digest.update(json.dumps(stable, sort_keys=True, default=str).encode())
    for pattern in CODE_FILES:
        for path in sorted(PACKAGE.glob(pattern)):
            digest.update(path.name.encode() + path.read_bytes())
    for path in sorted(SQL_DIR.glob("*/*")):  # every contract and model: cheaper to read than to pick
        if path.suffix in (".yml", ".sql"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def tracked_tables(phase: int) -> list[str]:
    """The tables whose chunks a phase's gate reads: its own and those of earlier phases."""
    return [t for p, tables in sorted(PHASE_TABLES.items()) if p <= phase for t in tables]


def chunk_identities(markers_root: str | Path, phase: int, raw_versions: Mapping[str, str]) -> dict[str, str]:
    """``"<table>/<chunk id>"`` → digest of the chunk marker's bytes (a rebuild rewrites its time
    and run id, so any rebuild counts as a change even when its rows come out the same), and
    ``"raw/<chunk id>"`` → the raw version of the chunk's dates."""
    out = {f"raw/{chunk}": version for chunk, version in raw_versions.items()}
    for table in tracked_tables(phase):
        for path in (Path(markers_root) / Path(*table.split("."))).glob("*_*.json"):
            out[f"{table}/{path.stem}"] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return out


def _span(key: str) -> tuple[dt.date, dt.date] | None:
    try:
        return parse_chunk_id(key.rsplit("/", 1)[1])
    except ValueError:
        return None


@dataclass
class Plan:
    """What a gate checks in full and what it carries forward.

    ``since`` None: a full check of [start, end]. Otherwise [since, end] is checked in full
    (``since`` > ``end``: nothing changed) and ``vouched`` are the earlier segments of the last
    pass, with their findings."""

    since: dt.date | None
    vouched: list[dict] = field(default_factory=list)
    reason: str = ""

    @property
    def full(self) -> bool:
        return self.since is None


def plan_check(state: Mapping | None, basis: str, chunks: Mapping[str, str], start: dt.date,
               end: dt.date) -> Plan:
    """Full or incremental, from the last pass's ``state`` and what is there now."""
    if not state:
        return Plan(None, reason="no earlier pass")
    if state.get("basis") != basis:
        return Plan(None, reason="the basis changed (config, gate or check code, contracts)")
    if state.get("start") != start.isoformat():
        return Plan(None, reason="the range start changed")
    last_end = dt.date.fromisoformat(state["end"])
    if last_end > end:
        return Plan(None, reason="the range shrank")
    old = state.get("chunks") or {}
    changed = [k for k in set(old) | set(chunks) if old.get(k) != chunks.get(k)]
    firsts = [span[0] for k in changed if (span := _span(k))]
    since = min(firsts + [last_end + dt.timedelta(days=1)])
    segments = sorted(state.get("segments") or [], key=lambda s: s["start"])
    for seg in segments:  # a segment is vouched whole or re-checked whole
        if dt.date.fromisoformat(seg["start"]) < since <= dt.date.fromisoformat(seg["end"]):
            since = dt.date.fromisoformat(seg["start"])
    if since <= start:
        return Plan(None, reason="a chunk of the first checked segment changed")
    vouched = [s for s in segments if dt.date.fromisoformat(s["end"]) < since]
    if len(vouched) > MAX_SEGMENTS:  # daily runs add a segment each: fold all but the first into one
        since, vouched = dt.date.fromisoformat(vouched[1]["start"]), vouched[:1]
    return Plan(since, vouched, reason=f"{len(changed)} chunk(s) new or changed since the last pass")


def read_state(markers_root: str | Path, phase: int) -> dict | None:
    path = state_path(markers_root, phase)
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return None  # none, or unreadable: a full check


def write_state(markers_root: str | Path, phase: int, doc: Mapping) -> None:
    """Atomically (a kill leaves the old file or the new one)."""
    write_marker(state_path(markers_root, phase), doc)


def pass_state(basis: str, chunks: Mapping[str, str], start: dt.date, end: dt.date, plan: Plan,
               report, run_id: str, written_at: str) -> dict:
    """The state a passing gate leaves for the next: the vouched segments it carried, plus the
    segment it checked in full with its range checks' findings, and every seasonal finding."""
    checked = {}
    for check, _season, ranged, finding in report.origins:
        if ranged:
            checked.setdefault(check, []).append(finding.as_dict())
    segments = list(plan.vouched)
    first = start if plan.full else plan.since
    if first <= end:
        own = {"start": first.isoformat(), "end": end.isoformat(), "run_id": run_id, "written_at": written_at}
        if not plan.full:  # the carried findings stay with their own segments
            carried = {json.dumps(f, sort_keys=True) for s in plan.vouched for fs in s.get("findings", {}).values()
                       for f in fs}
            checked = {c: [f for f in fs if json.dumps(f, sort_keys=True) not in carried] for c, fs in checked.items()}
        segments.append({**own, "findings": checked})
    from nbaprops.checks import SEASONAL_CHECKS

    names = {c.__name__ for c in SEASONAL_CHECKS}
    seasonal = [{"check": check, "season": season, "finding": finding.as_dict()}
                for check, season, _ranged, finding in report.origins if check in names]
    return {"basis": basis, "start": start.isoformat(), "end": end.isoformat(), "chunks": dict(chunks),
            "segments": segments, "seasonal": seasonal}



def check(wh, config: Mapping, phase: int, start: dt.date, end: dt.date,
          raw_versions: Mapping[str, str] | None, now: dt.datetime | None = None):
    """Check a phase: incrementally from the last pass's state when ``raw_versions`` is given,
    else in full. Returns the report and ``record(run_id, written_at)``, which writes the state
    of this pass (call it only after the gate marker is written)."""
    from nbaprops import gates

    root = config["paths"]["markers"]
    if raw_versions is None:
        return gates.check_phase(wh, phase, start, end, config, now), lambda run_id, written_at: None
    basis = basis_digest(config, phase)
    chunks = chunk_identities(root, phase, raw_versions)
    last = read_state(root, phase)
    plan = plan_check(last, basis, chunks, start, end)
    log.info("%s check: %s", "full" if plan.full else f"incremental from {plan.since}", plan.reason)
    report = gates.check_phase(wh, phase, start, end, config, now, since=plan.since, vouched=plan.vouched,
                               seasonal=[] if plan.full else last.get("seasonal", []))

    def record(run_id: str, written_at: str) -> None:
        write_state(root, phase, pass_state(basis, chunks, start, end, plan, report, run_id, written_at))

    return report, record
