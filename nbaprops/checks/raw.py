"""Phase 3 checks about the raw stage: what the loader counted, and whether the warehouse's raw
copy is the source as it is now (D11: the expected work comes from the raw schedule)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Mapping

from nbaprops.findings import Finding
from nbaprops.markers import raw_marker_path
from nbaprops.seasons import season_year


def loader_findings(wh, start: dt.date, end: dt.date, options: Mapping) -> list[Finding]:
    """The findings each raw season's load recorded in its marker (quarantined, dropped,
    corrected, derived rows), so the gate report shows them beside its own."""
    root = Path((options.get("paths") or {}).get("markers", "markers"))
    out = []
    for season in range(season_year(start), season_year(end) + 1):
        path = raw_marker_path(root, season)
        if not path.exists():
            continue
        for doc in json.loads(path.read_text()).get("findings") or []:
            finding = Finding.from_dict(doc)
            finding.message = f"raw season {season}: {finding.message}"
            out.append(finding)
    return out


def stale_schedule(wh, start: dt.date, end: dt.date, options: Mapping) -> list[Finding]:
    """The game dates of the loaded schedule, final or scheduled, must be the source's: a
    difference means the warehouse holds an old copy of the raw data, and every date check would
    judge against it."""
    if "raw" not in options:
        return []  # no configuration: only the warehouse is known
    from nbaprops import plan
    from nbaprops.checks.games import excluded_games
    from nbaprops.gates import schedule_states

    try:
        source = plan.date_states({**options, "start_date": start.isoformat(), "end_date": end.isoformat()})
    except (plan.PlanError, ValueError) as exc:  # the source itself cannot be planned now
        return [Finding("stale_raw_schedule", "error", f"the raw source cannot be planned for {start}..{end}: {exc}",
                        table="nba_raw.nbac_schedule")]
    loaded = schedule_states(wh, start, end, excluded_games(options))
    if source == loaded:
        return []
    missing = sorted(set(source) - set(loaded))
    extra = sorted(set(loaded) - set(source))
    changed = sorted(d for d in set(source) & set(loaded) if source[d] != loaded[d])
    parts = []
    if missing:
        parts.append(f"{len(missing)} game date(s) of the source are not in the loaded schedule")
    if extra:
        parts.append(f"{len(extra)} loaded date(s) are no longer game dates in the source")
    if changed:
        parts.append(f"{len(changed)} date(s) changed between scheduled and final")
    return [Finding(
        "stale_raw_schedule", "error",
        f"the warehouse's raw schedule differs from the raw source for {start}..{end}: "
        f"{' and '.join(parts)}; run `snakemake --cores 2 all` with the same config (the raw stage "
        f"re-loads changed seasons by itself)",
        count=len(missing) + len(extra) + len(changed), table="nba_raw.nbac_schedule",
        examples=[d.isoformat() for d in (missing + extra + changed)])]
