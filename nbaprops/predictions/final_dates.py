"""The dates a model may learn from: final dates only (issue 12).

A date is *final* when every game on it, other than config ``excluded_games``, is final in the raw
schedule (game_status 3). The training job (XGBoost, the ensemble's slice, the market model) drops
every other date before its window: a date with a game still scheduled or live has only some of
its box scores, and a model trained on a half-played date would differ from the one the backfill
trains once the date is complete. When the date goes final its box scores change Phase 3, whose
chunk markers are the training job's inputs, so the month retrains with the whole date.
"""
from __future__ import annotations

import datetime as dt
from typing import Collection, Mapping

import numpy as np

# Games not final before a day, under both their ids (the source's, and D6's YYYYMMDD_AWAY_HOME).
NOT_FINAL_SQL = """
select schedule.game_date, schedule.game_id,
  concat(format_date('%Y%m%d', schedule.game_date), '_', schedule.away_team_tricode, '_',
    schedule.home_team_tricode) as game_key
from nba_raw.nbac_schedule as schedule
where schedule.game_date < @before and schedule.game_status <> 3
"""


def excluded_ids(config: Mapping) -> frozenset[str]:
    """Config ``excluded_games`` (postponed, forfeited): their ids, the date-based key or the source's."""
    return frozenset(str(g["game_id"]) for g in config.get("excluded_games") or [])


def nonfinal_dates(wh, before: dt.date, excluded: Collection[str] = ()) -> frozenset[dt.date]:
    """Dates before ``before`` with a game that is not final (excluded games aside)."""
    rows = wh.query_arrow(NOT_FINAL_SQL, {"before": before}).to_pylist()
    return frozenset(r["game_date"] for r in rows
                     if str(r["game_id"]) not in excluded and r["game_key"] not in excluded)


def final_rows(dates: np.ndarray, nonfinal: Collection[dt.date]) -> np.ndarray:
    """Boolean mask of the rows of ``dates`` (datetime64[D]) on final dates."""
    if not nonfinal:
        return np.ones(len(dates), dtype=bool)
    return ~np.isin(dates, np.array(sorted(nonfinal), dtype="datetime64[D]"))
