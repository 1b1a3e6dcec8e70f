"""The line-aware model of the sixth system, market_xgboost_v1 (issue 13, DESIGN D3 and D14).

The consensus line is the best pre-game number there is (the five spec systems never read it and
all lose to it). This model predicts the **residual on the line** — points minus the consensus
current line — from the 25 feature-store features plus the market: the current and opening
consensus lines, their movement, the number of bookmakers, the mean of the bookmakers' lines and
their spread, the prices' mean no-vig over probability, and the players' averages relative to the
line. Its prediction is ``line + shrink × residual``.

Walk-forward like XGBoost (``nbaprops.predictions.models``): one model per calendar month,
trained on the lined player-games played strictly before the month (asserted from the training
data); deterministic (rows ordered by date and player, ``hist``, ``seed=0``, ``nthread=1``, fixed
rounds, no early stopping: the same rows give the same bytes). The objective is absolute error,
so the model aims at the median — points are right-skewed and a line set at the mean goes under
~53 % of the time on the demo league.

The **calibration split** is the last ``CALIBRATION_DATES`` training dates (at most half of them):
a probe model with the same recipe, trained on the dates before the split, predicts it out of
sample. On those predictions the month fits (1) ``shrink``, the factor on the predicted residual
that minimises absolute error (the model's largest departures from the line are overconfident:
without it the P(over) deciles at 0.2-0.3 and 0.6-0.8 missed by 2-5 points), and (2) the
predictive distribution: the shrunk predictions' residual quantiles per equal-count line bucket
(``pricing.ResidualDistribution``). The served model is then refit on every training row.

The monthly training job (``nbaprops.training_job``) trains it next to XGBoost. Artifacts per
month: ``models/market_xgboost_v1/YYYY-MM.json`` (the booster, or a small JSON
saying the month had too little history), ``YYYY-MM.calibration.json`` (shrink + distribution)
and ``YYYY-MM.metrics.json``. Measured on the full demo range: nbaprops/predictions/market.md.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable, Mapping

import numpy as np
import pyarrow as pa

from nbaprops import catalogue
from nbaprops.predictions import artifacts
from nbaprops.predictions.artifacts import damaged_artifact, read_artifact, window_of_artifact
from nbaprops.predictions.features import FEATURE_NAMES as BASE_FEATURE_NAMES, FEATURE_VERSION
from nbaprops.predictions.final_dates import final_rows
from nbaprops.predictions.inference import feature_matrix, rows_by_window
from nbaprops.predictions.participation import played_sql
from nbaprops.predictions.pricing import ResidualDistribution
from nbaprops.predictions.training import walk_forward
from nbaprops.predictions.windows import window_start

log = logging.getLogger("nbaprops.predictions.market")

MODEL_NAME = catalogue.MARKET_XGBOOST  # also the folder of its artifacts
MIN_TRAINING_ROWS = 1000
CALIBRATION_DATES = 60
ROUNDS = 400
# Chosen walk-forward on the full demo range (market.md): depth 4 / eta 0.05 / 300 rounds /
# min_child_weight 50 was less accurate in every season (by 0.001-0.012 MAE) and less calibrated.
PARAMS = {
    "objective": "reg:absoluteerror",
    "tree_method": "hist",
    "max_depth": 3,
    "eta": 0.03,
    "min_child_weight": 200,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "seed": 0,
    "nthread": 1,
}
SHRINK_GRID = tuple(round(0.05 * i, 2) for i in range(31))  # 0.00 .. 1.50
MAX_BUCKETS, MIN_BUCKET_ROWS = 5, 400
INSUFFICIENT = "insufficient_history"
CALIBRATION_KEY = "nbaprops_market_calibration"

# The market columns the model reads, from nba_staging.player_prop_lines.
LINE_COLUMNS = ("current_points_line", "opening_points_line", "current_points_line_books",
                "current_points_line_mean", "no_vig_over_mean", "best_over_line", "best_under_line")
LINE_FEATURE_NAMES = (
    "current_points_line", "opening_points_line", "line_movement", "current_points_line_books",
    "line_mean_minus_line", "line_range", "no_vig_over_minus_half",
    "points_avg_last_5_minus_line", "points_avg_last_10_minus_line", "points_avg_season_minus_line",
)
FEATURE_NAMES = BASE_FEATURE_NAMES + LINE_FEATURE_NAMES

# Lined player-games played before the window (the same played rule as XGBoost's training).
TRAINING_SQL = f"""
select store.game_date, store.player_lookup, store.features, summary.points,
  {", ".join(f"lines.{c}" for c in LINE_COLUMNS)}
