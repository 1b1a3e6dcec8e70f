"""Phase gates: is a phase complete for the exact set of expected game dates?

One implementation serves the gate rules (which write a gate marker or fail) and the
``nbaprops verify-phaseN`` commands. A table passes when it holds rows on exactly the expected
dates (no missing, no unexpected), its primary key is unique and its contract's invariants hold.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Mapping, Sequence

import pandas as pd

from nbaprops.contracts import TableContract, load_contract
from nbaprops.checks.features import season_health
from nbaprops.seasons import is_bootstrap, openers_from_dates

PHASE_TABLES: dict[int, tuple[str, ...]] = {
    3: (  # staging tables first: each is logic several later tables share, built once per chunk
        "nba_staging.season_calendar",
        "nba_staging.player_boxscores",
        "nba_staging.play_by_play_shots",
        "nba_staging.player_prop_lines",
        "nba_analytics.team_offense_game_summary",
        "nba_analytics.team_defense_game_summary",
        "nba_analytics.player_game_summary",
        "nba_analytics.upcoming_team_game_context",
        "nba_analytics.upcoming_player_game_context",
    ),
    4: (  # strict groups: G1 zone tables, G2 composite factors, G3 daily cache, G4 feature store
        "nba_precompute.team_defense_zone_analysis",
        "nba_precompute.player_shot_zone_analysis",
        "nba_precompute.player_composite_factors",
        "nba_precompute.player_daily_cache",
        "nba_predictions.ml_feature_store_v2",
    ),
    5: (  # 5A predictions, 5B grading, 5C tier feedback, then the published predictions
        "nba_predictions.player_prop_predictions_base",
        "nba_predictions.prediction_accuracy",
        "nba_predictions.system_daily_performance",
        "nba_predictions.scoring_tier_adjustments",
        "nba_predictions.ensemble_tier_applied",
        "nba_predictions.player_prop_predictions",
    ),
}
# Phase 3 describes every game; later phases skip each season's bootstrap days (D7).
PHASE_SKIPS_BOOTSTRAP = {3: False, 4: True, 5: True}
# Tables with rows only where their source has data (play-by-play and bookmakers cover some
# games only): their keys and invariants are checked, their dates are not held against the schedule.
SOURCE_DATED_TABLES = frozenset({"nba_staging.play_by_play_shots", "nba_staging.player_prop_lines"})
SAMPLE = 5


@dataclass
class InvariantResult:
    name: str
    violations: int
    sample: list = field(default_factory=list)


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

    @property
    def ok(self) -> bool:
        return self.expected_dates > 0 and bool(self.tables) and all(t.ok for t in self.tables)

    def as_dict(self) -> dict:
        doc = asdict(self)
        doc["ok"] = self.ok
        for t, table in zip(doc["tables"], self.tables):
            t["ok"] = table.ok
        return doc


def schedule_dates(wh, start: dt.date, end: dt.date) -> list[dt.date]:
    frame = wh.query(
        "select distinct game_date from nba_raw.nbac_schedule "
        "where game_date between @start_date and @end_date and game_status = 3 order by game_date",
        {"start_date": start, "end_date": end},
    )
    return list(pd.to_datetime(frame["game_date"]).dt.date)


def expected_dates(wh, phase: int, start: dt.date, end: dt.date) -> tuple[list[dt.date], int]:
    """Expected game dates of a phase in [start, end] and how many bootstrap dates were excluded."""
    dates = schedule_dates(wh, start, end)
    if not PHASE_SKIPS_BOOTSTRAP[phase]:
        return dates, 0
    # Openers need each touched season's first game, which may precede `start`.
    season_start = dt.date(min(d.year for d in dates) - 1, 10, 1) if dates else start
    openers = openers_from_dates(schedule_dates(wh, season_start, end))
    kept = [d for d in dates if not is_bootstrap(d, openers)]
    return kept, len(dates) - len(kept)


def _count(wh, sql: str, params: Mapping) -> int:
    return int(wh.query(f"select count(*) as n from ({sql}) as v", params)["n"].iloc[0])


def _check_invariants(wh, contract: TableContract, params: Mapping) -> list[InvariantResult]:
    results = []
    where = f"{contract.date_column} between @start_date and @end_date"
    for inv in contract.invariants:
        if inv.check:
            sql = f"select * from {contract.table} where {where} and not ({inv.check})"
        else:
            sql = inv.query
        n = _count(wh, sql, params)
        sample = wh.query(f"select * from ({sql}) as v limit {SAMPLE}", params).to_dict("records") if n else []
        results.append(InvariantResult(inv.name, n, [{k: str(v) for k, v in r.items()} for r in sample]))
    return results


def _check_health(wh, contract: TableContract, params: Mapping) -> list[InvariantResult]:
    """Per season: a column declared not constant must take 2+ values on the dates its source had
    data (D9); NULL share within bound. Dates without the column's optional source are declared
    degraded by ``nbaprops.checks.features.degraded_features`` (D13), not failed here."""
    results = []
    seasons = season_health(wh, contract, params["start_date"], params["end_date"])
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
                invariants: bool = True) -> TableReport:
    """Dates, rows, key uniqueness and (unless ``invariants`` is False) contract invariants."""
    contract = load_contract(table)
    params = {"start_date": start, "end_date": end}
    present = set(wh.dates_present(contract, start, end))
    want = present if table in SOURCE_DATED_TABLES else set(expected)
    col = contract.date_column
    rows = _count(wh, f"select 1 from {table} where {col} between @start_date and @end_date", params)
    pk = ", ".join(contract.primary_key)
    dupes = _count(wh, f"select {pk} from {table} where {col} between @start_date and @end_date "
                       f"group by {pk} having count(*) > 1", params)
    return TableReport(
        table=table, expected=len(want), present=len(present & want), rows=rows,
        missing=[d.isoformat() for d in sorted(want - present)],
        unexpected=[d.isoformat() for d in sorted(present - want)],
        duplicate_keys=dupes,
        invariants=_check_invariants(wh, contract, params) + _check_health(wh, contract, params) if invariants else [],
    )


def check_phase(wh, phase: int, start: dt.date, end: dt.date) -> GateReport:
    dates, skipped = expected_dates(wh, phase, start, end)
    tables = [check_table(wh, t, dates, start, end) for t in PHASE_TABLES[phase]]
    return GateReport(phase, start.isoformat(), end.isoformat(), len(dates), skipped, tables)


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


def format_report(report: GateReport, verbose: bool = False) -> str:
    lines = [RULE, f"PHASE {report.phase} COMPLETENESS  {report.start} .. {report.end}", RULE,
             f"Expected game dates: {report.expected_dates}"
             + (f" (bootstrap dates excluded: {report.bootstrap_dates_excluded})"
                if report.bootstrap_dates_excluded else "")]
    for t in report.tables:
        lines += ["", f"{'✅' if t.ok else '❌'} {t.table}",
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
    lines += ["", RULE, "SUMMARY", RULE]
    if report.ok:
        lines.append(f"✅ PHASE {report.phase} IS COMPLETE: every table has exactly the expected dates, "
                     "unique keys and no invariant violations.")
    else:
        bad = [t for t in report.tables if not t.ok]
        lines.append(f"❌ PHASE {report.phase} IS INCOMPLETE: {len(bad)} of {len(report.tables)} tables need attention:")
        for t in bad:
            why = []
            if t.missing:
                why.append(f"{len(t.missing)} missing dates")
            if t.unexpected:
                why.append(f"{len(t.unexpected)} unexpected dates")
            if t.duplicate_keys:
                why.append(f"{t.duplicate_keys} duplicate keys")
            why += [f"invariant {i.name}" for i in t.invariants if i.violations]
            lines.append(f"   - {t.table}: {', '.join(why)}")
        if report.expected_dates == 0:
            lines.append("   No expected game dates in this range (is the raw schedule loaded?).")
        lines.append("   Re-run the pipeline for the missing chunks: snakemake --cores 2 all")
    lines.append(RULE)
    return "\n".join(lines)
