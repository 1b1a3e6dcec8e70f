"""The embedded warehouse: atomic range replacement, idempotency, kill safety, parallel writers."""
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from multiprocessing import Process

import pandas as pd
import pytest

from nbaprops.contracts import parse_contract
from nbaprops.warehouse.base import WarehouseError
from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse

D = dt.date
CONTRACT_DOC = {
    "table": "nba_test.points",
    "grain": "one row per player per date",
    "date_column": "game_date",
    "primary_key": ["game_date", "player"],
    "columns": [
        {"name": "game_date", "type": "DATE", "mode": "REQUIRED"},
        {"name": "player", "type": "STRING", "mode": "REQUIRED"},
        {"name": "points", "type": "INT64"},
    ],
}
CONTRACT = parse_contract(CONTRACT_DOC, __import__("pathlib").Path("<memory>"))


def rows(dates, players=("a", "b"), points=10):
    return pd.DataFrame([{"game_date": d, "player": p, "points": points} for d in dates for p in players])


def table(wh):
    return wh.query("select game_date, player, points from nba_test.points order by 1, 2")


def days(first, n):
    return [first + dt.timedelta(days=i) for i in range(n)]


def test_replace_is_idempotent(tmp_path):
    wh = DuckDBWarehouse(tmp_path)
    data = rows(days(D(2022, 1, 1), 5))
    assert wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 5), data) == 10
    first = table(wh)
    wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 5), data)
    pd.testing.assert_frame_equal(first, table(wh))
    assert len(first) == 10


def test_replace_keeps_rows_outside_range_even_inside_an_old_file(tmp_path):
    wh = DuckDBWarehouse(tmp_path)
    wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 10), rows(days(D(2022, 1, 1), 10)))
    # A different chunking later replaces the middle of the old file with new values.
    wh.replace_range(CONTRACT, D(2022, 1, 4), D(2022, 1, 6), rows(days(D(2022, 1, 4), 3), points=99))
    out = table(wh)
    assert len(out) == 20
    assert out.groupby("points").size().to_dict() == {10: 14, 99: 6}
    # A fresh reader sees the same committed state.
    assert len(table(DuckDBWarehouse(tmp_path))) == 20


def test_replace_with_no_rows_empties_the_range(tmp_path):
    wh = DuckDBWarehouse(tmp_path)
    wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 3), rows(days(D(2022, 1, 1), 3)))
    wh.replace_range(CONTRACT, D(2022, 1, 2), D(2022, 1, 2), rows([]).reindex(columns=["game_date", "player", "points"]))
    assert sorted(set(table(wh)["game_date"].dt.date)) == [D(2022, 1, 1), D(2022, 1, 3)]


def test_rows_outside_the_range_are_refused_and_nothing_changes(tmp_path):
    wh = DuckDBWarehouse(tmp_path)
    wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 3), rows(days(D(2022, 1, 1), 3)))
    with pytest.raises(WarehouseError, match="fall outside the range"):
        wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 2), rows(days(D(2022, 1, 1), 3), points=1))
    assert set(table(wh)["points"]) == {10}


def test_schema_is_enforced(tmp_path):
    wh = DuckDBWarehouse(tmp_path)
    bad = rows([D(2022, 1, 1)]).drop(columns=["points"])
    with pytest.raises(WarehouseError, match=r"missing columns \['points'\]"):
        wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 1), bad)
    nulls = rows([D(2022, 1, 1)])
    nulls.loc[0, "player"] = None
    with pytest.raises(WarehouseError, match="player is REQUIRED but 1 of 2 rows are NULL"):
        wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 1), nulls)


def test_empty_table_has_typed_view(tmp_path):
    wh = DuckDBWarehouse(tmp_path)
    wh.ensure_table(CONTRACT)
    assert wh.dates_present(CONTRACT, D(2000, 1, 1), D(2100, 1, 1)) == []


