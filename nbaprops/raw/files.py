"""The ``files`` raw source: a user's folder of raw tables (CSV or Parquet) in the raw contract.

One file per table, named after the table without its dataset (``nbac_schedule.csv`` or
``nbac_schedule.parquet``; ``nba_raw.nbac_schedule.parquet`` is accepted too). What happens to
what a user can get wrong:

* a T1 table missing, a critical column missing, a value that does not parse as its column's
  type, a team code that is not an NBA tricode → one :class:`RawInputError` saying what, where
  (file, column, line numbers, values) and what to do;
* a row whose key is NULL, or an exact copy of an earlier row → *quarantined*: dropped from the
  data and counted in the :class:`QuarantineReport` (reason, count, example lines);
* an optional table or a non-critical column missing → empty table / NULL column, logged.

CSV files are read as text and converted per the contract (type inference is never trusted).
Line numbers are the file's own (header = line 1); Parquet positions are 1-based row numbers.
"""
from __future__ import annotations

import csv
import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nbaprops.raw import raw_tables
from nbaprops.raw.props import ALIASES, column_synonyms, complete_prop_tables
from nbaprops.raw.validate import (
    EXPECTED,
    RawInputError,
    RawTableSpec,
    describe_rows,
    is_team_column,
    normalise_teams,
    parse_arrow,
    parse_text,
    raw_spec,
    unknown_teams,
)
from nbaprops.seasons import season_year

__all__ = ["RawInputError", "QuarantineReport", "FileReport", "read_raw_folder",
           "read_raw_folder_with_report"]

log = logging.getLogger("nbaprops.raw.files")

SCHEDULE = "nba_raw.nbac_schedule"
GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"
BDL = "nba_raw.bdl_player_boxscores"
REGISTRY = "nba_reference.nba_players_registry"
TRAVEL = "nba_static.travel_distances"
PLAY_BY_PLAY = "nba_raw.bigdataball_play_by_play"
STATIC_TABLES = (TRAVEL, ALIASES)  # not season-bound: every row is kept
# A registry file may hold ids only; these then come from the box scores.
REGISTRY_DERIVABLE = frozenset({"team_abbr", "season_year", "first_game_date"})

BadValues = Literal["error", "quarantine"]
EXAMPLES = 5


# --------------------------------------------------------------------------------------------
# the quarantine report


@dataclass
class Quarantined:
    """Rows of one file dropped for one reason."""

    count: int = 0
    examples: list[int] = field(default_factory=list)  # first line (CSV) / row (Parquet) numbers


@dataclass
class FileReport:
    """What became of one table's file: ``rows_read = rows_kept + rows_outside_seasons +
    Σ quarantined``."""

    table: str
    file: str | None  # None: the table had no file (empty or derived)
    unit: str = "line"  # how positions are counted: "line" (CSV, header = 1) or "row" (Parquet)
    rows_read: int = 0
    rows_kept: int = 0
    rows_outside_seasons: int = 0
    quarantined: dict[str, Quarantined] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_quarantined(self) -> int:
        return sum(q.count for q in self.quarantined.values())

    def quarantine(self, reason: str, positions: pd.Index) -> None:
        if len(positions):
            entry = self.quarantined.setdefault(reason, Quarantined())
            entry.count += len(positions)
            entry.examples = (entry.examples + [int(p) for p in positions[:EXAMPLES]])[:EXAMPLES]

    def as_dict(self) -> dict:
        return {
            "table": self.table, "file": self.file, "rows_read": self.rows_read,
            "rows_kept": self.rows_kept, "rows_outside_seasons": self.rows_outside_seasons,
            "rows_quarantined": self.rows_quarantined,
            "quarantined": {reason: {"count": q.count, f"example_{self.unit}s": q.examples}
                            for reason, q in self.quarantined.items()},
            "notes": list(self.notes),
        }


