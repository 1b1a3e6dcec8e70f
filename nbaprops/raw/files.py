"""The ``files`` raw source: a user's folder of raw tables (CSV or Parquet) in the raw contract.

One file per table, named after the table without its dataset (``nbac_schedule.csv`` or
``nbac_schedule.parquet``; ``nba_raw.nbac_schedule.parquet`` is accepted too). What happens to
what a user can get wrong — nothing is dropped or changed without a count:

* a T1 table missing or without rows, a critical column missing (the file's closest column is
  suggested), a value that does not parse as its column's type or does not fit INT64, a negative
  count, impossible minutes ("99:59"), an unknown team code, status word or player status, two
  rows with the same key and different values → one :class:`RawInputError` saying what, where
  (file, column, line numbers, values) and what to do; with ``bad_values="quarantine"`` the
  row-level ones are quarantined instead;
* a row whose key is NULL, a played row without its points, an exact copy of an earlier row, an
  empty line, a row cut short (a file truncated mid-row, a stray line of text) → *quarantined*:
  dropped and counted in the :class:`QuarantineReport` (reason, count, example lines);
* a row dated outside the seasons of the range → not loaded, counted, with example dates;
* box-score rows whose game id or home/away disagree with the schedule → corrected to the
  schedule's game (D6), counted; a final game of the range without rows of both its teams
  → :class:`RawInputError` naming game, date and files;
* team code variants, status words, a non-UTF-8 encoding, an optional table or a non-critical
  column missing → mapped / decoded / empty table / NULL column, with a note.

``QuarantineReport.findings()`` gives all of it as :class:`nbaprops.findings.Finding` objects.
CSV files are read as text and converted per the contract (type inference is never trusted).
Line numbers are the file's own (header = line 1); Parquet positions are 1-based row numbers.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Literal

import pandas as pd

from nbaprops.findings import worst
from nbaprops.seasons import SeasonCalendar
from nbaprops.raw import STATIC_TABLES, raw_tables
from nbaprops.raw.props import ALIASES, column_synonyms, complete_prop_tables
from nbaprops.raw.readers import RawFile, open_raw_file
from nbaprops.raw.reconcile import check_final_games_have_both_teams, reconcile_with_schedule
from nbaprops.raw.report import FileReport, Quarantined, QuarantineReport
from nbaprops.raw.validate import (
    EXPECTED,
    GAME_STATUS_EXPECTED,
    NON_NEGATIVE,
    PLAYER_STATUSES,
    RawInputError,
    RawTableSpec,
    bad_minutes,
    closest_column,
    describe_rows,
    game_status_codes,
    is_team_column,
    minutes_expected,
    normalise_teams,
    parse_text,
    raw_spec,
    unknown_teams,
)

__all__ = ["RawInputError", "QuarantineReport", "FileReport", "Quarantined", "read_raw_folder",
           "read_raw_folder_with_report", "read_schedule"]

log = logging.getLogger("nbaprops.raw.files")

SCHEDULE = "nba_raw.nbac_schedule"
GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"
BDL = "nba_raw.bdl_player_boxscores"
TEAM_BOX = "nba_raw.nbac_team_boxscore"
PROPS = "nba_raw.odds_api_player_points_props"
REGISTRY = "nba_reference.nba_players_registry"
TRAVEL = "nba_static.travel_distances"
PLAY_BY_PLAY = "nba_raw.bigdataball_play_by_play"
# A registry file may hold ids only; these then come from the box scores.
REGISTRY_DERIVABLE = frozenset({"team_abbr", "season_year", "first_game_date"})
# Whose minutes a table's `minutes` column holds (for the range check).
MINUTES_OF = {GAMEBOOK: "player", BDL: "player", TEAM_BOX: "team"}
# A row that says a player (or team) played must have these; NULL there is a broken row.
PLAYED_REQUIRES = {GAMEBOOK: ("minutes", "points"), BDL: ("points",), TEAM_BOX: ("points",)}
# Columns that, with the primary key, identify a row. A book's alternate lines ("ladders") share
# the props key at one snapshot and are all kept: the main line is chosen in SQL.
ROW_IDENTITY_EXTRA = {PROPS: ("points_line",)}

# When and by what a row was loaded, not what it says.
LOAD_METADATA = frozenset({"processed_at", "data_source"})

BadValues = Literal["error", "quarantine"]
EXAMPLES = 5


# --------------------------------------------------------------------------------------------
# public API


def read_raw_folder(path: str | Path, start: dt.date, end: dt.date, *,
                    bad_values: BadValues = "error") -> dict[str, pd.DataFrame]:
    """Every raw table (``nbaprops.raw.raw_tables()``) read from the folder ``path``, with
    exactly its contract's columns, restricted to the seasons touching [start, end]. The
    quarantine report is logged (logger ``nbaprops.raw.files``)."""
    frames, report = read_raw_folder_with_report(path, start, end, bad_values=bad_values)
    level = logging.WARNING if worst(report.findings()) in ("warning", "error") else logging.INFO
    log.log(level, "%s", report.format())
    return frames


def read_raw_folder_with_report(path: str | Path, start: dt.date, end: dt.date, *,
                                bad_values: BadValues = "error"
                                ) -> tuple[dict[str, pd.DataFrame], QuarantineReport]:
    """Like :func:`read_raw_folder`, also returning the :class:`QuarantineReport` (whose
    ``findings()`` the raw marker, run history and gate report show).

    ``bad_values="quarantine"`` quarantines rows with unusable values (unparsable, too large,
    negative counts, impossible minutes), unknown team codes or conflicting duplicates instead of
    failing (the default, ``"error"``, fails naming the file, column, lines, values).
    """
    folder = _folder(path)
    if start > end:
        raise RawInputError(f"the date range {start}..{end} is empty: start must not be after end")
    if bad_values not in ("error", "quarantine"):
        raise ValueError(f"bad_values must be 'error' or 'quarantine', not {bad_values!r}")
    tables = raw_tables()
    files = _locate_files(folder, tables)
    _require_t1(folder, files)
    # The schedule first: it says which season each date belongs to.
    schedule = _read_table(SCHEDULE, files[SCHEDULE], None, bad_values)
    calendar = _season_calendar(files[SCHEDULE].name, schedule[0])
    first, last = season_of(pd.Series([start, end]), calendar).tolist()
    seasons = list(range(first, last + 1))

    report = QuarantineReport(str(folder), seasons)
    frames: dict[str, pd.DataFrame] = {}
    registry_ids_only = False
    for table in tables:
        if table == SCHEDULE:
            frame, file_report, filled = schedule
            frame = _restrict_to_seasons(table, frame, file_report, filled, seasons, calendar)
        elif table in files:
            frame, file_report, filled = _read_table(table, files[table], seasons, bad_values, calendar)
            registry_ids_only |= table == REGISTRY and bool(filled & REGISTRY_DERIVABLE)
        else:
            frame, file_report = _empty(table), FileReport(table, None)
        report.files[table] = file_report
        frames[table] = frame
    _require_rows(files, report.files)

    reconcile_with_schedule(frames, report)
    check_final_games_have_both_teams(frames, start, end, files)
    frames = {table: frame.reset_index(drop=True) for table, frame in frames.items()}
    report.findings.extend(complete_prop_tables(frames, {t: p.name for t, p in files.items()}))
    if REGISTRY not in files:
        frames[REGISTRY] = derive_registry(frames[GAMEBOOK], frames[BDL], calendar)
        _note_absent(report.files[REGISTRY], f"derived from the box scores "
                     f"({len(frames[REGISTRY])} player-season-team rows, ids <player_lookup>_001)")
    elif registry_ids_only:
        frames[REGISTRY] = _complete_registry(frames[REGISTRY], frames[GAMEBOOK], frames[BDL], calendar)
        report.files[REGISTRY].note(
            "teams, seasons and first game dates taken from the box scores (the file has ids only)")
    if TRAVEL not in files:
        from nbaprops.travel import travel_distances

        frames[TRAVEL] = _conformable(TRAVEL, travel_distances())
        _note_absent(report.files[TRAVEL], "shipped arena-to-arena distances (nbaprops.travel)")
    for table in tables:
        if table == GAMEBOOK and table not in files:
            _note_absent(report.files[table], "using an empty gamebook (BDL box scores only)")
        elif table not in files and table not in (REGISTRY, TRAVEL):
            tier = raw_spec(table).tier
            _note_absent(report.files[table], f"optional ({tier}) table absent: empty",
                         severity="warning" if tier == "T2" else "info")
        report.files[table].rows_kept = len(frames[table])
    return frames, report


def locate_files(folder: str | Path, tables: list[str]) -> dict[str, Path]:
    """Each table's file in ``folder`` (a table given twice is an error)."""
    return _locate_files(Path(folder).expanduser(), tables)


