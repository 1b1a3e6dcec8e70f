"""Phase gates: is a phase complete for the exact set of expected game dates and games?

One implementation serves the gate rules (which write a gate marker or fail) and the
``nbaprops verify-phaseN`` commands. A table passes when it holds rows on exactly the expected
dates (no missing, no unexpected), its primary key is unique and its contract's invariants hold.
The phase's checks (``nbaprops.checks``) then look at games and rows: their ``error`` findings
fail the gate, their warnings are reported. Every problem names its remedy as a command.

Scheduled dates (issue 12): every date with games in range is expected in the pre-game tables,
final or not; the tables of ``POSTGAME_TABLES`` (what happened: box scores, grading) are expected
on final dates only, the dates whose games are all final. A date with some games final and others
not yet is expected in no post-game table, and rows there are not unexpected either. Reports
count the scheduled dates, which await their grading.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Collection, Mapping, Sequence

import pandas as pd

from nbaprops.catalogue import PHASE_OF_TABLE, PHASE_TABLES, PHASES, POSTGAME_TABLES, parse_chunk_id
from nbaprops.checks import GLOBAL_CHECKS, PHASE_CHECKS, SEASONAL_CHECKS
from nbaprops.checks.games import SCHEDULE_GAME_ID, excluded_games
from nbaprops.checks.remedies import build_command, rules_of, sql_command, sql_literal
from nbaprops.contracts import TableContract, load_contract
from nbaprops.checks.features import season_health
from nbaprops.findings import SEVERITIES, Finding
from nbaprops.plan import FINAL, SCHEDULED, league_today, overdue_finding
from nbaprops.seasons import SeasonCalendar

# Tables with rows only where their source has data (play-by-play and bookmakers cover some
# games only): their keys and invariants are checked, their dates are not held against the schedule.
SOURCE_DATED_TABLES = frozenset({"nba_staging.play_by_play_shots", "nba_staging.player_prop_lines"})
SAMPLE = 5


@dataclass
class InvariantResult:
    name: str
    violations: int
    sample: list = field(default_factory=list)
    sql: str = ""  # the query that shows the violating rows (for the remedy)


@dataclass
class TableReport:
    table: str
    expected: int
    present: int
    rows: int
    missing: list[str]
    unexpected: list[str]
    duplicate_keys: int
    invariants: list[InvariantResult]
    missing_built: list[str] = field(default_factory=list)  # missing dates that have a chunk marker
    remedies: list[str] = field(default_factory=list)  # one command-bearing sentence per problem

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.duplicate_keys
                    or any(i.violations for i in self.invariants))


@dataclass
class GateReport:
    phase: int
    start: str
    end: str
    expected_dates: int
    bootstrap_dates_excluded: int
    tables: list[TableReport]
    findings: list[Finding] = field(default_factory=list)
    scheduled: list[str] = field(default_factory=list)  # dates with games not all final: awaiting grading
    # What was checked in full and which earlier passes vouch for the rest (nbaprops.gate_state):
    # {"in_full": "first..last" | None, "vouched": ["first..last by the pass of <when> (<run id>)"]}
    coverage: dict = field(default_factory=dict)
    # Each finding's origin for the next incremental gate: (check, season or None, range check?, finding).
    origins: list = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return (self.expected_dates > 0 and bool(self.tables) and all(t.ok for t in self.tables)
                and not any(f.severity == "error" for f in self.findings))

    @property
    def finding_counts(self) -> dict[str, int]:
        """Findings per severity, e.g. {"error": 1, "warning": 2, "info": 0}."""
        return {level: sum(1 for f in self.findings if f.severity == level) for level in SEVERITIES[::-1]}

    def as_dict(self) -> dict:
        doc = asdict(self)
        doc.pop("origins")
        doc["ok"] = self.ok
        doc["finding_counts"] = self.finding_counts
        for t, table in zip(doc["tables"], self.tables):
            t["ok"] = table.ok
        return doc


SCHEDULE_GAMES_SQL = f"""
select distinct game_date, {SCHEDULE_GAME_ID} as game_id, game_status = 3 as is_final
from nba_raw.nbac_schedule
where game_date between @start_date and @end_date
"""


def _schedule_days(wh, start: dt.date, end: dt.date, excluded: Collection[str]) -> dict[dt.date, tuple[bool, bool]]:
    """Dates in [start, end] with a game of the schedule other than the ``excluded`` game ids:
    (every game final, some game final)."""
    frame = wh.query(SCHEDULE_GAMES_SQL, {"start_date": start, "end_date": end})
    frame = frame[~frame["game_id"].isin(list(excluded))]
    days: dict[dt.date, tuple[bool, bool]] = {}
    for day, final in zip(pd.to_datetime(frame["game_date"]).dt.date, frame["is_final"].astype(bool)):
        every, some = days.get(day, (True, False))
        days[day] = (every and final, some or final)
    return dict(sorted(days.items()))


def schedule_states(wh, start: dt.date, end: dt.date, excluded: Collection[str] = ()) -> dict[dt.date, str]:
    """Each date in [start, end] with games of the loaded schedule (``excluded`` game ids apart):
    FINAL when all are final, else SCHEDULED (``nbaprops.plan``'s words for the source's)."""
    return {d: FINAL if every else SCHEDULED for d, (every, _) in _schedule_days(wh, start, end, excluded).items()}


def schedule_dates(wh, start: dt.date, end: dt.date, excluded: Collection[str] = ()) -> list[dt.date]:
    """Dates in [start, end] with a game of the schedule (final or scheduled) other than the ``excluded`` game ids."""
    return list(_schedule_days(wh, start, end, excluded))


@dataclass(frozen=True)
class ExpectedDates:
    """The dates a phase's tables must hold: pre-game tables every date with games, post-game
    tables (``POSTGAME_TABLES``) the final ones; each season's bootstrap days excluded from
    Phase 4 on (D7)."""

    games: list[dt.date]
    final: list[dt.date]
    partly_final: frozenset[dt.date]  # some games final, some not: post-game rows neither expected nor unexpected
    bootstrap_excluded: int
    scheduled: list[dt.date]  # every date in range whose games are not all final (bootstrap or not)

    def of(self, table: str) -> list[dt.date]:
        return self.final if table in POSTGAME_TABLES else self.games

    def tolerated(self, table: str) -> frozenset[dt.date]:
        return self.partly_final if table in POSTGAME_TABLES else frozenset()


def phase_dates(wh, phase: int, start: dt.date, end: dt.date, excluded: Collection[str] = ()) -> ExpectedDates:
    """The expected dates of ``phase``'s tables in [start, end]. A date whose only games are
    ``excluded`` (config excluded_games) is expected nowhere."""
    days = _schedule_days(wh, start, end, excluded)
    scheduled = [d for d, (every, _) in days.items() if not every]
    kept = list(days)
    if PHASES[phase].skips_bootstrap:
        # The schedule's seasons (a season may open in December); openers may precede `start`.
        calendar = SeasonCalendar.load(wh, start, end)
        kept = [d for d in days if not calendar.is_bootstrap(d)]
    return ExpectedDates(
        games=kept, final=[d for d in kept if days[d][0]],
        partly_final=frozenset(d for d in kept if days[d] == (False, True)),
        bootstrap_excluded=len(days) - len(kept), scheduled=scheduled)


def expected_dates(wh, phase: int, start: dt.date, end: dt.date,
                   excluded: Collection[str] = ()) -> tuple[list[dt.date], int]:
    """Dates of a phase's pre-game tables in [start, end] and how many bootstrap dates were excluded."""
    dates = phase_dates(wh, phase, start, end, excluded)
    return dates.games, dates.bootstrap_excluded


