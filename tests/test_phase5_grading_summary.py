"""prediction_performance_summary on a hand-made season: exact metrics per period and slice, pushes
apart, zero kept as zero, confidence 1.0 in the high tier, fallback rows apart, periods confined to
the as-of date's season, the player threshold, the key, and a chunk that equals the same
dates of a wider build (rows keyed by as-of date, so a re-run replaces them)."""
import datetime as dt

import pandas as pd
import pytest
from test_phase4_support import build, one, row, violated_invariants, warehouse
from test_phase5_grading_support import MA, PA, SIM

SUMMARY = "nba_predictions.prediction_performance_summary"
CAL = "nba_staging.season_calendar"
OPENER = dt.date(2022, 10, 18)
OLD = dt.date(2022, 10, 10)  # the previous season's last date (a season may end in October: 2019-20)
A, B, C, D, E = (dt.date(2022, 10, 20), dt.date(2022, 10, 22), dt.date(2022, 10, 24), dt.date(2022, 10, 31),
                 dt.date(2022, 11, 1))


def graded(date, player, system, predicted, actual, confidence, recommendation="NO_LINE", line=None, outcome=None,
           team="BOS", fallback=False):
    """A prediction_accuracy row of the game {date}_NYK_BOS (``actual`` None = a DNP)."""
    dnp = actual is None
    error = None if dnp else round(predicted - actual, 2)
    return row(PA, game_date=date, player_lookup=player, system_id=system, game_id=f"{date:%Y%m%d}_NYK_BOS",
               team_abbr=team, predicted_points=predicted, confidence_score=confidence, recommendation=recommendation,
               has_prop_line=line is not None, line_value=line, scoring_tier="ROTATION_10_19", is_dnp=dnp,
               actual_points=actual, signed_error=error, absolute_error=None if dnp else abs(error),
               within_3_points=None if dnp else abs(error) <= 3, within_5_points=None if dnp else abs(error) <= 5,
               outcome=outcome, prediction_correct={"WIN": True, "LOSS": False}.get(outcome),
               is_fallback=fallback)


