"""The exports section: relative links into the local export folder, a few per folder."""
from __future__ import annotations

import heapq
import re
from html import escape

from nbaprops.report.render.cells import href
from nbaprops.report.section import Section

EXPORT_LINKS_PER_FOLDER = 8
ALIASES = ("latest", "today", "index")
_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")
_NEWEST_FIRST = str.maketrans({c: chr(255 - ord(c)) for c in "0123456789-"})  # a date's characters, reversed


def _link_priority(rel: str) -> tuple:
    """Of an object's path relative to v1/: aliases (latest, today, index) first, then undated
    objects, then dated ones newest first."""
    name = rel.rsplit("/", 1)[-1]
    dated = _DATED.search(name)
    newest_first = dated[0].translate(_NEWEST_FIRST) if dated else ""
    return (rel.count("/"), name.rsplit(".", 1)[0] not in ALIASES, bool(dated), newest_first, rel)


def render_exports(listing: Section, output_dir) -> str:
    if listing.error:
        return f'<p class="empty">{escape(listing.error)}</p>'
    data = listing.data
    if "remote" in data:
        return (f'<p class="empty">Exports go to {escape(data["remote"])} (a remote bucket): not linked from this '
                "local page.</p>")
    if not data["groups"]:
        return (f'<p class="empty">No exports yet: {escape(data["root"].as_posix())}/ does not exist or is empty '
                "(Phase 6 has not run).</p>")
    root = data["root"]
    total = sum(len(v) for v in data["groups"].values())
    rows = []
    for group, paths in data["groups"].items():
        shown = heapq.nsmallest(EXPORT_LINKS_PER_FOLDER, paths, key=_link_priority)
        links = " ".join(f'<a href="{href(root / rel, output_dir)}">{escape(rel)}</a>' for rel in shown)
        more = f' <span class="more">… and {len(paths) - len(shown):,} more</span>' if len(paths) > len(shown) else ""
        folder = (escape(group) if group == "(top level)"
                  else f'<a href="{href(root / group, output_dir)}/">{escape(group)}/</a>')
        rows.append(f'<tr><td>{folder}</td><td class="r">{len(paths):,}</td><td class="links">{links}{more}</td></tr>')
    return (f'<p>{total:,} objects under <a href="{href(root, output_dir)}/">{escape(root.as_posix())}/</a> '
            '(relative links: open them from this folder).</p><table class="grid"><tr><th>folder</th>'
            '<th class="r">objects</th><th>open</th></tr>' + "".join(rows) + "</table>")
