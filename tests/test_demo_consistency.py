"""Every consistency rule of the demo league, asserted on one generated season (2023-24)."""
import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from nbaprops.contracts import load_contract
from nbaprops.demo.generate import TABLES, generate
from nbaprops.warehouse.schema import conform

SEASON = (dt.date(2023, 10, 24), dt.date(2024, 6, 30))
STATS = ["points", "field_goals_made", "field_goals_attempted", "three_pointers_made", "three_pointers_attempted",
         "free_throws_made", "free_throws_attempted", "offensive_rebounds", "defensive_rebounds", "total_rebounds",
         "assists", "steals", "blocks", "turnovers", "personal_fouls"]
TEAM_STATS = dict(zip(STATS, ["points", "fg_made", "fg_attempted", "three_pt_made", "three_pt_attempted", "ft_made",
                              "ft_attempted", "offensive_rebounds", "defensive_rebounds", "total_rebounds", "assists",
                              "steals", "blocks", "turnovers", "personal_fouls"]))


@pytest.fixture(scope="module")
def t():
    return generate(*SEASON)


@pytest.fixture(scope="module")
def gamebook(t):
    return t["nba_raw.nbac_gamebook_player_stats"]


@pytest.fixture(scope="module")
def active(gamebook):
    return gamebook[gamebook["player_status"] == "active"]


@pytest.fixture(scope="module")
def latest_team_box(t):
    tb = t["nba_raw.nbac_team_boxscore"]
    return tb.sort_values("processed_at").drop_duplicates(["game_id", "team_abbr"], keep="last")


@pytest.fixture(scope="module")
def pbp(t):
    return t["nba_raw.bigdataball_play_by_play"]


def test_tables_conform_to_contracts(t):
    assert set(t) == set(TABLES)
    con = duckdb.connect()
    for table, df in t.items():
        contract = load_contract(table)
        assert list(df.columns) == contract.column_names, table
        arrow = conform(contract, df)          # types cast cleanly, REQUIRED columns non-null
        con.register("rows", arrow)
        key = ", ".join(contract.primary_key)
        dupes = con.sql(f"select count(*) from (select {key} from rows group by all having count(*) > 1)").fetchall()
        assert dupes[0][0] == 0, f"{table}: duplicate primary keys"
        for inv in contract.invariants:
            if inv.check:
                bad = con.sql(f"select count(*) from rows where not ({inv.check})").fetchall()[0][0]
                assert bad == 0, f"{table}: {bad} rows violate {inv.name}"
        con.unregister("rows")


def test_player_rows_add_up(t, active):
    for df, reb in ((active, "total_rebounds"), (t["nba_raw.bdl_player_boxscores"], "rebounds")):
        fgm, tpm = df["field_goals_made"], df["three_pointers_made"]
        assert (df["points"] == 2 * (fgm - tpm) + 3 * tpm + df["free_throws_made"]).all()
        assert (fgm <= df["field_goals_attempted"]).all()
        assert (tpm <= df["three_pointers_attempted"]).all()
        assert (df["three_pointers_attempted"] <= df["field_goals_attempted"]).all()
        assert (df["free_throws_made"] <= df["free_throws_attempted"]).all()
        assert (df[reb] == df["offensive_rebounds"] + df["defensive_rebounds"]).all()


def test_statuses_and_rotation(gamebook, active):
    assert set(gamebook["player_status"]) == {"active", "dnp", "inactive"}
    assert gamebook.loc[gamebook["player_status"] != "active", ["minutes", "points"]].isna().all().all()
    roster = gamebook.groupby(["game_id", "team_abbr"]).size()
    assert (roster == 15).all()
    playing = active.groupby(["game_id", "team_abbr"]).size()
    assert playing.between(5, 11).all() and playing.between(8, 11).mean() > 0.99
    per_date = gamebook.groupby("game_date").size()
    assert 150 <= per_date.median() <= 300


