"""player_game_summary: exact values worked out by hand for one team-box game and one BDL-only game."""
import pandas as pd
import pytest

from test_phase3_fixtures import (PGS, TOGS, assert_invariants, bdl, build, day, free_throw, gamebook, prop,
                                  registry, row, shot, team_box, warehouse)

DATE = "2025-01-20"
D = day(DATE)


def raw_tables():
    box = [
        team_box(DATE, "BOS", "LAL", True, points=112, fgm=40, fga=88, tpm=12, tpa=35, ftm=20, fta=20,
                 oreb=10, dreb=35, tov=14),
        team_box(DATE, "LAL", "BOS", False, points=105, fgm=38, fga=90, tpm=9, tpa=30, ftm=20, fta=25,
                 oreb=12, dreb=33, tov=14),
    ]
    book = [
        # 30 = 2*(11-3) + 3*3 + 5
        gamebook(DATE, "jaysontatum", "BOS", "LAL", "BOS", points=30, fgm=11, fga=20, tpm=3, tpa=8, ftm=5, fta=5,
                 tov=3, minutes="36:00", plus_minus=9),
        # 20 = 2*(8-2) + 3*2 + 2
        gamebook(DATE, "jaylenbrown", "BOS", "LAL", "BOS", points=20, fgm=8, fga=15, tpm=2, tpa=5, ftm=2, fta=2,
                 minutes="32:30"),
        gamebook(DATE, "benchguy", "BOS", "LAL", "BOS", tov=1, minutes="25:20"),
        # an older load of the same player under the NBA id must not duplicate him
        gamebook(DATE, "benchguy", "BOS", "LAL", "BOS", tov=1, minutes="12:00", game="0022400561",
                 processed_at="2025-01-21 01:00"),
        gamebook(DATE, "badminutes", "BOS", "LAL", "BOS", minutes="10:75"),
        gamebook(DATE, "dnpguy", "BOS", "LAL", "BOS", status="dnp"),
        # 25 = 2*(10-1) + 3*1 + 4
        gamebook(DATE, "lebronjames", "LAL", "LAL", "BOS", points=25, fgm=10, fga=20, tpm=1, tpa=4, ftm=4, fta=5,
                 minutes="38:06"),
        gamebook(DATE, "austinreaves", "LAL", "LAL", "BOS", points=10, fgm=4, fga=9, tpm=0, tpa=2, ftm=2, fta=2,
                 minutes="30:00"),
    ]
    box_bdl = [
        # 28 = 2*(10-3) + 3*3 + 5
        bdl(DATE, "jalenbrunson", "NYK", "NYK", "MIA", points=28, fgm=10, fga=20, tpm=3, tpa=7, ftm=5, fta=6,
            oreb=0, dreb=3, tov=2, minutes="35"),
    ]
    for i in range(4):
        box_bdl.append(bdl(DATE, f"knick{i}", "NYK", "NYK", "MIA", points=10, fgm=5, fga=10, tov=1, minutes="30"))
    for i in range(5):
        box_bdl.append(bdl(DATE, f"heat{i}", "MIA", "NYK", "MIA", points=20, fgm=10, fga=18, tov=1, minutes="48"))
    pbp = [
        # real lookups can carry the NBA person id as a prefix
        shot(DATE, "LAL", "BOS", 1, "2544lebronjames", "LAL", distance=8.0, made=True,
             player_2="203076anthonydavis", role="assist"),                         # paint, assisted
        shot(DATE, "LAL", "BOS", 2, "2544lebronjames", "LAL", distance=8.01, made=True),  # mid, unassisted
        shot(DATE, "LAL", "BOS", 3, "2544lebronjames", "LAL", shot_type="3PT", distance=24.0, made=True,
             subtype="3pt jump shot"),                                                # three, unassisted
        shot(DATE, "LAL", "BOS", 4, "2544lebronjames", "LAL", distance=5.0, made=False, subtype="layup",
             player_2="1628369jaysontatum", role="block"),                            # paint miss, Tatum block
        free_throw(DATE, "LAL", "BOS", 5, "2544lebronjames", "LAL", subtype="free throw 1/1"),  # and-1
        free_throw(DATE, "LAL", "BOS", 6, "2544lebronjames", "LAL", subtype="free throw 1/2"),
    ]
    props = [
        # latest pre-tip per book: DraftKings 25.5, FanDuel 26.5, BetMGM 24.5 -> median 25.5
        prop(DATE, "lebronjames", "draftkings", 24.5, "2025-01-20 15:00", 540),
        prop(DATE, "lebronjames", "draftkings", 25.5, "2025-01-20 23:00", 60),
        prop(DATE, "lebronjames", "draftkings", 27.5, "2025-01-21 00:10", -10),   # in-game, ignored
        prop(DATE, "lebronjames", "fanduel", 26.5, "2025-01-20 22:00", 120),
        prop(DATE, "lebronjames", "betmgm", 24.5, "2025-01-20 17:00", 420),
        # two books 19.5 and 20.5 -> consensus 20.0 = his 20 points: a push
        prop(DATE, "jaylenbrown", "draftkings", 19.5, "2025-01-20 23:30", 30),
        prop(DATE, "jaylenbrown", "fanduel", 20.5, "2025-01-20 23:15", 45),
        prop(DATE, "jaysontatum", "draftkings", 27.5, "2025-01-20 23:45", 15),
        prop(DATE, "austinreaves", "draftkings", 12.5, "2025-01-21 00:30", -30),  # only in-game
    ]
    reg = [
        registry("lebronjames", "lebronjames_009", "LAL", season_year=2023),
        registry("lebronjames", "lebronjames_001", "LAL", season_year=2024),
        registry("jaysontatum", "jaysontatum_001", "BOS"),
        registry("jalenbrunson", "jalenbrunson_001", "NYK"),
    ]
    return {
        "nba_raw.nbac_team_boxscore": box,
        "nba_raw.nbac_gamebook_player_stats": book,
        "nba_raw.bdl_player_boxscores": box_bdl,
        "nba_raw.bigdataball_play_by_play": pbp,
        "nba_raw.odds_api_player_points_props": props,
        "nba_reference.nba_players_registry": reg,
    }


