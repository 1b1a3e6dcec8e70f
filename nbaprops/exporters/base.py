"""What every exporter shares: the object it produces, its deterministic bytes, and small helpers.

An exporter reads the warehouse through the run's :class:`~nbaprops.exporters.reads.ExportReads`
(every query of Phase 6 lives there) and returns :class:`ExportObject`s: a key under
``v1/``, a JSON-able document, the Cache-Control of that key and the schema the document follows
(``schemas/<schema>.schema.json``). Nothing here touches the object store; ``run.py`` writes.

Determinism (the same data gives byte-identical objects, so a re-export rewrites the same bytes):

* :func:`encode` sorts keys, writes compact UTF-8 (no indent: the original's indent 2 makes the
  objects about 1.4 times larger and needs Python's pure-Python encoder), ends with a newline and
  rounds every float to :data:`FLOAT_DIGITS` decimals (each field is rounded to its own
  precision first; the global rounding only removes binary noise such as 0.30000000000000004);
* lists are ordered by explicit keys with a ``player_lookup``/``game_id`` tie-break, never by the
  order rows come back in;
* no wall-clock time is written: where the original wrote ``generated_at`` / ``updated_at`` = now,
  nbaprops writes :func:`data_timestamp` of the newest game date the object reflects (midnight
  UTC at the start of that date), e.g. ``2024-01-05T00:00:00Z`` for ``results/2024-01-05.json``.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    import pandas as pd

API_VERSION = "v1"
FLOAT_DIGITS = 4
CONTENT_TYPE = "application/json"


def cache_control(max_age: int) -> str:
    return f"public, max-age={max_age}"


# ----------------------------------------------------------------------------- the object
@dataclass(frozen=True)
class ExportObject:
    """One object to publish: ``key`` is relative to the bucket root and starts with ``v1/``."""

    key: str
    document: Any
    max_age: int
    schema: str

    @property
    def cache_control(self) -> str:
        return cache_control(self.max_age)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPE

    def data(self) -> bytes:
        return encode(self.document)

    def encoded(self) -> tuple[Any, bytes]:
        """(the document as plain JSON values, its bytes): what a writer validates and what it writes
        (validating the plain values equals validating the parsed bytes, without parsing them)."""
        plain = _plain(self.document)
        return plain, _dump(plain)


@dataclass(frozen=True)
class CarriedObject:
    """An object of the previous run whose inputs have not changed (``nbaprops.exporters.carry``):
    the writer lists it with its recorded size and sha256 and neither builds nor writes it again."""

    key: str
    size: int
    sha256: str


def _plain(value: Any) -> Any:
    """``value`` as plain JSON types: numpy/pandas scalars unwrapped, NaN/NA → None, dates ISO."""
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is int:
        return value
    if kind is float:
        if math.isnan(value) or math.isinf(value):
            return None
        rounded = round(value, FLOAT_DIGITS)
        return 0.0 if rounded == 0 else rounded  # no -0.0
    if kind is dict:
        return {str(k): _plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalars (np.float64 is also a float subclass)
        return _plain(value.item())
    for plain in (bool, int, float, str):  # other subclasses of the plain types
        if isinstance(value, plain):
            return _plain(plain(value))
    import pandas as pd

    if value is pd.NA or value is pd.NaT:
        return None
    raise TypeError(f"{type(value).__name__} value {value!r} cannot be exported as JSON")


def encode(document: Any) -> bytes:
    """The canonical bytes of an exported document (see the module docstring)."""
    return _dump(_plain(document))


def _dump(plain: Any) -> bytes:
    text = json.dumps(plain, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
    return (text + "\n").encode("utf-8")


def data_timestamp(day: dt.date | None) -> str | None:
    """The deterministic ``generated_at`` / ``updated_at`` of an object reflecting data up to ``day``."""
    return None if day is None else f"{day.isoformat()}T00:00:00Z"


# ----------------------------------------------------------------------------- exporters
class Exporter:
    """One catalogue entry, declared in its class statement
    (``class ResultsExporter(PerDateExporter, name=..., schema=..., keys=..., max_age=...)``).
    ``name`` is the original's daily_export type (or module name), ``schema`` the schema of its
    objects, ``keys`` the object key patterns (documentation and verify), ``max_age`` the
    Cache-Control max-age of its dated/singleton objects, ``alias`` the key and max-age of its
    latest/today copy, ``needs_final`` (per-date exporters) whether its objects wait for the
    date's games to be final (results, live, grading views) or exist from the scheduled slate on."""

    name: str = ""
    schema: str = ""
    keys: tuple[str, ...] = ()
    max_age: int = 300
    alias: tuple[str, int] | None = None
    needs_final: bool = False

    def __init_subclass__(cls, *, name: str | None = None, schema: str | None = None,
                          keys: tuple[str, ...] | None = None, max_age: int | None = None,
                          alias: tuple[str, int] | None = None, needs_final: bool | None = None, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        declared = {"name": name, "schema": schema, "keys": keys, "max_age": max_age, "alias": alias,
                    "needs_final": needs_final}
        for attribute, value in declared.items():
            if value is not None:
                setattr(cls, attribute, value)

    def obj(self, key: str, document: Any, schema: str | None = None) -> ExportObject:
        return ExportObject(f"{API_VERSION}/{key}", document, self.max_age, schema or self.schema)


class PerDateExporter(Exporter):
    """An exporter with objects per predicted game date (per final date with ``needs_final``).
    ``load`` reads what the dates of a chunk need in a few queries; ``export`` builds one date's
    objects from it."""

    def load(self, reads, start: dt.date, end: dt.date) -> Any:
        raise NotImplementedError

    def export(self, data: Any, day: dt.date) -> list[ExportObject]:
        raise NotImplementedError

    def run(self, reads, day: dt.date) -> list[ExportObject]:
        """The objects of one date (tests, one-off re-exports); ``reads`` is an ExportReads."""
        return self.export(self.load(reads, day, day), day)


@dataclass(frozen=True)
class AsOf:
    """What an as-of exporter exports for: the newest predicted game date of the range
    (``as_of``: tonight's slate, scheduled or final), the range itself, (for status) the object
    store holding the other objects and the newest final date (``final``: what results and live
    objects describe)."""

    as_of: dt.date
    start: dt.date
    end: dt.date
    store: Any = None
    final: dt.date | None = None
    carry: Any = None  # nbaprops.exporters.carry.Carry: finished seasons' pages of the previous run

    @property
    def through(self) -> dt.date:
        """The last day of box scores 'tonight'-type views may read: the day before ``as_of``,
        whose slate they describe before tip-off."""
        return self.as_of - dt.timedelta(days=1)


class AsOfExporter(Exporter):
    """An exporter of objects describing the state as of the end of the range."""

    def export(self, reads, ctx: AsOf) -> list[ExportObject]:
        raise NotImplementedError


# ----------------------------------------------------------------------------- helpers
def rows(frame: pd.DataFrame) -> list[dict]:
    """A query result as plain dicts of Python values: NULL/NaN → None, ``*date`` columns →
    datetime.date (other timestamps stay pandas Timestamps), arrays → lists."""
    columns = {}
    for name in frame.columns:
        col = frame[name]
        missing = col.isna().tolist() if col.dtype != object else [v is None for v in col]
        if name.endswith("date") and str(col.dtype).startswith("datetime64"):
            values = [None if m else v.date() for v, m in zip(col, missing)]
        else:
            values = [None if m else _python(v) for v, m in zip(col.astype(object).tolist(), missing)]
        columns[name] = values
    names = list(columns)
    return [dict(zip(names, vals)) for vals in zip(*columns.values())] if names else []


def arrow_rows(table) -> list[dict]:
    """:func:`rows` of the same result fetched as Arrow (``wh.query_arrow``), without pandas: the
    same Python values (NULL/NaN → None, ``*date`` DATE columns → datetime.date, integers stay
    ints even with NULLs, as pandas' nullable Int dtypes keep them) at a fraction of the cost; the
    exports' big history reads spent most of their time in pandas' per-value conversions.
    Columns of other types (timestamps, other dates, decimals, arrays) take :func:`rows`' path."""
    import pyarrow.types as pt

    columns = {}
    for name, col in zip(table.column_names, table.columns):
        kind = col.type
        if pt.is_floating(kind):
            columns[name] = [None if v != v else v for v in col.to_pylist()]  # NaN != NaN; None passes
        elif (pt.is_integer(kind) or pt.is_boolean(kind) or pt.is_string(kind) or pt.is_large_string(kind)
              or (pt.is_date32(kind) and name.endswith("date"))):
            columns[name] = col.to_pylist()
        else:
            import pyarrow as pa

            if pt.is_date(kind):  # a DATE not named *date: pandas (DuckDB's df) gives Timestamps
                col = col.cast(pa.timestamp("us"))
            columns[name] = rows(pa.table({name: col}).to_pandas())
            columns[name] = [r[name] for r in columns[name]]
    names = list(columns)
    return [dict(zip(names, vals)) for vals in zip(*columns.values())] if names else []


def _python(value: Any) -> Any:
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays and scalars
        return value.tolist()
    return value


def rnd(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def ratio(num: float, den: float, digits: int = 3) -> float | None:
    """num / den rounded, None when the denominator is 0."""
    return round(num / den, digits) if den else None


def mean(values: Iterable[float | None], digits: int = 2) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return round(math.fsum(vals) / len(vals), digits) if vals else None


def game_teams(game_id: str) -> tuple[str | None, str | None]:
    """(away, home) from a ``YYYYMMDD_AWAY_HOME`` game id (D6)."""
    parts = (game_id or "").split("_")
    return (parts[1], parts[2]) if len(parts) == 3 else (None, None)


def confidence_tier(confidence: float | None) -> str | None:
    if confidence is None:
        return None
    return "high" if confidence >= 0.70 else "medium" if confidence >= 0.55 else "low"


def fatigue_level(score: float | None) -> str | None:
    if score is None:
        return None
    return "fresh" if score >= 95 else "normal" if score >= 75 else "tired"


def group_by(records: Iterable[dict], column: str) -> dict[Any, list[dict]]:
    """Records grouped by one column's value, each group in the records' order."""
    out: dict[Any, list[dict]] = {}
    for rec in records:
        out.setdefault(rec[column], []).append(rec)
    return out
