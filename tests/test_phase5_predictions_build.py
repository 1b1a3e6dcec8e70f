"""The player_prop_predictions builder on a fixture league and on the demo league: contract
conformance (keys, invariants, five systems per player-date), who is predicted, NO_LINE, the
model each row used, the ensemble's stored learned weights (and its confidence-weighted
fallback), determinism, point-in-time history, the similarity history's real contexts."""
import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from test_phase4_support import MLFS, PGS, UPGC, pgs_row, violated_invariants, warehouse
from test_phase5_predictions_support import PREDICTIONS, league, league_warehouse, mlfs_row

from nbaprops.contracts import load_contract
from nbaprops.predictions import stacking, training
from nbaprops.predictions.build import build_chunk
from nbaprops.predictions.features import FEATURE_NAMES
from nbaprops.predictions.history import Histories
from nbaprops.predictions.inference import league_def_ratings
from nbaprops.predictions.systems import SYSTEMS, SystemResult, ensemble
from nbaprops.predictions.systems.similarity import Context

START, END = dt.date(2022, 12, 1), dt.date(2022, 12, 20)


def train_to(wh, window, folder):
    """The window's artifact set, as the train_models rule writes it: (model, ensemble weights)."""
    trained = training.train_window(training.training_data(wh, window), window)
    model, weights = folder / "xgboost_v1" / f"{window}.json", folder / "ensemble_v1" / f"{window}.json"
    for path, raw in ((model, trained.raw), (weights, stacking.fit_ensemble(wh, window, trained)[0])):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    return model, weights


@pytest.fixture(scope="module")
def tables():
    return league()


@pytest.fixture(scope="module")
def built(tables, tmp_path_factory):
    wh = league_warehouse(tmp_path_factory.mktemp("league"), tables)
    model, weights = train_to(wh, "2022-12", tmp_path_factory.mktemp("models"))
    rows = build_chunk(wh, START, END, models=[model], ensembles=[weights])
    wh.replace_range(load_contract(PREDICTIONS), START, END, rows)
    return wh, (model, weights), rows


def build_with(wh, artifacts, start=START, end=END):
    model, weights = artifacts
    return build_chunk(wh, start, end, models=[model], ensembles=[weights])


def frame(rows: pa.Table):
    return rows.to_pandas()


def test_rows_conform_to_the_contract(built):
    wh, _, rows = built
    assert rows.schema.names == load_contract(PREDICTIONS).column_names
    assert violated_invariants(wh, PREDICTIONS, START, END) == {}
    df = frame(rows)
    assert not df.duplicated(["game_date", "player_lookup", "system_id"]).any()
    assert (df.groupby(["game_date", "player_lookup"]).system_id.nunique() == 5).all()
    assert set(df.system_id) == set(SYSTEMS)


def test_every_player_expected_to_play_is_predicted(built, tables):
    _, _, rows = built
    df = frame(rows)
    context = [r for r in tables[UPGC] if START <= r["game_date"] <= END]
    expected = {(r["game_date"], r["player_lookup"]) for r in context if r["player_status"] != "out"}
    got = set(zip(df.game_date, df.player_lookup))
    assert got == expected
    outs = {(r["game_date"], r["player_lookup"]) for r in context if r["player_status"] == "out"}
    assert outs and not outs & got  # listed out before the game: not expected to play


def test_no_line_rows_predict_without_recommending(built):
    df = frame(built[2])
    no_line = df[df.player_lookup.str.endswith("_9")]
    assert len(no_line) and (no_line.recommendation == "NO_LINE").all()
    assert no_line.current_points_line.isna().all() and no_line.line_margin.isna().all()
    assert no_line.line_source.isna().all() and (~no_line.has_prop_line).all()
    assert no_line.predicted_points.gt(0).all()
    lined = df[~df.player_lookup.str.endswith("_9")]
    assert (lined.line_source == "consensus").all() and lined.recommendation.isin(["OVER", "UNDER", "PASS"]).all()
    assert np.allclose(lined.line_margin, (lined.predicted_points - lined.current_points_line).round(2))


def test_xgboost_rows_name_the_window_model(built):
    df = frame(built[2])
    xgb = df[df.system_id == "xgboost_v1"]
    assert (xgb.ml_model_id == "xgboost_v1_2022-12").all()
    assert df[df.system_id != "xgboost_v1"].ml_model_id.isna().all()
    assert xgb.predicted_points.nunique() > 20  # a real model, not a constant


