"""Checking and converting a user's raw values against the raw contracts.

The contract ymls say each column's type; the raw ones also say which columns are ``critical``
(a user file lacking one is rejected) and the table's ``tier`` (T1 must exist). Values are
converted per the contract, never by type inference: a CSV is read as text, and each column is
parsed as exactly its declared type. A value that does not parse is reported with the file, the
column, its line numbers and the values themselves.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from nbaprops import yamltext

from nbaprops.contracts import TableContract, load_contract


class RawInputError(ValueError):
    """A user's raw input is unusable; the message says what, where (file, column, lines) and
    what to do."""


# Codes other feeds use for the same franchises (Basketball-Reference, ESPN) → NBA tricode.
TEAM_VARIANTS = {
    "BRK": "BKN", "CHO": "CHA", "PHO": "PHX",
    "GS": "GSW", "NY": "NYK", "NO": "NOP", "SA": "SAS", "UTAH": "UTA", "WSH": "WAS",
}

# Non-text columns also take these (case-insensitive) as NULL: what R, pandas and spreadsheets
# write for a missing number or date. Text columns take only the empty string as NULL.
NULL_TOKENS = frozenset({"", "null", "none", "nan", "na", "nat", "n/a"})
TRUE_TOKENS = frozenset({"true", "1", "yes"})
FALSE_TOKENS = frozenset({"false", "0", "no"})

# BigQuery's INT64 range; a larger number would wrap around (to -9.2e18) instead of failing.
INT64_MAX = 2**63 - 1

EXPECTED = {
    "INT64": "whole numbers (at most 9223372036854775807 in size)",
    "FLOAT64": "numbers",
    "BOOL": "booleans (true/false, 1/0, yes/no)",
    "DATE": "dates (YYYY-MM-DD)",
    "TIMESTAMP": "ISO-8601 timestamps (e.g. 2024-01-05T19:30:00Z; no zone = UTC)",
}


@dataclass(frozen=True)
class RawTableSpec:
    """What the raw loader needs of one contract beyond contracts.TableContract."""

    contract: TableContract
    tier: str
    critical: frozenset[str]

    @property
    def required(self) -> frozenset[str]:
        return frozenset(c.name for c in self.contract.columns if c.required)


@functools.lru_cache(maxsize=None)
def raw_spec(table: str) -> RawTableSpec:
    """Contract plus the raw-only yml keys (``tier``, per-column ``critical``)."""
    contract = load_contract(table)
    doc = yamltext.safe_load(contract.path.read_text()) or {}
    critical = frozenset(c["name"] for c in doc.get("columns", []) if c.get("critical"))
    return RawTableSpec(contract, str(doc.get("tier", "T3")).upper(), critical)


@functools.lru_cache(maxsize=None)
def nba_tricodes() -> frozenset[str]:
    """The 30 NBA tricodes (nbaprops/data/teams.csv)."""
    from nbaprops.travel import teams

    return frozenset(teams()["team_abbr"])


def is_team_column(name: str) -> bool:
    """Columns holding a team tricode: ``team``, ``*_tricode``, ``*team_abbr``, ``*_team``."""
    return name == "team" or name.endswith(("_tricode", "team_abbr", "_team"))


def _null_mask(text: pd.Series, tokens: frozenset[str]) -> pd.Series:
    if tokens == frozenset({""}):
        return text.isna() | (text == "")
    return text.isna() | text.str.lower().isin(tokens)


def parse_text(text: pd.Series, type_: str) -> tuple[pd.Series, pd.Series]:
    """(values of ``type_``, mask of values that are present but do not parse) for a column of
    text. Surrounding blanks are ignored; the empty string is NULL."""
    text = text.astype("str").str.strip()
    if type_ in ("STRING", "JSON"):
        null = _null_mask(text, frozenset({""}))
        return text.where(~null), pd.Series(False, index=text.index)
    null = _null_mask(text, NULL_TOKENS)
    present = text.where(~null)
    if type_ in ("INT64", "FLOAT64"):
        number = pd.to_numeric(present, errors="coerce")
        finite = pd.Series(np.isfinite(number.to_numpy(dtype=float, na_value=np.nan)), index=text.index)
        if type_ == "FLOAT64":
            return number.astype("float64").where(finite), ~null & ~finite
        return _int64(present, number.where(finite), null)
    if type_ == "BOOL":
        lower = present.str.lower()
        values = pd.Series(pd.NA, index=text.index, dtype="boolean")
        values[lower.isin(TRUE_TOKENS)] = True
        values[lower.isin(FALSE_TOKENS)] = False
        return values, ~null & values.isna()
    if type_ == "DATE":
        parsed = pd.to_datetime(present, format="%Y-%m-%d", errors="coerce")
        return _dates(parsed), ~null & parsed.isna()
    if type_ == "TIMESTAMP":
        # BigQuery exports write "2024-01-05 19:30:00 UTC"; ISO-8601 spells that zone "+00:00".
        iso = present.str.replace(r"\s*UTC$", "+00:00", regex=True, flags=re.IGNORECASE)
        parsed = pd.to_datetime(iso, format="ISO8601", utc=True, errors="coerce")
        return parsed.astype("datetime64[us, UTC]"), ~null & parsed.isna()
    raise RawInputError(f"columns of type {type_} cannot be read from a raw file")


def _int64(text: pd.Series, number: pd.Series, null: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(INT64 values, mask of values that are not whole numbers within INT64). Beyond 2**53 a
    float is not exact (and 2**63 would wrap around to -9.2e18), so large values are converted
    from their text, as Python integers."""
    large = (number.abs() >= 2.0**53).fillna(False)
    whole = (number % 1 == 0).fillna(False) & ~large
    values = number.where(whole).astype("Float64").astype("Int64")
    for i in large[large].index:
        exact = _exact_integer(text[i])
        if exact is not None and -INT64_MAX - 1 <= exact <= INT64_MAX:
            values[i], whole[i] = exact, True
    return values, ~null & ~whole


