"""market_xgboost_v1 (issue 13): walk-forward training asserted from its data, byte-for-byte
determinism, the calibration split before the served rows, the fallbacks, and the row it prices."""
import datetime as dt
import json

import numpy as np
import pytest
from test_phase4_support import MLFS, PGS
from test_phase5_predictions_support import LINES, league, league_warehouse

from nbaprops import training_job
from nbaprops.markers import read_marker
from nbaprops.predictions import market, pricing
from nbaprops.predictions.features import FEATURE_NAMES as BASE
from nbaprops.predictions.pricing import Offer, ResidualDistribution
from nbaprops.predictions.systems import market_xgboost_v1 as system
from nbaprops.predictions.systems.base import SystemResult

WINDOW = "2022-12"


def synthetic(days: int = 40, per_day: int = 60, seed: int = 0) -> market.MarketData:
    """Lined player-games of November 2022 onwards whose residual on the line follows two features."""
    rng = np.random.default_rng(seed)
    n = days * per_day
    dates = np.repeat(np.arange(np.datetime64("2022-11-01"), np.datetime64("2022-11-01") + days), per_day)
    base = rng.normal(10, 3, size=(n, len(BASE))).astype(np.float32)
    line = np.floor(rng.uniform(6, 30, size=n)) + 0.5
    lines = {"current_points_line": line, "opening_points_line": line + rng.choice([-1.0, 0.0, 1.0], size=n),
             "current_points_line_books": rng.integers(1, 6, size=n).astype(float),
             "current_points_line_mean": line + rng.normal(0, 0.3, size=n), "no_vig_over_mean": rng.uniform(0.45, 0.55, n),
             "best_over_line": line - 1, "best_under_line": line + 1}
    X = market.market_matrix(base, lines)
    y = 0.4 * (base[:, BASE.index("points_avg_season")] - line) + rng.normal(0, 4, size=n)
    return market.MarketData(dates.astype("datetime64[D]"), X, line, y)


@pytest.fixture(scope="module")
def data():
    return synthetic(days=30)  # November only: every row before WINDOW


@pytest.fixture(scope="module")
def trained(data):
    return market.train_window(data, WINDOW)


def test_market_matrix_appends_the_line_features():
    base = np.arange(25, dtype=np.float32)[None, :]  # points_avg_last_5 = 0, _10 = 1, season = 2
    lines = {"current_points_line": [20.5], "opening_points_line": [19.5], "current_points_line_books": [4],
             "current_points_line_mean": [20.75], "no_vig_over_mean": [0.52], "best_over_line": [19.5],
             "best_under_line": [21.5]}
    row = market.market_matrix(base, lines)[0]
    assert row.shape == (len(market.FEATURE_NAMES),) == (35,)
    assert row[:25].tolist() == list(range(25))
    assert row[25:].tolist() == pytest.approx([20.5, 19.5, 1.0, 4.0, 0.25, 2.0, 0.02, -20.5, -19.5, -18.5])


def test_best_shrink_minimises_absolute_error():
    y = np.array([1.0, -1.0, 2.0, 0.0])
    assert market.best_shrink(y, np.array([2.0, -2.0, 4.0, 0.0])) == 0.5
    assert market.best_shrink(y, np.zeros(4)) == 0.0  # all ties: the first factor


def test_training_is_deterministic(data, trained):
    again = market.train_window(data, WINDOW)
    assert (again.raw, again.calibration) == (trained.raw, trained.calibration)
    assert again.metrics["model_sha256"] == trained.metrics["model_sha256"]


def test_train_refuses_rows_dated_in_the_window(data):
    leaky = market.MarketData(np.append(data.dates, np.datetime64("2022-12-01")), np.vstack([data.X, data.X[:1]]),
                              np.append(data.line, 10.5), np.append(data.y, 3.0))
    with pytest.raises(ValueError, match="on or after the window's first day"):
        market.train_window(leaky, WINDOW)


