"""The demo league contains the effects the features are meant to find (one season, 2023-24)."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from nbaprops.demo.generate import generate

SEASON = (dt.date(2023, 10, 24), dt.date(2024, 6, 30))


@pytest.fixture(scope="module")
def t():
    return generate(*SEASON)


@pytest.fixture(scope="module")
def team_games(t):
    """One row per team-game: points, true expected points, rest days, home."""
    s = t["nba_raw.nbac_schedule"]
    rows = []
    for side, other in (("home", "away"), ("away", "home")):
        rows.append(pd.DataFrame({"game_date": s["game_date"], "team": s[f"{side}_team_tricode"],
                                  "points": s[f"{side}_team_score"], "allowed": s[f"{other}_team_score"],
                                  "home": side == "home"}))
    tg = pd.concat(rows).sort_values(["team", "game_date"])
    tg["gap"] = tg.groupby("team")["game_date"].diff().dt.days
    oracle = t["nba_demo.oracle_player_points"].groupby(["game_date", "team_abbr"])["expected_points"].sum()
    tg["expected"] = oracle.reindex(list(zip(tg["game_date"], tg["team"]))).to_numpy()
    return tg


def test_home_court(team_games):
    home = team_games[team_games["home"]]
    assert (home["points"] > home["allowed"]).mean() > 0.52
    assert 1.5 < (home["points"] - home["allowed"]).mean() < 5


def test_back_to_back_costs_points(team_games):
    tg = team_games.dropna(subset=["gap"])
    b2b = tg.assign(b2b=tg["gap"] == 1).groupby(["team", "b2b"])["expected"].mean().unstack()
    assert (b2b[True] - b2b[False]).mean() < -0.5   # designed −1.5 pts (+ tired veterans), confounded by opponents
    assert 0.12 < (tg["gap"] == 1).mean() < 0.22


def test_realised_points_scatter_around_the_oracle(t):
    oracle = t["nba_demo.oracle_player_points"]
    bdl = t["nba_raw.bdl_player_boxscores"]
    m = oracle.merge(bdl, on=["game_date", "player_lookup"])
    assert abs(m["points"].mean() / m["expected_points"].mean() - 1) < 0.02
    assert np.corrcoef(m["points"], m["expected_points"])[0, 1] > 0.6
    assert 4 < (m["points"] - m["expected_points"]).std() < 7
    season = m.groupby("player_lookup")["points"].mean()
    assert season.max() > 25 and season.median() < 14                   # stars and role players


def test_market_lines_track_the_oracle(t):
    props = t["nba_raw.odds_api_player_points_props"]
    oracle = t["nba_demo.oracle_player_points"]
    close = props[props["minutes_before_tipoff"].between(1, 60)]
    consensus = close.groupby(["game_date", "player_lookup"])["points_line"].mean().rename("line")
    m = oracle.set_index(["game_date", "player_lookup"]).join(consensus, how="inner")
    err = m["line"] - m["expected_points"]
    assert abs(err.mean()) < 0.7 and 1.0 < err.std() < 2.2
    live = props[props["minutes_before_tipoff"] < 0]
    closing = props[props["minutes_before_tipoff"] > 0].groupby(["game_date", "player_lookup", "bookmaker"])[
        "points_line"].last()
    moved = live.set_index(["game_date", "player_lookup", "bookmaker"])["points_line"] - closing
    assert moved.dropna().abs().mean() > 3                               # in-game lines are wildly different


def test_spreads_favour_the_stronger_team(t, team_games):
    lines = t["nba_raw.odds_api_game_lines"]
    s = t["nba_raw.nbac_schedule"]
    names = dict(zip(*(t["nba_raw.nbac_team_boxscore"][c] for c in ("team_name", "team_abbr"))))
    spreads = lines[lines["market_key"] == "spreads"].copy()
    spreads["team"] = spreads["outcome_name"].map(names)
    home = spreads[spreads["team"] == spreads["home_team_abbr"]].groupby(["game_date", "home_team_abbr"])[
        "outcome_point"].mean()
    margin = s.set_index(["game_date", "home_team_tricode"])
    margin = (margin["home_team_score"] - margin["away_team_score"]).reindex(home.index)
    assert np.corrcoef(-home, margin)[0, 1] > 0.3


def test_usage_rises_when_the_star_is_out(t):
    gb = t["nba_raw.nbac_gamebook_player_stats"]
    oracle = t["nba_demo.oracle_player_points"].set_index(["game_date", "player_lookup"])["expected_points"]
    gb = gb.join(oracle, on=["game_date", "player_lookup"])
    star = gb.groupby(["team_abbr", "player_lookup"])["expected_points"].mean().groupby(level=0).idxmax().str[1]
    gb["star"] = gb["player_lookup"] == gb["team_abbr"].map(star)
    star_out = gb[gb["star"]].set_index(["game_date", "team_abbr"])["player_status"].ne("active")
    others = gb[~gb["star"] & (gb["player_status"] == "active")].copy()
    others["star_out"] = star_out.reindex(list(zip(others["game_date"], others["team_abbr"]))).to_numpy()
    by_player = others.dropna(subset=["star_out"]).groupby(["player_lookup", "star_out"])["expected_points"].mean()
    lift = by_player.unstack().dropna()
    assert len(lift) > 20 and (lift[True] - lift[False]).mean() > 0.5


def test_opponent_zone_defence_shows_in_shooting(t):
    pbp = t["nba_raw.bigdataball_play_by_play"]
    shots = pbp[(pbp["event_type"] == "shot") & (pbp["shot_type"] == "3PT")].copy()
    shots["defence"] = np.where(shots["player_1_team_abbr"] == shots["home_team_abbr"], shots["away_team_abbr"],
                                shots["home_team_abbr"])
    allowed = shots.groupby("defence")["shot_made"].mean()
    assert allowed.max() - allowed.min() > 0.03                          # zone defence differs by team
