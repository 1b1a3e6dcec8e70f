"""Each system's betting record per season, measured like with like (DESIGN D14).

For every system and season (and all seasons):

* ``lined``: its MAE on the player-games with a real line where it made a real prediction, beside
  the consensus line's MAE on exactly those player-games (``betting.like_with_like``);
* ``fallback``: its fallback rows (``prediction_accuracy.is_fallback``: XGBoost's month without a
  model, similarity's < 5 similar games, the line-aware system's line-free fallback) counted and
  measured apart — never in the MAE above;
* ``picks``: OVER / UNDER calls on a real line, graded (WIN / LOSS / PUSH) and void (the player
  did not play); the hit rate with its Wilson 95 % interval; ROI in units at the pick's stored
  consensus price (-110 where none is stored) with its 95 % interval; closing-line value (the
  consensus line's move from opening to closing, nba_staging.player_prop_lines);
* ``probability``: where the system gives P(over), its Brier score and calibration by decile on
  the lined player-games decided over or under.

The warehouse aggregates the graded rows to counts and sums per season, system and cell (three
queries, both backends); ``nbaprops.report.betting`` turns them into the numbers.

    record = betting_record(wh, start, end)   # JSON-ready list of rows
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Mapping

from nbaprops.contracts import load_contract
from nbaprops.report import betting
from nbaprops.seasons import season_label

GRADED = "nba_predictions.prediction_accuracy"
PREDICTIONS = "nba_predictions.player_prop_predictions_base"
LINES = "nba_staging.player_prop_lines"
ALL_SEASONS = "all"

# The prices and probabilities of branch `market` (the line-aware system and the priced consensus
# lines), named in this one place: each is read from the first of the graded rows, the base
# predictions (joined on date, player and system) and the consensus lines whose contract declares
# it; a name no contract declares reads as NULL (no P(over); a pick without a price settles at -110).
MARKET_COLUMNS: Mapping[str, str] = {
    "p_over": "p_over",  # P(actual > line) from the predictive distribution (market_xgboost_v1)
    "pick_price": "consensus_price_american",  # the recommended side's consensus price (market_xgboost_v1)
    "over_price": "consensus_over_price_american",  # the consensus lines' over price (every system's picks)
    "under_price": "consensus_under_price_american",  # ... and under price
}
_TYPES = {"p_over": "float64", "pick_price": "float64", "over_price": "float64", "under_price": "float64"}
_SOURCES = (  # (table, alias in _ROWS, join)
    (GRADED, "graded", ""),
    (PREDICTIONS, "predictions", """left join nba_predictions.player_prop_predictions_base as predictions
    on predictions.game_date = graded.game_date and predictions.player_lookup = graded.player_lookup
    and predictions.system_id = graded.system_id and predictions.game_date between @start_date and @end_date"""),
    (LINES, "lines", ""),  # always joined: the opening line
)

_ROWS = """
select
    season_calendar.season_year as season,
    graded.system_id as name,
    graded.is_fallback,
    graded.absolute_error,
    graded.actual_points,
    graded.line_value,
    graded.recommendation,
    graded.outcome,
    lines.opening_points_line,
    lines.current_points_line,
    {p_over} as p_over,
    coalesce({pick_price},
        case graded.recommendation when 'OVER' then {over_price} when 'UNDER' then {under_price} end) as price
from nba_predictions.prediction_accuracy as graded
left join nba_staging.season_calendar as season_calendar
    on season_calendar.game_date = graded.game_date
left join nba_staging.player_prop_lines as lines
    on lines.game_date = graded.game_date and lines.player_lookup = graded.player_lookup
{join_predictions}
where graded.game_date between @start_date and @end_date"""

# Errors of players who played: all, and on lined player-games beside the line's own error.
_ERRORS = """
with graded as ({rows})
select season, name, is_fallback,
    count(absolute_error) as games,
    sum(absolute_error) as absolute_error_sum,
    countif(line_value is not null and absolute_error is not null) as lined_games,
    sum(if(line_value is not null, absolute_error, null)) as lined_absolute_error_sum,
    sum(if(line_value is not null and absolute_error is not null, abs(line_value - actual_points), null))
        as line_absolute_error_sum
from graded
group by 1, 2, 3"""

# Picks: OVER/UNDER on a real line, by outcome (NULL = void: the player did not play), price and
# the line's move from opening to closing.
_PICKS = """
with graded as ({rows})
select season, name, recommendation as side, outcome, price,
    sign(current_points_line - opening_points_line) as line_move_sign,
    count(*) as picks,
    sum(current_points_line - opening_points_line) as line_move_sum
from graded
where recommendation in ('OVER', 'UNDER') and line_value is not null and not is_fallback
group by 1, 2, 3, 4, 5, 6"""

# P(over) on lined player-games decided over or under (a push is neither), by decile.
_PROBABILITIES = """
with graded as ({rows})
select season, name,
    least(9, cast(floor(round(p_over * 10, 9)) as int64)) as decile,
    count(*) as games,
    sum(p_over) as p_sum,
    countif(actual_points > line_value) as overs,
    sum(pow(p_over - if(actual_points > line_value, 1, 0), 2)) as squared_error_sum