def test_calibration_split_is_the_newest_training_dates(trained):
    doc = json.loads(trained.calibration)
    # 30 November dates: the last 15 (at most half) calibrate, the probe trained on the 15 before
    assert (doc["calibration_first_date"], doc["calibration_last_date"]) == ("2022-11-16", "2022-11-30")
    assert doc["probe_trained_last_date"] == "2022-11-15" and doc["calibration_rows"] == 15 * 60
    assert doc["shrink"] in market.SHRINK_GRID and len(doc["distribution"]["quantiles"]) == 2  # 900 rows // 400
    assert trained.metrics["rows_fit"] + trained.metrics["rows_calibration"] == trained.metrics["rows"] == 1800


def test_served_model_predicts_line_plus_shrunk_residual(data, trained, tmp_path):
    import xgboost as xgb

    (tmp_path / f"{WINDOW}.json").write_bytes(trained.raw)
    (tmp_path / f"{WINDOW}.calibration.json").write_bytes(trained.calibration)
    served = market.load_model(tmp_path / f"{WINDOW}.json")
    assert served.model_id == "market_xgboost_v1_2022-12" and served.shrink == json.loads(trained.calibration)["shrink"]
    booster = xgb.Booster()
    booster.load_model(bytearray(trained.raw))
    residual = booster.predict(xgb.DMatrix(data.X[:5], feature_names=list(market.FEATURE_NAMES)))
    assert served.predict(data.X[:5], data.line[:5]).tolist() == pytest.approx(
        (data.line[:5] + served.shrink * residual).tolist())


def test_window_without_history_falls_back(tmp_path):
    trained = market.train_window(synthetic(days=5), WINDOW)  # 300 rows < 1,000
    assert trained.metrics["status"] == market.INSUFFICIENT
    (tmp_path / f"{WINDOW}.json").write_bytes(trained.raw)
    served = market.load_model(tmp_path / f"{WINDOW}.json")
    assert served.booster is None and served.model_id is None
    assert served.predict(np.zeros((1, 35), np.float32), np.array([10.5])) is None


def test_a_missing_calibration_names_the_file(trained, tmp_path):
    (tmp_path / f"{WINDOW}.json").write_bytes(trained.raw)
    with pytest.raises(ValueError, match=r"2022-12\.calibration\.json does not exist"):
        market.load_model(tmp_path / f"{WINDOW}.json")


# ---------------------------------------------------------------- the system row
UNIFORM = ResidualDistribution((), ((-2.0, 0.0, 2.0),))
XGBOOST_ROW = SystemResult(12.3, 0.87, "OVER", ml_model_id="xgboost_v1_2022-12")
OFFERS = system.MarketOffers(Offer(10.5, -110), Offer(10.5, None), Offer(9.5, 100, "fanduel"),
                             Offer(11.5, -120, "caesars"))


def test_priced_row():
    result = system.predict(OFFERS, 10.04, "market_xgboost_v1_2022-12", UNIFORM, XGBOOST_ROW)
    assert (result.predicted_points, result.recommendation, result.ml_model_id) == (
        10.0, "UNDER", "market_xgboost_v1_2022-12")
    assert result.confidence == 0.625  # P(under 10.5)
    assert result.components == {
        "p_over": 0.375, "p_under": 0.625, "value_side": "UNDER", "ev_best": 0.6042, "ev_consensus": 0.1932,
        "bet_line": 11.5, "bet_price_american": -120, "bet_bookmaker": "caesars", "consensus_price_american": -110,
        "fallback_system": None}
    assert result.valid and not result.warnings


def test_no_line_falls_back_to_xgboost_and_says_so():
    result = system.predict(None, None, None, None, XGBOOST_ROW)
    assert (result.predicted_points, result.confidence, result.recommendation) == (12.3, 0.0, "NO_LINE")
    assert result.warnings == (system.NO_LINE_WARNING,) and result.components == {"fallback_system": "xgboost_v1"}
    assert result.ml_model_id == system.FALLBACK_MODEL_ID and not result.valid