from nba_predictions.ml_feature_store_v2 as store
join nba_analytics.player_game_summary as summary
  on summary.game_date = store.game_date and summary.player_lookup = store.player_lookup
join nba_staging.player_prop_lines as lines
  on lines.game_date = store.game_date and lines.player_lookup = store.player_lookup
where store.game_date < @window_start
  and store.feature_version = @feature_version
  and summary.points is not null and {played_sql("summary")}
order by store.game_date, store.player_lookup
"""


# The builder's view of a chunk's bets on offer: every pre-tip consensus line with the columns the
# model and the pricing read (one query per chunk; joined to the players by date and player).
OFFERS_SQL = f"""
select lines.game_date, lines.player_lookup, {", ".join(f"lines.{c}" for c in LINE_COLUMNS)},
  lines.consensus_over_price_american, lines.consensus_under_price_american,
  lines.best_over_price_american, lines.best_over_bookmaker, lines.best_under_price_american,
  lines.best_under_bookmaker
from nba_staging.player_prop_lines as lines
where lines.game_date between @start_date and @end_date
"""


def load_offers(wh, start: dt.date, end: dt.date) -> dict[tuple[dt.date, str], dict]:
    """(game_date, player_lookup) → the player_prop_lines row of [start, end]."""
    rows = wh.query_arrow(OFFERS_SQL, {"start_date": start, "end_date": end}).to_pylist()
    return {(r["game_date"], r["player_lookup"]): r for r in rows}


def model_id(window: str) -> str:
    return f"{MODEL_NAME}_{window}"


# ---------------------------------------------------------------- features
def market_matrix(base: np.ndarray, lines: Mapping[str, np.ndarray]) -> np.ndarray:
    """The (n, 35) float32 matrix: the 25 features, then ``LINE_FEATURE_NAMES`` from the
    ``LINE_COLUMNS`` arrays (NaN where a value is missing; XGBoost routes NaN by learned default)."""
    col = {c: np.asarray(lines[c], dtype=np.float64) for c in LINE_COLUMNS}
    line = col["current_points_line"]
    avg = {n: base[:, BASE_FEATURE_NAMES.index(n)].astype(np.float64)
           for n in ("points_avg_last_5", "points_avg_last_10", "points_avg_season")}
    extra = [line, col["opening_points_line"], line - col["opening_points_line"], col["current_points_line_books"],
             col["current_points_line_mean"] - line, col["best_under_line"] - col["best_over_line"],
             col["no_vig_over_mean"] - 0.5, avg["points_avg_last_5"] - line, avg["points_avg_last_10"] - line,
             avg["points_avg_season"] - line]
    return np.column_stack([base.astype(np.float32)] + [e.astype(np.float32) for e in extra])


def line_arrays(table: pa.Table) -> dict[str, np.ndarray]:
    """``LINE_COLUMNS`` of an Arrow table as float arrays (NULL → NaN)."""
    return {c: np.asarray(table.column(c).cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
            for c in LINE_COLUMNS}


@dataclass(frozen=True)
class MarketData:
    dates: np.ndarray  # datetime64[D], ascending
    X: np.ndarray      # (n, 35)
    line: np.ndarray   # consensus current line
    y: np.ndarray      # points - line

    @property
    def rows(self) -> int:
        return len(self.y)


def training_data(wh, window: str, nonfinal: Collection[dt.date] = ()) -> MarketData:
    """Every lined player-game played before the window, with its features and market (one query),
    except on the ``nonfinal`` dates (as ``training.training_data``)."""
    table = wh.query_arrow(TRAINING_SQL, {"window_start": window_start(window),
                                          "feature_version": FEATURE_VERSION})
    dates = np.asarray(table.column("game_date").cast(pa.date32()).to_numpy(zero_copy_only=False),
                       dtype="datetime64[D]")
    keep = final_rows(dates, nonfinal)
    table, dates = table.filter(pa.array(keep)), dates[keep]
    lines = line_arrays(table)
    X = market_matrix(feature_matrix(table.column("features")), lines)
    points = np.asarray(table.column("points").to_numpy(zero_copy_only=False), dtype=np.float64)
    return MarketData(dates, X, lines["current_points_line"], (points - lines["current_points_line"]))


# ---------------------------------------------------------------- training
def _iso(day) -> str:
    return str(np.datetime64(day, "D"))


def _fit(X: np.ndarray, y: np.ndarray):
    import xgboost as xgb

    return xgb.train(PARAMS, xgb.DMatrix(X, label=y.astype(np.float32), feature_names=list(FEATURE_NAMES)), ROUNDS)


def _predict(booster, X: np.ndarray) -> np.ndarray:
    import xgboost as xgb

    return booster.predict(xgb.DMatrix(X, feature_names=list(FEATURE_NAMES))).astype(np.float64)


def best_shrink(y: np.ndarray, predicted_residual: np.ndarray) -> float:
    """The factor on the predicted residual with the smallest absolute error (first on ties)."""
    errors = [float(np.mean(np.abs(y - k * predicted_residual))) for k in SHRINK_GRID]
    return SHRINK_GRID[int(np.argmin(errors))]


@dataclass(frozen=True)
class TrainedMarket:
    raw: bytes          # booster JSON, or the insufficient-history JSON
    calibration: bytes  # shrink + residual distribution JSON
    metrics: dict


def _json_bytes(doc: dict) -> bytes:
    return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode()


def train_window(data: MarketData, window: str, *, min_rows: int = MIN_TRAINING_ROWS) -> TrainedMarket:
    """The window's model and calibration from ``data`` (rows dated before the window)."""
    t0 = time.monotonic()
    start, unique_dates, metrics = walk_forward(data.dates, window, "market training data", model_id(window),
                                                FEATURE_NAMES)
    if data.rows < min_rows or len(unique_dates) < 10:
        reason = (f"{data.rows} lined training rows on {len(unique_dates)} dates before {start}; "
                  f"need >= {min_rows} rows on >= 10 dates")
        log.info("window %s: %s, market rows fall back to xgboost_v1", window, reason)
        doc = {"nbaprops_model": INSUFFICIENT, "window": window, "rows": data.rows, "min_rows": min_rows,
               "reason": reason}
        metrics.update(status=INSUFFICIENT, reason=reason, model_id=None)
        raw, calibration = _json_bytes(doc), _json_bytes({CALIBRATION_KEY: INSUFFICIENT, "window": window,
                                                          "reason": reason})
    else:
        n_calibration = min(CALIBRATION_DATES, len(unique_dates) // 2)
        first = unique_dates[-n_calibration]
        fit, held = data.dates < first, data.dates >= first
        probe = _fit(data.X[fit], data.y[fit])
        predicted = _predict(probe, data.X[held])
        shrink = best_shrink(data.y[held], predicted)
        residuals = data.y[held] - shrink * predicted
        buckets = max(1, min(MAX_BUCKETS, int(held.sum()) // MIN_BUCKET_ROWS))
        distribution = ResidualDistribution.fit(residuals, data.line[held], buckets=buckets)
        model = _fit(data.X, data.y)
        raw = bytes(model.save_raw("json"))
        calibration_doc = {
            CALIBRATION_KEY: "fitted", "window": window, "shrink": shrink,
            "calibration_first_date": _iso(first), "calibration_last_date": _iso(unique_dates[-1]),
            "calibration_rows": int(held.sum()), "probe_trained_last_date": _iso(data.dates[fit].max()),
            "distribution": distribution.to_json(),
        }
        calibration = _json_bytes(calibration_doc)
        gain = model.get_score(importance_type="gain")
        line_mae = float(np.mean(np.abs(data.y[held])))
        metrics.update(
            status="trained", params=PARAMS, rounds=ROUNDS, rows_fit=int(fit.sum()), rows_calibration=int(held.sum()),
            calibration_first_date=_iso(first), shrink=shrink, buckets=len(distribution.quantiles),
            calibration_mae=round(float(np.mean(np.abs(residuals))), 4), calibration_line_mae=round(line_mae, 4),
            feature_importance_gain={n: round(float(gain.get(n, 0.0)), 4) for n in FEATURE_NAMES},
            calibration_sha256=hashlib.sha256(calibration).hexdigest(),
        )
        log.info("window %s: %d lined rows, shrink %.2f, calibration MAE %.3f (line %.3f)", window, data.rows,
                 shrink, metrics["calibration_mae"], line_mae)
    metrics["model_sha256"] = hashlib.sha256(raw).hexdigest()
    metrics["seconds"] = round(time.monotonic() - t0, 3)
    return TrainedMarket(raw, calibration, metrics)


# ---------------------------------------------------------------- serving
@dataclass(frozen=True)
class MarketModel:
    """The market model serving one window; ``booster`` None when the window had too little history."""

    window: str
    booster: object | None
    shrink: float | None = None
    distribution: ResidualDistribution | None = None

    @property
    def model_id(self) -> str | None:
        return model_id(self.window) if self.booster is not None else None

    def predict(self, X: np.ndarray, line: np.ndarray) -> np.ndarray | None:
        """line + shrink × predicted residual, per row (None without a model)."""
        if self.booster is None:
            return None
        return np.asarray(line, dtype=np.float64) + self.shrink * _predict(self.booster, X)


def calibration_path_of(model_path: str | os.PathLike) -> Path:
    path = Path(model_path)
    return path.with_name(path.name.removesuffix(".json") + ".calibration.json")


def load_model(path: str | os.PathLike) -> MarketModel:
    """A market model and its calibration (``YYYY-MM.json`` and ``YYYY-MM.calibration.json``)."""
    import xgboost as xgb

    path = Path(path)
    window = window_of_artifact(path)
    what = f"the market model of window {window}"
    raw, doc = read_artifact(path, what)
    if doc.get("nbaprops_model") == INSUFFICIENT:
        return MarketModel(window, None)
    cal_path = calibration_path_of(path)
    _, calibration = read_artifact(cal_path, f"the market calibration of window {window}")
    if calibration.get(CALIBRATION_KEY) != "fitted" or calibration.get("window") != window:
        raise damaged_artifact(cal_path, f"the market calibration of window {window}",
                                           f"is not the fitted calibration of {window}")
    booster = xgb.Booster()
    try:
        booster.load_model(bytearray(raw))
    except xgb.core.XGBoostError as exc:
        raise damaged_artifact(path, what, f"is not a model xgboost can load "
                                                       f"({str(exc).splitlines()[0][:160]})") from None
    booster.set_param({"nthread": 1})
    return MarketModel(window, booster, float(calibration["shrink"]),
                       ResidualDistribution.from_json(calibration["distribution"]))


def load_models(paths: Iterable[str | os.PathLike]) -> dict[str, MarketModel]:
    return artifacts.load_models(paths, load_model)


def serve(players: pa.Table, offers: Mapping[tuple[dt.date, str], dict],
          models: Mapping[str, MarketModel]) -> tuple[list, list, list]:
    """Per row of ``players`` (``inference.load_players``): its offers row (None without a line),
    the market prediction (None without a line or without a model for its month) and the serving
    model, vectorised per month. Without any ``models`` (ad-hoc builds) nothing is predicted."""
    dates = players.column("game_date").to_pylist()
    lookups = players.column("player_lookup").to_pylist()
    rows = [offers.get(key) for key in zip(dates, lookups)]
    outputs: list = [None] * len(rows)
    serving: list = [None] * len(rows)
    if not rows or not models:
        return rows, outputs, serving
    lines = {c: np.array([np.nan if r is None or r[c] is None else r[c] for r in rows], dtype=np.float64)
             for c in LINE_COLUMNS}
    X = market_matrix(feature_matrix(players.column("features")), lines)
    line = lines["current_points_line"]
    for model, in_window in rows_by_window(dates, models, "market model", "market_models", MODEL_NAME):
        for i in in_window:
            serving[i] = model
        lined = in_window[np.isfinite(line[in_window])]
        predicted = model.predict(X[lined], line[lined]) if len(lined) else None
        if predicted is not None:
            for i, value in zip(lined, predicted.tolist()):
                outputs[i] = value
    return rows, outputs, serving