def excluded_only_dates(wh, start: dt.date, end: dt.date, excluded: Collection[str]) -> set[dt.date]:
    """Dates whose only games are ``excluded``: expected nowhere, yet tables that follow the
    schedule rather than the box scores (season calendar, team context) may hold them."""
    if not excluded:
        return set()
    return set(schedule_dates(wh, start, end)) - set(schedule_dates(wh, start, end, excluded))


def _day(value) -> dt.date:
    """A date column's value as a date (backends return dates or timestamps)."""
    return pd.Timestamp(value).date()


def _count(wh, sql: str, params: Mapping) -> int:
    return int(wh.query(f"select count(*) as n from ({sql}) as v", params)["n"].iloc[0])


def _check_invariants(wh, contract: TableContract, params: Mapping) -> list[InvariantResult]:
    """Each invariant over the dates of ``params`` (none when they are an empty span: a result of
    0 violations, which is what the pass that vouches for the dates found)."""
    results = []
    where = f"{contract.date_column} between @start_date and @end_date"
    checked = params["start_date"] <= params["end_date"]
    row_checks = [inv for inv in contract.invariants if inv.check]
    counts = {}
    if checked and row_checks:  # every row-level invariant in one scan of the table
        frame = wh.query("select " + ", ".join(f"countif(not ({inv.check})) as v{i}" for i, inv in enumerate(row_checks))
                         + f" from {contract.table} where {where}", params)
        counts = {inv.name: int(frame[f"v{i}"].iloc[0] or 0) for i, inv in enumerate(row_checks)}
    for inv in contract.invariants:
        if inv.check:
            sql = f"select * from {contract.table} where {where} and not ({inv.check})"
            n = counts.get(inv.name, 0)
        else:
            sql = inv.query
            n = _count(wh, sql, params) if checked else 0
        sample = wh.query(f"select * from ({sql}) as v limit {SAMPLE}", params).to_dict("records") if n else []
        results.append(InvariantResult(inv.name, n, [{k: str(v) for k, v in r.items()} for r in sample], sql))
    return results


