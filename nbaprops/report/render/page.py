"""The HTML report as one self-contained page: the sections, the navigation, the inlined stylesheet.

One file, inline CSS (``report.css``) and inline SVG, no JavaScript and nothing fetched: it opens
from disk in any browser. Each section says so when its data does not exist yet instead of failing.
The same data gives the same bytes: the only wall-clock time is the optional ``generated`` line.
"""
from __future__ import annotations

import os
from html import escape
from importlib import resources

from nbaprops.report.collect.page import PageData
from nbaprops.report.render.accuracy import render_accuracy
from nbaprops.report.render.exports import render_exports
from nbaprops.report.render.gates import render_gates
from nbaprops.report.render.heatmap import render_heatmap, table_summaries
from nbaprops.report.render.summary import render_summary
from nbaprops.report.render.timings import render_timings
from nbaprops.seasons import season_label

SECTIONS = (("summary", "At a glance"), ("coverage", "Coverage"), ("timings", "Timings"),
            ("accuracy", "Prediction accuracy"), ("gates", "Gates and failed jobs"), ("exports", "Exports"))


def stylesheet() -> str:
    """The page's CSS, a package file (``pyproject.toml``'s package-data ships it)."""
    return resources.files(__package__).joinpath("report.css").read_text(encoding="utf-8")


def render_page(data: PageData, *, generated: str | None = None, output_dir: str | os.PathLike = "reports") -> str:
    """The report as one HTML document. Links (logs, exports) are relative to ``output_dir``, the
    folder the page will be written to."""
    cov = data.coverage
    bodies = {
        "summary": render_summary(data.state, cov, data.history, data.accuracy, data.gate_states),
        "coverage": (f'<p class="empty">{escape(cov.error)}</p>' if cov.error
                     else render_heatmap(cov.data, table_summaries(data.state), data.gate_states)),
        "timings": render_timings(data.history, data.benchmarks),
        "accuracy": render_accuracy(data.accuracy, data.calibration),
        "gates": render_gates(data.state, data.gate_details, data.gate_states, output_dir),
        "exports": render_exports(data.exports, output_dir),
    }
    subtitles = {
        "coverage": "every table of every phase x game date; hover a cell for its dates",
        "timings": "how long the jobs took",
        "accuracy": " .. ".join(dict.fromkeys(season_label(s) for s in data.seasons.data or ())),
    }
    nav = "".join(f'<a href="#{key}">{escape(title)}</a>' for key, title in SECTIONS)
    sections = "".join(
        f'<section id="{key}"><h2>{escape(title)}'
        + (f"<small>{escape(subtitles[key])}</small>" if key in subtitles else "")
        + f"</h2>{bodies[key]}</section>" for key, title in SECTIONS)
    generated_line = f"generated {escape(generated)} · " if generated else ""
    css = stylesheet().removesuffix("\n")  # the file ends its last line; the page's <style> does not
    start, end = data.start.isoformat(), data.end.isoformat()
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>nbaprops report {start} .. {end}</title><style>\n{css}</style></head><body>"
        f"<header><h1>nbaprops backfill report</h1><p>{start} .. {end} · backend "
        f"{escape(data.backend)} · chunk {escape(data.chunk)} · raw source "
        f"{escape(data.raw_source)}</p></header><nav>{nav}</nav><main>{sections}</main>"
        f"<footer>{generated_line}nbaprops report html · one self-contained file (no scripts, no network)</footer>"
        "</body></html>\n")
