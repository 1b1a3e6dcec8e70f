"""Raw data versions (decision D11): what the raw source holds, as parameters of the DAG.

Snakemake re-runs a job when its ``params`` change. The raw stage's job for a season carries the
version of that season's raw rows, and every job that reads raw tables carries the version of
exactly the raw dates it reads (its chunk plus its history window). So new or corrected raw data
re-loads the seasons it touches and re-builds the chunks that read the changed dates — and
nothing else, with no ``--forcerun``. The jobs take the raw markers as ``ancient()`` inputs:
ordering only, so re-loading a season does not by itself cascade into every chunk of it.

A version is a digest per (raw table, date):

* ``files``: each file's rows are hashed per value of the table's date column. Reading a file
  costs time, so digests are cached by (path, size, mtime): an untouched file is never re-read,
  a touched file is re-hashed and only dates whose rows really changed get a new digest.
* ``bigquery``: a cheap freshness probe, one query counting rows per table and date (it scans
  only the date column, under ``maximum_bytes_billed``).
* ``demo``: the league is a function of its seed, its code and ``raw.as_of``: a window's digest
  is that of the states (final, morning of game day, not yet played) of its game dates.

Rows whose date cannot be read go to an "undated" bucket that every window includes (a change
there re-runs everything: the safe side). The loader's own code is part of every version: a
changed loader may load different rows.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from nbaprops.paths import PACKAGE_DIR, SQL_DIR
from nbaprops.raw import STATIC_TABLES
from nbaprops.seasons import season_year

UNDATED = ""  # bucket of rows whose date does not parse


def _digest(*parts: object) -> int:
    """A 64-bit digest of the parts' text."""
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(str(part).encode())
        h.update(b"\x1f")
    return int.from_bytes(h.digest(), "big")