def _check_health(wh, contract: TableContract, params: Mapping) -> list[InvariantResult]:
    """Per season: a column declared not constant must take 2+ values on the dates its source had
    data (D9); NULL share within bound. Dates without the column's optional source are declared
    degraded by ``nbaprops.checks.features.degraded_features`` (D13), not failed here."""
    results = []
    seasons = (season_health(wh, contract, params["start_date"], params["end_date"])
               if params["start_date"] <= params["end_date"] else [])
    for h in contract.health:
        mine = [s for s in seasons if s.health == h]
        stuck = [{"season": s.season, "rows": s.available_rows, "dates": s.available_dates}
                 for s in mine if s.stuck]
        too_null = [{"season": s.season, "null_rate": round(s.null_rate, 4), "bound": h.max_null_rate}
                    for s in mine if s.null_rate > h.max_null_rate]
        results.append(InvariantResult(f"health:{h.column}:not_constant", len(stuck), stuck[:SAMPLE]))
        results.append(InvariantResult(f"health:{h.column}:null_rate", len(too_null), too_null[:SAMPLE]))
    return results


def check_table(wh, table: str, expected: Sequence[dt.date], start: dt.date, end: dt.date,
                invariants: bool = True, markers_root: str | Path | None = None,
                tolerated: Collection[dt.date] = (), since: dt.date | None = None,
                health_from: dt.date | None = None) -> TableReport:
    """Dates, rows, key uniqueness and (unless ``invariants`` is False) contract invariants, with a
    remedy per problem (``markers_root`` tells a never-built date from one whose rows are gone).
    ``tolerated`` dates are neither expected nor unexpected (see ``excluded_only_dates``).

    Dates, rows and keys are checked over [start, end]; the invariants over [since, end] and the
    per-season health over [health_from, end] (both default to ``start``): an incremental gate
    (``nbaprops.gate_state``) passes the first changed date and the start of its season."""
    contract = load_contract(table)
    params = {"start_date": start, "end_date": end}
    col = contract.date_column
    pk = ", ".join(contract.primary_key)
    checked = {"start_date": since or start, "end_date": end}
    # One query per table for what is checked over the whole range every run: the dates present,
    # the rows, the duplicated keys. A key holding the date column can repeat only within a date,
    # and a date's rows change only with its chunk: the keys of dates an earlier pass vouches for
    # are not grouped again (2.7M rows of prediction_performance_summary: a second of the gate).
    keys_from = "@since_date" if col in contract.primary_key else "@start_date"
    per_date = wh.query(
        f"select by_date.day, by_date.n, (select countif(k.n > 1) from (select count(*) as n from {table} "
        f"where {col} between {keys_from} and @end_date group by {pk}) as k) as duplicate_keys "
        f"from (select {col} as day, count(*) as n from {table} where {col} between @start_date and @end_date "
        f"group by {col}) as by_date", {**params, "since_date": checked["start_date"]})
    present = {_day(d) for d in per_date["day"]}
    want = present if table in SOURCE_DATED_TABLES else set(expected)
    rows = int(per_date["n"].sum())
    dupes = int(per_date["duplicate_keys"].iloc[0] or 0) if len(per_date) else 0
    health = {"start_date": health_from or start, "end_date": end}
    report = TableReport(
        table=table, expected=len(want), present=len(present & want), rows=rows,
        missing=[d.isoformat() for d in sorted(want - present)],
        unexpected=[d.isoformat() for d in sorted(present - want - set(tolerated))],
        duplicate_keys=dupes,
        invariants=_check_invariants(wh, contract, checked) + _check_health(wh, contract, health) if invariants else [],
    )
    spans = _built_spans(markers_root, table)
    report.missing_built = [d for d in report.missing if any(a <= dt.date.fromisoformat(d) <= b for a, b in spans)]
    report.remedies = table_remedies(report, contract, start, end)
    return report


