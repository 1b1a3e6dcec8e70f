"""The "At a glance" cards: complete or not, gates, failed jobs, findings, coverage, job time, ensemble."""
from __future__ import annotations

from html import escape
from typing import Mapping

from nbaprops import status
from nbaprops.catalogue import ENSEMBLE
from nbaprops.report.betting import break_even
from nbaprops.report.collect.accuracy import ALL_SEASONS
from nbaprops.report.render.accuracy import REFERENCES
from nbaprops.report.render.cells import gate_css, num, pct, seconds
from nbaprops.report.section import Section


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
        chips = " ".join(f'<span class="mini {gate_css(v)}" title="Phase {p}: {escape(v)}">{p}</span>'
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
        cards.append(_card("Job time", seconds(total), f"{jobs:,} jobs; most in {escape(slow['phase'])} "
                           f"({seconds(slow['total'])})"))
    if acc.data and acc.data["rows"]:
        cards += _ensemble_cards(acc.data)
    return '<div class="cards">' + "".join(cards) + "</div>"


def _ensemble_cards(report: Mapping) -> list[str]:
    """The ensemble against the line like with like (D14): MAE on the same lined player-games, hit
    rate and ROI with their 95% intervals."""
    cards = []
    by = {r["name"]: r for r in report["rows"] if r["season"] == ALL_SEASONS}
    ens = by.get(ENSEMBLE)
    if ens and ens["mae_on_line_games"] is not None:
        refs = ", ".join(f"{name.replace('_', ' ')} {by[name]['mae_on_line_games']:.2f}" for name in REFERENCES
                         if name in by and by[name]["mae_on_line_games"] is not None)
        cards.append(_card("Ensemble MAE, lined games", num(ens["mae_on_line_games"], ".2f"),
                           escape(f"on the same {ens['line_games']:,} player-games: {refs or 'no reference rows'}")))
    record = next((b for b in report.get("betting", []) if b["season"] == ALL_SEASONS and b["name"] == ENSEMBLE), None)
    if record and record["picks"]["graded"]:
        hits, roi = record["hit_rate"], record["roi"]
        above = hits["low"] is not None and hits["low"] > break_even()
        cards.append(_card("Ensemble hit rate", pct(hits["hit_rate"]),
                           f"95% {pct(hits['low'])}–{pct(hits['high'])}; {hits['wins']}–{hits['losses']}–"
                           f"{hits['pushes']}; break-even {break_even():.1%} at −110", "ok" if above else "warn"))
        interval = "no interval (too few picks)" if roi["low"] is None else \
            f"95% {roi['low']:+.1%} to {roi['high']:+.1%}"
        cards.append(_card("Ensemble ROI", "–" if roi["roi"] is None else f"{roi['roi']:+.1%}",
                           f"{interval}; {roi['picks']:,} picks" + ("; positive ROI claimed" if roi["positive_claimed"]
                                                                   else "; no positive ROI claimed"),
                           "ok" if roi["positive_claimed"] else "warn"))
    return cards
