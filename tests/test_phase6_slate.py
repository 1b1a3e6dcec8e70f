"""Phase 6 for tonight's slate (issue 12) on the hand-made league of test_phase6_support plus one
scheduled date D3 = 2022-11-12 (BOS at NYK, schedule status 1, 7:00 PM ET): pre-game rows only
(context, features, fatigue, predictions; ann has a 23.5 line and market_xgboost_v1 picks him OVER
23.5 at +105), no box score, no grading.

    objects                                   D1, D2 (final)    D3 (scheduled)
    predictions/{date}, best-bets/{date}      yes               yes (picks PENDING)
    results, live, live-grading/{date}        yes               absent
    players/*/game-report/{date}              yes               absent
    predictions/today, best-bets/latest       -                 copies of D3's
    results/latest, live*/latest              copies of D2's    -
    tonight/*, trends, status ...             describe D3

Why absent rather than an empty shape: nbaprops has no live feed, so a live object of a scheduled
date could only say "scheduled, no score", and a live-grading one would list every prediction as
"pending" — what predictions/{date} and tonight/all-players already say (the original's live
exporter ran every 3 minutes against the BallDontLie API; spec/phase5-6.md §6.3 15-16). Results
exist once the date is final, as in the original's schedule of "results for yesterday".
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_phase4_support import MLFS, PCF, PGS, SCHEDULE, TOGS, UPGC, UTGC, build, game_id, row, warehouse
from test_phase6_support import (D1, D2, END, ETA, FATIGUE, FORM, MARKET_SYSTEM, NAMES, OTHER, PA, PPP, PPP_BASE,
                                 PROPS, REG, SDP, SIM, START, STA, TDZA, TEAM, box_rows, context_rows,
                                 defense_rows, factor_rows, feature_rows, prediction_rows, prop_rows, registry_rows,
                                 schedule_rows, team_context_rows, team_rows)

from nbaprops.cli import main
from nbaprops.contracts import load_contract
from nbaprops.config import validate
from nbaprops.exporters.reads import ExportDays, ExportReads
from nbaprops.exporters.run import (daily_export, daily_types, decode_keys, export_as_of_end, export_dates,
                                    export_dates_job, ExportRefused)
from nbaprops.exporters.schemas import problems, schema_for_key
from nbaprops.exporters.verify import verify_phase6
from nbaprops.markers import read_marker
from nbaprops.predictions.participation import played
from nbaprops.storage.local import LocalObjectStore
from nbaprops.testing import with_all_columns

ENS = "ensemble_v1"
D3 = dt.date(2022, 11, 12)
G3 = game_id(D3, "BOS", "NYK")
LINES = {"ann": 23.5}  # D3's consensus lines so far
# player: (ensemble predicted, recommendation, confidence)
PICKS3 = {"ann": (25.0, "OVER", 0.7), "bob": (19.5, "NO_LINE", 0.6), "cal": (10.5, "NO_LINE", 0.5),
          "dan": (5.5, "NO_LINE", 0.4)}


def scheduled_rows() -> dict[str, list[dict]]:
    """D3's pre-game rows: its schedule game (status 1, no score), contexts, features, fatigue, predictions."""
    home = {"BOS": False, "NYK": True}
    out: dict[str, list[dict]] = {
        SCHEDULE: [row(SCHEDULE, game_id="002220009", game_code=f"{D3:%Y%m%d}/BOSNYK", game_date=D3,
                       game_date_est=pd.Timestamp("2022-11-13 00:00", tz="UTC"), season_year=2022, game_status=1,
                       away_team_tricode="BOS", home_team_tricode="NYK")],
        UTGC: [row(UTGC, team_abbr=t, game_id=G3, game_date=D3, season_year=2022, opponent_team_abbr=OTHER[t],
                   home_game=home[t], team_back_to_back=False, is_production_ready=True) for t in ("BOS", "NYK")],
        UPGC: [], MLFS: [], PCF: [], PPP_BASE: [],
    }
    for player, team in TEAM.items():
        line = LINES.get(player)
        out[UPGC].append(row(UPGC, player_lookup=player, game_id=G3, game_date=D3, season_year=2022, team_abbr=team,
                             opponent_team_abbr=OTHER[team], home_game=home[team], has_prop_line=line is not None,
                             current_points_line=line, days_rest=2, back_to_back=False, is_production_ready=True))
        season, last5, last10 = FORM[player]
        out[MLFS].append(row(MLFS, player_lookup=player, game_date=D3, game_id=G3, team_abbr=team,
                             opponent_team_abbr=OTHER[team], is_home=home[team], days_rest=2, back_to_back=0.0,
                             points_avg_season=season, points_avg_last_5=last5, points_avg_last_10=last10))
        out[PCF].append(row(PCF, player_lookup=player, game_date=D3, game_id=G3, team_abbr=team,
                            fatigue_score=FATIGUE[player],
                            fatigue_context_json=json.dumps({"days_rest": 2, "final_score": FATIGUE[player]})))
        predicted, rec, confidence = PICKS3[player]
        for system, value, recommendation, conf in ((ENS, predicted, rec, confidence),
                                                    (SIM, predicted - 1.0, "PASS" if line else "NO_LINE", 0.0)):
            out[PPP_BASE].append(row(
                PPP_BASE, prediction_id=f"{D3}_{player}_{system}", system_id=system, player_lookup=player,
                game_id=G3, game_date=D3, team_abbr=team, opponent_team_abbr=OTHER[team], prediction_version=1,
                predicted_points=value, confidence_score=conf, recommendation=recommendation,
                has_prop_line=line is not None, current_points_line=line,
                line_source=None if line is None else "consensus",
                line_margin=None if line is None else round(value - line, 2), model_version="1.0", is_active=True,
                feature_quality_score=90.0, is_production_ready=True, pace_adjustment=0.5 if system == SIM else None,
                similar_games_count=8 if system == SIM else None, contributing_systems=3 if system == ENS else None,
                prediction_variance=1.0 if system == ENS else None))
    out[PPP_BASE].append(row(
        PPP_BASE, prediction_id=f"{D3}_ann_market", system_id=MARKET_SYSTEM, player_lookup="ann", game_id=G3,
        game_date=D3, team_abbr="BOS", opponent_team_abbr="NYK", prediction_version=1, predicted_points=25.4,
        confidence_score=0.6, recommendation="OVER", has_prop_line=True, current_points_line=23.5,
        line_source="consensus", line_margin=1.9, model_version="1.0", is_active=True, feature_quality_score=90.0,
        is_production_ready=True, ml_model_id="market_xgboost_v1_2022-11", p_over=0.6, p_under=0.4,
        value_side="OVER", ev_best=0.23, ev_consensus=0.1455, bet_line=23.5, bet_price_american=105,
        bet_bookmaker="draftkings", consensus_price_american=-110))
    return out


