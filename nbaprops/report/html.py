"""`nbaprops report html`: the state of a backfill as one self-contained HTML page.

    html = render_html(wh, config, start, end)           # a str; write it anywhere
    write_html_report(config, "reports/index.html")       # what the `report_html` rule does

One file, inline CSS and inline SVG, no JavaScript and nothing fetched: it opens from disk in any
browser. Sections, each saying so when its data does not exist yet instead of failing:

* At a glance: complete or not, coverage, gates, failed jobs, job time, ensemble accuracy.
* Coverage: a heatmap of every table of every phase (``gates.PHASE_TABLES``) x game date, one block
  per season, columns grouped by month; each cell present / missing / bootstrap day / unexpected.
* Timings: per phase from the run history (latest run of each job), per rule from Snakemake's
  ``benchmark:`` files (``benchmarks/<dataset>/<table>/<chunk>.tsv`` and the like).
* Prediction accuracy: ``accuracy_report`` as charts (MAE by system and season, hit rate on real
  lines, calibration of predicted vs actual points) and tables, with the line and oracle rows.
* Gates and failed jobs: ``status.collect`` (gate markers, failures with no later success, logs,
  the findings of each job's latest run, each table's problems and remedies).
* Exports: relative links into the local export folder (``storage.path``/v1/).

The same warehouse and files give the same bytes: the only wall-clock time is the optional
``generated`` line the caller passes.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Callable, Mapping, Sequence
from urllib.parse import quote

import pandas as pd

from nbaprops import gates, status
from nbaprops.contracts import load_contract
from nbaprops.findings import SEVERITIES, Finding
from nbaprops.progress import format_duration
from nbaprops.report import accuracy
from nbaprops.report.svg import Series, grouped_bars, line_chart
from nbaprops.seasons import SeasonCalendar

log = logging.getLogger("nbaprops.report")

BENCHMARKS = "benchmarks"  # Snakemake's benchmark: files, relative to the working directory
PHASE_OF_TABLE = {table: phase for phase, tables in gates.PHASE_TABLES.items() for table in tables}
# Phases that have a gate marker: the table phases plus Phase 6 (exports), which has no tables.
GATED_PHASES = (*sorted(gates.PHASE_TABLES), 6)
# Calibration: player-games binned by predicted points; bins with fewer games are too noisy to plot.
CALIBRATION_BIN = 3
CALIBRATION_MIN_GAMES = 20
EXPORT_LINKS_PER_FOLDER = 8

# Heatmap cell states: css class, colour, legend text.
CELL_STATES = {
    "present": ("p", "#2f9e5d", "present"),
    "missing": ("m", "#d63c3c", "missing (expected, not built)"),
    "bootstrap": ("b", "#b9c6d6", "bootstrap day (excluded by design)"),
    "unexpected": ("u", "#f39c12", "unexpected (rows on a date not expected)"),
    "none": ("n", "#eef0f3", "no data expected (source has none that day / not a game date)"),
}
SYSTEM_COLORS = {
    "moving_average_baseline_v1": "#8c96a3",
    "zone_matchup_v1": "#e39b3b",
    "similarity_balanced_v1": "#9b6cc4",
    "xgboost_v1": "#2f83c8",
    "ensemble_v1": "#1f9e77",
    accuracy.TIER_ADJUSTED: "#0b5d46",
    accuracy.LINE: "#c0392b",
    accuracy.ORACLE: "#222222",
}
REFERENCES = (accuracy.LINE, accuracy.ORACLE)


# --------------------------------------------------------------------------------------- helpers
def _date(value) -> dt.date:
    """A warehouse date value (date, datetime or Timestamp) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else pd.Timestamp(value).date()


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} s" if value < 60 else format_duration(value)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _num(value: float | None, fmt: str = ".3f") -> str:
    return "–" if value is None else format(value, fmt)


def _href(target: str | os.PathLike, output_dir: str | os.PathLike) -> str:
    """A link from the report's folder to ``target`` that works from disk (file://)."""
    rel = os.path.relpath(os.path.abspath(target), os.path.abspath(output_dir))
    return quote(Path(rel).as_posix())


def _table_label(table: str) -> str:
    dataset, _, name = table.partition(".")
    return f'<span class="ds">{escape(dataset)}.</span>{escape(name)}'


def _bar(share: float, color: str = "#2f83c8", marker: float | None = None) -> str:
    """A horizontal bar filling ``share`` (0..1) of its cell; ``marker`` draws a reference tick."""
    tick = f'<i class="tick" style="left:{marker:.1%}"></i>' if marker is not None else ""
    width = max(0.0, min(share, 1.0))
    return f'<div class="bar"><b style="width:{width:.1%};background:{color}"></b>{tick}</div>'


@dataclass
class Section:
    """One part of the page: its data or, when it could not be read, why."""
    data: object = None
    error: str | None = None


def _guarded(what: str, build: Callable[[], object]) -> Section:
    """Read one section's data; a failure becomes a sentence on the page instead of no page."""
    try:
        return Section(build())
    except Exception as exc:  # noqa: BLE001 - one unreadable source must not lose the whole report
        log.warning("report: %s could not be read: %s", what, exc)
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        return Section(error=f"{what} could not be read ({type(exc).__name__}: {first})")


# ------------------------------------------------------------------------------------- coverage
@dataclass
class Coverage:
    dates: list[dt.date]
    rows: list[tuple[int, str, list[str]]]  # (phase, table, cell state per date)
    counts: dict[str, int] = field(default_factory=dict)
    seasons: list[int] = field(default_factory=list)  # each date's season, from the schedule


