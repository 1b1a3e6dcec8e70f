"""Progress and an honest ETA for a running (or finished) backfill, from its markers.

A job's marker is written when its load commits and records how long the job took, so the
marker folder alone says what is done, and the measured durations say how long the rest will
take: remaining jobs of each table x that table's mean job time (the overall mean for a table
with none done yet), divided by the cores working in parallel.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from nbaprops import plan
from nbaprops.catalogue import PHASE_TABLES
from nbaprops.markers import raw_marker_path


@dataclass
class GroupProgress:
    name: str
    total: int
    done: int = 0
    seconds: list[float] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return max(self.total - self.done, 0)


@dataclass
class Progress:
    groups: dict[str, GroupProgress]
    eta_seconds: float | None

    @property
    def done(self) -> int:
        return sum(g.done for g in self.groups.values())

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups.values())


def estimate(planned: Mapping[str, int], completions: Iterable[tuple[str, float]], cores: int) -> Progress:
    """Progress of ``planned`` jobs per group given (group, seconds) of the finished ones."""
    groups = {name: GroupProgress(name, total) for name, total in planned.items()}
    for name, seconds in completions:
        if name in groups:
            groups[name].done += 1
            groups[name].seconds.append(seconds)
    measured = [s for g in groups.values() for s in g.seconds]
    if not measured:
        return Progress(groups, None)
    overall = sum(measured) / len(measured)
    work = sum(g.remaining * (sum(g.seconds) / len(g.seconds) if g.seconds else overall) for g in groups.values())
    return Progress(groups, work / max(cores, 1))


def planned_markers(config: Mapping) -> dict[str, list[Path]]:
    """Marker paths the workflow will write, grouped by table (plus raw and gates)."""
    root = Path(config["paths"]["markers"])
    chunks = plan.chunks(config)
    # One raw job per season loads every raw table of that season.
    groups: dict[str, list[Path]] = {"raw": [raw_marker_path(root, s) for s in sorted({c.season for c in chunks})]}
    for phase, tables in PHASE_TABLES.items():
        if phase == 5:  # walk-forward models train before the predictions that use them
            from nbaprops.predictions import windows as model_windows

            model_dir = Path(config["paths"]["models"]) / model_windows.MODEL_NAME
            windows = model_windows.windows_for_dates(d for c in chunks for d in c.dates)
            groups[f"{model_windows.MODEL_NAME} models"] = [model_dir / f"{w}.metrics.json" for w in windows]
        for table in tables:
            groups[table] = [root / table.replace(".", "/") / f"{c.id}.json" for c in chunks]
        groups[f"gate phase {phase}"] = [root / "gates" / f"phase{phase}.json"]
    groups["phase 6 exports"] = [root / "exports" / "dates" / f"{c.id}.json" for c in chunks]
    groups["phase 6 exports as of the end"] = [root / "exports" / "as_of_end.json"]
    groups["gate phase 6"] = [root / "gates" / "phase6.json"]
    return groups


def read_progress(config: Mapping, cores: int) -> Progress:
    groups = planned_markers(config)
    completions = []
    for name, paths in groups.items():
        for path in paths:
            if path.exists():
                try:
                    seconds = float(json.loads(path.read_text()).get("seconds") or 0.0)
                except (ValueError, OSError):  # a marker being replaced right now
                    continue
                completions.append((name, seconds))
    return estimate({name: len(paths) for name, paths in groups.items()}, completions, cores)


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "unknown until a job finishes"
    seconds = int(round(seconds))
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m" if seconds >= 3600 else f"{seconds // 60}m{seconds % 60:02d}s"


def format_progress(progress: Progress) -> str:
    lines = []
    for g in progress.groups.values():
        bar = "#" * int(20 * g.done / g.total) if g.total else ""
        lines.append(f"  {g.name:48} {g.done:5d}/{g.total:<5d} [{bar:20}]")
    pct = 100 * progress.done / progress.total if progress.total else 100.0
    lines.append(f"  total {progress.done}/{progress.total} jobs ({pct:.0f}%), ETA {format_duration(progress.eta_seconds)}")
    return "\n".join(lines)


def watch(config: Mapping, cores: int, interval: float = 5.0, once: bool = False) -> Progress:
    """Print progress until every planned marker exists (or once)."""
    while True:
        progress = read_progress(config, cores)
        print(time.strftime("%H:%M:%S"), "\n" + format_progress(progress), flush=True)
        if once or progress.done >= progress.total:
            return progress
        time.sleep(interval)
