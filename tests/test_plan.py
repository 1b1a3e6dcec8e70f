"""Chunk plan: game dates grouped into jobs, never across seasons; history lookups."""
import datetime as dt

from nbaprops.plan import group_dates, overlapping
from nbaprops.seasons import is_bootstrap, openers_from_dates, season_year

D = dt.date


def test_season_year():
    assert season_year(D(2021, 10, 19)) == 2021
    assert season_year(D(2022, 6, 16)) == 2021
    assert season_year(D(2022, 9, 30)) == 2021
    assert season_year(D(2022, 10, 1)) == 2022


def test_bootstrap_is_days_0_to_13_from_the_opener():
    openers = openers_from_dates([D(2021, 10, 19), D(2021, 10, 20), D(2022, 10, 18)])
    assert openers == {2021: D(2021, 10, 19), 2022: D(2022, 10, 18)}
    assert is_bootstrap(D(2021, 10, 19), openers)
    assert is_bootstrap(D(2021, 11, 1), openers)        # day 13
    assert not is_bootstrap(D(2021, 11, 2), openers)    # day 14
    assert not is_bootstrap(D(2020, 12, 1), openers)    # season unknown: not bootstrap


def test_month_chunks_split_at_months_and_seasons():
    dates = [D(2022, 5, 30), D(2022, 6, 2), D(2022, 10, 18), D(2022, 10, 20), D(2022, 11, 1)]
    chunks = group_dates(dates, "month")
    assert [c.id for c in chunks] == ["2022-05-30_2022-05-30", "2022-06-02_2022-06-02",
                                      "2022-10-18_2022-10-20", "2022-11-01_2022-11-01"]
    assert [c.season for c in chunks] == [2021, 2021, 2022, 2022]


def test_season_and_day_and_week_chunks():
    dates = [D(2022, 6, 2), D(2022, 10, 18), D(2022, 10, 24), D(2023, 4, 1)]
    assert [len(c.dates) for c in group_dates(dates, "season")] == [1, 3]
    assert len(group_dates(dates, "day")) == 4
    weeks = group_dates([D(2022, 10, 18), D(2022, 10, 23), D(2022, 10, 24)], "week")
    assert [c.id for c in weeks] == ["2022-10-18_2022-10-23", "2022-10-24_2022-10-24"]


def test_every_date_in_exactly_one_chunk():
    dates = [D(2021, 10, 19) + dt.timedelta(days=i) for i in range(0, 400, 2)]
    for unit in ("day", "week", "month", "season", "auto"):
        flat = [d for c in group_dates(dates, unit) for d in c.dates]
        assert flat == sorted(dates)


def test_overlapping_finds_history_chunks():
    chunks = group_dates([D(2022, 1, 5), D(2022, 1, 20), D(2022, 2, 3), D(2022, 3, 1)], "month")
    got = overlapping(chunks, D(2022, 1, 10), D(2022, 2, 10))
    assert [c.id for c in got] == ["2022-01-05_2022-01-20", "2022-02-03_2022-02-03"]


# --- the plan from the raw schedule as it is now (files source) ------------------------------

import pytest  # noqa: E402

from nbaprops import plan  # noqa: E402

SCHEDULE_HEADER = "game_id,game_date,season_year,game_status,home_team_tricode,away_team_tricode,home_team_score,away_team_score\n"


def files_config(tmp_path, rows, start="2020-09-01", end="2020-12-23", **extra):
    folder = tmp_path / "raw"
    folder.mkdir(exist_ok=True)
    (folder / "nbac_schedule.csv").write_text(SCHEDULE_HEADER + "".join(rows))
    return {"start_date": start, "end_date": end, "chunk": "season",
            "raw": {"source": "files", "path": str(folder), "seed": 1}, **extra}


# A season that ended in October (2019-20, the bubble) and one that began in December (2020-21):
# the month rule would put the October finals into 2020.
BUBBLE = ["0041900406,2020-10-11,2019,3,MIA,LAL,93,106\n", "0022000001,2020-12-22,2020,3,BKN,GSW,125,99\n",
          "0022000002,2020-12-23,2020,3,BOS,MIL,122,121\n"]
# Tonight's slate and the night after: not played yet (1), and one game of 12-24 under way (2).
SLATE = ["0022000003,2020-12-24,2020,1,DEN,LAC,,\n", "0022000005,2020-12-24,2020,2,PHX,DAL,50,48\n",
         "0022000004,2020-12-26,2020,1,NYK,IND,,\n"]


def test_chunks_take_the_season_from_the_schedule(tmp_path):
    chunks = plan.chunks(files_config(tmp_path, BUBBLE))
    assert [(c.id, c.season) for c in chunks] == [("2020-10-11_2020-10-11", 2019),
                                                   ("2020-12-22_2020-12-23", 2020)]


def test_scheduled_dates_are_planned_with_their_state(tmp_path):
    config = files_config(tmp_path, BUBBLE + SLATE, end="2020-12-26")
    assert plan.date_states(config) == {D(2020, 10, 11): "final", D(2020, 12, 22): "final",
                                        D(2020, 12, 23): "final", D(2020, 12, 24): "scheduled",
                                        D(2020, 12, 26): "scheduled"}
    assert [c.id for c in plan.chunks(config)] == ["2020-10-11_2020-10-11", "2020-12-22_2020-12-26"]