def read_schedule(path: str | Path) -> pd.DataFrame:
    """The folder's schedule (every season), read and validated exactly as
    :func:`read_raw_folder` reads it — same checks, same messages — and nothing else, so it is
    cheap enough for the chunk plan. Bad input raises :class:`RawInputError`."""
    folder = _folder(path)
    files = _locate_files(folder, [SCHEDULE])
    _require_t1(folder, files, [SCHEDULE])
    frame, file_report, _ = _read_table(SCHEDULE, files[SCHEDULE], None, "error")
    _require_rows(files, {SCHEDULE: file_report})
    return frame.reset_index(drop=True)


def season_of(dates: pd.Series, calendar: SeasonCalendar | None = None) -> pd.Series:
    """The season (starting year, 2024 = 2024-25) of each date: the loader's one rule for it,
    used to restrict rows to the seasons of the range and to derive the registry. With the
    schedule's ``calendar`` a date belongs to the season whose scheduled games span it (a season
    may begin in December or end in October); without one, the month rule."""
    days = pd.to_datetime(dates)
    if calendar is None:
        return (days.dt.year - (days.dt.month < 10).astype(int)).astype("Int64")
    unique = {d: calendar.season_of(d) for d in days.dropna().dt.date.unique()}
    return days.dt.date.map(unique).astype("Int64")