def test_ensemble_is_built_from_the_stored_base_rows_and_weights(built):
    """Every ensemble row = the month's stored learned weights over the stored base rows (a set
    whose systems are all valid), with the spec's confidence and recommendation."""
    _, (_, weights_path), rows = built
    weights = stacking.load_weights([weights_path])["2022-12"]
    assert len(weights) == 2 and weights[0].systems == stacking.COMPONENTS
    df = frame(rows)
    differs = 0
    for (_, player), group in list(df.groupby(["game_date", "player_lookup"]))[:60]:
        by_system = group.set_index("system_id")
        line = by_system.current_points_line.iloc[0]
        line = None if np.isnan(line) else line
        components = {sid: SystemResult(r.predicted_points, r.confidence_score, r.recommendation,
                                        valid=len(r.warnings) == 0)
                      for sid, r in by_system.iterrows() if sid != "ensemble_v1"}
        again = ensemble.predict(components, line, weights)
        stored = by_system.loc["ensemble_v1"]
        assert (again.predicted_points, again.confidence, again.recommendation) == (
            stored.predicted_points, stored.confidence_score, stored.recommendation), player
        chosen = ensemble.select_weights(weights, [s for s, c in components.items() if c.valid])
        by_hand = chosen.intercept + sum(c * components[s].predicted_points
                                         for s, c in zip(chosen.systems, chosen.coefficients))
        assert stored.predicted_points == round(min(60.0, max(0.0, by_hand)), 1)
        differs += stored.predicted_points != ensemble.predict(components, line).predicted_points
    assert differs > 30  # the learned weights, not the spec's confidence weighting


def test_without_weights_the_ensemble_is_confidence_weighted(built, tmp_path):
    wh, (model, weights), rows = built
    spec = frame(build_chunk(wh, START, START, models=[model]))
    for (_, player), group in spec.groupby(["game_date", "player_lookup"]):
        by_system = group.set_index("system_id")
        components = [SystemResult(r.predicted_points, r.confidence_score, r.recommendation,
                                   valid=len(r.warnings) == 0) for sid, r in by_system.iterrows() if sid != "ensemble_v1"]
        spec_points = ensemble.predict(components, None).predicted_points
        assert by_system.loc["ensemble_v1"].predicted_points == spec_points, player
    # a month whose artifact has no weights (too little history) is the same fallback
    empty = tmp_path / "2022-12.json"
    empty.write_bytes(stacking.insufficient_artifact("2022-12", "test"))
    assert build_chunk(wh, START, START, models=[model], ensembles=[empty]).equals(
        build_chunk(wh, START, START, models=[model]))
    base = frame(rows)
    base = base[(base.game_date == START) & (base.system_id != "ensemble_v1")].reset_index(drop=True)
    assert base.equals(spec[spec.system_id != "ensemble_v1"].reset_index(drop=True))  # weights touch no base row


def test_a_missing_window_ensemble_is_an_error(built, tmp_path):
    wh, (model, weights), _ = built
    other = tmp_path / "2022-11.json"
    other.write_bytes(stacking.insufficient_artifact("2022-11", "test"))
    with pytest.raises(ValueError, match="no ensemble weights for window 2022-12"):
        build_chunk(wh, START, END, models=[model], ensembles=[other])


def test_zone_matchup_centre_is_the_mean_rating_of_the_dates_teams():
    day = dt.date(2022, 12, 1)
    rating = FEATURE_NAMES.index("opponent_def_rating")

    def player(opp, value, date=day):
        features = [0.0] * 25
        features[rating] = value
        return {"game_date": date, "opponent_team_abbr": opp, "features": features}

    players = [player("BOS", 104.0), player("BOS", 104.0), player("NYK", 116.0), player("LAL", 112.0),
               player("GSW", 110.0, day + dt.timedelta(days=1))]
    assert league_def_ratings(players) == {day: 110.666666666666667, day + dt.timedelta(days=1): 110.0}


def test_building_twice_gives_identical_rows(built, tables, tmp_path):
    wh, artifacts, rows = built
    again = build_with(league_warehouse(tmp_path, tables), artifacts)
    assert again.equals(rows)


def test_box_scores_of_the_date_change_no_prediction_of_the_date(built, tables, tmp_path):
    """D1: predictions for D use games before D only (D's box scores are outcomes)."""
    wh, artifacts, rows = built
    changed = {name: [dict(r) for r in rows_] for name, rows_ in tables.items()}
    for r in changed[PGS]:
        if r["game_date"] == END:
            r["points"] += 30
    day = END
    again = build_with(league_warehouse(tmp_path, changed), artifacts, day, day)
    df = frame(rows)
    mask = np.asarray(df.game_date == day)
    assert again.equals(rows.filter(pa.array(mask)))


def test_fallback_without_a_trained_model(tables, tmp_path):
    wh = league_warehouse(tmp_path / "wh", tables)
    artifacts = train_to(wh, "2022-11", tmp_path)  # nothing before the league's first day
    df = frame(build_with(wh, artifacts, dt.date(2022, 11, 5), dt.date(2022, 11, 6)))
    xgb = df[df.system_id == "xgboost_v1"].set_index(["game_date", "player_lookup"])
    ma = df[df.system_id == "moving_average_baseline_v1"].set_index(["game_date", "player_lookup"])
    assert (xgb.ml_model_id == "fallback_insufficient_history").all()
    assert (xgb.predicted_points == ma.predicted_points).all()
    assert (xgb.confidence_score == 0).all() and xgb.recommendation.isin(["PASS", "NO_LINE"]).all()
    assert (df[df.system_id == "ensemble_v1"].contributing_systems <= 3).all()
    assert stacking.load_weights([artifacts[1]]) == {"2022-11": []}  # the ensemble: confidence-weighted


