"""upcoming_team_game_context: rest, density, streaks, travel and lines for BOS's early season.

BOS: 2024-04-14 (last season) W; 10-22 vs NYK W; 10-24 @LAL W; 10-25 @GSW W (back-to-back);
10-27 vs MIA L; 10-29 @LAC W. LAC also hosts PHX on 10-28, and NYK @ PHI on 10-28 is still
scheduled (D12: scheduled games get their pre-game rows too, from the final games before them).
The range built is 10-27 .. 10-29, so everything before it is history read through the schedule
lookback.
"""
import pandas as pd
import pytest

from test_phase3_fixtures import (UTGC, assert_invariants, build, day, game_line, injury, row, schedule, team_box,
                                  travel, warehouse)

START, END = day("2024-10-27"), day("2024-10-29")


def raw_tables():
    sched = [
        schedule("2024-04-14", "WAS", "BOS", away_score=90, home_score=120, nba_game_id="0022301200",
                 season_year=2023),
        schedule("2024-10-22", "NYK", "BOS", away_score=100, home_score=110, nba_game_id="0022400001"),
        schedule("2024-10-24", "BOS", "LAL", away_score=105, home_score=100, nba_game_id="0022400002"),
        schedule("2024-10-25", "BOS", "GSW", away_score=99, home_score=90, nba_game_id="0022400003"),
        schedule("2024-10-27", "MIA", "BOS", away_score=108, home_score=100, nba_game_id="0022400004"),
        # an earlier scrape of the same game, still scheduled: the final row wins
        schedule("2024-10-27", "MIA", "BOS", status=1, nba_game_id="0022400004", processed_at="2024-10-27 12:00"),
        schedule("2024-10-28", "PHX", "LAC", away_score=101, home_score=104, nba_game_id="0022400006"),
        # not final yet: still gets its pre-game rows
        schedule("2024-10-28", "NYK", "PHI", status=1, nba_game_id="0022400007"),
        schedule("2024-10-29", "BOS", "LAC", away_score=110, home_score=100, nba_game_id="0022400005"),
    ]
    # only the names are read from the box score
    names = [team_box("2024-10-22", team, "NYK", True, points=100, fgm=40, fga=80, tpm=10, tpa=30, ftm=10, fta=12,
                      oreb=10, dreb=30, tov=12, team_name=name)
             for team, name in [("BOS", "Boston Celtics"), ("MIA", "Miami Heat"), ("LAC", "Los Angeles Clippers")]]
    lines = [
        game_line("2024-10-27", "MIA", "BOS", "draftkings", "spreads", "Boston Celtics", -5.5, "2024-10-27 12:00"),
        game_line("2024-10-27", "MIA", "BOS", "draftkings", "spreads", "Miami Heat", 5.5, "2024-10-27 12:00"),
        game_line("2024-10-27", "MIA", "BOS", "draftkings", "spreads", "Boston Celtics", -6.5, "2024-10-27 18:00"),
        game_line("2024-10-27", "MIA", "BOS", "draftkings", "spreads", "Miami Heat", 6.5, "2024-10-27 18:00"),
        game_line("2024-10-27", "MIA", "BOS", "fanduel", "spreads", "Boston Celtics", -7.0, "2024-10-27 19:00"),
        game_line("2024-10-27", "MIA", "BOS", "fanduel", "spreads", "Miami Heat", 7.0, "2024-10-27 19:00"),
        game_line("2024-10-27", "MIA", "BOS", "draftkings", "totals", "Over", 218.5, "2024-10-27 12:00"),
        game_line("2024-10-27", "MIA", "BOS", "draftkings", "totals", "Over", 220.5, "2024-10-27 18:00"),
        game_line("2024-10-27", "MIA", "BOS", "draftkings", "totals", "Under", 220.5, "2024-10-27 18:00"),
        # FanDuel only, and the feed says "LA Clippers"
        game_line("2024-10-29", "BOS", "LAC", "fanduel", "spreads", "LA Clippers", -3.0, "2024-10-29 20:00"),
        game_line("2024-10-29", "BOS", "LAC", "fanduel", "spreads", "Boston Celtics", 3.0, "2024-10-29 20:00"),
        game_line("2024-10-29", "BOS", "LAC", "fanduel", "totals", "Over", 215.0, "2024-10-29 20:00"),
    ]
    injuries = [
        injury("2024-10-27", "BOS", "bos1", "out"),
        injury("2024-10-27", "BOS", "bos2", "out", report_date="2024-10-26"),
        injury("2024-10-27", "BOS", "bos2", "available", hour=13),        # latest report wins
        injury("2024-10-27", "BOS", "bos3", "doubtful"),
        injury("2024-10-27", "BOS", "bos4", "out", confidence=0.5),       # not confident enough
        injury("2024-10-27", "MIA", "mia1", "questionable"),
        injury("2024-10-27", "MIA", "mia2", "out"),
    ]
    distances = [travel("GSW", "BOS", 2695), travel("MIA", "BOS", 1258), travel("BOS", "LAC", 2611),
                 travel("PHX", "LAC", 357), travel("LAC", "BOS", 2611), travel("BOS", "PHI", 271)]
    return {
        "nba_raw.nbac_schedule": sched,
        "nba_raw.nbac_team_boxscore": names,
        "nba_raw.odds_api_game_lines": lines,
        "nba_raw.nbac_injury_report": injuries,
        "nba_static.travel_distances": distances,
    }