def coverage(wh, start: dt.date, end: dt.date) -> Coverage:
    """Every table of every phase x every game date of the range (plus any unexpected date)."""
    schedule = set(gates.schedule_dates(wh, start, end))
    expected = {phase: set(gates.expected_dates(wh, phase, start, end)[0]) for phase in gates.PHASE_TABLES}
    present = {table: {_date(d) for d in wh.dates_present(load_contract(table), start, end)}
               for table in PHASE_OF_TABLE}
    dates = sorted(schedule.union(*present.values()))
    calendar = SeasonCalendar.load(wh, start, end)
    rows, counts = [], defaultdict(int)
    for table, phase in PHASE_OF_TABLE.items():
        cells = []
        for day in dates:
            have = day in present[table]
            if table in gates.SOURCE_DATED_TABLES:  # dated by its source: whatever it has is expected
                state = "present" if have else "none"
            elif day in expected[phase]:
                state = "present" if have else "missing"
            elif day in schedule:  # a game date the phase skips: each season's bootstrap days
                state = "unexpected" if have else "bootstrap"
            else:
                state = "unexpected" if have else "none"
            cells.append(state)
            counts[state] += 1
        rows.append((phase, table, cells))
    return Coverage(dates, rows, dict(counts), [calendar.season_of(d) for d in dates])