def test_a_missing_window_model_is_an_error(built, tmp_path):
    wh, (model, _), _ = built
    with pytest.raises(ValueError, match="no XGBoost model for window 2022-11"):
        build_chunk(wh, dt.date(2022, 11, 30), END, models=[model])


def test_similarity_history_has_real_contexts(tmp_path):
    """Rest before each game, the real venue, opponent tier and form of that date's feature row."""
    d = dt.date(2022, 12, 1)
    values = dict.fromkeys(FEATURE_NAMES, 0.0)
    mlfs = [mlfs_row(d - dt.timedelta(days=5), "p", "BOS", "NYK", True,
                     {**values, "opponent_def_rating": 104.0, "points_avg_last_5": 20.0, "points_avg_season": 15.0}),
            mlfs_row(d - dt.timedelta(days=4), "p", "BOS", "NYK", False,
                     {**values, "opponent_def_rating": 118.0, "points_avg_last_5": 10.0, "points_avg_season": 15.0})]
    played = [d - dt.timedelta(days=n) for n in (91, 90, 40, 5, 4, 1)]
    pgs = [pgs_row(day, "p", "BOS", "NYK", i % 2 == 0, points=10 + i) for i, day in enumerate(played)]
    wh = warehouse(tmp_path, {MLFS: mlfs, PGS: pgs})
    history = Histories.load(wh, d, d).for_date("p", d)
    assert [g.points for g in history] == [15.0, 14.0, 13.0, 12.0, 11.0]  # newest first; D-91 is too old
    assert [g.context for g in history] == [
        Context("tier_2_average", "two_days_rest", False, "normal"),  # D-1: 3 days after D-4; no feature row
        Context("tier_3_weak", "back_to_back", True, "cold"),         # D-4: the day after D-5
        Context("tier_1_elite", "well_rested", False, "hot"),         # D-5: 35 days after D-40 (> 30: none)
        Context("tier_2_average", "well_rested", True, "normal"),     # D-40: 50 days after D-90
        Context("tier_2_average", "back_to_back", False, "normal"),   # D-90: the day after D-91 (read for rest)
    ]


def test_history_keeps_the_newest_30_games(tmp_path):
    d = dt.date(2022, 12, 1)
    pgs = [pgs_row(d - dt.timedelta(days=n), "p", "BOS", "NYK", True, points=n) for n in range(1, 60)]
    history = Histories.load(warehouse(tmp_path, {PGS: pgs}), d, d).for_date("p", d)
    assert [g.points for g in history] == [float(n) for n in range(1, 31)]


# ---------------------------------------------------------------- demo league
DEMO_START, DEMO_END = dt.date(2022, 10, 18), dt.date(2022, 11, 9)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from test_phase4_support import PHASE4_ORDER, build

    from nbaprops.demo.generate import generate
    from nbaprops.gates import PHASE_TABLES
    from nbaprops.testing import fixture_warehouse

    raw = generate(DEMO_START, DEMO_END, seed=2022)
    raw.pop("nba_demo.oracle_player_points")  # the pipeline never reads the oracle
    wh = fixture_warehouse(tmp_path_factory.mktemp("demo"), raw)
    for table in PHASE_TABLES[3] + PHASE4_ORDER:
        build(wh, table, DEMO_START, DEMO_END)
    return wh, tmp_path_factory.mktemp("demo_models")


def test_demo_league_predictions_meet_the_contract(demo):
    wh, folder = demo
    november = train_to(wh, "2022-11", folder)  # only bootstrap days before November: fallback
    october = train_to(wh, "2022-10", folder)
    rows = build_chunk(wh, DEMO_START, DEMO_END, models=[october[0], november[0]],
                       ensembles=[october[1], november[1]])
    wh.replace_range(load_contract(PREDICTIONS), DEMO_START, DEMO_END, rows)
    assert violated_invariants(wh, PREDICTIONS, DEMO_START, DEMO_END) == {}
    df = frame(rows)
    assert df.game_date.min() == dt.date(2022, 11, 1)  # day 14: bootstrap dates have no features
    store = wh.query("select count(*) as n from nba_predictions.ml_feature_store_v2")["n"].iloc[0]
    outs = wh.query("""select count(*) as n from nba_predictions.ml_feature_store_v2 as s
                       join nba_analytics.upcoming_player_game_context as c using (game_date, player_lookup)
                       where c.player_status = 'out'""")["n"].iloc[0]
    assert len(df) == 5 * (store - outs)
    assert df.has_prop_line.any() and (~df.has_prop_line).any()
    sim = df[df.system_id == "similarity_balanced_v1"]
    assert (sim.similar_games_count >= 5).any()  # two weeks of history: many fallbacks this early