def check_phase(wh, phase: int, start: dt.date, end: dt.date, options: Mapping | None = None,
                now: dt.datetime | None = None, since: dt.date | None = None,
                vouched: Sequence[Mapping] = (), seasonal: Sequence[Mapping] = ()) -> GateReport:
    """The phase's tables against the expected dates, then its checks (``nbaprops.checks``), and
    a warning for scheduled dates before today (at ``now``) whose games should be final by now.

    ``options`` is the validated configuration (``excluded_games``, ``paths.markers``); None means
    the defaults. ``since`` (an incremental gate, ``nbaprops.gate_state``): dates, rows, keys and
    the global checks still cover [start, end]; invariants and range checks cover [since, end],
    per-season health and seasonal checks the seasons from ``since``'s on; the findings of
    earlier dates come from the ``vouched`` segments of the last passes (their ``findings`` per
    check), those of earlier seasons from ``seasonal`` (check, season, finding); all passed."""
    options = options or {}
    excluded = excluded_games(options)
    dates = phase_dates(wh, phase, start, end, excluded)
    tolerated = excluded_only_dates(wh, start, end, excluded)
    markers_root = options.get("paths", {}).get("markers")
    season_from = first_season = None
    if since is not None and since <= end:
        calendar = SeasonCalendar.load(wh, since, end)
        season_from, first_season = max(start, calendar.season_start(since)), calendar.season_of(since)
    elif since is not None:  # nothing changed: every date is vouched for
        season_from = since
    tables = [check_table(wh, t, dates.of(t), start, end, markers_root=markers_root,
                          tolerated=tolerated | dates.tolerated(t), since=since, health_from=season_from)
              for t in PHASE_TABLES[phase]]
    origins = _phase_findings(wh, phase, start, end, options, since, season_from, first_season, vouched, seasonal)
    findings = [f for _, _, _, f in origins]
    if since is not None:  # a range check's range-free part (e.g. conflicting aliases) recurs per segment
        findings = list({json.dumps(f.as_dict(), sort_keys=True): f for f in findings}.values())
    overdue = overdue_finding(schedule_states(wh, start, end, excluded), league_today(options, now))
    findings += [overdue] if overdue else []
    coverage = {"in_full": f"{start}..{end}", "vouched": []}
    if since is not None:
        coverage = {"in_full": f"{since}..{end}" if since <= end else None,
                    "vouched": [f"{s['start']}..{s['end']} by the pass of {s['written_at']} ({s['run_id']})"
                                for s in vouched]}
    return GateReport(phase, start.isoformat(), end.isoformat(), len(dates.games), dates.bootstrap_excluded,
                      tables, findings, [d.isoformat() for d in dates.scheduled], coverage, origins)


