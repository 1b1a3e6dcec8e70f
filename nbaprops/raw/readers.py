"""Reading one user file of the ``files`` raw source (CSV or Parquet) as positioned rows.

A CSV is read as text (types are never inferred) in UTF-8 (with or without a BOM), or, when it
is not UTF-8, as Windows-1252 / Latin-1 with a note; CRLF line ends are fine. Every row keeps its
position in the file — the line it starts on for a CSV (header = line 1), its 1-based row number
for Parquet — so that every message and quarantine count can name it. A CSV row with fewer
fields than the header (a file cut off mid-row, a stray line of text) is marked, never read as a
partial row; a row with more fields is an error naming the line.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nbaprops.raw.validate import RawInputError, parse_arrow, parse_text


class RawFile:
    """One user file: its header, its rows' positions (the index) and its columns parsed."""

    unit: str  # how positions are counted in messages
    header: list[str] | None  # None: the file is empty (zero bytes)
    index: pd.Index
    notes: list[str]  # what a reader had to assume (an encoding)

    def parse(self, column: str, type_: str) -> tuple[pd.Series, pd.Series]:
        """(values of the contract type, mask of values that do not parse)."""
        raise NotImplementedError

    def text(self, column: str) -> pd.Series:
        """The column's values as the user wrote them (for messages)."""
        raise NotImplementedError

    def blank_rows(self) -> pd.Series | None:
        return None

    def short_rows(self) -> dict[str, pd.Series]:
        """Reason → mask of rows that are not whole rows of the file (none for Parquet)."""
        return {}


def open_raw_file(path: Path) -> RawFile:
    return CsvFile(path) if path.suffix == ".csv" else ParquetFile(path)


def _decode(data: bytes) -> tuple[str, str | None]:
    """(text, the encoding used when it was not UTF-8)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


class CsvFile(RawFile):
    """Read as text: every column a string, nothing inferred; positions are line numbers."""

    unit = "line"

    def __init__(self, path: Path):
        self.notes, self._blank = [], None
        data = path.read_bytes()
        if not data.strip():
            self.header, self.index, self.rows = None, pd.Index([], name="line", dtype=int), pd.DataFrame()
            self.fields = pd.Series([], dtype=int)
            return
        text, encoding = _decode(data)
        if encoding:
            self.notes.append(f"read as {encoding} because the file is not UTF-8 (accented names are "
                              f"kept as written); save it as UTF-8 to make this note go away")
        header, starts, fields = _csv_records(path, text)
        try:
            self.rows = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                                    skip_blank_lines=False)
        except (pd.errors.ParserError, ValueError) as exc:
            raise RawInputError(f"{path.name}: not a readable CSV file ({exc}); save it as CSV "
                                f"with a header line and one row per line") from None
        if len(self.rows) != len(starts):
            raise RawInputError(f"{path.name}: not a readable CSV file ({len(starts)} rows by the csv "
                                f"module, {len(self.rows)} by pandas); check its quoting")
        self.index = pd.Index(starts, name="line", dtype=int)
        self.rows.index = self.index
        self.fields = pd.Series(fields, index=self.index)
        self.header = [str(c) for c in self.rows.columns]
        self.width = len(header)

    def parse(self, column: str, type_: str) -> tuple[pd.Series, pd.Series]:
        return parse_text(self.rows[column], type_)

    def text(self, column: str) -> pd.Series:
        return self.rows[column]

    def blank_rows(self) -> pd.Series:
        if self._blank is None:
            blank = pd.Series(True, index=self.index)
            for column in self.rows.columns:
                blank &= self.rows[column].str.strip().fillna("") == ""
            self._blank = blank
        return self._blank

    def short_rows(self) -> dict[str, pd.Series]:
        if self.header is None or self.index.empty:
            return {}
        short = (self.fields < self.width) & ~self.blank_rows()
        last = pd.Series(self.index == self.index[-1], index=self.index)
        return {
            # the file ends inside this row: its last value may be cut too (32 read as 3)
            "truncated row": short & last,
            "line of text, not a row": short & ~last & (self.fields == 1),
            "row with fewer fields than the header": short & ~last & (self.fields > 1),
        }


def _csv_records(path: Path, text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(header, line each data row starts on, its number of fields). A row with more fields
    than the header is an error naming its line."""
    if '"' not in text:  # no quoting: a row is a line, its fields are its commas + 1 (fast)
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()  # the file's final line break
        header = lines[0].split(",")
        fields = np.array([line.count(",") + 1 if line.strip("\r") else 0 for line in lines[1:]], dtype=int)
        too_many = np.flatnonzero(fields > len(header))
        if len(too_many):
            line = int(too_many[0]) + 2
            raise RawInputError(
                f"{path.name}: line {line} has {fields[too_many[0]]} fields but the header has "
                f"{len(header)}; quote values that hold a comma (\"...\") or remove the extra fields")
        return header, np.arange(2, len(fields) + 2), fields
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        starts, fields = [], []
        line = reader.line_num + 1
        for row in reader:
            if len(row) > len(header):
                raise RawInputError(
                    f"{path.name}: line {line} has {len(row)} fields but the header has "
                    f"{len(header)}; quote values that hold a comma (\"...\") or remove the extra fields")
            starts.append(line)
            fields.append(len(row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise RawInputError(f"{path.name}: not a readable CSV file at line {reader.line_num} ({exc}); "
                            f"check the quotes on that line") from None
    return header, np.array(starts, dtype=int), np.array(fields, dtype=int)


class ParquetFile(RawFile):
    """Typed columns, converted to the contract types; positions are 1-based row numbers."""

    unit = "row"

    def __init__(self, path: Path):
        self.notes = []
        if path.stat().st_size == 0:
            self.header, self.index = None, pd.RangeIndex(1, 1, name="row")
            return
        try:
            self.table = pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise RawInputError(f"{path.name}: not a readable Parquet file ({exc}); rewrite it, or "
                                f"give the table as {path.stem}.csv instead") from None
        self.index = pd.RangeIndex(1, self.table.num_rows + 1, name="row")
        self.header = list(self.table.column_names)

    def parse(self, column: str, type_: str) -> tuple[pd.Series, pd.Series]:
        return parse_arrow(self.table.column(column), type_, self.index)

    def text(self, column: str) -> pd.Series:
        array = self.table.column(column)
        try:
            values = array.cast(pa.string()).to_pandas()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = pd.Series([str(v) for v in array.to_pylist()])
        values.index = self.index
        return values
