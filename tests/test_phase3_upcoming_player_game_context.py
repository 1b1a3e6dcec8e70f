"""upcoming_player_game_context for LAL @ BOS and NYK @ MIA on 2025-01-20, worked out by hand.

The rosters are those of the morning (D12): BOS's and NYK's 01-19 box scores (NYK's from BDL: its
gamebook is missing), LAL's 01-18 gamebook; MIA has no box score in the data, so no roster. D's own
gamebook and BDL rows (a late signing, a player who is not on any roster) must never be read.
tradedguy left LAL (01-18) for BOS (01-19): he belongs to BOS. swappedguy is on NYK's 01-19 box
score but his prop line of D is for LAL @ BOS, where the registry lists him with BOS from 01-20: a
trade no box score shows yet. rookieguy has a prop line only; the registry places him with LAL.

Tatum's player_game_summary history (newest first; the 01-17 row is a DNP, the 12-19 row is
outside [D-30, D), the 01-20 row is D's own game and must never be read):

    date   01-19 01-18 (01-17) 01-16 01-13 01-12 01-11 01-05 12-25 | 12-19 | 01-20
    points    25    30   DNP     20    22    18    27    15    24  |  40   |  50
    minutes 30.5  28.4          35.0  33.3  20.0  25.0  31.0  30.0 |
    usage     30    28            26    24    22    20    18    10 |
"""
import pandas as pd
import pytest

from test_phase3_fixtures import (UPGC, assert_invariants, bdl, build, day, game_line, gamebook, injury, pgs_row,
                                  prop, registry, row, schedule, togs_row, warehouse)

DATE = "2025-01-20"
D = day(DATE)