def _phase_findings(wh, phase: int, start: dt.date, end: dt.date, options: Mapping, since: dt.date | None,
                    season_from: dt.date | None, first_season: int | None,
                    vouched: Sequence[Mapping],
                    seasonal: Sequence[Mapping]) -> list[tuple[str, int | None, bool, Finding]]:
    """(check, season, range check?, finding) of every check of the phase in registry order:
    over [start, end], or incrementally (see ``check_phase``)."""
    out = []
    for check in PHASE_CHECKS.get(phase, []):
        name = check.__name__
        if since is None or check in GLOBAL_CHECKS:
            if check in SEASONAL_CHECKS:
                out += [(name, s, False, f) for s, f in SEASONAL_CHECKS[check](wh, start, end, options)]
            else:
                out += [(name, None, check not in GLOBAL_CHECKS, f) for f in check(wh, start, end, options)]
        elif check in SEASONAL_CHECKS:
            # seasons before the first changed date's (a finding without a season is re-checked)
            out += [(name, c["season"], False, Finding.from_dict(c["finding"])) for c in seasonal
                    if c["check"] == name and (first_season is None
                                               or (c["season"] is not None and c["season"] < first_season))]
            if season_from <= end:
                out += [(name, s, False, f) for s, f in SEASONAL_CHECKS[check](wh, season_from, end, options)]
        else:
            out += [(name, None, True, Finding.from_dict(doc)) for seg in vouched
                    for doc in seg.get("findings", {}).get(name, [])]
            if since <= end:
                out += [(name, None, True, f) for f in check(wh, since, end, options)]
    return out


def _built_spans(markers_root: str | Path | None, table: str) -> list[tuple[dt.date, dt.date]]:
    """The date spans of the table's chunk markers (``<first>_<last>.json``)."""
    if markers_root is None:
        return []
    spans = []
    for path in (Path(markers_root) / Path(*table.split("."))).glob("*_*.json"):
        try:
            first, last = parse_chunk_id(path.stem)
        except ValueError:
            continue
        spans.append((first, last))
    return spans


LOOK_LIMIT = 20  # rows a remedy's `nbaprops sql` shows


def missing_date_remedies(reports: Sequence[TableReport]) -> list[str]:
    """One command for the missing dates of ``reports`` that were never built, one forced rebuild for
    those whose chunk markers exist (their rows were deleted or replaced after the build)."""
    never = sorted({d for r in reports for d in r.missing if d not in r.missing_built})
    built = sorted({d for r in reports for d in r.missing_built})
    out = []
    if never:
        out.append(f"Build the missing dates with {build_command(never[0], never[-1])}.")
    if built:
        rules = [rule for r in reports if r.missing_built for rule in rules_of(r.table)]
        out.append(f"{len(built)} of the missing dates have chunk markers but no rows (deleted or replaced after "
                   f"the build): rebuild them with {build_command(built[0], built[-1], rules)}.")
    return out