def _season_calendar(file_name: str, frame: pd.DataFrame) -> SeasonCalendar:
    """Each date's season as the schedule file says (its ``season_year``)."""
    try:
        return SeasonCalendar.from_schedule(zip(pd.to_datetime(frame["game_date"]).dt.date, frame["season_year"],
                                                (frame["game_status"] == 3).fillna(False)))
    except ValueError as exc:
        raise RawInputError(f"{file_name}: {exc}") from None


def derive_registry(gamebook: pd.DataFrame, bdl: pd.DataFrame,
                    calendar: SeasonCalendar | None = None) -> pd.DataFrame:
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
    seen["season_year"] = season_of(seen["game_date"], calendar)
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


def _folder(path: str | Path) -> Path:
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise RawInputError(f"raw folder {folder} does not exist or is not a folder: set raw.path "
                            f"in the config to the folder holding your raw tables (nbac_schedule.csv, ...)")
    return folder


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
    if ignored and len(tables) > 1:
        log.info("%s: ignoring files that are not raw tables: %s", folder, ", ".join(ignored))
    return files


def _require_t1(folder: Path, files: dict[str, Path], tables: list[str] | None = None) -> None:
    def put(table: str) -> str:
        name = table.split(".")[1]
        return f"{name}.parquet or {name}.csv"

    tables = tables or raw_tables()
    problems = []
    if GAMEBOOK in tables and GAMEBOOK not in files and BDL not in files:
        problems.append(f"player box scores are required: put {put(BDL)} (and preferably "
                        f"{put(GAMEBOOK)}) in {folder}")
    for table in tables:
        if raw_spec(table).tier != "T1" or table in files or table == GAMEBOOK:
            continue
        if table == BDL and GAMEBOOK not in files:
            continue  # reported above
        problems.append(f"{table.split('.')[1]} is required: put {put(table)} in {folder}")
    if problems:
        raise RawInputError("; ".join(problems))