def test_minutes_sum_to_game_length(active, latest_team_box):
    mm_ss = active["minutes"].str.split(":", expand=True).astype(int)
    seconds = (mm_ss[0] * 60 + mm_ss[1]).groupby([active["game_id"], active["team_abbr"]]).sum()
    team_minutes = latest_team_box.set_index(["game_id", "team_abbr"])["minutes"]
    assert team_minutes.isin(["240:00", "265:00", "290:00", "315:00", "340:00"]).all()
    expected = team_minutes.str.split(":").str[0].astype(int) * 60
    joined = pd.concat([seconds.rename("players"), expected.rename("team")], axis=1, join="inner")
    assert len(joined) > 2500 and (joined["players"] == joined["team"]).all()
    ot = (team_minutes != "240:00").groupby(level=0).first().mean()
    assert 0.02 < ot < 0.10


def test_team_box_is_sum_of_players(t, active, latest_team_box):
    bdl = t["nba_raw.bdl_player_boxscores"].rename(columns={"rebounds": "total_rebounds"})
    missing = set(bdl["game_id"]) - set(active["game_id"])
    assert 0 < len(missing) < 0.02 * bdl["game_id"].nunique()        # games only BDL has
    players = pd.concat([active[["game_id", "team_abbr", *STATS]], bdl[bdl["game_id"].isin(missing)][
        ["game_id", "team_abbr", *STATS]]])
    sums = players.groupby(["game_id", "team_abbr"])[STATS].sum()
    team = latest_team_box.set_index(["game_id", "team_abbr"])[list(TEAM_STATS.values())]
    team.columns = STATS
    joined = sums.join(team.add_suffix("_team"), how="inner")
    assert len(joined) == len(team)
    for s in STATS:
        assert (joined[s] == joined[f"{s}_team"]).all(), s
    pct = latest_team_box["fg_made"] / latest_team_box["fg_attempted"]
    assert np.allclose(latest_team_box["fg_percentage"], pct, atol=5e-4)


def test_team_box_imperfections(t, latest_team_box):
    tb = t["nba_raw.nbac_team_boxscore"].sort_values("processed_at")
    schedule = t["nba_raw.nbac_schedule"]
    assert 0 < tb.duplicated(["game_id", "team_abbr"]).sum() < 20           # stale re-loads
    stale = tb[tb.duplicated(["game_id", "team_abbr"], keep="last")]
    newest = latest_team_box.set_index(["game_id", "team_abbr"]).loc[list(zip(stale.game_id, stale.team_abbr))]
    assert (stale["points"].to_numpy() < newest["points"].to_numpy()).all()
    assert (stale["processed_at"].to_numpy() < newest["processed_at"].to_numpy()).all()
    games_in_box = tb["game_id"].nunique()
    assert len(schedule) - 20 < games_in_box < len(schedule)                # a few games missing
    assert (tb.groupby(["game_id", "processed_at"]).size() == 2).all()


def test_schedule_matches_box_scores(t, latest_team_box):
    s = t["nba_raw.nbac_schedule"]
    assert (s["game_status"] == 3).all()
    assert (s["home_team_score"] != s["away_team_score"]).all()
    winner_home = s["home_team_score"] > s["away_team_score"]
    assert (s["winning_team_tricode"] == np.where(winner_home, s["home_team_tricode"], s["away_team_tricode"])).all()
    date_id = s["game_date"].dt.strftime("%Y%m%d") + "_" + s["away_team_tricode"] + "_" + s["home_team_tricode"]
    assert (s["game_code"] == s["game_date"].dt.strftime("%Y%m%d") + "/" + s["away_team_tricode"]
            + s["home_team_tricode"]).all()
    assert s["game_id"].str.fullmatch(r"00[245]23\d{5}").all()
    assert s["game_id"].str[:3].value_counts().to_dict() == {
        "002": 1230, "005": 6, "004": len(s) - 1236}
    box = latest_team_box.set_index(["game_id", "is_home"])["points"]
    for home, col in ((True, "home_team_score"), (False, "away_team_score")):
        keyed = pd.Series(s[col].to_numpy(), index=pd.MultiIndex.from_arrays([date_id, [home] * len(s)]))
        common = keyed.index.intersection(box.index)
        assert len(common) > len(s) - 20 and (keyed[common] == box[common]).all()
    tb = t["nba_raw.nbac_team_boxscore"]
    nba_ids = dict(zip(date_id, s["game_id"]))
    assert (tb["nba_game_id"] == tb["game_id"].map(nba_ids)).all()
    regular = s[s["game_id"].str.startswith("002")]
    per_team = pd.concat([regular["home_team_tricode"], regular["away_team_tricode"]])
    assert (per_team.value_counts() == 82).all()