def slate_league(tmp_path):
    """test_phase6_support's league with D3 scheduled; grading as Phase 5 does it: final dates only."""
    base = {PGS: box_rows(), PPP_BASE: prediction_rows(), MLFS: feature_rows(), PCF: factor_rows(),
            SCHEDULE: schedule_rows(), TOGS: team_rows(), UTGC: team_context_rows(), UPGC: context_rows(),
            TDZA: defense_rows(), REG: registry_rows(), PROPS: prop_rows()}
    for table, rows in scheduled_rows().items():
        base[table] = base[table] + rows
    wh = warehouse(tmp_path, base)
    for table in (PA, SDP):
        build(wh, table, D1, D2)
    for table in (STA, ETA, PPP):
        build(wh, table, D1, D3)
    return wh


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return slate_league(tmp_path_factory.mktemp("slate"))


# D3 once its game is final: BOS 108 at NYK 101; ann 27 (over 23.5), bob 15, cal 11, dan did not play.
POINTS3 = {"ann": (27, 35.0), "bob": (15, 30.0), "cal": (11, 25.0)}


def final_league(tmp_path):
    """The league the morning after D3: its schedule game final, box scores in, D3 graded."""
    wh = slate_league(tmp_path)
    final_game = {**scheduled_rows()[SCHEDULE][0], "game_status": 3, "away_team_score": 108, "home_team_score": 101}
    boxes = [row(PGS, player_lookup=p, player_full_name=NAMES[p], game_id=G3, game_date=D3, season_year=2022,
                 team_abbr=TEAM[p], opponent_team_abbr=OTHER[TEAM[p]], home_game=TEAM[p] == "NYK", points=points,
                 minutes_played=minutes, points_line=LINES.get(p), over_under_result="OVER" if p == "ann" else None,
                 margin=points - 23.5 if p == "ann" else None, played=played(minutes, points))
             for p, (points, minutes) in POINTS3.items()]
    teams = [row(TOGS, game_id=G3, game_date=D3, season_year=2022, team_abbr=t, opponent_team_abbr=OTHER[t],
                 home_game=t == "NYK", points_scored=score, points_allowed=other, win_flag=score > other,
                 margin_of_victory=score - other, pace=100.0, overtime_periods=0)
             for t, score, other in (("BOS", 108, 101), ("NYK", 101, 108))]
    for table, rows in ((SCHEDULE, [final_game]), (PGS, boxes), (TOGS, teams)):  # D3's rows replaced
        wh.replace_range(load_contract(table), D3, D3, with_all_columns(table, pd.DataFrame(rows)))
    for table in (PA, SDP):
        build(wh, table, D3, D3)
    return wh