GRADED = [
    graded(OLD, "ann", MA, 30.0, 20, 0.9, "OVER", 19.5, "WIN"),  # last season: in no period
    graded(A, "ann", MA, 21.0, 20, 0.5),
    graded(B, "ann", MA, 19.0, 20, 0.5),
    graded(C, "ann", MA, 22.0, 20, 0.7, "OVER", 19.5, "WIN"),
    graded(D, "ann", MA, 17.0, 20, 1.0, "UNDER", 18.5, "LOSS"),  # confidence 1.0: high tier
    graded(E, "ann", MA, 21.0, 20, 0.55, "OVER", 20.0, "PUSH"),
    graded(E, "bob", MA, 10.0, 14, 0.4, "PASS", 12.5, team="NYK"),  # the away team
    graded(E, "cal", MA, 9.0, None, 0.6, "OVER", 8.5),  # did not play
    graded(E, "ann", SIM, 25.0, 20, 0.0, "PASS", 20.0, fallback=True),  # similarity's fallback
    graded(E, "bob", SIM, 13.0, 14, 0.66, team="NYK"),
]
CALENDAR = [row(CAL, game_date=d, season_year=2021 if d == OLD else 2022,
                opener_date=dt.date(2021, 10, 19) if d == OLD else OPENER) for d in (OLD, A, B, C, D, E)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    wh = warehouse(tmp_path_factory.mktemp("summary"), {PA: GRADED, CAL: CALENDAR})
    wide = build(wh, SUMMARY, A, E, staging=False)
    return wh, wide, build(wh, SUMMARY, E, E, staging=False)


def key(system, period, value, player="NULL", tier="NULL", situation="NULL"):
    return f"{system}|{period}|{value}|{player}|NULL|{tier}|{situation}"


def at(summary, summary_key, as_of=E):
    return one(summary, as_of_date=as_of, summary_key=summary_key)


def test_one_as_of_date_per_graded_date(built):
    _, wide, _ = built
    assert sorted(set(wide.as_of_date.dt.date)) == [A, B, C, D, E]
    assert at(wide, key(MA, "season", "2022-23"), as_of=C).total_predictions == 3  # A, B, C


def test_season_overall_exact(built):
    _, _, summary = built
    r = at(summary, key(MA, "season", "2022-23"))
    assert (r.period_start, r.slice_type) == (pd.Timestamp(OPENER), "overall")
    assert (r.total_predictions, r.dnp_count, r.total_recommendations, r.over_count, r.under_count,
            r.pass_count, r.no_line_count) == (7, 1, 4, 3, 1, 1, 2)
    # pushes apart (D5); a rate of 0 stays 0
    assert (r.hits, r.misses, r.pushes, r.hit_rate, r.over_hit_rate, r.under_hit_rate) == (1, 1, 1, 0.5, 1.0, 0.0)
    # errors +1 -1 +2 -3 +1 -4 (cal did not play)
    assert (r.graded_count, r.mae, r.avg_bias, r.within_3_pct, r.within_5_pct) == (6, 2.0, -0.67, 0.833, 1.0)
    assert (r.fallback_count, r.fallback_graded_count, r.fallback_mae) == (0, 0, None)
    assert (r.avg_confidence, r.unique_players, r.unique_games) == (0.607, 3, 5)


def test_periods_end_on_the_date_and_stay_in_its_season(built):
    _, _, summary = built
    week = at(summary, key(MA, "rolling_7d", "2022-11-01"))  # [10-25, 11-01]: D and E
    assert (week.period_start, week.total_predictions, week.hits, week.misses, week.pushes, week.hit_rate) == \
        (pd.Timestamp(dt.date(2022, 10, 25)), 4, 0, 1, 1, 0.0)
    assert (week.graded_count, week.mae, week.avg_bias) == (3, 2.67, -2.0)
    month = at(summary, key(MA, "rolling_30d", "2022-11-01"))  # reaches 10-02, but not last season's 10-10
    assert (month.period_start, month.total_predictions, month.hits) == (pd.Timestamp(dt.date(2022, 10, 2)), 7, 1)
    november = at(summary, key(MA, "month", "2022-11"))
    assert (november.period_start, november.total_predictions, november.unique_games) == (pd.Timestamp(E), 3, 1)


def test_player_slices_need_five_predictions(built):
    _, _, summary = built
    players = summary[summary.slice_type == "player"]
    assert sorted(players.summary_key) == [key(MA, "rolling_30d", "2022-11-01", player="ann"),
                                           key(MA, "season", "2022-23", player="ann")]
    ann = at(summary, key(MA, "season", "2022-23", player="ann"))
    assert (ann.player_lookup, ann.total_predictions, ann.mae, ann.hits, ann.misses, ann.pushes) == \
        ("ann", 5, 1.6, 1, 1, 1)


def test_confidence_tiers_and_home_away(built):
    _, _, summary = built
    tiers = {t: at(summary, key(MA, "season", "2022-23", tier=t)) for t in ("high", "medium", "low")}
    assert {t: r.total_predictions for t, r in tiers.items()} == {"high": 2, "medium": 2, "low": 3}
    assert (tiers["high"].hits, tiers["high"].misses, tiers["high"].avg_confidence) == (1, 1, 0.85)
    home = at(summary, key(MA, "season", "2022-23", situation="home"))
    away = at(summary, key(MA, "season", "2022-23", situation="away"))
    assert (home.total_predictions, away.total_predictions, away.player_lookup, away.mae) == (6, 1, None, 4.0)


def test_fallback_rows_are_measured_apart(built):
    _, _, summary = built
    sim = at(summary, key(SIM, "season", "2022-23"))
    assert (sim.total_predictions, sim.graded_count, sim.mae, sim.avg_bias) == (2, 1, 1.0, -1.0)
    assert (sim.fallback_count, sim.fallback_graded_count, sim.fallback_mae) == (1, 1, 5.0)
    assert (sim.total_recommendations, sim.hits, sim.hit_rate) == (0, 0, None)
    assert at(summary, key(SIM, "season", "2022-23", tier="low")).fallback_count == 1  # confidence 0


def test_a_chunk_equals_the_same_date_of_a_wider_build(built):
    _, wide, summary = built
    same = wide[wide.as_of_date.dt.date == E].reset_index(drop=True)
    # moving average: 7 days 6 slices, 30 days and season 7 each (ann's player slice), November 5;
    # similarity: 5 slices in each of the 4 periods
    assert len(summary) == len(same) == 6 + 7 + 7 + 5 + 4 * 5
    assert summary.drop(columns="as_of_date").equals(same.drop(columns="as_of_date"))


def test_invariants_hold(built):
    wh, _, _ = built
    assert violated_invariants(wh, SUMMARY, A, E) == {}


def test_at_most_200_players_with_most_predictions(tmp_path):
    """201 players with 5 predictions and one with 6: the 200 kept are the one with 6, then by name."""
    rows = [graded(d, f"p{i:03d}", MA, 10.0, 10, 0.5) for i in range(201) for d in (A, B, C, D, E)]
    rows.append(graded(OLD + dt.timedelta(days=9), "p200", MA, 10.0, 10, 0.5))  # 10-19: his 6th prediction
    calendar = CALENDAR + [row(CAL, game_date=OLD + dt.timedelta(days=9), season_year=2022, opener_date=OPENER)]
    summary = build(warehouse(tmp_path, {PA: rows, CAL: calendar}), SUMMARY, E, E, staging=False)
    players = summary[(summary.slice_type == "player") & (summary.period_type == "season")]
    assert len(players) == 200
    assert sorted(players.player_lookup)[-2:] == ["p198", "p200"]  # p199 lost the tie on name
    assert at(summary, key(MA, "season", "2022-23")).unique_players == 201
