"""BigQuery Standard SQL → the dialect a backend runs. Every dialect patch lives here.

Project SQL is written once, in BigQuery dialect (sql/README.md). DuckDB runs it through
sqlglot with ``unsupported_level=RAISE`` plus the patches below for the cases where sqlglot's
output runs but silently differs from BigQuery (measured in tooling-measurements §3).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Mapping

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel


class SqlRenderError(ValueError):
    """The SQL uses a construct we refuse to transpile (the message says which and why)."""


# Constructs that transpile but give different results on DuckDB; the project SQL must avoid them.
_FORBIDDEN = {
    "DAYOFWEEK": "EXTRACT(DAYOFWEEK) is 1-based on BigQuery and 0-based on DuckDB; use FORMAT_DATE('%u', d)",
    "ISOWEEK": "EXTRACT(ISOWEEK) does not run on DuckDB; use FORMAT_DATE('%V', d)",
    "ANY_VALUE": "ANY_VALUE may return NULL on BigQuery but skips NULLs on DuckDB; use MAX or MIN",
}


@dataclass(frozen=True)
class TypedText:
    """A parameter bound as ``CAST('text' AS type)``: how a DATE or TIMESTAMP value is bound, with
    any text (the SQL cache's placeholders, nbaprops.sqlcache)."""

    text: str
    type: str


def _literal(value: object) -> exp.Expression:
    """A typed SQL literal for a parameter value (so DuckDB sees DATEs as DATEs)."""
    if isinstance(value, TypedText):
        return exp.cast(exp.Literal.string(value.text), value.type)
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat()), "TIMESTAMP")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, (list, tuple)):
        return exp.Array(expressions=[_literal(v) for v in value])
    raise SqlRenderError(f"cannot bind a parameter of type {type(value).__name__}")


def _check_forbidden(tree: exp.Expression, sql: str) -> None:
    upper = sql.upper()
    for word, why in _FORBIDDEN.items():
        if word in upper:
            raise SqlRenderError(why)
    for node in tree.find_all(exp.Unnest):
        if node.args.get("offset"):
            raise SqlRenderError("UNNEST ... WITH OFFSET is off by one on DuckDB; use ROW_NUMBER() instead")
    for node in tree.find_all(exp.DataType):
        if node.this in (exp.DataType.Type.DECIMAL, exp.DataType.Type.BIGDECIMAL):
            raise SqlRenderError("NUMERIC loses precision on DuckDB (DECIMAL(18,3)); use FLOAT64 and ROUND")


def _date_arith_to_date(tree: exp.Expression) -> exp.Expression:
    """BigQuery's DATE_ADD/DATE_SUB/DATE_TRUNC on a DATE return a DATE; sqlglot's DuckDB output
    returns a TIMESTAMP, which changes written column types and join keys. Cast back."""

    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, (exp.DateAdd, exp.DateSub, exp.DateTrunc)) and not isinstance(node.parent, exp.Cast):
            return exp.cast(node.copy(), "DATE")
        return node

    return tree.transform(fix, copy=False)


def _parenthesise_int_div(tree: exp.Expression) -> exp.Expression:
    """sqlglot renders DIV(a - b, c) as `a - b // c` on DuckDB (wrong precedence): wrap operands."""
    for node in list(tree.find_all(exp.IntDiv)):
        for key in ("this", "expression"):
            operand = node.args.get(key)
            if operand is not None and not isinstance(operand, (exp.Paren, exp.Column, exp.Literal)):
                node.set(key, exp.Paren(this=operand.copy()))
    return tree


def _countif_never_null(tree: exp.Expression) -> exp.Expression:
    """BigQuery's COUNTIF over only-NULL input is 0; DuckDB's COUNT_IF is NULL. Coalesce it."""

    def fix(node: exp.Expression) -> exp.Expression:
        target = node.parent if isinstance(node.parent, exp.Window) else node
        if isinstance(node, exp.CountIf) and not isinstance(target.parent, exp.Coalesce):
            if target is node:
                return exp.func("coalesce", node.copy(), exp.Literal.number(0))
        if isinstance(node, exp.Window) and isinstance(node.this, exp.CountIf) and not isinstance(node.parent, exp.Coalesce):
            return exp.func("coalesce", node.copy(), exp.Literal.number(0))
        return node

    return tree.transform(fix, copy=False)


def _bind(tree: exp.Expression, params: Mapping[str, object]) -> exp.Expression:
    def bind(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Parameter):
            name = node.name
            if name not in params:
                raise SqlRenderError(f"query parameter @{name} has no value")
            return _literal(params[name])
        return node

    return tree.transform(bind, copy=False)


def _rename_datasets(tree: exp.Expression, dataset_map: Mapping[str, str]) -> exp.Expression:
    if not dataset_map:
        return tree
    for table in tree.find_all(exp.Table):
        db = table.args.get("db")
        if db is not None and db.name in dataset_map:
            table.set("db", exp.to_identifier(dataset_map[db.name]))
    return tree


@functools.lru_cache(maxsize=256)
def _parse(sql: str) -> exp.Expression:
    statements = sqlglot.parse(sql, read="bigquery", error_level=ErrorLevel.RAISE)
    statements = [s for s in statements if s is not None]
    if len(statements) != 1:
        raise SqlRenderError(f"expected one SQL statement, got {len(statements)}")
    return statements[0]


def referenced_tables(sql: str) -> list[str]:
    """The `dataset.table` names a statement reads (CTE references carry no dataset)."""
    return sorted({f"{t.db}.{t.name}" for t in _parse(sql).find_all(exp.Table) if t.db})


def to_duckdb(sql: str, params: Mapping[str, object] | None = None,
              dataset_map: Mapping[str, str] | None = None) -> str:
    """Render BigQuery SQL for DuckDB with parameters inlined as typed literals."""
    tree = _parse(sql).copy()
    _check_forbidden(tree, sql)
    tree = _bind(tree, params or {})
    tree = _rename_datasets(tree, dataset_map or {})
    tree = _date_arith_to_date(tree)
    tree = _parenthesise_int_div(tree)
    tree = _countif_never_null(tree)
    return tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)


def to_bigquery(sql: str, dataset_map: Mapping[str, str] | None = None) -> str:
    """BigQuery SQL with datasets renamed per config (parameters stay @named)."""
    if not dataset_map:
        return sql
    tree = _rename_datasets(_parse(sql).copy(), dataset_map)
    return tree.sql(dialect="bigquery")
