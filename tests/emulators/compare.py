"""Compare a table as two backends return it: same rows after ordering, floats within tolerance.

Backends hand the same values to pandas in different dtypes (DuckDB: DATE as datetime64, JSON as
text; BigQuery: ``dbdate``, JSON as text with other spacing), so :func:`normalised` turns every
column into one plain representation chosen by the contract's column type first.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from nbaprops.contracts import TableContract

RTOL = 1e-9
ATOL = 1e-9


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and np.isnan(value)


def _plain(value):
    """A Python value: arrays as tuples, NumPy scalars unwrapped, every kind of NULL as None."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, np.generic):
        value = value.item()
    return None if _missing(value) else value


def _column(series: pd.Series, type_: str) -> pd.Series:
    if type_ == "FLOAT64":
        return pd.to_numeric(series, errors="raise").astype("float64")
    if type_ == "DATE":
        return pd.Series([None if _missing(v) else v for v in pd.to_datetime(series).dt.date], dtype=object)
    if type_ == "TIMESTAMP":
        return pd.to_datetime(series, utc=True).dt.as_unit("us")
    if type_ == "JSON":  # compare documents, not their whitespace
        return pd.Series([None if _missing(v) else json.loads(v) for v in series], dtype=object)
    return pd.Series([_plain(v) for v in series], dtype=object)


def normalised(frame: pd.DataFrame, contract: TableContract) -> pd.DataFrame:
    """``frame`` with one representation per contract type, sorted by the primary key."""
    types = {c.name: c.type for c in contract.columns}
    out = pd.DataFrame({name: _column(frame[name].reset_index(drop=True), types.get(name, "STRING"))
                        for name in frame.columns})
    return out.sort_values(list(contract.primary_key), kind="stable").reset_index(drop=True)


def _mismatches(a: pd.Series, b: pd.Series) -> np.ndarray:
    if a.dtype == "float64" and b.dtype == "float64":
        return ~np.isclose(a.to_numpy(), b.to_numpy(), rtol=RTOL, atol=ATOL, equal_nan=True)
    if isinstance(a.dtype, pd.DatetimeTZDtype):
        return ~((a == b) | (a.isna() & b.isna())).to_numpy()
    return np.array([not _equal(x, y) for x, y in zip(a, b)], dtype=bool)


def _equal(x, y) -> bool:
    if isinstance(x, tuple) and isinstance(y, tuple):
        return len(x) == len(y) and all(_equal(p, q) for p, q in zip(x, y))
    if isinstance(x, float) and isinstance(y, float):
        return bool(np.isclose(x, y, rtol=RTOL, atol=ATOL))
    return x == y


def one_rounding_step(a, b) -> bool:
    """Whether two numbers are exactly one unit of 1, 0.1, 0.01 or 0.001 apart: a ROUND that met a
    value within floating-point error of a tie (sums of floats in another order) went the other way."""
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and not _missing(v) for v in (a, b)):
        return False
    gap = abs(float(a) - float(b))
    return any(np.isclose(gap, 10.0 ** -k, rtol=0, atol=1e-9) for k in range(4))


def only_rounding_flips(a, b) -> bool:
    """Whether ``a`` and ``b`` differ only by rounding flips: two numbers one step apart, or two
    JSON texts (e.g. a ``TO_JSON_STRING`` context column) whose numbers differ only so."""
    if isinstance(a, str) and isinstance(b, str) and a[:1] in "{[" and b[:1] in "{[":
        try:
            a, b = json.loads(a), json.loads(b)
        except ValueError:
            return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(a[k] == b[k] or only_rounding_flips(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(x == y or only_rounding_flips(x, y) for x, y in zip(a, b))
    return one_rounding_step(a, b)


def differences(left: pd.DataFrame, right: pd.DataFrame, contract: TableContract, limit: int = 8,
                rounding_flips: list[str] | None = None) -> list[str]:
    """What differs between two normalised frames of one table (empty when they agree).

    With a ``rounding_flips`` list, values that differ only by :func:`only_rounding_flips` are
    collected there instead of being reported as differences."""
    if list(left.columns) != list(right.columns):
        return [f"columns differ: {list(left.columns)} vs {list(right.columns)}"]
    if len(left) != len(right):
        return [f"{len(left)} rows vs {len(right)} rows"]
    key = list(contract.primary_key)
    problems = []
    for column in left.columns:
        for i in np.flatnonzero(_mismatches(left[column], right[column])):
            a, b = left.loc[i, column], right.loc[i, column]
            note = f"row {left.loc[i, key].to_dict()}: {column} = {a!r} vs {b!r}"
            if rounding_flips is not None and only_rounding_flips(a, b):
                rounding_flips.append(note)
            elif len(problems) < limit:
                problems.append(note)
    return problems


def duplicate_keys(frame: pd.DataFrame, contract: TableContract) -> int:
    return int(frame.duplicated(list(contract.primary_key)).sum())
