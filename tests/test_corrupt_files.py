"""A damaged warehouse or model file is an error naming the table (or window), the file and the
command that rebuilds it; it is never read as empty data."""
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from nbaprops.contracts import parse_contract
from nbaprops.predictions import artifacts, stacking
from nbaprops.warehouse.duckdb_backend import MANIFEST, DamagedTableError, DuckDBWarehouse

D = dt.date
CONTRACT = parse_contract({
    "table": "nba_test.points",
    "grain": "one row per player per date",
    "date_column": "game_date",
    "primary_key": ["game_date", "player"],
    "columns": [
        {"name": "game_date", "type": "DATE", "mode": "REQUIRED"},
        {"name": "player", "type": "STRING", "mode": "REQUIRED"},
        {"name": "points", "type": "INT64"},
    ],
}, Path("<memory>"))
CHUNKS = [("2022-01-01", "2022-01-05"), ("2022-01-06", "2022-01-10")]


def rows(first: dt.date, n: int) -> pd.DataFrame:
    return pd.DataFrame([{"game_date": first + dt.timedelta(days=i), "player": p, "points": 10}
                         for i in range(n) for p in ("a", "b")])


@pytest.fixture
def built(tmp_path):
    """Two chunks of nba_test.points and their markers; returns (warehouse, table folder)."""
    markers = tmp_path / "markers"
    wh = DuckDBWarehouse(tmp_path / "warehouse", markers_root=markers)
    for start, end in CHUNKS:
        wh.replace_range(CONTRACT, D.fromisoformat(start), D.fromisoformat(end), rows(D.fromisoformat(start), 5))
        marker = markers / "nba_test" / "points" / f"{start}_{end}.json"
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("{}")
    wh.close()
    return DuckDBWarehouse(tmp_path / "warehouse", markers_root=markers), tmp_path / "warehouse/nba_test/points"


def second_file(folder: Path) -> Path:
    entry = json.loads((folder / MANIFEST).read_text())["files"][1]
    assert entry["start"] == "2022-01-06"
    return folder / entry["file"]


def count(wh) -> int:
    return int(wh.query("select count(*) as n from nba_test.points")["n"][0])


def test_a_built_table_reads_whole(built):
    wh, _ = built
    assert count(wh) == 20


def test_a_manifest_naming_a_missing_file_names_table_file_and_rebuild_command(built):
    wh, folder = built
    missing = second_file(folder)
    missing.unlink()
    with pytest.raises(DamagedTableError) as err:
        count(wh)
    message = str(err.value)
    assert message.startswith("table nba_test.points: its manifest names ")
    assert str(missing) in message and "does not exist" in message and "not read as empty" in message
    # only the chunk whose rows the file held is rebuilt
    marker = (folder.parent.parent.parent / "markers/nba_test/points/2022-01-06_2022-01-10.json").as_posix()
    assert message.endswith(f"`snakemake --cores 2 all --forcerun {marker}`")


def test_a_truncated_parquet_file_names_the_file(built):
    wh, folder = built
    damaged = second_file(folder)
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    with pytest.raises(DamagedTableError) as err:
        count(wh)
    message = str(err.value)
    assert f"its file {damaged} (dates 2022-01-06..2022-01-10) is not readable Parquet" in message
    assert message.endswith("points/2022-01-06_2022-01-10.json`")


def test_a_lost_manifest_is_not_an_empty_table(built):
    wh, folder = built
    (folder / MANIFEST).unlink()
    with pytest.raises(DamagedTableError) as err:
        count(wh)
    markers = folder.parent.parent.parent / "markers/nba_test/points"
    assert str(err.value) == (
        f"table nba_test.points: its manifest {folder / MANIFEST} is missing while {folder} holds Parquet files; "
        f"its rows are not read as empty. Move {folder} aside, then rebuild every chunk with `snakemake --cores 2 "
        f"all --forcerun {markers.as_posix()}/2022-01-01_2022-01-05.json {markers.as_posix()}/2022-01-06_2022-01-10.json`")


def test_a_lost_manifest_is_repaired_by_moving_the_folder_aside_and_rebuilding(built):
    wh, folder = built
    (folder / MANIFEST).unlink()
    folder.rename(folder.with_name("points.damaged"))
    for start, end in CHUNKS:  # what the --forcerun of every chunk runs
        wh.replace_range(CONTRACT, D.fromisoformat(start), D.fromisoformat(end), rows(D.fromisoformat(start), 5))
    assert count(DuckDBWarehouse(folder.parent.parent)) == 20


def test_a_manifest_that_is_not_json(built):
    wh, folder = built
    (folder / MANIFEST).write_text('{"files": [')
    with pytest.raises(DamagedTableError, match=r"is not a valid manifest"):
        count(wh)


def test_a_never_written_table_is_empty_not_damaged(tmp_path):
    wh = DuckDBWarehouse(tmp_path / "warehouse")
    wh.ensure_table(CONTRACT)
    assert count(wh) == 0
    assert json.loads((tmp_path / "warehouse/nba_test/points" / MANIFEST).read_text())["files"] == []


def test_rebuilding_the_named_chunk_repairs_the_table(built):
    wh, folder = built
    second_file(folder).unlink()
    wh.replace_range(CONTRACT, D(2022, 1, 6), D(2022, 1, 10), rows(D(2022, 1, 6), 5))  # what --forcerun runs
    assert count(DuckDBWarehouse(folder.parent.parent)) == 20


@pytest.mark.parametrize("damage", ["truncate", "garbage", "missing"])
def test_a_corrupt_model_file_names_the_window_file_and_retrain_command(tmp_path, damage):
    path = tmp_path / "models/xgboost_v1/2022-11.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"learner": {"gradient_booster": {}}, "version": [3, 2, 0]}) * 3)
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:40])
    elif damage == "missing":
        path.unlink()
    with pytest.raises(artifacts.DamagedArtifactError) as err:
        artifacts.load_model(path)
    message = str(err.value)
    assert message.startswith(f"the XGBoost model of window 2022-11 {path} ")
    assert message.endswith(f"`snakemake --cores 2 all --forcerun {path.as_posix()}`")


def test_corrupt_ensemble_weights_name_the_file(tmp_path):
    path = tmp_path / "2022-11.json"
    path.write_text('{"nbaprops_ensemble": "fitted", "weight_sets": [{"systems": ')
    with pytest.raises(artifacts.DamagedArtifactError, match=r"the ensemble weights of window 2022-11 .* is not valid JSON"):
        stacking.load_weight_sets(path)
