"""Phases 4 and 5 in the pre-game world (issue 12, D12): a scheduled date (schedule status 1, no box
scores yet) gets features and predictions for its players and no grading; D's Phase 4 rows and
predictions are the same whether D is scheduled, final, or final with other results (the backfill
publishes what the daily run did); a date only partly final is graded only where final; training
never learns from a date that is not final."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from test_phase4_pipeline import LAST_DAY, _change_results_of, league_tables
from test_phase4_support import (PGS, PHASE4_ORDER, SCHEDULE, TDGS, TOGS, UPGC, build, build_phase4, day, row,
                                 violated_invariants, warehouse)
from test_phase5_grading_support import ENS, ETA, PA, PPP, SDP, STA
from test_phase5_predictions_support import league_warehouse

from nbaprops.contracts import load_contract
from nbaprops.predictions import final_dates, market, training
from nbaprops.predictions.build import build_chunk
from nbaprops.predictions.windows import window_of

LINES = "nba_staging.player_prop_lines"
PUBLISHED = "nba_predictions.player_prop_predictions"
D = day(LAST_DAY)
LINED = "nyk_0"  # the one player the book has a line for on D


def league_with_line() -> dict[str, list[dict]]:
    tables = league_tables()
    for r in tables[UPGC]:
        if r["game_date"] == D and r["player_lookup"] == LINED:
            r.update(has_prop_line=True, current_points_line=12.5, current_points_line_source="consensus")
    # the bets on offer behind that consensus line (what the context's line comes from)
    tables[LINES] = [row(LINES, game_date=D, player_lookup=LINED, current_points_line=12.5, opening_points_line=12.5,
                         current_points_line_books=4, player_match="exact", current_points_line_mean=12.5,
                         no_vig_over_mean=0.5, consensus_over_price_american=-110, consensus_under_price_american=-110,
                         best_over_line=12.5, best_over_price_american=-110, best_over_bookmaker="draftkings",
                         best_under_line=12.5, best_under_price_american=-110, best_under_bookmaker="fanduel")]
    return tables


def scheduled(tables: dict[str, list[dict]], teams: set[str] | None = None) -> dict[str, list[dict]]:
    """The league on D's morning: D's games (those of ``teams``, default all) scheduled (status 1)
    and without box scores; the pre-game context stays."""
    def on_d(r, team_key):
        return r["game_date"] == D and (teams is None or r[team_key] in teams)

    out = {name: [dict(r) for r in rows] for name, rows in tables.items()}
    for r in out[SCHEDULE]:
        if on_d(r, "home_team_tricode"):
            r["game_status"] = 1
    out[PGS] = [r for r in out[PGS] if not on_d(r, "team_abbr")]
    out[TOGS] = [r for r in out[TOGS] if not on_d(r, "team_abbr")]
    out[TDGS] = [r for r in out[TDGS] if not on_d(r, "defending_team_abbr")]
    return out


def models_of(wh, folder) -> dict:
    """D's month's XGBoost and market model as the training job writes them (the tiny league is
    too little history: both are the documented insufficient-history artifacts)."""
    window = window_of(D)
    paths = {"models": folder / "xgboost_v1" / f"{window}.json",
             "market_models": folder / "market_xgboost_v1" / f"{window}.json"}
    raws = {"models": training.train_window(training.training_data(wh, window), window).raw,
            "market_models": market.train_window(market.training_data(wh, window), window).raw}
    for name, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raws[name])
    return {name: [path] for name, path in paths.items()}


def run_phases_4_5(wh, folder) -> dict[str, pd.DataFrame]:
    """D's Phase 4 tables, the base predictions, then grading, 5C and the published predictions,
    as the DAG orders them."""
    built = build_phase4(wh, D)
    base = build_chunk(wh, D, D, **models_of(wh, folder))
    wh.replace_range(load_contract(PPP), D, D, base)
    built[PPP] = base.to_pandas()
    for table in (PA, SDP, STA, ETA, PUBLISHED):
        built[table] = build(wh, table, D)
    return built


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True).astype(object)
    return frame.where(frame.notna(), None)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    """The same league with D final, D final with other results, D scheduled, D half scheduled."""
    tables = league_with_line()
    variants = {"final": tables, "other_results": _change_results_of(tables, D), "scheduled": scheduled(tables),
                "half": scheduled(tables, {"BOS", "NYK"})}
    out = {}
    for name, variant in variants.items():
        wh = warehouse(tmp_path_factory.mktemp(name), variant)
        out[name] = (wh, run_phases_4_5(wh, tmp_path_factory.mktemp(f"{name}_models")))
    return out


def test_a_scheduled_date_gets_features_and_predictions_for_its_players(worlds):
    wh, built = worlds["scheduled"]
    players = {f"{t.lower()}_{k}" for t in ("NYK", "BOS", "GSW", "LAL") for k in range(2)}
    for table in PHASE4_ORDER[1:]:  # the player tables (the first is per team)
        assert set(built[table].player_lookup) == players, table
    assert set(built[PHASE4_ORDER[0]].team_abbr) == {"NYK", "BOS", "GSW", "LAL"}
    base = built[PPP]
    assert len(base) == 8 * 6 and set(base.player_lookup) == players
    lined = base[base.player_lookup == LINED]
    assert set(lined.current_points_line) == {12.5} and (lined.recommendation != "NO_LINE").all()
    others = base[base.player_lookup != LINED]
    assert set(others.recommendation) == {"NO_LINE"} and not others.has_prop_line.any()
    for table in (*PHASE4_ORDER, PPP):
        assert violated_invariants(wh, table, D, D) == {}, table


def test_a_scheduled_date_is_not_graded_but_gets_its_tier_adjustments(worlds):
    wh, built = worlds["scheduled"]
    assert len(built[PA]) == 0 and len(built[SDP]) == 0
    assert len(built[STA]) == 6 * 4  # every system with predictions, every tier
    applied = built[ETA]
    assert len(applied) == 8 and applied.is_dnp.isna().all() and applied.actual_points.isna().all()
    assert applied.adjusted_outcome.isna().all() and applied.adjusted_points.notna().all()
    published = built[PUBLISHED]
    ensemble = published[published.system_id == ENS]
    assert len(published) == 48 and ensemble.adjusted_points.notna().all() and ensemble.scoring_tier.notna().all()
    for table in (STA, ETA, PUBLISHED):
        assert violated_invariants(wh, table, D, D) == {}, table


def test_a_final_date_is_graded(worlds):
    wh, built = worlds["final"]
    assert len(built[PA]) == 48 and not built[PA].is_dnp.any()
    assert len(built[SDP]) == 6
    applied = built[ETA]
    assert applied.is_dnp.notna().all() and applied.actual_points.notna().all()
    for table in (PA, ETA):
        assert violated_invariants(wh, table, D, D) == {}, table


def test_a_half_final_date_is_graded_only_where_final(worlds):
    wh, built = worlds["half"]
    graded_teams = set(built[PA].team_abbr)
    assert graded_teams == {"GSW", "LAL"} and len(built[PA]) == 4 * 6
    applied = built[ETA]
    assert set(applied[applied.is_dnp.notna()].player_lookup) == {"gsw_0", "gsw_1", "lal_0", "lal_1"}
    assert violated_invariants(wh, PA, D, D) == {}


@pytest.mark.parametrize("other", ["other_results", "scheduled", "half"])
def test_d_rows_do_not_depend_on_d_outcomes(worlds, other):
    """D's Phase 4 rows, base predictions, tier adjustments and published predictions are the same
    whatever D's box scores say and whether they exist yet."""
    _, final = worlds["final"]
    _, changed = worlds[other]
    for table in (*PHASE4_ORDER, PPP, STA, PUBLISHED):
        keys = list(load_contract(table).primary_key)
        pd.testing.assert_frame_equal(_comparable(final[table].sort_values(keys)),
                                      _comparable(changed[table].sort_values(keys)), obj=f"{table} on D ({other})")


