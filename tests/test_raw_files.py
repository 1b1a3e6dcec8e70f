"""The ``files`` raw source on tiny hand-made folders: round trips, errors, quarantine."""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from nbaprops.contracts import load_contract
from nbaprops.raw import raw_tables
from nbaprops.raw.files import (
    RawInputError,
    derive_registry,
    read_raw_folder,
    read_raw_folder_with_report,
)
from nbaprops.warehouse import schema

START, END = dt.date(2024, 1, 1), dt.date(2024, 1, 31)
TS = "2024-01-06T03:00:00Z"


def _gamebook(game_id, day, away, home, lookup, name, team, points=10, status="active"):
    played = status == "active"
    stat = (lambda v: v) if played else (lambda v: None)
    return {
        "game_id": game_id, "game_date": day, "season_year": 2023, "home_team_abbr": home,
        "away_team_abbr": away, "player_lookup": lookup, "player_name": name, "team_abbr": team,
        "player_status": status, "minutes": stat("30:00"), "minutes_decimal": stat(30.0),
        "points": stat(points), "field_goals_made": stat(points // 2), "field_goals_attempted": stat(points),
        "three_pointers_made": stat(0), "three_pointers_attempted": stat(1), "free_throws_made": stat(points % 2),
        "free_throws_attempted": stat(2), "offensive_rebounds": stat(1), "defensive_rebounds": stat(3),
        "total_rebounds": stat(4), "assists": stat(5), "steals": stat(1), "blocks": stat(0),
        "turnovers": stat(2), "personal_fouls": stat(3), "plus_minus": stat(-4), "processed_at": TS,
    }


def _bdl(game_id, day, lookup, name, team, points=10, season=2023):
    return {
        "game_id": game_id, "game_date": day, "season_year": season, "team_abbr": team,
        "player_lookup": lookup, "player_full_name": name, "minutes": "30", "points": points,
        "assists": 5, "rebounds": 4, "offensive_rebounds": 1, "defensive_rebounds": 3, "steals": 1,
        "blocks": 0, "turnovers": 2, "personal_fouls": 3, "field_goals_made": points // 2,
        "field_goals_attempted": points, "three_pointers_made": 0, "three_pointers_attempted": 1,
        "free_throws_made": points % 2, "free_throws_attempted": 2, "processed_at": TS,
    }


def _team_box(game_id, day, team, is_home, points, processed_at=TS):
    return {
        "game_id": game_id, "nba_game_id": "0022300500", "game_date": day, "season_year": 2023,
        "team_abbr": team, "team_name": f"{team} team", "is_home": is_home, "minutes": "240:00",
        "points": points, "fg_made": 40, "fg_attempted": 85, "three_pt_made": 10, "three_pt_attempted": 30,
        "ft_made": points - 90, "ft_attempted": 25, "offensive_rebounds": 10, "defensive_rebounds": 30,
        "total_rebounds": 40, "assists": 25, "steals": 7, "blocks": 5, "turnovers": 12,
        "personal_fouls": 18, "plus_minus": 5, "fg_percentage": 0.471, "three_pt_percentage": 0.333,
        "ft_percentage": 0.8, "processed_at": processed_at,
    }


def valid_tables() -> dict[str, list[dict]]:
    """One small consistent league: two final games in Jan 2024 (season 2023), one scheduled game,
    and a final game of the previous season (2023-03-01) that the season restriction drops."""
    g1, g2, g0 = "20240105_BOS_NYK", "20240106_LAL_GSW", "20230301_MIA_ATL"
    return {
        "nbac_schedule": [
            {"game_id": "0022300501", "game_code": "20240105/BOSNYK", "game_date": "2024-01-05",
             "game_date_est": "2024-01-06T00:30:00Z", "season_year": 2023, "game_status": 3,
             "home_team_tricode": "NYK", "away_team_tricode": "BOS", "home_team_score": 101,
             "away_team_score": 99, "winning_team_tricode": "NYK", "is_primetime": True,
             "data_source": "nba.com", "processed_at": TS},
            {"game_id": "0022300502", "game_code": "20240106/LALGSW", "game_date": "2024-01-06",
             "game_date_est": "2024-01-07T03:30:00Z", "season_year": 2023, "game_status": 3,
             "home_team_tricode": "GSW", "away_team_tricode": "LAL", "home_team_score": 110,
             "away_team_score": 120, "winning_team_tricode": "LAL", "is_primetime": False,
             "data_source": "nba.com", "processed_at": TS},
            {"game_id": "0022300503", "game_code": "20240201/ATLMIA", "game_date": "2024-02-01",
             "game_date_est": "2024-02-02T00:30:00Z", "season_year": 2023, "game_status": 1,
             "home_team_tricode": "MIA", "away_team_tricode": "ATL", "home_team_score": None,
             "away_team_score": None, "winning_team_tricode": None, "is_primetime": False,
             "data_source": "nba.com", "processed_at": TS},
            {"game_id": "0022200900", "game_code": "20230301/MIAATL", "game_date": "2023-03-01",
             "game_date_est": "2023-03-02T00:30:00Z", "season_year": 2022, "game_status": 3,
             "home_team_tricode": "ATL", "away_team_tricode": "MIA", "home_team_score": 100,
             "away_team_score": 90, "winning_team_tricode": "ATL", "is_primetime": False,
             "data_source": "nba.com", "processed_at": TS},
        ],
        "nbac_gamebook_player_stats": [
            _gamebook(g1, "2024-01-05", "BOS", "NYK", "jaysontatum", "Jayson Tatum", "BOS", 30),
            _gamebook(g1, "2024-01-05", "BOS", "NYK", "jalenbrunson", "Jalen Brunson", "NYK", 28),
            _gamebook(g1, "2024-01-05", "BOS", "NYK", "mitchellrobinson", "Mitchell Robinson", "NYK",
                      status="inactive"),
            _gamebook(g2, "2024-01-06", "LAL", "GSW", "lebronjames", "LeBron James", "LAL", 25),
            _gamebook(g2, "2024-01-06", "LAL", "GSW", "stephencurry", "Stephen Curry", "GSW", 33),
            _gamebook(g0, "2023-03-01", "MIA", "ATL", "traeyoung", "Trae Young", "ATL", 31),
        ],
        "bdl_player_boxscores": [
            _bdl(g1, "2024-01-05", "jaysontatum", "Jayson Tatum", "BOS", 30),
            _bdl(g1, "2024-01-05", "jalenbrunson", "Jalen Brunson", "NYK", 28),
            _bdl(g2, "2024-01-06", "lebronjames", "LeBron James", "LAL", 25),
            _bdl(g2, "2024-01-06", "stephencurry", "Stephen Curry", "GSW", 33),
            _bdl(g0, "2023-03-01", "jimmybutler", "Jimmy Butler", "MIA", 22, season=2022),
        ],
        "nbac_team_boxscore": [
            _team_box(g1, "2024-01-05", "BOS", False, 99),
            _team_box(g1, "2024-01-05", "NYK", True, 101),
            _team_box(g2, "2024-01-06", "LAL", False, 120),
            _team_box(g2, "2024-01-06", "GSW", True, 110),
        ],
        "odds_api_player_points_props": [
            {"game_id": g1, "game_date": "2024-01-05", "player_lookup": "jaysontatum",
             "player_name": "Jayson Tatum", "bookmaker": bk, "points_line": line,
             "over_price_american": -110, "under_price_american": -110, "snapshot_timestamp": snap,
             "minutes_before_tipoff": mins, "home_team_abbr": "NYK", "away_team_abbr": "BOS",
             "game_start_time": "2024-01-06T00:30:00Z"}
            for bk, line, snap, mins in [("draftkings", 27.5, "2024-01-05T15:00:00Z", 570),
                                         ("draftkings", 28.5, "2024-01-05T23:00:00Z", 90),
                                         ("fanduel", 27.5, "2024-01-05T15:00:00Z", 570)]
        ],
        "bettingpros_player_points_props": [
            {"game_date": "2024-01-05", "player_lookup": "jaysontatum", "points_line": 28.5,
             "opening_line": 27.5, "bookmaker": "BetMGM", "bookmaker_last_update": TS, "is_active": True,
             "is_best_line": False, "player_team": "BOS", "validated_team": "BOS", "bet_side": "over",
             "odds_american": -115},
        ],
        "odds_api_game_lines": [
            {"game_id": "a" * 32, "game_date": "2024-01-05", "home_team_abbr": "NYK",
             "away_team_abbr": "BOS", "bookmaker_key": "draftkings", "market_key": "totals",
             "outcome_name": "Over", "outcome_point": 221.5, "outcome_price": 1.91,
             "snapshot_timestamp": TS},
        ],
        "bigdataball_play_by_play": [
            {"game_id": g1, "game_date": "2024-01-05", "home_team_abbr": "NYK", "away_team_abbr": "BOS",
             "event_sequence": 1, "event_type": "shot", "event_subtype": "3pt jump shot",
             "shot_made": True, "shot_type": "3PT", "shot_distance": 25.0,
             "player_1_lookup": "jaysontatum", "player_1_team_abbr": "BOS",
             "player_2_lookup": "jayleenbrown", "player_2_role": "assist"},
        ],
        "nbac_injury_report": [
            {"report_date": "2024-01-05", "report_hour": 17, "game_date": "2024-01-05", "game_id": g1,
             "team": "NYK", "player_lookup": "mitchellrobinson", "injury_status": "out",
             "reason": "Injury/Illness - Left Ankle; Surgery", "reason_category": "injury",
             "confidence_score": 0.95},
        ],
        "nba_players_registry": [
            {"player_lookup": "jaysontatum", "universal_player_id": "jaysontatum_007",
             "player_name": "Jayson Tatum", "team_abbr": "BOS", "season_year": 2023,
             "first_game_date": "2023-10-25"},
        ],
        "travel_distances": [
            {"from_team": "BOS", "to_team": "NYK", "distance_miles": 190, "valid_from": "2000-01-01"},
            {"from_team": "NYK", "to_team": "BOS", "distance_miles": 190, "valid_from": "2000-01-01"},
        ],
    }


def _table(name: str) -> str:
    return next(t for t in raw_tables() if t.endswith("." + name))


def write_folder(folder: Path, tables: dict[str, list[dict] | pd.DataFrame], fmt: str = "csv",
                 skip: tuple[str, ...] = ()) -> Path:
    """Write each table as ``<name>.csv`` (values as given) or ``<name>.parquet`` (typed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        if name in skip:
            continue
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
        if fmt == "csv":
            frame.to_csv(folder / f"{name}.csv", index=False)
        else:
            contract = load_contract(_table(name))
            typed = frame.copy()
            for col in contract.columns:
                if col.type == "DATE":
                    typed[col.name] = pd.to_datetime(typed[col.name]).dt.date
                elif col.type == "TIMESTAMP":
                    typed[col.name] = pd.to_datetime(typed[col.name], utc=True)
            pq.write_table(schema.conform(contract, typed), folder / f"{name}.parquet")
    return folder


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def csv_text(rows: list[dict]) -> str:
    return pd.DataFrame(rows).to_csv(index=False)


@pytest.fixture
def csv_folder(tmp_path) -> Path:
    return write_folder(tmp_path / "raw", valid_tables())


def _read(folder, start=START, end=END, **kw):
    return read_raw_folder_with_report(folder, start, end, **kw)


# --------------------------------------------------------------------------------------------
# round trips


def _assert_conforms(frames: dict[str, pd.DataFrame]) -> dict:
    assert set(frames) == set(raw_tables())
    conformed = {}
    for table in raw_tables():
        contract = load_contract(table)
        assert list(frames[table].columns) == contract.column_names, table
        conformed[table] = schema.conform(contract, frames[table])
    return conformed


def test_csv_folder_round_trips_to_contract_conforming_frames(csv_folder):
    frames, report = _read(csv_folder)
    conformed = _assert_conforms(frames)
    sched = frames["nba_raw.nbac_schedule"]
    assert sched["game_id"].tolist() == ["0022300501", "0022300502", "0022300503"]  # zeros kept
    assert sched["game_date"].tolist() == [dt.date(2024, 1, 5), dt.date(2024, 1, 6), dt.date(2024, 2, 1)]
    assert sched["is_primetime"].tolist() == [True, False, False]
    assert sched["game_date_est"][0] == pd.Timestamp("2024-01-06 00:30", tz="UTC")
    assert sched["home_team_score"].isna().tolist() == [False, False, True]
    gamebook = frames["nba_raw.nbac_gamebook_player_stats"]
    assert len(gamebook) == 5 and gamebook.loc[2, "points"] is pd.NA
    props = conformed["nba_raw.odds_api_player_points_props"]
    assert props.column("points_line").to_pylist() == [27.5, 28.5, 27.5]
    assert conformed["nba_raw.nbac_team_boxscore"].num_rows == 4
    # every file was read whole, nothing quarantined
    assert report.rows_quarantined == 0
    assert report["nbac_schedule.csv"].rows_read == 4
    assert report["nbac_schedule"].rows_kept == 3
    assert report["nbac_schedule"].rows_outside_seasons == 1
    # a registry file and a travel file are used as given
    assert frames["nba_reference.nba_players_registry"]["universal_player_id"].tolist() == ["jaysontatum_007"]
    assert len(frames["nba_static.travel_distances"]) == 2


def test_parquet_folder_round_trips_like_the_csv_folder(tmp_path, csv_folder):
    parquet_folder = write_folder(tmp_path / "pq", valid_tables(), fmt="parquet")
    assert not list(parquet_folder.glob("*.csv"))
    frames, report = _read(parquet_folder)
    from_parquet = _assert_conforms(frames)
    from_csv = _assert_conforms(_read(csv_folder)[0])
    for table in raw_tables():
        assert from_parquet[table].equals(from_csv[table]), table
    assert report["nbac_schedule.parquet"].unit == "row"


def test_dataset_qualified_file_names_are_accepted(tmp_path):
    folder = write_folder(tmp_path / "raw", valid_tables())
    (folder / "nbac_schedule.csv").rename(folder / "nba_raw.nbac_schedule.csv")
    frames, report = _read(folder)
    assert len(frames["nba_raw.nbac_schedule"]) == 3
    assert report["nba_raw.nbac_schedule"].file == "nba_raw.nbac_schedule.csv"


# --------------------------------------------------------------------------------------------
# files present / absent


def test_csv_and_parquet_of_one_table_is_an_error(tmp_path, csv_folder):
    write_folder(csv_folder, {"nbac_schedule": valid_tables()["nbac_schedule"]}, fmt="parquet")
    with pytest.raises(RawInputError) as err:
        _read(csv_folder)
    msg = str(err.value)
    assert "nbac_schedule.parquet" in msg and "nbac_schedule.csv" in msg and "keep one" in msg


def test_missing_schedule_names_the_file_and_the_folder(tmp_path):
    folder = write_folder(tmp_path / "x", valid_tables(), skip=("nbac_schedule",))
    with pytest.raises(RawInputError) as err:
        _read(folder)
    assert str(err.value) == (f"nbac_schedule is required: put nbac_schedule.parquet or "
                              f"nbac_schedule.csv in {folder}")


def test_missing_bdl_is_an_error(tmp_path):
    folder = write_folder(tmp_path / "x", valid_tables(), skip=("bdl_player_boxscores",))
    with pytest.raises(RawInputError, match="bdl_player_boxscores is required: put "
                       "bdl_player_boxscores.parquet or bdl_player_boxscores.csv in"):
        _read(folder)


def test_gamebook_absent_but_bdl_present_gives_an_empty_gamebook(tmp_path, caplog):
    folder = write_folder(tmp_path / "x", valid_tables(), skip=("nbac_gamebook_player_stats",))
    with caplog.at_level(logging.INFO, logger="nbaprops.raw.files"):
        frames, _ = _read(folder)
    gamebook = frames["nba_raw.nbac_gamebook_player_stats"]
    assert gamebook.empty
    assert list(gamebook.columns) == load_contract("nba_raw.nbac_gamebook_player_stats").column_names
    assert "empty gamebook" in caplog.text


def test_gamebook_and_bdl_both_absent_is_an_error(tmp_path):
    folder = write_folder(tmp_path / "x", valid_tables(),
                          skip=("nbac_gamebook_player_stats", "bdl_player_boxscores"))
    with pytest.raises(RawInputError) as err:
        _read(folder)
    msg = str(err.value)
    assert "player box scores are required" in msg
    assert "bdl_player_boxscores.csv" in msg and "nbac_gamebook_player_stats.csv" in msg


def test_a_final_game_without_gamebook_or_bdl_rows_is_an_error(tmp_path):
    tables = valid_tables()
    tables["nbac_gamebook_player_stats"] = [r for r in tables["nbac_gamebook_player_stats"]
                                            if r["game_date"] != "2024-01-06"]
    tables["bdl_player_boxscores"] = [r for r in tables["bdl_player_boxscores"]
                                      if r["game_date"] != "2024-01-06"]
    folder = write_folder(tmp_path / "x", tables)
    with pytest.raises(RawInputError) as err:
        _read(folder)
    msg = str(err.value)
    assert "1 final game(s) of nbac_schedule.csv" in msg and "2024-01-06 LAL@GSW" in msg
    # outside [start, end] the game is history: not checked
    _read(folder, START, dt.date(2024, 1, 5))


def test_games_covered_by_bdl_alone_are_accepted(tmp_path):
    tables = valid_tables()
    tables["nbac_gamebook_player_stats"] = [r for r in tables["nbac_gamebook_player_stats"]
                                            if r["game_date"] != "2024-01-06"]
    frames, _ = _read(write_folder(tmp_path / "x", tables))
    assert len(frames["nba_raw.nbac_gamebook_player_stats"]) == 3


def test_optional_tables_absent_are_empty_with_contract_columns(tmp_path, caplog):
    optional = ("nbac_team_boxscore", "odds_api_player_points_props", "bettingpros_player_points_props",
                "odds_api_game_lines", "bigdataball_play_by_play", "nbac_injury_report")
    folder = write_folder(tmp_path / "x", valid_tables(), skip=optional)
    with caplog.at_level(logging.INFO, logger="nbaprops.raw.files"):
        frames, report = _read(folder)
    conformed = _assert_conforms(frames)
    for name in optional:
        assert conformed[_table(name)].num_rows == 0
        assert report[name].file is None
        assert f"nba_raw.{name}: no file; optional" in caplog.text


def test_folder_that_does_not_exist(tmp_path):
    with pytest.raises(RawInputError, match="raw folder .*nope does not exist"):
        _read(tmp_path / "nope")


def test_empty_file_of_a_required_table_is_an_error_of_an_optional_one_a_note(tmp_path, csv_folder):
    write_csv(csv_folder / "nbac_injury_report.csv", "")
    frames, report = _read(csv_folder)
    assert frames["nba_raw.nbac_injury_report"].empty
    assert report["nbac_injury_report"].notes == [
        "the file is empty (zero bytes): nba_raw.nbac_injury_report is empty"]
    write_csv(csv_folder / "nbac_schedule.csv", "")
    with pytest.raises(RawInputError, match=r"^nbac_schedule.csv is empty \(zero bytes\); "
                                            r"nbac_schedule is required"):
        _read(csv_folder)


def test_header_only_file_is_an_empty_table(tmp_path, csv_folder):
    columns = load_contract("nba_raw.nbac_injury_report").column_names
    write_csv(csv_folder / "nbac_injury_report.csv", ",".join(columns) + "\n")
    frames, report = _read(csv_folder)
    assert frames["nba_raw.nbac_injury_report"].empty
    assert report["nbac_injury_report.csv"].rows_read == 0


# --------------------------------------------------------------------------------------------
# columns


def test_missing_critical_column_is_one_clear_error(tmp_path):
    tables = valid_tables()
    for row in tables["nbac_schedule"]:
        del row["home_team_tricode"]
    folder = write_folder(tmp_path / "x", tables)
    with pytest.raises(RawInputError) as err:
        _read(folder)
    assert "nbac_schedule.csv: missing column 'home_team_tricode' (critical)" in str(err.value)


def test_several_missing_critical_columns_are_named_together(tmp_path):
    tables = valid_tables()
    for row in tables["bdl_player_boxscores"]:
        del row["points"], row["steals"]
    with pytest.raises(RawInputError, match=r"bdl_player_boxscores.csv: missing columns "
                                            r"'points' \(critical\), 'steals' \(critical\)"):
        _read(write_folder(tmp_path / "x", tables))


def test_missing_non_critical_columns_are_null_and_extra_columns_ignored(tmp_path, caplog):
    tables = valid_tables()
    for row in tables["nbac_schedule"]:
        del row["is_primetime"], row["processed_at"]
        row["arena_name"] = "somewhere"
        row["broadcaster"] = "TNT"
    folder = write_folder(tmp_path / "x", tables)
    with caplog.at_level(logging.INFO, logger="nbaprops.raw.files"):
        frames, report = _read(folder)
    sched = frames["nba_raw.nbac_schedule"]
    assert sched["is_primetime"].isna().all() and sched["processed_at"].isna().all()
    assert "arena_name" not in sched.columns
    schema.conform(load_contract("nba_raw.nbac_schedule"), sched)
    assert caplog.text.count("ignoring columns not in the contract: arena_name, broadcaster") == 1
    assert "filled with NULL: is_primetime, processed_at" in caplog.text
    assert any("is_primetime" in n for n in report["nbac_schedule"].notes)


def test_column_names_match_ignoring_case_and_blanks(tmp_path, csv_folder):
    path = csv_folder / "nbac_injury_report.csv"
    lines = path.read_text().splitlines()
    lines[0] = ",".join(f" {c.upper()} " for c in lines[0].split(","))
    path.write_text("\n".join(lines) + "\n")
    frames, _ = _read(csv_folder)
    assert frames["nba_raw.nbac_injury_report"]["injury_status"].tolist() == ["out"]


def test_missing_game_code_is_derived_from_date_and_teams(tmp_path):
    tables = valid_tables()
    for row in tables["nbac_schedule"]:
        del row["game_code"]
    frames, report = _read(write_folder(tmp_path / "x", tables))
    assert frames["nba_raw.nbac_schedule"]["game_code"].tolist() == [
        "20240105/BOSNYK", "20240106/LALGSW", "20240201/ATLMIA"]
    assert frames["nba_raw.nbac_schedule"]["game_id"].tolist()[0] == "0022300501"


def test_missing_event_sequence_is_numbered_per_game(tmp_path):
    tables = valid_tables()
    row = tables["bigdataball_play_by_play"][0]
    del row["event_sequence"]
    tables["bigdataball_play_by_play"] = [row, {**row, "shot_made": False, "player_2_lookup": None,
                                                "player_2_role": None}]
    frames, _ = _read(write_folder(tmp_path / "x", tables))
    assert frames["nba_raw.bigdataball_play_by_play"]["event_sequence"].tolist() == [1, 2]


# --------------------------------------------------------------------------------------------
# values and types


def _schedule_with(tmp_path, column, values):
    tables = valid_tables()
    for row, value in zip(tables["nbac_schedule"], values):
        row[column] = value
    return write_folder(tmp_path / "x", tables)


def test_text_in_an_int_column_names_file_column_lines_and_values(tmp_path):
    folder = _schedule_with(tmp_path, "home_team_score", [101, "abc", None, "x1"])
    with pytest.raises(RawInputError) as err:
        _read(folder)
    msg = str(err.value)
    assert msg.startswith("nbac_schedule.csv: column 'home_team_score' must hold whole numbers")
    assert "lines 3, 5 (values 'abc', 'x1')" in msg


def test_impossible_date_is_an_error(tmp_path):
    tables = valid_tables()
    tables["nbac_injury_report"][0]["report_date"] = "2021-13-45"
    with pytest.raises(RawInputError) as err:
        _read(write_folder(tmp_path / "x", tables))
    msg = str(err.value)
    assert "nbac_injury_report.csv: column 'report_date' must hold dates (YYYY-MM-DD)" in msg
    assert "line 2 (value '2021-13-45')" in msg


def test_ints_written_as_floats_are_accepted_but_fractions_are_not(tmp_path):
    frames, _ = _read(_schedule_with(tmp_path, "home_team_score", ["101.0", " 110 ", "", "1e2"]))
    assert frames["nba_raw.nbac_schedule"]["home_team_score"].tolist() == [101, 110, pd.NA]
    with pytest.raises(RawInputError, match="line 2 \\(value '101.5'\\)"):
        _read(_schedule_with(tmp_path, "home_team_score", ["101.5", 110, None, 100]))


def test_booleans_timestamps_and_empty_strings(tmp_path):
    folder = _schedule_with(tmp_path, "is_primetime", ["YES", "0", "", "True"])
    frames, _ = _read(folder)
    assert frames["nba_raw.nbac_schedule"]["is_primetime"].tolist() == [True, False, pd.NA]
    folder = _schedule_with(tmp_path, "processed_at", [
        "2024-01-05 20:00:00", "2024-01-05T15:00:00-05:00", "2024-01-05 20:00:00 UTC", "2024-01-05"])
    sched = _read(folder)[0]["nba_raw.nbac_schedule"]
    assert sched["processed_at"].tolist() == [pd.Timestamp("2024-01-05 20:00", tz="UTC")] * 3
    with pytest.raises(RawInputError, match="'is_primetime' must hold booleans .*value 'maybe'"):
        _read(_schedule_with(tmp_path, "is_primetime", ["maybe", "0", "", "1"]))
    with pytest.raises(RawInputError, match="'processed_at' must hold ISO-8601 timestamps"):
        _read(_schedule_with(tmp_path, "processed_at", ["yesterday", TS, TS, TS]))


def test_csv_types_are_not_inferred(tmp_path):
    """game ids with leading zeros stay text; a minutes column of whole numbers stays text."""
    frames, _ = _read(write_folder(tmp_path / "x", valid_tables()))
    assert frames["nba_raw.bdl_player_boxscores"]["minutes"].tolist()[0] == "30"
    assert frames["nba_raw.nbac_team_boxscore"]["nba_game_id"].tolist()[0] == "0022300500"


def test_bad_value_in_a_parquet_text_column_names_the_row(tmp_path):
    folder = tmp_path / "x"
    write_folder(folder, valid_tables(), fmt="parquet", skip=("nbac_injury_report",))
    rows = pd.DataFrame(valid_tables()["nbac_injury_report"] * 3).astype({"report_hour": str})
    rows.loc[2, "report_hour"] = "five"
    rows.to_parquet(folder / "nbac_injury_report.parquet", index=False)
    with pytest.raises(RawInputError, match=r"nbac_injury_report.parquet: column 'report_hour' must "
                                            r"hold whole numbers .* at row 3 \(value 'five'\)"):
        _read(folder)


def test_line_numbers_follow_the_file_when_a_field_spans_lines(tmp_path, csv_folder):
    rows = valid_tables()["nbac_injury_report"]
    rows = [{**rows[0], "reason": "two\nlines"}, {**rows[0], "report_hour": "late"}]
    write_csv(csv_folder / "nbac_injury_report.csv", csv_text(rows))
    with pytest.raises(RawInputError, match=r"line 4 \(value 'late'\)"):
        _read(csv_folder)


def test_bad_values_can_be_quarantined_instead(tmp_path):
    folder = _schedule_with(tmp_path, "home_team_score", [101, "abc", None, 100])
    frames, report = _read(folder, bad_values="quarantine")
    assert frames["nba_raw.nbac_schedule"]["game_id"].tolist() == ["0022300501", "0022300503"]
    q = report["nbac_schedule"].quarantined["bad home_team_score value"]
    assert (q.count, q.examples) == (1, [3])


# --------------------------------------------------------------------------------------------
# teams


def test_team_variants_are_mapped_and_logged(tmp_path, caplog):
    tables = valid_tables()
    tables["nbac_schedule"][0].update(home_team_tricode="NY", winning_team_tricode="NY")
    tables["nbac_schedule"][1].update(home_team_tricode="GS")
    tables["nbac_schedule"][2].update(away_team_tricode="atl", home_team_tricode="MIA")
    tables["nbac_gamebook_player_stats"][1]["team_abbr"] = "NY"
    tables["nbac_team_boxscore"][0]["team_abbr"] = "BOS"
    tables["travel_distances"] = [{"from_team": "BRK", "to_team": "PHO", "distance_miles": 2100}]
    tables["nbac_injury_report"][0]["team"] = "WSH"
    folder = write_folder(tmp_path / "x", tables)
    with caplog.at_level(logging.INFO, logger="nbaprops.raw.files"):
        frames, report = _read(folder)
    sched = frames["nba_raw.nbac_schedule"]
    assert sched["home_team_tricode"].tolist() == ["NYK", "GSW", "MIA"]
    assert sched["winning_team_tricode"].tolist()[0] == "NYK"
    assert sched["away_team_tricode"].tolist()[2] == "ATL"
    assert frames["nba_raw.nbac_injury_report"]["team"].tolist() == ["WAS"]
    travel = frames["nba_static.travel_distances"]
    assert travel[["from_team", "to_team"]].values.tolist() == [["BKN", "PHX"]]
    assert travel["valid_from"].tolist() == [dt.date(2000, 1, 1)]  # default for a missing column
    assert "NY→NYK" in caplog.text and "GS→GSW" in caplog.text and "BRK→BKN" in caplog.text
    assert any("NY→NYK (1)" in n for n in report["nbac_schedule"].notes)


@pytest.mark.parametrize("variant,tricode", [("BRK", "BKN"), ("CHO", "CHA"), ("PHO", "PHX"),
                                             ("GS", "GSW"), ("NY", "NYK"), ("NO", "NOP"),
                                             ("SA", "SAS"), ("UTAH", "UTA"), ("WSH", "WAS")])
def test_every_variant_maps(tmp_path, variant, tricode):
    tables = valid_tables()
    tables["nbac_injury_report"][0]["team"] = variant
    frames, _ = _read(write_folder(tmp_path / "x", tables))
    assert frames["nba_raw.nbac_injury_report"]["team"].tolist() == [tricode]


def test_unknown_team_code_is_an_error_naming_column_code_and_lines(tmp_path):
    tables = valid_tables()
    tables["bdl_player_boxscores"][1]["team_abbr"] = "NYC"
    tables["bdl_player_boxscores"][3]["team_abbr"] = "NYC"
    with pytest.raises(RawInputError) as err:
        _read(write_folder(tmp_path / "x", tables))
    msg = str(err.value)
    assert msg.startswith("bdl_player_boxscores.csv: column 'team_abbr' holds team code 'NYC'")
    assert "not among the 30 NBA tricodes" in msg and "lines 3, 5" in msg


# --------------------------------------------------------------------------------------------
# quarantine


def test_exact_duplicates_and_null_keys_are_quarantined(tmp_path):
    tables = valid_tables()
    bdl = tables["bdl_player_boxscores"]
    tables["bdl_player_boxscores"] = bdl + [
        dict(bdl[0]),                          # line 7: exact copy of line 2
        {**bdl[1], "player_lookup": None},     # line 8: no player
        {**bdl[2], "game_date": None},         # line 9: no game date
        dict(bdl[0]),                          # line 10: another copy
        {**bdl[3], "player_lookup": ""},       # line 11: empty = NULL
    ]
    frames, report = _read(write_folder(tmp_path / "x", tables))
    assert len(frames["nba_raw.bdl_player_boxscores"]) == 4
    r = report["bdl_player_boxscores.csv"]
    assert (r.rows_read, r.rows_kept, r.rows_outside_seasons, r.rows_quarantined) == (10, 4, 1, 5)
    assert r.quarantined["duplicate row"].count == 2
    assert r.quarantined["duplicate row"].examples == [7, 10]
    assert (r.quarantined["missing player_lookup"].count,
            r.quarantined["missing player_lookup"].examples) == (2, [8, 11])
    assert r.quarantined["missing game_date"].examples == [9]
    assert report.as_dict()["rows_quarantined"] == 5
    text = report.format()
    assert "bdl_player_boxscores.csv: 10 read, 4 kept" in text and "duplicate row" in text


def test_examples_are_capped_at_five(tmp_path):
    tables = valid_tables()
    tables["nbac_injury_report"] = tables["nbac_injury_report"] * 9
    _, report = _read(write_folder(tmp_path / "x", tables))
    q = report["nbac_injury_report"].quarantined["duplicate row"]
    assert q.count == 8 and q.examples == [3, 4, 5, 6, 7]


def test_legitimate_duplicates_by_key_are_kept(tmp_path):
    tables = valid_tables()
    box = tables["nbac_team_boxscore"]
    tables["nbac_team_boxscore"] = box + [{**box[0], "points": 100, "ft_made": 10,
                                           "processed_at": "2024-01-07T03:00:00Z"}]
    frames, report = _read(write_folder(tmp_path / "x", tables))
    assert len(frames["nba_raw.nbac_team_boxscore"]) == 5
    assert len(frames["nba_raw.odds_api_player_points_props"]) == 3
    assert report.rows_quarantined == 0


def test_blank_lines_are_quarantined_without_shifting_line_numbers(tmp_path, csv_folder):
    path = csv_folder / "nbac_injury_report.csv"
    header, row = path.read_text().splitlines()
    write_csv(path, f"{header}\n\n{row}\n{row.replace(',17,', ',x,')}\n")
    with pytest.raises(RawInputError, match=r"line 4 \(value 'x'\)"):
        _read(csv_folder)
    write_csv(path, f"{header}\n\n{row}\n")
    frames, report = _read(csv_folder)
    assert len(frames["nba_raw.nbac_injury_report"]) == 1
    assert report["nbac_injury_report"].quarantined["empty line"].examples == [2]


def test_read_raw_folder_logs_the_report_and_returns_the_data(tmp_path, caplog):
    tables = valid_tables()
    tables["nbac_injury_report"] = tables["nbac_injury_report"] * 2
    folder = write_folder(tmp_path / "x", tables)
    with caplog.at_level(logging.INFO, logger="nbaprops.raw.files"):
        frames = read_raw_folder(folder, START, END)
    assert len(frames["nba_raw.nbac_injury_report"]) == 1
    records = [r for r in caplog.records if "1 rows quarantined" in r.getMessage()]
    assert records and records[0].levelno == logging.WARNING and records[0].name == "nbaprops.raw.files"
    assert "quarantined 1 (duplicate row), e.g. line 3" in caplog.text


# --------------------------------------------------------------------------------------------
# seasons


def test_rows_are_restricted_to_the_seasons_touching_the_range(tmp_path, csv_folder):
    frames, _ = _read(csv_folder)
    assert dt.date(2023, 3, 1) not in frames["nba_raw.nbac_schedule"]["game_date"].tolist()
    assert "jimmybutler" not in frames["nba_raw.bdl_player_boxscores"]["player_lookup"].tolist()
    # a range from March 2023 to January 2024 touches seasons 2022 and 2023
    frames, report = _read(csv_folder, dt.date(2023, 3, 1), dt.date(2024, 1, 31))
    assert len(frames["nba_raw.nbac_schedule"]) == 4
    assert "jimmybutler" in frames["nba_raw.bdl_player_boxscores"]["player_lookup"].tolist()
    assert report.seasons == [2022, 2023]
    # September 2023 belongs to season 2022, October 2023 to 2023
    frames, _ = _read(csv_folder, dt.date(2023, 9, 30), dt.date(2023, 9, 30))
    assert frames["nba_raw.nbac_schedule"]["game_date"].tolist() == [dt.date(2023, 3, 1)]
    frames, _ = _read(csv_folder, dt.date(2023, 10, 1), dt.date(2023, 10, 1))
    assert len(frames["nba_raw.nbac_schedule"]) == 3
    # the travel table is static: never restricted
    assert len(frames["nba_static.travel_distances"]) == 2


# --------------------------------------------------------------------------------------------
# registry and travel


def test_registry_is_derived_from_the_box_scores_when_absent(tmp_path):
    tables = valid_tables()
    # LeBron traded to BOS in between (for the test): one row per team, first date per team
    tables["bdl_player_boxscores"] += [
        _bdl("20240120_NYK_BOS", "2024-01-20", "lebronjames", "LeBron R. James", "BOS", 20),
        _bdl("20240120_NYK_BOS", "2024-01-20", "jalenbrunson", "Jalen Brunson", "NYK", 20)]
    tables["nbac_schedule"].append({**tables["nbac_schedule"][0], "game_id": "0022300600",
                                    "game_code": "20240120/NYKBOS", "game_date": "2024-01-20",
                                    "home_team_tricode": "BOS", "away_team_tricode": "NYK",
                                    "winning_team_tricode": "NYK"})
    folder = write_folder(tmp_path / "x", tables, skip=("nba_players_registry", "travel_distances"))
    frames, report = _read(folder)
    registry = frames["nba_reference.nba_players_registry"]
    schema.conform(load_contract("nba_reference.nba_players_registry"), registry)
    assert registry["player_lookup"].tolist() == [
        "jalenbrunson", "jaysontatum", "lebronjames", "lebronjames", "mitchellrobinson", "stephencurry"]
    lebron = registry[registry["player_lookup"] == "lebronjames"]
    assert lebron[["team_abbr", "first_game_date"]].values.tolist() == [
        ["LAL", dt.date(2024, 1, 6)], ["BOS", dt.date(2024, 1, 20)]]
    assert set(lebron["universal_player_id"]) == {"lebronjames_001"}
    assert set(lebron["player_name"]) == {"LeBron R. James"}  # latest spelling
    assert set(registry["season_year"]) == {2023}
    # jimmybutler played only in the dropped season
    assert "jimmybutler" not in registry["player_lookup"].tolist()
    assert report["nba_players_registry"].file is None
    # the derivation is deterministic
    again = derive_registry(frames["nba_raw.nbac_gamebook_player_stats"],
                            frames["nba_raw.bdl_player_boxscores"])
    pd.testing.assert_frame_equal(again, registry)
    # travel: the shipped 870 ordered pairs
    travel = frames["nba_static.travel_distances"]
    assert len(travel) == 870
    schema.conform(load_contract("nba_static.travel_distances"), travel)


def test_a_registry_of_ids_only_is_completed_from_the_box_scores(tmp_path):
    tables = valid_tables()
    tables["nba_players_registry"] = [{"player_lookup": "jaysontatum", "universal_player_id": "jt_042",
                                       "player_name": "Jayson Tatum"}]
    frames, _ = _read(write_folder(tmp_path / "x", tables))
    registry = frames["nba_reference.nba_players_registry"].set_index("player_lookup")
    assert registry.loc["jaysontatum", "universal_player_id"] == "jt_042"
    assert registry.loc["stephencurry", "universal_player_id"] == "stephencurry_001"
    assert registry.loc["jaysontatum", "first_game_date"] == dt.date(2024, 1, 5)
    schema.conform(load_contract("nba_reference.nba_players_registry"),
                   frames["nba_reference.nba_players_registry"])


def test_registry_without_ids_is_an_error(tmp_path):
    tables = valid_tables()
    tables["nba_players_registry"] = [{"player_lookup": "jaysontatum", "player_name": "Jayson Tatum"}]
    with pytest.raises(RawInputError, match="nba_players_registry.csv: missing column "
                                            "'universal_player_id' \\(critical\\)"):
        _read(write_folder(tmp_path / "x", tables))


# --------------------------------------------------------------------------------------------
# Parquet as users write it, and the dispatch


def test_parquet_written_by_pandas_without_the_contract_types(tmp_path):
    """Naive datetimes (= UTC), ints that became floats because of NULLs, dates as datetimes."""
    folder = write_folder(tmp_path / "x", valid_tables(), fmt="parquet", skip=("nbac_schedule",))
    sched = pd.DataFrame(valid_tables()["nbac_schedule"])
    sched["game_date"] = pd.to_datetime(sched["game_date"])
    sched["game_date_est"] = pd.to_datetime(sched["game_date_est"]).dt.tz_localize(None)
    sched["processed_at"] = pd.to_datetime(sched["processed_at"]).dt.tz_convert("America/New_York")
    sched["home_team_score"] = sched["home_team_score"].astype(float)
    sched["game_status"] = sched["game_status"].astype("int32")
    sched.to_parquet(folder / "nbac_schedule.parquet", index=False)
    frames, _ = _read(folder)
    got = frames["nba_raw.nbac_schedule"]
    schema.conform(load_contract("nba_raw.nbac_schedule"), got)
    assert got["game_date"].tolist()[0] == dt.date(2024, 1, 5)
    assert got["game_date_est"].tolist()[0] == pd.Timestamp("2024-01-06 00:30", tz="UTC")
    assert got["processed_at"].tolist()[0] == pd.Timestamp(TS)
    assert got["home_team_score"].tolist() == [101, 110, pd.NA]
    sched.loc[1, "home_team_score"] = 110.5
    sched.to_parquet(folder / "nbac_schedule.parquet", index=False)
    with pytest.raises(RawInputError, match=r"nbac_schedule.parquet: column 'home_team_score' must "
                                            r"hold whole numbers .* at row 2 \(value '110.5'\)"):
        _read(folder)


def test_read_source_dispatches_to_the_folder(csv_folder):
    from nbaprops.raw import read_source

    frames = read_source({"raw": {"source": "files", "path": str(csv_folder)}}, START, END)
    assert set(frames) == set(raw_tables())
    assert len(frames["nba_raw.nbac_schedule"]) == 3


# --------------------------------------------------------------------------------------------
# values never corrupted silently


def test_an_integer_too_large_for_int64_is_an_error_not_a_wrap_around(tmp_path):
    tables = valid_tables()
    tables["bdl_player_boxscores"][1]["points"] = "9223372036854775808"
    with pytest.raises(RawInputError, match=r"^bdl_player_boxscores.csv: column 'points' must hold whole "
                                            r"numbers \(at most 9223372036854775807 in size\) .* at line 3 "
                                            r"\(value '9223372036854775808'\)"):
        _read(write_folder(tmp_path / "x", tables))
    frames, report = _read(tmp_path / "x", bad_values="quarantine")
    assert report["bdl_player_boxscores"].quarantined["bad points value"].examples == [3]
    assert frames["nba_raw.bdl_player_boxscores"]["points"].min() >= 0


def test_int64_bounds_are_exact_and_parquet_uint64_does_not_wrap(tmp_path):
    import pyarrow as pa

    from nbaprops.raw.validate import parse_arrow, parse_text

    values, bad = parse_text(pd.Series(["9223372036854775807", "-9223372036854775808", "1e19", "32"]), "INT64")
    assert values.tolist()[:2] == [2**63 - 1, -(2**63)] and values.tolist()[3] == 32
    assert bad.tolist() == [False, False, True, False]
    array = pa.chunked_array([pa.array([7, 2**64 - 1, None], pa.uint64())])
    values, bad = parse_arrow(array, "INT64", pd.RangeIndex(1, 4))
    assert values.tolist()[0] == 7 and values.isna().tolist() == [False, True, True]
    assert bad.tolist() == [False, True, False]


def test_a_file_cut_off_mid_row_is_quarantined_not_loaded_as_a_partial_row(tmp_path, csv_folder):
    path = csv_folder / "bdl_player_boxscores.csv"
    text = path.read_text()
    last = text.splitlines()[-2]  # the 2024-01-06 GSW row, 33 points, before the 2023 row
    cut = last[:last.index(",33,") + 3]  # "...,Stephen Curry,GSW,30,3" would be points 3
    lines = text.splitlines()
    write_csv(path, "\n".join(lines[:-2] + [lines[-1], cut]))
    frames, report = _read(csv_folder)
    r = report["bdl_player_boxscores"]
    assert (r.quarantined["truncated row"].count, r.quarantined["truncated row"].examples) == (1, [6])
    assert "stephencurry" not in frames["nba_raw.bdl_player_boxscores"]["player_lookup"].tolist()
    assert r.rows_read == r.rows_kept + r.rows_outside_seasons + r.rows_quarantined


def test_a_row_with_more_fields_than_the_header_names_its_line(tmp_path, csv_folder):
    path = csv_folder / "nbac_injury_report.csv"
    write_csv(path, path.read_text() + path.read_text().splitlines()[1] + ",extra\n")
    with pytest.raises(RawInputError, match=r"^nbac_injury_report.csv: line 3 has 11 fields but the header has 10"):
        _read(csv_folder)


@pytest.mark.parametrize("minutes,expected", [("30:00", None), ("30", None), ("28.5", None),
                                              ("99:59", "'99:59'"), ("30:75", "'30:75'"), ("3O:00", "'3O:00'")])
def test_player_minutes_are_checked_in_the_loader(tmp_path, minutes, expected):
    tables = valid_tables()
    tables["nbac_gamebook_player_stats"][0]["minutes"] = minutes
    folder = write_folder(tmp_path / "x", tables)
    if expected is None:
        assert _read(folder)[0]["nba_raw.nbac_gamebook_player_stats"]["minutes"][0] == minutes
        return
    with pytest.raises(RawInputError) as err:
        _read(folder)
    assert str(err.value).startswith(
        "nbac_gamebook_player_stats.csv: column 'minutes' must hold minutes as MM:SS (seconds 00-59) or "
        f"a number of minutes, at most 78:00 for a player but has 1 value(s) that are not, at line 2 (value {expected})")


def test_team_minutes_allow_overtimes(tmp_path):
    tables = valid_tables()
    tables["nbac_team_boxscore"][0]["minutes"] = "265:00"
    assert _read(write_folder(tmp_path / "x", tables))[0]["nba_raw.nbac_team_boxscore"]["minutes"][0] == "265:00"


def test_negative_counts_are_errors_but_plus_minus_and_prices_may_be_negative(tmp_path):
    tables = valid_tables()
    tables["nbac_team_boxscore"][2]["steals"] = -1
    with pytest.raises(RawInputError, match=r"nbac_team_boxscore.csv: column 'steals' must hold counts of "
                                            r"zero or more .* at line 4 \(value '-1'\)"):
        _read(write_folder(tmp_path / "x", tables))
    frames, _ = _read(write_folder(tmp_path / "y", valid_tables()))
    assert frames["nba_raw.nbac_gamebook_player_stats"]["plus_minus"][0] == -4
    assert frames["nba_raw.odds_api_player_points_props"]["over_price_american"][0] == -110


def test_an_active_player_without_points_is_quarantined(tmp_path):
    tables = valid_tables()
    tables["nbac_gamebook_player_stats"][3]["points"] = "NaN"  # lebronjames, active
    frames, report = _read(write_folder(tmp_path / "x", tables))
    q = report["nbac_gamebook_player_stats"].quarantined["missing points of a played row"]
    assert (q.count, q.examples) == (1, [5])
    assert "lebronjames" not in frames["nba_raw.nbac_gamebook_player_stats"]["player_lookup"].tolist()
    # an inactive player without stats is normal
    assert "mitchellrobinson" in frames["nba_raw.nbac_gamebook_player_stats"]["player_lookup"].tolist()


def test_player_status_is_lower_cased_and_unknown_words_are_errors(tmp_path):
    tables = valid_tables()
    tables["nbac_gamebook_player_stats"][0]["player_status"] = "ACTIVE"
    frames, report = _read(write_folder(tmp_path / "x", tables))
    assert frames["nba_raw.nbac_gamebook_player_stats"]["player_status"][0] == "active"
    assert report["nbac_gamebook_player_stats"].notes == ["player_status lower-cased in 1 row(s) (e.g. 'ACTIVE')"]
    tables["nbac_gamebook_player_stats"][0]["player_status"] = "played"
    with pytest.raises(RawInputError, match=r"column 'player_status' must hold active, dnp or inactive "
                                            r".* line 2 \(value 'played'\)"):
        _read(write_folder(tmp_path / "y", tables))


# --------------------------------------------------------------------------------------------
# duplicates


def test_conflicting_duplicates_name_both_lines_or_are_quarantined_together(tmp_path):
    tables = valid_tables()
    tables["bdl_player_boxscores"].append({**tables["bdl_player_boxscores"][0], "points": 31})
    folder = write_folder(tmp_path / "x", tables)
    with pytest.raises(RawInputError) as err:
        _read(folder)
    message = str(err.value)
    assert message.startswith("bdl_player_boxscores.csv: lines 2 and 7 have the same key (game_date "
                              "2024-01-05, game_id 20240105_BOS_NYK, player_lookup jaysontatum) but "
                              "different values (points 30 vs 31)")
    assert message.endswith("keep the right row and delete the other (1 such key(s) in the file)")
    frames, report = _read(folder, bad_values="quarantine")
    q = report["bdl_player_boxscores"].quarantined["conflicting duplicate (same key, different values)"]
    assert (q.count, q.examples) == (2, [2, 7])
    assert "jaysontatum" not in frames["nba_raw.bdl_player_boxscores"]["player_lookup"].tolist()


def test_alternate_lines_at_one_snapshot_are_all_kept(tmp_path):
    tables = valid_tables()
    props = tables["odds_api_player_points_props"]
    props += [{**props[0], "points_line": 25.5, "over_price_american": -200, "under_price_american": 160},
              {**props[0], "points_line": 29.5, "over_price_american": 150, "under_price_american": -190}]
    frames, report = _read(write_folder(tmp_path / "x", tables))
    assert frames["nba_raw.odds_api_player_points_props"]["points_line"].tolist() == [27.5, 28.5, 27.5, 25.5, 29.5]
    assert report.rows_quarantined == 0


# --------------------------------------------------------------------------------------------
# box scores against the schedule


def test_home_and_away_swapped_in_the_box_scores_take_the_schedules_game(tmp_path):
    tables = valid_tables()
    for row in tables["nbac_gamebook_player_stats"] + tables["bdl_player_boxscores"] + tables["nbac_team_boxscore"]:
        if row["game_id"] == "20240105_BOS_NYK":
            row["game_id"] = "20240105_NYK_BOS"
            if "home_team_abbr" in row:
                row["home_team_abbr"], row["away_team_abbr"] = "BOS", "NYK"
            if "is_home" in row:
                row["is_home"] = not row["is_home"]
    frames, report = _read(write_folder(tmp_path / "x", tables))
    gamebook = frames["nba_raw.nbac_gamebook_player_stats"]
    assert gamebook["game_id"].tolist()[:3] == ["20240105_BOS_NYK"] * 3
    assert gamebook[["home_team_abbr", "away_team_abbr"]].values.tolist()[0] == ["NYK", "BOS"]
    box = frames["nba_raw.nbac_team_boxscore"]
    assert box[["team_abbr", "is_home"]].values.tolist()[:2] == [["BOS", False], ["NYK", True]]
    assert {t: sum(q.count for q in report[t].corrected.values())
            for t in ("nbac_gamebook_player_stats", "bdl_player_boxscores", "nbac_team_boxscore")} == {
        "nbac_gamebook_player_stats": 3, "bdl_player_boxscores": 2, "nbac_team_boxscore": 2}
    finding = next(f for f in report.findings() if f.kind == "game_id_corrected" and f.table == "nba_raw.nbac_team_boxscore")
    assert (finding.severity, finding.count, finding.examples) == ("warning", 2, ["line 2", "line 3"])


def test_a_final_game_with_one_team_missing_is_an_error(tmp_path):
    tables = valid_tables()
    for name in ("nbac_gamebook_player_stats", "bdl_player_boxscores"):
        tables[name] = [r for r in tables[name] if r["team_abbr"] != "GSW"]
    with pytest.raises(RawInputError) as err:
        _read(write_folder(tmp_path / "x", tables))
    assert str(err.value) == (
        "1 final game(s) of nbac_schedule.csv between 2024-01-01 and 2024-01-31 lack player rows of one "
        "or both teams in nbac_gamebook_player_stats.csv or bdl_player_boxscores.csv: 2024-01-06 LAL@GSW "
        "(game 20240106_LAL_GSW; no rows for GSW); every final game needs the box score of both teams in "
        "the gamebook (active players) or BDL file (add them, or narrow the date range)")


# --------------------------------------------------------------------------------------------
# findings


def test_findings_count_quarantines_rows_outside_the_seasons_and_notes(tmp_path):
    from nbaprops.findings import Finding

    tables = valid_tables()
    tables["nbac_injury_report"] = tables["nbac_injury_report"] * 3
    folder = write_folder(tmp_path / "x", tables, skip=("nbac_team_boxscore",))
    _, report = _read(folder)
    report.findings.append(Finding("alternate_lines", "info", "props: 0 ladders"))
    by_kind = {}
    for finding in report.findings():
        by_kind.setdefault(finding.kind, []).append(finding)
    quarantined = by_kind["quarantined_rows"]
    assert [(f.table, f.severity, f.count, f.examples) for f in quarantined] == [
        ("nba_raw.nbac_injury_report", "warning", 2, ["line 3", "line 4"])]
    assert quarantined[0].message == ("nbac_injury_report.csv: 2 row(s) quarantined (duplicate row) and not "
                                      "loaded into nba_raw.nbac_injury_report; fix the file to keep them")
    outside = {f.table: (f.count, f.examples) for f in by_kind["rows_outside_seasons"]}
    assert outside["nba_raw.nbac_schedule"] == (1, ["2023-03-01"])
    assert outside["nba_raw.bdl_player_boxscores"] == (1, ["2023-03-01"])
    absent = {f.table: f.severity for f in by_kind["table_absent"]}
    assert absent["nba_raw.nbac_team_boxscore"] == "warning"  # T2: team rows come from the players
    assert [f.message for f in by_kind["alternate_lines"]] == ["props: 0 ladders"]
    assert report.as_dict()["findings"] == [f.as_dict() for f in report.findings()]


# --------------------------------------------------------------------------------------------
# encodings, shapes, columns


def test_bom_crlf_and_windows_1252_files_are_read(tmp_path, csv_folder):
    path = csv_folder / "nbac_gamebook_player_stats.csv"
    text = path.read_text().replace("LeBron James", "Théo Maledon")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    frames, report = _read(csv_folder)
    assert "Théo Maledon" in frames["nba_raw.nbac_gamebook_player_stats"]["player_name"].tolist()
    assert not report["nbac_gamebook_player_stats"].notes
    path.write_bytes(text.encode("cp1252"))
    frames, report = _read(csv_folder)
    assert "Théo Maledon" in frames["nba_raw.nbac_gamebook_player_stats"]["player_name"].tolist()
    assert report["nbac_gamebook_player_stats"].notes[0].startswith("read as Windows-1252 because the file is not UTF-8")


def test_a_renamed_column_is_named_with_the_files_closest_column(tmp_path):
    tables = valid_tables()
    for row in tables["bdl_player_boxscores"]:
        row["pts"] = row.pop("points")
    with pytest.raises(RawInputError, match=r"^bdl_player_boxscores.csv: missing column 'points' "
                                            r"\(critical; is it the column 'pts'\?\); add or rename it"):
        _read(write_folder(tmp_path / "x", tables))


def test_header_only_schedule_is_an_error(tmp_path, csv_folder):
    columns = load_contract("nba_raw.nbac_schedule").column_names
    write_csv(csv_folder / "nbac_schedule.csv", ",".join(columns) + "\n")
    with pytest.raises(RawInputError, match=r"^nbac_schedule.csv has a header but no rows; nbac_schedule is required"):
        _read(csv_folder)


# --------------------------------------------------------------------------------------------
# the schedule alone (the chunk plan's reader)


def test_read_schedule_validates_like_the_loader(tmp_path):
    from nbaprops.raw.files import read_schedule

    tables = valid_tables()
    for row, status in zip(tables["nbac_schedule"], ["Final", "final", "Scheduled", "FINAL"]):
        row["game_status"] = status
    folder = write_folder(tmp_path / "x", tables, skip=("bdl_player_boxscores",))
    path = folder / "nbac_schedule.csv"
    lines = path.read_text().splitlines()
    write_csv(path, "\n".join([lines[0].upper()] + lines[1:]) + "\n")
    schedule = read_schedule(folder)
    assert schedule["game_status"].tolist() == [3, 3, 1, 3]
    assert schedule["game_date"].tolist()[-1] == dt.date(2023, 3, 1)  # every season
    assert list(schedule.columns) == load_contract("nba_raw.nbac_schedule").column_names
    write_csv(path, path.read_text().replace("2024-01-06", "01/06/2024"))
    with pytest.raises(RawInputError) as err:
        read_schedule(folder)
    assert str(err.value).startswith("nbac_schedule.csv: column 'game_date' must hold dates (YYYY-MM-DD) "
                                     "but has 1 value(s) that are not, at line 3 (value '01/06/2024')")
    write_csv(path, path.read_text().replace("01/06/2024", "2024-01-06").replace(",final,", ",over,"))
    with pytest.raises(RawInputError, match=r"column 'game_status' must hold 1 \(scheduled\), 2 \(live\) or "
                                            r"3 \(final\), or the words .* line 3 \(value 'over'\)"):
        read_schedule(folder)
    (folder / "nbac_schedule.csv").unlink()
    with pytest.raises(RawInputError, match="nbac_schedule is required"):
        read_schedule(folder)


# --------------------------------------------------------------------------------------------
# the demo as a raw folder


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_demo_export_reads_back_as_the_demos_rows(tmp_path, fmt):
    from nbaprops.demo.export import export_files
    from nbaprops.demo.generate import generate

    start, end = dt.date(2021, 10, 19), dt.date(2021, 10, 20)
    omit = ("bigdataball_play_by_play", "nbac_injury_report", "odds_api_game_lines")
    written = export_files(tmp_path / "x", start, end, fmt=fmt, through=end, omit=omit)
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == sorted(
        f"{t.split('.')[1]}.{fmt}" for t in raw_tables() if t.split(".")[1] not in omit)
    frames, report = _read(tmp_path / "x", start, end)
    demo = generate(start, end)
    for table in raw_tables():
        contract = load_contract(table)
        if table.split(".")[1] in omit:
            assert frames[table].empty and table not in written
            continue
        expected = demo[table]
        if table != "nba_static.travel_distances":
            expected = expected[pd.to_datetime(expected[contract.date_column]).dt.date <= end]
        if table == "nba_raw.bettingpros_player_points_props":  # the demo writes feed variants
            expected = expected.assign(player_team=expected["player_team"].replace({"CHO": "CHA", "PHO": "PHX", "BRK": "BKN"}))
        expected = expected.assign(**{c.name: pd.to_datetime(expected[c.name]).dt.date
                                      for c in contract.columns if c.type == "DATE"})
        assert schema.conform(contract, frames[table]).equals(schema.conform(contract, expected)), table
    assert report.rows_quarantined == 0


def test_demo_export_days_arrive_and_tables_can_be_omitted(tmp_path):
    from nbaprops.demo.export import export_files

    folder = tmp_path / "x"
    first = export_files(folder, dt.date(2021, 10, 19), dt.date(2021, 11, 30), through=dt.date(2021, 10, 20),
                         omit=["nba_raw.bigdataball_play_by_play"])
    schedule = pd.read_csv(folder / "nbac_schedule.csv")
    assert schedule["game_date"].max() == "2021-10-20" and len(schedule) == first["nba_raw.nbac_schedule"]
    assert not (folder / "bigdataball_play_by_play.csv").exists()
    second = export_files(folder, dt.date(2021, 10, 19), dt.date(2021, 11, 30), through=dt.date(2021, 10, 22),
                          omit=["nbac_injury_report"])
    again = pd.read_csv(folder / "nbac_schedule.csv")
    assert again["game_date"].max() == "2021-10-22" and len(again) > len(schedule)
    assert again.head(len(schedule)).equals(schedule)  # the earlier days are unchanged
    assert (folder / "bigdataball_play_by_play.csv").exists() and not (folder / "nbac_injury_report.csv").exists()
    assert second["nba_raw.nbac_gamebook_player_stats"] > first["nba_raw.nbac_gamebook_player_stats"]
    with pytest.raises(ValueError, match="--omit 'play_by_play' is not a raw table"):
        export_files(folder, dt.date(2021, 10, 19), dt.date(2021, 10, 20), omit=["play_by_play"])


def test_demo_export_files_command(tmp_path, capsys):
    from nbaprops.cli import main

    assert main(["demo", "export-files", str(tmp_path / "x"), "--start-date", "2021-10-19", "--end-date",
                 "2021-10-19", "--format", "parquet", "--omit", "bigdataball_play_by_play,nbac_injury_report"]) == 0
    out = capsys.readouterr().out
    assert "10 parquet files in" in out and "nbac_schedule.parquet: 2 rows" in out
    assert main(["demo", "export-files", str(tmp_path / "y"), "--omit", "nope"]) == 2


def test_a_reloaded_row_that_differs_only_in_processed_at_is_a_duplicate(tmp_path):
    tables = valid_tables()
    tables["bdl_player_boxscores"].append({**tables["bdl_player_boxscores"][0], "processed_at": "2024-01-07T03:00:00Z"})
    frames, report = _read(write_folder(tmp_path / "x", tables))
    assert report["bdl_player_boxscores"].quarantined["duplicate row"].examples == [7]
    assert frames["nba_raw.bdl_player_boxscores"]["player_lookup"].tolist().count("jaysontatum") == 1


def test_parquet_positions_are_rows_in_conflicts_and_swaps(tmp_path):
    tables = valid_tables()
    tables["nbac_team_boxscore"][1].update(is_home=False)  # NYK said away: corrected from the schedule
    tables["bdl_player_boxscores"].append({**tables["bdl_player_boxscores"][2], "points": 26})
    folder = write_folder(tmp_path / "x", tables, fmt="parquet")
    with pytest.raises(RawInputError, match=r"^bdl_player_boxscores.parquet: rows 3 and 6 have the same key"):
        _read(folder)
    frames, report = _read(folder, bad_values="quarantine")
    assert report["bdl_player_boxscores"].quarantined[
        "conflicting duplicate (same key, different values)"].examples == [3, 6]
    assert frames["nba_raw.nbac_team_boxscore"]["is_home"].tolist() == [False, True, False, True]
    corrected = report["nbac_team_boxscore"].corrected
    assert [q.examples for q in corrected.values()] == [[2]]
    assert report.findings()[0].examples[0].startswith("row ")


def test_exhibition_games_in_a_real_schedule_are_counted_not_fatal(tmp_path):
    """NBA.com's schedule lists the all-star game (id prefix 003) with teams that are no NBA
    team: it is left out of the season and counted, not an unknown-team error."""
    from nbaprops.demo.export import export_files

    folder = tmp_path / "raw"
    export_files(folder, dt.date(2022, 10, 18), dt.date(2022, 10, 19), through=dt.date(2022, 10, 19))
    schedule = pd.read_csv(folder / "nbac_schedule.csv", dtype=str, keep_default_na=False)
    star = schedule.iloc[0].copy()
    star[["game_id", "home_team_tricode", "away_team_tricode", "game_code", "winning_team_tricode"]] = \
        ["0032200001", "LBN", "GNS", "", "LBN"]
    pd.concat([schedule, star.to_frame().T]).to_csv(folder / "nbac_schedule.csv", index=False)
    frames, report = read_raw_folder_with_report(folder, dt.date(2022, 10, 18), dt.date(2022, 10, 19))
    assert "0032200001" not in set(frames["nba_raw.nbac_schedule"]["game_id"])
    assert report["nbac_schedule"].quarantined["all-star game (not part of a season)"].count == 1
    assert len(frames["nba_raw.nbac_schedule"]) == len(schedule)
