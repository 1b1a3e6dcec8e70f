"""The accuracy report as text: Markdown (reports/accuracy.md) or JSON (reports/accuracy.json)."""
from __future__ import annotations

import json
from typing import Mapping

from nbaprops.report.collect.accuracy import ALL_SEASONS
from nbaprops.report.render.betting import BETTING_HEADER, CALIBRATION_HEADER, betting_cells, calibration_cells
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
        lines += _betting(report, season)
        checks = report["checks"].get(season)
        if checks:
            lines += ["", "Checks: " + "; ".join(f"{k} = {v}" for k, v in checks.items())]
    return "\n".join(lines) + "\n"


def _table(header, rows) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|",
            *("| " + " | ".join(cells) + " |" for cells in rows)]


def _betting(report: Mapping, season: str) -> list[str]:
    """The season's betting record (like with like) and, over all seasons, calibration of P(over)."""
    records = [b for b in report.get("betting", []) if b["season"] == season]
    if not records:
        return []
    lines = ["", "Betting record:", "", *_table(BETTING_HEADER, (betting_cells(b) for b in records))]
    for b in records if season == ALL_SEASONS else ():
        if b["probability"]:
            lines += ["", f"Calibration of {b['name']}'s P(over) ({b['probability']['games']:,} player-games, "
                      f"Brier {b['probability']['brier']:.4f}):", "",
                      *_table(CALIBRATION_HEADER, (calibration_cells(c) for c in b["probability"]["calibration"]))]
    return lines


def accuracy_text(report: Mapping, fmt: str) -> str:
    """The report in ``fmt`` (markdown | json): what `nbaprops report accuracy` prints and the
    pipeline writes."""
    return json.dumps(report, indent=1) + "\n" if fmt == "json" else format_markdown(report)