def _require_rows(files: dict[str, Path], reports: dict[str, FileReport]) -> None:
    """An empty file (zero bytes, or a header only) of a T1 table is an error, as a missing one
    is; an empty gamebook (BDL box scores only) or optional table is noted."""
    for table, path in files.items():
        file_report = reports.get(table)
        if file_report is None or file_report.rows_read:
            continue
        emptiness = "is empty (zero bytes)" if file_report.zero_bytes else "has a header but no rows"
        if raw_spec(table).tier == "T1" and table != GAMEBOOK:
            raise RawInputError(f"{path.name} {emptiness}; {table.split('.')[1]} is required: "
                                f"put its rows in the file (exported with a header line)")
        consequence = "using the BDL box scores only" if table == GAMEBOOK else f"{table} is empty"
        file_report.note(f"the file {emptiness}: {consequence}", severity="warning", kind="empty_file")


# --------------------------------------------------------------------------------------------
# reading one table


def _read_table(table: str, path: Path, seasons: list[int] | None, bad_values: BadValues,
                calendar: SeasonCalendar | None = None) -> tuple[pd.DataFrame, FileReport, set[str]]:
    """The table's rows from ``path`` in the seasons (all rows when ``seasons`` is None), indexed
    by their position in the file; its report; the contract columns the file lacked (filled with
    NULL or a default)."""
    spec = raw_spec(table)
    contract = spec.contract
    raw = open_raw_file(path)
    report = FileReport(table, path.name, unit=raw.unit, rows_read=len(raw.index),
                        zero_bytes=raw.header is None)
    for note in raw.notes:
        report.note(note, kind="encoding")
    if raw.header is None:
        return _empty(table), report, set(contract.column_names)

    columns = _match_columns(path, spec, raw.header, report)
    # rows that are not whole rows of the file: their values are not checked, only counted
    broken = raw.short_rows()
    if table == SCHEDULE and "game_id" in columns:
        broken.update(_exhibition_games(raw.text(columns["game_id"])))
    not_whole = pd.Series(False, index=raw.index)
    for mask in broken.values():
        not_whole |= mask
    values_check = _ValueCheck(path, report, bad_values, not_whole)
    out: dict[str, pd.Series] = {}
    for col in contract.columns:
        if col.name not in columns:
            out[col.name] = _default_column(table, col.name, col.type, raw.index)
            continue
        out[col.name] = _column(table, col.name, col.type, raw, columns[col.name], values_check, report)
    frame = pd.DataFrame(out, index=raw.index)
    if table == PLAY_BY_PLAY and "event_sequence" not in columns:
        frame["event_sequence"] = frame.groupby("game_id", dropna=False).cumcount().astype("Int64") + 1
        report.note("event_sequence numbered from the file's row order within each game", kind="derived_values")
    if table == SCHEDULE:
        frame["game_code"] = _with_game_codes(frame, report)

    filled = set(contract.column_names) - set(columns)
    frame = _quarantine(frame, spec, report, values_check, broken, raw.blank_rows(), unchecked=filled)
    if seasons is not None:
        frame = _restrict_to_seasons(table, frame, report, filled, seasons, calendar)
    return frame, report, filled


# NBA game id prefixes of games outside the competition (spec raw-inputs: 001 preseason,
# 003 all-star): a real schedule lists them, with teams such as the all-star selections that are
# no NBA team. They are counted and left out, not an error.
EXHIBITION_PREFIXES = {"001": "preseason", "003": "all-star"}


def _exhibition_games(game_ids: pd.Series) -> dict[str, pd.Series]:
    ids = game_ids.fillna("").astype(str).str.strip()
    return {f"{kind} game (not part of a season)": ids.str.startswith(prefix)
            for prefix, kind in EXHIBITION_PREFIXES.items() if ids.str.startswith(prefix).any()}