def run_all(wh, root) -> LocalObjectStore:
    store = LocalObjectStore(root)
    export_dates(wh, store, START, D1)
    export_dates(wh, store, D1 + dt.timedelta(days=1), END)
    export_as_of_end(wh, store, START, END)
    return store


@pytest.fixture(scope="module")
def exported(wh, tmp_path_factory):
    return run_all(wh, tmp_path_factory.mktemp("exports"))


def doc(store, key: str) -> dict:
    return json.loads(store.read_bytes(f"v1/{key}"))


def config_for(wh, root: Path) -> dict:
    return validate({"start_date": START.isoformat(), "end_date": END.isoformat(), "backend": "duckdb",
                     "paths": {"warehouse": str(wh.root), "markers": str(root.parent / "markers"),
                               "logs": str(root.parent / "logs")},
                     "storage": {"backend": "local", "path": str(root)}})


# ------------------------------------------------------------------------------------ which dates
def test_the_scheduled_date_is_predicted_but_not_final(wh):
    assert ExportReads(wh).export_days(START, END) == ExportDays((D1, D2, D3), (D1, D2))


def test_an_excluded_game_does_not_keep_its_date_from_being_final(wh):
    """D3's one game postponed and excluded: nothing of D3 is left to wait for."""
    assert ExportReads(wh, excluded={G3}).export_days(START, END) == ExportDays((D1, D2, D3), (D1, D2, D3))
    assert ExportReads(wh, excluded={"002220009"}).export_days(D3, D3).final == (D3,)  # the source's id too


# ------------------------------------------------------------------------------------ the objects
def test_the_slate_has_predictions_and_best_bets_but_no_results_or_live_objects(exported):
    dated = {key for key in exported.list_keys() if key.endswith(("-09.json", "-10.json", "-12.json"))}
    assert sorted(k for k in dated if k.endswith("-12.json")) == ["v1/best-bets/2022-11-12.json",
                                                                  "v1/predictions/2022-11-12.json"]
    for family in ("results", "live", "live-grading", "predictions", "best-bets"):
        assert {f"v1/{family}/2022-11-09.json", f"v1/{family}/2022-11-10.json"} <= dated
    assert not [k for k in exported.list_keys() if "/game-report/2022-11-12" in k]
    for key in exported.list_keys():
        assert problems(schema_for_key(key), json.loads(exported.read_bytes(key))) == [], key


def test_the_slates_predictions_object(exported):
    predictions = doc(exported, "predictions/2022-11-12.json")
    assert (predictions["game_date"], predictions["total_games"], predictions["total_predictions"]) == \
        ("2022-11-12", 1, 4)
    game = predictions["games"][0]
    assert (game["game_id"], game["away_team"], game["home_team"], game["recommendation_breakdown"]) == \
        (G3, "BOS", "NYK", {"over": 1, "under": 0, "pass": 0, "no_line": 3})
    assert [(p["player_lookup"], p["prediction"]["recommendation"], p["prediction"]["line"])
            for p in game["predictions"]] == [("ann", "OVER", 23.5), ("bob", "NO_LINE", None),
                                              ("cal", "NO_LINE", None), ("dan", "NO_LINE", None)]


def test_the_slates_best_bet_is_pending(exported):
    bets = doc(exported, "best-bets/2022-11-12.json")
    assert bets["total_picks"] == 1
    pick = bets["picks"][0]
    assert (pick["player_lookup"], pick["recommendation"], pick["bet_line"], pick["bet_price_american"],
            pick["result"], pick["profit_units"], pick["actual"], pick["error"]) == \
        ("ann", "OVER", 23.5, 105, "PENDING", None, None, None)


