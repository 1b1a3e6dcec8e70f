"""The similarity system's historical games (spec phase5-6 §1.3), from real data.

For a prediction on D: the player's games in [D - 90, D), the newest 30, newest first. Each game
carries the context it was played in, on the same definitions as today's context (quirk 6 fixed):

* rest = days since the player's previous game (the original measured the rest *after* the game);
* opponent tier = the opponent_def_rating of the player's feature-store row of that date (the
  original made every opponent average), average when that date has no row (bootstrap days);
* venue = the game's real home flag (the original: always home);
* form = L5 - season average of that date's feature-store row, i.e. known before that game (the
  original compared with the games *after* it); normal without a row.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from typing import Mapping

from nbaprops.predictions.features import FEATURE_VERSION
from nbaprops.predictions.participation import played_sql
from nbaprops.predictions.systems.similarity import Context, HistoricalGame, form, opponent_tier, rest_bucket

LOOKBACK_DAYS = 90
MAX_GAMES = 30
REST_WINDOW_DAYS = 30  # a previous game further back counts as none (as the context's days_rest)
# The rest of the oldest game in the window needs the game before it.
READ_LOOKBACK_DAYS = LOOKBACK_DAYS + REST_WINDOW_DAYS

# Only games the player played count (the one definition, nbaprops.predictions.participation).
HISTORY_SQL = f"""
with player_game_summary as (
  select summary.player_lookup, summary.game_date, summary.points, summary.home_game,
    lag(summary.game_date) over (partition by summary.player_lookup order by summary.game_date) as previous_game_date
  from nba_analytics.player_game_summary as summary
  where summary.game_date between @read_start and @end_date and {played_sql("summary")}
),
ml_feature_store_v2 as (
  select store.player_lookup, store.game_date, store.opponent_def_rating, store.points_avg_last_5,
    store.points_avg_season
  from nba_predictions.ml_feature_store_v2 as store
  where store.game_date between @history_start and @end_date and store.feature_version = @feature_version
)
select games.player_lookup, games.game_date, games.points, games.home_game,
  date_diff(games.game_date, games.previous_game_date, day) as days_rest,
  store.opponent_def_rating, store.points_avg_last_5, store.points_avg_season
from player_game_summary as games
left join ml_feature_store_v2 as store
  on store.player_lookup = games.player_lookup and store.game_date = games.game_date
where games.game_date >= @history_start
order by games.player_lookup, games.game_date
"""


def query_params(start: dt.date, end: dt.date) -> dict:
    return {"read_start": start - dt.timedelta(days=READ_LOOKBACK_DAYS),
            "history_start": start - dt.timedelta(days=LOOKBACK_DAYS), "end_date": end,
            "feature_version": FEATURE_VERSION}


class Histories:
    """Every loaded game per player, ascending; ``for_date`` slices one prediction's history."""

    def __init__(self, rows: list[Mapping]):
        self._dates: dict[str, list[dt.date]] = defaultdict(list)
        self._games: dict[str, list[HistoricalGame]] = defaultdict(list)
        for r in rows:  # ordered by player, date
            rest = r["days_rest"]
            rest = int(rest) if rest is not None and rest <= REST_WINDOW_DAYS else None
            context = Context(opponent_tier(r["opponent_def_rating"]), rest_bucket(rest),
                              bool(r["home_game"]), form(r["points_avg_last_5"], r["points_avg_season"]))
            self._dates[r["player_lookup"]].append(r["game_date"])
            self._games[r["player_lookup"]].append(HistoricalGame(float(r["points"] or 0), context))

    @classmethod
    def load(cls, wh, start: dt.date, end: dt.date) -> Histories:
        return cls(wh.query_arrow(HISTORY_SQL, query_params(start, end)).to_pylist())

    def for_date(self, player: str, day: dt.date) -> list[HistoricalGame]:
        """The player's games in [day - 90, day), newest first, at most 30."""
        dates = self._dates.get(player, [])
        lo = bisect.bisect_left(dates, day - dt.timedelta(days=LOOKBACK_DAYS))
        hi = bisect.bisect_left(dates, day)
        lo = max(lo, hi - MAX_GAMES)
        return self._games[player][lo:hi][::-1]