def test_bdl_equals_gamebook_active_rows(t, active):
    bdl = t["nba_raw.bdl_player_boxscores"]
    merged = active.merge(bdl, on=["game_id", "player_lookup"], suffixes=("", "_bdl"), validate="one_to_one")
    assert len(merged) == len(active)
    for s in ["points", "assists", "field_goals_made", "three_pointers_attempted", "free_throws_made", "blocks"]:
        assert (merged[s] == merged[f"{s}_bdl"]).all(), s
    assert (merged["total_rebounds"] == merged["rebounds"]).all()
    assert (merged["player_name"] == merged["player_full_name"]).all()
    assert ((merged["minutes_bdl"].astype(int) - merged["minutes_decimal"]).abs() <= 0.5 + 1e-9).all()

def test_oracle_covers_every_active_player_game(t):
    oracle = t["nba_demo.oracle_player_points"]
    bdl = t["nba_raw.bdl_player_boxscores"]
    assert len(oracle) == len(bdl)
    keys = oracle.merge(bdl, on=["game_date", "player_lookup", "team_abbr"], how="inner")
    assert len(keys) == len(bdl)
    assert (oracle["expected_points"] > 0).all()


def test_shots_match_box_scores(t, pbp):
    bdl = t["nba_raw.bdl_player_boxscores"].set_index(["game_id", "player_lookup"])
    shots = pbp[pbp["event_type"] == "shot"]
    fts = pbp[pbp["event_type"] == "free throw"]
    assert set(pbp["event_type"]) == {"shot", "free throw"}
    assert set(shots["shot_type"]) == {"2PT", "3PT"} and set(fts["shot_type"]) == {"FT"}
    key = ["game_id", "player_1_lookup"]
    counted = pd.DataFrame({
        "field_goals_attempted": shots.groupby(key).size(),
        "field_goals_made": shots.groupby(key)["shot_made"].sum(),
        "three_pointers_attempted": (shots["shot_type"] == "3PT").groupby([shots.game_id, shots.player_1_lookup]).sum(),
        "three_pointers_made": (shots["shot_made"] & (shots["shot_type"] == "3PT")).groupby(
            [shots.game_id, shots.player_1_lookup]).sum(),
        "free_throws_attempted": fts.groupby(key).size(),
        "free_throws_made": fts.groupby(key)["shot_made"].sum(),
    }).fillna(0).astype(int)
    counted.index.names = ["game_id", "player_lookup"]
    box = bdl[counted.columns]
    aligned = counted.reindex(box.index, fill_value=0)
    assert (aligned == box).all().all()
    assert counted.index.isin(box.index).all()
    # the shooter's team is known on every event, home/away on every event
    assert pbp[["player_1_team_abbr", "home_team_abbr", "away_team_abbr"]].notna().all().all()
    seq_ok = pbp.groupby("game_id")["event_sequence"].agg(lambda s: (np.sort(s.to_numpy()) ==
                                                                     np.arange(1, len(s) + 1)).all())
    assert seq_ok.all()


def test_shot_zones_and_subtypes(pbp):
    shots = pbp[pbp["event_type"] == "shot"]
    three = shots["shot_type"] == "3PT"
    assert shots.loc[three, "event_subtype"].str.contains("3pt").all()
    assert not shots.loc[~three, "event_subtype"].str.contains("3pt").any()
    assert (shots.loc[three, "shot_distance"] >= 22).all()
    above_break = three & (shots["shot_distance"] > 23)
    assert (shots.loc[above_break, "shot_distance"] >= 23.75).all()
    assert (shots.loc[~three, "shot_distance"] < 22).all()
    paint = ~three & (shots["shot_distance"] <= 8)
    assert 0.25 < paint.mean() < 0.45 and 0.3 < three.mean() < 0.5
    fts = pbp[pbp["event_type"] == "free throw"]
    assert set(fts["event_subtype"]) <= {"free throw 1/1", "free throw 1/2", "free throw 2/2", "free throw technical"}
    assert (fts["event_subtype"] == "free throw 1/1").sum() > 1000