def _runs(states: Sequence[str], dates: Sequence[dt.date]) -> list[tuple[str, int, int]]:
    """(state, first index, length) runs of equal states, split at month boundaries."""
    runs: list[tuple[str, int, int]] = []
    for i, state in enumerate(states):
        if runs and runs[-1][0] == state and (dates[i].year, dates[i].month) == (
                dates[i - 1].year, dates[i - 1].month):
            runs[-1] = (state, runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((state, i, 1))
    return runs


def _span_title(table: str, dates: Sequence[dt.date], first: int, length: int, state: str) -> str:
    a, b = dates[first], dates[first + length - 1]
    when = a.isoformat() if a == b else f"{a.isoformat()} .. {b.isoformat()} ({length} dates)"
    return f"{table} {when}: {CELL_STATES[state][2]}"


def render_heatmap(cov: Coverage, summary: Mapping[str, str], gate_states: Mapping[int, str]) -> str:
    """One table per season: rows = tables grouped by phase, columns = game dates by month."""
    if not cov.dates:
        return '<p class="empty">No game dates in this range (is the raw schedule loaded?).</p>'
    seasons: dict[int, list[int]] = defaultdict(list)
    for i, season in enumerate(cov.seasons):
        seasons[season].append(i)
    blocks = []
    for season, index in seasons.items():
        dates = [cov.dates[i] for i in index]
        width = max(4, min(22, 980 // len(dates)))
        months: list[tuple[str, int]] = []
        for day in dates:
            label = day.strftime("%b %Y")
            if months and months[-1][0] == label:
                months[-1] = (label, months[-1][1] + 1)
            else:
                months.append((label, 1))
        head = ['<tr><th class="lbl">Season ' + accuracy.season_label(season) + "</th>"]
        head += [f'<th class="mon" colspan="{n}">{escape(m if n * width >= 48 else m[:3])}</th>' for m, n in months]
        head.append('<th class="sum">dates</th></tr>')
        if width >= 16:
            head.append('<tr class="days"><th class="lbl"></th>' + "".join(
                f'<th{" class=ms" if i == 0 or d.month != dates[i - 1].month else ""}>{d.day}</th>'
                for i, d in enumerate(dates)) + "<th></th></tr>")
        body = []
        current_phase = None
        for phase, table, cells in cov.rows:
            if phase != current_phase:
                current_phase = phase
                gate = gate_states.get(phase, "not run")
                body.append(f'<tr class="phase"><th class="lbl" colspan="{len(dates) + 2}">Phase {phase} '
                            f'<span class="gs {_gate_css(gate)}">gate {escape(gate)}</span></th></tr>')
            states = [cells[i] for i in index]
            tds = []
            for state, first, length in _runs(states, dates):
                month_start = first == 0 or dates[first].month != dates[first - 1].month
                css = CELL_STATES[state][0] + (" ms" if month_start else "")
                span = f' colspan="{length}"' if length > 1 else ""
                tds.append(f'<td class="{css}"{span} title="{escape(_span_title(table, dates, first, length, state))}">'
                           "</td>")
            body.append(f'<tr data-table="{escape(table)}"><th class="lbl">{_table_label(table)}</th>{"".join(tds)}'
                        f'<td class="sum">{summary.get(table, "")}</td></tr>')
        blocks.append(
            f'<table class="heatmap"><colgroup><col class="lbl"><col span="{len(dates)}" style="width:{width}px">'
            f'<col class="sum"></colgroup><thead>{"".join(head)}</thead><tbody>{"".join(body)}</tbody></table>')
    legend = "".join(f'<span class="key"><i class="{css}"></i>{escape(text)} ({cov.counts.get(state, 0):,})</span>'
                     for state, (css, _, text) in CELL_STATES.items())
    return f'<div class="legend">{legend}</div>' + "".join(blocks)


# -------------------------------------------------------------------------------------- timings
PHASE_LABELS = {"raw": "Raw load", "phase_3_analytics": "Phase 3 analytics", "phase_4_precompute": "Phase 4 precompute",
                "phase_5_predictions": "Phase 5 predictions", "phase_6_publishing": "Phase 6 publishing",
                "gate": "Gates"}


def run_history_timings(wh, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The latest run of each job (processor x chunk) in the range, with its phase and duration."""
    frame = wh.query(
        f"select processor_name, phase, chunk_id, status, duration_seconds, processed_at, records_processed "
        f"from {status.RUN_HISTORY} where data_date between @start_date and @end_date",
        {"start_date": start, "end_date": end})
    if frame.empty:
        return frame
    frame = frame.assign(chunk_id=frame["chunk_id"].fillna("")).sort_values(
        ["processed_at", "processor_name", "chunk_id"], kind="stable")
    return frame.groupby(["processor_name", "chunk_id"], sort=True).tail(1).reset_index(drop=True)


def _phase_order(label: str) -> tuple[int, str]:
    order = list(PHASE_LABELS.values())
    return (order.index(label) if label in order else len(order), label)


def phase_timings(latest: pd.DataFrame) -> list[dict]:
    out = []
    for phase, group in latest.groupby("phase", sort=True):
        seconds = group["duration_seconds"].fillna(0.0)
        slow = group.loc[seconds.idxmax()]
        out.append({
            "phase": PHASE_LABELS.get(phase, phase), "jobs": len(group),
            "failed": int((group["status"] == "failed").sum()),
            "total": float(seconds.sum()), "mean": float(seconds.mean()),
            "slowest": f"{slow['processor_name']} {slow['chunk_id'] or ''}".strip(),
            "slowest_seconds": float(seconds.max()),
            "rows": int(group["records_processed"].fillna(0).sum()),
        })
    return sorted(out, key=lambda r: _phase_order(r["phase"]))


_CHUNK_DATES = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _in_range(chunk: str, start: dt.date, end: dt.date) -> bool:
    """Whether a benchmark's chunk (first_last dates, or a YYYY-MM model window) touches the range."""
    if m := _CHUNK_DATES.match(chunk):
        first, last = (dt.date.fromisoformat(x) for x in m.groups())
    elif m := _MONTH.match(chunk):
        first = dt.date(int(m[1]), int(m[2]), 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    else:
        return True  # one job for the whole range (raw load, as-of exports)
    return first <= end and last >= start


def _benchmark_group(rel: Path) -> tuple[str, str, str]:
    """(rule group, chunk, phase label) of a benchmark file path relative to benchmarks/."""
    parts = rel.with_suffix("").parts
    if len(parts) == 3 and f"{parts[0]}.{parts[1]}" in PHASE_OF_TABLE:
        table = f"{parts[0]}.{parts[1]}"
        return table, parts[2], f"Phase {PHASE_OF_TABLE[table]}"
    group, chunk = ("/".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (parts[0], "")
    # Jobs that are not a table's chunks: the raw load, monthly models (5A) and the exports (6).
    phase = {"raw": "Raw load", "models": "Phase 5", "exports": "Phase 6"}.get(parts[0], "Other")
    return group, chunk, phase


def benchmark_timings(root: str | os.PathLike, start: dt.date, end: dt.date) -> list[dict]:
    """Per rule: jobs, total / mean wall seconds, slowest chunk, peak memory, CPU seconds."""
    root = Path(root)
    per_group: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
    for path in sorted(root.rglob("*.tsv")) if root.is_dir() else []:
        group, chunk, phase = _benchmark_group(path.relative_to(root))
        if not _in_range(chunk, start, end):
            continue
        try:
            frame = pd.read_csv(path, sep="\t")
        except (ValueError, OSError):  # a file being written right now
            continue
        if frame.empty or "s" not in frame:
            continue
        per_group[(phase, group)].append((chunk, frame.iloc[-1].to_dict()))
    out = []
    for (phase, group), jobs in per_group.items():
        seconds = [float(j["s"]) for _, j in jobs]
        slow_chunk, slow = max(jobs, key=lambda j: (float(j[1]["s"]), j[0]))
        rss = [float(j["max_rss"]) for _, j in jobs if pd.notna(j.get("max_rss"))]
        cpu = [float(j["cpu_time"]) for _, j in jobs if pd.notna(j.get("cpu_time"))]
        out.append({"phase": phase, "rule": group, "jobs": len(jobs), "total": sum(seconds),
                    "mean": sum(seconds) / len(seconds), "slowest": slow_chunk or "(one job)",
                    "slowest_seconds": float(slow["s"]), "max_rss": max(rss) if rss else None,
                    "cpu": sum(cpu) if cpu else None})
    phase_rank = {f"Phase {p}": p for p in (3, 4, 5, 6)} | {"Raw load": 0}
    return sorted(out, key=lambda r: (phase_rank.get(r["phase"], 9), r["rule"]))


def render_timings(history: Section, bench: Section) -> str:
    parts = ["<h3>Per phase <small>run history: the latest run of each job (table x chunk, raw table, gate); "
             "seconds spent building and loading, start-up excluded</small></h3>"]
    if history.error:
        parts.append(f'<p class="empty">{escape(history.error)}</p>')
    elif not history.data:
        parts.append('<p class="empty">No jobs in the run history for this range yet.</p>')
    else:
        rows = history.data
        top = max(r["total"] for r in rows) or 1.0
        parts.append('<table class="grid"><tr><th>phase</th><th class="r">jobs</th><th class="r">failed</th>'
                     '<th class="r">rows written</th><th class="r">total job time</th><th class="w"></th>'
                     '<th class="r">mean</th><th>slowest job</th><th class="r">its time</th></tr>')
        for r in rows:
            failed = f'<span class="bad">{r["failed"]}</span>' if r["failed"] else "0"
            parts.append(f'<tr><td>{escape(r["phase"])}</td><td class="r">{r["jobs"]:,}</td><td class="r">{failed}</td>'
                         f'<td class="r">{r["rows"]:,}</td><td class="r">{_seconds(r["total"])}</td>'
                         f'<td class="w">{_bar(r["total"] / top)}</td><td class="r">{_seconds(r["mean"])}</td>'
                         f'<td>{escape(r["slowest"])}</td><td class="r">{_seconds(r["slowest_seconds"])}</td></tr>')
        total = sum(r["total"] for r in rows)
        parts.append(f'<tr class="total"><td>all</td><td class="r">{sum(r["jobs"] for r in rows):,}</td>'
                     f'<td class="r">{sum(r["failed"] for r in rows)}</td>'
                     f'<td class="r">{sum(r["rows"] for r in rows):,}</td><td class="r">{_seconds(total)}</td>'
                     '<td colspan="4"></td></tr></table>')
    parts.append("<h3>Per rule <small>Snakemake <code>benchmark:</code> files: whole-job wall seconds of the "
                 "latest run of each job (Python start-up included), peak memory, CPU seconds</small></h3>")
    if bench.error:
        parts.append(f'<p class="empty">{escape(bench.error)}</p>')
    elif not bench.data:
        parts.append(f'<p class="empty">No benchmark files under {BENCHMARKS}/ for this range yet.</p>')
    else:
        rows = bench.data
        top = max(r["total"] for r in rows) or 1.0
        parts.append('<table class="grid"><tr><th>phase</th><th>rule (table)</th><th class="r">jobs</th>'
                     '<th class="r">total</th><th class="w"></th><th class="r">mean</th><th>slowest chunk</th>'
                     '<th class="r">its time</th><th class="r">peak RSS</th><th class="r">CPU</th></tr>')
        for r in rows:
            rss = "–" if r["max_rss"] is None else f'{r["max_rss"]:,.0f} MB'
            rule = _table_label(r["rule"]) if r["rule"] in PHASE_OF_TABLE else escape(r["rule"])
            parts.append(f'<tr><td>{escape(r["phase"])}</td><td>{rule}</td><td class="r">{r["jobs"]}</td>'
                         f'<td class="r">{_seconds(r["total"])}</td><td class="w">{_bar(r["total"] / top)}</td>'
                         f'<td class="r">{_seconds(r["mean"])}</td><td>{escape(r["slowest"])}</td>'
                         f'<td class="r">{_seconds(r["slowest_seconds"])}</td><td class="r">{rss}</td>'
                         f'<td class="r">{_seconds(r["cpu"])}</td></tr>')
        parts.append("</table>")
    return "".join(parts)


# ------------------------------------------------------------------------------------- accuracy
def calibration(wh, start: dt.date, end: dt.date) -> dict[str, list[tuple[float, float, int]]]:
    """Per system: (mean predicted, mean actual, games) of graded player-games binned by prediction."""
    frame = wh.query(
        f"""
        select graded.system_id as name,
            cast(floor(graded.predicted_points / {CALIBRATION_BIN}) as int64) as bin,
            count(*) as n, avg(graded.predicted_points) as predicted, avg(graded.actual_points) as actual
        from nba_predictions.prediction_accuracy as graded
        where graded.game_date between @start_date and @end_date and graded.actual_points is not null
        group by 1, 2""", {"start_date": start, "end_date": end})
    out: dict[str, list[tuple[float, float, int]]] = {}
    for name, group in frame.sort_values(["name", "bin"]).groupby("name", sort=False):
        kept = group[group["n"] >= CALIBRATION_MIN_GAMES]
        out[name] = [(round(float(r.predicted), 2), round(float(r.actual), 2), int(r.n)) for r in kept.itertuples()]
    return out


def _hit_rate(row: Mapping | None) -> float | None:
    return row["bets"]["hit_rate"] if row and row["bets"] else None


def _names(report: Mapping) -> list[str]:
    return list(dict.fromkeys(r["name"] for r in report["rows"]))


def render_accuracy(acc: Section, calib: Section) -> str:
    if acc.error:
        return f'<p class="empty">{escape(acc.error)}</p>'
    report = acc.data
    if not report["rows"]:
        return ('<p class="empty">No graded predictions in this range yet: Phase 5 (predictions and grading) '
                "has not run or graded nothing.</p>")
    seasons = [s for s in report["seasons"] if s != accuracy.ALL_SEASONS]
    groups = report["seasons"] if len(seasons) > 1 else [accuracy.ALL_SEASONS]
    by = {(r["season"], r["name"]): r for r in report["rows"]}
    names = _names(report)
    parts = ['<ul class="notes">' + "".join(f"<li>{escape(n)}</li>" for n in report["notes"]) + "</ul>"]

    series = [Series(n, SYSTEM_COLORS.get(n, "#777"), [by.get((g, n), {}).get("mae") for g in groups],
                     dashed=n in REFERENCES) for n in names]
    labels = ["all seasons" if g == accuracy.ALL_SEASONS else g for g in groups]
    parts.append('<div class="chart"><h3>MAE by system and season <small>mean absolute error in points, lower is '
                 "better; dashed = references (bookmaker line, oracle's true expectation)</small></h3>"
                 + grouped_bars(labels, series, "MAE (points)", title="MAE by system and season") + "</div>")

    # Hit rate on real lines: systems (and the tier-adjusted ensemble) that bet.
    parts.append("<h3>Hit rate on real lines <small>wins / (wins + losses) of OVER/UNDER calls against the "
                 "consensus line, all seasons; pushes apart; the tick marks 50%</small></h3>")
    parts.append('<table class="grid"><tr><th>system</th><th class="r">bets</th><th class="r">W–L–P</th>'
                 '<th class="r">hit rate</th><th class="w"></th>'
                 + "".join(f'<th class="r">{escape(s)}</th>' for s in seasons) + "</tr>")
    for n in names:
        row = by.get((accuracy.ALL_SEASONS, n))
        if not row or not row["bets"]:
            continue
        b = row["bets"]
        rate = b["hit_rate"]
        color = "#2f9e5d" if rate is not None and rate > 0.5 else "#d63c3c"
        per_season = "".join(f'<td class="r">{_pct(_hit_rate(by.get((s, n))))}</td>' for s in seasons)
        parts.append(f'<tr><td><i class="sw" style="background:{SYSTEM_COLORS.get(n, "#777")}"></i>{escape(n)}</td>'
                     f'<td class="r">{b["wins"] + b["losses"] + b["pushes"]:,}</td>'
                     f'<td class="r">{b["wins"]}–{b["losses"]}–{b["pushes"]}</td>'
                     f'<td class="r"><b>{_pct(rate)}</b></td>'
                     f'<td class="w">{_bar(rate or 0.0, color, marker=0.5)}</td>{per_season}</tr>')
    parts.append("</table>")

    if calib.error:
        parts.append(f'<p class="empty">{escape(calib.error)}</p>')
    elif calib.data:
        lines = [Series(n, SYSTEM_COLORS.get(n, "#777"), [(p, a) for p, a, _ in calib.data[n]])
                 for n in names if calib.data.get(n)]
        parts.append(f'<div class="chart"><h3>Calibration: predicted vs actual points <small>graded player-games '
                     f"binned by predicted points ({CALIBRATION_BIN}-point bins of at least {CALIBRATION_MIN_GAMES} "
                     "games): mean actual against mean predicted; on the dashed diagonal a system is calibrated"
                     "</small></h3>" + line_chart(lines, "mean predicted points", "mean actual points", diagonal=True,
                                                  title="Calibration of predicted vs actual points") + "</div>")

    checks = report["checks"].get(accuracy.ALL_SEASONS) or {}
    if checks:
        chips = []
        for key, value in checks.items():
            if isinstance(value, bool):
                chips.append(f'<span class="chip {"ok" if value else "bad"}">{"✓" if value else "✗"} '
                             f"{escape(key.replace('_', ' '))}</span>")
            else:  # the excess over the oracle is a share of its MAE, the others are points
                shown = f"{value:+.1%}" if "excess" in key else f"{value:+.3f} points"
                chips.append(f'<span class="chip">{escape(key.replace("_", " "))} {shown}</span>')
        parts.append('<h3>Checks <small>all seasons</small></h3><div class="chips">' + "".join(chips) + "</div>")

    for season in reversed(groups):  # one season: its table is the all-seasons one
        title = "All seasons" if season == accuracy.ALL_SEASONS else f"Season {season}"
        rows = [r for r in report["rows"] if r["season"] == season]
        table = ['<table class="grid acc"><tr><th>system</th><th class="r">n</th><th class="r">MAE</th>'
                 '<th class="r">bias</th><th class="r">within 3</th><th class="r">within 5</th>'
                 '<th class="r">hit rate</th><th class="r">W–L–P</th>'
                 '<th class="r">MAE on lined games (n)</th></tr>']
        for r in rows:
            b = r["bets"]
            record = f"{b['wins']}–{b['losses']}–{b['pushes']}" if b else "–"
            css = ' class="ref"' if r["kind"] == "reference" else ""
            table.append(f'<tr{css}><td><i class="sw" style="background:{SYSTEM_COLORS.get(r["name"], "#777")}"></i>'
                         f'{escape(r["name"])}</td><td class="r">{r["n"]:,}</td><td class="r">{_num(r["mae"])}</td>'
                         f'<td class="r">{_num(r["bias"], "+.3f")}</td><td class="r">{_pct(r["within_3_pct"])}</td>'
                         f'<td class="r">{_pct(r["within_5_pct"])}</td><td class="r">{_pct(_hit_rate(r))}</td>'
                         f'<td class="r">{record}</td><td class="r">{_num(r["mae_on_line_games"])} '
                         f'({r["line_games"]:,})</td></tr>')
        table.append("</table>")
        opened = " open" if season == accuracy.ALL_SEASONS else ""
        parts.append(f"<details{opened}><summary>{escape(title)}</summary>{''.join(table)}</details>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------- gates
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


def _gate_log(processor: str, logs_root: str) -> str | None:
    """A failed gate's log (gate jobs have no chunk, so the status has no log path for them)."""
    kind, _, name = processor.partition(".")
    return f"{logs_root}/gates/{name}.log" if kind == "gate" and name else None


def gate_view(markers_root: str, start: dt.date, end: dt.date, state: Section) -> dict[int, str]:
    """Each gate's state from its marker; a gate whose latest run failed writes no marker, so the
    run history's failure says "failed" where the marker alone would say "not run"."""
    states = status.gate_states(markers_root, GATED_PHASES, start, end)
    failed = {f.processor for f in state.data["failures"]} if state.data else set()
    return {phase: "failed" if value == "not run" and f"gate.phase{phase}" in failed else value
            for phase, value in states.items()}


def _gate_css(value: str) -> str:
    if value == "passed":
        return "ok"
    if value.startswith("failed"):
        return "bad"
    return "warn" if value.startswith("passed") else "idle"  # passed for another range / not run


def render_gates(state: Section, details: Mapping[int, dict], gate_states: Mapping[int, str], logs_root: str,
                 output_dir) -> str:
    if state.error:
        return f'<p class="empty">{escape(state.error)}</p>'
    st = state.data
    cards = []
    for phase, value in gate_states.items():
        css = _gate_css(value)
        doc = details.get(phase, {})
        facts = []
        if "expected_dates" in doc:
            facts.append(f"{doc['expected_dates']} expected dates")
        if doc.get("bootstrap_dates_excluded"):
            facts.append(f"{doc['bootstrap_dates_excluded']} bootstrap days excluded")
        bad = [t["table"] for t in doc.get("tables", []) if isinstance(t, dict) and t.get("ok") is False]
        if bad:
            facts.append("failing: " + ", ".join(bad))
        counts = {k: v for k, v in (doc.get("finding_counts") or {}).items() if v}
        if counts:
            facts.append("findings: " + ", ".join(f"{n} {level}" for level, n in counts.items()))
        cards.append(f'<div class="gate {css}"><div class="k">Phase {phase} gate</div><div class="v">{escape(value)}'
                     f'</div><div class="f">{escape("; ".join(facts))}</div></div>')
    parts = ['<div class="gates">' + "".join(cards) + "</div>"]

    attention = []
    for item in st["tables"]:
        r = item["report"]
        problems = gates.table_problems(r)
        if problems:
            attention.append(f'<tr><td>Phase {item["phase"]}</td><td>{_table_label(r.table)}</td>'
                             f'<td class="r">{r.present}/{r.expected}</td><td>{escape("; ".join(problems))}</td>'
                             f'<td>{"<br>".join(escape(x) for x in r.remedies)}</td></tr>')
    parts.append("<h3>Tables needing attention</h3>")
    if attention:
        parts.append('<table class="grid"><tr><th>phase</th><th>table</th><th class="r">dates</th><th>problem</th>'
                     "<th>what to do</th></tr>" + "".join(attention) + "</table>")
    else:
        parts.append('<p class="good">None: every table holds exactly its expected dates with unique keys.</p>')
    parts.append(render_findings(st["findings"]))

    parts.append("<h3>Failed jobs <small>latest run failed, no later success</small></h3>")
    if st["failures"]:
        rows = []
        for f in st["failures"]:
            chunk = f.chunk_id if isinstance(f.chunk_id, str) and f.chunk_id else None
            log_path = (f.log if chunk else None) or _gate_log(f.processor, logs_root)
            error = f.error or ("gate checks failed: the log names the tables and dates"
                                if f.processor.startswith("gate.") else "")
            log_cell = (f'<a href="{_href(log_path, output_dir)}">{escape(log_path)}</a>' if log_path else "–")
            rows.append(f"<tr><td>{_table_label(f.processor)}</td><td>{escape(chunk or '–')}</td>"
                        f"<td>{escape(f.at)}</td><td>{escape(error)}</td><td>{log_cell}</td></tr>")
        parts.append('<table class="grid fail"><tr><th>job</th><th>chunk</th><th>at</th><th>error</th><th>log</th>'
                     "</tr>" + "".join(rows) + "</table>")
    else:
        parts.append('<p class="good">None.</p>')
    return "".join(parts)


FINDING_CSS = {"error": "bad", "warning": "warn", "info": "idle"}


def render_findings(findings: Sequence[tuple[str, Finding]]) -> str:
    """Counted observations of each job's latest run (gates, loads): count, what, examples."""
    head = "<h3>Findings <small>latest run of each job: errors fail a gate, warnings let it pass</small></h3>"
    if not findings:
        return head + '<p class="good">None.</p>'
    ordered = sorted(findings, key=lambda pf: -SEVERITIES.index(pf[1].severity))
    rows = [f'<tr class="{FINDING_CSS[f.severity]}"><td>{escape(f.severity)}</td><td>{_table_label(job)}</td>'
            f'<td>{escape(f.kind)}</td><td class="r">{f.count:,}</td><td>{escape(f.message)}</td>'
            f'<td>{"<br>".join(escape(e) for e in f.examples)}</td></tr>' for job, f in ordered]
    return (head + '<table class="grid findings"><tr><th>level</th><th>job</th><th>kind</th><th class="r">count</th>'
            "<th>what it means and what to do</th><th>examples</th></tr>" + "".join(rows) + "</table>")


# -------------------------------------------------------------------------------------- exports
_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


def export_listing(config: Mapping) -> dict:
    """The local export folder's objects under v1/, grouped by their first folder."""
    storage = config.get("storage", {})
    if storage.get("backend", "local") != "local":
        prefix = "/".join(p for p in (storage.get("bucket"), storage.get("prefix")) if p)
        return {"remote": f"gs://{prefix}/v1/"}
    root = Path(storage.get("path", "exports")) / "v1"
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        rel = path.relative_to(root)
        groups[rel.parts[0] if len(rel.parts) > 1 else "(top level)"].append(path)
    return {"root": root, "groups": dict(sorted(groups.items()))}


ALIASES = ("latest", "today", "index")


def _link_priority(path: Path, root: Path) -> tuple:
    """Aliases (latest, today, index) first, then undated objects, then dated ones newest first."""
    rel = path.relative_to(root)
    dated = _DATED.search(path.name)
    newest_first = "".join(chr(255 - ord(c)) for c in dated[0]) if dated else ""
    return (len(rel.parts), path.stem not in ALIASES, bool(dated), newest_first, rel.as_posix())


def render_exports(listing: Section, output_dir) -> str:
    if listing.error:
        return f'<p class="empty">{escape(listing.error)}</p>'
    data = listing.data
    if "remote" in data:
        return (f'<p class="empty">Exports go to {escape(data["remote"])} (a remote bucket): not linked from this '
                "local page.</p>")
    if not data["groups"]:
        return (f'<p class="empty">No exports yet: {escape(data["root"].as_posix())}/ does not exist or is empty '
                "(Phase 6 has not run).</p>")
    root = data["root"]
    total = sum(len(v) for v in data["groups"].values())
    rows = []
    for group, paths in data["groups"].items():
        shown = sorted(paths, key=lambda p: _link_priority(p, root))[:EXPORT_LINKS_PER_FOLDER]
        links = " ".join(f'<a href="{_href(p, output_dir)}">{escape(p.relative_to(root).as_posix())}</a>'
                         for p in shown)
        more = f' <span class="more">… and {len(paths) - len(shown):,} more</span>' if len(paths) > len(shown) else ""
        folder = (escape(group) if group == "(top level)"
                  else f'<a href="{_href(root / group, output_dir)}/">{escape(group)}/</a>')
        rows.append(f'<tr><td>{folder}</td><td class="r">{len(paths):,}</td><td class="links">{links}{more}</td></tr>')
    return (f'<p>{total:,} objects under <a href="{_href(root, output_dir)}/">{escape(root.as_posix())}/</a> '
            '(relative links: open them from this folder).</p><table class="grid"><tr><th>folder</th>'
            '<th class="r">objects</th><th>open</th></tr>' + "".join(rows) + "</table>")


# ------------------------------------------------------------------------------------ summary
def _card(title: str, value: str, detail: str, css: str = "") -> str:
    return (f'<div class="card {css}"><div class="k">{escape(title)}</div><div class="v">{value}</div>'
            f'<div class="f">{detail}</div></div>')


def render_summary(state: Section, cov: Section, history: Section, acc: Section,
                   gate_states: Mapping[int, str]) -> str:
    cards = []
    if state.data:
        st = state.data
        complete = status.is_complete(st)
        ok_tables = sum(1 for t in st["tables"] if t["report"].ok)
        cards.append(_card("Backfill", "Complete" if complete else "Incomplete",
                           f"{ok_tables} of {len(st['tables'])} tables complete", "ok" if complete else "bad"))
        passed = sum(1 for v in gate_states.values() if v == "passed")
        chips = " ".join(f'<span class="mini {_gate_css(v)}" title="Phase {p}: {escape(v)}">{p}</span>'
                         for p, v in gate_states.items())
        cards.append(_card("Gates passed", f"{passed} of {len(gate_states)}", chips,
                           "ok" if passed == len(gate_states) else "warn"))
        n_fail = len(st["failures"])
        cards.append(_card("Failed jobs", str(n_fail), "see Gates and failed jobs" if n_fail else "none",
                           "bad" if n_fail else "ok"))
        levels = {level: sum(1 for _, f in st["findings"] if f.severity == level) for level in ("error", "warning")}
        kinds = sorted({f.kind for _, f in st["findings"] if f.severity in levels})
        cards.append(_card("Findings", f"{levels['error']} / {levels['warning']}",
                           "errors / warnings" + (": " + escape(", ".join(kinds)) if kinds else ""),
                           "bad" if levels["error"] else "warn" if levels["warning"] else "ok"))
    if cov.data and cov.data.dates:
        c = cov.data.counts
        expected = c.get("present", 0) + c.get("missing", 0)
        share = c.get("present", 0) / expected if expected else 1.0
        cards.append(_card("Coverage", f"{share:.1%}", f"{c.get('present', 0):,} of {expected:,} table-dates; "
                           f"{c.get('missing', 0):,} missing, {c.get('unexpected', 0):,} unexpected",
                           "ok" if share == 1.0 and not c.get("unexpected") else "bad"))
    if history.data:
        total = sum(r["total"] for r in history.data)
        jobs = sum(r["jobs"] for r in history.data)
        slow = max(history.data, key=lambda r: r["total"])
        cards.append(_card("Job time", _seconds(total), f"{jobs:,} jobs; most in {escape(slow['phase'])} "
                           f"({_seconds(slow['total'])})"))
    if acc.data and acc.data["rows"]:
        by = {r["name"]: r for r in acc.data["rows"] if r["season"] == accuracy.ALL_SEASONS}
        ens = by.get("ensemble_v1")
        if ens:
            refs = ", ".join(f"{name.replace('_', ' ')} {by[name]['mae']:.2f}" for name in REFERENCES
                             if name in by and by[name]["mae"] is not None)
            cards.append(_card("Ensemble MAE", _num(ens["mae"], ".2f"), escape(refs or "no reference rows")))
            if ens["bets"]:
                b = ens["bets"]
                cards.append(_card("Ensemble hit rate", _pct(b["hit_rate"]),
                                   f"{b['wins']}–{b['losses']}–{b['pushes']} on real lines",
                                   "ok" if (b["hit_rate"] or 0) > 0.5 else "warn"))
    return '<div class="cards">' + "".join(cards) + "</div>"


# ----------------------------------------------------------------------------------------- page
CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2329;background:#f6f7f9}
header{background:#1d2a38;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c4cfdb}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #dde1e6;padding:8px 28px;z-index:1}
nav a{margin-right:18px;color:#1f5f99;text-decoration:none;font-weight:600}
main{padding:8px 28px 40px;max-width:1500px}
section{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:14px 20px;margin:18px 0}
h2{margin:0 0 10px;font-size:19px}h3{margin:18px 0 8px;font-size:15px}
h3 small,h2 small{font-weight:400;color:#66717d;font-size:12px;margin-left:6px}
.cards,.gates{display:flex;flex-wrap:wrap;gap:12px}
.card,.gate{flex:1 1 0;min-width:150px;border:1px solid #dde1e6;border-left:6px solid #9aa5b1;border-radius:6px;
padding:10px 14px;background:#fff}
.card .k,.gate .k{color:#5b6670;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:26px;font-weight:700;margin:2px 0}.gate .v{font-size:18px;font-weight:700;margin:2px 0}
.card .f,.gate .f{color:#5b6670;font-size:12px}
.ok{border-left-color:#2f9e5d}.bad{border-left-color:#d63c3c}.warn{border-left-color:#f39c12}
.idle{border-left-color:#b9c6d6}
.card.ok .v,.gate.ok .v{color:#1e7a45}.card.bad .v,.gate.bad .v{color:#b52a2a}.gate.idle .v{color:#6b7783}
.mini{display:inline-block;width:20px;height:20px;line-height:20px;text-align:center;border-radius:4px;color:#fff;
font-weight:700;font-size:12px;background:#b9c6d6}
.mini.ok{background:#2f9e5d}.mini.bad{background:#d63c3c}.mini.warn{background:#f39c12}
.gs{font-weight:600;font-size:11px;margin-left:8px;padding:0 6px;border-radius:8px;color:#fff;background:#b9c6d6}
.gs.ok{background:#2f9e5d}.gs.bad{background:#d63c3c}.gs.warn{background:#f39c12}
.legend{margin:6px 0 10px;font-size:12px}.key{margin-right:16px;white-space:nowrap}
.key i{display:inline-block;width:14px;height:12px;margin-right:5px;vertical-align:-2px;border:1px solid #ccd}
table.heatmap{border-collapse:collapse;table-layout:fixed;margin:6px 0 18px;font-size:12px}
.heatmap col.lbl{width:300px}.heatmap col.sum{width:150px}
.heatmap th.lbl{text-align:left;font-weight:500;padding:1px 8px 1px 0;white-space:nowrap;overflow:hidden;
text-overflow:ellipsis}
.heatmap thead th.lbl{font-weight:700}
.heatmap th.mon{font-weight:600;text-align:left;border-left:2px solid #fff;padding:0 2px;overflow:hidden;
white-space:nowrap;color:#3b4650}
.heatmap tr.days th{font-weight:400;font-size:10px;color:#77818b;padding:0}
.heatmap tr.phase th{text-align:left;padding:8px 0 2px;font-weight:700;color:#1f5f99}
.heatmap td{height:16px;padding:0;border-top:2px solid #fff}
.heatmap td.ms,.heatmap th.ms{border-left:2px solid #fff}
.heatmap td.sum{padding-left:8px;font-size:12px;white-space:nowrap;border:0}
.ds{color:#8a949e}
.sum .bad{color:#b52a2a;font-weight:600}.sum .good{color:#1e7a45}
table.grid{border-collapse:collapse;margin:4px 0 10px;font-size:13px}
.grid th{text-align:left;background:#f0f2f5;padding:5px 10px;border-bottom:1px solid #d5dae0;white-space:nowrap}
.grid td{padding:4px 10px;border-bottom:1px solid #eceff2;vertical-align:top}.grid td:first-child{white-space:nowrap}
.grid .r{text-align:right;white-space:nowrap}.grid td.w,.grid th.w{width:220px}
.grid tr.total td{font-weight:700;border-top:2px solid #d5dae0}
.grid tr.ref td{font-style:italic;color:#4b5560;background:#fafbfc}
.bar{position:relative;height:14px;background:#eef1f4;border-radius:3px;margin-top:2px}
.bar b{position:absolute;left:0;top:0;bottom:0;border-radius:3px}
.bar .tick{position:absolute;top:-3px;bottom:-3px;width:2px;background:#222}
i.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.chart{margin:8px 0 14px}
.notes{color:#5b6670;font-size:12px;margin:0 0 6px;padding-left:18px}
.chips{display:flex;flex-wrap:wrap;gap:8px}.chip{border:1px solid #d5dae0;border-radius:12px;padding:2px 10px;
font-size:12px;background:#f7f8fa}.chip.ok{border-color:#2f9e5d;color:#1e7a45}.chip.bad{border-color:#d63c3c;
color:#b52a2a}
details{margin:6px 0}summary{cursor:pointer;font-weight:600;margin:4px 0}
.empty{color:#6b7783;font-style:italic}.good{color:#1e7a45}.bad{color:#b52a2a}
.fail td{background:#fff5f5}.findings tr.bad td{background:#fff5f5}.findings tr.warn td{background:#fffaf0}.links a{margin-right:10px;white-space:nowrap}.more{color:#6b7783}
footer{color:#77818b;font-size:12px;padding:0 28px 24px}
""" + "".join(f"td.{css},i.{css}{{background:{color}}}" for css, color, _ in CELL_STATES.values())

SECTIONS = (("summary", "At a glance"), ("coverage", "Coverage"), ("timings", "Timings"),
            ("accuracy", "Prediction accuracy"), ("gates", "Gates and failed jobs"), ("exports", "Exports"))


def _heatmap_summary(state: Section) -> dict[str, str]:
    """The heatmap's right-hand column: present/expected dates and what is wrong."""
    if not state.data:
        return {}
    out = {}
    for item in state.data["tables"]:
        r = item["report"]
        wrong = gates.table_problems(r, dates=None)
        verdict = f'<span class="bad">{", ".join(wrong)}</span>' if wrong else '<span class="good">✓</span>'
        out[r.table] = f"{r.present}/{r.expected} {verdict}"
    return out


def render_html(wh, config: Mapping, start: dt.date, end: dt.date, *, generated: str | None = None,
                output_dir: str | os.PathLike = "reports") -> str:
    """The report of [start, end] as one HTML document. Links (logs, exports) are relative to
    ``output_dir``, the folder the page will be written to; paths in ``config`` are relative to
    the working directory, as for every command."""
    state = _guarded("The warehouse status", lambda: status.collect(wh, config, start, end))
    cov = _guarded("Coverage", lambda: coverage(wh, start, end))
    latest = _guarded("The run history", lambda: run_history_timings(wh, start, end))
    history = Section(error=latest.error) if latest.error else _guarded(
        "The run history", lambda: phase_timings(latest.data))
    bench = _guarded("The benchmark files", lambda: benchmark_timings(BENCHMARKS, start, end))
    acc = _guarded("The accuracy report", lambda: accuracy.accuracy_report(wh, start, end))
    calib = _guarded("Calibration", lambda: calibration(wh, start, end)) if acc.data and acc.data["rows"] else Section()
    markers = config["paths"]["markers"]
    gates_now = gate_view(markers, start, end, state)
    exports = _guarded("The export folder", lambda: export_listing(config))
    calendar = _guarded("The schedule", lambda: SeasonCalendar.load(wh, start, end))
    range_seasons = Section([calendar.data.season_of(d) for d in (start, end)]) if calendar.data else calendar

    bodies = {
        "summary": render_summary(state, cov, history, acc, gates_now),
        "coverage": (f'<p class="empty">{escape(cov.error)}</p>' if cov.error
                     else render_heatmap(cov.data, _heatmap_summary(state), gates_now)),
        "timings": render_timings(history, bench),
        "accuracy": render_accuracy(acc, calib),
        "gates": render_gates(state, gate_details(markers), gates_now, config["paths"]["logs"], output_dir),
        "exports": render_exports(exports, output_dir),
    }
    subtitles = {
        "coverage": "every table of every phase x game date; hover a cell for its dates",
        "timings": "how long the jobs took",
        "accuracy": " .. ".join(dict.fromkeys(accuracy.season_label(s) for s in range_seasons.data or ())),
    }
    nav = "".join(f'<a href="#{key}">{escape(title)}</a>' for key, title in SECTIONS)
    sections = "".join(
        f'<section id="{key}"><h2>{escape(title)}'
        + (f"<small>{escape(subtitles[key])}</small>" if key in subtitles else "")
        + f"</h2>{bodies[key]}</section>" for key, title in SECTIONS)
    generated_line = f"generated {escape(generated)} · " if generated else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>nbaprops report {start.isoformat()} .. {end.isoformat()}</title><style>{CSS}</style></head><body>"
        f"<header><h1>nbaprops backfill report</h1><p>{start.isoformat()} .. {end.isoformat()} · backend "
        f"{escape(str(config.get('backend', 'duckdb')))} · chunk {escape(str(config.get('chunk', '')))} · raw source "
        f"{escape(str(config.get('raw', {}).get('source', '')))}</p></header><nav>{nav}</nav><main>{sections}</main>"
        f"<footer>{generated_line}nbaprops report html · one self-contained file (no scripts, no network)</footer>"
        "</body></html>\n")


def write_html_report(config: Mapping, path: str | os.PathLike, log_path: str | os.PathLike | None = None,
                      start: dt.date | None = None, end: dt.date | None = None,
                      generated: str | None = None) -> Path:
    """Render the report of the range (default: the configured one) and write it to ``path``."""
    from nbaprops.config import start_end
    from nbaprops.jobs import job_logging
    from nbaprops.warehouse import open_warehouse

    path = Path(path)
    with job_logging(log_path) if log_path else contextlib.nullcontext():
        default_start, default_end = start_end(config)
        start, end = start or default_start, end or default_end
        wh = open_warehouse(config)
        try:
            page = render_html(wh, config, start, end, generated=generated, output_dir=path.parent)
        finally:
            wh.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(page)
        os.replace(tmp, path)
        log.info("HTML report %s..%s written to %s (%d bytes)", start, end, path, len(page.encode()))
    return path


def now_line() -> str:
    """The one wall-clock line of a report: when it was generated (UTC, to the minute)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def cmd_report_html(args) -> int:
    """`nbaprops report html [--output reports/index.html] [--start-date ..] [--end-date ..]`."""
    from nbaprops.cli import _config, _range

    config = _config(args)
    start, end = _range(args, config)
    if start > end:
        print(f"error: --start-date {start} is after --end-date {end}", file=sys.stderr)
        return 1
    path = write_html_report(config, args.output, start=start, end=end, generated=now_line())
    print(f"wrote {path} ({start} .. {end}); open it in a browser: file://{path.resolve()}")
    return 0
