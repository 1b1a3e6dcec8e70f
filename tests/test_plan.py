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
    for unit in ("day", "week", "month", "season"):
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


def files_config(tmp_path, rows, start="2020-09-01", end="2021-01-31", **extra):
    folder = tmp_path / "raw"
    folder.mkdir(exist_ok=True)
    (folder / "nbac_schedule.csv").write_text(SCHEDULE_HEADER + "".join(rows))
    return {"start_date": start, "end_date": end, "chunk": "season",
            "raw": {"source": "files", "path": str(folder), "seed": 1}, **extra}


# A season that ended in October (2019-20, the bubble) and one that began in December (2020-21):
# the month rule would put the October finals into 2020.
BUBBLE = ["0041900406,2020-10-11,2019,3,MIA,LAL,93,106\n", "0022000001,2020-12-22,2020,3,BKN,GSW,125,99\n",
          "0022000002,2020-12-23,2020,3,BOS,MIL,122,121\n"]


def test_chunks_take_the_season_from_the_schedule(tmp_path):
    chunks = plan.chunks(files_config(tmp_path, BUBBLE))
    assert [(c.id, c.season) for c in chunks] == [("2020-10-11_2020-10-11", 2019),
                                                   ("2020-12-22_2020-12-23", 2020)]


def test_a_range_reaching_games_that_are_not_final_is_refused_naming_them(tmp_path):
    rows = BUBBLE + ["0022000003,2020-12-24,2020,1,DEN,LAC,,\n", "0022000004,2020-12-26,2020,1,NYK,IND,,\n"]
    with pytest.raises(plan.PlanError) as err:
        plan.chunks(files_config(tmp_path, rows))
    text = str(err.value)
    assert "2 game(s)" in text and "2020-12-24, 2020-12-26" in text and "20201224_LAC_DEN" in text
    assert "set end_date to 2020-12-23" in text
    # The same folder planned up to the last final date is fine.
    assert plan.game_dates(files_config(tmp_path, rows, end="2020-12-23"))[-1] == D(2020, 12, 23)


def test_declared_excluded_games_are_not_expected(tmp_path):
    rows = BUBBLE + ["0022000003,2020-12-24,2020,1,DEN,LAC,,\n"]
    config = files_config(tmp_path, rows, excluded_games=[{"game_id": "20201224_LAC_DEN", "reason": "postponed"}])
    assert plan.game_dates(config) == [D(2020, 10, 11), D(2020, 12, 22), D(2020, 12, 23)]


def test_a_broken_schedule_stops_the_plan_with_the_loaders_sentence(tmp_path):
    from nbaprops.raw.validate import RawInputError

    with pytest.raises(RawInputError, match="nbac_schedule.csv"):
        plan.chunks(files_config(tmp_path, ["0022000001,2020-12-22,2020,three,BKN,GSW,,\n"]))
