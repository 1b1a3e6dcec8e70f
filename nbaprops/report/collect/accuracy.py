"""Accuracy of the prediction systems over a date range, per season and overall.

For each system: how many player-games it was graded on (players who played), MAE, bias
(predicted - actual), the share within 3 and 5 points, and its betting record on real lines
(wins, losses, pushes; hit rate = wins / (wins + losses), D5). The same for the ensemble's
tier-adjusted points (5C, ``ensemble_tier_applied``), plus two reference rows measured on the
ensemble's graded player-games: the bookmaker consensus line used as a prediction (on the games
that had one) and, when the demo's ``nba_demo.oracle_player_points`` has rows, the oracle's true
expected points, the best any system could do. Every row also gives its MAE on the player-games
with a real line, where all of them, the line included, can be compared.

    report = accuracy_report(wh, start, end)   # a JSON-ready dict
    text = accuracy_text(report, "markdown")   # nbaprops.report.render.accuracy_text

Everything is aggregated in the warehouse (one query, both backends); Python only turns the
per-season sums into rates. ``calibration`` bins the same graded rows for the HTML report's chart.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Mapping

from nbaprops.catalogue import ALL_SYSTEM_IDS, ENSEMBLE, MOVING_AVERAGE, XGBOOST
from nbaprops.report.collect.betting_record import ALL_SEASONS, betting_record
from nbaprops.seasons import season_label

log = logging.getLogger("nbaprops.report")

TIER_ADJUSTED = f"{ENSEMBLE}+tier_adjustment"
LINE = "bookmaker_line"
ORACLE = "oracle"
ORACLE_TABLE = "nba_demo.oracle_player_points"
# The ensemble should come within this share of the oracle's MAE (the target).
ORACLE_MAE_TOLERANCE = 0.08

# Each source yields graded player-games as (game_date, name, signed_error, outcome, line_value);
# signed_error is NULL for a player who did not play, outcome NULL for anything but a bet.
# A system's fallback rows are measured apart (its betting record's ``fallback``), never in its MAE (D14).
_SYSTEM_ROWS = """
select graded.game_date, graded.system_id as name, graded.signed_error, graded.outcome, graded.line_value
from nba_predictions.prediction_accuracy as graded
where graded.game_date between @start_date and @end_date and not graded.is_fallback"""

_TIER_ADJUSTED_ROWS = f"""
select applied.game_date, '{TIER_ADJUSTED}' as name, applied.adjusted_signed_error as signed_error,
    applied.adjusted_outcome as outcome, applied.line_value
from nba_predictions.ensemble_tier_applied as applied
where applied.game_date between @start_date and @end_date"""

# References are measured on the ensemble's graded player-games (every predicted player has one).
_LINE_ROWS = f"""
select graded.game_date, '{LINE}' as name, round(graded.line_value - graded.actual_points, 2) as signed_error,
    cast(null as string) as outcome, graded.line_value
from nba_predictions.prediction_accuracy as graded
where graded.game_date between @start_date and @end_date and graded.system_id = '{ENSEMBLE}'
    and graded.absolute_error is not null and graded.line_value is not null"""

_ORACLE_ROWS = f"""
select graded.game_date, '{ORACLE}' as name,
    round(oracle.expected_points - graded.actual_points, 2) as signed_error,
    cast(null as string) as outcome, graded.line_value
from nba_predictions.prediction_accuracy as graded
inner join {ORACLE_TABLE} as oracle
    on oracle.game_date = graded.game_date and oracle.player_lookup = graded.player_lookup
where graded.game_date between @start_date and @end_date and graded.system_id = '{ENSEMBLE}'
    and graded.absolute_error is not null and oracle.game_date between @start_date and @end_date"""

_AGGREGATE = """
with graded as ({sources})
select
    season_calendar.season_year as season,
    graded.name,
    count(graded.signed_error) as n,
    sum(abs(graded.signed_error)) as sum_absolute_error,
    sum(graded.signed_error) as sum_signed_error,
    countif(abs(graded.signed_error) <= 3) as within_3,
    countif(abs(graded.signed_error) <= 5) as within_5,
    countif(graded.outcome = 'WIN') as wins,
    countif(graded.outcome = 'LOSS') as losses,
    countif(graded.outcome = 'PUSH') as pushes,
    countif(graded.line_value is not null and graded.signed_error is not null) as line_games,
    sum(if(graded.line_value is not null, abs(graded.signed_error), null)) as line_sum_absolute_error
