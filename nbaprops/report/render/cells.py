"""The small pieces every section of the HTML report writes: numbers, links, labels, bars."""
from __future__ import annotations

import os
from html import escape
from pathlib import Path
from urllib.parse import quote

from nbaprops.progress import format_duration


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} s" if value < 60 else format_duration(value)


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def num(value: float | None, fmt: str = ".3f") -> str:
    return "–" if value is None else format(value, fmt)


def href(target: str | os.PathLike, output_dir: str | os.PathLike) -> str:
    """A link from the report's folder to ``target`` that works from disk (file://)."""
    rel = os.path.relpath(os.path.abspath(target), os.path.abspath(output_dir))
    return quote(Path(rel).as_posix())


def table_label(table: str) -> str:
    dataset, _, name = table.partition(".")
    return f'<span class="ds">{escape(dataset)}.</span>{escape(name)}'


def bar(share: float, color: str = "#2f83c8", marker: float | None = None) -> str:
    """A horizontal bar filling ``share`` (0..1) of its cell; ``marker`` draws a reference tick."""
    tick = f'<i class="tick" style="left:{marker:.1%}"></i>' if marker is not None else ""
    width = max(0.0, min(share, 1.0))
    return f'<div class="bar"><b style="width:{width:.1%};background:{color}"></b>{tick}</div>'


def gate_css(value: str) -> str:
    """The css class of a gate state: passed, failed, passed for another range, not run."""
    if value == "passed":
        return "ok"
    if value.startswith("failed"):
        return "bad"
    return "warn" if value.startswith("passed") else "idle"  # passed for another range / not run
