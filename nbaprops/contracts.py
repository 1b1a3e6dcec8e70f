"""Table contracts: the `sql/<dataset>/<table>.yml` sidecars (format in sql/README.md).

A contract is the single statement of a table's grain, key, schema and invariants; the DuckDB
and BigQuery schemas, the contract tests and the gates are all derived from it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nbaprops.paths import SQL_DIR

SCALAR_TYPES = {"STRING", "INT64", "FLOAT64", "BOOL", "DATE", "TIMESTAMP", "JSON"}
ARRAY_TYPES = {"ARRAY<STRING>", "ARRAY<FLOAT64>", "ARRAY<INT64>"}
TYPES = SCALAR_TYPES | ARRAY_TYPES


class ContractError(ValueError):
    """A contract file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Invariant:
    name: str
    check: str | None = None  # row-level boolean expression (CHECK semantics)
    query: str | None = None  # SELECT returning violating rows


# D13: the optional (T3) raw sources a feature may depend on, by the name a contract's `health`
# gives as `source`. nba_staging.season_calendar has a `has_<source>` column for each (does the
# source have data in the date's season so far?); add a source there and here together.
OPTIONAL_SOURCES: dict[str, str] = {
    "play_by_play": "nba_raw.bigdataball_play_by_play",
    "injury_report": "nba_raw.nbac_injury_report",
}


@dataclass(frozen=True)
class ColumnHealth:
    """A column must not be silently constant within a season, nor NULL beyond a bound.

    ``source`` names the optional raw source (a key of OPTIONAL_SOURCES) the column is built
    from: on dates whose season has no data from it yet, the column is declared unavailable
    (it holds its documented default) instead of failing as constant (D13)."""

    column: str
    not_constant: bool = True
    max_null_rate: float = 0.0
    why: str = ""  # required when not_constant is False: why a constant is legitimate
    source: str | None = None


@dataclass(frozen=True)
class Read:
    """An upstream table a SELECT reads: the chunk's own dates plus ``lookback_days`` before its
    start, or with ``season_to_date`` every earlier date of the chunk's season."""

    table: str
    lookback_days: int = 0
    season_to_date: bool = False


@dataclass(frozen=True)
class TableContract:
    table: str
    description: str
    grain: str
    date_column: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    reads: tuple[Read, ...] = ()
    invariants: tuple[Invariant, ...] = ()
    cluster_by: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    builder: str | None = None  # "module:function" for tables built in Python instead of SQL
    health: tuple[ColumnHealth, ...] = ()
    path: Path | None = field(default=None, compare=False)

    @property
    def dataset(self) -> str:
        return self.table.split(".")[0]

    @property
    def name(self) -> str:
        return self.table.split(".")[1]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.table} has no column {name!r}")

    @property
    def sql_path(self) -> Path:
        return SQL_DIR / self.dataset / f"{self.name}.sql"

    @property
    def has_sql(self) -> bool:
        return self.sql_path.exists()

    def sql(self) -> str:
        return self.sql_path.read_text()


def _require(doc: dict, key: str, path: Path):
    if key not in doc:
        raise ContractError(f"{path}: missing key '{key}'")
    return doc[key]


def parse_contract(doc: dict, path: Path) -> TableContract:
    table = _require(doc, "table", path)
    if path.name != "<memory>":
        expected = f"{path.parent.name}.{path.stem}"
        if table != expected:
            raise ContractError(f"{path}: 'table' is {table!r} but the file path says {expected!r}")
    columns = []
    for i, c in enumerate(_require(doc, "columns", path)):
        ctype = str(c.get("type", "")).upper().replace(" ", "")
        if ctype not in TYPES:
            raise ContractError(f"{path}: columns[{i}] ({c.get('name')}) has unknown type {c.get('type')!r}; "
                                f"use one of {sorted(TYPES)}")
        mode = str(c.get("mode", "NULLABLE")).upper()
        if mode not in ("REQUIRED", "NULLABLE"):
            raise ContractError(f"{path}: columns[{i}] ({c.get('name')}) mode must be REQUIRED or NULLABLE")
        columns.append(Column(c["name"], ctype, mode == "REQUIRED", c.get("description", "")))
    names = [c.name for c in columns]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ContractError(f"{path}: duplicate columns {sorted(dupes)}")
    date_column = _require(doc, "date_column", path)
    pk = tuple(_require(doc, "primary_key", path))
    for key in (date_column, *pk, *doc.get("cluster_by", [])):
        if key not in names:
            raise ContractError(f"{path}: {key!r} is used as a key but is not a declared column")
    invariants = []
    for inv in doc.get("invariants", []) or []:
        if ("check" in inv) == ("query" in inv):
            raise ContractError(f"{path}: invariant {inv.get('name')!r} needs exactly one of 'check' or 'query'")
        invariants.append(Invariant(inv["name"], inv.get("check"), inv.get("query")))
    reads = []
    for r in doc.get("reads", []) or []:
        lookback = r.get("lookback_days", 0)
        if lookback != "season" and not isinstance(lookback, int):
            raise ContractError(f"{path}: reads of {r.get('table')}: lookback_days must be a number of days or 'season'")
        reads.append(Read(r["table"], 0 if lookback == "season" else lookback, lookback == "season"))
    reads = tuple(reads)
    health = []
    for h in doc.get("health", []) or []:
        if h.get("column") not in names:
            raise ContractError(f"{path}: health names unknown column {h.get('column')!r}")
        if h.get("not_constant", True) is False and not h.get("why"):
            raise ContractError(f"{path}: health of {h['column']}: say 'why' a constant is legitimate")
        if h.get("source") is not None and h["source"] not in OPTIONAL_SOURCES:
            raise ContractError(f"{path}: health of {h['column']}: source {h['source']!r} is not an optional "
                                f"source; use one of {sorted(OPTIONAL_SOURCES)}")
        health.append(ColumnHealth(h["column"], bool(h.get("not_constant", True)),
                                   float(h.get("max_null_rate", 0.0)), h.get("why", ""), h.get("source")))
    return TableContract(
        table=table,
        description=doc.get("description", ""),
        grain=_require(doc, "grain", path),
        date_column=date_column,
        primary_key=pk,
        columns=tuple(columns),
        reads=reads,
        invariants=tuple(invariants),
        cluster_by=tuple(doc.get("cluster_by", []) or []),
        decisions=tuple(doc.get("decisions", []) or []),
        builder=doc.get("builder"),
        health=tuple(health),
        path=path,
    )


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=None)
def load_contract(table: str) -> TableContract:
    """Contract of `dataset.table`, read from sql/<dataset>/<table>.yml."""
    dataset, _, name = table.partition(".")
    path = SQL_DIR / dataset / f"{name}.yml"
    if not path.exists():
        raise ContractError(f"no contract for {table}: expected {path}")
    # libyaml's parser when built (PyYAML's own resolvers either way): 10x faster, and a gate
    # job reads a contract per table
    return parse_contract(yaml.load(path.read_text(), Loader=SAFE_LOADER) or {}, path)


def all_contracts(dataset: str | None = None) -> list[TableContract]:
    pattern = f"{dataset}/*.yml" if dataset else "*/*.yml"
    return [load_contract(f"{p.parent.name}.{p.stem}") for p in sorted(SQL_DIR.glob(pattern))]
