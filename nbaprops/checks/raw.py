"""Phase 3 checks about the raw stage: what the loader counted, and whether the warehouse's raw
copy is the source as it is now (D11: the expected work comes from the raw schedule, its game
dates and whether they are final, D12)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Mapping

import pandas as pd

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


# Each game of the loaded schedule once, final when any of its rows is (loaders keep the most final).
LOADED_GAMES_SQL = """
select
    schedule.game_date,
    schedule.game_id,
    concat(format_date('%Y%m%d', schedule.game_date), '_', schedule.away_team_tricode, '_',
        schedule.home_team_tricode) as game_key,
    countif(schedule.game_status = 3) > 0 as is_final
from nba_raw.nbac_schedule as schedule
where schedule.game_date between @start_date and @end_date
group by 1, 2, 3
"""


def stale_schedule(wh, start: dt.date, end: dt.date, options: Mapping) -> list[Finding]:
    """The game dates of the loaded schedule and their state (final, or scheduled: D12) must be the
    source's: a difference means the warehouse holds an old copy of the raw data, and every date
    check would judge against it. Games in config excluded_games count on neither side."""
    if "raw" not in options:
        return []  # no configuration: only the warehouse is known
    from nbaprops import plan

    try:
        source_games = plan.schedule_games({**options, "start_date": start.isoformat(), "end_date": end.isoformat()})
    except (plan.PlanError, ValueError) as exc:  # the source itself cannot be planned now
        return [Finding("stale_raw_schedule", "error", f"the raw source cannot be planned for {start}..{end}: {exc}",
                        table="nba_raw.nbac_schedule")]
    excluded = plan.excluded_game_ids(options)
    source = _date_states(source_games.to_dict("records"), excluded)
    loaded = _date_states(wh.query(LOADED_GAMES_SQL, {"start_date": start, "end_date": end}).assign(
        game_status=lambda f: f["is_final"].map({True: 3, False: 1})).to_dict("records"), excluded)
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
        parts.append(f"{len(changed)} date(s) are final in one and not in the other")
    return [Finding(
        "stale_raw_schedule", "error",
        f"the warehouse's raw schedule differs from the raw source for {start}..{end}: "
        f"{' and '.join(parts)}; run `snakemake --cores 2 all` with the same config (the raw stage "
        f"re-loads changed seasons by itself)",
        count=len(missing) + len(extra) + len(changed), table="nba_raw.nbac_schedule",
        examples=[d.isoformat() for d in (missing + extra + changed)])]


def _date_states(games, excluded) -> dict[dt.date, bool]:
    """Each date with a game (other than the excluded ones) → are all its games final?"""
    states: dict[dt.date, bool] = {}
    for game in games:
        if {str(game.get("game_key")), str(game.get("game_id"))} & set(excluded):
            continue
        day = pd.Timestamp(game["game_date"]).date()
        states[day] = states.get(day, True) and game["game_status"] == 3
    return states