from graded
-- the season of a date is the schedule's (nbaprops.seasons), not the month's
left join nba_staging.season_calendar as season_calendar
    on season_calendar.game_date = graded.game_date
group by 1, 2"""

_SUMS = ("n", "sum_absolute_error", "sum_signed_error", "within_3", "within_5", "wins", "losses", "pushes",
         "line_games", "line_sum_absolute_error")


BETTING_NOTES = (
    "Betting record (like with like, D14): a system's MAE on the lined player-games it predicted without "
    "a fallback beside the consensus line's MAE on exactly those player-games; its fallback rows apart.",
    "Picks = OVER/UNDER on a real line; void = the player did not play. Hit rate with a Wilson 95% interval; "
    "ROI in units staked at the pick's stored consensus price (-110 where none is stored; a push returns the "
    "stake), its 95% interval the normal approximation on per-pick returns; a positive ROI is claimed only "
    "where that interval's lower bound is above zero.",
    "CLV: share of picks whose consensus line moved from opening to closing toward the pick (of those that "
    "moved). Picks are made against the closing (latest pre-tip) line, so this measures agreement with the "
    "market's move, not a price beaten.",
    "Brier score and calibration of P(over) by decile on the lined player-games decided over or under, for "
    "systems that give P(over); a decile of at least 500 is calibrated when the observed over rate is within "
    "3 points of the mean predicted.",
)


def _has_rows(wh, table: str, start: dt.date, end: dt.date) -> bool:
    """Whether an optional table exists and holds rows in the range."""
    try:
        found = wh.query(f"select count(*) as n from {table} where game_date between @start_date and @end_date",
                         {"start_date": start, "end_date": end})
    except Exception as exc:  # noqa: BLE001 - each backend reports a missing table its own way
        log.info("%s is not readable (%s): no oracle row", table, exc)
        return False
    return int(found["n"].iloc[0]) > 0


def _ratio(numerator: float, denominator: float, digits: int) -> float | None:
    return round(numerator / denominator, digits) if denominator else None


def _row(season: str, name: str, sums: Mapping[str, float]) -> dict:
    kind = "system" if name in ALL_SYSTEM_IDS else "tier_adjusted" if name == TIER_ADJUSTED else "reference"
    row = {
        "season": season, "name": name, "kind": kind, "n": int(sums["n"]),
        "mae": _ratio(sums["sum_absolute_error"], sums["n"], 3),
        "bias": _ratio(sums["sum_signed_error"], sums["n"], 3),
        "within_3_pct": _ratio(sums["within_3"], sums["n"], 4),
        "within_5_pct": _ratio(sums["within_5"], sums["n"], 4),
        "line_games": int(sums["line_games"]),
        "mae_on_line_games": _ratio(sums["line_sum_absolute_error"], sums["line_games"], 3),
        "bets": None,
    }
    if kind != "reference":
        wins, losses, pushes = (int(sums[k]) for k in ("wins", "losses", "pushes"))
        row["bets"] = {"wins": wins, "losses": losses, "pushes": pushes,
                       "hit_rate": _ratio(wins, wins + losses, 4)}
    return row


def _order(name: str) -> int:
    names = (*ALL_SYSTEM_IDS, TIER_ADJUSTED, LINE, ORACLE)
    return names.index(name) if name in names else len(names)


def _checks(rows: list[dict], betting: list[dict]) -> dict:
    """The comparisons the issues ask for, per season, wherever both sides exist."""
    out: dict[str, dict] = {}
    for season in dict.fromkeys([*(r["season"] for r in rows), *(b["season"] for b in betting)]):
        mae = {r["name"]: r["mae"] for r in rows if r["season"] == season and r["mae"] is not None}
        checks: dict[str, object] = {}
        if TIER_ADJUSTED in mae and ENSEMBLE in mae:
            checks["tier_adjusted_mae_change"] = round(mae[TIER_ADJUSTED] - mae[ENSEMBLE], 3)
            checks["tier_adjusted_beats_unadjusted"] = mae[TIER_ADJUSTED] < mae[ENSEMBLE]
        for system in (XGBOOST, ENSEMBLE):
            if system in mae and MOVING_AVERAGE in mae:
                checks[f"{system}_beats_moving_average"] = mae[system] < mae[MOVING_AVERAGE]
        if ORACLE in mae and ENSEMBLE in mae and mae[ORACLE]:
            excess = mae[ENSEMBLE] / mae[ORACLE] - 1
            checks["ensemble_mae_excess_over_oracle"] = round(excess, 4)
            checks["ensemble_within_8pct_of_oracle"] = excess <= ORACLE_MAE_TOLERANCE
        for record in (b for b in betting if b["season"] == season):
            name = record["name"]
            if record["errors"]["lined"]["beats_line"] is not None:  # like with like (D14)
                checks[f"{name}_beats_line_on_its_lined_games"] = record["errors"]["lined"]["beats_line"]
            if record["roi"]["positive_claimed"]:
                checks[f"{name}_positive_roi"] = True
            judged = [c["calibrated"] for c in (record["probability"] or {}).get("calibration", [])
                      if c["calibrated"] is not None]
            if judged:
                checks[f"{name}_p_over_calibrated"] = all(judged)
        out[season] = checks
    return out


def accuracy_report(wh, start: dt.date, end: dt.date) -> dict:
    """Per season (and over all seasons) accuracy of every system, the tier-adjusted ensemble
    and the reference predictions, for game dates in [start, end]. JSON-ready."""
    sources = [_SYSTEM_ROWS, _TIER_ADJUSTED_ROWS, _LINE_ROWS]
    if _has_rows(wh, ORACLE_TABLE, start, end):
        sources.append(_ORACLE_ROWS)
    sql = _AGGREGATE.format(sources="\nunion all".join(sources))
    sums = wh.query(sql, {"start_date": start, "end_date": end})
    if sums["season"].isna().any():
        raise ValueError(f"graded dates in {start}..{end} are missing from nba_staging.season_calendar; "
                         "build Phase 3 for the range first (snakemake --cores 2 all)")
    sums = sums.astype({"season": int}).fillna({k: 0 for k in _SUMS})
    rows = []
    for season, per_season in sorted(sums.groupby("season")):
        rows += [_row(season_label(season), r.name, r._asdict()) for r in per_season.itertuples()]
    rows += [_row(ALL_SEASONS, name, group[list(_SUMS)].sum().to_dict()) for name, group in sums.groupby("name")]
    seasons = [*sorted({r["season"] for r in rows} - {ALL_SEASONS}), ALL_SEASONS] if rows else []
    rows.sort(key=lambda r: (seasons.index(r["season"]), _order(r["name"]), r["name"]))
    betting = sorted(betting_record(wh, start, end), key=lambda b: (seasons.index(b["season"]), _order(b["name"])))
    return {
        "start": start.isoformat(), "end": end.isoformat(), "seasons": seasons, "rows": rows,
        "betting": betting,
        "checks": _checks(rows, betting),
        "notes": [
            "n = graded player-games (the player played), a system's fallback rows left out (they are in its "
            "betting record's fallback); hit rate = wins / (wins + losses), pushes apart (D5).",
            f"{TIER_ADJUSTED}: the ensemble's points plus the 5C tier adjustment of the date (computed from "
            "grading strictly before it, D10); its bets re-apply the ensemble's thresholds to the adjusted points.",
            f"{LINE} and {ORACLE} are measured on the ensemble's graded player-games ({LINE} on those with a "
            "real line); mae_on_line_games compares every row on the player-games with a real line.",
            *BETTING_NOTES,
        ],
    }


# Calibration: player-games binned by predicted points; bins with fewer games are too noisy to plot.
CALIBRATION_BIN = 3
CALIBRATION_MIN_GAMES = 20


def calibration(wh, start: dt.date, end: dt.date) -> dict[str, list[tuple[float, float, int]]]:
    """Per system: (mean predicted, mean actual, games) of graded player-games binned by prediction."""
    frame = wh.query(
        f"""
        select graded.system_id as name,
            cast(floor(graded.predicted_points / {CALIBRATION_BIN}) as int64) as bin,
            count(*) as n, avg(graded.predicted_points) as predicted, avg(graded.actual_points) as actual
        from nba_predictions.prediction_accuracy as graded
        where graded.game_date between @start_date and @end_date and graded.actual_points is not null
        group by 1, 2""", {"start_date": start, "end_date": end})
    out: dict[str, list[tuple[float, float, int]]] = {}
    for name, group in frame.sort_values(["name", "bin"]).groupby("name", sort=False):
        kept = group[group["n"] >= CALIBRATION_MIN_GAMES]
        out[name] = [(round(float(r.predicted), 2), round(float(r.actual), 2), int(r.n)) for r in kept.itertuples()]
    return out
