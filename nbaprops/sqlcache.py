"""Rendered DuckDB SQL, cached on disk per statement: most jobs never import sqlglot.

Every DuckDB query goes through ``sqlrender.to_duckdb`` (sqlglot: parse BigQuery SQL, patch,
print DuckDB SQL). In a job that is ~0.3 s to import sqlglot plus 0.02-0.4 s per statement, paid
again by every job of every run although the project's SQL text changes only with its code; a
gate runs dozens of statements. So a statement is rendered once per (SQL text, parameter names and
kinds, renderer version) into a *template* whose date, timestamp and plain-string parameters are
placeholders, kept on disk; a later job fills the placeholders in and never imports sqlglot.

A template is trusted only if it is exact: when it is made, filling it with the values at hand
must give byte for byte what ``to_duckdb`` gave for them, else nothing is stored. The values
filled in later are of the same kinds (ISO dates, ISO timestamps, strings of safe characters),
which the renderer copies verbatim into a quoted literal. Other parameter values (integers,
booleans, NULL) are part of the key, not placeholders; lists and floats are never cached.

The entries live in nbaprops.diskcache's ``sql`` folder. The key includes a digest of
``sqlrender.py`` and sqlglot's version, so a changed renderer never reads an old entry.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Mapping

from nbaprops import diskcache

FORMAT = "1"
_SAFE_TEXT = re.compile(r"[A-Za-z0-9_ .:/-]*")


@functools.lru_cache(maxsize=1)
def renderer_version() -> str:
    """Digest of the renderer's code and sqlglot's version: a new renderer never reads old entries."""
    from importlib.metadata import version

    source = (Path(__file__).parent / "sqlrender.py").read_bytes()
    return hashlib.sha256(source + version("sqlglot").encode() + FORMAT.encode()).hexdigest()[:16]


def _kind(value: object) -> str | None:
    """How a parameter enters the template: 'date'/'timestamp'/'text' placeholders, 'inline' (the
    value is part of the key), or None (not cacheable)."""
    if isinstance(value, dt.datetime):
        return "timestamp" if value.tzinfo is None else None
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return "text" if _SAFE_TEXT.fullmatch(value) else None
    if value is None or isinstance(value, (bool, int)):
        return "inline"
    return None


def _placeholder(name: str) -> str:
    return f"nbaprops_param_{name}_7f3a9c"


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


def _key(sql: str, kinds: Mapping[str, str], params: Mapping[str, object]) -> str:
    signature = sorted((name, kind, repr(params[name]) if kind == "inline" else "") for name, kind in kinds.items())
    payload = json.dumps([renderer_version(), sql, signature])
    return hashlib.sha256(payload.encode()).hexdigest()


def _fill(template: str, params: Mapping[str, object], kinds: Mapping[str, str]) -> str:
    for name, kind in kinds.items():
        if kind != "inline":
            template = template.replace(f"'{_placeholder(name)}'", f"'{_text(params[name])}'")
    return template


def _render_template(sql: str, params: Mapping[str, object], kinds: Mapping[str, str]) -> str:
    """``to_duckdb`` with each placeholder parameter bound to a literal of its kind holding its
    placeholder text instead of the value."""
    from nbaprops import sqlrender

    stand_ins: dict[str, object] = {}
    for name, kind in kinds.items():
        if kind == "date":
            stand_ins[name] = sqlrender.TypedText(_placeholder(name), "DATE")
        elif kind == "timestamp":
            stand_ins[name] = sqlrender.TypedText(_placeholder(name), "TIMESTAMP")
        elif kind == "text":
            stand_ins[name] = _placeholder(name)
        else:
            stand_ins[name] = params[name]
    return sqlrender.to_duckdb(sql, stand_ins)


_MEMO: dict[str, tuple[str, list[str]]] = {}


def render(sql: str, params: Mapping[str, object] | None = None) -> tuple[str, list[str]]:
    """(DuckDB SQL with ``params`` inlined, the ``dataset.table`` names it reads)."""
    params = dict(params or {})
    kinds = {name: _kind(value) for name, value in params.items()}
    if any(kind is None for kind in kinds.values()):
        return _render_now(sql, params)
    key = _key(sql, kinds, params)
    entry = _MEMO.get(key) or _read(key)
    if entry is None:
        direct, tables = _render_now(sql, params)
        template = _render_template(sql, params, kinds)
        if _fill(template, params, kinds) != direct:
            return direct, tables  # the placeholders did not stand in exactly: never cache this statement
        entry = (template, tables)
        _write(key, entry)
    _MEMO[key] = entry
    template, tables = entry
    return _fill(template, params, kinds), list(tables)


def _render_now(sql: str, params: Mapping[str, object]) -> tuple[str, list[str]]:
    from nbaprops import sqlrender

    return sqlrender.to_duckdb(sql, params), sqlrender.referenced_tables(sql)


def _read(key: str) -> tuple[str, list[str]] | None:
    data = diskcache.read_bytes("sql", f"{key}.json")
    try:
        doc = json.loads(data) if data else None
        return (doc["template"], doc["tables"]) if doc else None
    except (ValueError, KeyError, TypeError):
        return None


def _write(key: str, entry: tuple[str, list[str]]) -> None:
    diskcache.write_bytes("sql", f"{key}.json", json.dumps({"template": entry[0], "tables": entry[1]}).encode())