def test_assists_and_blocks(t, pbp):
    gb = t["nba_raw.nbac_gamebook_player_stats"]
    team_of = gb.set_index(["game_id", "player_lookup"])["team_abbr"]
    bdl = t["nba_raw.bdl_player_boxscores"].set_index(["game_id", "player_lookup"])
    team_of = pd.concat([team_of, bdl["team_abbr"]])
    team_of = team_of[~team_of.index.duplicated()]
    for role, same_team, made, stat in (("assist", True, True, "assists"), ("block", False, False, "blocks")):
        ev = pbp[pbp["player_2_role"] == role]
        assert len(ev) > 1000
        assert (ev["shot_made"] == made).all() and (ev["event_type"] == "shot").all()
        second = team_of.reindex(list(zip(ev["game_id"], ev["player_2_lookup"]))).to_numpy()
        assert ((second == ev["player_1_team_abbr"].to_numpy()) == same_team).all()
        assert (ev["player_2_lookup"] != ev["player_1_lookup"]).all()
        counts = ev.groupby(["game_id", "player_2_lookup"]).size()
        counts.index.names = ["game_id", "player_lookup"]
        assert (counts.reindex(bdl.index, fill_value=0) == bdl[stat]).all()


def test_injured_players_are_reported_and_inactive(t, gamebook):
    report = t["nba_raw.nbac_injury_report"]
    latest = (report.sort_values(["report_date", "report_hour"])
              .drop_duplicates(["game_date", "player_lookup"], keep="last"))
    joined = latest.merge(gamebook, on=["game_date", "player_lookup"])
    out = joined[joined["injury_status"] == "out"]
    assert len(out) > 1000 and (out["player_status"] == "inactive").all()
    available = joined[joined["injury_status"].isin(["available", "probable"])]
    assert (available["player_status"] != "inactive").mean() > 0.9
    inactive = gamebook[gamebook["player_status"] == "inactive"]
    reported = inactive.merge(latest, on=["game_date", "player_lookup"], how="left")["injury_status"].notna()
    assert reported.mean() > 0.95
    assert set(report["injury_status"]) <= {"out", "doubtful", "questionable", "probable", "available"}
    assert (report["report_date"] <= report["game_date"]).all()
    assert (report["game_date"] - report["report_date"]).dt.days.max() == 1
    assert (report["confidence_score"] >= 0.8).mean() > 0.9


def test_props_shape(t):
    props = t["nba_raw.odds_api_player_points_props"]
    oracle = t["nba_demo.oracle_player_points"]
    assert set(props["bookmaker"]) == {"draftkings", "fanduel", "betmgm", "caesars", "pointsbetus"}
    assert ((props["points_line"] * 2) % 2 == 1).all()                         # x.5 lines
    assert (props["over_price_american"].abs() >= 100).all()
    assert props["over_price_american"].median() in range(-125, -99)
    assert (props["minutes_before_tipoff"] < 0).any() and (props["minutes_before_tipoff"] > 1200).any()
    per_player_game = props.groupby(["game_date", "player_lookup"])
    assert per_player_game["bookmaker"].nunique().mean() > 3.5
    pre = props[props["minutes_before_tipoff"] > 0]
    assert pre.groupby(["game_date", "player_lookup", "bookmaker"])["snapshot_timestamp"].nunique().between(2, 4).all()
    with_lines = pre.groupby(["game_date", "player_lookup"]).size().index
    assert len(with_lines) / props["game_date"].nunique() > 100          # prop player-games per slate
    assert set(with_lines) <= set(zip(oracle["game_date"], oracle["player_lookup"]))
    assert props["game_id"].str.fullmatch(r"\d{10}").all()                 # 2023-24: NBA ids


def test_game_lines_shape(t):
    lines = t["nba_raw.odds_api_game_lines"]
    assert lines["game_id"].str.fullmatch(r"[0-9a-f]{32}").all()
    spreads = lines[lines["market_key"] == "spreads"]
    pair = spreads.groupby(["game_id", "bookmaker_key", "snapshot_timestamp"])["outcome_point"]
    assert (pair.sum() == 0).all() and (pair.size() == 2).all()
    totals = lines[lines["market_key"] == "totals"]
    assert set(totals["outcome_name"]) == {"Over", "Under"} and totals["outcome_point"].between(170, 270).all()
    assert spreads["outcome_name"].str.contains(" ").all()                 # full team names
