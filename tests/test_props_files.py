"""Prop files as real feeds write them, through the ``files`` loader: minutes_before_tipoff derived
from a tip-off time in the file or from the schedule, unusable snapshots counted, a file with
nothing usable refused, lookups and aliases normalised, and lines that reach the consensus."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from nbaprops.contracts import load_contract
from nbaprops.raw.files import RawInputError, read_raw_folder_with_report
from nbaprops.testing import fixture_warehouse
from test_props_fixtures import LINES, ROSTERS, build_lines

DAY = dt.date(2024, 1, 5)
EVE = dt.date(2024, 1, 4)   # the teams' previous games: the rosters of DAY's morning (D12)
PROPS = "nba_raw.odds_api_player_points_props"
BOX = ("jaysontatum", "BOS"), ("jalenbrunson", "NYK"), ("nicolasclaxton", "NYK"), ("lebronjames", "LAL"), \
    ("stephencurry", "GSW")


def notes_of(report, table: str) -> list[str]:
    """The file's notes and the findings the props checks added for its table, as text."""
    added = [f.format() for f in report.findings if (f.table or "").endswith(table)]
    return list(report[table].notes) + added


def schedule_rows() -> list[dict]:
    """BOS @ NYK tips off at 00:30 UTC, LAL @ GSW at 03:00 UTC (both 2024-01-05 Eastern); the same
    teams met on 2024-01-04, whose box scores are the rosters of 01-05's morning (D12)."""
    def game(nba_id, away, home, tip):
        return {"game_id": nba_id, "game_date": "2024-01-05", "game_date_est": tip, "season_year": 2023,
                "game_status": 3, "home_team_tricode": home, "away_team_tricode": away,
                "home_team_score": 101, "away_team_score": 99}
    def eve(nba_id, away, home):
        return dict(game(nba_id, away, home, "2024-01-05T00:30:00Z"), game_date="2024-01-04", game_status=3,
                    home_team_score=101, away_team_score=99)
    return [game("0022300501", "BOS", "NYK", "2024-01-06T00:30:00Z"),
            game("0022300502", "LAL", "GSW", "2024-01-06T03:00:00Z"),
            eve("0022300491", "BOS", "NYK"), eve("0022300492", "LAL", "GSW")]


def bdl_rows() -> list[dict]:
    stats = ("points", "assists", "rebounds", "offensive_rebounds", "defensive_rebounds", "steals",
             "blocks", "turnovers", "personal_fouls", "field_goals_made", "field_goals_attempted",
             "three_pointers_made", "three_pointers_attempted", "free_throws_made", "free_throws_attempted")
    game = {"BOS": "BOS_NYK", "NYK": "BOS_NYK", "LAL": "LAL_GSW", "GSW": "LAL_GSW"}
    return [{"game_id": f"{date.replace('-', '')}_{game[team]}", "game_date": date, "season_year": 2023,
             "team_abbr": team, "player_lookup": lookup, "player_full_name": lookup, "minutes": "30",
             **{s: 0 for s in stats}}
            for date in ("2024-01-04", "2024-01-05") for lookup, team in BOX]


def prop_row(player, bookmaker, line, snapshot, *, game_id=None, home=None, away=None, **extra) -> dict:
    return {"game_id": game_id, "game_date": "2024-01-05", "player_lookup": player, "player_name": player,
            "bookmaker": bookmaker, "points_line": line, "over_price_american": -110,
            "under_price_american": -110, "snapshot_timestamp": snapshot, "home_team_abbr": home,
            "away_team_abbr": away, **extra}


def folder(tmp_path: Path, props: list[dict], aliases: str | None = None) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    pd.DataFrame(schedule_rows()).to_csv(raw / "nbac_schedule.csv", index=False)
    pd.DataFrame(bdl_rows()).to_csv(raw / "bdl_player_boxscores.csv", index=False)
    pd.DataFrame(props).to_csv(raw / "odds_api_player_points_props.csv", index=False)
    if aliases is not None:
        (raw / "player_aliases.csv").write_text(aliases)
    return raw


def load(raw: Path):
    return read_raw_folder_with_report(raw, EVE, DAY)


