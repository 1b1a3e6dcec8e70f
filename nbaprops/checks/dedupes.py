"""Every dedupe counted (D8: flag, don't drop).

Some Phase 3 models keep one row per key (`qualify row_number() over (partition by … order by …)
= 1`): a game loaded twice, a player listed twice. The rows they drop are counted here from the
model's own SQL — the deduplicating CTE's source, partition and order — so the count cannot drift
from what the model does.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping

import sqlglot
from sqlglot import exp

from nbaprops.contracts import load_contract
from nbaprops.checks.remedies import counted
from nbaprops.findings import EXAMPLES, Finding

# (table, the CTE of its SQL that keeps one row per key)
DEDUPES = (
    ("nba_analytics.team_offense_game_summary", "team_box_latest"),
    ("nba_analytics.player_game_summary", "players"),
)


def dedupe_sql(table: str, cte: str) -> tuple[str, list[str], str]:
    """A query over the model's CTEs giving the duplicated keys of ``cte`` (most rows first) with
    ``rows_removed`` and ``duplicated_keys`` totals on each row; the key columns; the kept-row order."""
    tree = sqlglot.parse_one(load_contract(table).sql(), read="bigquery")
    ctes = list(tree.find(exp.With).expressions)
    names = [c.alias for c in ctes]
    if cte not in names:
        raise ValueError(f"{table}: its SQL has no CTE named {cte!r} (nbaprops/checks/dedupes.py DEDUPES)")
    dedupe = ctes[names.index(cte)].this
    window = dedupe.args["qualify"].find(exp.Window)
    keys = [p.copy() for p in window.args["partition_by"]]
    key_names = [k.alias_or_name for k in keys]
    grouped = dedupe.copy()
    grouped.set("qualify", None)
    grouped = (grouped.select(*[exp.alias_(k, n) for k, n in zip(keys, key_names)], "count(*) as n", append=False)
               .group_by(*[k.copy() for k in keys]).having("count(*) > 1"))
    needed = _referenced_ctes(dedupe, dict(zip(names, ctes)))
    before = ",\n".join(f"{c.alias} as ({c.this.sql(dialect='bigquery')})" for c in ctes if c.alias in needed)
    cols = ", ".join(key_names)
    sql = (f"with {before},\nduplicate_keys as ({grouped.sql(dialect='bigquery')})\n"
           f"select {cols}, n, sum(n - 1) over () as rows_removed, count(*) over () as duplicated_keys\n"
           f"from duplicate_keys order by n desc, {cols} limit {EXAMPLES}")
    order = window.args["order"]
    kept = ", ".join(o.sql(dialect="bigquery").split(".")[-1].lower() for o in order.expressions) if order else "any"
    return sql, key_names, kept


def _referenced_ctes(node: exp.Expression, ctes: Mapping[str, exp.CTE]) -> set[str]:
    """The CTEs ``node`` reads, directly or through other CTEs."""
    found: set[str] = set()
    stack = [node]
    while stack:
        for table in stack.pop().find_all(exp.Table):
            if not table.db and table.name in ctes and table.name not in found:
                found.add(table.name)
                stack.append(ctes[table.name].this)
    return found


def dedupe_counts(wh, start: dt.date, end: dt.date, options: Mapping) -> list[Finding]:
    """Rows each deduplicating model drops in [start, end] (a warning per table with any)."""
    findings = []
    for table, cte in DEDUPES:
        sql, keys, kept = dedupe_sql(table, cte)
        rows = wh.query(sql, {"start_date": start, "end_date": end}).to_dict("records")
        if not rows:
            continue
        removed, groups = int(rows[0]["rows_removed"]), int(rows[0]["duplicated_keys"])
        findings.append(Finding(
            "deduplicated_rows", "warning",
            f"{table.split('.')[1]} dropped {counted(removed, 'duplicate row')}: of the input rows sharing a key "
            f"({', '.join(keys)}; {counted(groups, 'key')}) only the first by {kept} is kept. A source that loaded "
            "a game or a player twice is the usual cause; if the copies differ, remove the wrong one from the raw "
            "source.",
            removed, table,
            [" ".join(str(_plain(r[k])) for k in keys) + f" ({int(r['n'])} rows)" for r in rows]))
    return findings


def _plain(value):
    return value.date().isoformat() if hasattr(value, "date") and callable(value.date) else value
