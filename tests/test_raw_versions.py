"""Raw data versions (D11): digests per table and date decide what re-runs."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from nbaprops.raw import versions
from nbaprops.raw.versions import DemoVersions, RawVersions, file_date_digests

D = dt.date
SCHEDULE = "nba_raw.nbac_schedule"
TRAVEL = "nba_static.travel_distances"

HEADER = "game_id,game_date,home_team_tricode,away_team_tricode,game_status\n"
ROWS = [
    "0022200001,2022-10-18,BOS,PHI,3\n",
    "0022200002,2022-10-18,GSW,LAL,3\n",
    "0022200003,2022-10-19,DEN,UTA,3\n",
]


def span(season: int) -> tuple[int, dt.date, dt.date]:
    return season, D(season, 7, 1), D(season + 1, 6, 30)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "".join(lines))
    return path


def test_digests_are_per_date_and_ignore_row_order(tmp_path):
    a = file_date_digests(write(tmp_path / "a.csv", ROWS), "game_date")
    b = file_date_digests(write(tmp_path / "b.csv", [ROWS[1], ROWS[2], ROWS[0]]), "game_date")
    assert sorted(a) == ["2022-10-18", "2022-10-19"]
    assert a == b


def test_appended_day_changes_only_its_own_date(tmp_path):
    before = file_date_digests(write(tmp_path / "s.csv", ROWS), "game_date")
    after = file_date_digests(write(tmp_path / "s.csv", ROWS + ["0022200004,2022-10-20,MIA,CHI,3\n"]),
                              "game_date")
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) == {"2022-10-20"}


def test_a_corrected_row_changes_its_date_only(tmp_path):
    before = file_date_digests(write(tmp_path / "s.csv", ROWS), "game_date")
    after = file_date_digests(write(tmp_path / "s.csv", [ROWS[0], ROWS[1].replace(",3", ",1"), ROWS[2]]),
                              "game_date")
    assert after["2022-10-19"] == before["2022-10-19"]
    assert after["2022-10-18"] != before["2022-10-18"]


def test_unparsable_dates_and_files_land_in_the_undated_bucket(tmp_path):
    digests = file_date_digests(write(tmp_path / "s.csv", ROWS + ["0022200009,someday,MIA,CHI,3\n"]), "game_date")
    assert versions.UNDATED in digests and "2022-10-18" in digests
    broken = tmp_path / "b.parquet"
    broken.write_bytes(b"not parquet")
    assert list(file_date_digests(broken, "game_date")) == [versions.UNDATED]


def test_window_versions_follow_the_dates_they_cover():
    old = RawVersions({SCHEDULE: {"2022-10-18": 1, "2022-10-19": 2}}, "code")
    new = RawVersions({SCHEDULE: {"2022-10-18": 1, "2022-10-19": 2, "2022-10-20": 3}}, "code")
    early = [(SCHEDULE, D(2022, 10, 1), D(2022, 10, 19))]
    late = [(SCHEDULE, D(2022, 10, 1), D(2022, 10, 20))]
    assert old.window(early) == new.window(early)  # a job reading only old dates does not re-run
    assert old.window(late) != new.window(late)
    assert old.season(*span(2022)) != new.season(*span(2022))
    assert old.season(*span(2021)) == new.season(*span(2021))
    # The loader's code is part of every version.
    assert RawVersions({SCHEDULE: {"2022-10-18": 1}}, "other").window(early) != old.window(early)


def test_undated_rows_and_static_tables_reach_every_window():
    window = [(SCHEDULE, D(2022, 10, 18), D(2022, 10, 18)), (TRAVEL, D(2022, 10, 18), D(2022, 10, 18))]
    base = RawVersions({SCHEDULE: {"2022-10-18": 1}, TRAVEL: {"2000-01-01": 7}}, "c", static=[TRAVEL])
    travel = RawVersions({SCHEDULE: {"2022-10-18": 1}, TRAVEL: {"2000-01-01": 8}}, "c", static=[TRAVEL])
    undated = RawVersions({SCHEDULE: {"2022-10-18": 1, versions.UNDATED: 5}, TRAVEL: {"2000-01-01": 7}}, "c",
                          static=[TRAVEL])
    assert len({base.window(window), travel.window(window), undated.window(window)}) == 3


def test_demo_versions_are_one_per_season_and_seed():
    def dates(season):
        return [D(season, 11, 1), D(season, 11, 2)]

    a, b = DemoVersions("demo:1", "code", dates), DemoVersions("demo:2", "code", dates)
    assert a.season(*span(2022)) != a.season(*span(2023))
    assert a.season(*span(2022)) != b.season(*span(2022))
    w = [(SCHEDULE, D(2022, 11, 1), D(2022, 11, 30))]
    assert a.window(w) == DemoVersions("demo:1", "code", dates).window(w)


def test_files_cache_rereads_only_touched_files(tmp_path, monkeypatch):
    folder = tmp_path / "raw"
    folder.mkdir()
    schedule = write(folder / "nbac_schedule.csv", ROWS)
    calls = []
    real = versions.file_date_digests
    monkeypatch.setattr(versions, "file_date_digests", lambda p, c: calls.append(p.name) or real(p, c))
    config = {"raw": {"source": "files", "path": str(folder)}}
    cache = tmp_path / "cache.json"
    first = versions.raw_versions(config, [SCHEDULE], cache_path=cache)
    second = versions.raw_versions(config, [SCHEDULE], cache_path=cache)
    assert calls == ["nbac_schedule.csv"]  # the second plan used the cache
    assert first.season(*span(2022)) == second.season(*span(2022))
    write(schedule, ROWS + ["0022200004,2022-10-20,MIA,CHI,3\n"])
    os.utime(schedule, ns=(1, 1))  # a new stamp even within the clock's resolution
    third = versions.raw_versions(config, [SCHEDULE], cache_path=cache)
    assert calls == ["nbac_schedule.csv", "nbac_schedule.csv"]
    assert third.season(*span(2022)) != first.season(*span(2022))
    assert third.window([(SCHEDULE, D(2022, 10, 18), D(2022, 10, 19))]) == \
        first.window([(SCHEDULE, D(2022, 10, 18), D(2022, 10, 19))])


def test_an_unreadable_cache_is_only_a_slower_run(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    write(folder / "nbac_schedule.csv", ROWS)
    cache = tmp_path / "cache.json"
    cache.write_text("{not json")
    got = versions.raw_versions({"raw": {"source": "files", "path": str(folder)}}, [SCHEDULE], cache_path=cache)
    assert got.season(*span(2022))


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_parquet_and_csv_digest_the_same_dates(tmp_path, suffix):
    import pandas as pd

    path = write(tmp_path / "s.csv", ROWS)
    if suffix == "parquet":
        pd.read_csv(path, dtype=str).to_parquet(tmp_path / "s.parquet")
        path = tmp_path / "s.parquet"
    assert sorted(file_date_digests(path, "game_date")) == ["2022-10-18", "2022-10-19"]
