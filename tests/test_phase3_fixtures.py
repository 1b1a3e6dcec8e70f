"""Row builders and a DAG-order builder shared by the Phase 3 table tests (no tests here).

Builders return dicts with the columns a test cares about; the warehouse fills every other
contract column with NULL. Numbers are chosen so the expected values can be worked out by hand
in each test's comments.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from nbaprops.contracts import load_contract
from nbaprops.gates import check_table
from nbaprops.predictions.participation import played
from nbaprops.seasons import season_year as season_year_by_month
from nbaprops.testing import fixture_warehouse, run_table_sql

CALENDAR = "nba_staging.season_calendar"
BOX = "nba_staging.player_boxscores"
SHOTS = "nba_staging.play_by_play_shots"
ROSTERS = "nba_staging.pregame_rosters"
PROPS = "nba_staging.player_prop_lines"
STAGING = (CALENDAR, BOX, SHOTS, ROSTERS, PROPS)
TOGS = "nba_analytics.team_offense_game_summary"
TDGS = "nba_analytics.team_defense_game_summary"
PGS = "nba_analytics.player_game_summary"
UTGC = "nba_analytics.upcoming_team_game_context"
UPGC = "nba_analytics.upcoming_player_game_context"
DAG_ORDER = (*STAGING, TOGS, TDGS, PGS, UTGC, UPGC)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def game_id(date: str, away: str, home: str) -> str:
    return f"{date.replace('-', '')}_{away}_{home}"


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- raw rows
def team_box(date, team, opponent, is_home, *, points, fgm, fga, tpm, tpa, ftm, fta, oreb, dreb, tov,
             minutes="240:00", processed_at="2025-01-21 06:00", steals=7, blocks=5, fouls=18, assists=20,
             team_name=None, nba_game_id="0022400561"):
    away, home = (opponent, team) if is_home else (team, opponent)
    return dict(game_id=game_id(date, away, home), nba_game_id=nba_game_id, game_date=day(date),
                season_year=2024, team_abbr=team, team_name=team_name, is_home=is_home, minutes=minutes,
                points=points, fg_made=fgm, fg_attempted=fga, three_pt_made=tpm, three_pt_attempted=tpa,
                ft_made=ftm, ft_attempted=fta, offensive_rebounds=oreb, defensive_rebounds=dreb,
                total_rebounds=oreb + dreb, assists=assists, steals=steals, blocks=blocks, turnovers=tov,
                personal_fouls=fouls, processed_at=utc(processed_at))


def gamebook(date, player, team, away, home, *, points=0, fgm=0, fga=0, tpm=0, tpa=0, ftm=0, fta=0,
             minutes="20:00", status="active", oreb=1, dreb=2, assists=1, steals=1, blocks=0, tov=1,
             fouls=2, plus_minus=0, processed_at="2025-01-21 06:00", season_year=2024, game=None):
    active = status == "active"
    stat = (lambda v: v) if active else (lambda v: None)
    return dict(game_id=game or game_id(date, away, home), game_date=day(date), season_year=season_year,
                home_team_abbr=home, away_team_abbr=away, player_lookup=player, player_name=player,
                team_abbr=team, player_status=status, minutes=minutes if active else None,
                points=stat(points), field_goals_made=stat(fgm), field_goals_attempted=stat(fga),
                three_pointers_made=stat(tpm), three_pointers_attempted=stat(tpa),
                free_throws_made=stat(ftm), free_throws_attempted=stat(fta),
                offensive_rebounds=stat(oreb), defensive_rebounds=stat(dreb),
                total_rebounds=stat(oreb + dreb), assists=stat(assists), steals=stat(steals),
                blocks=stat(blocks), turnovers=stat(tov), personal_fouls=stat(fouls),
                plus_minus=stat(plus_minus), processed_at=utc(processed_at))


def bdl(date, player, team, away, home, *, points=0, fgm=0, fga=0, tpm=0, tpa=0, ftm=0, fta=0,
        minutes="20", oreb=1, dreb=2, assists=1, steals=1, blocks=0, tov=1, fouls=2,
        processed_at="2025-01-21 07:00"):
    return dict(game_id=game_id(date, away, home), game_date=day(date), season_year=2024, team_abbr=team,
                player_lookup=player, player_full_name=player, minutes=minutes, points=points,
                assists=assists, rebounds=oreb + dreb, offensive_rebounds=oreb, defensive_rebounds=dreb,
                steals=steals, blocks=blocks, turnovers=tov, personal_fouls=fouls, field_goals_made=fgm,
                field_goals_attempted=fga, three_pointers_made=tpm, three_pointers_attempted=tpa,
                free_throws_made=ftm, free_throws_attempted=fta, processed_at=utc(processed_at))


def shot(date, away, home, seq, shooter, team, *, shot_type="2PT", distance=None, made=True,
         subtype="jump shot", player_2=None, role=None):
    return dict(game_id=game_id(date, away, home), game_date=day(date), home_team_abbr=home,
                away_team_abbr=away, event_sequence=seq, event_type="shot", event_subtype=subtype,
                shot_made=made, shot_type=shot_type, shot_distance=distance, player_1_lookup=shooter,
                player_1_team_abbr=team, player_2_lookup=player_2, player_2_role=role)


def free_throw(date, away, home, seq, shooter, team, *, subtype="free throw 1/2", made=True):
    return dict(game_id=game_id(date, away, home), game_date=day(date), home_team_abbr=home,
                away_team_abbr=away, event_sequence=seq, event_type="free throw", event_subtype=subtype,
                shot_made=made, shot_type="FT", shot_distance=None, player_1_lookup=shooter,
                player_1_team_abbr=team)


def prop(date, player, bookmaker, line, snapshot, minutes_before_tipoff):
    return dict(game_id=None, game_date=day(date), player_lookup=player, player_name=player,
                bookmaker=bookmaker, points_line=line, over_price_american=-110, under_price_american=-110,
                snapshot_timestamp=utc(snapshot), minutes_before_tipoff=minutes_before_tipoff)


def schedule(date, away, home, *, away_score=None, home_score=None, status=3, nba_game_id="0022400001",
             season_year=None, processed_at="2025-01-21 06:00"):
    """A schedule row; its season_year defaults to the month rule's (fixtures are October-June)."""
    season_year = season_year_by_month(day(date)) if season_year is None else season_year
    winner = None
    if away_score is not None and home_score is not None:
        winner = home if home_score > away_score else away
    return dict(game_id=nba_game_id, game_code=f"{date.replace('-', '')}/{away}{home}", game_date=day(date),
                season_year=season_year, game_status=status, home_team_tricode=home, away_team_tricode=away,
                home_team_score=home_score, away_team_score=away_score, winning_team_tricode=winner,
                processed_at=utc(processed_at))