def test_a_date_with_one_game_not_final_is_scheduled(tmp_path):
    rows = BUBBLE + ["0022000006,2020-12-23,2020,2,LAL,LAC,40,41\n"]
    assert plan.date_states(files_config(tmp_path, rows))[D(2020, 12, 23)] == "scheduled"


def test_an_end_date_past_the_schedule_is_refused_in_one_sentence(tmp_path):
    with pytest.raises(plan.PlanError) as err:
        plan.chunks(files_config(tmp_path, BUBBLE + SLATE, end="2020-12-31"))
    assert str(err.value) == (
        "end_date 2020-12-31 is past the last game of the raw schedule (2020-12-26): set end_date to "
        "2020-12-26 or earlier, or load the raw schedule of the games up to 2020-12-31 first")


def test_end_date_today_plans_up_to_today_in_us_eastern(tmp_path):
    from nbaprops.config import validate

    # 03:30 UTC on 12-25 is still the evening of 12-24 in New York: tonight's slate is 12-24's.
    night = dt.datetime(2020, 12, 25, 3, 30, tzinfo=dt.timezone.utc)
    config = validate(files_config(tmp_path, BUBBLE + SLATE, end="today"), now=night)
    assert config["end_date"] == "2020-12-24"
    assert plan.game_dates(config)[-1] == D(2020, 12, 24)


def test_declared_excluded_games_are_not_expected(tmp_path):
    rows = BUBBLE + ["0022000003,2020-12-24,2020,1,DEN,LAC,,\n"]
    config = files_config(tmp_path, rows, end="2020-12-24",
                          excluded_games=[{"game_id": "20201224_LAC_DEN", "reason": "postponed"}])
    assert plan.game_dates(config) == [D(2020, 10, 11), D(2020, 12, 22), D(2020, 12, 23)]


def test_overdue_dates_are_scheduled_dates_before_the_leagues_today():
    states = {D(2020, 12, 22): "final", D(2020, 12, 23): "scheduled", D(2020, 12, 24): "scheduled"}
    morning = D(2020, 12, 24)
    assert plan.overdue_dates(states, morning) == [D(2020, 12, 23)]
    finding = plan.overdue_finding(states, morning)
    assert (finding.kind, finding.severity, finding.count, finding.examples) == (
        "overdue_scheduled_dates", "warning", 1, ["2020-12-23"])
    assert finding.message.startswith("1 date(s) before today still have games that are not final in the "
                                      "raw schedule: 2020-12-23;")
    assert plan.overdue_finding({D(2020, 12, 24): "scheduled"}, morning) is None


def test_the_leagues_today_is_the_demos_as_of_else_today_in_us_eastern():
    night = dt.datetime(2020, 12, 25, 3, 30, tzinfo=dt.timezone.utc)  # 22:30 on 12-24 in New York
    assert plan.league_today({"raw": {"source": "files", "as_of": None}}, night) == D(2020, 12, 24)
    assert plan.league_today({"raw": {"source": "demo", "as_of": "2024-01-10"}}, night) == D(2024, 1, 10)
    assert plan.league_today({}, night) == D(2020, 12, 24)


def test_a_broken_schedule_stops_the_plan_with_the_loaders_sentence(tmp_path):
    from nbaprops.raw.validate import RawInputError

    with pytest.raises(RawInputError, match="nbac_schedule.csv"):
        plan.chunks(files_config(tmp_path, ["0022000001,2020-12-22,2020,three,BKN,GSW,,\n"]))


# --- chunk: auto ------------------------------------------------------------------------------

# Two seasons: 2021-22 complete, 2022-23 under way (its October, November, and December so far).
AUTO_DATES = [D(2022, 4, 10), D(2022, 6, 16), D(2022, 10, 18), D(2022, 10, 30), D(2022, 11, 2),
              D(2022, 11, 29), D(2022, 12, 1), D(2022, 12, 2), D(2022, 12, 4)]


def test_auto_chunks_are_seasons_then_months_then_the_days_of_end_dates_month():
    chunks = group_dates(AUTO_DATES, "auto", end=D(2022, 12, 5))
    assert [(c.id, c.season) for c in chunks] == [
        ("2022-04-10_2022-06-16", 2021),
        ("2022-10-18_2022-10-30", 2022), ("2022-11-02_2022-11-29", 2022),
        ("2022-12-01_2022-12-01", 2022), ("2022-12-02_2022-12-02", 2022), ("2022-12-04_2022-12-04", 2022)]


def test_auto_chunk_ids_stay_when_end_date_moves_a_day_within_a_month():
    before = {c.id for c in group_dates(AUTO_DATES[:-1], "auto", end=D(2022, 12, 3))}
    after = {c.id for c in group_dates(AUTO_DATES, "auto", end=D(2022, 12, 4))}
    assert after - before == {"2022-12-04_2022-12-04"} and before <= after


def test_auto_turns_a_closed_month_into_one_chunk():
    january = group_dates(AUTO_DATES + [D(2023, 1, 2)], "auto", end=D(2023, 1, 2))
    assert [c.id for c in january][-2:] == ["2022-12-01_2022-12-04", "2023-01-02_2023-01-02"]


def test_auto_without_a_day_in_end_dates_month_has_only_months():
    chunks = group_dates(AUTO_DATES[:4], "auto", end=D(2022, 11, 1))
    assert [c.id for c in chunks] == ["2022-04-10_2022-06-16", "2022-10-18_2022-10-30"]
