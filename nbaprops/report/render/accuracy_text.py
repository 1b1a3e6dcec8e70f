"""The accuracy report as text: Markdown (reports/accuracy.md) or JSON (reports/accuracy.json)."""
from __future__ import annotations

import json
from typing import Mapping

from nbaprops.report.collect.accuracy import ALL_SEASONS
from nbaprops.report.render.cells import num


def format_markdown(report: Mapping) -> str:
    """The report as Markdown: one table per season (all seasons last), then the checks."""
    lines = [f"# Prediction accuracy {report['start']} .. {report['end']}", ""]
    lines += [f"- {note}" for note in report["notes"]]
    if not report["rows"]:
        lines += ["", "No graded predictions in this range."]
    header = ("| | n | MAE | bias | within 3 | within 5 | hit rate | W–L–P | MAE on lined games (n) |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for season in report["seasons"]:
        title = "All seasons" if season == ALL_SEASONS else f"Season {season}"
        lines += ["", f"## {title}", "", header]
        for r in (r for r in report["rows"] if r["season"] == season):
            bets = r["bets"]
            record = f"{bets['wins']}–{bets['losses']}–{bets['pushes']}" if bets else "–"
            lines.append(
                f"| {r['name']} | {r['n']:,} | {num(r['mae'], '.3f')} | {num(r['bias'], '+.3f')} "
                f"| {num(r['within_3_pct'], '.1%')} | {num(r['within_5_pct'], '.1%')} "
                f"| {num(bets and bets['hit_rate'], '.1%')} | {record} "
                f"| {num(r['mae_on_line_games'], '.3f')} ({r['line_games']:,}) |")
        checks = report["checks"].get(season)
        if checks:
            lines += ["", "Checks: " + "; ".join(f"{k} = {v}" for k, v in checks.items())]
    return "\n".join(lines) + "\n"


def accuracy_text(report: Mapping, fmt: str) -> str:
    """The report in ``fmt`` (markdown | json): what `nbaprops report accuracy` prints and the
    pipeline writes."""
    return json.dumps(report, indent=1) + "\n" if fmt == "json" else format_markdown(report)