@dataclass
class QuarantineReport:
    """Per raw table: its file, rows read / kept / outside the seasons / quarantined by reason."""

    folder: str
    seasons: list[int]
    files: dict[str, FileReport] = field(default_factory=dict)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files.values())

    def __getitem__(self, table_or_file: str) -> FileReport:
        """The report of a table (``nba_raw.nbac_schedule`` or ``nbac_schedule``) or a file name."""
        for report in self.files.values():
            if table_or_file in (report.table, report.table.split(".")[1], report.file):
                return report
        raise KeyError(table_or_file)

    def as_dict(self) -> dict:
        return {"folder": self.folder, "seasons": self.seasons,
                "rows_quarantined": self.rows_quarantined,
                "files": [f.as_dict() for f in self.files.values()]}

    def format(self) -> str:
        lines = [f"raw folder {self.folder}, seasons {', '.join(map(str, self.seasons)) or '-'}: "
                 f"{self.rows_quarantined} rows quarantined"]
        for f in self.files.values():
            if f.file is None:
                lines.append(f"  {f.table}: no file; {'; '.join(f.notes) or 'empty'}")
                continue
            lines.append(f"  {f.file}: {f.rows_read} read, {f.rows_kept} kept, "
                         f"{f.rows_outside_seasons} outside the seasons, {f.rows_quarantined} quarantined")
            for reason, q in f.quarantined.items():
                lines.append(f"    quarantined {q.count} ({reason}), e.g. "
                             f"{describe_rows(q.examples, unit=f.unit)}")
            lines.extend(f"    note: {note}" for note in f.notes)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# public API


def read_raw_folder(path: str | Path, start: dt.date, end: dt.date, *,
                    bad_values: BadValues = "error") -> dict[str, pd.DataFrame]:
    """Every raw table (``nbaprops.raw.raw_tables()``) read from the folder ``path``, with
    exactly its contract's columns, restricted to the seasons touching [start, end]. The
    quarantine report is logged (logger ``nbaprops.raw.files``)."""
    frames, report = read_raw_folder_with_report(path, start, end, bad_values=bad_values)
    log.log(logging.WARNING if report.rows_quarantined else logging.INFO, "%s", report.format())
    return frames


def read_raw_folder_with_report(path: str | Path, start: dt.date, end: dt.date, *,
                                bad_values: BadValues = "error"
                                ) -> tuple[dict[str, pd.DataFrame], QuarantineReport]:
    """Like :func:`read_raw_folder`, also returning the :class:`QuarantineReport`.

    ``bad_values="quarantine"`` quarantines rows with unparsable values or unknown team codes
    instead of failing (the default, ``"error"``, fails naming the file, column, lines, values).
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise RawInputError(f"raw folder {folder} does not exist or is not a folder: set raw.path "
                            f"in the config to the folder holding your raw tables (nbac_schedule.csv, ...)")
    if start > end:
        raise RawInputError(f"the date range {start}..{end} is empty: start must not be after end")
    if bad_values not in ("error", "quarantine"):
        raise ValueError(f"bad_values must be 'error' or 'quarantine', not {bad_values!r}")
    seasons = list(range(season_year(start), season_year(end) + 1))
    tables = raw_tables()
    files = _locate_files(folder, tables)
    _require_t1(folder, files)

    report = QuarantineReport(str(folder), seasons)
    frames: dict[str, pd.DataFrame] = {}
    registry_ids_only = False
    for table in tables:
        if table in files:
            frame, file_report, filled = _read_table(table, files[table], seasons, bad_values)
            registry_ids_only |= table == REGISTRY and bool(filled & REGISTRY_DERIVABLE)
        else:
            frame, file_report = _empty(table), FileReport(table, None)
        report.files[table] = file_report
        frames[table] = frame

    _check_games_have_box_scores(frames, start, end, files)
    for finding in complete_prop_tables(frames, {t: p.name for t, p in files.items()}):
        report.files[finding.table].notes.append(finding.format())
    if REGISTRY not in files:
        frames[REGISTRY] = derive_registry(frames[GAMEBOOK], frames[BDL])
        _note_absent(report.files[REGISTRY], f"derived from the box scores "
                     f"({len(frames[REGISTRY])} player-season-team rows, ids <player_lookup>_001)")
    elif registry_ids_only:
        frames[REGISTRY] = _complete_registry(frames[REGISTRY], frames[GAMEBOOK], frames[BDL])
        report.files[REGISTRY].notes.append(
            "teams, seasons and first game dates taken from the box scores (the file has ids only)")
    if TRAVEL not in files:
        from nbaprops.travel import travel_distances

        frames[TRAVEL] = _conformable(TRAVEL, travel_distances())
        _note_absent(report.files[TRAVEL], "shipped arena-to-arena distances (nbaprops.travel)")
    for table in tables:
        if table == GAMEBOOK and table not in files:
            _note_absent(report.files[table], "using an empty gamebook (BDL box scores only)")
        elif table not in files and table not in (REGISTRY, TRAVEL):
            _note_absent(report.files[table], f"optional ({raw_spec(table).tier}) table absent: empty")
        report.files[table].rows_kept = len(frames[table])
    return frames, report


def locate_files(folder: str | Path, tables: list[str]) -> dict[str, Path]:
    """Each table's file in ``folder`` (a table given twice is an error)."""
    return _locate_files(Path(folder).expanduser(), tables)