def raw_tables():
    roster = [
        gamebook("2025-01-19", "jaysontatum", "BOS", "NYK", "BOS", points=25, fgm=10, fga=20, tpm=2, tpa=4, ftm=3, fta=3),
        # a second load under the NBA id: still one row
        gamebook("2025-01-19", "jaysontatum", "BOS", "NYK", "BOS", points=25, fgm=10, fga=20, tpm=2, tpa=4, ftm=3,
                 fta=3, game="0022400550", processed_at="2025-01-20 01:00"),
        gamebook("2025-01-19", "benchguy", "BOS", "NYK", "BOS", status="dnp"),
        gamebook("2025-01-19", "injuredguy", "BOS", "NYK", "BOS", status="inactive"),
        gamebook("2025-01-19", "tradedguy", "BOS", "NYK", "BOS", status="inactive"),
        gamebook("2025-01-18", "tradedguy", "LAL", "LAL", "GSW", status="dnp"),
        gamebook("2025-01-18", "lebronjames", "LAL", "LAL", "GSW", points=25, fgm=10, fga=20, tpm=1, tpa=4, ftm=4,
                 fta=5),
        # D's own gamebook: never read for D
        gamebook(DATE, "jaysontatum", "BOS", "LAL", "BOS", points=50, fgm=20, fga=30, tpm=5, tpa=10, ftm=5, fta=5),
        gamebook(DATE, "latesigning", "BOS", "LAL", "BOS", points=2, fgm=1, fga=1),
        gamebook(DATE, "lebronjames", "LAL", "LAL", "BOS", points=25, fgm=10, fga=20, tpm=1, tpa=4, ftm=4, fta=5),
    ]
    # NYK's gamebook of 01-19 is missing: its roster comes from BDL; D's BDL rows are never read
    box_bdl = [bdl("2025-01-19", "jalenbrunson", "NYK", "NYK", "BOS", points=30, fgm=10, fga=20, tpm=5, tpa=8,
                   ftm=5, fta=5),
               bdl("2025-01-19", "swappedguy", "NYK", "NYK", "BOS", points=4, fgm=2, fga=5),
               bdl(DATE, "jalenbrunson", "NYK", "NYK", "MIA", points=30, fgm=10, fga=20, tpm=5, tpa=8, ftm=5, fta=5),
               bdl(DATE, "miadayof", "MIA", "NYK", "MIA", points=3, fgm=1, fga=2, tpm=1, tpa=1)]
    sched = [
        schedule(DATE, "LAL", "BOS", away_score=100, home_score=110, nba_game_id="0022400561"),
        schedule(DATE, "NYK", "MIA", away_score=100, home_score=90, nba_game_id="0022400562"),
        schedule("2025-01-19", "NYK", "BOS", away_score=100, home_score=101, nba_game_id="0022400550"),
        schedule("2025-01-18", "BOS", "PHI", away_score=100, home_score=99, nba_game_id="0022400540"),
        schedule("2025-01-17", "CHI", "BOS", away_score=100, home_score=102, nba_game_id="0022400530"),
        schedule("2025-01-16", "BOS", "ATL", away_score=100, home_score=98, nba_game_id="0022400520"),
        schedule("2025-01-13", "MIA", "BOS", away_score=100, home_score=97, nba_game_id="0022400510"),
        schedule("2025-01-12", "BOS", "DET", away_score=100, home_score=103, nba_game_id="0022400500"),
        schedule("2025-01-11", "TOR", "BOS", away_score=100, home_score=96, nba_game_id="0022400490"),
        schedule("2025-01-05", "BOS", "ORL", away_score=100, home_score=95, nba_game_id="0022400440"),
        schedule("2025-01-18", "LAL", "GSW", away_score=100, home_score=94, nba_game_id="0022400541"),
        schedule("2025-01-15", "DEN", "LAL", away_score=100, home_score=93, nba_game_id="0022400515"),
    ]
    history = [
        pgs_row("2025-01-19", "jaysontatum", "BOS", "NYK", points=25, minutes=30.5, usage_rate=30.0),
        pgs_row("2025-01-18", "jaysontatum", "BOS", "PHI", points=30, minutes=28.4, usage_rate=28.0, home=False),
        pgs_row("2025-01-17", "jaysontatum", "BOS", "CHI", points=None, minutes=None),
        pgs_row("2025-01-16", "jaysontatum", "BOS", "ATL", points=20, minutes=35.0, usage_rate=26.0, home=False),
        pgs_row("2025-01-13", "jaysontatum", "BOS", "MIA", points=22, minutes=33.3, usage_rate=24.0),
        pgs_row("2025-01-12", "jaysontatum", "BOS", "DET", points=18, minutes=20.0, usage_rate=22.0, home=False),
        pgs_row("2025-01-11", "jaysontatum", "BOS", "TOR", points=27, minutes=25.0, usage_rate=20.0),
        pgs_row("2025-01-05", "jaysontatum", "BOS", "ORL", points=15, minutes=31.0, usage_rate=18.0, home=False),
        pgs_row("2024-12-25", "jaysontatum", "BOS", "PHI", points=24, minutes=30.0, usage_rate=10.0),
        pgs_row("2024-12-19", "jaysontatum", "BOS", "PHI", points=40, minutes=40.0, usage_rate=40.0),
        pgs_row(DATE, "jaysontatum", "BOS", "LAL", points=50, minutes=40.0, usage_rate=50.0),
        pgs_row("2025-01-19", "benchguy", "BOS", "NYK", points=5, minutes=8.0),
    ]
    team_paces = [
        togs_row("2025-01-19", "BOS", "NYK", pace=100.0),
        togs_row("2025-01-18", "BOS", "PHI", pace=102.0, home=False),
        togs_row(DATE, "BOS", "LAL", pace=150.0),                      # D's own game: never read
        togs_row("2025-01-18", "LAL", "GSW", pace=98.0, home=False),
        togs_row("2025-01-15", "LAL", "DEN", pace=99.0),
    ]
    props = [
        prop(DATE, "jaysontatum", "draftkings", 18.5, "2025-01-20 14:00", 600),
        prop(DATE, "jaysontatum", "draftkings", 19.5, "2025-01-20 23:00", 60),
        prop(DATE, "jaysontatum", "draftkings", 25.5, "2025-01-21 00:05", -5),   # in-game: ignored
        prop(DATE, "jaysontatum", "fanduel", 19.5, "2025-01-20 15:40", 500),
        prop(DATE, "jaysontatum", "fanduel", 20.5, "2025-01-20 23:30", 30),
        dict(prop(DATE, "swappedguy", "draftkings", 6.5, "2025-01-20 20:00", 200),
             home_team_abbr="BOS", away_team_abbr="LAL"),
        dict(prop(DATE, "rookieguy", "draftkings", 8.5, "2025-01-20 20:00", 200),
             home_team_abbr="BOS", away_team_abbr="LAL"),
    ]
    lines = [
        game_line(DATE, "LAL", "BOS", "draftkings", "spreads", "Boston Celtics", -3.5, "2025-01-20 10:00"),
        game_line(DATE, "LAL", "BOS", "draftkings", "spreads", "Los Angeles Lakers", 3.5, "2025-01-20 10:00"),
        game_line(DATE, "LAL", "BOS", "draftkings", "spreads", "Boston Celtics", -4.5, "2025-01-20 18:00"),
        game_line(DATE, "LAL", "BOS", "draftkings", "spreads", "Los Angeles Lakers", 4.5, "2025-01-20 18:00"),
        game_line(DATE, "LAL", "BOS", "fanduel", "spreads", "Boston Celtics", -5.5, "2025-01-20 12:00"),
        game_line(DATE, "LAL", "BOS", "fanduel", "spreads", "Los Angeles Lakers", 5.5, "2025-01-20 12:00"),
        game_line(DATE, "LAL", "BOS", "draftkings", "totals", "Over", 222.5, "2025-01-20 10:00"),
        game_line(DATE, "LAL", "BOS", "draftkings", "totals", "Under", 222.5, "2025-01-20 10:00"),
        game_line(DATE, "LAL", "BOS", "draftkings", "totals", "Over", 224.5, "2025-01-20 18:00"),
        game_line(DATE, "LAL", "BOS", "fanduel", "totals", "Over", 225.5, "2025-01-20 12:00"),
    ]
    injuries = [
        injury(DATE, "BOS", "jaysontatum", "out", hour=12),
        injury(DATE, "BOS", "jaysontatum", "questionable", hour=17, reason="Injury/Illness - Right Knee"),
        injury(DATE, "BOS", "injuredguy", "out", confidence=0.5),
    ]
    return {
        "nba_raw.nbac_gamebook_player_stats": roster,
        "nba_raw.bdl_player_boxscores": box_bdl,
        "nba_raw.nbac_schedule": sched,
        "nba_analytics.player_game_summary": history,
        "nba_analytics.team_offense_game_summary": team_paces,
        "nba_raw.odds_api_player_points_props": props,
        "nba_raw.odds_api_game_lines": lines,
        "nba_raw.nbac_injury_report": injuries,
        "nba_reference.nba_players_registry": [
            registry("jaysontatum", "jaysontatum_001", "BOS"),
            registry("swappedguy", "swappedguy_001", "NYK"),
            registry("swappedguy", "swappedguy_001", "BOS", first_game="2025-01-20"),
            registry("rookieguy", "rookieguy_001", "LAL"),
            registry("rookieguy", "rookieguy_001", "BOS", first_game="2025-03-01"),   # later: not yet
        ],
    }


