"""The timings section: per phase from the run history, per rule from Snakemake's benchmark files."""
from __future__ import annotations

from html import escape

from nbaprops.catalogue import PHASE_OF_TABLE
from nbaprops.report.collect.timings import BENCHMARKS
from nbaprops.report.render.cells import bar, seconds, table_label
from nbaprops.report.section import Section


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
                         f'<td class="r">{r["rows"]:,}</td><td class="r">{seconds(r["total"])}</td>'
                         f'<td class="w">{bar(r["total"] / top)}</td><td class="r">{seconds(r["mean"])}</td>'
                         f'<td>{escape(r["slowest"])}</td><td class="r">{seconds(r["slowest_seconds"])}</td></tr>')
        total = sum(r["total"] for r in rows)
        parts.append(f'<tr class="total"><td>all</td><td class="r">{sum(r["jobs"] for r in rows):,}</td>'
                     f'<td class="r">{sum(r["failed"] for r in rows)}</td>'
                     f'<td class="r">{sum(r["rows"] for r in rows):,}</td><td class="r">{seconds(total)}</td>'
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
            rule = table_label(r["rule"]) if r["rule"] in PHASE_OF_TABLE else escape(r["rule"])
            parts.append(f'<tr><td>{escape(r["phase"])}</td><td>{rule}</td><td class="r">{r["jobs"]}</td>'
                         f'<td class="r">{seconds(r["total"])}</td><td class="w">{bar(r["total"] / top)}</td>'
                         f'<td class="r">{seconds(r["mean"])}</td><td>{escape(r["slowest"])}</td>'
                         f'<td class="r">{seconds(r["slowest_seconds"])}</td><td class="r">{rss}</td>'
                         f'<td class="r">{seconds(r["cpu"])}</td></tr>')
        parts.append("</table>")
    return "".join(parts)