def read_schedule(path: str | Path) -> pd.DataFrame:
    """The folder's schedule, every season, read and validated by the loader's own code path
    (same messages). The chunk plan calls this while Snakemake builds the DAG."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise RawInputError(f"raw folder {folder} does not exist or is not a folder: set raw.path "
                            f"in the config to the folder holding your raw tables (nbac_schedule.csv, ...)")
    files = _locate_files(folder, [SCHEDULE])
    if SCHEDULE not in files:
        raise RawInputError(f"nbac_schedule is required: put nbac_schedule.parquet or nbac_schedule.csv in {folder}")
    frame, _, _ = _read_table(SCHEDULE, files[SCHEDULE], list(range(1900, 2200)), "error")
    return frame


def derive_registry(gamebook: pd.DataFrame, bdl: pd.DataFrame) -> pd.DataFrame:
    """``nba_players_registry`` from the players seen in the box scores: one row per player per
    season per team (the contract's grain), ``universal_player_id = player_lookup + "_001"``,
    the first game date for that team in that season, the latest spelling of the name."""
    seen = pd.concat([
        gamebook[["player_lookup", "player_name", "team_abbr", "game_date"]].assign(source=0),
        bdl[["player_lookup", "player_full_name", "team_abbr", "game_date"]]
        .rename(columns={"player_full_name": "player_name"}).assign(source=1),
    ], ignore_index=True)
    seen = seen[seen["player_lookup"].notna() & seen["team_abbr"].notna() & seen["game_date"].notna()]
    if seen.empty:
        return _empty(REGISTRY)
    seen["game_date"] = pd.to_datetime(seen["game_date"])
    seen["season_year"] = _season_years(seen["game_date"])
    # Latest named row wins; the gamebook (source 0) wins a tie with BDL on the same date.
    named = seen[seen["player_name"].notna()].sort_values(
        ["player_lookup", "game_date", "source"], ascending=[True, False, True], kind="mergesort")
    names = named.drop_duplicates("player_lookup").set_index("player_lookup")["player_name"]
    rows = (seen.groupby(["player_lookup", "season_year", "team_abbr"], as_index=False)["game_date"]
            .min().rename(columns={"game_date": "first_game_date"}))
    rows["universal_player_id"] = rows["player_lookup"] + "_001"
    rows["player_name"] = rows["player_lookup"].map(names)
    rows = rows.sort_values(["player_lookup", "season_year", "first_game_date", "team_abbr"],
                            kind="mergesort")
    return _conformable(REGISTRY, rows)


# --------------------------------------------------------------------------------------------
# finding the files


def _candidates(table: str) -> list[str]:
    name = table.split(".")[1]
    return [f"{name}.parquet", f"{name}.csv", f"{table}.parquet", f"{table}.csv"]


def _locate_files(folder: Path, tables: list[str]) -> dict[str, Path]:
    present = {p.name: p for p in folder.iterdir() if p.is_file()}
    files: dict[str, Path] = {}
    for table in tables:
        found = [present[name] for name in _candidates(table) if name in present]
        if len(found) > 1:
            raise RawInputError(f"{table} is given twice in {folder}: {' and '.join(p.name for p in found)}; "
                                f"keep one of them (remove or rename the other)")
        if found:
            files[table] = found[0]
    used = {p.name for p in files.values()}
    ignored = sorted(n for n in present if n not in used and not n.startswith("."))
    if ignored:
        log.info("%s: ignoring files that are not raw tables: %s", folder, ", ".join(ignored))
    return files


def _require_t1(folder: Path, files: dict[str, Path]) -> None:
    def put(table: str) -> str:
        name = table.split(".")[1]
        return f"{name}.parquet or {name}.csv"

    problems = []
    if GAMEBOOK not in files and BDL not in files:
        problems.append(f"player box scores are required: put {put(BDL)} (and preferably "
                        f"{put(GAMEBOOK)}) in {folder}")
    for table in raw_tables():
        if raw_spec(table).tier != "T1" or table in files or table == GAMEBOOK:
            continue
        if table == BDL and GAMEBOOK not in files:
            continue  # reported above
        problems.append(f"{table.split('.')[1]} is required: put {put(table)} in {folder}")
    if problems:
        raise RawInputError("; ".join(problems))


# --------------------------------------------------------------------------------------------
# reading one table


def _read_table(table: str, path: Path, seasons: list[int],
                bad_values: BadValues) -> tuple[pd.DataFrame, FileReport, set[str]]:
    """The table's rows from ``path`` in the seasons, its report, and the contract columns the
    file lacked (filled with NULL or a default)."""
    spec = raw_spec(table)
    contract = spec.contract
    raw: _RawFile = _CsvFile(path) if path.suffix == ".csv" else _ParquetFile(path)
    report = FileReport(table, path.name, unit=raw.unit, rows_read=len(raw.index))

    columns = _match_columns(path, spec, raw.header, report)
    out: dict[str, pd.Series] = {}
    bad_rows: dict[str, pd.Index] = {}
    for col in contract.columns:
        if col.name not in columns:
            out[col.name] = _default_column(table, col.name, col.type, raw.index)
            continue
        values, bad = raw.parse(columns[col.name], col.type)
        if bad.any():
            shown = raw.text(columns[col.name])[bad]
            if bad_values == "error":
                raise RawInputError(
                    f"{path.name}: column '{col.name}' must hold {EXPECTED[col.type]} but has "
                    f"{int(bad.sum())} value(s) that are not, at "
                    f"{describe_rows(list(shown.index), list(shown), report.unit)}; "
                    f"fix the file (an empty cell is NULL)")
            bad_rows[f"bad {col.name} value"] = bad[bad].index
        if is_team_column(col.name):
            values = _check_teams(path, col.name, values, report, bad_values, bad_rows)
        out[col.name] = values
    frame = pd.DataFrame(out, index=raw.index)
    if table == PLAY_BY_PLAY and "event_sequence" not in columns:
        frame["event_sequence"] = frame.groupby("game_id", dropna=False).cumcount().astype("Int64") + 1
        report.notes.append("event_sequence numbered from the file's row order within each game")
    if table == SCHEDULE:
        frame["game_code"] = _with_game_codes(frame, report)

    filled = set(contract.column_names) - set(columns)
    frame = _quarantine(frame, spec, report, bad_rows, raw.blank_rows(), unchecked=filled)
    if table not in STATIC_TABLES and contract.date_column not in filled:
        inside = _season_years(frame[contract.date_column]).isin(seasons).fillna(False)
        report.rows_outside_seasons = int((~inside).sum())
        frame = frame[inside]
    return frame.reset_index(drop=True), report, filled


class _RawFile:
    """One user file: its header, its rows' positions (the index) and its columns parsed."""

    unit: str  # how positions are counted in messages
    header: list[str]
    index: pd.Index

    def parse(self, column: str, type_: str) -> tuple[pd.Series, pd.Series]:
        """(values of the contract type, mask of values that do not parse)."""
        raise NotImplementedError

    def text(self, column: str) -> pd.Series:
        """The column's values as the user wrote them (for messages)."""
        raise NotImplementedError

    def blank_rows(self) -> pd.Series | None:
        return None


class _CsvFile(_RawFile):
    """Read as text: every column a string, nothing inferred; positions are line numbers."""

    unit = "line"

    def __init__(self, path: Path):
        try:
            self.rows = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                                    skip_blank_lines=False, encoding="utf-8-sig")
        except pd.errors.EmptyDataError:
            raise RawInputError(f"{path.name}: the file is empty; it needs at least a header line "
                                f"with the column names (or remove the file)") from None
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            raise RawInputError(f"{path.name}: not a readable CSV file ({exc}); save it as UTF-8 CSV "
                                f"with a header line and one row per line") from None
        self.rows.index = self.index = pd.Index(_csv_line_numbers(path, len(self.rows)), name="line")
        self.header = [str(c) for c in self.rows.columns]

    def parse(self, column: str, type_: str) -> tuple[pd.Series, pd.Series]:
        return parse_text(self.rows[column], type_)

    def text(self, column: str) -> pd.Series:
        return self.rows[column]

    def blank_rows(self) -> pd.Series:
        blank = pd.Series(True, index=self.index)
        for column in self.rows.columns:
            blank &= self.rows[column].str.strip().fillna("") == ""
        return blank