def test_aliases_follow_each_familys_newest_date(exported):
    for alias, dated in (("predictions/today.json", "predictions/2022-11-12.json"),
                         ("best-bets/latest.json", "best-bets/2022-11-12.json"),
                         ("results/latest.json", "results/2022-11-10.json"),
                         ("live/latest.json", "live/2022-11-10.json"),
                         ("live-grading/latest.json", "live-grading/2022-11-10.json")):
        assert exported.read_bytes(f"v1/{alias}") == exported.read_bytes(f"v1/{dated}"), alias


def test_tonight_describes_the_scheduled_slate(exported):
    tonight = doc(exported, "tonight/all-players.json")
    assert (tonight["game_date"], tonight["total_players"], tonight["total_with_lines"]) == ("2022-11-12", 4, 1)
    game = tonight["games"][0]
    assert (game["game_id"], game["game_status"], game["game_time"], game["player_count"]) == \
        (G3, "scheduled", "7:00 PM ET", 4)
    ann = next(p for p in game["players"] if p["player_lookup"] == "ann")
    assert (ann["has_line"], ann["prediction"], ann["games_played"], ann["last_10_points"][:2]) == \
        (True, {"predicted": 25.0, "confidence": 0.7, "recommendation": "OVER"}, 6, [30, 24])
    assert doc(exported, "tonight/player/ann.json")["game_context"]["line"] == 23.5


def test_status_is_healthy_while_the_slate_waits_for_its_games(exported):
    status = doc(exported, "status.json")
    assert (status["as_of_date"], status["overall_status"]) == ("2022-11-12", "healthy")
    assert status["services"]["grading"] == {"status": "healthy", "last_update": "2022-11-10",
                                             "message": "grading is current"}
    assert status["services"]["live_data"] == {"status": "healthy", "last_update": "2022-11-10",
                                               "message": "v1/live/latest.json describes 2022-11-10"}


# ------------------------------------------------------------------------------------ stale objects
def test_a_re_export_removes_objects_of_its_dates_it_did_not_write(wh, exported, tmp_path):
    """A date back to scheduled (or a player no longer graded) keeps none of its old objects."""
    store = LocalObjectStore(tmp_path / "exports")
    shutil.copytree(exported.root, store.root)
    stale = ["v1/live/2022-11-12.json", "v1/results/2022-11-12.json", "v1/players/ann/game-report/2022-11-12.json",
             "v1/players/zed/game-report/2022-11-10.json"]
    for key in stale:
        store.write_json(key, {})
    kept = "v1/results/2022-11-08.json"  # outside the chunk: another job's
    store.write_json(kept, {})
    _, stats = export_dates(wh, store, D2, END)
    assert stats.removed == sorted(stale)
    assert not [k for k in stale if store.exists(k)] and store.exists(kept)


def test_the_slate_going_final_replaces_its_objects(exported, tmp_path_factory, tmp_path):
    """The next run after D3's games are final: its chunk and the as-of job re-run and D3 gets
    results, live and grading objects and game reports; its pick settles; the aliases move."""
    final = final_league(tmp_path_factory.mktemp("final"))
    assert ExportReads(final).export_days(START, END) == ExportDays((D1, D2, D3), (D1, D2, D3))
    store = LocalObjectStore(tmp_path / "exports")
    shutil.copytree(exported.root, store.root)
    export_dates(final, store, D1 + dt.timedelta(days=1), END)
    export_as_of_end(final, store, START, END)
    assert sorted(k for k in store.list_keys() if "2022-11-12" in k) == [
        "v1/best-bets/2022-11-12.json", "v1/live-grading/2022-11-12.json", "v1/live/2022-11-12.json",
        "v1/players/ann/game-report/2022-11-12.json", "v1/players/bob/game-report/2022-11-12.json",
        "v1/players/cal/game-report/2022-11-12.json", "v1/predictions/2022-11-12.json",
        "v1/results/2022-11-12.json"]
    pick = doc(store, "best-bets/2022-11-12.json")["picks"][0]
    assert (pick["result"], pick["profit_units"], pick["actual"], pick["error"]) == ("WIN", 1.05, 27, 1.6)
    results = doc(store, "results/2022-11-12.json")
    assert [(r["player_lookup"], r["actual"], r["result"]) for r in results["results"]] == [
        ("ann", 27, "WIN"), ("bob", 15, "NO_LINE"), ("cal", 11, "NO_LINE"), ("dan", None, "DNP")]
    live = doc(store, "live/2022-11-12.json")
    assert (live["games_final"], live["games"][0]["away_score"], live["games"][0]["home_score"]) == (1, 108, 101)
    for alias, dated in (("results/latest.json", "results/2022-11-12.json"),
                         ("live/latest.json", "live/2022-11-12.json"),
                         ("predictions/today.json", "predictions/2022-11-12.json")):
        assert store.read_bytes(f"v1/{alias}") == store.read_bytes(f"v1/{dated}"), alias
    assert doc(store, "tonight/all-players.json")["games"][0]["game_status"] == "final"