def _exact_integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def _dates(parsed: pd.Series) -> pd.Series:
    """datetime64 → object column of datetime.date (None for NULL)."""
    return parsed.dt.date.astype(object).where(parsed.notna(), None)


def parse_arrow(array: pa.ChunkedArray, type_: str, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """Like :func:`parse_text` for a typed (Parquet) column: native types convert directly,
    anything else goes through its text form (so "abc" in an INT64 column is reported, and a
    text column of dates is parsed exactly like a CSV one)."""
    t = array.type
    if pa.types.is_dictionary(t):
        array = array.cast(t.value_type)
        t = array.type
    no_bad = pd.Series(False, index=index)
    if pa.types.is_null(t):
        return parse_text(pd.Series([None] * len(index), index=index, dtype="str"), type_)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return parse_text(_series(array, index), type_)
    numeric = pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)
    if type_ == "INT64" and numeric:
        if pa.types.is_integer(t):
            if pa.types.is_uint64(t):  # above INT64_MAX it would wrap around
                too_large = _series(pc.greater(array, pa.scalar(INT64_MAX, pa.uint64())), index)
                too_large = too_large.fillna(False).astype(bool)
                kept = pc.if_else(pc.greater(array, pa.scalar(INT64_MAX, pa.uint64())), None, array)
                return _series(kept.cast(pa.int64()), index).astype("Int64"), too_large
            return _series(array, index).astype("Int64"), no_bad
        number = _series(pc.cast(array, pa.float64()), index).astype("float64")
        whole = np.isfinite(number) & (number % 1 == 0) & (number.abs() < 2.0**63)
        return number.where(whole).astype("Float64").astype("Int64"), number.notna() & ~whole
    if type_ == "FLOAT64" and numeric:
        return _series(pc.cast(array, pa.float64()), index).astype("float64"), no_bad
    if type_ == "BOOL" and pa.types.is_boolean(t):
        return _series(array, index).astype("boolean"), no_bad
    if type_ == "DATE" and (pa.types.is_date(t) or pa.types.is_timestamp(t)):
        parsed = pd.to_datetime(_series(array, index))
        if parsed.dt.tz is not None:
            parsed = parsed.dt.tz_localize(None)
        return _dates(parsed), no_bad
    if type_ == "TIMESTAMP" and (pa.types.is_timestamp(t) or pa.types.is_date(t)):
        parsed = pd.to_datetime(_series(array, index))
        parsed = parsed.dt.tz_localize("UTC") if parsed.dt.tz is None else parsed.dt.tz_convert("UTC")
        return parsed.astype("datetime64[us, UTC]"), no_bad
    try:
        text = pc.cast(array, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = pd.Series([None] * len(index), index=index, dtype=object)
        return values, pd.Series(array.is_valid().to_numpy(zero_copy_only=False), index=index)
    return parse_text(_series(text, index), type_)


def _series(array: pa.ChunkedArray, index: pd.Index) -> pd.Series:
    out = array.to_pandas()
    out.index = index
    return out


def normalise_teams(values: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """Team codes upper-cased and mapped to NBA tricodes where they are a known variant;
    returns the codes and how many values each variant (``"BRK→BKN"``) replaced."""
    upper = values.str.upper()
    mapped = upper.replace(TEAM_VARIANTS)
    changed = values.notna() & (mapped != values)
    counts = {f"{a}→{b}": int(n) for (a, b), n in
              pd.DataFrame({"a": values[changed], "b": mapped[changed]}).value_counts().items()}
    return mapped, counts


def unknown_teams(values: pd.Series) -> pd.Series:
    """Mask of non-NULL codes that are not one of the 30 NBA tricodes."""
    return values.notna() & ~values.isin(nba_tricodes())


def describe_rows(where: list[int], values: list | None = None, unit: str = "line", limit: int = 5) -> str:
    """'lines 3, 7 (values 'abc', 'x')' — the first ``limit`` positions and their values."""
    shown = where[:limit]
    text = f"{unit}{'s' if len(shown) > 1 else ''} {', '.join(str(w) for w in shown)}"
    if values is not None:
        text += f" (value{'s' if len(shown) > 1 else ''} {', '.join(repr(v) for v in values[:limit])})"
    if len(where) > limit:
        text += f" and {len(where) - limit} more"
    return text


# --------------------------------------------------------------------------------------------
# value rules beyond the type (the SQL downstream would otherwise turn these into NULLs or
# impossible numbers without a trace)

# Counts of a box score (and scores, distances): a negative one is a broken row. Not in this
# set: plus_minus, American prices and minutes_before_tipoff, which are legitimately negative.
NON_NEGATIVE = frozenset({
    "points", "assists", "rebounds", "total_rebounds", "offensive_rebounds", "defensive_rebounds",
    "steals", "blocks", "turnovers", "personal_fouls",
    "field_goals_made", "field_goals_attempted", "three_pointers_made", "three_pointers_attempted",
    "free_throws_made", "free_throws_attempted", "fg_made", "fg_attempted", "three_pt_made",
    "three_pt_attempted", "ft_made", "ft_attempted", "home_team_score", "away_team_score",
    "distance_miles",
})

# "MM:SS" (seconds 00-59) or a plain number of minutes: what the staging SQL can read.
_MINUTES = re.compile(r"^(\d+):([0-5]?\d)$|^(\d+(?:\.\d+)?)$")
# A player plays at most a whole game of six overtimes; a team five players' worth of that.
MAX_MINUTES = {"player": 48 + 6 * 5, "team": 5 * (48 + 6 * 5)}


def bad_minutes(text: pd.Series, who: str) -> pd.Series:
    """Mask of non-NULL minutes that are not "MM:SS" / a number, or exceed what a ``who``
    ("player" or "team") can play (``"99:59"`` for a player)."""
    parts = text.str.extract(_MINUTES)
    whole = pd.to_numeric(parts[0], errors="coerce") + pd.to_numeric(parts[1], errors="coerce") / 60
    minutes = whole.fillna(pd.to_numeric(parts[2], errors="coerce"))
    return text.notna() & ~(minutes <= MAX_MINUTES[who]).fillna(False)


def minutes_expected(who: str) -> str:
    return (f"minutes as MM:SS (seconds 00-59) or a number of minutes, at most "
            f"{MAX_MINUTES[who]}:00 for a {who}")


# The schedule's game_status codes (1 scheduled, 2 live, 3 final) and the words feeds use for
# them. A postponed game is not played on its date: it is "not final", like a scheduled one.
GAME_STATUS_WORDS = {
    "scheduled": 1, "postponed": 1, "pre-game": 1, "pregame": 1,
    "in progress": 2, "live": 2, "halftime": 2,
    "final": 3, "final/ot": 3, "completed": 3,
}
GAME_STATUS_CODES = frozenset({1, 2, 3})


def game_status_codes(text: pd.Series) -> tuple[pd.Series, dict[str, int], pd.Series]:
    """(codes as text, how many values each word replaced, mask of unknown words). Numbers are
    left to the INT64 parser; words (any case) become their codes."""
    stripped = text.str.strip()
    lower = stripped.str.lower().str.replace(r"\s+", " ", regex=True)
    words = lower.map(GAME_STATUS_WORDS)
    is_word = words.notna()
    numeric = pd.to_numeric(stripped, errors="coerce")
    unknown = stripped.notna() & (stripped != "") & ~is_word & numeric.isna()
    unknown |= numeric.notna() & ~numeric.isin(GAME_STATUS_CODES)
    counts = {f"{w}→{int(c)}": int(n) for (w, c), n in
              pd.DataFrame({"w": stripped[is_word], "c": words[is_word]}).value_counts().items()}
    codes = stripped.where(~is_word, words.astype("Int64").astype("str"))
    return codes, counts, unknown


GAME_STATUS_EXPECTED = ("1 (scheduled), 2 (live) or 3 (final), or the words Final, Scheduled, "
                        "In Progress, Postponed (any case)")

PLAYER_STATUSES = frozenset({"active", "dnp", "inactive"})


def closest_column(missing: str, candidates: list[str]) -> str | None:
    """The file's column most like a missing contract column (``pts`` for ``points``)."""
    import difflib

    lowered = {str(c).strip().lower(): str(c) for c in candidates}
    abbreviations = {"pts": "points", "ast": "assists", "reb": "rebounds", "stl": "steals",
                     "blk": "blocks", "tov": "turnovers", "pf": "personal_fouls", "min": "minutes",
                     "mins": "minutes", "date": "game_date"}
    for short, full in abbreviations.items():
        if full == missing and short in lowered:
            return lowered[short]
    close = difflib.get_close_matches(missing, list(lowered), n=1, cutoff=0.5)
    return lowered[close[0]] if close else None