class _ParquetFile(_RawFile):
    """Typed columns, converted to the contract types; positions are 1-based row numbers."""

    unit = "row"

    def __init__(self, path: Path):
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


def _csv_line_numbers(path: Path, rows: int) -> np.ndarray:
    """Line on which each data row starts (header = line 1). Rows are one line each unless a
    quoted field holds a line break; only then is the file walked with the csv module."""
    breaks, last = 0, b"\n"
    with path.open("rb") as fh:
        while block := fh.read(1 << 24):
            breaks += block.count(b"\n")
            last = block[-1:]
    lines = breaks + (0 if last == b"\n" else 1)
    if lines == rows + 1:
        return np.arange(2, rows + 2)
    starts = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        line = reader.line_num + 1
        for _ in reader:
            starts.append(line)
            line = reader.line_num + 1
    return np.array(starts[:rows] + list(range(line, line + max(0, rows - len(starts)))))


def _match_columns(path: Path, spec: RawTableSpec, header: list[str], report: FileReport) -> dict[str, str]:
    """Contract column → the file's column (matched ignoring case and surrounding blanks)."""
    by_name: dict[str, str] = {}
    for name in header:
        by_name.setdefault(str(name).strip().lower(), name)
    contract = spec.contract
    columns = {c.name: by_name[c.name] for c in contract.columns if c.name in by_name}
    for c in contract.columns:
        synonym = next((by_name[s] for s in column_synonyms(contract.table, c.name) if s in by_name), None)
        if c.name not in columns and synonym is not None:
            columns[c.name] = synonym
            report.notes.append(f"column '{synonym}' read as {c.name}")
    missing = [c for c in contract.column_names if c not in columns]
    fatal = [(c, "critical") for c in missing if c in spec.critical]
    fatal += [(c, "required") for c in missing
              if c not in spec.critical and c in spec.required and not _has_default(contract.table, c)]
    if fatal:
        listed = ", ".join(f"'{c}' ({why})" for c, why in fatal)
        raise RawInputError(
            f"{path.name}: missing column{'s' if len(fatal) > 1 else ''} {listed}; add "
            f"{'them' if len(fatal) > 1 else 'it'} to the file (columns of {contract.table}: "
            f"{', '.join(contract.column_names)})")
    if missing:
        report.notes.append(f"missing non-critical columns filled with NULL: {', '.join(missing)}")
        log.info("%s: missing non-critical columns filled with NULL: %s", path.name, ", ".join(missing))
    wanted = set(columns.values())
    extra = [str(n) for n in header if n not in wanted]
    if extra:
        report.notes.append(f"ignored columns not in the contract: {', '.join(extra)}")
        log.info("%s: ignoring columns not in the contract: %s", path.name, ", ".join(extra))
    return columns


