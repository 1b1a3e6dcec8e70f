"""Did a player play a game? The one definition, for Python.

SQL decides it once, in ``nba_staging.player_boxscores.played`` (passed on as
``nba_analytics.player_game_summary.played``); every SQL consumer — grading's ``is_dnp``, the
player context's history, the Phase 4 windows — and every query below reads that column.
:func:`played` is the same rule for rows already in Python; a test holds the two together.

Before this there were five rules: grading voided only a missing row or 0 minutes, the player
context counted a 0-minute 0-point row as a game, the feature store used this rule, and the
similarity history and XGBoost training counted every box-score row.
"""
from __future__ import annotations

import math

# The condition on a player_game_summary alias that keeps the games a player played.
PLAYED_SQL = "{alias}.played"


def played(minutes: float | None, points: float | None) -> bool:
    """A box-score row is a game played when it has minutes (> 0), or points (> 0) when its
    minutes are missing or 0; otherwise the player did not play (DNP)."""
    return _positive(minutes) or _positive(points)


def played_sql(alias: str) -> str:
    """``PLAYED_SQL`` for a player_game_summary alias, e.g. ``played_sql("summary")``."""
    return PLAYED_SQL.format(alias=alias)


def _positive(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value > 0
