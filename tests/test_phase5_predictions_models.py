"""Walk-forward XGBoost and ensemble weights (D3): a window's model never saw a row dated in or
after the window — asserted from the training data —, rows in the window change nothing (model
nor weights), the ensemble's slice and the XGBoost model scoring it are strictly before the window
and the slice model's trees never saw the slice, training is byte-for-byte deterministic, and a
window without enough history says so."""
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from test_phase4_support import MLFS, PGS, UPGC
from test_phase5_predictions_support import league, league_warehouse

from nbaprops import training_job
from nbaprops.predictions import artifacts, stacking, training, windows
from nbaprops.predictions.features import FEATURE_NAMES
from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

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
    data = training.training_data(wh, WINDOW)
    return data, *training.train(data, WINDOW)


def test_windows_are_calendar_months():
    assert windows.window_of(dt.date(2022, 12, 31)) == "2022-12"
    assert windows.window_start("2023-01") == dt.date(2023, 1, 1)
    assert windows.windows_for_dates([dt.date(2022, 11, 28), dt.date(2022, 12, 2), dt.date(2022, 12, 9)]) == [
        "2022-11", "2022-12"]
    for bad in ("2022-13", "2022-1", "2022-12.metrics"):
        with pytest.raises(ValueError):
            windows.window_start(bad)


def test_training_reads_the_chunks_holding_dates_before_the_window():
    from nbaprops.plan import group_dates

    days = [dt.date(2022, 11, 21) + dt.timedelta(days=n) for n in range(21)]  # Nov 21 .. Dec 11
    plan = group_dates(days, "week")  # Nov 21-27, Nov 28-Dec 4, Dec 5-11
    assert [c.id for c in windows.chunks_before(plan, WINDOW)] == ["2022-11-21_2022-11-27", "2022-11-28_2022-12-04"]
    assert windows.chunks_before(plan, "2022-11") == []


def test_training_data_ends_before_the_window(trained, tables):
    data, _, metrics = trained
    assert data.dates.max() < np.datetime64(WINDOW_START)
    november_box_scores = [r for r in tables[PGS] if r["game_date"] < WINDOW_START]
    assert data.rows == len(november_box_scores) > 1000  # every played player-game before the window
    assert metrics["training_last_date"] == "2022-11-30" < metrics["window_start"] == "2022-12-01"
    assert metrics["status"] == "trained" and metrics["rows"] == data.rows
    assert metrics["rows_fit"] + metrics["rows_validation"] + metrics["rows_slice"] == data.rows
    # two holdouts of 30 dates, at most a third of the dates each: 10 of November's 30 for early
    # stopping (Nov 11-20), then 10 for the ensemble's slice (Nov 21-30)
    assert metrics["validation_first_date"] == "2022-11-11" and metrics["validation_dates"] == 10
    assert metrics["slice_first_date"] == "2022-11-21" and metrics["slice_dates"] == 10
    assert metrics["fit_last_date"] == "2022-11-10"
    assert metrics["rows_fit"] == int((data.dates < np.datetime64("2022-11-11")).sum())
    assert metrics["rows_slice"] == int((data.dates >= np.datetime64("2022-11-21")).sum())
    assert set(metrics["feature_importance_gain"]) == set(FEATURE_NAMES)
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
    again = training.train(training.training_data(league_warehouse(tmp_path / "in", changed), WINDOW), WINDOW)[0]
    assert again == model_bytes
    # ... while a change on the window's eve does change the model (the test can see a difference)
    for r in changed[PGS]:
        if r["game_date"] == WINDOW_START - dt.timedelta(days=1):
            r["points"] += 25
    eve = training.train(training.training_data(league_warehouse(tmp_path / "eve", changed), WINDOW), WINDOW)[0]
    assert eve != model_bytes


def test_training_is_deterministic(trained, wh):
    _, model_bytes, metrics = trained
    raw, again = training.train(training.training_data(wh, WINDOW), WINDOW)
    assert raw == model_bytes and again["model_sha256"] == metrics["model_sha256"]


def test_train_refuses_rows_dated_in_the_window(trained):
    data = trained[0]
    leaky = training.TrainingData(np.append(data.dates, np.datetime64(WINDOW_START)),
                                np.vstack([data.X, data.X[:1]]), np.append(data.y, 10.0))
    with pytest.raises(ValueError, match="on or after the window's first day"):
        training.train(leaky, WINDOW)