def _has_default(table: str, column: str) -> bool:
    return (table, column) in {
        (PLAY_BY_PLAY, "event_sequence"),  # numbered from the file order
        (TRAVEL, "valid_from"), (ALIASES, "valid_from"),  # static tables: always 2000-01-01
        # a registry of ids only: seasons, teams, first dates come from the box scores
        (REGISTRY, "team_abbr"), (REGISTRY, "season_year"), (REGISTRY, "first_game_date"),
    }


def _default_column(table: str, column: str, type_: str, index: pd.Index) -> pd.Series:
    if table in STATIC_TABLES and column == "valid_from":
        from nbaprops.travel import VALID_FROM

        return pd.Series([VALID_FROM] * len(index), index=index, dtype=object)
    return _nulls(type_, index)


def _nulls(type_: str, index: pd.Index) -> pd.Series:
    values, _ = parse_text(pd.Series([None] * len(index), index=index, dtype="str"), type_)
    return values


def _check_teams(path: Path, column: str, values: pd.Series, report: FileReport,
                 bad_values: BadValues, bad_rows: dict[str, pd.Index]) -> pd.Series:
    values, variants = normalise_teams(values)
    if variants:
        mapped = ", ".join(f"{k} ({n})" for k, n in variants.items())
        report.notes.append(f"{column}: team codes mapped {mapped}")
        log.info("%s: %s: team codes mapped to NBA tricodes: %s", path.name, column, mapped)
    unknown = unknown_teams(values)
    if unknown.any():
        bad = values[unknown]
        codes = sorted(bad.unique())
        if bad_values == "error":
            raise RawInputError(
                f"{path.name}: column '{column}' holds team code{'s' if len(codes) > 1 else ''} "
                f"{', '.join(repr(c) for c in codes[:10])} that "
                f"{'are' if len(codes) > 1 else 'is'} not among the 30 NBA tricodes, at "
                f"{describe_rows(list(bad.index), list(bad), report.unit)}; use NBA tricodes "
                f"(ATL, BOS, BKN, ..., WAS; see nbaprops/data/teams.csv)")
        bad_rows[f"unknown team in {column}"] = bad.index
    return values