def game_line(date, away, home, bookmaker, market, outcome, point, snapshot):
    return dict(game_id="cd0bc7d0c238f4446ce1c03d0cea7ec4", game_date=day(date), home_team_abbr=home,
                away_team_abbr=away, bookmaker_key=bookmaker, market_key=market, outcome_name=outcome,
                outcome_point=point, outcome_price=1.91, snapshot_timestamp=utc(snapshot))


def injury(date, team, player, status, *, report_date=None, hour=17, confidence=0.95, reason="Injury/Illness"):
    return dict(report_date=day(report_date or date), report_hour=hour, game_date=day(date), game_id=None,
                team=team, player_lookup=player, injury_status=status, reason=reason, reason_category="injury",
                confidence_score=confidence)


def registry(player, universal_id, team, season_year=2024, first_game="2024-10-22"):
    return dict(player_lookup=player, universal_player_id=universal_id, player_name=player, team_abbr=team,
                season_year=season_year, first_game_date=day(first_game))


def travel(from_team, to_team, miles):
    return dict(from_team=from_team, to_team=to_team, distance_miles=miles, valid_from=day("2000-01-01"))


# ------------------------------------------------------------------- analytics rows (as inputs)
def pgs_row(date, player, team, opponent, *, points, minutes, usage_rate=None, home=True):
    away, home_team = (opponent, team) if home else (team, opponent)
    return dict(player_lookup=player, game_id=game_id(date, away, home_team), game_date=day(date),
                season_year=2024, team_abbr=team, opponent_team_abbr=opponent, home_game=home,
                points=points, minutes_played=minutes, usage_rate=usage_rate, shot_zones_available=False,
                starter_flag=bool(minutes and minutes > 20), is_active=True, played=played(minutes, points),
                player_status="active",
                primary_source_used="nbac_gamebook", quality_tier="gold", quality_score=100,
                is_production_ready=True)


