"""A date's season comes from the schedule (not the month), and a feature constant because its
optional source is absent is a declared degradation (D13) while one constant with data fails (D9)."""
import datetime as dt

import pytest
from test_phase3_fixtures import CALENDAR, build, schedule
from test_phase4_support import MLFS, PGS, SCHEDULE, day, one, optional_sources, row, schedule_rows, upgc_row, warehouse

from nbaprops.checks import features
from nbaprops.contracts import load_contract
from nbaprops.gates import check_table
from nbaprops.seasons import SeasonCalendar, season_year

D = dt.date.fromisoformat

# 2019-20 ended in the October 2020 bubble; 2020-21 opened on 2020-12-22.
BUBBLE = [("2019-10-22", 2019), ("2020-03-11", 2019), ("2020-07-30", 2019), ("2020-10-06", 2019),
          ("2020-10-11", 2019), ("2020-12-22", 2020), ("2021-01-04", 2020), ("2021-01-05", 2020)]


def test_season_ending_in_october_and_next_starting_in_december():
    calendar = SeasonCalendar.from_schedule((D(d), s, True) for d, s in BUBBLE)
    assert calendar.season_of(D("2020-10-11")) == 2019  # the month rule says 2020
    assert season_year(D("2020-10-11")) == 2020
    assert calendar.season_of(D("2020-08-15")) == 2019  # an off day inside the bubble season
    assert calendar.season_of(D("2020-12-22")) == 2020
    assert calendar.season_of(D("2020-11-15")) == 2020  # off-season: the month rule (documented fallback)
    assert calendar.openers == {2019: D("2019-10-22"), 2020: D("2020-12-22")}
    assert calendar.is_bootstrap(D("2021-01-04"))       # day 13 of 2020-21
    assert not calendar.is_bootstrap(D("2021-01-05"))   # day 14
    assert not calendar.is_bootstrap(D("2020-10-11"))   # the finals are not 2020-21's bootstrap
    assert calendar.season_start(D("2021-01-05")) == D("2020-10-12")  # after the bubble, not July 1
    assert calendar.season_start(D("2020-10-06")) == D("2019-07-01")  # no season before it is known


def test_a_date_in_two_seasons_is_an_error():
    with pytest.raises(ValueError, match="2020-10-11 carry season_year 2019 and 2020"):
        SeasonCalendar.from_schedule([(D("2020-10-11"), 2019, True), (D("2020-10-11"), 2020, True)])


def test_sql_calendar_agrees_with_python(tmp_path):
    games = [schedule(d, "LAL", "MIA", season_year=s, nba_game_id=f"00{s}{i:05d}") for i, (d, s) in enumerate(BUBBLE)]
    wh = warehouse(tmp_path, {SCHEDULE: games})
    built = build(wh, CALENDAR, D("2019-10-01"), D("2021-01-31"))
    python = SeasonCalendar.load(wh, D("2019-10-01"), D("2021-01-31"))
    assert python.openers == {2019: D("2019-10-22"), 2020: D("2020-12-22")}
    for r in built.itertuples():
        date = r.game_date.date()
        assert (r.season_year, r.opener_date.date(), r.is_bootstrap) == (
            python.season_of(date), python.openers[python.season_of(date)], python.is_bootstrap(date))
    finals = one(built, game_date=D("2020-10-11"))
    assert (finals.season_year, finals.day_of_season) == (2019, 355)


# ------------------------------------------------------------------ feature health (D9 / D13)
DATES = [day(14 + i) for i in range(features.MIN_DATES_FOR_CONSTANT)]


def _store(tmp_path, has_play_by_play: bool, pct_paint=lambda i: 0.30):
    """A feature store over 30 dates of one season; only pct_paint's values matter here."""
    calendar = [row(CALENDAR, game_date=d, season_year=2022, opener_date=day(0), day_of_season=14 + i,
                    has_play_by_play=has_play_by_play, has_injury_report=True) for i, d in enumerate(DATES)]
    store = [row(MLFS, game_date=d, player_lookup="ann", pct_paint=pct_paint(i)) for i, d in enumerate(DATES)]
    return warehouse(tmp_path, {CALENDAR: calendar, MLFS: store})


def _violations(wh) -> dict[str, int]:
    report = check_table(wh, MLFS, DATES, DATES[0], DATES[-1])
    return {i.name: i.violations for i in report.invariants if i.name.startswith("health:pct_paint")}


def test_constant_without_its_source_is_a_declared_warning(tmp_path):
    wh = _store(tmp_path, has_play_by_play=False)
    assert _violations(wh) == {"health:pct_paint:not_constant": 0, "health:pct_paint:null_rate": 0}
    found = [f for f in features.degraded_features(wh, DATES[0], DATES[-1]) if "pct_paint" in f.message]
    assert len(found) == 1
    (finding,) = found
    assert (finding.kind, finding.severity, finding.count, finding.table) == ("degraded_feature", "warning", 30, MLFS)
    assert finding.message.startswith("pct_paint unavailable: no play_by_play in season 2022 (every row;")