def _with_game_codes(frame: pd.DataFrame, report: FileReport) -> pd.Series:
    """``game_code`` as given, else ``YYYYMMDD/AWYHOM`` from the date and the tricodes."""
    derived = (pd.to_datetime(frame["game_date"]).dt.strftime("%Y%m%d") + "/"
               + frame["away_team_tricode"] + frame["home_team_tricode"])
    missing = frame["game_code"].isna() & derived.notna()
    if missing.any():
        report.notes.append(f"game_code derived from game_date and tricodes for {int(missing.sum())} rows")
    return frame["game_code"].where(~missing, derived)


def _quarantine(frame: pd.DataFrame, spec: RawTableSpec, report: FileReport,
                bad_rows: dict[str, pd.Index], blank: pd.Series | None,
                *, unchecked: set[str]) -> pd.DataFrame:
    """Drop (and count) blank lines, rows with unusable values (``bad_values="quarantine"``),
    rows with a NULL key (a REQUIRED column the file has), then exact copies of an earlier row."""
    dropped = pd.Series(False, index=frame.index)

    def drop(reason: str, mask: pd.Series) -> None:
        mask = mask & ~dropped
        report.quarantine(reason, mask[mask].index)
        dropped.loc[mask] = True

    if blank is not None:
        drop("empty line", blank)
    for reason, where in bad_rows.items():
        drop(reason, frame.index.isin(where))
    for col in spec.contract.columns:
        if col.required and col.name not in unchecked:
            drop(f"missing {col.name}", frame[col.name].isna())
    kept = frame[~dropped]
    duplicate = kept.duplicated(keep="first")
    report.quarantine("duplicate row", duplicate[duplicate].index)
    return kept[~duplicate]