def test_window_without_history_writes_an_insufficient_artifact(wh, tmp_path):
    data = training.training_data(wh, "2022-11")  # nothing before the league's first day
    raw, metrics = training.train(data, "2022-11")
    assert data.rows == 0 and metrics["status"] == artifacts.INSUFFICIENT and metrics["model_id"] is None
    path = tmp_path / "2022-11.json"
    path.write_bytes(raw)
    assert json.loads(raw)["nbaprops_model"] == artifacts.INSUFFICIENT
    served = artifacts.load_model(path)
    assert served.booster is None and served.model_id is None
    assert served.predict(np.zeros((1, 25), dtype=np.float32)) is None


@pytest.fixture(scope="module")
def job(wh, tmp_path_factory):
    from nbaprops.markers import read_marker

    folder = tmp_path_factory.mktemp("job")
    config = {"backend": "duckdb", "paths": {"warehouse": str(wh.root)}}
    paths = {k: folder / k / f"{WINDOW}.json" for k in ("model", "ensemble")}
    paths["metrics"] = folder / "model" / f"{WINDOW}.metrics.json"
    training_job.train_window_job(config, WINDOW, paths["model"], paths["ensemble"], paths["metrics"],
                                  folder / "train.log")
    return paths, read_marker(paths["metrics"])


def test_artifacts_round_trip_through_the_job(job, trained):
    paths, written = job
    assert paths["model"].read_bytes() == trained[1]
    assert written["training_last_date"] < written["window_start"] and written["seconds"] >= 0
    served = artifacts.load_model(paths["model"])
    assert served.model_id == "xgboost_v1_2022-12"
    X = trained[0].X[:50]
    assert np.allclose(served.predict(X), served.predict(X.copy()))  # repeatable
    assert 0 < float(np.mean(served.predict(X))) < 40
    window, weight_sets = stacking.load_weight_sets(paths["ensemble"])
    assert window == WINDOW and [w.systems for w in weight_sets] == [stacking.COMPONENTS, stacking.WEIGHT_SETS[1]]
    assert [w.as_dict() for w in weight_sets] == written["ensemble"]["weight_sets"]
    assert written["ensemble"]["seconds"] >= 0 and written["ensemble"]["status"] == "learned_weights"


def training_runs(wh, status: str) -> pd.DataFrame:
    """The training jobs' run-history rows, read afresh (the jobs wrote them through their own warehouse)."""
    with DuckDBWarehouse(wh.root) as fresh:
        return fresh.query(
            "select processor_name, phase, chunk_id, status, records_processed, date_range_start, date_range_end, "
            "errors from nba_reference.processor_run_history where processor_name = 'train_models' "
            "and status = @status", {"status": status})


def test_the_job_records_its_run(wh, job, trained):
    runs = training_runs(wh, "success")
    assert runs.drop(columns="errors").to_dict("records") == [{
        "processor_name": "train_models", "phase": "phase_5_predictions", "chunk_id": WINDOW, "status": "success",
        "records_processed": trained[0].rows, "date_range_start": pd.Timestamp(WINDOW_START),
        "date_range_end": pd.Timestamp("2022-12-31")}]


def test_a_failed_job_says_which_window_and_leaves_no_marker(wh, tmp_path, monkeypatch):
    from nbaprops.jobrun import JobError

    def broken(data, window):
        raise RuntimeError("no memory left for the trees")

    monkeypatch.setattr(training, "train_window", broken)
    config = {"backend": "duckdb", "paths": {"warehouse": str(wh.root)}}
    paths = [tmp_path / name for name in ("model.json", "ensemble.json", "metrics.json")]
    with pytest.raises(JobError, match=r"^training the models of window 2022-12 failed: RuntimeError: no memory left"):
        training_job.train_window_job(config, WINDOW, *paths, tmp_path / "train.log")
    assert not any(path.exists() for path in paths)
    failed = training_runs(wh, "failed")
    assert failed[["chunk_id", "errors"]].to_dict("records") == [
        {"chunk_id": WINDOW, "errors": '[{"error_type": "RuntimeError", "error_message": "no memory left for the trees"}]'}]
    assert "no memory left for the trees" in (tmp_path / "train.log").read_text()


