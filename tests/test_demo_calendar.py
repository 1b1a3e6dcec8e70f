"""Demo calendar: openers, breaks, play-in/playoff plan, cheapness, and agreement with the schedule."""
import datetime as dt
import time

import pytest

from nbaprops.demo import calendar
from nbaprops.demo.generate import generate

D = dt.date


def test_real_openers():
    assert [calendar.season_opener(y) for y in range(2021, 2026)] == [
        D(2021, 10, 19), D(2022, 10, 18), D(2023, 10, 24), D(2024, 10, 22), D(2025, 10, 21)]
    for year in range(2015, 2040):
        opener = calendar.season_opener(year)
        assert opener.weekday() == 1 and D(year, 10, 18) <= opener <= D(year, 10, 24)


def test_game_dates_cheap_and_about_900():
    start = time.perf_counter()
    dates = calendar.game_dates(D(2021, 10, 19), D(2026, 1, 3), seed=99)  # an uncached seed
    assert time.perf_counter() - start < 0.05
    assert 880 <= len(dates) <= 930
    assert dates == sorted(set(dates))
    assert dates[0] == D(2021, 10, 19) and dates[-1] <= D(2026, 1, 3)


@pytest.mark.parametrize("year", [2021, 2023, 2025])
def test_no_games_on_off_days(year):
    dates = set(calendar.season_dates(year))
    assert calendar.thanksgiving(year) not in dates
    assert D(year, 12, 24) not in dates
    assert not dates & set(calendar.all_star_break(year))
    assert len(calendar.all_star_break(year)) == 6 and calendar.all_star_break(year)[0].month == 2
    assert all(d.month not in (7, 8, 9) for d in dates)
    assert len(calendar.regular_season_dates(year)) == 164
    assert max(dates) < D(year + 1, 6, 30)


def test_playoff_plan():
    games = calendar.playoff_games(2023, 2021)
    lengths = calendar.series_lengths(2023, 2021)
    assert len(games) == sum(lengths.values())
    assert set(lengths.values()) <= {4, 5, 6, 7} and len(lengths) == 15
    by_round = {r: [g.date for g in games if g.round == r] for r in (1, 2, 3, 4)}
    assert min(by_round[1]) == calendar.playoffs_start(2023)
    for r in (1, 2, 3):  # rounds never overlap
        assert max(by_round[r]) < min(by_round[r + 1])
    assert calendar.play_in_dates(2023)[-1] < calendar.playoffs_start(2023)


def test_calendar_equals_generated_schedule():
    tables = generate(D(2023, 10, 24), D(2024, 6, 30))
    schedule = tables["nba_raw.nbac_schedule"]
    final = schedule[schedule["game_status"] == 3]
    scheduled = sorted(set(final["game_date"].dt.date))
    assert scheduled == calendar.game_dates(D(2023, 10, 24), D(2024, 6, 30))
    # a range cut inside the season: the same dates, restricted
    lo, hi = D(2023, 12, 20), D(2024, 4, 30)
    assert [d for d in scheduled if lo <= d <= hi] == calendar.game_dates(lo, hi)


def test_empty_and_too_early_ranges():
    assert calendar.game_dates(D(2024, 7, 1), D(2024, 9, 30)) == []
    with pytest.raises(ValueError, match="demo league starts"):
        calendar.game_dates(D(2010, 10, 1), D(2011, 6, 1))