@pytest.fixture(scope="module")
def pgs(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("pgs"), raw_tables())
    build(wh, TOGS, D, D)
    out = build(wh, PGS, D, D)
    assert_invariants(wh, PGS, D, D)
    return out


def test_active_players_one_row_each(pgs):
    assert sorted(pgs.player_lookup) == sorted([
        "jaysontatum", "jaylenbrown", "benchguy", "badminutes", "lebronjames", "austinreaves",
        "jalenbrunson", "knick0", "knick1", "knick2", "knick3", "heat0", "heat1", "heat2", "heat3", "heat4"])
    assert "dnpguy" not in set(pgs.player_lookup)


def test_minutes_parsing(pgs):
    assert row(pgs, player_lookup="jaysontatum").minutes_played == 36.0
    assert row(pgs, player_lookup="jaylenbrown").minutes_played == 32.5      # "32:30"
    assert row(pgs, player_lookup="benchguy").minutes_played == 25.3         # "25:20" (latest load)
    assert row(pgs, player_lookup="lebronjames").minutes_played == 38.1      # "38:06"
    assert row(pgs, player_lookup="jalenbrunson").minutes_played == 35.0     # BDL whole minutes "35"
    bad = row(pgs, player_lookup="badminutes")                               # "10:75": seconds > 59
    assert pd.isna(bad.minutes_played) and pd.isna(bad.usage_rate)
    assert not bad.starter_flag and not bad.is_production_ready
    assert "minutes_unparsed" in set(bad.quality_issues)


def test_usage_ts_efg(pgs):
    tatum = row(pgs, player_lookup="jaysontatum")
    # 100 * (20 + 0.44*5 + 3) * 48 / (36 * (88 + 0.44*20 + 14)) = 120960 / 3988.8 = 30.32
    assert tatum.usage_rate == pytest.approx(30.3)
    # 30 / (2 * (20 + 2.2)) = 0.6757; (11 + 1.5) / 20 = 0.625
    assert tatum.ts_pct == pytest.approx(0.676)
    assert tatum.efg_pct == pytest.approx(0.625)
    bench = row(pgs, player_lookup="benchguy")
    # 100 * (0 + 0 + 1) * 48 / (25.33 * 110.8) = 1.71; no field-goal attempts: no TS% / eFG%
    assert bench.usage_rate == pytest.approx(1.7)
    assert pd.isna(bench.ts_pct) and pd.isna(bench.efg_pct)