def togs_row(date, team, opponent, *, pace, home=True):
    away, home_team = (opponent, team) if home else (team, opponent)
    return dict(game_id=game_id(date, away, home_team), game_date=day(date), season_year=2024,
                team_abbr=team, opponent_team_abbr=opponent, home_game=home, points_scored=100,
                points_allowed=99, fg_attempts=85, fg_makes=40, three_pt_attempts=30, three_pt_makes=10,
                ft_attempts=10, ft_makes=10, offensive_rebounds=10, defensive_rebounds=30, rebounds=40,
                assists=20, steals=5, blocks=5, turnovers=12, personal_fouls=18, possessions=int(pace),
                pace=pace, win_flag=True, margin_of_victory=1, overtime_periods=0, shot_zones_available=False,
                primary_source_used="nbac_team_boxscore", quality_tier="gold", quality_score=100,
                is_production_ready=True)


# ------------------------------------------------------------------------------ running
def warehouse(tmp_path, tables: dict[str, list[dict]]):
    return fixture_warehouse(tmp_path, {name: frame(rows) for name, rows in tables.items()})


def build(wh, table: str, start: dt.date, end: dt.date, *, staging: bool = True) -> pd.DataFrame:
    """Load the table's SQL output for [start, end] through the contract (types, REQUIRED,
    dates in range) and return it ordered by the primary key. First, as in the pipeline, the
    staging tables it reads are built from the raw rows in ``wh``; ``staging=False`` when ``wh``
    already holds them (built in DAG order, or given as inputs)."""
    contract = load_contract(table)
    for read in contract.reads if staging else ():
        if read.table in STAGING:
            # a staging table may read another (the prop lines read the rosters): built first
            build(wh, read.table, start - dt.timedelta(days=read.lookback_days), end)
    wh.replace_range(contract, start, end, select_sql=contract.sql(), params={"start_date": start, "end_date": end})
    return run_table_sql(wh, table, start, end)


def assert_invariants(wh, table: str, start: dt.date, end: dt.date) -> None:
    """Primary key unique and every contract invariant holds on the loaded rows."""
    report = check_table(wh, table, [], start, end)
    assert report.duplicate_keys == 0, f"{table}: duplicate primary keys"
    broken = {i.name: i.sample for i in report.invariants if i.violations}
    assert not broken, f"{table}: invariants violated: {broken}"


def row(df: pd.DataFrame, **keys) -> pd.Series:
    """The single row of ``df`` matching ``keys`` (dates given as 'YYYY-MM-DD')."""
    mask = pd.Series(True, index=df.index)
    for col, value in keys.items():
        column = df[col]
        if col == "game_date":
            column = pd.to_datetime(column).dt.date
            value = day(value)
        mask &= column == value
    hits = df[mask]
    assert len(hits) == 1, f"expected one row for {keys}, got {len(hits)}"
    return hits.iloc[0]