def test_constant_with_its_source_fails(tmp_path):
    wh = _store(tmp_path, has_play_by_play=True)
    assert _violations(wh) == {"health:pct_paint:not_constant": 1, "health:pct_paint:null_rate": 0}
    assert not [f for f in features.degraded_features(wh, DATES[0], DATES[-1]) if "pct_paint" in f.message]


def test_varying_with_its_source_passes(tmp_path):
    wh = _store(tmp_path, has_play_by_play=True, pct_paint=lambda i: 0.30 + i / 1000)
    assert _violations(wh) == {"health:pct_paint:not_constant": 0, "health:pct_paint:null_rate": 0}


def test_every_optional_source_has_a_calendar_column():
    calendar = set(load_contract(CALENDAR).column_names)
    declared = {h.source for h in load_contract(MLFS).health if h.source}
    assert declared == {"play_by_play", "injury_report"}
    assert {f"has_{s}" for s in declared} <= calendar


def test_store_labels_features_of_absent_sources_unavailable(tmp_path):
    """No play-by-play and no injury report in the season: the shot-zone features and injury_risk
    hold their defaults, labelled 'unavailable' and weighted as defaults."""
    d = day(60)
    wh = warehouse(tmp_path, {SCHEDULE: schedule_rows([(day(0), "OPP", "AAA"), (d, "OP1", "AAA")]),
                              "nba_analytics.upcoming_player_game_context": [
                                  upgc_row(d, "ann", "AAA", "OP1", True, days_rest=2, opponent_days_rest=1)]})
    ann = one(build(wh, MLFS, d, d), player_lookup="ann")
    unavailable = [ann.feature_names[i] for i, s in enumerate(ann.feature_sources) if s == features.UNAVAILABLE]
    assert unavailable == ["shot_zone_mismatch_score", "injury_risk", "pct_paint", "pct_mid_range", "pct_three"]
    assert (ann.shot_zone_mismatch_score, ann.injury_risk, ann.pct_paint, ann.pct_mid_range, ann.pct_three) == (
        0.0, 0.0, 0.30, 0.20, 0.35)


# ------------------------------------------------------------------ a league without the optional sources
DEGRADED = {"shot_zone_mismatch_score": "play_by_play", "injury_risk": "injury_report", "pct_paint": "play_by_play",
            "pct_mid_range": "play_by_play", "pct_three": "play_by_play"}


def _league_without_shot_zones():
    """The Phase 4 test league with no shot zones in its box scores (as without play-by-play)."""
    from test_phase4_pipeline import league_tables

    tables = league_tables()
    zone_columns = ("paint_attempts", "paint_makes", "mid_range_attempts", "mid_range_makes", "assisted_fg_makes",
                    "unassisted_fg_makes")
    tables[PGS] = [{**r, **{c: None for c in zone_columns}, "shot_zones_available": False} for r in tables[PGS]]
    return tables


def _phase4_health(tmp_path, monkeypatch, tables):
    from test_phase4_pipeline import LAST_DAY
    from test_phase4_support import build_phase4

    wh = warehouse(tmp_path, tables)
    start, end = day(14), day(LAST_DAY)
    build_phase4(wh, start, end)
    monkeypatch.setattr(features, "MIN_DATES_FOR_CONSTANT", LAST_DAY - 13)  # the short range counts as a season
    report = check_table(wh, MLFS, [day(n) for n in range(14, LAST_DAY + 1)], start, end)
    stuck = {i.name.split(":")[1] for i in report.invariants if i.violations and i.name.endswith("not_constant")}
    degraded = {f.message.split(" ")[0]: f for f in features.degraded_features(wh, start, end)}
    return stuck, degraded


def test_league_without_play_by_play_and_injury_report_degrades_not_fails(tmp_path, monkeypatch):
    stuck, degraded = _phase4_health(tmp_path, monkeypatch, _league_without_shot_zones())
    assert not stuck & set(DEGRADED)
    assert {name: f.message.split(" ")[3] for name, f in degraded.items()} == DEGRADED
    assert {f.severity for f in degraded.values()} == {"warning"}


def test_league_with_play_by_play_but_constant_shot_zones_fails(tmp_path, monkeypatch):
    """The source has data, yet the features never move: D9 still fails them."""
    tables = _league_without_shot_zones()
    tables.update(optional_sources(day(0)))
    stuck, degraded = _phase4_health(tmp_path, monkeypatch, tables)
    assert {"shot_zone_mismatch_score", "pct_paint", "pct_mid_range", "pct_three"} <= stuck
    assert not degraded