def test_nonfinal_dates_are_those_with_a_game_not_final(tmp_path):
    first, second, third = dt.date(2022, 11, 1), dt.date(2022, 11, 2), dt.date(2022, 11, 3)
    games = [(first, "BOS", "NYK", 3), (first, "LAL", "GSW", 3), (second, "BOS", "NYK", 3),
             (second, "LAL", "GSW", 1), (third, "BOS", "NYK", 2), (dt.date(2022, 11, 4), "LAL", "GSW", 1)]
    wh = warehouse(tmp_path, {SCHEDULE: [
        row(SCHEDULE, game_id=f"00222{i:05d}", game_date=d, season_year=2022, game_status=status,
            away_team_tricode=away, home_team_tricode=home) for i, (d, away, home, status) in enumerate(games)]})
    before = dt.date(2022, 11, 4)
    assert final_dates.nonfinal_dates(wh, before) == {second, third}
    # a postponed game declared in excluded_games, by the date-based key or the source's id
    assert final_dates.nonfinal_dates(wh, before, {"20221102_LAL_GSW"}) == {third}
    assert final_dates.nonfinal_dates(wh, before, {"0022200004"}) == {second}
    assert final_dates.excluded_ids({"excluded_games": [{"game_id": "20221102_LAL_GSW", "reason": "x"}]}) == \
        {"20221102_LAL_GSW"}


def test_training_leaves_out_nonfinal_dates(tmp_path):
    wh = league_warehouse(tmp_path)
    window = "2022-12"
    everything = training.training_data(wh, window)
    left_out = {dt.date(2022, 11, 20), dt.date(2022, 11, 30)}
    data = training.training_data(wh, window, left_out)
    days = np.array(sorted(left_out), dtype="datetime64[D]")
    assert not np.isin(data.dates, days).any()
    assert data.rows == everything.rows - int(np.isin(everything.dates, days).sum()) and data.rows < everything.rows
    kept = ~np.isin(everything.dates, days)
    assert np.array_equal(data.X, everything.X[kept]) and np.array_equal(data.y, everything.y[kept])
