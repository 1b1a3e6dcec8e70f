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
