"""The gates section: each gate's card, the tables needing attention, findings, failed jobs."""
from __future__ import annotations

from html import escape
from typing import Mapping, Sequence

from nbaprops import gates
from nbaprops.findings import SEVERITIES, Finding
from nbaprops.report.render.cells import gate_css, href, table_label
from nbaprops.report.section import Section

FINDING_CSS = {"error": "bad", "warning": "warn", "info": "idle"}


def render_gates(state: Section, details: Mapping[int, dict], gate_states: Mapping[int, str], output_dir) -> str:
    if state.error:
        return f'<p class="empty">{escape(state.error)}</p>'
    st = state.data
    cards = []
    for phase, value in gate_states.items():
        css = gate_css(value)
        doc = details.get(phase, {})
        facts = []
        if "expected_dates" in doc:
            facts.append(f"{doc['expected_dates']} expected dates")
        if doc.get("bootstrap_dates_excluded"):
            facts.append(f"{doc['bootstrap_dates_excluded']} bootstrap days excluded")
        if doc.get("scheduled"):
            facts.append(f"{len(doc['scheduled'])} scheduled dates awaiting grading")
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
            attention.append(f'<tr><td>Phase {item["phase"]}</td><td>{table_label(r.table)}</td>'
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
            error = f.error or ("gate checks failed: the log names the tables and dates"
                                if f.processor.startswith("gate.") else "")
            # The status gives each failure its log (a gate's too: logs/gates/phaseN.log).
            log_cell = f'<a href="{href(f.log, output_dir)}">{escape(f.log)}</a>' if f.log else "–"
            rows.append(f"<tr><td>{table_label(f.processor)}</td><td>{escape(chunk or '–')}</td>"
                        f"<td>{escape(f.at)}</td><td>{escape(error)}</td><td>{log_cell}</td></tr>")
        parts.append('<table class="grid fail"><tr><th>job</th><th>chunk</th><th>at</th><th>error</th><th>log</th>'
                     "</tr>" + "".join(rows) + "</table>")
    else:
        parts.append('<p class="good">None.</p>')
    return "".join(parts)


def render_findings(findings: Sequence[tuple[str, Finding]]) -> str:
    """Counted observations of each job's latest run (gates, loads): count, what, examples."""
    head = "<h3>Findings <small>latest run of each job: errors fail a gate, warnings let it pass</small></h3>"
    if not findings:
        return head + '<p class="good">None.</p>'
    ordered = sorted(findings, key=lambda pf: -SEVERITIES.index(pf[1].severity))
    rows = [f'<tr class="{FINDING_CSS[f.severity]}"><td>{escape(f.severity)}</td><td>{table_label(job)}</td>'
            f'<td>{escape(f.kind)}</td><td class="r">{f.count:,}</td><td>{escape(f.message)}</td>'
            f'<td>{"<br>".join(escape(e) for e in f.examples)}</td></tr>' for job, f in ordered]
    return (head + '<table class="grid findings"><tr><th>level</th><th>job</th><th>kind</th><th class="r">count</th>'
            "<th>what it means and what to do</th><th>examples</th></tr>" + "".join(rows) + "</table>")