@pytest.fixture(scope="module")
def utgc(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("utgc"), raw_tables())
    out = build(wh, UTGC, START, END)
    assert_invariants(wh, UTGC, START, END)
    return out


def test_two_rows_per_game_scheduled_or_final(utgc):
    keys = sorted(zip(pd.to_datetime(utgc.game_date).dt.strftime("%m-%d"), utgc.team_abbr))
    assert keys == [("10-27", "BOS"), ("10-27", "MIA"), ("10-28", "LAC"), ("10-28", "NYK"), ("10-28", "PHI"),
                    ("10-28", "PHX"), ("10-29", "BOS"), ("10-29", "LAC")]
    bos = row(utgc, game_date="2024-10-27", team_abbr="BOS")
    assert bos.game_id == "20241027_MIA_BOS" and bos.nba_game_id == "0022400004"
    assert bos.home_game and bos.opponent_team_abbr == "MIA" and bos.season_year == 2024


def test_rest_and_back_to_back(utgc):
    bos = row(utgc, game_date="2024-10-27", team_abbr="BOS")
    assert (bos.days_since_last_game, bos.team_days_rest, bos.team_back_to_back) == (2, 1, False)
    lac = row(utgc, game_date="2024-10-29", team_abbr="LAC")
    assert (lac.days_since_last_game, lac.team_days_rest, lac.team_back_to_back) == (1, 0, True)
    mia = row(utgc, game_date="2024-10-27", team_abbr="MIA")   # its first game of the season
    assert pd.isna(mia.days_since_last_game) and pd.isna(mia.team_days_rest) and not mia.team_back_to_back
    assert "first_game_of_season" in set(mia.quality_issues)


def test_games_in_last_7_and_14_days_and_season_game_number(utgc):
    bos27 = row(utgc, game_date="2024-10-27", team_abbr="BOS")
    # D-6 .. D-1 = 10-21 .. 10-26: 10-22, 10-24, 10-25
    assert (bos27.games_in_last_7_days, bos27.games_in_last_14_days, bos27.game_number_in_season) == (3, 3, 4)
    bos29 = row(utgc, game_date="2024-10-29", team_abbr="BOS")
    # 10-23 .. 10-28: 10-24, 10-25, 10-27 (10-22 is D-7, outside); 14 days: all four
    assert (bos29.games_in_last_7_days, bos29.games_in_last_14_days, bos29.game_number_in_season) == (3, 4, 5)
    assert row(utgc, game_date="2024-10-27", team_abbr="MIA").game_number_in_season == 1


def test_streaks_and_last_game(utgc):
    bos27 = row(utgc, game_date="2024-10-27", team_abbr="BOS")
    # W, W, W this season (last season's win does not count)
    assert (bos27.team_win_streak_entering, bos27.team_loss_streak_entering) == (3, 0)
    assert (bos27.last_game_margin, bos27.last_game_result) == (9, "W")
    bos29 = row(utgc, game_date="2024-10-29", team_abbr="BOS")
    assert (bos29.team_win_streak_entering, bos29.team_loss_streak_entering) == (0, 1)
    assert (bos29.last_game_margin, bos29.last_game_result) == (-8, "L")
    mia = row(utgc, game_date="2024-10-27", team_abbr="MIA")
    assert (mia.team_win_streak_entering, mia.team_loss_streak_entering) == (0, 0)
    assert pd.isna(mia.last_game_result)


