"""The demo league on the morning of a date (config raw.as_of, nbaprops/demo/as_of.py): dates
before it are exactly today's demo, its own date has the pre-tip rows only, later dates have
schedule rows only; the plan and the raw versions see the same states."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nbaprops import jobs, plan
from nbaprops.config import ConfigError, validate
from nbaprops.contracts import load_contract
from nbaprops.demo import calendar
from nbaprops.demo.as_of import schedule_published
from nbaprops.demo.generate import generate
from nbaprops.plan import group_dates
from nbaprops.raw import STATIC_TABLES
from nbaprops.raw.versions import raw_versions as versions_of
from nbaprops.warehouse import open_warehouse
from nbaprops.warehouse.schema import conform

D = dt.date
# 2024-01-14 is a game date of the 2023-24 season (with in-game prop snapshots and a player's
# first game for a new team), and so are the days around it.
AS_OF = D(2024, 1, 14)
EVE = AS_OF - dt.timedelta(days=1)
START, END = D(2024, 1, 1), D(2024, 1, 31)
SCHEDULE = "nba_raw.nbac_schedule"
POSTGAME = ("nba_raw.nbac_gamebook_player_stats", "nba_raw.bdl_player_boxscores", "nba_raw.nbac_team_boxscore",
            "nba_raw.bigdataball_play_by_play", "nba_demo.oracle_player_points")
PRE_TIP = ("nba_raw.bettingpros_player_points_props", "nba_raw.odds_api_game_lines", "nba_raw.nbac_injury_report",
           "nba_reference.nba_players_registry")


@pytest.fixture(scope="module")
def today():
    return generate(START, END)


@pytest.fixture(scope="module")
def morning():
    return generate(START, END, as_of=AS_OF)


def day_of(frame: pd.DataFrame, table: str) -> pd.Series:
    return pd.to_datetime(frame[load_contract(table).date_column]).dt.date


def rows(frame: pd.DataFrame, table: str, keep) -> pd.DataFrame:
    return frame[keep(day_of(frame, table)).to_numpy()].reset_index(drop=True)


def config(**raw) -> dict:
    return validate({"start_date": "2024-01-12", "end_date": "2024-01-16", "raw": raw})


# -- configuration --------------------------------------------------------------------------------
def test_as_of_is_a_date_or_null_and_only_for_the_demo(tmp_path):
    assert config()["raw"]["as_of"] is None
    assert config(as_of=AS_OF)["raw"]["as_of"] == "2024-01-14"
    with pytest.raises(ConfigError, match=r"^config key 'raw.as_of' is '2024-02-30'; expected a date like 2021-10-19$"):
        config(as_of="2024-02-30")
    with pytest.raises(ConfigError) as err:
        config(as_of="2024-01-14", source="files", path=str(tmp_path))
    assert str(err.value) == (
        "config 'raw.as_of' is '2024-01-14' but 'raw.source' is 'files'; as_of only applies to the demo "
        "league (a real source says by itself which games are final): remove it or set raw.source: demo")


# -- the rows of each date --------------------------------------------------------------------------
def test_dates_before_as_of_are_todays_demo_in_every_table(today, morning):
    assert set(morning) == set(today)
    for table, frame in today.items():
        contract = load_contract(table)
        if table in STATIC_TABLES:
            assert conform(contract, morning[table]).equals(conform(contract, frame)), table
            continue
        before = rows(frame, table, lambda d: d < AS_OF)
        assert len(before), table
        assert conform(contract, rows(morning[table], table, lambda d: d < AS_OF)).equals(
            conform(contract, before)), table


def test_as_of_has_the_pre_tip_rows_only(today, morning):
    on = (lambda d: d == AS_OF)
    for table in POSTGAME:
        assert len(rows(today[table], table, on)) and not len(rows(morning[table], table, on)), table
    for table in PRE_TIP:
        expected = rows(today[table], table, on)
        assert len(expected), table
        pd.testing.assert_frame_equal(rows(morning[table], table, on), expected, obj=table)
    props = "nba_raw.odds_api_player_points_props"
    all_props = rows(today[props], props, on)
    assert (all_props["minutes_before_tipoff"] < 0).any()  # the day has in-game snapshots to withhold
    pd.testing.assert_frame_equal(rows(morning[props], props, on),
                                  all_props[all_props["minutes_before_tipoff"] >= 0].reset_index(drop=True))


def test_pre_tip_tables_are_taken_before_tip_off(morning):
    """What as_of keeps whole on its own date is indeed published before its game starts."""
    on = (lambda d: d == AS_OF)
    schedule = rows(morning[SCHEDULE], SCHEDULE, on)
    tips = pd.concat([schedule[["home_team_tricode", "game_date_est"]].set_axis(["team", "tip"], axis=1),
                      schedule[["away_team_tricode", "game_date_est"]].set_axis(["team", "tip"], axis=1)])
    lines = rows(morning["nba_raw.odds_api_game_lines"], "nba_raw.odds_api_game_lines", on)
    lines = lines.merge(tips, left_on="home_team_abbr", right_on="team", validate="many_to_one")
    assert len(lines) and (lines["snapshot_timestamp"] < lines["tip"]).all()
    bp = rows(morning["nba_raw.bettingpros_player_points_props"], "nba_raw.bettingpros_player_points_props", on)
    bp = bp.merge(tips, left_on="validated_team", right_on="team", validate="many_to_one")
    assert len(bp) and (bp["bookmaker_last_update"] < bp["tip"]).all()


def test_dates_after_as_of_have_schedule_rows_only(today, morning):
    after = (lambda d: d > AS_OF)
    for table in (*POSTGAME, *PRE_TIP, "nba_raw.odds_api_player_points_props"):
        assert len(rows(today[table], table, after)) and not len(rows(morning[table], table, after)), table
    assert len(morning[SCHEDULE]) == len(today[SCHEDULE])  # the season's whole schedule


def test_scheduled_games_have_status_1_and_no_result(today, morning):
    schedule = morning[SCHEDULE]
    day = day_of(schedule, SCHEDULE)
    scheduled = schedule[(day >= AS_OF).to_numpy()]
    assert set(scheduled["game_status"]) == {1}
    assert scheduled[["home_team_score", "away_team_score", "winning_team_tricode"]].isna().all().all()
    assert set(scheduled["processed_at"]) == {schedule_published(2023)}
    assert schedule_published(2023) == pd.Timestamp("2023-08-15 16:00", tz="UTC")
    assert set(schedule[(day < AS_OF).to_numpy()]["game_status"]) == {3}
    # The same games, at the same times, as in the demo without as_of.
    keys = ["game_id", "game_date", "game_date_est", "home_team_tricode", "away_team_tricode"]
    pd.testing.assert_frame_equal(schedule[keys], today[SCHEDULE][keys])


def test_plan_gives_the_demos_statuses(morning):
    games = plan.schedule_games(config(as_of=AS_OF.isoformat()))
    assert list(zip(games["game_date"], games["game_status"])) == [
        (D(2024, 1, 12), 3), (D(2024, 1, 13), 3), (D(2024, 1, 14), 1), (D(2024, 1, 15), 1), (D(2024, 1, 16), 1)]
    assert set(plan.schedule_games(config())["game_status"]) == {3}
    # ... and they are the generated schedule's, date by date.
    generated = morning[SCHEDULE].assign(day=day_of(morning[SCHEDULE], SCHEDULE))
    by_day = generated.groupby("day")["game_status"].agg(set)
    assert {d: {s} for d, s in zip(games["game_date"], games["game_status"])} == by_day.loc[
        list(games["game_date"])].to_dict()


# -- raw versions ----------------------------------------------------------------------------------
def versions(as_of: dt.date | None):
    return versions_of(config(as_of=as_of.isoformat() if as_of else None), [])


def windows() -> list[tuple[dt.date, dt.date]]:
    """Day and week chunks of 20 December 2023 to 31 January 2024, and season-to-date windows
    ending with each of them, as jobs read them."""
    dates = calendar.game_dates(D(2023, 12, 20), D(2024, 1, 31))
    spans = [(c.start, c.end) for unit in ("day", "week") for c in group_dates(dates, unit)]
    return spans + [(D(2023, 7, 1), c_end) for _, c_end in spans]


def changed(a, b) -> set[tuple[dt.date, dt.date]]:
    return {w for w in windows() if a.window([(SCHEDULE, *w)]) != b.window([(SCHEDULE, *w)])}


def test_moving_as_of_by_a_day_changes_the_windows_holding_the_two_days():
    day, next_day = AS_OF, AS_OF + dt.timedelta(days=1)
    assert calendar.game_dates(day, next_day) == [day, next_day]
    expected = {w for w in windows() if w[0] <= next_day and day <= w[1]}
    assert {w for w in windows() if w[1] < day} and {w for w in windows() if w[0] > next_day}
    assert changed(versions(day), versions(next_day)) == expected
    # No as_of is the same as an as_of after the window: every game of it final.
    assert changed(versions(None), versions(next_day)) == {w for w in windows() if w[1] >= next_day}
    assert changed(versions(None), versions(D(2024, 3, 1))) == set()


def test_as_of_on_a_day_without_games_is_the_state_of_the_days_around_it():
    """Christmas Eve has no games: as_of 24 December and 25 December show the same league (the
    23rd final, the 25th the morning), so only windows holding the 25th differ."""
    eve, christmas = D(2023, 12, 24), D(2023, 12, 25)
    assert eve not in calendar.game_dates(eve, christmas)
    assert changed(versions(eve), versions(christmas)) == {w for w in windows() if w[0] <= christmas <= w[1]}


def test_season_versions_follow_the_state_of_the_seasons_dates():
    spans = {2022: (D(2022, 7, 1), D(2023, 6, 30)), 2023: (D(2023, 7, 1), D(2024, 6, 30))}
    seasons = {a: {s: versions(a).season(s, *span) for s, span in spans.items()}
               for a in (None, AS_OF, AS_OF + dt.timedelta(days=1), D(2024, 7, 1))}
    assert seasons[AS_OF][2023] != seasons[AS_OF + dt.timedelta(days=1)][2023]
    assert seasons[None][2023] == seasons[D(2024, 7, 1)][2023] != seasons[AS_OF][2023]
    assert len({v[2022] for v in seasons.values()}) == 1  # a season before as_of: all final


def test_versions_change_exactly_where_the_generated_rows_change(today):
    """The invariant behind the versions, on generated data: for as_of moving a day at a time,
    a window's version changes if and only if some table's rows dated in the window change."""
    days = [EVE, AS_OF, AS_OF + dt.timedelta(days=1), None]
    frames = {a: generate(START, END, as_of=a) if a else today for a in days}

    def window_rows(a, first, last):
        out = []
        for table, frame in frames[a].items():
            if table not in STATIC_TABLES:
                part = rows(frame, table, lambda d: (d >= first) & (d <= last))
                out.append(conform(load_contract(table), part))
        return out

    spans = [(D(2024, 1, 12), EVE), (AS_OF, AS_OF), (D(2024, 1, 15), D(2024, 1, 18)),
             (D(2024, 1, 19), D(2024, 1, 25)), (D(2024, 1, 1), D(2024, 1, 25))]
    for a, b in zip(days, days[1:]):
        for span in spans:
            same_rows = all(x.equals(y) for x, y in zip(window_rows(a, *span), window_rows(b, *span)))
            same_version = versions(a).window([(SCHEDULE, *span)]) == versions(b).window([(SCHEDULE, *span)])
            assert same_rows == same_version, (a, b, span)


# -- the raw stage -----------------------------------------------------------------------------------
def test_raw_stage_loads_a_season_with_scheduled_games(tmp_path):
    """The raw season job loads the whole season: final games with box scores, the morning's
    pre-tip rows, and scheduled games without any box score."""
    cfg = validate({"start_date": "2024-01-12", "end_date": EVE.isoformat(), "raw": {"as_of": AS_OF.isoformat()},
                    "paths": {"warehouse": str(tmp_path / "warehouse"), "markers": str(tmp_path / "markers"),
                              "logs": str(tmp_path / "logs")}})
    jobs.load_raw_season(cfg, 2023, tmp_path / "markers" / "raw" / "2023.json")
    wh = open_warehouse(cfg)
    try:
        status = wh.query("select game_status, min(game_date) as first, max(game_date) as last, count(*) as games, "
                          "count(home_team_score) as scored from nba_raw.nbac_schedule group by 1 order by 1")
        assert status["game_status"].tolist() == [1, 3]
        assert status["scored"].tolist() == [0, status["games"][1]]
        assert pd.Timestamp(status["first"][0]).date() == AS_OF
        assert pd.Timestamp(status["last"][1]).date() == EVE
        for table in (*POSTGAME, "nba_raw.odds_api_player_points_props", *PRE_TIP):
            last = wh.query(f"select max({load_contract(table).date_column}) as d from {table}")["d"][0]
            assert pd.Timestamp(last).date() == (EVE if table in POSTGAME else AS_OF), table
    finally:
        wh.close()
