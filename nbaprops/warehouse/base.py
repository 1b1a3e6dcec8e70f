"""The warehouse interface every backend implements.

Five abilities, meant backend-neutrally:

* ``query``          run one BigQuery-dialect SELECT, get a pandas DataFrame;
* ``replace_range``  make a table's rows for ``[start, end]`` (by its contract's date column) be
                     exactly the given rows — all or nothing, so re-running never duplicates;
* ``append``         add rows to an append-only table (run history);
* ``dates_present``  the distinct dates a table holds in a range;
* ``ensure_table``   create the table with its declared schema if it does not exist.

Anything backend-specific (files, transactions, retries, quotas) stays behind it. Each job opens
its own warehouse (``open_warehouse(config)``); a warehouse is not shared between threads.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas costs ~0.3 s to import; jobs that never build a DataFrame skip it
    import pandas as pd

import datetime as dt
from typing import Mapping, Protocol, runtime_checkable


from nbaprops.contracts import TableContract


@runtime_checkable
class Warehouse(Protocol):
    backend: str

    def query(self, sql: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        """Run one SELECT written in BigQuery Standard SQL. ``params`` bind ``@name``
        parameters (dates, ints, floats, strings, lists)."""

    def replace_range(
        self,
        contract: TableContract,
        start: dt.date,
        end: dt.date,
        rows: pd.DataFrame | None = None,
        *,
        select_sql: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> int:
        """Atomically replace the table's rows whose date column lies in [start, end] with
        ``rows`` (a DataFrame) or with the result of ``select_sql``. Exactly one of the two is
        given. Every new row must lie in the range (WarehouseError otherwise). Rows outside the
        range are untouched. Returns the number of rows written. Either the whole range is
        replaced or nothing changes."""

    def append(self, contract: TableContract, rows: pd.DataFrame) -> int:
        """Append rows to an append-only table. Returns the number of rows written. A retried
        call must not duplicate rows: BigQuery skips rows whose primary key already exists (a
        lost response); the DuckDB backend commits each call once, locally."""

    def dates_present(self, contract: TableContract, start: dt.date, end: dt.date) -> list[dt.date]:
        """Sorted distinct values of the contract's date column within [start, end]."""

    def ensure_table(self, contract: TableContract) -> None:
        """Create the table (and its dataset) with the contract's schema if missing."""

    def close(self) -> None:
        """Release connections."""


class Closing:
    """Mixin: a backend is a context manager (``with open_warehouse(config) as wh:``) that closes on exit."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class WarehouseError(RuntimeError):
    """A warehouse operation failed in a way a user must act on (message says what and where)."""
