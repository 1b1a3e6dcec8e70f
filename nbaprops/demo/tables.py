"""A simulated season → the raw contract's tables (pandas DataFrames in contract column order).

Deliberate imperfections (so loaders and SQL must cope), per season:
* ~0.5 % of games are missing from `nbac_gamebook_player_stats` (still in `bdl_player_boxscores`);
* ~0.3 % of games are missing from `nbac_team_boxscore`, and ~0.3 % have an extra, older load
  (processed_at ~3 h earlier) whose numbers are wrong (2–6 free throws and points short);
* three game-id systems: NBA 10-digit ids in `nbac_schedule.game_id` and
  `nbac_team_boxscore.nba_game_id` (`game_code` YYYYMMDD/AWYHOM), date-based YYYYMMDD_AWAY_HOME
  ids elsewhere, Odds API event hashes in `odds_api_game_lines`, props switching to NBA ids
  from the 2023-24 season;
* in-game prop snapshots (minutes_before_tipoff < 0) with wildly different lines;
* injury-report rows with confidence_score < 0.8 (~4 %), and Basketball-Reference team codes
  in BettingPros' `player_team` (~10 %).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from nbaprops import travel
from nbaprops.contracts import load_contract
from nbaprops.demo import betting, pbp
from nbaprops.demo.season import SeasonResult
from nbaprops.demo.simulate import (ACTIVE, NOT_LISTED, REASON_CATEGORIES, REASON_GLEAGUE, REASON_PERSONAL,
                                    REASON_REST, REASONS, STATUS_NAMES, ZONE_VALUE)

STREAM_TABLES, STREAM_PBP, STREAM_BETTING = 41, 42, 43
PROPS_NBA_ID_FROM = 2023
BR_CODES = {"BKN": "BRK", "PHX": "PHO", "CHA": "CHO"}


# -- column helpers ----------------------------------------------------------------------------
def strings(codes: np.ndarray, labels) -> pd.Series:
    """Series of `labels[codes]` (codes < 0 → NULL) with pandas' string dtype, built through
    Arrow (≈100× faster than object arrays for millions of rows)."""
    codes = np.asarray(codes)
    idx = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(idx, pa.array(list(labels), pa.string())).cast(pa.string()).to_pandas()


def dates(days: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(days, dtype="datetime64[D]").astype("datetime64[s]"))


def timestamps(values: np.ndarray) -> pd.Series:
    """UTC-aware timestamps from naive datetime64 values that are UTC."""
    return pd.Series(np.asarray(values, dtype="datetime64[us]")).dt.tz_localize("UTC")


def nullable_int(values: np.ndarray, valid: np.ndarray) -> pd.Series:
    return pd.Series(pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), ~np.asarray(valid, bool)))


def frame(table: str, columns: dict) -> pd.DataFrame:
    names = load_contract(table).column_names
    missing, extra = set(names) - set(columns), set(columns) - set(names)
    if missing or extra:
        raise AssertionError(f"{table}: generator columns differ from the contract: "
                             f"missing {sorted(missing)}, extra {sorted(extra)}")
    return pd.DataFrame({name: columns[name].reset_index(drop=True) if isinstance(columns[name], pd.Series)
                         else pd.Series(columns[name]) for name in names})


def _clock(minutes: np.ndarray) -> list[str]:
    return [f"{m // 60}:{m % 60:02d}" for m in minutes]


# -- the season's tables ----------------------------------------------------------------------
def season_tables(res: SeasonResult, seed: int) -> dict[str, pd.DataFrame]:
    year, lg = res.season_year, res.league
    players = lg.players
    teams = travel.teams()
    abbr = teams["team_abbr"].to_numpy()
    team_name = teams["team_name"].to_numpy()
    b = res.batches

    def cat(name):
        return np.concatenate([getattr(x, name) for x in b])

    day, home, away, n_ot = cat("day"), cat("home"), cat("away"), cat("n_ot")
    kind = np.concatenate([np.full(len(x.day), x.kind) for x in b])
    team, pid, status = cat("team"), cat("pid"), cat("status")
    att, made, fta, ftm = cat("att"), cat("made"), cat("fta"), cat("ftm")
    n_games, n_tg = len(day), len(team)
    g_of_tg = np.arange(n_tg) // 2
    game_date = np.datetime64(res.opener, "D") + day
    rng = np.random.default_rng([seed, year, STREAM_TABLES])

    ymd = [str(d).replace("-", "") for d in game_date]
    game_id = np.array([f"{d}_{abbr[a]}_{abbr[h]}" for d, a, h in zip(ymd, away, home)], dtype=object)
    game_code = [f"{d}/{abbr[a]}{abbr[h]}" for d, a, h in zip(ymd, away, home)]
    nba_id = res.nba_game_id

    # tip-off: by the home arena's time zone; some weekend afternoon games
    offset = teams["utc_offset"].to_numpy()[home]
    tip_minutes = np.select([offset == -5, offset == -6, offset == -7], [19 * 60 + 30 * (rng.random(n_games) < 0.5),
                            20 * 60, 21 * 60], 22 * 60)
    weekend = pd.DatetimeIndex(game_date).day_of_week >= 5
    afternoon = weekend & (rng.random(n_games) < 0.25)
    tip_minutes = np.where(afternoon, 15 * 60 + 30, tip_minutes)
    tip_minutes = np.where(kind != 0, np.where(np.arange(n_games) % 2 == 0, 19 * 60, 21 * 60 + 30), tip_minutes)
    tip_et = pd.DatetimeIndex(game_date.astype("datetime64[s]") + tip_minutes.astype("timedelta64[m]"))
    tip_utc = tip_et.tz_localize("America/New_York").tz_convert("UTC").tz_localize(None).to_numpy()
    is_primetime = (kind != 0) | ((tip_minutes >= 19 * 60 + 30) & (rng.random(n_games) < 0.12))
    end_utc = tip_utc + np.timedelta64(150, "m") + (n_ot * 15).astype("timedelta64[m]")

    pts_tg = (made * ZONE_VALUE).sum((1, 2)) + ftm.sum(1)
    home_pts, away_pts = pts_tg[0::2], pts_tg[1::2]
    game_minutes = np.repeat(48 + 5 * n_ot, 2)

    # play-by-play (its assists and blocks are the box score's)
    ev = pbp.build(np.random.default_rng([seed, year, STREAM_PBP]), att, made, fta, ftm,
                   cat("ast_weight"), cat("blk_weight"), game_minutes)

    lookup = np.array(players.lookup, dtype=object)
    name = np.array(players.name, dtype=object)
    out: dict[str, pd.DataFrame] = {}

    # -- schedule ------------------------------------------------------------------------------
    out["nba_raw.nbac_schedule"] = frame("nba_raw.nbac_schedule", dict(
        game_id=strings(np.arange(n_games), nba_id), game_code=strings(np.arange(n_games), game_code),
        game_date=dates(game_date), game_date_est=timestamps(tip_utc), season_year=np.full(n_games, year),
        game_status=np.full(n_games, 3), home_team_tricode=strings(home, abbr), away_team_tricode=strings(away, abbr),
        home_team_score=home_pts, away_team_score=away_pts,
        winning_team_tricode=strings(np.where(home_pts > away_pts, home, away), abbr),
        is_primetime=is_primetime, data_source=strings(np.zeros(n_games, int), ["nba_com_schedule"]),
        processed_at=timestamps(end_utc + np.timedelta64(6, "h"))))

    # -- player box scores ---------------------------------------------------------------------
    flat_pid = pid.ravel()
    flat_status = status.ravel()
    flat_tg = np.repeat(np.arange(n_tg), pid.shape[1])
    flat_g = flat_tg // 2
    seconds = cat("seconds").ravel()
    fgm, fga = made.sum(-1).ravel(), att.sum(-1).ravel()
    tpm, tpa = made[..., 2].ravel(), att[..., 2].ravel()
    ftm_f, fta_f = ftm.ravel(), fta.ravel()
    oreb, dreb = cat("oreb").ravel(), cat("dreb").ravel()
    box = dict(points=2 * (fgm - tpm) + 3 * tpm + ftm_f, field_goals_made=fgm, field_goals_attempted=fga,
               three_pointers_made=tpm, three_pointers_attempted=tpa, free_throws_made=ftm_f,
               free_throws_attempted=fta_f, offensive_rebounds=oreb, defensive_rebounds=dreb,
               total_rebounds=oreb + dreb, assists=ev.assists.ravel(), steals=cat("stl").ravel(),
               blocks=ev.blocks.ravel(), turnovers=cat("tov").ravel(), personal_fouls=cat("pf").ravel(),
               plus_minus=cat("plus_minus").ravel())
    active = flat_status == ACTIVE
    imperfect = rng.random((n_games, 2))
    no_gamebook = imperfect[:, 0] < 0.005
    in_gamebook = ~no_gamebook[flat_g]
    rows = np.flatnonzero(in_gamebook)
    player_team = team.repeat(pid.shape[1])
    loaded = end_utc[flat_g] + np.timedelta64(3, "h")
    gb = dict(
        game_id=strings(flat_g[rows], game_id), game_date=dates(game_date[flat_g[rows]]),
        season_year=np.full(len(rows), year), home_team_abbr=strings(home[flat_g[rows]], abbr),
        away_team_abbr=strings(away[flat_g[rows]], abbr), player_lookup=strings(flat_pid[rows], lookup),
        player_name=strings(flat_pid[rows], name), team_abbr=strings(player_team[rows], abbr),
        player_status=strings(flat_status[rows], ["inactive", "dnp", "active"]),
        minutes=strings(np.where(active[rows], np.arange(len(rows)), -1), _clock(seconds[rows])),
        minutes_decimal=pd.Series(np.where(active[rows], np.round(seconds[rows] / 60, 2), np.nan)),
        processed_at=timestamps(loaded[rows]),
        **{k: nullable_int(v[rows], active[rows]) for k, v in box.items()})
    out["nba_raw.nbac_gamebook_player_stats"] = frame("nba_raw.nbac_gamebook_player_stats", gb)

    act = np.flatnonzero(active)
    bdl_box = {k: v[act] for k, v in box.items() if k not in ("plus_minus", "total_rebounds")}
    out["nba_raw.bdl_player_boxscores"] = frame("nba_raw.bdl_player_boxscores", dict(
        game_id=strings(flat_g[act], game_id), game_date=dates(game_date[flat_g[act]]),
        season_year=np.full(len(act), year), team_abbr=strings(player_team[act], abbr),
        player_lookup=strings(flat_pid[act], lookup), player_full_name=strings(flat_pid[act], name),
        minutes=strings(np.floor(seconds[act] / 60 + 0.5).astype(int), [str(m) for m in range(100)]),
        rebounds=box["total_rebounds"][act], processed_at=timestamps(loaded[act] + np.timedelta64(1, "h")),
        **bdl_box))

    out["nba_demo.oracle_player_points"] = frame("nba_demo.oracle_player_points", dict(
        game_date=dates(game_date[flat_g[act]]), player_lookup=strings(flat_pid[act], lookup),
        team_abbr=strings(player_team[act], abbr), expected_points=np.round(cat("expected").ravel()[act], 3)))

    # -- team box scores -----------------------------------------------------------------------
    def team_sum(v):
        return np.where(active, v, 0).reshape(n_tg, -1).sum(1)

    tb = {k: team_sum(v) for k, v in box.items() if k != "plus_minus"}
    margin = pts_tg - np.column_stack([pts_tg[1::2], pts_tg[0::2]]).ravel()
    missing_tb = imperfect[:, 1] < 0.003
    stale = (imperfect[:, 1] >= 0.003) & (imperfect[:, 1] < 0.006)
    keep = np.flatnonzero(~missing_tb[g_of_tg])
    stale_rows = np.flatnonzero(stale[g_of_tg])
    short = np.minimum(rng.integers(2, 7, size=len(stale_rows)), tb["free_throws_made"][stale_rows])
    idx = np.concatenate([keep, stale_rows])
    is_stale = np.r_[np.zeros(len(keep), bool), np.ones(len(stale_rows), bool)]
    minus = np.r_[np.zeros(len(keep), int), short]
    tbx = {k: v[idx] for k, v in tb.items()}
    for k in ("points", "free_throws_made", "free_throws_attempted"):
        tbx[k] = tbx[k] - minus
    g_idx = g_of_tg[idx]
    processed = end_utc[g_idx] + np.where(is_stale, np.timedelta64(20, "m"), np.timedelta64(200, "m"))

    def pct(m, a):
        return np.where(a > 0, np.round(m / np.maximum(a, 1), 3), np.nan)

    out["nba_raw.nbac_team_boxscore"] = frame("nba_raw.nbac_team_boxscore", dict(
        game_id=strings(g_idx, game_id), nba_game_id=strings(g_idx, nba_id), game_date=dates(game_date[g_idx]),
        season_year=np.full(len(idx), year), team_abbr=strings(team[idx], abbr),
        team_name=strings(team[idx], team_name),
        is_home=idx % 2 == 0, minutes=strings(n_ot[g_idx], [f"{240 + 25 * k}:00" for k in range(n_ot.max() + 1)]),
        points=tbx["points"], fg_made=tbx["field_goals_made"], fg_attempted=tbx["field_goals_attempted"],
        three_pt_made=tbx["three_pointers_made"], three_pt_attempted=tbx["three_pointers_attempted"],
        ft_made=tbx["free_throws_made"], ft_attempted=tbx["free_throws_attempted"],
        offensive_rebounds=tbx["offensive_rebounds"], defensive_rebounds=tbx["defensive_rebounds"],
        total_rebounds=tbx["total_rebounds"], assists=tbx["assists"], steals=tbx["steals"], blocks=tbx["blocks"],
        turnovers=tbx["turnovers"], personal_fouls=tbx["personal_fouls"], plus_minus=margin[idx] - minus,
        fg_percentage=pct(tbx["field_goals_made"], tbx["field_goals_attempted"]),
        three_pt_percentage=pct(tbx["three_pointers_made"], tbx["three_pointers_attempted"]),
        ft_percentage=pct(tbx["free_throws_made"], tbx["free_throws_attempted"]),
        processed_at=timestamps(processed)))

    # -- play-by-play --------------------------------------------------------------------------
    ev_g = ev.team_game // 2
    p1, p2 = ev.player_1, ev.player_2
    out["nba_raw.bigdataball_play_by_play"] = frame("nba_raw.bigdataball_play_by_play", dict(
        game_id=strings(ev_g, game_id), game_date=dates(game_date[ev_g]),
        home_team_abbr=strings(home[ev_g], abbr), away_team_abbr=strings(away[ev_g], abbr),
        event_sequence=ev.sequence, event_type=strings(np.where(ev.is_shot, 0, 1), ["shot", "free throw"]),
        event_subtype=strings(ev.subtype, pbp.SUBTYPES), shot_made=ev.made,
        shot_type=strings(np.where(ev.is_shot, np.where(ev.zone == 2, 1, 0), 2), ["2PT", "3PT", "FT"]),
        shot_distance=ev.distance, player_1_lookup=strings(flat_pid[p1], lookup),
        player_1_team_abbr=strings(team[ev.team_game], abbr),
        player_2_lookup=strings(np.where(p2 >= 0, flat_pid[np.maximum(p2, 0)], -1), lookup),
        player_2_role=strings(ev.role_2.astype(int) - 1, ["assist", "block"])))

    # -- injury report -------------------------------------------------------------------------
    listing0, listing1 = cat("listing0").ravel(), cat("listing1").ravel()
    reason = cat("reason").ravel()
    team_only = np.isin(reason, (REASON_GLEAGUE, REASON_REST, REASON_PERSONAL))
    before = np.flatnonzero((listing0 != NOT_LISTED) & ~team_only & (rng.random(len(listing0)) < 0.7))
    on_day = np.flatnonzero(listing1 != NOT_LISTED)
    rows = np.concatenate([before, on_day])
    report_day = game_date[flat_g[rows]] - np.r_[np.ones(len(before), int), np.zeros(len(on_day), int)]
    tip_hour = tip_minutes[flat_g[rows]] // 60
    hour = np.r_[np.full(len(before), 17), np.maximum(tip_hour[len(before):] - 2, 11)]
    low = rng.random(len(rows)) < 0.04
    confidence = np.round(np.where(low, rng.uniform(0.5, 0.79, len(rows)), rng.uniform(0.85, 1.0, len(rows))), 2)
    out["nba_raw.nbac_injury_report"] = frame("nba_raw.nbac_injury_report", dict(
        report_date=dates(report_day), report_hour=hour, game_date=dates(game_date[flat_g[rows]]),
        game_id=strings(flat_g[rows], game_id), team=strings(player_team[rows], abbr),
        player_lookup=strings(flat_pid[rows], lookup),
        injury_status=strings(np.r_[listing0[before], listing1[on_day]], STATUS_NAMES),
        reason=strings(reason[rows], REASONS), reason_category=strings(reason[rows], REASON_CATEGORIES),
        confidence_score=confidence))

    # -- betting -------------------------------------------------------------------------------
    brng = np.random.default_rng([seed, year, STREAM_BETTING])
    expected = cat("expected").ravel()
    pg_rows = np.flatnonzero(active & (expected >= betting.PROP_MIN_EXPECTED))
    plan = betting.snapshot_plan(brng, n_games)
    pr = betting.props(brng, expected[pg_rows], flat_g[pg_rows], plan)
    r = pg_rows[pr["player_game"]]
    g = flat_g[r]
    snap = tip_utc[g] - pr["minutes_before"].astype("timedelta64[m]")
    prop_game_id = game_id if year < PROPS_NBA_ID_FROM else nba_id
    out["nba_raw.odds_api_player_points_props"] = frame("nba_raw.odds_api_player_points_props", dict(
        game_id=strings(g, prop_game_id), game_date=dates(game_date[g]), player_lookup=strings(flat_pid[r], lookup),
        player_name=strings(flat_pid[r], name), bookmaker=strings(pr["book"], betting.ODDS_BOOKS),
        points_line=pr["line"], over_price_american=pr["over"], under_price_american=pr["under"],
        snapshot_timestamp=timestamps(snap), minutes_before_tipoff=pr["minutes_before"],
        game_start_time=timestamps(tip_utc[g]),
        home_team_abbr=strings(home[g], abbr), away_team_abbr=strings(away[g], abbr)))

    bp = betting.bettingpros(brng, pr["consensus"], pr["opening"])
    r = np.repeat(pg_rows[bp["player_game"]], 2)
    side = np.tile([0, 1], len(bp["player_game"]))
    odds = np.column_stack([bp["over"], bp["under"]]).ravel()
    best = pd.Series(odds).groupby([r, side]).transform("max").to_numpy() == odds
    team_code = player_team[r]
    br_labels = [BR_CODES.get(a, a) for a in abbr]
    shown = np.where(np.repeat(bp["br_code"], 2), team_code + len(abbr), team_code)
    updated = tip_utc[flat_g[r]] - np.repeat(bp["minutes_before"], 2).astype("timedelta64[m]")
    out["nba_raw.bettingpros_player_points_props"] = frame("nba_raw.bettingpros_player_points_props", dict(
        game_date=dates(game_date[flat_g[r]]), player_lookup=strings(flat_pid[r], lookup),
        points_line=np.repeat(bp["line"], 2), opening_line=np.repeat(bp["opening_line"], 2),
        bookmaker=strings(np.repeat(bp["book"], 2), betting.BP_BOOKS), bookmaker_last_update=timestamps(updated),
        is_active=np.repeat(bp["is_active"], 2), is_best_line=best,
        player_team=strings(shown, list(abbr) + br_labels), validated_team=strings(team_code, abbr),
        bet_side=strings(side, ["over", "under"]), odds_american=odds))

    team_expected = expected.reshape(n_tg, -1).sum(1)
    gl = betting.game_lines(brng, team_expected[0::2] - team_expected[1::2], team_expected[0::2] + team_expected[1::2])
    event_ids = [betting.event_id(seed, x) for x in game_id]
    n_lines = len(gl["game"])
    g = np.repeat(gl["game"], 4)
    outcome = np.tile([0, 1, 2, 3], n_lines)          # home spread, away spread, over, under
    point = np.column_stack([gl["spread_home"], -gl["spread_home"], gl["total"], gl["total"]]).ravel()
    outcome_code = np.where(outcome == 0, home[g], np.where(outcome == 1, away[g], 28 + outcome))
    snap = tip_utc[g] - np.repeat(gl["minutes_before"], 4).astype("timedelta64[m]")
    out["nba_raw.odds_api_game_lines"] = frame("nba_raw.odds_api_game_lines", dict(
        game_id=strings(g, event_ids), game_date=dates(game_date[g]), home_team_abbr=strings(home[g], abbr),
        away_team_abbr=strings(away[g], abbr), bookmaker_key=strings(np.repeat(gl["book"], 4), betting.LINE_BOOKS),
        market_key=strings((outcome >= 2).astype(int), ["spreads", "totals"]),
        outcome_name=strings(outcome_code, list(team_name) + ["Over", "Under"]), outcome_point=point,
        outcome_price=gl["price"].ravel(), snapshot_timestamp=timestamps(snap)))

    # -- registry ------------------------------------------------------------------------------
    first = (pd.DataFrame({"pid": flat_pid, "team": player_team, "date": game_date[flat_g]})
             .groupby(["pid", "team"], sort=True)["date"].min().reset_index())
    out["nba_reference.nba_players_registry"] = frame("nba_reference.nba_players_registry", dict(
        player_lookup=strings(first["pid"].to_numpy(), lookup),
        universal_player_id=strings(first["pid"].to_numpy(), [f"{x}_001" for x in lookup]),
        player_name=strings(first["pid"].to_numpy(), name), team_abbr=strings(first["team"].to_numpy(), abbr),
        season_year=np.full(len(first), year), first_game_date=dates(first["date"].to_numpy())))
    return out

