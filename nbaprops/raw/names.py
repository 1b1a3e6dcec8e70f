"""Player names → keys: the one normaliser every source's names go through.

``player_lookup`` is the key every table joins on (raw-inputs §3.3): lower case, diacritics
stripped (Unicode NFKD, combining marks dropped), then everything but a–z and 0–9 removed.
Generational suffixes are *kept* ("jimmybutleriii"), as in the original's box scores, so the
lookups of every table ever written stay valid.

``name_key`` is the looser key a prop is matched by when its lookup names no box-score player of
the date: ``player_lookup`` without a trailing generational suffix (Jr., Sr., II, III, IV), so
"Jaren Jackson" and "Jaren Jackson Jr." meet. The staging SQL (sql/nba_staging/
player_prop_lines.sql) strips the same ``NAME_KEY_SUFFIX`` from lookups (a test holds the two
together); it works on lookups, where the suffix is no longer a separate word, so it is applied
only when the exact lookup fails and only where it names one player of the date.
"""
from __future__ import annotations

import re
import unicodedata

import pandas as pd

# The generational suffixes a lookup may end with (longest alternatives first is not needed:
# the regex engine tries "iii" when "ii" leaves characters before the end).
NAME_KEY_SUFFIX = r"(jr|sr|ii|iii|iv)$"
_SUFFIX = re.compile(NAME_KEY_SUFFIX)
_NOT_KEY = re.compile(r"[^a-z0-9]")


def player_lookup(name: str) -> str:
    """Normalised name key: "Luka Dončić" → "lukadoncic", "P.J. Washington" → "pjwashington",
    "Jaren Jackson Jr." → "jarenjacksonjr" (suffix kept). Idempotent on a lookup."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_KEY.sub("", stripped)


def name_key(name: str) -> str:
    """``player_lookup`` without a trailing generational suffix: "Gary Payton II" → "garypayton"."""
    return _SUFFIX.sub("", player_lookup(name))


def player_lookups(values: pd.Series) -> pd.Series:
    """``player_lookup`` of every non-NULL value (NULL stays NULL); each distinct value is
    normalised once."""
    distinct = values.dropna().unique()
    return values.map({v: player_lookup(str(v)) for v in distinct})