@pytest.fixture(scope="module")
def upgc(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("upgc"), raw_tables())
    out = build(wh, UPGC, D, D)
    assert_invariants(wh, UPGC, D, D)
    return out


def test_one_row_per_roster_player_whatever_his_status(upgc):
    # the morning's rosters plus prop-line players; not latesigning or miadayof (only on D's own box scores)
    assert sorted(upgc.player_lookup) == ["benchguy", "injuredguy", "jalenbrunson", "jaysontatum", "lebronjames",
                                          "rookieguy", "swappedguy", "tradedguy"]
    tatum = row(upgc, player_lookup="jaysontatum")
    assert tatum.game_id == "20250120_LAL_BOS" and tatum.nba_game_id == "0022400561"
    assert (tatum.team_abbr, tatum.opponent_team_abbr, tatum.home_game) == ("BOS", "LAL", True)
    assert tatum.universal_player_id == "jaysontatum_001" and tatum.roster_source == "nbac_gamebook"
    brunson = row(upgc, player_lookup="jalenbrunson")
    assert brunson.roster_source == "bdl_player_boxscores" and brunson.nba_game_id == "0022400562"
    assert (brunson.opponent_team_abbr, brunson.home_game) == ("MIA", False)
    assert not row(upgc, player_lookup="lebronjames").home_game


def test_a_traded_player_belongs_to_his_latest_team(upgc):
    # on LAL's 01-18 and BOS's 01-19 box scores: BOS, where he appeared last
    traded = row(upgc, player_lookup="tradedguy")
    assert (traded.team_abbr, traded.roster_source) == ("BOS", "nbac_gamebook")
    # on NYK's 01-19 box score, but his prop line is for LAL @ BOS, where the registry has him with BOS
    swapped = row(upgc, player_lookup="swappedguy")
    assert (swapped.team_abbr, swapped.opponent_team_abbr, swapped.roster_source) == ("BOS", "LAL", "prop_line")
    assert swapped.has_prop_line and swapped.current_points_line == 6.5