def _restrict_to_seasons(table: str, frame: pd.DataFrame, report: FileReport, filled: set[str],
                         seasons: list[int], calendar: SeasonCalendar | None) -> pd.DataFrame:
    """Rows of the seasons only; the others are counted (with example dates), not loaded."""
    date_column = raw_spec(table).contract.date_column
    if table in STATIC_TABLES or date_column in filled:
        return frame
    inside = season_of(frame[date_column], calendar).isin(seasons).fillna(False)
    outside = frame.loc[~inside, date_column]
    report.rows_outside_seasons = len(outside)
    report.outside_seasons_examples = [str(d) for d in sorted(outside.dropna().unique())[:EXAMPLES]]
    return frame[inside]


def _column(table: str, name: str, type_: str, raw: RawFile, source: str, check: "_ValueCheck",
            report: FileReport) -> pd.Series:
    """One contract column from the file's column ``source``: parsed as its type, then checked
    against the rules of its kind (counts, minutes, statuses, team codes)."""
    if (table, name) == (SCHEDULE, "game_status"):
        values = _game_status(raw.text(source), check, report)
    else:
        values, bad = raw.parse(source, type_)
        check.reject(name, EXPECTED.get(type_, "text"), bad, raw.text(source), f"bad {name} value")
    if type_ == "INT64" and name in NON_NEGATIVE:
        check.reject(name, "counts of zero or more", (values < 0).fillna(False), raw.text(source),
                     f"negative {name}")
    if name == "minutes" and table in MINUTES_OF:
        check.reject(name, minutes_expected(MINUTES_OF[table]), bad_minutes(values, MINUTES_OF[table]),
                     raw.text(source), "bad minutes value")
    if (table, name) == (GAMEBOOK, "player_status"):
        values = _player_status(values, check, report)
    if is_team_column(name):
        values = _check_teams(name, values, check, report)
    return values


class _ValueCheck:
    """Values breaking a rule: with ``bad_values="error"`` one RawInputError naming the file,
    column, lines and values; with ``"quarantine"`` their rows are collected (by reason) to be
    dropped and counted. Rows that are not whole rows of the file are skipped (counted apart)."""

    def __init__(self, path: Path, report: FileReport, bad_values: BadValues, skip: pd.Series):
        self.path, self.report, self.bad_values, self.skip = path, report, bad_values, skip
        self.rows: dict[str, pd.Index] = {}

    def reject(self, column: str, expected: str, bad: pd.Series, text: pd.Series, reason: str) -> None:
        bad = bad & ~self.skip
        if not bad.any():
            return
        if self.bad_values == "error":
            shown = text[bad]
            raise RawInputError(
                f"{self.path.name}: column '{column}' must hold {expected} but has {int(bad.sum())} "
                f"value(s) that are not, at {describe_rows(list(shown.index), list(shown), self.report.unit)}; "
                f"fix the file (an empty cell is NULL), or set raw.bad_values: quarantine to leave such "
                f"rows out and count them")
        self.rows[reason] = self.rows.get(reason, pd.Index([])).union(bad[bad].index)


def _game_status(text: pd.Series, check: _ValueCheck, report: FileReport) -> pd.Series:
    """game_status as its code; words (Final, Scheduled, ...) are mapped with a note."""
    codes, words, unknown = game_status_codes(text)
    if words:
        mapped = ", ".join(f"{k} ({n})" for k, n in words.items())
        report.note(f"game_status words mapped to codes: {mapped}", kind="derived_values")
    check.reject("game_status", GAME_STATUS_EXPECTED, unknown, text, "unknown game_status")
    values, bad = parse_text(codes.where(~unknown), "INT64")
    check.reject("game_status", GAME_STATUS_EXPECTED, bad, text, "unknown game_status")
    return values