# ------------------------------------------------------------------------------------ the gate
def test_the_gate_accepts_the_scheduled_date_without_results(wh, tmp_path):
    root = tmp_path / "exports"
    config = config_for(wh, root)
    export_dates_job(config, f"{START}_{D1}", tmp_path / "markers/exports/dates" / f"{START}_{D1}.json")
    export_dates_job(config, f"{D2}_{END}", tmp_path / "markers/exports/dates" / f"{D2}_{END}.json")
    export_as_of_end(wh, LocalObjectStore(root), START, END)
    ok, text = verify_phase6(config, START, END)
    assert ok, text
    assert "Predicted game dates: 3 (newest 2022-11-12, tonight's slate); final: 2 (newest 2022-11-10)" in text
    assert "✅ results/{date}.json: 2 objects for 2 final dates" in text
    assert "✅ predictions/{date}.json: 3 objects for 3 predicted dates" in text
    # a live object of the scheduled date is one too many
    store = LocalObjectStore(root)
    store.write_json("v1/live/2022-11-12.json", store.read_bytes("v1/live/2022-11-10.json"))
    store.write_json("v1/players/ann/game-report/2022-11-12.json", {})
    ok, text = verify_phase6(config, START, END)
    assert not ok
    assert "❌ live/{date}.json: 3 objects for 2 final dates\n   For dates that are not final (1): 2022-11-12" in text
    assert "❌ Game reports of dates that are not final (re-run the export_dates job of their chunk):\n" \
           "   v1/players/ann/game-report/2022-11-12.json" in text


# ------------------------------------------------------------------------------------ nbaprops export
@pytest.mark.parametrize("only, players, expected", [
    (None, False, ("results", "best-bets", "predictions", "live", "live-grading", "player-game-report",
                   "performance", "tonight", "tonight-players", "streaks", "trends-hot-cold", "trends-bounce-back",
                   "trends-what-matters", "trends-team", "trends-quick-hits", "trends-deep-dive",
                   "tonight-trend-plays", "status")),
    ("results,best-bets", False, ("results", "best-bets")),
    ("trends-daily,streaks,trends-hot-cold", False, ("trends-hot-cold", "trends-bounce-back", "tonight-trend-plays",
                                                     "streaks")),
    (None, True, ("player-profiles", "player-season")),
])
def test_export_types_and_groups(only, players, expected):
    assert daily_types(only, players) == expected


def test_an_unknown_export_type_is_refused_with_the_valid_ones():
    with pytest.raises(ExportRefused, match=r"--only names an unknown export type 'result'; valid types are "
                                            r"results, best-bets, .* and the groups trends-daily, trends-weekly, "
                                            r"trends-all \(player pages: --players\)"):
        daily_types("result", False)