def test_the_ensemble_slice_and_its_xgboost_model_precede_the_window(job, trained):
    """Walk-forward for the weights: the slice is the last 10 dates before December, after
    XGBoost's early-stopping set (the 10 before); XGBoost's slice predictions come from the
    early-stopping model, trained and stopped only on dates before the slice."""
    data, _, xgb_metrics = trained
    _, written = job
    fit = written["ensemble"]
    assert fit["slice"] == {"first_date": "2022-11-21", "last_date": "2022-11-30", "dates": 10,
                            "rows": int((data.dates >= np.datetime64("2022-11-21")).sum())}  # the played games
    assert fit["slice"]["last_date"] < written["window_start"]
    assert fit["xgboost_slice_model"]["trained_last_date"] == xgb_metrics["fit_last_date"] == "2022-11-10"
    assert fit["xgboost_slice_model"]["stopped_on"] == ["2022-11-11", "2022-11-20"]
    assert fit["xgboost_slice_model"]["trained_last_date"] < fit["slice"]["first_date"]
    assert fit["xgboost_slice_model"]["rounds"] == xgb_metrics["rounds"]
    assert set(fit["slice_mae"]) == {*stacking.COMPONENTS, "ensemble_v1_confidence_weighted",
                                     "ensemble_v1_learned_in_sample"}


def test_the_slice_model_never_trained_on_the_slice(wh, tables, tmp_path):
    """From the training data: changing the slice's points leaves the slice model exactly as it
    was — its trees and its early-stopping round count (the early-stopping set precedes the
    slice) — while changing a point before the slice changes it."""
    data = training.training_data(wh, WINDOW)
    probe = training.train_window(data, WINDOW)
    slice_rows = data.dates >= np.datetime64(probe.slice_first_date)
    shifted = training.TrainingData(data.dates, data.X, np.where(slice_rows, data.y + 7, data.y).astype(np.float32))
    again = training.train_window(shifted, WINDOW)
    assert again.rounds == probe.rounds
    assert bytes(again.probe.save_raw("json")) == bytes(probe.probe.save_raw("json"))
    rounds = probe.rounds
    X = data.X[slice_rows]

    def trees(trained):
        import xgboost as xgb

        return trained.probe.predict(xgb.DMatrix(X, feature_names=list(FEATURE_NAMES)),
                                     iteration_range=(0, rounds))

    assert np.array_equal(trees(probe), trees(again))
    earlier = training.TrainingData(data.dates, data.X, np.where(~slice_rows, data.y + 7, data.y).astype(np.float32))
    assert not np.array_equal(trees(probe), trees(training.train_window(earlier, WINDOW)))


def test_rows_dated_in_the_window_change_no_ensemble_weight(wh, job, tables, tmp_path):
    paths, _ = job
    changed = {name: [dict(r) for r in rows] for name, rows in tables.items()}
    for table in (PGS, MLFS, UPGC):
        for r in changed[table]:
            if r["game_date"] >= WINDOW_START:
                if table == PGS:
                    r["points"] += 25
                elif table == MLFS:
                    r["features"] = [v * 2 for v in r["features"]]
                else:
                    r["player_status"] = "out"
    other = league_warehouse(tmp_path / "in", changed)
    raw, _ = stacking.fit_ensemble(other, WINDOW, training.train_window(training.training_data(other, WINDOW), WINDOW))
    assert raw == paths["ensemble"].read_bytes()


def test_ensemble_weights_are_deterministic(wh, job):
    paths, _ = job
    raw, metrics = stacking.fit_ensemble(wh, WINDOW, training.train_window(training.training_data(wh, WINDOW), WINDOW))
    assert raw == paths["ensemble"].read_bytes()
    assert metrics["artifact_sha256"] == job[1]["ensemble"]["artifact_sha256"]


def test_window_without_history_has_no_ensemble_weights(wh, tmp_path):
    trained = training.train_window(training.training_data(wh, "2022-11"), "2022-11")
    raw, metrics = stacking.fit_ensemble(wh, "2022-11", trained)
    assert trained.probe is None and metrics["status"] == stacking.INSUFFICIENT
    path = tmp_path / "2022-11.json"
    path.write_bytes(raw)
    assert stacking.load_weight_sets(path) == ("2022-11", [])  # the builder's confidence-weighted fallback