def _player_status(values: pd.Series, check: _ValueCheck, report: FileReport) -> pd.Series:
    """active / dnp / inactive in lower case (the SQL keeps only 'active' rows, so 'Active'
    would silently drop a player); other words are bad values."""
    lower = values.str.strip().str.lower()
    changed = values.notna() & (lower != values)
    if changed.any():
        report.note(f"player_status lower-cased in {int(changed.sum())} row(s) "
                    f"(e.g. {values[changed].iloc[0]!r})", kind="derived_values")
    unknown = lower.notna() & ~lower.isin(PLAYER_STATUSES)
    check.reject("player_status", "active, dnp or inactive", unknown, values, "unknown player_status")
    return lower


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
    wanted = set(columns.values())
    extra = [str(n) for n in header if n not in wanted]
    if fatal:
        def described(column: str, why: str) -> str:
            closest = closest_column(column, extra)
            return f"'{column}' ({why}{f'; is it the column {closest!r}?' if closest else ''})"

        listed = ", ".join(described(c, why) for c, why in fatal)
        raise RawInputError(
            f"{path.name}: missing column{'s' if len(fatal) > 1 else ''} {listed}; add or rename "
            f"{'them' if len(fatal) > 1 else 'it'} in the header line (columns of {contract.table}: "
            f"{', '.join(contract.column_names)})")
    if missing:
        # a core table without a column has consequences worth a warning; elsewhere a detail
        report.note(f"missing non-critical columns filled with NULL: {', '.join(missing)}",
                    severity="warning" if spec.tier in ("T1", "T2") else "info",
                    kind="null_columns", count=len(missing), examples=missing)
        log.info("%s: missing non-critical columns filled with NULL: %s", path.name, ", ".join(missing))
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


def _check_teams(column: str, values: pd.Series, check: _ValueCheck, report: FileReport) -> pd.Series:
    values, variants = normalise_teams(values)
    if variants:
        mapped = ", ".join(f"{k} ({n})" for k, n in variants.items())
        report.note(f"{column}: team codes mapped {mapped}", kind="derived_values")
        log.info("%s: %s: team codes mapped to NBA tricodes: %s", report.file, column, mapped)
    unknown = unknown_teams(values) & ~check.skip
    if unknown.any() and check.bad_values == "error":
        bad = values[unknown]
        codes = sorted(bad.unique())
        raise RawInputError(
            f"{report.file}: column '{column}' holds team code{'s' if len(codes) > 1 else ''} "
            f"{', '.join(repr(c) for c in codes[:10])} that "
            f"{'are' if len(codes) > 1 else 'is'} not among the 30 NBA tricodes, at "
            f"{describe_rows(list(bad.index), list(bad), report.unit)}; use NBA tricodes "
            f"(ATL, BOS, BKN, ..., WAS; see nbaprops/data/teams.csv)")
    check.reject(column, "NBA tricodes", unknown, values, f"unknown team in {column}")
    return values


def _with_game_codes(frame: pd.DataFrame, report: FileReport) -> pd.Series:
    """``game_code`` as given, else ``YYYYMMDD/AWYHOM`` from the date and the tricodes."""
    derived = (pd.to_datetime(frame["game_date"]).dt.strftime("%Y%m%d") + "/"
               + frame["away_team_tricode"] + frame["home_team_tricode"])
    missing = frame["game_code"].isna() & derived.notna()
    if missing.any():
        report.note(f"game_code derived from game_date and tricodes for {int(missing.sum())} rows",
                    kind="derived_values")
    return frame["game_code"].where(~missing, derived)