def code_fingerprint(*folders: Path, patterns: tuple[str, ...] = ("*.py", "*.yml")) -> str:
    """Digest of the source files that turn raw input into raw tables."""
    h = hashlib.sha256()
    for folder in folders:
        for pattern in patterns:
            for path in sorted(folder.glob(pattern)):
                h.update(path.name.encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


class RawVersions:
    """Per raw table, a digest per date; versions of seasons and of read windows."""

    def __init__(self, digests: Mapping[str, Mapping[str, int]], code: str,
                 static: Iterable[str] = ()):
        self.code = code
        self.static = frozenset(static)  # not date-bound: every read sees every row
        self._dates: dict[str, list[str]] = {}
        self._prefix: dict[str, list[int]] = {}  # XOR of the digests of dates[:i]
        self._undated: dict[str, int] = {}
        for table, by_date in digests.items():
            dates = sorted(d for d in by_date if d != UNDATED)
            prefix = [0]
            for day in dates:
                prefix.append(prefix[-1] ^ _digest(table, day, by_date[day]))
            self._dates[table], self._prefix[table] = dates, prefix
            self._undated[table] = by_date.get(UNDATED, 0)

    @property
    def tables(self) -> list[str]:
        return sorted(self._dates)

    def _xor(self, table: str, first: dt.date, last: dt.date) -> int:
        dates = self._dates.get(table)
        if dates is None:
            return 0
        if table in self.static:
            return self._prefix[table][-1]
        lo = bisect.bisect_left(dates, first.isoformat())
        hi = bisect.bisect_right(dates, last.isoformat())
        return self._prefix[table][hi] ^ self._prefix[table][lo]

    def window(self, tables: Iterable[tuple[str, dt.date, dt.date]]) -> str:
        """Version of the raw rows a job reads: ``(table, first, last)`` per raw read."""
        parts = [self.code]
        for table, first, last in sorted(set(tables)):
            parts.append(f"{table}:{first}:{last}:{self._xor(table, first, last):016x}"
                         f":{self._undated.get(table, 0):016x}")
        return f"{_digest(*parts):016x}"

    def season(self, season: int, first: dt.date, last: dt.date) -> str:
        """Version of one season's raw rows, every table (the raw stage's job for that season):
        the rows dated [first, last], the season's span."""
        return self.window((t, first, last) for t in self.tables)


class DemoVersions(RawVersions):
    """The demo league: its rows are a function of its seed, its code and ``raw.as_of``.

    With ``as_of``, a date's rows depend only on the date's state — final (before as_of), the
    morning of game day (as_of) or not yet played (after it) — never on how far as_of is
    (nbaprops/demo/as_of.py). So a window's version is the digest of the states of its game
    dates, written as (its last final game date, its morning game date): moving as_of changes the
    version of exactly the windows holding a game date whose state changed. No as_of and an as_of
    after the window give the same version (every game date of the window final), so turning
    as_of on or off re-runs nothing that reads only earlier dates."""

    def __init__(self, identity: str, code: str, season_dates: Callable[[int], Sequence[dt.date]],
                 as_of: dt.date | None = None):
        super().__init__({}, code)
        self.identity, self.as_of = identity, as_of
        self._season_dates = season_dates  # a season's game dates, sorted (cheap, results-free)
        self._by_season: dict[int, list[str]] = {}

    def _game_dates(self, season: int, first: str, last: str) -> list[str]:
        if season not in self._by_season:
            self._by_season[season] = [d.isoformat() for d in self._season_dates(season)]
        dates = self._by_season[season]
        return dates[bisect.bisect_left(dates, first):bisect.bisect_right(dates, last)]

    def _state(self, first: dt.date, last: dt.date, seasons: Iterable[int]) -> str:
        """The states of the game dates of ``seasons`` in [first, last]."""
        if self.as_of is None or self.as_of > last:
            return "final"
        as_of = self.as_of.isoformat()
        dates = [d for s in sorted(seasons) for d in self._game_dates(s, first.isoformat(), last.isoformat())]
        i = bisect.bisect_left(dates, as_of)
        if i == len(dates):
            return "final"
        return f"{dates[i - 1] if i else '-'}|{as_of if dates[i] == as_of else '-'}"

    def window(self, tables: Iterable[tuple[str, dt.date, dt.date]]) -> str:
        # Every table of a date shares the date's state: the tables read do not matter, only
        # the spans they are read over.
        spans = sorted({(first, last) for _, first, last in tables})
        parts = []
        for first, last in spans:
            seasons = range(season_year(first), season_year(last) + 1)
            parts.append(f"{first}:{last}:{self._state(first, last, seasons)}")
        seasons = sorted({s for first, last in spans for s in range(season_year(first), season_year(last) + 1)})
        return f"{_digest(self.identity, self.code, *seasons, *parts):016x}"

    def season(self, season: int, first: dt.date, last: dt.date) -> str:
        """The raw stage loads the season whole: the states of all its game dates."""
        return f"{_digest(self.identity, self.code, season, self._state(first, last, [season])):016x}"


# --------------------------------------------------------------------------------------------
# the sources


def raw_versions(config: Mapping, tables: list[str], cache_path: str | Path | None = None) -> RawVersions:
    """The raw source's versions for ``tables`` (the raw tables the pipeline loads)."""
    source = config["raw"]["source"]
    if source == "demo":
        from nbaprops.demo import calendar

        code = code_fingerprint(PACKAGE_DIR / "demo", SQL_DIR / "nba_raw")
        seed, as_of = config["raw"]["seed"], config["raw"].get("as_of")

        def season_dates(season: int) -> list[dt.date]:
            return calendar.season_dates(season, seed) if season >= calendar.FIRST_SEASON else []

        return DemoVersions(f"demo:{seed}", code, season_dates, dt.date.fromisoformat(as_of) if as_of else None)
    code = code_fingerprint(PACKAGE_DIR / "raw", SQL_DIR / "nba_raw", SQL_DIR / "nba_reference")
    code += f":{config['raw'].get('bad_values', 'error')}"  # the loader's behaviour is part of it
    if source == "files":
        return RawVersions(_files_digests(Path(config["raw"]["path"]), tables, cache_path), code, STATIC_TABLES)
    if source == "bigquery":
        return RawVersions(_bigquery_digests(config, tables), code, STATIC_TABLES)
    raise ValueError(f"unknown raw source {source!r}")


def _files_digests(folder: Path, tables: list[str], cache_path: str | Path | None) -> dict[str, dict[str, int]]:
    from nbaprops.contracts import load_contract
    from nbaprops.raw.files import locate_files

    cache = _DigestCache(Path(cache_path) if cache_path else None)
    found = locate_files(folder, tables)
    out = {}
    for table in tables:
        path = found.get(table)
        out[table] = cache.digests(path, load_contract(table).date_column) if path else {}
    cache.save()
    return out


class _DigestCache:
    """Per-file date digests, reused while a file's size and mtime are unchanged."""

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict = {}
        self.dirty = False
        if path and path.exists():
            try:
                self.entries = json.loads(path.read_text())
            except (OSError, ValueError):
                self.entries = {}  # a damaged cache is only a slower run

    def digests(self, file: Path, date_column: str) -> dict[str, int]:
        stat = file.stat()
        key = str(file.resolve())
        stamp = [stat.st_size, stat.st_mtime_ns, date_column]
        entry = self.entries.get(key)
        if entry and entry.get("stamp") == stamp:
            return {d: int(v) for d, v in entry["digests"].items()}
        digests = file_date_digests(file, date_column)
        self.entries[key] = {"stamp": stamp, "digests": {d: str(v) for d, v in digests.items()}}
        self.dirty = True
        return digests

    def save(self) -> None:
        if not (self.path and self.dirty):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(self.entries, sort_keys=True))
        os.replace(tmp, self.path)