def table_remedies(report: TableReport, contract: TableContract, start: dt.date, end: dt.date) -> list[str]:
    """What to do about each problem of a table: the command that builds or shows what is wrong."""
    table, col, rules = report.table, contract.date_column, rules_of(report.table)
    params = {"start_date": start, "end_date": end}
    out = missing_date_remedies([report])
    if report.unexpected:
        shown = ", ".join(sql_literal(dt.date.fromisoformat(d)) for d in report.unexpected[:LOOK_LIMIT])
        look = sql_command(f"select {col}, count(*) as n from {table} where {col} in ({shown}) group by 1 order by 1")
        out.append(f"Rows on {len(report.unexpected)} dates with no expected game (the schedule changed after "
                   f"they were built, or they are bootstrap days): see them with {look}; if the schedule is "
                   f"right, rebuild with {build_command(forcerun=rules)}.")
    if report.duplicate_keys:
        pk = ", ".join(contract.primary_key)
        look = sql_command(f"select {pk}, count(*) as n from {table} where {col} between @start_date and @end_date "
                           f"group by {pk} having count(*) > 1 order by n desc limit {LOOK_LIMIT}", params)
        out.append(f"{report.duplicate_keys} primary keys ({pk}) occur more than once: see them with {look}; "
                   f"rebuild with {build_command(start, end, rules)}.")
    for inv in report.invariants:
        if not inv.violations:
            continue
        if inv.sql:
            look = sql_command(f"select * from ({inv.sql}) as v limit {LOOK_LIMIT}", params)
            out.append(f"Invariant {inv.name} is violated by {inv.violations} rows of {table}: see them with {look}.")
        else:
            phase = PHASE_OF_TABLE.get(table, "N")
            out.append(f"Check {inv.name} fails for {inv.violations} of {table}'s seasons: the examples are in "
                       f"the gate report (`nbaprops verify-phase{phase} --start-date {start} --end-date {end} "
                       "--verbose`).")
    return out


def combined_remedies(reports: Sequence[TableReport]) -> list[str]:
    """The remedies of several tables with their missing dates folded into one command each."""
    own = [r for report in reports for r in report.remedies if r not in missing_date_remedies([report])]
    return missing_date_remedies(reports) + list(dict.fromkeys(own))


def table_problems(report: TableReport, dates: int | None = 4) -> list[str]:
    """What is wrong with a table, one short phrase each (``dates=None``: counts without dates).

    The one wording of a table's problems: the gate report, ``nbaprops status`` and the HTML report."""
    problems = []
    for word, days in (("missing", report.missing), ("unexpected", report.unexpected)):
        if days:
            problems.append(f"{word} {len(days)}" + (f": {compact_dates(days, dates)}" if dates else ""))
    if report.duplicate_keys:
        problems.append(f"{report.duplicate_keys} duplicate keys")
    problems += [f"invariant {i.name} ({i.violations})" for i in report.invariants if i.violations]
    return problems


def compact_dates(dates: Sequence[str], limit: int = 12) -> str:
    """'2021-10-19..2021-10-23, 2021-11-02' — consecutive days folded into ranges."""
    if not dates:
        return "none"
    days = [dt.date.fromisoformat(d) for d in dates]
    runs: list[list[dt.date]] = [[days[0], days[0]]]
    for day in days[1:]:
        if (day - runs[-1][1]).days == 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    parts = [a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}" for a, b in runs]
    text = ", ".join(parts[:limit])
    return text + (f", … ({len(parts) - limit} more runs)" if len(parts) > limit else "")


RULE = "=" * 70


def coverage_sentence(coverage: Mapping) -> str:
    """What an incremental gate checked in full and what earlier passes vouch for."""
    return (f"Checked in full: {coverage.get('in_full') or 'nothing (no chunk changed)'}; the dates present, "
            f"rows, raw stage findings and schedule of the whole range checked again; vouched by earlier passes: "
            f"{'; '.join(coverage['vouched'])} (their warnings carried forward).")


def format_findings(findings: Sequence[Finding], levels: Collection[str] = SEVERITIES) -> list[str]:
    """Findings at a glance: a count line per severity, then each finding with its examples."""
    shown = [f for f in findings if f.severity in levels]
    if not shown:
        return []
    counts = ", ".join(f"{n} {level}{'s' if n > 1 and level != 'info' else ''}" for level in SEVERITIES[::-1]
                       if (n := sum(1 for f in shown if f.severity == level)))
    lines = [f"Findings: {counts}"]
    for f in sorted(shown, key=lambda f: -SEVERITIES.index(f.severity)):
        lines.append(f"   {f.format()}")
    return lines