def _quarantine(frame: pd.DataFrame, spec: RawTableSpec, report: FileReport, check: _ValueCheck,
                broken: dict[str, pd.Series], blank: pd.Series | None,
                *, unchecked: set[str]) -> pd.DataFrame:
    """Drop (and count) blank lines, rows that are not whole rows of the file, rows with
    unusable values (``bad_values="quarantine"``), rows with a NULL key (a REQUIRED column the
    file has), played rows without their stats, exact copies of an earlier row, and rows that
    share a key with different values (``"quarantine"``; else an error naming both lines)."""
    dropped = pd.Series(False, index=frame.index)

    def drop(reason: str, mask: pd.Series) -> None:
        mask = mask & ~dropped
        report.quarantine(reason, mask[mask].index)
        dropped.loc[mask] = True

    if blank is not None:
        drop("empty line", blank)
    for reason, mask in broken.items():
        drop(reason, mask)
    for reason, where in check.rows.items():
        drop(reason, pd.Series(frame.index.isin(where), index=frame.index))
    for col in spec.contract.columns:
        if col.required and col.name not in unchecked:
            drop(f"missing {col.name}", frame[col.name].isna())
    table = spec.contract.table
    if table in PLAYED_REQUIRES:
        played = (frame["player_status"] == "active").fillna(False) if table == GAMEBOOK \
            else pd.Series(True, index=frame.index)
        for column in PLAYED_REQUIRES[table]:
            if column not in unchecked:
                drop(f"missing {column} of a played row", played & frame[column].isna())
    kept = frame[~dropped]
    # A re-load of the same row differs only in when it was loaded: still a copy.
    data = [c for c in kept.columns if c not in LOAD_METADATA or c in spec.contract.primary_key]
    duplicate = kept.duplicated(subset=data, keep="first")
    report.quarantine("duplicate row", duplicate[duplicate].index)
    return _conflicting_duplicates(kept[~duplicate], spec, report, check)


def _conflicting_duplicates(frame: pd.DataFrame, spec: RawTableSpec, report: FileReport,
                            check: _ValueCheck) -> pd.DataFrame:
    """Rows with the same key but different values: which one is right is unknown, so every
    row of such a key is quarantined (``"quarantine"``), or the first pair is named (error)."""
    table = spec.contract.table
    key = [*spec.contract.primary_key, *ROW_IDENTITY_EXTRA.get(table, ())]
    if frame.empty:
        return frame
    clash = frame.duplicated(key, keep=False)
    if not clash.any():
        return frame
    if check.bad_values == "error":
        rows = frame[clash]
        first = rows.iloc[0]
        same = rows[rows[key].astype(object).eq(first[key].astype(object)).all(axis=1)]
        a, b = same.index[0], same.index[1]
        differ = [c for c in frame.columns if c not in key and _differs(frame.at[a, c], frame.at[b, c])]
        shown = ", ".join(f"{c} {frame.at[a, c]!s} vs {frame.at[b, c]!s}" for c in differ[:3])
        keyed = ", ".join(f"{c} {first[c]!s}" for c in key)
        groups = rows.groupby(key, dropna=False).ngroups
        raise RawInputError(
            f"{report.file}: {report.unit}s {a} and {b} have the same key ({keyed}) but different "
            f"values ({shown}); keep the right row and delete the other "
            f"({groups} such key(s) in the file)")
    report.quarantine("conflicting duplicate (same key, different values)", clash[clash].index)
    return frame[~clash]


def _differs(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return not (pd.isna(a) and pd.isna(b))
    return a != b


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


def _note_absent(report: FileReport, note: str, severity: str = "info") -> None:
    report.note(note, severity=severity, kind="table_absent")
    log.info("%s: no file; %s", report.table, note)


def _complete_registry(given: pd.DataFrame, gamebook: pd.DataFrame, bdl: pd.DataFrame,
                       calendar: SeasonCalendar | None = None) -> pd.DataFrame:
    """A registry file of ids only: seasons, teams and first dates from the box scores, the
    file's ids (and names) where it has the player."""
    derived = derive_registry(gamebook, bdl, calendar)
    ids = given.drop_duplicates("player_lookup").set_index("player_lookup")
    known = derived["player_lookup"].isin(ids.index)
    derived.loc[known, "universal_player_id"] = derived.loc[known, "player_lookup"].map(
        ids["universal_player_id"])
    names = derived["player_lookup"].map(ids["player_name"])
    derived["player_name"] = names.where(names.notna(), derived["player_name"])
    return _conformable(REGISTRY, derived)
