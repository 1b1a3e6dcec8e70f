"""Walk-forward XGBoost (D3): a window's model never saw a row dated in or after the window —
asserted from the training data —, rows in the window change nothing, training is byte-for-byte
deterministic, and a window without enough history says so."""
import datetime as dt
import json

import numpy as np
import pytest
from test_phase4_support import MLFS, PGS
from test_phase5_predictions_support import league, league_warehouse

from nbaprops.predictions import models

WINDOW = "2022-12"
WINDOW_START = dt.date(2022, 12, 1)


@pytest.fixture(scope="module")
def tables():
    return league()


@pytest.fixture(scope="module")
def wh(tables, tmp_path_factory):
    return league_warehouse(tmp_path_factory.mktemp("league"), tables)


@pytest.fixture(scope="module")
def trained(wh):
    data = models.training_data(wh, WINDOW)
    return data, *models.train(data, WINDOW)


def test_windows_are_calendar_months():
    assert models.window_of(dt.date(2022, 12, 31)) == "2022-12"
    assert models.window_start("2023-01") == dt.date(2023, 1, 1)
    assert models.windows_for_dates([dt.date(2022, 11, 28), dt.date(2022, 12, 2), dt.date(2022, 12, 9)]) == [
        "2022-11", "2022-12"]
    for bad in ("2022-13", "2022-1", "2022-12.metrics"):
        with pytest.raises(ValueError):
            models.window_start(bad)


def test_training_reads_the_chunks_holding_dates_before_the_window():
    from nbaprops.plan import group_dates

    days = [dt.date(2022, 11, 21) + dt.timedelta(days=n) for n in range(21)]  # Nov 21 .. Dec 11
    plan = group_dates(days, "week")  # Nov 21-27, Nov 28-Dec 4, Dec 5-11
    assert [c.id for c in models.chunks_before(plan, WINDOW)] == ["2022-11-21_2022-11-27", "2022-11-28_2022-12-04"]
    assert models.chunks_before(plan, "2022-11") == []


def test_training_data_ends_before_the_window(trained, tables):
    data, _, metrics = trained
    assert data.dates.max() < np.datetime64(WINDOW_START)
    november_box_scores = [r for r in tables[PGS] if r["game_date"] < WINDOW_START]
    assert data.rows == len(november_box_scores) > 1000  # every played player-game before the window
    assert metrics["training_last_date"] == "2022-11-30" < metrics["window_start"] == "2022-12-01"
    assert metrics["status"] == "trained" and metrics["rows"] == data.rows
    assert metrics["rows_fit"] + metrics["rows_validation"] == data.rows
    assert metrics["validation_first_date"] == "2022-11-28"  # the last 10 % (3 of 30) of the training dates
    assert set(metrics["feature_importance_gain"]) == set(models.FEATURE_NAMES)
    assert metrics["validation_mae"] > 0 and metrics["rounds"] >= 1


def test_rows_dated_in_the_window_change_nothing(trained, tables, tmp_path):
    _, model_bytes, _ = trained
    changed = {name: [dict(r) for r in rows] for name, rows in tables.items()}
    for r in changed[PGS]:
        if r["game_date"] >= WINDOW_START:
            r["points"] += 25
    for r in changed[MLFS]:
        if r["game_date"] >= WINDOW_START:
            r["features"] = [v * 2 for v in r["features"]]
    again = models.train(models.training_data(league_warehouse(tmp_path / "in", changed), WINDOW), WINDOW)[0]
    assert again == model_bytes
    # ... while a change on the window's eve does change the model (the test can see a difference)
    for r in changed[PGS]:
        if r["game_date"] == WINDOW_START - dt.timedelta(days=1):
            r["points"] += 25
    eve = models.train(models.training_data(league_warehouse(tmp_path / "eve", changed), WINDOW), WINDOW)[0]
    assert eve != model_bytes


def test_training_is_deterministic(trained, wh):
    _, model_bytes, metrics = trained
    raw, again = models.train(models.training_data(wh, WINDOW), WINDOW)
    assert raw == model_bytes and again["model_sha256"] == metrics["model_sha256"]


def test_train_refuses_rows_dated_in_the_window(trained):
    data = trained[0]
    leaky = models.TrainingData(np.append(data.dates, np.datetime64(WINDOW_START)),
                                np.vstack([data.X, data.X[:1]]), np.append(data.y, 10.0))
    with pytest.raises(ValueError, match="on or after the window's first day"):
        models.train(leaky, WINDOW)


def test_window_without_history_writes_an_insufficient_artifact(wh, tmp_path):
    data = models.training_data(wh, "2022-11")  # nothing before the league's first day
    raw, metrics = models.train(data, "2022-11")
    assert data.rows == 0 and metrics["status"] == models.INSUFFICIENT and metrics["model_id"] is None
    path = tmp_path / "2022-11.json"
    path.write_bytes(raw)
    assert json.loads(raw)["nbaprops_model"] == models.INSUFFICIENT
    served = models.load_model(path)
    assert served.booster is None and served.model_id is None
    assert served.predict(np.zeros((1, 25), dtype=np.float32)) is None


def test_artifacts_round_trip_through_the_job(wh, trained, tmp_path):
    from nbaprops.markers import read_marker

    config = {"backend": "duckdb", "paths": {"warehouse": str(wh.root)}}
    model_path, metrics_path = tmp_path / "m" / f"{WINDOW}.json", tmp_path / "m" / f"{WINDOW}.metrics.json"
    models.train_window_job(config, WINDOW, model_path, metrics_path, tmp_path / "train.log")
    assert model_path.read_bytes() == trained[1]
    written = read_marker(metrics_path)
    assert written["training_last_date"] < written["window_start"] and written["seconds"] >= 0
    served = models.load_model(model_path)
    assert served.model_id == "xgboost_v1_2022-12"
    X = trained[0].X[:50]
    assert np.allclose(served.predict(X), served.predict(X.copy()))  # repeatable
    assert 0 < float(np.mean(served.predict(X))) < 40
