"""Gate checks that look at games and rows, not just dates: each returns findings.

A check is ``check(wh, start, end, options) -> list[Finding]``: ``wh`` the warehouse, ``start`` and
``end`` the gate's range, ``options`` the validated configuration (``{}`` means every default; a
check reads what it needs, e.g. ``excluded_games``). To add one, write it in a module of this
package and append it to its phase's list below. The phase gate runs them in order: an ``error``
finding fails the gate, a ``warning`` passes and is shown by the gate report, its marker, the run
history, ``nbaprops status`` and the HTML report; ``info`` is shown by the gate report and the
HTML report.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Mapping

from nbaprops.checks import dedupes, features, games, props, raw
from nbaprops.findings import Finding

Check = Callable[[Any, dt.date, dt.date, Mapping], list[Finding]]

PHASE_CHECKS: dict[int, list[Check]] = {
    3: [
        games.excluded_games_listed,
        games.missing_games,
        games.game_id_mismatches,
        games.team_points_mismatches,
        dedupes.dedupe_counts,
        raw.stale_schedule,
        raw.loader_findings,
        props.prop_findings,
    ],
    4: [features.degraded_features],
    5: [],
}


# How an incremental gate (nbaprops.gate_state) runs each check. GLOBAL: cheap, over the whole
# range every time (they read markers and the schedule, not the tables' rows). SEASONAL: findings
# per season, re-run over the seasons the changed dates touch (``check.by_season`` gives each
# finding's season). Any other check is a range check: its findings on dates a pass vouches for
# are carried forward, the changed dates are checked again.
GLOBAL_CHECKS: frozenset[Check] = frozenset({raw.stale_schedule, raw.loader_findings})
SEASONAL_CHECKS: dict[Check, Callable] = {features.degraded_features: features.degraded_by_season}


def run_checks(wh, phase: int, start: dt.date, end: dt.date, options: Mapping | None = None) -> list[Finding]:
    """Every finding of the phase's checks over [start, end], in registry order."""
    findings: list[Finding] = []
    for check in PHASE_CHECKS.get(phase, []):
        findings += check(wh, start, end, options or {})
    return findings