# --------------------------------------------------------------------- shared scenarios
def team_games_raw() -> dict[str, list[dict]]:
    """Four games on 2025-01-20, one source path each:

    * LAL @ BOS: team box score (loaded twice; the older BOS load says 110 points) + play-by-play;
    * NYK @ MIA: gamebook only (5 active players a side at 53:00 = one overtime, plus a DNP), while
      BDL also has a (wrong) MIA row that must be ignored;
    * CHI @ DEN: BDL only (whole minutes "48");
    * PHX @ GSW: team box score with "290:00" team minutes (two overtimes).
    """
    d = "2025-01-20"
    box = [
        team_box(d, "BOS", "LAL", True, points=112, fgm=40, fga=88, tpm=12, tpa=35, ftm=20, fta=20,
                 oreb=10, dreb=35, tov=14),
        team_box(d, "BOS", "LAL", True, points=110, fgm=39, fga=88, tpm=12, tpa=35, ftm=20, fta=20,
                 oreb=10, dreb=35, tov=14, processed_at="2025-01-21 05:00"),
        team_box(d, "LAL", "BOS", False, points=105, fgm=38, fga=90, tpm=9, tpa=30, ftm=20, fta=25,
                 oreb=12, dreb=33, tov=14),
        team_box(d, "GSW", "PHX", True, points=112, fgm=40, fga=88, tpm=12, tpa=35, ftm=20, fta=20,
                 oreb=10, dreb=35, tov=14, minutes="290:00", nba_game_id="0022400562"),
        team_box(d, "PHX", "GSW", False, points=105, fgm=38, fga=90, tpm=9, tpa=30, ftm=20, fta=25,
                 oreb=12, dreb=33, tov=14, minutes="290:00", nba_game_id="0022400562"),
    ]
    book = []
    for i in range(5):
        # MIA: 20 points each = 2*(8-2) + 3*2 + 2
        book.append(gamebook(d, f"mia{i}", "MIA", "NYK", "MIA", points=20, fgm=8, fga=15, tpm=2, tpa=5,
                             ftm=2, fta=2, oreb=1, dreb=2, tov=1, minutes="53:00"))
        # NYK: 18 points each = 2*(7-2) + 3*2 + 2
        book.append(gamebook(d, f"nyk{i}", "NYK", "NYK", "MIA", points=18, fgm=7, fga=16, tpm=2, tpa=6,
                             ftm=2, fta=3, oreb=1, dreb=2, tov=1, minutes="53:00"))
    book.append(gamebook(d, "miadnp", "MIA", "NYK", "MIA", status="dnp"))
    box_bdl = [bdl(d, "mia0", "MIA", "NYK", "MIA", points=40, fgm=20, fga=20)]
    for i in range(5):
        # DEN: 22 = 2*(9-2) + 3*2 + 2; CHI: 21 = 2*(8-2) + 3*2 + 3
        box_bdl.append(bdl(d, f"den{i}", "DEN", "CHI", "DEN", points=22, fgm=9, fga=18, tpm=2, tpa=5,
                           ftm=2, fta=2, oreb=1, dreb=3, tov=1, minutes="48"))
        box_bdl.append(bdl(d, f"chi{i}", "CHI", "CHI", "DEN", points=21, fgm=8, fga=17, tpm=2, tpa=6,
                           ftm=3, fta=4, oreb=1, dreb=3, tov=1, minutes="48"))
    pbp = [
        shot(d, "LAL", "BOS", 1, "bos1", "BOS", distance=8.0, made=True),              # paint make
        shot(d, "LAL", "BOS", 2, "bos1", "BOS", distance=8.1, made=False),             # mid miss
        shot(d, "LAL", "BOS", 3, "bos1", "BOS", distance=3.0, made=False, subtype="layup",
             player_2="lal1", role="block"),                                            # paint, blocked
        shot(d, "LAL", "BOS", 4, "bos1", "BOS", shot_type="3PT", distance=25.0, made=True,
             subtype="3pt jump shot"),                                                  # three
        shot(d, "LAL", "BOS", 5, "bos1", "BOS", distance=None, made=True),             # mid (no distance)
        free_throw(d, "LAL", "BOS", 6, "bos1", "BOS"),
        shot(d, "LAL", "BOS", 7, "lal1", "LAL", shot_type="3PT", distance=26.0, made=False,
             subtype="3pt jump shot", player_2="bos2", role="block"),                   # LAL three, blocked
    ]
    return {
        "nba_raw.nbac_team_boxscore": box,
        "nba_raw.nbac_gamebook_player_stats": book,
        "nba_raw.bdl_player_boxscores": box_bdl,
        "nba_raw.bigdataball_play_by_play": pbp,
    }