def test_travel_miles_from_last_arena(utgc):
    bos27 = row(utgc, game_date="2024-10-27", team_abbr="BOS")
    # home after a road trip ending at Golden State: GSW -> BOS
    assert (bos27.travel_from_team_abbr, bos27.travel_miles) == ("GSW", 2695)
    bos29 = row(utgc, game_date="2024-10-29", team_abbr="BOS")
    assert (bos29.travel_from_team_abbr, bos29.travel_miles) == ("BOS", 2611)
    # first game of the season starts from home
    assert row(utgc, game_date="2024-10-27", team_abbr="MIA").travel_miles == 1258
    assert row(utgc, game_date="2024-10-28", team_abbr="PHX").travel_miles == 357
    # LAC stayed home
    assert row(utgc, game_date="2024-10-29", team_abbr="LAC").travel_miles == 0
    assert utgc.is_production_ready.all()


def test_spread_and_total_draftkings_latest_snapshot(utgc):
    bos, mia = row(utgc, game_date="2024-10-27", team_abbr="BOS"), row(utgc, game_date="2024-10-27", team_abbr="MIA")
    # DraftKings' latest snapshot (18:00) beats FanDuel's later one
    assert (bos.game_spread, bos.game_spread_source) == (-6.5, "draftkings")
    assert (mia.game_spread, mia.game_spread_source) == (6.5, "draftkings")
    assert (bos.game_total, bos.game_total_source) == (220.5, "draftkings")
    assert mia.game_total == 220.5
    assert bos.betting_lines_updated_at == pd.Timestamp("2024-10-27 18:00", tz="UTC")


def test_fanduel_fallback_and_team_name_variants(utgc):
    lac, bos = row(utgc, game_date="2024-10-29", team_abbr="LAC"), row(utgc, game_date="2024-10-29", team_abbr="BOS")
    assert (lac.game_spread, lac.game_spread_source) == (-3.0, "fanduel")
    assert (bos.game_spread, bos.game_total, bos.game_total_source) == (3.0, 215.0, "fanduel")
    phx = row(utgc, game_date="2024-10-28", team_abbr="PHX")
    assert pd.isna(phx.game_spread) and {"missing_game_spread", "missing_game_total"} <= set(phx.quality_issues)


def test_injury_counts_latest_confident_report(utgc):
    bos = row(utgc, game_date="2024-10-27", team_abbr="BOS")
    assert (bos.players_out_count, bos.questionable_players_count) == (1, 1)
    mia = row(utgc, game_date="2024-10-27", team_abbr="MIA")
    assert (mia.players_out_count, mia.questionable_players_count) == (1, 1)
    assert row(utgc, game_date="2024-10-29", team_abbr="BOS").players_out_count == 0


def test_a_scheduled_game_sees_the_final_games_before_it(utgc):
    nyk = row(utgc, game_date="2024-10-28", team_abbr="NYK")
    assert nyk.game_id == "20241028_NYK_PHI" and nyk.nba_game_id == "0022400007" and not nyk.home_game
    # NYK's only final game: 10-22 at BOS, lost 100-110
    assert (nyk.days_since_last_game, nyk.game_number_in_season, nyk.games_in_last_7_days) == (6, 2, 1)
    assert (nyk.last_game_result, nyk.last_game_margin, nyk.team_loss_streak_entering) == ("L", -10, 1)
    assert (nyk.travel_from_team_abbr, nyk.travel_miles) == ("BOS", 271)
    phi = row(utgc, game_date="2024-10-28", team_abbr="PHI")
    assert phi.game_number_in_season == 1 and "first_game_of_season" in set(phi.quality_issues)


def test_a_scheduled_game_does_not_count_as_played(tmp_path, utgc):
    """Every later game sees only final games: a scheduled 10-28 BOS game would not change 10-29."""
    tables = raw_tables()
    tables["nba_raw.nbac_schedule"].append(schedule("2024-10-28", "BOS", "DEN", status=1, nba_game_id="0022400008"))
    out = build(warehouse(tmp_path, tables), UTGC, START, END)
    later = row(out, game_date="2024-10-29", team_abbr="BOS")
    pd.testing.assert_series_equal(later, row(utgc, game_date="2024-10-29", team_abbr="BOS"), check_names=False)