def test_select_sql_runs_bigquery_dialect(tmp_path):
    wh = DuckDBWarehouse(tmp_path)
    wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 3), rows(days(D(2022, 1, 1), 3)))
    derived = parse_contract({**CONTRACT_DOC, "table": "nba_test.doubled"}, __import__("pathlib").Path("<memory>"))
    n = wh.replace_range(derived, D(2022, 1, 2), D(2022, 1, 3), select_sql=(
        "select game_date, player, points * 2 as points from nba_test.points "
        "where game_date between @start_date and date_add(@start_date, interval 1 day)"),
        params={"start_date": D(2022, 1, 2), "end_date": D(2022, 1, 3)})
    assert n == 4
    assert wh.dates_present(derived, D(2022, 1, 1), D(2022, 1, 31)) == [D(2022, 1, 2), D(2022, 1, 3)]


KILLED_WRITER = textwrap.dedent("""
    import datetime as dt, sys, time, pathlib
    sys.path.insert(0, {tests!r})
    from test_duckdb_warehouse import CONTRACT, rows, days
    from nbaprops.warehouse.duckdb_backend import DuckDBWarehouse
    wh = DuckDBWarehouse({root!r})
    def stall(*a, **k):
        print("written", flush=True)
        time.sleep(60)
    wh._commit = stall
    wh.replace_range(CONTRACT, dt.date(2022, 1, 1), dt.date(2022, 1, 3), rows(days(dt.date(2022, 1, 1), 3), points=77))
""")


def test_a_killed_writer_leaves_no_partial_data(tmp_path):
    wh = DuckDBWarehouse(tmp_path)
    wh.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 3), rows(days(D(2022, 1, 1), 3)))
    before = table(wh)
    script = KILLED_WRITER.format(tests=os.path.dirname(__file__), root=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "written"  # its new file is on disk, uncommitted
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    pd.testing.assert_frame_equal(before, table(DuckDBWarehouse(tmp_path)))
    # The next writer commits normally and the orphan never becomes visible.
    wh2 = DuckDBWarehouse(tmp_path)
    wh2.replace_range(CONTRACT, D(2022, 1, 1), D(2022, 1, 3), rows(days(D(2022, 1, 1), 3), points=5))
    assert set(table(wh2)["points"]) == {5} and len(table(wh2)) == 6


def _writer(root, first):
    wh = DuckDBWarehouse(root)
    for _ in range(5):
        wh.replace_range(CONTRACT, first, first + dt.timedelta(days=1), rows(days(first, 2)))


def test_parallel_writers_to_one_table_never_lose_or_duplicate_rows(tmp_path):
    procs = [Process(target=_writer, args=(str(tmp_path), D(2022, 1, 1) + dt.timedelta(days=2 * i))) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    out = table(DuckDBWarehouse(tmp_path))
    assert len(out) == 16
    assert not out.duplicated(["game_date", "player"]).any()


def test_a_memory_limit_is_set_and_its_spill_folder_removed_on_close(tmp_path):
    wh = DuckDBWarehouse(tmp_path / "wh", memory_limit="512MB")
    assert wh.con.execute("select current_setting('memory_limit')").fetchone()[0] in ("488.2 MiB", "512.0 MB")
    spill = wh.con.execute("select current_setting('temp_directory')").fetchone()[0]
    assert os.path.isdir(spill)
    wh.close()
    assert not os.path.exists(spill)


@pytest.mark.parametrize("value", ["lots", "2 parsecs", 2])
def test_a_bad_memory_limit_names_the_config_key(tmp_path, value):
    with pytest.raises(WarehouseError, match="config 'duckdb.memory_limit' is"):
        DuckDBWarehouse(tmp_path / "wh", memory_limit=value)


def test_spill_folders_of_killed_jobs_are_removed(tmp_path, monkeypatch):
    """A job killed with kill -9 never closes its warehouse: the next job removes its spill folder
    (a process that is gone) and leaves those of running ones alone."""
    import tempfile

    from nbaprops.warehouse import duckdb_backend

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    killed = tmp_path / f"{duckdb_backend.SPILL_PREFIX}{dead}-abc"
    running = tmp_path / f"{duckdb_backend.SPILL_PREFIX}{os.getppid()}-def"
    for folder in (killed, running):
        folder.mkdir()
        (folder / "duckdb_temp_storage-0.tmp").write_bytes(b"x" * 10)
    mine = duckdb_backend.spill_folder()
    assert not killed.exists() and running.exists()
    assert os.path.basename(mine).startswith(f"{duckdb_backend.SPILL_PREFIX}{os.getpid()}-")