def test_a_prop_line_puts_a_player_on_the_roster(upgc):
    rookie = row(upgc, player_lookup="rookieguy")
    assert (rookie.team_abbr, rookie.home_game, rookie.roster_source) == ("LAL", False, "prop_line")
    assert rookie.universal_player_id == "rookieguy_001" and rookie.current_points_line == 8.5


def test_rest_and_back_to_back(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    assert (tatum.days_rest, tatum.back_to_back, tatum.days_rest_before_last_game) == (1, True, 1)
    # pairs newest first: (19, 18) 1 day, (18, 16) 2 days -> D - 01-18
    assert tatum.days_since_2_plus_days_rest == 2
    # LAL's last game was 01-18
    assert tatum.opponent_days_rest == 2
    assert row(upgc, player_lookup="lebronjames").opponent_days_rest == 1
    injured = row(upgc, player_lookup="injuredguy")   # no history at all
    assert pd.isna(injured.days_rest) and not injured.back_to_back


def test_recent_load(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    # D-7 .. D-1: 19, 18, 16, 13; D-14 .. D-1 adds 12 and 11 (01-05 is D-15; the DNP never counts)
    assert (tatum.games_in_last_7_days, tatum.games_in_last_14_days) == (4, 6)
    # 30.5 + 28.4 + 35.0 + 33.3 = 127.2 -> 127; + 20 + 25 = 172.2 -> 172; 127 / 4 = 31.75
    assert (tatum.minutes_in_last_7_days, tatum.minutes_in_last_14_days) == (127, 172)
    assert tatum.avg_minutes_per_game_last_7 == pytest.approx(31.8)
    # (19, 18), (13, 12), (12, 11)
    assert tatum.back_to_backs_last_14_days == 3
    injured = row(upgc, player_lookup="injuredguy")
    assert (injured.games_in_last_7_days, injured.minutes_in_last_7_days) == (0, 0)
    assert pd.isna(injured.avg_minutes_per_game_last_7)


def test_scoring_form_excludes_dnp_and_later_games(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    # (25 + 30 + 20 + 22 + 18) / 5; all 8 games of the window: 181 / 8 = 22.625
    assert tatum.points_avg_last_5 == pytest.approx(23.0)
    assert tatum.points_avg_last_10 == pytest.approx(22.6)
    assert (tatum.l5_games_used, tatum.l5_sample_quality) == (5, "excellent")
    assert (tatum.l10_games_used, tatum.l10_sample_quality) == (8, "good")
    # mean usage of the latest 7 games: (30 + 28 + 26 + 24 + 22 + 20 + 18) / 7
    assert tatum.avg_usage_rate_last_7_games == pytest.approx(24.0)
    injured = row(upgc, player_lookup="injuredguy")
    assert pd.isna(injured.points_avg_last_5) and injured.l10_sample_quality == "insufficient"


def test_prop_line_consensus_current_and_opening(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    # latest pre-tip: DK 19.5, FD 20.5 -> 20.0 (DK's in-game 25.5 ignored); earliest: 18.5, 19.5 -> 19.0
    assert tatum.has_prop_line
    assert (tatum.current_points_line, tatum.opening_points_line, tatum.line_movement) == (20.0, 19.0, 1.0)
    assert tatum.current_points_line_books == 2 and tatum.current_points_line_source == "consensus"
    lebron = row(upgc, player_lookup="lebronjames")
    assert not lebron.has_prop_line and pd.isna(lebron.current_points_line)


def test_prop_streaks_skip_games_on_the_line(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    # vs 20.0, newest first: 25 over, 30 over, 20 skipped, 22 over, 18 under -> stop
    assert (tatum.prop_over_streak, tatum.prop_under_streak) == (3, 0)
    lebron = row(upgc, player_lookup="lebronjames")
    assert (lebron.prop_over_streak, lebron.prop_under_streak) == (0, 0)


def test_game_lines_favourite_side_median_across_books(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    # favourite side, latest per book: DK -4.5, FD -5.5 -> -5.0; earliest: -3.5, -5.5 -> -4.5
    assert (tatum.game_spread, tatum.opening_spread, tatum.spread_movement) == (-5.0, -4.5, -0.5)
    assert tatum.game_spread_source == "draftkings,fanduel"
    # totals (Over): latest DK 224.5, FD 225.5 -> 225.0; earliest 222.5, 225.5 -> 224.0
    assert (tatum.game_total, tatum.opening_total, tatum.total_movement) == (225.0, 224.0, 1.0)
    assert row(upgc, player_lookup="lebronjames").game_spread == -5.0
    assert "missing_game_spread" in set(row(upgc, player_lookup="jalenbrunson").quality_issues)


def test_injury_status_from_latest_confident_report(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    assert tatum.player_status == "questionable" and tatum.injury_report == "Injury/Illness - Right Knee"
    assert pd.isna(row(upgc, player_lookup="injuredguy").player_status)   # confidence 0.5


def test_team_pace_uses_earlier_games_only(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    # BOS (100 + 102) / 2 (D's 150 not read); LAL (98 + 99) / 2
    assert (tatum.team_pace_last_10, tatum.opponent_pace_last_10, tatum.pace_differential) == (101.0, 98.5, -2.5)


def test_season_phase_and_sources_without_values(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    assert tatum.season_phase == "mid"
    assert pd.isna(tatum.player_age) and pd.isna(tatum.projected_usage_rate)


def test_incomplete_history_is_flagged_not_dropped(upgc):
    tatum = row(upgc, player_lookup="jaysontatum")
    # BOS played 7 games on D-14 .. D-1 (11, 12, 13, 16, 17, 18, 19); Tatum 6 of them
    assert tatum.team_games_last_14_days == 7
    assert tatum.history_completeness_pct == pytest.approx(85.7)
    assert tatum.is_production_ready and (tatum.quality_tier, tatum.quality_score) == ("silver", 75)
    bench = row(upgc, player_lookup="benchguy")
    assert bench.history_completeness_pct == pytest.approx(14.3) and not bench.is_production_ready
    assert {"incomplete_history", "thin_sample:1/3"} <= set(bench.quality_issues)
    injured = row(upgc, player_lookup="injuredguy")
    assert not injured.is_production_ready and (injured.quality_tier, injured.quality_score) == ("bronze", 50)
    assert {"thin_sample:0/3", "registry_unresolved"} <= set(injured.quality_issues)


def test_a_scheduled_date_gets_contexts_for_its_rostered_players(tmp_path):
    """01-21, PHI @ BOS, still scheduled (status 1) with no box score: BOS's roster is its 01-20
    gamebook (D's own, now the latest before 01-21); PHI has no box score, so no roster."""
    tables = raw_tables()
    tables["nba_raw.nbac_schedule"].append(schedule("2025-01-21", "PHI", "BOS", status=1, nba_game_id="0022400570"))
    wh = warehouse(tmp_path, tables)
    out = build(wh, UPGC, day("2025-01-21"), day("2025-01-21"))
    assert_invariants(wh, UPGC, day("2025-01-21"), day("2025-01-21"))
    assert sorted(out.player_lookup) == ["jaysontatum", "latesigning"]
    tatum = row(out, player_lookup="jaysontatum")
    assert (tatum.game_id, tatum.nba_game_id, tatum.opponent_team_abbr) == ("20250121_PHI_BOS", "0022400570", "PHI")
    # his 01-20 game (50 points) is history now; no line yet
    assert (tatum.days_rest, tatum.points_avg_last_5, tatum.has_prop_line) == (1, 29.4, False)


@pytest.mark.parametrize("change", ["rewrite", "delete"])
def test_the_dates_own_box_scores_change_nothing(tmp_path, upgc, change):
    """D12: rewriting or deleting D's gamebook and BDL rows changes none of D's pre-game rows."""
    tables = raw_tables()
    for name in ("nba_raw.nbac_gamebook_player_stats", "nba_raw.bdl_player_boxscores"):
        rows = tables[name]
        on_d = [r for r in rows if r["game_date"] == D]
        others = [r for r in rows if r["game_date"] != D]
        if change == "rewrite":
            on_d = [dict(r, player_lookup=f"{r['player_lookup']}x", team_abbr="ZZZ") for r in on_d] + [
                dict(r, player_lookup="newcomer") for r in on_d[:1]]
        else:
            on_d = []
        tables[name] = others + on_d
    wh = warehouse(tmp_path, tables)
    pd.testing.assert_frame_equal(build(wh, UPGC, D, D), upgc, check_dtype=False)
