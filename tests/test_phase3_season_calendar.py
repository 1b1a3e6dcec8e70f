"""nba_staging.season_calendar: seasons, openers and the D7 bootstrap fortnight, by hand."""
import pytest

from test_phase3_fixtures import CALENDAR, assert_invariants, build, day, row, schedule, warehouse


def schedule_rows():
    """Season 2022 from its 2022-10-18 opener to the 2023 finals, then the 2023 season, whose
    opener 2023-10-24 is still scheduled (the morning of opening night) and whose 10-25 games are
    scheduled too."""
    return [
        schedule("2022-10-18", "LAL", "GSW", nba_game_id="0022200001"),
        schedule("2022-10-31", "NYK", "BOS", nba_game_id="0022200002"),   # day 13
        schedule("2022-11-01", "LAL", "GSW", nba_game_id="0022200003"),   # day 14
        schedule("2023-06-12", "MIA", "DEN", nba_game_id="0042200405"),   # finals: still season 2022
        schedule("2023-10-24", "LAL", "DEN", status=1, nba_game_id="0022300001"),   # the 2023 opener
        schedule("2023-10-25", "NYK", "BOS", status=1, nba_game_id="0022300002"),
    ]


@pytest.fixture(scope="module")
def calendar(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("calendar"), {"nba_raw.nbac_schedule": schedule_rows()})
    start, end = day("2022-10-01"), day("2023-10-31")
    out = build(wh, CALENDAR, start, end)
    assert_invariants(wh, CALENDAR, start, end)
    return out


def test_one_row_per_date_with_a_game_scheduled_or_final(calendar):
    dates = [d.date().isoformat() for d in calendar.game_date]
    assert dates == ["2022-10-18", "2022-10-31", "2022-11-01", "2023-06-12", "2023-10-24", "2023-10-25"]


@pytest.mark.parametrize("date, season, opener, day_of_season, bootstrap", [
    ("2022-10-18", 2022, "2022-10-18", 0, True),
    ("2022-10-31", 2022, "2022-10-18", 13, True),
    ("2022-11-01", 2022, "2022-10-18", 14, False),
    ("2023-06-12", 2022, "2022-10-18", 237, False),
    # D12: the opener is known on its morning, before any game of the season is final
    ("2023-10-24", 2023, "2023-10-24", 0, True),
    ("2023-10-25", 2023, "2023-10-24", 1, True),
])
def test_season_opener_and_bootstrap_fortnight(calendar, date, season, opener, day_of_season, bootstrap):
    r = row(calendar, game_date=date)
    assert (r.season_year, r.opener_date.date(), r.day_of_season, r.is_bootstrap) == (
        season, day(opener), day_of_season, bootstrap)


def test_a_date_is_the_same_on_its_morning_and_after_its_games(tmp_path, calendar):
    """The opener's games going final changes no row (the backfill and the daily run agree)."""
    final = [dict(r, game_status=3, home_team_score=100, away_team_score=90) if r["season_year"] == 2023 else r
             for r in schedule_rows()]
    wh = warehouse(tmp_path, {"nba_raw.nbac_schedule": final})
    later = build(wh, CALENDAR, day("2023-10-24"), day("2023-10-25"))
    assert later.to_dict("records") == calendar[calendar.game_date >= "2023-10-24"].to_dict("records")


def test_a_chunk_after_the_opener_still_finds_it(tmp_path, calendar):
    """A one-day chunk in June reaches back to October's opener through its 366-day lookback."""
    wh = warehouse(tmp_path, {"nba_raw.nbac_schedule": schedule_rows()})
    alone = build(wh, CALENDAR, day("2023-06-12"), day("2023-06-12"))
    assert alone.to_dict("records") == calendar[calendar.game_date == "2023-06-12"].to_dict("records")