def test_bdl_fallback_keeps_real_shooting_stats(pgs):
    brunson = row(pgs, player_lookup="jalenbrunson")
    assert brunson.primary_source_used == "bdl_boxscores"
    assert (brunson.quality_tier, brunson.quality_score) == ("silver", 85)
    assert (brunson.fg_attempts, brunson.three_pt_attempts, brunson.ft_attempts) == (20, 7, 6)
    assert (brunson.offensive_rebounds, brunson.defensive_rebounds, brunson.total_rebounds) == (0, 3, 3)
    assert pd.isna(brunson.plus_minus)
    # 28 / (2 * (20 + 2.64)) = 0.6184; (10 + 1.5) / 20 = 0.575
    assert brunson.ts_pct == pytest.approx(0.618)
    assert brunson.efg_pct == pytest.approx(0.575)
    # team (rebuilt from BDL): FGA 60, FTA 6, TOV 6: 100 * 24.64 * 48 / (35 * 68.64) = 49.23
    assert brunson.usage_rate == pytest.approx(49.2)
    assert brunson.game_id == "20250120_NYK_MIA" and brunson.opponent_team_abbr == "MIA"
    assert not brunson.home_game and not brunson.win_flag   # 68 - 100


def test_identity_team_and_result(pgs):
    tatum = row(pgs, player_lookup="jaysontatum")
    assert tatum.game_id == "20250120_LAL_BOS" and tatum.opponent_team_abbr == "LAL" and tatum.home_game
    assert tatum.win_flag and tatum.starter_flag and tatum.plus_minus == 9
    lebron = row(pgs, player_lookup="lebronjames")
    assert lebron.opponent_team_abbr == "BOS" and not lebron.home_game and not lebron.win_flag
    assert tatum.primary_source_used == "nbac_gamebook" and tatum.quality_tier == "gold"


def test_registry_ids_same_season_first_and_unresolved_rows_kept(pgs):
    assert row(pgs, player_lookup="lebronjames").universal_player_id == "lebronjames_001"
    reaves = row(pgs, player_lookup="austinreaves")
    assert pd.isna(reaves.universal_player_id)
    assert "registry_unresolved" in set(reaves.quality_issues)
    assert reaves.is_production_ready


def test_shot_zones_assists_and1_blocks(pgs):
    lebron = row(pgs, player_lookup="lebronjames")
    # 8.0 ft make + 5.0 ft miss = paint; 8.01 ft make = mid
    assert (lebron.paint_attempts, lebron.paint_makes) == (2, 1)
    assert (lebron.mid_range_attempts, lebron.mid_range_makes) == (1, 1)
    assert (lebron.assisted_fg_makes, lebron.unassisted_fg_makes, lebron.and1_count) == (1, 2, 1)
    assert lebron.shot_zones_available
    tatum = row(pgs, player_lookup="jaysontatum")
    # no shots in a covered game: zeros; the block on LeBron's 5-ft layup is a paint block
    assert (tatum.paint_attempts, tatum.mid_range_attempts, tatum.and1_count) == (0, 0, 0)
    assert (tatum.paint_blocks, tatum.mid_range_blocks, tatum.three_pt_blocks) == (1, 0, 0)
    brunson = row(pgs, player_lookup="jalenbrunson")
    assert not brunson.shot_zones_available and pd.isna(brunson.paint_attempts)


def test_prop_consensus_of_latest_pre_tip_lines(pgs):
    lebron = row(pgs, player_lookup="lebronjames")
    # DK's 27.5 was taken after tip-off; latest pre-tip: DK 25.5, FD 26.5, BetMGM 24.5 -> median 25.5
    assert lebron.points_line == 25.5
    assert lebron.points_line_books == 3 and lebron.points_line_source == "consensus"
    assert lebron.over_under_result == "UNDER" and lebron.margin == pytest.approx(-0.5)
    tatum = row(pgs, player_lookup="jaysontatum")
    assert (tatum.points_line, tatum.over_under_result, tatum.margin) == (27.5, "OVER", 2.5)


def test_push_is_its_own_outcome(pgs):
    brown = row(pgs, player_lookup="jaylenbrown")
    # two books, 19.5 and 20.5: the median is their mean, 20.0 = his points
    assert brown.points_line == 20.0 and brown.points_line_books == 2
    assert brown.over_under_result == "PUSH" and brown.margin == 0.0


def test_no_pre_tip_line_means_no_outcome(pgs):
    reaves = row(pgs, player_lookup="austinreaves")   # only an in-game snapshot
    assert pd.isna(reaves.points_line) and pd.isna(reaves.over_under_result) and pd.isna(reaves.margin)
    assert pd.isna(reaves.points_line_source) and pd.isna(reaves.points_line_books)