def consensus(tmp_path: Path, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    reads = {r.table for t in (ROSTERS, LINES) for r in load_contract(t).reads}
    return build_lines(fixture_warehouse(tmp_path / "wh", {t: frames[t] for t in reads if t in frames}), DAY, DAY)


def minutes(frames) -> list:
    return [None if pd.isna(m) else int(m) for m in frames[PROPS]["minutes_before_tipoff"]]


def test_a_file_with_the_events_commence_time_yields_lines(tmp_path):
    tip = "2024-01-06T00:30:00Z"
    raw = folder(tmp_path, [
        prop_row("jaysontatum", "draftkings", 27.5, "2024-01-05T23:00:00Z", commence_time=tip),
        prop_row("jaysontatum", "draftkings", 30.5, "2024-01-06T00:45:00Z", commence_time=tip),  # in-game
        prop_row("jaysontatum", "fanduel", 28.5, "2024-01-06T00:29:30Z", commence_time=tip),     # 30 s before
    ])
    frames, report = load(raw)
    assert minutes(frames) == [90, -15, 0]
    notes = notes_of(report, "odds_api_player_points_props")
    assert "column 'commence_time' read as game_start_time" in notes
    assert any("minutes_before_tipoff derived for 3 of 3 prop snapshots (3 from the file's tip-off time, "
               "0 from the schedule's game_date_est)" in n for n in notes)
    lines = consensus(tmp_path, frames)
    # DraftKings' latest pre-game line 27.5, FanDuel's 28.5 -> 28.0
    assert lines[["player_lookup", "current_points_line", "current_points_line_books"]].values.tolist() == [
        ["jaysontatum", 28.0, 2]]


def test_minutes_before_tipoff_from_the_schedule(tmp_path):
    raw = folder(tmp_path, [
        prop_row("lebronjames", "draftkings", 25.5, "2024-01-06T01:00:00Z", game_id="0022300502"),  # NBA id: 03:00
        prop_row("jalenbrunson", "draftkings", 26.5, "2024-01-05T22:30:00Z", home="NYK"),          # home: 00:30
        prop_row("lebronjames", "fanduel", 24.5, "2024-01-06T02:59:00Z", away="LAL"),              # away: 03:00
        prop_row("jaysontatum", "draftkings", 27.5, "2024-01-06T00:00:00Z",
                 game_id="20240105_BOS_NYK"),                                                        # date-based id
        prop_row("stephencurry", "draftkings", 29.5, "2024-01-06T03:10:00Z"),                      # his team GSW
        prop_row("mysteryman", "draftkings", 9.5, "2024-01-06T00:00:00Z"),                         # nothing to go by
    ])
    frames, report = load(raw)
    assert minutes(frames) == [120, 120, 1, 30, -10, None]
    notes = notes_of(report, "odds_api_player_points_props")
    assert any("derived for 5 of 6 prop snapshots (0 from the file's tip-off time, 5 from the schedule's "
               "game_date_est)" in n for n in notes)
    unusable = [n for n in notes if n.startswith("[!]")]
    assert len(unusable) == 1
    assert "1 of 6 prop snapshots have no minutes_before_tipoff" in unusable[0]
    assert "NO_LINE" in unusable[0] and "(e.g. 2024-01-05 mysteryman)" in unusable[0]
    lines = consensus(tmp_path, frames)
    assert lines[["player_lookup", "current_points_line"]].values.tolist() == [
        ["jalenbrunson", 26.5], ["jaysontatum", 27.5], ["lebronjames", 25.0]]   # Curry's line was in-game


def test_a_props_file_with_nothing_usable_is_refused(tmp_path):
    raw = folder(tmp_path, [prop_row("mysteryman", "draftkings", 9.5, "2024-01-06T00:00:00Z"),
                            prop_row("nobody", "fanduel", 8.5, "2024-01-06T00:00:00Z")])
    with pytest.raises(RawInputError, match=r"^odds_api_player_points_props\.csv: none of its 2 prop snapshots "
                                            r"has minutes_before_tipoff.*every prediction would be NO_LINE"):
        load(raw)


def test_given_minutes_are_kept(tmp_path):
    raw = folder(tmp_path, [
        prop_row("jaysontatum", "draftkings", 27.5, "2024-01-05T23:00:00Z", minutes_before_tipoff=75,
                 game_start_time="2024-01-06T00:30:00Z"),
        prop_row("jaysontatum", "fanduel", 27.5, "2024-01-05T23:00:00Z", minutes_before_tipoff=None,
                 game_start_time="2024-01-06T00:30:00Z"),
    ])
    frames, report = load(raw)
    assert minutes(frames) == [75, 90]       # the feed's own value wins; only the missing one derived
    assert any("derived for 1 of 2" in n for n in notes_of(report, "odds_api_player_points_props"))


def test_lookups_and_aliases_are_normalised_and_applied(tmp_path):
    raw = folder(tmp_path, [
        prop_row("JaysonTatum", "draftkings", 27.5, "2024-01-05T23:00:00Z", minutes_before_tipoff=90),
        prop_row("nic claxton", "draftkings", 10.5, "2024-01-05T23:00:00Z", minutes_before_tipoff=90),
    ], aliases="alias_lookup,player_lookup,reason\nNic Claxton,nicolasclaxton,nickname\n"
               "Jayson Tatum,jaysontatum,same player\n")
    frames, report = load(raw)
    assert frames[PROPS]["player_lookup"].tolist() == ["jaysontatum", "nicclaxton"]
    aliases = frames["nba_reference.player_aliases"]
    assert aliases[["alias_lookup", "player_lookup", "valid_from"]].values.tolist() == [
        ["nicclaxton", "nicolasclaxton", dt.date(2000, 1, 1)]]
    assert any("1 aliases name the player himself" in n for n in notes_of(report, "player_aliases"))
    assert any("2 player_lookup values were not normalised" in n for n in notes_of(report, "odds_api_player_points_props"))
    lines = consensus(tmp_path, frames)
    assert lines[["player_lookup", "current_points_line", "player_match"]].values.tolist() == [
        ["jaysontatum", 27.5, "exact"], ["nicolasclaxton", 10.5, "alias"]]


def test_a_folder_without_an_alias_file_has_an_empty_alias_table(tmp_path):
    raw = folder(tmp_path, [prop_row("jaysontatum", "draftkings", 27.5, "2024-01-05T23:00:00Z",
                                     minutes_before_tipoff=90)])
    frames, report = load(raw)
    assert frames["nba_reference.player_aliases"].empty
    assert report["player_aliases"].file is None


def morning_folder(tmp_path: Path, props: list[dict], *, status: int, box_dates: tuple[str, ...],
                   traded: dict[str, str] | None = None, registry: list[dict] | None = None) -> Path:
    """The fixture's folder with DAY's games in ``status``, box scores of ``box_dates`` only,
    ``traded`` players (lookup → team) on DAY's box score with a team other than the eve's, and
    an optional registry file."""
    raw = tmp_path / "raw"
    raw.mkdir()
    schedule = pd.DataFrame(schedule_rows())
    if status != 3:
        on_day = schedule["game_date"] == str(DAY)
        schedule.loc[on_day, "game_status"] = status
        schedule.loc[on_day, ["home_team_score", "away_team_score"]] = None
    schedule.to_csv(raw / "nbac_schedule.csv", index=False)
    box = pd.DataFrame(bdl_rows())
    for lookup, team in (traded or {}).items():
        row = box[box["player_lookup"] == "jaysontatum"].assign(player_lookup=lookup, player_full_name=lookup)
        moved = row["game_date"] == str(DAY)
        row.loc[moved, "team_abbr"] = team
        row.loc[moved, "game_id"] = "20240105_LAL_GSW" if team in ("LAL", "GSW") else row.loc[moved, "game_id"]
        box = pd.concat([box, row], ignore_index=True)
    box[box["game_date"].isin(box_dates)].to_csv(raw / "bdl_player_boxscores.csv", index=False)
    pd.DataFrame(props).to_csv(raw / "odds_api_player_points_props.csv", index=False)
    if registry is not None:
        pd.DataFrame(registry).to_csv(raw / "nba_players_registry.csv", index=False)
    return raw


def registered(lookup: str, team: str, season: int, first: str) -> dict:
    return {"player_lookup": lookup, "universal_player_id": f"{lookup}_001", "player_name": lookup,
            "team_abbr": team, "season_year": season, "first_game_date": first}


def test_a_scheduled_dates_props_are_timed_by_the_players_morning_teams(tmp_path):
    """The morning of DAY: its games are scheduled and have no box score. A prop naming only its
    player is timed by his team on the eve's box score, else by the registry's team of the season;
    a registry row of an earlier season places no one."""
    raw = morning_folder(tmp_path, [
        prop_row("stephencurry", "draftkings", 29.5, "2024-01-06T02:00:00Z"),  # GSW on the eve: 03:00
        prop_row("jaysontatum", "draftkings", 27.5, "2024-01-05T23:30:00Z"),   # BOS on the eve: 00:30
        prop_row("newsigning", "draftkings", 6.5, "2024-01-06T02:30:00Z"),     # registry: GSW since DAY
        prop_row("formerplayer", "draftkings", 4.5, "2024-01-05T23:30:00Z"),   # registry: NYK last season
    ], status=1, box_dates=(str(EVE),), registry=[
        *(registered(p, t, 2023, "2023-10-24") for p, t in BOX),
        registered("newsigning", "GSW", 2023, "2024-01-05"),
        registered("formerplayer", "NYK", 2022, "2022-10-18"),
    ])
    frames, report = load(raw)
    assert minutes(frames) == [60, 60, 30, None]
    assert any("derived for 3 of 4 prop snapshots (0 from the file's tip-off time, 3 from the schedule's "
               "game_date_est)" in n for n in notes_of(report, "odds_api_player_points_props"))


def test_a_final_dates_props_are_timed_by_the_morning_team_not_the_dates_box_score(tmp_path):
    """A player traded on DAY: DAY's box score has him with GSW, the eve's with BOS. His prop is
    timed by BOS's game, as on DAY's morning, so the backfill of DAY keeps the morning's lines."""
    raw = morning_folder(tmp_path, [
        prop_row("tradedplayer", "draftkings", 12.5, "2024-01-06T00:00:00Z"),
    ], status=3, box_dates=(str(EVE), str(DAY)), traded={"tradedplayer": "GSW"})
    frames, _ = load(raw)
    assert frames["nba_raw.bdl_player_boxscores"].query("player_lookup == 'tradedplayer'")["team_abbr"].tolist() \
        == ["BOS", "GSW"]
    assert minutes(frames) == [30]   # BOS @ NYK tips at 00:30; GSW's game (03:00) would say 180
