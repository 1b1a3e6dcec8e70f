"""The gates as their markers tell them: each gate's state for the range and its own account."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from nbaprops import status
from nbaprops.catalogue import GATED_PHASES
from nbaprops.report.section import Section


def gate_details(markers_root: str | os.PathLike) -> dict[int, dict]:
    """Each gate marker's own account (expected dates, bootstrap days excluded, failing tables)."""
    out = {}
    for phase in GATED_PHASES:
        path = Path(markers_root) / "gates" / f"phase{phase}.json"
        if path.exists():
            try:
                out[phase] = json.loads(path.read_text())
            except ValueError:
                continue
    return out


def gate_view(markers_root: str, start: dt.date, end: dt.date, state: Section) -> dict[int, str]:
    """Each gate's state from its marker; a gate whose latest run failed writes no marker, so the
    run history's failure (in ``state``, the status) says "failed" where the marker alone would
    say "not run"."""
    states = status.gate_states(markers_root, GATED_PHASES, start, end)
    failed = {f.processor for f in state.data["failures"]} if state.data else set()
    return {phase: "failed" if value == "not run" and f"gate.phase{phase}" in failed else value
            for phase, value in states.items()}