def test_the_daily_export_of_the_slate_writes_what_the_pipeline_writes(wh, exported, tmp_path):
    """--date D3 (no --only): D3's predictions and best bets, the aliases and every as-of object,
    byte for byte as the chunk and as-of jobs write them; no results or live objects yet."""
    root = tmp_path / "exports"
    payload = daily_export(config_for(wh, root), D3, daily_types(None, False))
    store = LocalObjectStore(root)
    assert payload["final"] is False and payload["notes"] == [
        "results, live, live-grading, player-game-report: 2022-11-12 is not final yet (a game is scheduled or in "
        "progress); the first export after its games are final writes them"]
    pipeline = {k for k in exported.list_keys() if "2022-11-09" not in k and "2022-11-10" not in k}
    pipeline -= {"v1/results/latest.json", "v1/live/latest.json", "v1/live-grading/latest.json"}  # D2's aliases
    pipeline = {k for k in pipeline if not k.startswith("v1/players/")}  # the player pages are --players
    assert set(store.list_keys()) == pipeline
    for key in pipeline - {"v1/status.json"}:  # status: this store has no live/latest.json (D2 not exported)
        assert store.read_bytes(key) == exported.read_bytes(key), key
    assert doc(store, "status.json")["known_issues"] == [
        {"service": "live_data", "status": "unhealthy", "message": "v1/live/latest.json is missing"}]
    marker = read_marker(tmp_path / "markers/exports/daily/2022-11-12.json")
    assert {"v1/predictions/2022-11-12.json", "v1/best-bets/2022-11-12.json"} <= decode_keys(marker)


def test_a_daily_export_of_an_older_date_moves_no_alias_and_no_as_of_object(wh, exported, tmp_path):
    root = tmp_path / "exports"
    shutil.copytree(exported.root, root)
    before = {k: LocalObjectStore(root).read_bytes(k) for k in LocalObjectStore(root).list_keys()}
    payload = daily_export(config_for(wh, root), D1, daily_types("results,predictions,streaks", False))
    assert payload["notes"] == ["streaks: they describe tonight's slate 2022-11-12, not 2022-11-09; run them with "
                                "--date 2022-11-12"]
    assert sorted(payload["by_exporter"]) == ["predictions", "results"]
    store = LocalObjectStore(root)
    assert {k: store.read_bytes(k) for k in store.list_keys()} == before  # the same bytes, aliases untouched


def test_a_daily_export_then_the_gate_agrees(wh, tmp_path):
    """Objects written only by `nbaprops export` are listed in its daily marker, which the gate reads."""
    root = tmp_path / "exports"
    config = config_for(wh, root)
    export_dates_job(config, f"{START}_{D2}", tmp_path / "markers/exports/dates" / f"{START}_{D2}.json")
    daily_export(config, D3, daily_types(None, False))
    daily_export(config, D3, daily_types(None, True))
    daily_export(config, D3, daily_types("predictions", False))  # keeps the day's earlier keys listed
    daily_export(config, D2, daily_types("results,live,live-grading", False))  # the newest final date: its aliases
    ok, text = verify_phase6(config, START, END)
    assert ok, text
    assert "✅ every per-date object was written by an export job" in text


def test_the_cli_exports_one_date(wh, tmp_path, capsys):
    root = tmp_path / "exports"
    configfile = tmp_path / "config.yaml"
    config = dict(config_for(wh, root))
    configfile.write_text(json.dumps({k: config[k] for k in ("start_date", "end_date", "backend", "paths",
                                                               "storage")}))
    assert main(["export", "--configfile", str(configfile), "--only", "results,best-bets"]) == 0
    out = capsys.readouterr().out.split("\n")
    assert out[0].startswith("2022-11-12 (scheduled): 2 objects (") and out[0].endswith(f" bytes) in {root}/")
    assert out[1:] == ["  best-bets                     1 objects", "  best-bets-alias               1 objects",
                       "  skipped results: 2022-11-12 is not final yet (a game is scheduled or in progress); the first "
                       "export after its games are final writes them", ""]
    assert main(["export", "--configfile", str(configfile), "--date", "2022-11-10", "--only", "live"]) == 0
    assert LocalObjectStore(root).list_keys() == ["v1/best-bets/2022-11-12.json", "v1/best-bets/latest.json",
                                                  "v1/live/2022-11-10.json", "v1/live/latest.json"]
    assert main(["export", "--configfile", str(configfile), "--date", "2022-11-11"]) == 1
    assert (tmp_path / "logs/exports/daily/2022-11-11.log").exists()
    assert capsys.readouterr().err == (
        "error: 2022-11-11 has no predictions to export (predicted dates of 2022-10-18..2022-11-12: they run "
        "2022-11-09..2022-11-12); pick a predicted date, or build Phases 3-5 for it (snakemake --cores 2 all)\n")
    assert main(["export", "--configfile", str(configfile), "--players"]) == 0
    assert LocalObjectStore(root).exists("v1/players/index.json")
    assert main(["export", "--configfile", str(configfile), "--min-games", "3"]) == 2