def file_date_digests(path: Path, date_column: str) -> dict[str, int]:
    """A digest of a raw file's rows per date (ISO text) of ``date_column``; rows whose date does
    not parse, or a file that does not parse at all, go to the UNDATED bucket (the loader says
    what is wrong with them when it runs)."""
    import pandas as pd

    try:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = _read_csv_text(path)
    except Exception:  # noqa: BLE001 - unreadable: the loader reports why; version = the bytes
        return {UNDATED: _digest(hashlib.sha256(path.read_bytes()).hexdigest())}
    if frame.empty:
        return {UNDATED: _digest("empty", list(frame.columns))}
    rows = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
    by_name = {str(c).strip().lower(): c for c in frame.columns}
    if date_column not in by_name:
        return {UNDATED: _digest(int(rows.sum()), len(rows), list(frame.columns))}
    days = pd.to_datetime(frame[by_name[date_column]].astype(str).str.strip(), errors="coerce",
                          format="mixed").dt.strftime("%Y-%m-%d").fillna(UNDATED)
    grouped = pd.DataFrame({"day": days.to_numpy(), "h": rows}).groupby("day")["h"]
    sums, counts = grouped.sum(), grouped.count()  # uint64 sums wrap: an order-free digest
    header = list(frame.columns)
    return {day: _digest(int(sums[day]), int(counts[day]), header) for day in sums.index}


def _read_csv_text(path: Path):
    import pandas as pd

    kwargs = dict(dtype=str, keep_default_na=False, na_filter=False)
    try:
        return pd.read_csv(path, encoding="utf-8-sig", **kwargs)
    except UnicodeDecodeError:
        return pd.read_csv(path, encoding="latin-1", **kwargs)


def _bigquery_digests(config: Mapping, tables: list[str]) -> dict[str, dict[str, int]]:
    """Rows per table and date: one query, the date column only."""
    from nbaprops.config import start_end
    from nbaprops.contracts import load_contract
    from nbaprops.warehouse import open_warehouse

    start, end = start_end(config)
    first, last = dt.date(season_year(start), 7, 1), dt.date(season_year(end) + 1, 6, 30)
    parts = []
    for table in tables:
        col = load_contract(table).date_column
        parts.append(f"select '{table}' as tbl, {col} as day, count(*) as n from {table} "
                     f"where {col} between @first and @last group by 2")
    wh = open_warehouse(config)
    try:
        frame = wh.query(" union all ".join(parts), {"first": first, "last": last})
    finally:
        wh.close()
    out: dict[str, dict[str, int]] = {t: {} for t in tables}
    for table, day, n in frame.itertuples(index=False):
        out[table][str(day)[:10]] = int(n)
    return out
