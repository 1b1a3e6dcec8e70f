"""Small inline SVG charts for the HTML report: no JavaScript, no fonts or files to fetch.

Each function returns one ``<svg>`` element sized by its viewBox (it scales to its container).
Coordinates are rounded to 0.1 so the same numbers always give the same bytes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Callable, Sequence

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"


@dataclass
class Series:
    name: str
    color: str
    values: Sequence  # one value (or None) per group for bars; (x, y) points for lines
    dashed: bool = False


def _r(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _fill(s: Series) -> str:
    """Solid for a system; pale with a dashed outline for a reference (line, oracle)."""
    if s.dashed:
        return f'fill="{s.color}" fill-opacity="0.3" stroke="{s.color}" stroke-width="1.5" stroke-dasharray="4 2"'
    return f'fill="{s.color}"'


def _legend(series: Sequence[Series], x: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend items laid left to right, wrapping at ``width``; returns the parts and the height used."""
    parts, cx, cy = [], x, y
    for s in series:
        item_width = 26 + 7.2 * len(s.name)
        if cx + item_width > x + width and cx > x:
            cx, cy = x, cy + 20
        parts.append(f'<rect x="{_r(cx)}" y="{_r(cy - 9)}" width="16" height="11" {_fill(s)}/>')
        parts.append(f'<text x="{_r(cx + 21)}" y="{_r(cy)}" font-size="12">{escape(s.name)}</text>')
        cx += item_width
    return parts, cy - y + 20


def grouped_bars(groups: Sequence[str], series: Sequence[Series], y_label: str,
                 fmt: Callable[[float], str] = lambda v: f"{v:.2f}", width: int = 1000,
                 height: int = 340, title: str = "") -> str:
    """Vertical bars: one cluster per group, one bar per series, value printed above each bar."""
    legend, legend_height = _legend(series, 60, 18, width - 80)
    top, bottom, left, right = 18 + legend_height + 8, 40, 60, 15
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(0, max(values) if values else 1)
    y_max = ticks[-1] or 1

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    parts = _open_svg(width, height, title)
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{_r(y(t))}" y2="{_r(y(t))}" stroke="#e3e6ea"/>')
        parts.append(f'<text x="{left - 6}" y="{_r(y(t) + 4)}" font-size="11" text-anchor="end" fill="#555">'
                     f"{t:g}</text>")
    parts.append(f'<text x="14" y="{_r(top + plot_h / 2)}" font-size="12" fill="#333" text-anchor="middle" '
                 f'transform="rotate(-90 14 {_r(top + plot_h / 2)})">{escape(y_label)}</text>')
    cluster = plot_w / max(len(groups), 1)
    bar = min(44.0, cluster * 0.85 / max(len(series), 1))
    for g, group in enumerate(groups):
        x0 = left + g * cluster + (cluster - bar * len(series)) / 2
        for i, s in enumerate(series):
            v = s.values[g]
            if v is None:
                continue
            x = x0 + i * bar
            parts.append(f'<rect x="{_r(x + 1)}" y="{_r(y(v))}" width="{_r(bar - 2)}" '
                         f'height="{_r(top + plot_h - y(v))}" {_fill(s)}><title>{escape(s.name)} '
                         f"{escape(group)}: {escape(fmt(v))}</title></rect>")
            if bar >= 26:
                parts.append(f'<text x="{_r(x + bar / 2)}" y="{_r(y(v) - 4)}" font-size="10" '
                             f'text-anchor="middle" fill="#333">{escape(fmt(v))}</text>')
        parts.append(f'<text x="{_r(left + (g + 0.5) * cluster)}" y="{height - bottom + 18}" font-size="13" '
                     f'text-anchor="middle" font-weight="600">{escape(group)}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#888"/>')
    return "".join(parts + legend + ["</svg>"])


def _open_svg(width: int, height: int, title: str) -> list[str]:
    """A chart's opening tag (scales with its container) and its accessible title."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'style="{FONT};max-width:{width}px;width:100%">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    return parts


def line_chart(series: Sequence[Series], x_label: str, y_label: str, diagonal: bool = False,
               width: int = 1000, height: int = 420, title: str = "") -> str:
    """Lines through (x, y) points per series, with dots; ``diagonal`` draws y = x (perfect calibration)."""
    legend, legend_height = _legend(series, 60, 18, width - 80)
    top, bottom, left, right = 18 + legend_height + 8, 46, 60, 20
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [p[0] for s in series for p in s.values]
    ys = [p[1] for s in series for p in s.values]
    low = min(xs + ys + [0.0])
    high = max(xs + ys + [1.0])
    ticks = nice_ticks(low, high)
    lo, hi = ticks[0], ticks[-1]

    def px(v: float) -> float:
        return left + plot_w * (v - lo) / (hi - lo)

    def py(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    parts = _open_svg(width, height, title)
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{_r(py(t))}" y2="{_r(py(t))}" stroke="#e3e6ea"/>')
        parts.append(f'<line x1="{_r(px(t))}" x2="{_r(px(t))}" y1="{top}" y2="{top + plot_h}" stroke="#eef0f2"/>')
        parts.append(f'<text x="{left - 6}" y="{_r(py(t) + 4)}" font-size="11" text-anchor="end" fill="#555">'
                     f"{t:g}</text>")
        parts.append(f'<text x="{_r(px(t))}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" '
                     f'fill="#555">{t:g}</text>')
    parts.append(f'<text x="{_r(left + plot_w / 2)}" y="{height - 8}" font-size="12" text-anchor="middle" '
                 f'fill="#333">{escape(x_label)}</text>')
    parts.append(f'<text x="14" y="{_r(top + plot_h / 2)}" font-size="12" fill="#333" text-anchor="middle" '
                 f'transform="rotate(-90 14 {_r(top + plot_h / 2)})">{escape(y_label)}</text>')
    if diagonal:
        parts.append(f'<line x1="{_r(px(lo))}" y1="{_r(py(lo))}" x2="{_r(px(hi))}" y2="{_r(py(hi))}" '
                     'stroke="#999" stroke-dasharray="6 4"><title>perfect calibration (actual = predicted)</title>'
                     "</line>")
    for s in series:
        if not s.values:
            continue
        dash = ' stroke-dasharray="6 3"' if s.dashed else ""
        points = " ".join(f"{_r(px(x))},{_r(py(y))}" for x, y in s.values)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{s.color}" stroke-width="2"{dash}/>')
        for x, y in s.values:
            parts.append(f'<circle cx="{_r(px(x))}" cy="{_r(py(y))}" r="3" fill="{s.color}">'
                         f"<title>{escape(s.name)}: predicted {x:.1f}, actual {y:.1f}</title></circle>")
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>')
    return "".join(parts + legend + ["</svg>"])