def test_month_without_model_falls_back_with_a_line():
    result = system.predict(OFFERS, None, None, None, XGBOOST_ROW)
    assert (result.predicted_points, result.recommendation) == (12.3, "PASS")
    assert result.warnings == (system.INSUFFICIENT_WARNING,)


def test_offers_from_a_lines_row():
    row = {"current_points_line": 10.5, "consensus_over_price_american": -115, "consensus_under_price_american": None,
           "best_over_line": 9.5, "best_over_price_american": None, "best_over_bookmaker": "betmgm",
           "best_under_line": 10.5, "best_under_price_american": 105, "best_under_bookmaker": "fanduel"}
    assert system.MarketOffers.from_row(row) == system.MarketOffers(
        Offer(10.5, -115), Offer(10.5, None), Offer(9.5, None, "betmgm"), Offer(10.5, 105, "fanduel"))
    assert system.MarketOffers.from_row({"current_points_line": None}) is None
    assert pricing.DEFAULT_AMERICAN == Offer(9.5, None).price_used


# ---------------------------------------------------------------- on a warehouse (the fixture league)
@pytest.fixture(scope="module")
def league_tables():
    return league()


@pytest.fixture(scope="module")
def league_wh(league_tables, tmp_path_factory):
    return league_warehouse(tmp_path_factory.mktemp("league"), league_tables)


def test_training_reads_only_lined_games_played_before_the_window(league_wh, league_tables):
    data = market.training_data(league_wh, WINDOW)
    played = {(r["game_date"], r["player_lookup"]) for r in league_tables[PGS] if r["game_date"] < dt.date(2022, 12, 1)}
    lined = {(r["game_date"], r["player_lookup"]) for r in league_tables[LINES]}
    assert data.rows == len(played & lined) > 1000
    assert data.dates.max() == np.datetime64("2022-11-30")


def test_rows_dated_in_the_window_change_nothing(league_wh, league_tables, tmp_path):
    first = market.train_window(market.training_data(league_wh, WINDOW), WINDOW)
    changed = {name: [dict(r) for r in rows] for name, rows in league_tables.items()}
    for table, column, change in ((PGS, "points", lambda v: v + 25), (LINES, "current_points_line", lambda v: v + 5),
                                  (MLFS, "features", lambda v: [x * 2 for x in v])):
        for r in changed[table]:
            if r["game_date"] >= dt.date(2022, 12, 1):
                r[column] = change(r[column])
    again = market.train_window(market.training_data(league_warehouse(tmp_path / "in", changed), WINDOW), WINDOW)
    assert (again.raw, again.calibration) == (first.raw, first.calibration)
    for r in changed[PGS]:  # ... while the window's eve does count (the test can see a difference)
        if r["game_date"] == dt.date(2022, 11, 30):
            r["points"] += 25
    eve = market.train_window(market.training_data(league_warehouse(tmp_path / "eve", changed), WINDOW), WINDOW)
    assert eve.raw != first.raw


def test_the_monthly_job_trains_the_market_model_next_to_xgboost(league_wh, tmp_path):
    config = {"backend": "duckdb", "paths": {"warehouse": str(league_wh.root)}}
    paths = {k: tmp_path / k / f"{WINDOW}.json" for k in ("model", "ensemble", "market")}
    calibration = market.calibration_path_of(paths["market"])
    training_job.train_window_job(config, WINDOW, paths["model"], paths["ensemble"], tmp_path / "metrics.json",
                                  tmp_path / "train.log", market_path=paths["market"],
                                  market_calibration_path=calibration)
    trained = market.train_window(market.training_data(league_wh, WINDOW), WINDOW)
    assert (paths["market"].read_bytes(), calibration.read_bytes()) == (trained.raw, trained.calibration)
    written = read_marker(tmp_path / "metrics.json")["market"]
    assert written["model_sha256"] == trained.metrics["model_sha256"] and written["status"] == "trained"
    assert market.load_model(paths["market"]).model_id == "market_xgboost_v1_2022-12"