def awaiting_grading(scheduled: Sequence[str]) -> str:
    """The one wording of the scheduled dates in range (gate reports, ``nbaprops status``)."""
    return (f"Scheduled dates awaiting grading: {len(scheduled)} ({compact_dates(list(scheduled), 6)}): "
            "predicted from what is known before tip-off, graded by the first run after their box scores arrive")


def failure_sentence(report: GateReport) -> str:
    """One sentence: which tables and checks failed the gate (the report says what to do)."""
    causes = [f"{t.table} ({', '.join(table_problems(t, dates=None))})" for t in report.tables if not t.ok]
    causes += [f"{f.kind} ({f.count})" for f in report.findings if f.severity == "error"]
    if report.expected_dates == 0:
        causes.insert(0, "no expected game dates (no game in the raw schedule)")
    return (f"phase {report.phase} gate failed for {report.start}..{report.end}: {'; '.join(causes)}. "
            "What to do is under SUMMARY in the gate report.")


def format_report(report: GateReport, verbose: bool = False) -> str:
    lines = [RULE, f"PHASE {report.phase} COMPLETENESS  {report.start} .. {report.end}", RULE,
             f"Expected game dates: {report.expected_dates}"
             + (f" (bootstrap dates excluded: {report.bootstrap_dates_excluded})"
                if report.bootstrap_dates_excluded else "")]
    if report.scheduled:
        lines.append(awaiting_grading(report.scheduled))
    if report.coverage.get("vouched"):
        lines.append(coverage_sentence(report.coverage))
    for t in report.tables:
        lines += ["", f"{'✅' if t.ok else '❌'} {t.table}" + ("  (final dates only)" if t.table in POSTGAME_TABLES else ""),
                  f"   Dates: {t.present}/{t.expected}   Rows: {t.rows:,}"]
        if t.missing:
            lines.append(f"   Missing dates ({len(t.missing)}): {compact_dates(t.missing, 50 if verbose else 6)}")
        if t.unexpected:
            lines.append(f"   Unexpected dates ({len(t.unexpected)}): {compact_dates(t.unexpected, 50 if verbose else 6)}")
        if t.duplicate_keys:
            lines.append(f"   Duplicate primary keys: {t.duplicate_keys}")
        for inv in t.invariants:
            if inv.violations:
                lines.append(f"   Invariant '{inv.name}' violated by {inv.violations} rows")
                if verbose:
                    lines += [f"      e.g. {row}" for row in inv.sample]
            elif verbose:
                lines.append(f"   Invariant '{inv.name}': ok")
    if report.findings:
        lines += [""] + format_findings(report.findings)
    lines += ["", RULE, "SUMMARY", RULE]
    warnings = report.finding_counts["warning"]
    if report.ok:
        lines.append(f"✅ PHASE {report.phase} IS COMPLETE: every table has exactly the expected dates, "
                     "unique keys and no invariant violations, and every expected game is there"
                     + (f" ({warnings} warning{'s' if warnings > 1 else ''} above)." if warnings else "."))
    else:
        bad = [t for t in report.tables if not t.ok]
        errors = [f for f in report.findings if f.severity == "error"]
        lines.append(f"❌ PHASE {report.phase} IS INCOMPLETE: {len(bad)} of {len(report.tables)} tables need "
                     f"attention, {len(errors)} checks failed.")
        if report.expected_dates == 0:
            lines.append(f"   No expected game dates: the raw schedule has no game in {report.start}..{report.end}."
                         " See what it holds with " + sql_command(
                             "select min(game_date) as first, max(game_date) as last, count(*) as games "
                             "from nba_raw.nbac_schedule")
                         + f"; load the raw data for this range with {build_command(report.start, report.end)}.")
        for t in bad:
            lines.append(f"   - {t.table}: {'; '.join(table_problems(t))}")
            lines += [f"       → {remedy}" for remedy in t.remedies]
        for f in errors:
            lines.append(f"   - {f.kind} ({f.count}): {f.message}")
    lines.append(RULE)
    return "\n".join(lines)