from graded
where p_over is not null and line_value is not null and actual_points is not null
    and actual_points <> line_value and not is_fallback
group by 1, 2, 3"""


def _column(key: str, name: str) -> tuple[str, str]:
    """(SQL expression, join it needs) of market column ``key`` named ``name``."""
    for table, alias, join in _SOURCES:
        if name in load_contract(table).column_names:
            return f"{alias}.{name}", join
    return f"cast(null as {_TYPES[key]})", ""


def rows_sql(columns: Mapping[str, str] = MARKET_COLUMNS) -> str:
    """The graded rows the three aggregates read, with the market ``columns`` resolved."""
    resolved = {key: _column(key, columns[key]) for key in _TYPES}
    joins = "\n".join(dict.fromkeys(join for _, join in resolved.values() if join))
    return _ROWS.format(join_predictions=joins, **{key: sql for key, (sql, _) in resolved.items()})


def _season(value) -> str:
    return season_label(int(value))


def _frames(wh, start: dt.date, end: dt.date, columns: Mapping[str, str]):
    rows = rows_sql(columns)
    params = {"start_date": start, "end_date": end}
    errors = wh.query(_ERRORS.format(rows=rows), params)
    if errors["season"].isna().any():
        raise ValueError(f"graded dates in {start}..{end} are missing from nba_staging.season_calendar; "
                         "build Phase 3 for the range first (snakemake --cores 2 all)")
    return (errors, wh.query(_PICKS.format(rows=rows), params), wh.query(_PROBABILITIES.format(rows=rows), params))


def _none_if_nan(value):
    return None if value is None or value != value else value


def betting_record(wh, start: dt.date, end: dt.date, columns: Mapping[str, str] = MARKET_COLUMNS) -> list[dict]:
    """One row per season (and ``all``) and system with graded predictions in [start, end]."""
    errors, picks, probabilities = _frames(wh, start, end, columns)
    cells: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for frame, kind in ((errors, "errors"), (picks, "picks"), (probabilities, "probabilities")):
        for r in frame.to_dict("records"):
            for season in (_season(r["season"]), ALL_SEASONS):
                cells[(season, r["name"])][kind].append(r)
    seasons = sorted({s for s, _ in cells} - {ALL_SEASONS}) + [ALL_SEASONS]
    return [_row(season, name, cells[(season, name)])
            for season in seasons for name in sorted({n for s, n in cells if s == season})]


def _row(season: str, name: str, cells: Mapping[str, list]) -> dict:
    def errors(fallback: bool) -> dict:
        mine = [c for c in cells["errors"] if bool(c["is_fallback"]) == fallback]
        games = sum(int(c["games"]) for c in mine)
        lined = betting.like_with_like(sum(int(c["lined_games"]) for c in mine),
                                       sum(_none_if_nan(c["lined_absolute_error_sum"]) or 0.0 for c in mine),
                                       sum(_none_if_nan(c["line_absolute_error_sum"]) or 0.0 for c in mine))
        total = sum(_none_if_nan(c["absolute_error_sum"]) or 0.0 for c in mine)
        return {"games": games, "mae": round(total / games, 3) if games else None, "lined": lined}

    graded_picks = [c for c in cells["picks"] if _none_if_nan(c["outcome"]) is not None]
    by_outcome, sides = defaultdict(int), defaultdict(int)
    for c in graded_picks:
        by_outcome[c["outcome"]] += int(c["picks"])
        sides[c["side"]] += int(c["picks"])
    clv = betting.closing_line_value(
        (c["side"], c["line_move_sign"], int(c["picks"]), c["line_move_sum"]) for c in graded_picks
        if _none_if_nan(c["line_move_sign"]) is not None)
    probability = cells["probabilities"]
    games = sum(int(c["games"]) for c in probability)
    return {
        "season": season, "name": name,
        "errors": errors(fallback=False),
        "fallback": errors(fallback=True),
        "picks": {"graded": sum(sides.values()), "over": sides["OVER"], "under": sides["UNDER"],
                  "void": sum(int(c["picks"]) for c in cells["picks"] if _none_if_nan(c["outcome"]) is None)},
        "hit_rate": betting.hit_rate(by_outcome[betting.WIN], by_outcome[betting.LOSS],
                                     by_outcome[betting.PUSH]).as_dict(),
        "roi": betting.roi((c["outcome"], _none_if_nan(c["price"]), int(c["picks"])) for c in graded_picks).as_dict(),
        "clv": clv.as_dict(),
        "probability": None if not games else {
            "games": games,
            "brier": round(betting.brier_score(sum(c["squared_error_sum"] for c in probability), games), 4),
            "calibration": betting.calibration_table(
                (int(c["decile"]), int(c["games"]), c["p_sum"], int(c["overs"])) for c in probability),
        },
    }
