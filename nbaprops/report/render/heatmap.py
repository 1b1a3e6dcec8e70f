"""The coverage heatmap: one table per season, rows = tables grouped by phase, columns = game dates."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from html import escape
from typing import Mapping, Sequence

from nbaprops import gates
from nbaprops.report.collect.coverage import Coverage
from nbaprops.report.render.cells import gate_css, table_label
from nbaprops.report.section import Section
from nbaprops.seasons import season_label

# Heatmap cell states: css class (its colour is in report.css: td.p, i.p, ...), legend text.
CELL_STATES = {
    "present": ("p", "present"),
    "missing": ("m", "missing (expected, not built)"),
    "bootstrap": ("b", "bootstrap day (excluded by design)"),
    "unexpected": ("u", "unexpected (rows on a date not expected)"),
    "none": ("n", "no data expected (source has none that day / not a game date / games not final yet)"),
}


def table_summaries(state: Section) -> dict[str, str]:
    """The heatmap's right-hand column from the status: present/expected dates and what is wrong."""
    if not state.data:
        return {}
    out = {}
    for item in state.data["tables"]:
        r = item["report"]
        wrong = gates.table_problems(r, dates=None)
        verdict = f'<span class="bad">{", ".join(wrong)}</span>' if wrong else '<span class="good">✓</span>'
        out[r.table] = f"{r.present}/{r.expected} {verdict}"
    return out


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
    return f"{table} {when}: {CELL_STATES[state][1]}"


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
        head = ['<tr><th class="lbl">Season ' + season_label(season) + "</th>"]
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
                            f'<span class="gs {gate_css(gate)}">gate {escape(gate)}</span></th></tr>')
            states = [cells[i] for i in index]
            tds = []
            for state, first, length in _runs(states, dates):
                month_start = first == 0 or dates[first].month != dates[first - 1].month
                css = CELL_STATES[state][0] + (" ms" if month_start else "")
                span = f' colspan="{length}"' if length > 1 else ""
                tds.append(f'<td class="{css}"{span} title="{escape(_span_title(table, dates, first, length, state))}">'
                           "</td>")
            body.append(f'<tr data-table="{escape(table)}"><th class="lbl">{table_label(table)}</th>{"".join(tds)}'
                        f'<td class="sum">{summary.get(table, "")}</td></tr>')
        blocks.append(
            f'<table class="heatmap"><colgroup><col class="lbl"><col span="{len(dates)}" style="width:{width}px">'
            f'<col class="sum"></colgroup><thead>{"".join(head)}</thead><tbody>{"".join(body)}</tbody></table>')
    legend = "".join(f'<span class="key"><i class="{css}"></i>{escape(text)} ({cov.counts.get(state, 0):,})</span>'
                     for state, (css, text) in CELL_STATES.items())
    return f'<div class="legend">{legend}</div>' + "".join(blocks)