def _season_years(dates: pd.Series) -> pd.Series:
    days = pd.to_datetime(dates)
    return (days.dt.year - (days.dt.month < 10).astype(int)).astype("Int64")


# --------------------------------------------------------------------------------------------
# empty, derived and cross-table


def _empty(table: str) -> pd.DataFrame:
    index = pd.RangeIndex(0)
    return pd.DataFrame({c.name: _nulls(c.type, index) for c in raw_spec(table).contract.columns})


def _conformable(table: str, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` in the contract's column order, each column in the dtype the loader uses."""
    out = {}
    for col in raw_spec(table).contract.columns:
        values = rows[col.name].reset_index(drop=True) if col.name in rows else None
        if values is None:
            out[col.name] = _nulls(col.type, pd.RangeIndex(len(rows)))
        elif col.type == "DATE":
            out[col.name] = pd.to_datetime(values).dt.date.astype(object)
        elif col.type == "INT64":
            out[col.name] = values.astype("Int64")
        elif col.type == "STRING":
            out[col.name] = values.astype("str")
        else:
            out[col.name] = values
    return pd.DataFrame(out)


def _note_absent(report: FileReport, note: str) -> None:
    report.notes.append(note)
    log.info("%s: no file; %s", report.table, note)


def _complete_registry(given: pd.DataFrame, gamebook: pd.DataFrame, bdl: pd.DataFrame) -> pd.DataFrame:
    """A registry file of ids only: seasons, teams and first dates from the box scores, the
    file's ids (and names) where it has the player."""
    derived = derive_registry(gamebook, bdl)
    ids = given.drop_duplicates("player_lookup").set_index("player_lookup")
    known = derived["player_lookup"].isin(ids.index)
    derived.loc[known, "universal_player_id"] = derived.loc[known, "player_lookup"].map(
        ids["universal_player_id"])
    names = derived["player_lookup"].map(ids["player_name"])
    derived["player_name"] = names.where(names.notna(), derived["player_name"])
    return _conformable(REGISTRY, derived)


def _check_games_have_box_scores(frames: dict[str, pd.DataFrame], start: dt.date, end: dt.date,
                                 files: dict[str, Path]) -> None:
    """Every final game of [start, end] needs player rows in the gamebook or BDL (raw-inputs §5)."""
    schedule = frames[SCHEDULE]
    days = pd.to_datetime(schedule["game_date"])
    final = schedule[(schedule["game_status"] == 3).fillna(False)
                     & (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]
    if final.empty:
        return
    played = pd.concat([frames[t][["game_date", "team_abbr"]] for t in (GAMEBOOK, BDL)])
    seen = set(zip(pd.to_datetime(played["game_date"]).dt.date, played["team_abbr"]))
    missing = [(d, a, h) for d, a, h in zip(final["game_date"], final["away_team_tricode"],
                                            final["home_team_tricode"])
               if (d, h) not in seen and (d, a) not in seen]
    if missing:
        sources = " or ".join(files[t].name if t in files else f"{t.split('.')[1]} (no file)"
                              for t in (GAMEBOOK, BDL))
        listed = ", ".join(f"{d} {a}@{h}" for d, a, h in sorted(missing)[:EXAMPLES])
        more = f" and {len(missing) - EXAMPLES} more" if len(missing) > EXAMPLES else ""
        raise RawInputError(
            f"{len(missing)} final game(s) of {files[SCHEDULE].name} between {start} and {end} have no "
            f"player rows in {sources}: {listed}{more}; every final game needs its box score in the "
            f"gamebook or BDL file (add them, or narrow the date range)")
