"""The prediction-accuracy section: MAE bars, hit rates on real lines, calibration, checks, tables."""
from __future__ import annotations

from html import escape
from typing import Mapping

from nbaprops.catalogue import ENSEMBLE, MARKET_XGBOOST, MOVING_AVERAGE, SIMILARITY, XGBOOST, ZONE_MATCHUP
from nbaprops.report.collect.accuracy import (ALL_SEASONS, CALIBRATION_BIN, CALIBRATION_MIN_GAMES, LINE, ORACLE,
                                              TIER_ADJUSTED)
from nbaprops.report.render.betting import BETTING_HEADER, CALIBRATION_HEADER, betting_cells, calibration_cells
from nbaprops.report.render.cells import bar, num, pct
from nbaprops.report.section import Section
from nbaprops.report.svg import Series, grouped_bars, line_chart

SYSTEM_COLORS = {
    MOVING_AVERAGE: "#8c96a3",
    ZONE_MATCHUP: "#e39b3b",
    SIMILARITY: "#9b6cc4",
    XGBOOST: "#2f83c8",
    ENSEMBLE: "#1f9e77",
    MARKET_XGBOOST: "#d4a017",
    TIER_ADJUSTED: "#0b5d46",
    LINE: "#c0392b",
    ORACLE: "#222222",
}
REFERENCES = (LINE, ORACLE)


def _hit_rate(row: Mapping | None) -> float | None:
    return row["bets"]["hit_rate"] if row and row["bets"] else None


def _names(report: Mapping) -> list[str]:
    return list(dict.fromkeys(r["name"] for r in report["rows"]))


def _grid(header, rows) -> str:
    head = "".join(f'<th{"" if i == 0 else " class=r"}>{escape(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f'<td{"" if i == 0 else " class=r"}>{escape(c)}</td>' for i, c in enumerate(cells))
                   + "</tr>" for cells in rows)
    return f'<table class="grid acc"><tr>{head}</tr>{body}</table>'


def _betting(report: Mapping, groups: list[str]) -> str:
    """The betting record, like with like (all seasons open, each season folded), and the calibration
    of P(over) for the systems that give it."""
    betting = report.get("betting") or []
    if not betting:
        return ""
    parts = ["<h3>Betting record <small>like with like: each system's MAE on the lined player-games it predicted "
             "without a fallback beside the line's on exactly those; hit rate and ROI (units, stored prices, -110 "
             "where none) with 95% intervals, ✓ = positive ROI whose interval lies above zero; CLV = picks the "
             "line moved toward</small></h3>"]
    for season in reversed(groups):
        records = [b for b in betting if b["season"] == season]
        title = "All seasons" if season == ALL_SEASONS else f"Season {season}"
        opened = " open" if season == ALL_SEASONS else ""
        parts.append(f"<details{opened}><summary>{escape(title)}</summary>"
                     f"{_grid(BETTING_HEADER, (betting_cells(b) for b in records))}</details>")
    for b in (b for b in betting if b["season"] == ALL_SEASONS and b["probability"]):
        p = b["probability"]
        parts.append(f"<h3>Calibration of {escape(b['name'])}'s P(over) <small>{p['games']:,} lined player-games "
                     f"decided over or under, all seasons; Brier {p['brier']:.4f}</small></h3>"
                     + _grid(CALIBRATION_HEADER, (calibration_cells(c) for c in p["calibration"])))
    return "".join(parts)


def render_accuracy(acc: Section, calib: Section) -> str:
    if acc.error:
        return f'<p class="empty">{escape(acc.error)}</p>'
    report = acc.data
    if not report["rows"]:
        return ('<p class="empty">No graded predictions in this range yet: Phase 5 (predictions and grading) '
                "has not run or graded nothing.</p>")
    seasons = [s for s in report["seasons"] if s != ALL_SEASONS]
    groups = report["seasons"] if len(seasons) > 1 else [ALL_SEASONS]
    by = {(r["season"], r["name"]): r for r in report["rows"]}
    names = _names(report)
    parts = ['<ul class="notes">' + "".join(f"<li>{escape(n)}</li>" for n in report["notes"]) + "</ul>"]

    # Like with like (D14): every bar is measured on player-games with a real line.
    series = [Series(n, SYSTEM_COLORS.get(n, "#777"), [by.get((g, n), {}).get("mae_on_line_games") for g in groups],
                     dashed=n in REFERENCES) for n in names]
    labels = ["all seasons" if g == ALL_SEASONS else g for g in groups]
    parts.append('<div class="chart"><h3>MAE on player-games with a real line, by system and season <small>mean '
                 "absolute error in points, lower is better; fallback rows left out; dashed = references (bookmaker "
                 "line, oracle's true expectation) on the ensemble's lined player-games</small></h3>"
                 + grouped_bars(labels, series, "MAE (points)", title="MAE on lined player-games by system and season")
                 + "</div>")

    # Hit rate on real lines: systems (and the tier-adjusted ensemble) that bet.
    parts.append("<h3>Hit rate on real lines <small>wins / (wins + losses) of OVER/UNDER calls against the "
                 "consensus line, all seasons; pushes apart; the tick marks 50%</small></h3>")
    parts.append('<table class="grid"><tr><th>system</th><th class="r">bets</th><th class="r">W–L–P</th>'
                 '<th class="r">hit rate</th><th class="w"></th>'
                 + "".join(f'<th class="r">{escape(s)}</th>' for s in seasons) + "</tr>")
    for n in names:
        row = by.get((ALL_SEASONS, n))
        if not row or not row["bets"]:
            continue
        b = row["bets"]
        rate = b["hit_rate"]
        color = "#2f9e5d" if rate is not None and rate > 0.5 else "#d63c3c"
        per_season = "".join(f'<td class="r">{pct(_hit_rate(by.get((s, n))))}</td>' for s in seasons)
        parts.append(f'<tr><td><i class="sw" style="background:{SYSTEM_COLORS.get(n, "#777")}"></i>{escape(n)}</td>'
                     f'<td class="r">{b["wins"] + b["losses"] + b["pushes"]:,}</td>'
                     f'<td class="r">{b["wins"]}–{b["losses"]}–{b["pushes"]}</td>'
                     f'<td class="r"><b>{pct(rate)}</b></td>'
                     f'<td class="w">{bar(rate or 0.0, color, marker=0.5)}</td>{per_season}</tr>')
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

    parts.append(_betting(report, groups))

    checks = report["checks"].get(ALL_SEASONS) or {}
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
        title = "All seasons" if season == ALL_SEASONS else f"Season {season}"
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
                         f'{escape(r["name"])}</td><td class="r">{r["n"]:,}</td><td class="r">{num(r["mae"])}</td>'
                         f'<td class="r">{num(r["bias"], "+.3f")}</td><td class="r">{pct(r["within_3_pct"])}</td>'
                         f'<td class="r">{pct(r["within_5_pct"])}</td><td class="r">{pct(_hit_rate(r))}</td>'
                         f'<td class="r">{record}</td><td class="r">{num(r["mae_on_line_games"])} '
                         f'({r["line_games"]:,})</td></tr>')
        table.append("</table>")
        opened = " open" if season == ALL_SEASONS else ""
        parts.append(f"<details{opened}><summary>{escape(title)}</summary>{''.join(table)}</details>")
    return "".join(parts)
