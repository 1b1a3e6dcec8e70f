"""Coverage: which tables hold rows on which game dates, against the dates each phase expects."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from nbaprops import gates
from nbaprops.catalogue import PHASE_OF_TABLE, PHASE_TABLES
from nbaprops.contracts import load_contract
from nbaprops.seasons import SeasonCalendar


@dataclass
class Coverage:
    dates: list[dt.date]
    rows: list[tuple[int, str, list[str]]]  # (phase, table, cell state per date)
    counts: dict[str, int] = field(default_factory=dict)
    seasons: list[int] = field(default_factory=list)  # each date's season, from the schedule


def _date(value) -> dt.date:
    """A warehouse date value (date, datetime or Timestamp) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else pd.Timestamp(value).date()


def coverage(wh, start: dt.date, end: dt.date) -> Coverage:
    """Every table of every phase x every game date of the range (plus any unexpected date)."""
    schedule = set(gates.schedule_dates(wh, start, end))
    expected_of_phase = {phase: gates.phase_dates(wh, phase, start, end) for phase in PHASE_TABLES}
    present = {table: {_date(d) for d in wh.dates_present(load_contract(table), start, end)}
               for table in PHASE_OF_TABLE}
    dates = sorted(schedule.union(*present.values()))
    calendar = SeasonCalendar.load(wh, start, end)
    rows, counts = [], defaultdict(int)
    for table, phase in PHASE_OF_TABLE.items():
        cells = []
        expected = set(expected_of_phase[phase].of(table))  # post-game tables: final dates only
        waiting = set(expected_of_phase[phase].scheduled)
        for day in dates:
            have = day in present[table]
            if table in gates.SOURCE_DATED_TABLES:  # dated by its source: whatever it has is expected
                state = "present" if have else "none"
            elif day in expected:
                state = "present" if have else "missing"
            elif day in waiting:  # a post-game table on a date whose games are not all final yet
                state = "none"
            elif day in schedule:  # a game date the phase skips: each season's bootstrap days
                state = "unexpected" if have else "bootstrap"
            else:
                state = "unexpected" if have else "none"
            cells.append(state)
            counts[state] += 1
        rows.append((phase, table, cells))
    return Coverage(dates, rows, dict(counts), [calendar.season_of(d) for d in dates])
