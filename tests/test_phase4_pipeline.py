"""The five Phase 4 tables together on a small league: bootstrap boundary (D7), point-in-time
correctness (D1) and the contracts' invariants."""
import datetime as dt

import pandas as pd
import pytest
from test_phase4_support import (MLFS, PGS, PHASE4_ORDER, SCHEDULE, TDGS, TOGS, UPGC, UTGC, build_phase4, day,
                                 pgs_row, schedule_rows, tdgs_row, togs_row, upgc_row, utgc_row, violated_invariants,
                                 warehouse)
from nbaprops.contracts import load_contract

LAST_DAY = 24
PAIRS = (("NYK", "BOS"), ("GSW", "LAL"))


def league_tables() -> dict[str, list[dict]]:
    """Two games a day from the opener (day 0) to LAST_DAY, home and away alternating; two players
    per team with deterministic, varying box scores."""
    tables = {SCHEDULE: [], PGS: [], TOGS: [], TDGS: [], UPGC: [], UTGC: []}
    for n in range(LAST_DAY + 1):
        d = day(n)
        for away, home in (PAIRS if n % 2 == 0 else [(h, a) for a, h in PAIRS]):
            tables[SCHEDULE] += schedule_rows([(d, away, home)])
            for team, opp, is_home in ((home, away, True), (away, home, False)):
                won = (n + len(team) + is_home) % 3 != 0
                tables[TOGS].append(togs_row(d, team, opp, is_home, won=won, pace=96.0 + n % 7,
                                             offensive_rating=105.0 + n % 11))
                tables[TDGS].append(tdgs_row(d, team, opp, is_home, paint=(40, 18 + (n * 3) % 9),
                                             mid=(20, 6 + n % 5), three=(30, 9 + (n * 7) % 6),
                                             defensive_rating=104.0 + (n * 5) % 13, opponent_pace=96.0 + n % 7))
                tables[UTGC].append(utgc_row(d, team, opp, is_home))
                for k in range(2):
                    player = f"{team.lower()}_{k}"
                    tables[PGS].append(pgs_row(
                        d, player, team, opp, is_home, points=8 + (n * 7 + k * 5) % 19, minutes=24.0 + (n + k) % 12,
                        paint=(4 + n % 5, 2 + n % 3), mid=(3, 1 + k), three=(5 + k, 1 + (n + k) % 3),
                        ft_makes=(n + k) % 4, usage_rate=18.0 + (n + 3 * k) % 9))
                    tables[UPGC].append(upgc_row(
                        d, player, team, opp, is_home, days_rest=1 if n else None,
                        opponent_days_rest=1 if n else None, games_in_last_7_days=min(n, 7),
                        minutes_in_last_7_days=min(n, 7) * 28, avg_minutes_per_game_last_7=28.0 if n else None,
                        back_to_backs_last_14_days=min(max(n - 1, 0), 13), pace_differential=float(n % 5 - 2)))
    return tables


def test_bootstrap_days_have_no_rows_and_day_14_has(tmp_path):
    wh = warehouse(tmp_path, league_tables())
    built = build_phase4(wh, day(12), day(15))
    for table in PHASE4_ORDER:
        dates = sorted(pd.to_datetime(built[table][load_contract(table).date_column]).dt.date.unique())
        assert dates == [day(14), day(15)], table  # days 12 and 13 are bootstrap days (0..13)
    assert len(built[MLFS]) == 2 * 8


@pytest.fixture(scope="module")
def league(tmp_path_factory):
    """The league's Phase 4 tables built for every non-bootstrap day at once."""
    wh = warehouse(tmp_path_factory.mktemp("league"), league_tables())
    return wh, build_phase4(wh, day(14), day(LAST_DAY))


def test_invariants_hold_on_the_league(league):
    wh, built = league
    for table in PHASE4_ORDER:
        assert violated_invariants(wh, table, day(14), day(LAST_DAY)) == {}, table
        assert len(built[table]) > 0


def _change_results_of(tables: dict[str, list[dict]], date: dt.date) -> dict[str, list[dict]]:
    """The same league with every box score dated ``date`` changed (points, minutes, shots)."""
    changed = {name: [dict(r) for r in rows] for name, rows in tables.items()}
    for r in changed[PGS]:
        if r["game_date"] == date:
            r.update(points=r["points"] + 17, minutes_played=r["minutes_played"] + 9, ft_makes=r["ft_makes"] + 3,
                     paint_attempts=r["paint_attempts"] + 8, paint_makes=r["paint_makes"] + 1,
                     three_pt_attempts=r["three_pt_attempts"] + 4, usage_rate=r["usage_rate"] + 6)
    for r in changed[TDGS]:
        if r["game_date"] == date:
            r.update(opp_paint_makes=r["opp_paint_makes"] + 9, points_allowed=r["points_allowed"] + 20,
                     defensive_rating=r["defensive_rating"] + 15.0, opponent_pace=r["opponent_pace"] + 8.0)
    for r in changed[TOGS]:
        if r["game_date"] == date:
            r.update(win_flag=not r["win_flag"], pace=r["pace"] + 8.0, offensive_rating=r["offensive_rating"] + 15.0)
    return changed


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Values only: NULLs as None whatever the column's pandas dtype."""
    frame = frame.reset_index(drop=True).astype(object)
    return frame.where(frame.notna(), None)


def _rows_of(frame: pd.DataFrame, table: str, date: dt.date) -> pd.DataFrame:
    col = load_contract(table).date_column
    return frame[pd.to_datetime(frame[col]).dt.date == date].reset_index(drop=True)


def test_no_feature_of_d_depends_on_d_results(tmp_path):
    """D1: changing D's box scores changes nothing of D in any Phase 4 table, and changes D+1."""
    d, next_day = day(20), day(21)
    tables = league_tables()
    before = build_phase4(warehouse(tmp_path / "before", tables), d, next_day)
    after = build_phase4(warehouse(tmp_path / "after", _change_results_of(tables, d)), d, next_day)
    for table in PHASE4_ORDER:
        pd.testing.assert_frame_equal(_rows_of(before[table], table, d), _rows_of(after[table], table, d),
                                      obj=f"{table} on D")
    features_before = _rows_of(before[MLFS], MLFS, next_day)
    features_after = _rows_of(after[MLFS], MLFS, next_day)
    changed = [name for name in ("points_avg_last_5", "points_avg_season", "pct_free_throw", "team_win_pct",
                                 "opponent_def_rating", "pct_paint", "team_pace")
               if not features_before[name].equals(features_after[name])]
    assert changed == ["points_avg_last_5", "points_avg_season", "pct_free_throw", "team_win_pct",
                       "opponent_def_rating", "pct_paint", "team_pace"]
    assert not features_before["features"].map(list).equals(features_after["features"].map(list))


@pytest.mark.parametrize("start, end", [(day(14), day(14)), (day(14), day(17)), (day(20), day(LAST_DAY))])
def test_chunking_does_not_change_rows(league, tmp_path, start, end):
    """A chunk's rows are the same whether built alone or inside a larger range."""
    _, whole = league
    part = build_phase4(warehouse(tmp_path, league_tables()), start, end)
    for table in PHASE4_ORDER:
        col = load_contract(table).date_column
        dates = pd.to_datetime(whole[table][col]).dt.date
        expected = whole[table][(dates >= start) & (dates <= end)].reset_index(drop=True)
        pd.testing.assert_frame_equal(_comparable(part[table]), _comparable(expected), obj=table)
