"""One definition of "did not play": the staging column (SQL) and nbaprops.predictions.participation
(Python) agree, and every consumer — grading, the player context, the feature store, the
similarity history, XGBoost training and the ensemble slice — counts the same games."""
import datetime as dt

import pytest
from test_phase3_fixtures import BOX, build as build_staged, gamebook, schedule
from test_phase4_support import MLFS, PGS, SCHEDULE, UPGC, build, day, one, pgs_row, row, schedule_rows, upgc_row, \
    warehouse
from test_phase5_grading_support import MA, PA, PPP, prediction

from nbaprops.predictions import stacking
from nbaprops.predictions.features import FEATURE_VERSION
from nbaprops.predictions.history import Histories
from nbaprops.predictions.participation import played
from nbaprops.predictions.training import TRAINING_SQL

# (minutes, points) of one box-score row each, and whether the player played
CASES = [
    ((30.0, 20), True),
    ((0.0, 0), False),     # listed in the box score, never on the floor
    ((None, 0), False),    # unknown minutes, nothing scored: no evidence he played
    ((None, 8), True),     # unknown minutes, but he scored
    ((0.0, 3), True),      # 0 minutes yet points: the points win
    ((2.0, 0), True),
    ((None, None), False),
]
D = day(60)
HISTORY = [D - dt.timedelta(days=7 - i) for i in range(len(CASES))]  # D-7 .. D-1, one case each
PLAYED_DATES = [d for d, (_, p) in zip(HISTORY, CASES) if p]


def test_python_definition():
    assert [played(*box) for box, _ in CASES] == [p for _, p in CASES]


def test_staging_column_is_the_python_rule(tmp_path):
    """Gamebook minutes as they arrive ('MM:SS', '-') parse and decide `played` in SQL exactly as
    the Python rule decides on the parsed minutes."""
    minutes = ["30:00", "0:00", "-", "-", "0:00", "2:00", "-"]
    rows = [gamebook("2025-01-20", f"p{i}", "BOS", "LAL", "BOS", points=box[1], minutes=m)
            for i, ((box, _), m) in enumerate(zip(CASES, minutes))]
    wh = warehouse(tmp_path, {"nba_raw.nbac_gamebook_player_stats": rows,
                              SCHEDULE: [schedule("2025-01-20", "LAL", "BOS")]})
    staged = build_staged(wh, BOX, dt.date(2025, 1, 20), dt.date(2025, 1, 20))
    for i, (box, expected) in enumerate(CASES):
        r = one(staged, player_lookup=f"p{i}")
        parsed = None if r.minutes_decimal != r.minutes_decimal else r.minutes_decimal  # NaN -> None
        assert r.played == played(parsed, box[1]) == expected, (box, r.minutes_decimal)


@pytest.fixture(scope="module")
def league(tmp_path_factory):
    """ann's seven box-score rows before D, one per case, with feature rows and predictions."""
    pgs = [pgs_row(d, "ann", "AAA", "OPP", True, points=box[1], minutes=box[0])
           for d, (box, _) in zip(HISTORY, CASES)]
    store = [row(MLFS, game_date=d, player_lookup="ann", game_id="g", team_abbr="AAA", opponent_team_abbr="OPP",
                 feature_version=FEATURE_VERSION, features=[0.0] * 25) for d in HISTORY]
    predictions = [prediction(d, "ann", MA, 10.0, "NO_LINE", team="AAA", opp="OPP") for d in HISTORY]
    return warehouse(tmp_path_factory.mktemp("dnp"), {
        SCHEDULE: schedule_rows([(day(0), "OPP", "AAA"), *((d, "OPP", "AAA") for d in HISTORY), (D, "OPP", "AAA")]),
        PGS: pgs, MLFS: store, PPP: predictions,
        UPGC: [upgc_row(D, "ann", "AAA", "OPP", True)]})


def test_grading_voids_exactly_the_games_not_played(league):
    graded = build(league, PA, HISTORY[0], HISTORY[-1])
    assert [not one(graded, game_date=d).is_dnp for d in HISTORY] == [p for _, p in CASES]


def test_player_context_counts_the_games_played(tmp_path):
    pgs = [pgs_row(d, "ann", "BOS", "LAL", True, points=box[1], minutes=box[0]) for d, (box, _) in zip(HISTORY, CASES)]
    # the morning's roster (D12): BOS's box score of the day before lists her
    roster = [gamebook(HISTORY[-1].isoformat(), "ann", "BOS", "LAL", "BOS", status="dnp")]
    wh = warehouse(tmp_path, {"nba_raw.nbac_gamebook_player_stats": roster, PGS: pgs,
                              SCHEDULE: [schedule(D.isoformat(), "LAL", "BOS")]})
    context = one(build_staged(wh, UPGC, D, D), player_lookup="ann")
    assert context.games_in_last_7_days == len(PLAYED_DATES) == 4


def test_feature_store_history_uses_the_games_played(league):
    ann = one(build(league, MLFS, D), player_lookup="ann")
    # phase 3 fallback: the season mean of the played games' points, (20 + 8 + 3 + 0) / 4
    assert (ann.points_avg_season, ann.feature_sources[2]) == (7.8, "phase3")


def test_similarity_history_xgboost_and_ensemble_slice_use_the_games_played(league):
    assert len(Histories.load(league, D, D).for_date("ann", D)) == len(PLAYED_DATES)
    training = league.query(TRAINING_SQL, {"window_start": D, "feature_version": FEATURE_VERSION})
    assert [d.date() for d in training.game_date] == PLAYED_DATES
    actual = league.query(stacking.ACTUAL_SQL, {"start_date": HISTORY[0], "end_date": HISTORY[-1]})
    assert [d.date() for d in actual.game_date] == PLAYED_DATES
