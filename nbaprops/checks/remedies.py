"""The words of gate messages: counts, and the commands a user runs to build dates, force a
rebuild or look at rows.

Every gate problem names its remedy as a command that can be pasted as is: `snakemake` to build
or rebuild a range, `nbaprops sql "…"` to see the rows behind a count.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Mapping

from nbaprops.catalogue import DAY_BUNDLE_RULES, phase_of

BUILD = "snakemake --cores 2 all"
_PARAMETER = re.compile(r"@(\w+)")


def counted(n: int, noun: str) -> str:
    """'1 game', '2 games'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def build_command(start: dt.date | str | None = None, end: dt.date | str | None = None,
                  forcerun: Iterable[str] = ()) -> str:
    """`snakemake --cores 2 all [--forcerun rules…] [--config start_date=… end_date=…]`."""
    command = BUILD
    rules = list(dict.fromkeys(forcerun))
    if rules:
        command += " --forcerun " + " ".join(rules)
    if start is not None and end is not None:
        command += f" --config start_date={_iso(start)} end_date={_iso(end)}"
    return f"`{command}`"


def rule_of(table: str) -> str:
    """The Snakemake rule that builds a table's chunks (rules/common.smk: the table's name)."""
    return table.split(".", 1)[1]


def rules_of(table: str) -> list[str]:
    """The rules whose `--forcerun` rebuilds a table on every chunk: its own rule, and its phase's
    day bundle, which builds it on the day chunks (rules/bundles.smk; under chunk: auto, the days
    of end_date's month, so also a range of one date)."""
    return [rule_of(table), DAY_BUNDLE_RULES[phase_of(table)]]


def sql_literal(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return f"date '{_iso(value)}'"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(sql_literal(v) for v in value) + "]"
    return "'" + str(value).replace("'", "\\'") + "'"


def sql_command(sql: str, params: Mapping[str, object] | None = None) -> str:
    """`nbaprops sql "…"` running ``sql`` (one line, its @parameters written as literals)."""
    params = params or {}
    text = _PARAMETER.sub(lambda m: sql_literal(params[m[1]]) if m[1] in params else m[0], sql)
    text = " ".join(text.split())
    for char in ("\\", '"', "$", "`"):  # inside double quotes the shell still expands these
        text = text.replace(char, "\\" + char)
    return f'`nbaprops sql "{text}"`'


def _iso(value: dt.date | str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value)
