"""The exporters' one way into the warehouse: :class:`ExportReads`, one object per export run.

Every query of Phase 6 lives here, with typed parameters (dates, a system id), never an SQL
fragment from a caller. The object caches what several exporters read (the name book, season
calendars, the schedule, the graded rows of ``prediction_accuracy``, box scores), so a run reads
each once. :data:`READS` declares every table it reads and how far back a per-date export reads
it; ``rules/publishing.smk`` turns that declaration into the Phase 6 jobs' inputs
(:func:`chunks_read`), so the DAG says what the queries read.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from nbaprops.catalogue import ENSEMBLE, MARKET_XGBOOST, SIMILARITY
from nbaprops.exporters.base import arrow_rows
from nbaprops.plan import Chunk
from nbaprops.seasons import SeasonCalendar

# How much of a table an ``export_dates`` job of a chunk reads (the as-of job reads every chunk).
CHUNK = "chunk"  # the chunk's own dates
HISTORY = "history"  # every chunk up to this one (game reports' head-to-head, the name book)


@dataclass(frozen=True)
class Read:
    table: str
    per_date: str | None  # what an export_dates job reads of it; None: only the as-of job reads it


READS: tuple[Read, ...] = (
    Read("nba_predictions.prediction_accuracy", CHUNK),
    Read("nba_predictions.player_prop_predictions", CHUNK),
    Read("nba_predictions.ml_feature_store_v2", CHUNK),
    Read("nba_predictions.system_daily_performance", None),
    Read("nba_precompute.player_composite_factors", CHUNK),
    Read("nba_precompute.team_defense_zone_analysis", CHUNK),
    Read("nba_analytics.player_game_summary", HISTORY),
    Read("nba_analytics.team_offense_game_summary", CHUNK),
    Read("nba_analytics.upcoming_player_game_context", None),
    Read("nba_analytics.upcoming_team_game_context", None),
    Read("nba_raw.nbac_schedule", HISTORY),
    Read("nba_raw.bettingpros_player_points_props", None),
    Read("nba_reference.nba_players_registry", HISTORY),
)
READ_TABLES: tuple[str, ...] = tuple(r.table for r in READS)


def chunks_read(plan: Sequence[Chunk], chunk: Chunk | None = None) -> list[tuple[str, Chunk]]:
    """(table, chunk) of everything the ``export_dates`` job of ``chunk`` reads, or with no
    ``chunk`` the ``export_as_of_end`` job (every chunk of every declared table)."""
    def reached(scope: str | None) -> list[Chunk]:
        if chunk is None:
            return list(plan)
        if scope == CHUNK:
            return [chunk]
        if scope == HISTORY:
            return [c for c in plan if c.start <= chunk.end]
        return []

    return [(r.table, c) for r in READS for c in reached(r.per_date)]


# The projection of prediction_accuracy every exporter reads its graded rows from.
GRADED_COLUMNS = (
    "game_date", "player_lookup", "system_id", "game_id", "team_abbr", "opponent_team_abbr", "predicted_points",
    "actual_points", "line_value", "line_source", "has_prop_line", "recommendation", "outcome", "is_dnp",
    "absolute_error", "signed_error", "actual_margin", "within_3_points", "within_5_points", "confidence_score",
    "minutes_played", "season_points_avg", "scoring_tier",
)
BOX_COLUMNS = ("game_date", "player_lookup", "player_full_name", "game_id", "season_year", "team_abbr",
               "opponent_team_abbr", "home_game",
               "points", "minutes_played", "fg_makes", "fg_attempts", "three_pt_makes", "three_pt_attempts",
               "ft_makes", "ft_attempts", "total_rebounds", "assists", "points_line", "over_under_result", "margin",
               "ts_pct", "usage_rate")
DAWN = dt.date(1900, 1, 1)  # "from the first game on"
# The players whose box-score history a read needs (the rest of the league is not read).
_GRADED_PLAYERS = """(select graded.player_lookup from nba_predictions.prediction_accuracy as graded
                     where graded.system_id = @system and graded.game_date between @start_date and @end_date
                       and not graded.is_dnp)"""
_SLATE_PLAYERS = """(select context.player_lookup from nba_analytics.upcoming_player_game_context as context
                    where context.game_date = @day)"""


@dataclass(frozen=True)
class ExportDays:
    """The dates a range exports (issue 12): ``predicted`` are the dates with ensemble predictions
    (scheduled and final: the slate and its history), ``final`` those of them whose games are all
    final in the raw schedule (config ``excluded_games`` apart), the only dates with results, live,
    live-grading objects and game reports."""

    predicted: tuple[dt.date, ...] = ()
    final: tuple[dt.date, ...] = ()

    def of(self, exporter) -> tuple[dt.date, ...]:
        """The dates ``exporter`` (a PerDateExporter) has objects for."""
        return self.final if exporter.needs_final else self.predicted

    @property
    def newest(self) -> dt.date | None:
        """Tonight's slate: the newest predicted date (what the as-of objects and today-aliases describe)."""
        return self.predicted[-1] if self.predicted else None

    @property
    def newest_final(self) -> dt.date | None:
        return self.final[-1] if self.final else None


class ExportReads:
    """What one export run reads, cached by its parameters. Results are plain dicts
    (:func:`nbaprops.exporters.base.arrow_rows`); callers must not modify the lists they get.
    ``excluded`` are config ``excluded_games`` (D6 ids): a date is final without them."""

    def __init__(self, wh, excluded: Iterable[str] = ()):
        self.wh = wh
        self.excluded = frozenset(excluded)
        self._cache: dict[tuple, object] = {}
        self._names: NameBook | None = None
        self._history: dt.date | None = None

    def read_history(self, through: dt.date) -> None:
        """Serve the history reads (box scores, ensemble grading, days of rest, the box scores'
        names) ending on or before ``through`` as slices of one read each since :data:`DAWN`.
        The as-of objects ask for six ranges of box scores (a season, 365 days, all history, the
        slate's players...), two of the grading and three of the context: each was a query of
        its own, and converting the same rows again cost most of the job's time."""
        self._history = through

    def _covered(self, first: dt.date, last: dt.date) -> bool:
        """Whether [first, last] is a proper part of the history read (:meth:`read_history`)."""
        return self._history is not None and last <= self._history and (first, last) != (DAWN, self._history)

    def _query(self, sql: str, params: Mapping[str, object]) -> list[dict]:
        return arrow_rows(self.wh.query_arrow(sql, dict(params)))

    def _cached(self, key: tuple, load):
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def memo(self, key: tuple, build):
        """What several exporters derive from the same reads (e.g. tonight's slate), built once a run."""
        return self._cached(("memo",) + key, build)

    # ------------------------------------------------------------------------- seasons and names
    def calendar(self, start: dt.date | None, end: dt.date) -> SeasonCalendar:
        return self._cached(("calendar", start, end), lambda: SeasonCalendar.load(self.wh, start, end))

    def season_of(self, day: dt.date) -> int:
        """The season of ``day``, from the schedule (nbaprops.seasons: not the month)."""
        return self.calendar(day, day).season_of(day)

    def season_start(self, day: dt.date) -> dt.date:
        """A date on or before every game of ``day``'s season and after the previous season's games."""
        return self.calendar(day, day).season_start(day)

    def names(self, through: dt.date) -> "NameBook":
        """The name book for dates up to ``through``: built once a run (a book through a later
        date names every earlier date the same way), rebuilt only for a later ``through``."""
        if self._names is None or self._names.through < through:
            self._names = NameBook(self, through)
        return self._names

    # ------------------------------------------------------------------------- which dates export
    def export_days(self, start: dt.date, end: dt.date) -> ExportDays:
        """The predicted and the final dates in [start, end] (:class:`ExportDays`)."""
        return self._cached(("days", start, end), lambda: self._export_days(start, end))

    def _export_days(self, start: dt.date, end: dt.date) -> ExportDays:
        from nbaprops.exporters.league import schedule

        found = self._query("""
            select distinct predicted.game_date from nba_predictions.player_prop_predictions as predicted
            where predicted.system_id = @system and predicted.game_date between @start_date and @end_date""",
                            {"system": ENSEMBLE, "start_date": start, "end_date": end})
        predicted = sorted(r["game_date"] for r in found)
        # The raw schedule is the one truth (issue 12): a date is final when every game it lists,
        # excluded games apart, has status 3 (a date whose one game was postponed and excluded has
        # nothing left to wait for). A date with one game still scheduled or in progress shows no
        # results yet, even if its other games are graded.
        states: dict[dt.date, set[str]] = {}
        for game in schedule(self, start, end):
            waiting = states.setdefault(game["game_date"], set())
            if not {game["game_id"], game["nba_game_id"]} & self.excluded:
                waiting.add(game["game_status"])
        final = [d for d in predicted if d in states and states[d] <= {"final"}]
        return ExportDays(tuple(predicted), tuple(final))

    # ------------------------------------------------------------------------- graded rows
    def graded(self, first: dt.date, last: dt.date, system: str | None = ENSEMBLE) -> list[dict]:
        """prediction_accuracy rows (:data:`GRADED_COLUMNS`) dated [first, last] of ``system``
        (None: every system), in no particular order."""
        cols = ", ".join(f"graded.{c}" for c in GRADED_COLUMNS)
        params: dict[str, object] = {"first_date": first, "last_date": last}
        if system is not None:
            params["system"] = system
        of_system = "" if system is None else "graded.system_id = @system and"

        def load() -> list[dict]:
            return self._query(f"""
                select {cols} from nba_predictions.prediction_accuracy as graded
                where {of_system} graded.game_date between @first_date and @last_date""", params)

        if system == ENSEMBLE and self._covered(first, last):
            full = self.graded(DAWN, self._history, system)
            load = lambda: [r for r in full if first <= r["game_date"] <= last]  # noqa: E731
        return self._cached(("graded", first, last, system), load)

    def newest_dates(self, end: dt.date) -> dict[str, dt.date | None]:
        """The newest date up to ``end`` of the feature store, the predictions and the grading."""
        newest = {}
        for name, table in (("features", "nba_predictions.ml_feature_store_v2"),
                            ("predicted", "nba_predictions.player_prop_predictions"),
                            ("graded", "nba_predictions.prediction_accuracy")):
            newest[name] = self._query(f"select max(t.game_date) as newest_date from {table} as t "
                                       f"where t.game_date <= @end_date", {"end_date": end})[0]["newest_date"]
        return newest

    def scorecards(self, through: dt.date) -> list[dict]:
        """Every system_daily_performance row up to ``through``."""
        return self._query("select * from nba_predictions.system_daily_performance where game_date <= @as_of",
                           {"as_of": through})

    # ------------------------------------------------------------------------- predictions and inputs
    def predictions(self, first: dt.date, last: dt.date) -> list[dict]:
        """Published ensemble predictions dated [first, last]. The ensemble row carries no pace
        term or similar-game count of its own: these are the similarity system's (the component
        that has both). ``market_*``: the player's market_xgboost_v1 row (issue 13), priced."""
        return self._cached(("predictions", first, last), lambda: self._query("""
            select ensemble.game_date, ensemble.player_lookup, ensemble.game_id, ensemble.team_abbr,
                ensemble.predicted_points, ensemble.confidence_score, ensemble.recommendation,
                ensemble.current_points_line, ensemble.line_margin, similarity.pace_adjustment,
                similarity.similar_games_count, market.predicted_points as market_points,
                market.recommendation as market_recommendation, market.p_over as market_p_over,
                market.p_under as market_p_under, market.ev_best as market_ev_best,
                market.bet_line as market_bet_line, market.bet_price_american as market_bet_price_american,
                market.bet_bookmaker as market_bet_bookmaker
            from nba_predictions.player_prop_predictions as ensemble
            left join nba_predictions.player_prop_predictions as similarity
                on similarity.game_date = ensemble.game_date and similarity.player_lookup = ensemble.player_lookup
                and similarity.system_id = @similarity
            left join nba_predictions.player_prop_predictions as market
                on market.game_date = ensemble.game_date and market.player_lookup = ensemble.player_lookup
                and market.system_id = @market
            where ensemble.system_id = @system and ensemble.game_date between @first_date and @last_date""",
            {"system": ENSEMBLE, "similarity": SIMILARITY, "market": MARKET_XGBOOST, "first_date": first,
             "last_date": last}))

    def market_picks(self, first: dt.date, last: dt.date) -> list[dict]:
        """market_xgboost_v1's OVER/UNDER picks dated [first, last] with their pricing (issue 13)
        and, once graded, the player's points (``is_dnp``: the bet is void)."""
        return self._cached(("market_picks", first, last), lambda: self._query("""
            select picks.game_date, picks.player_lookup, picks.game_id, picks.team_abbr, picks.opponent_team_abbr,
                picks.predicted_points, picks.current_points_line, picks.recommendation, picks.p_over, picks.p_under,
                picks.ev_best, picks.ev_consensus, picks.bet_line, picks.bet_price_american, picks.bet_bookmaker,
                picks.consensus_price_american, graded.actual_points, graded.is_dnp
            from nba_predictions.player_prop_predictions as picks
            left join nba_predictions.prediction_accuracy as graded
                on graded.game_date = picks.game_date and graded.player_lookup = picks.player_lookup
                and graded.system_id = picks.system_id
            where picks.system_id = @system and picks.game_date between @first_date and @last_date
                and picks.recommendation in ('OVER', 'UNDER')""",
            {"system": MARKET_XGBOOST, "first_date": first, "last_date": last}))

    def features(self, first: dt.date, last: dt.date) -> dict[tuple[dt.date, str], dict]:
        """Feature-store rows dated [first, last] by (game_date, player_lookup)."""
        return self._cached(("features", first, last), lambda: {(f["game_date"], f["player_lookup"]): f for f in
                                                                 self._query("""
            select features.game_date, features.player_lookup, features.points_avg_last_5,
                features.points_avg_last_10, features.points_avg_season, features.is_home, features.days_rest,
                features.back_to_back
            from nba_predictions.ml_feature_store_v2 as features
            where features.game_date between @first_date and @last_date""", {"first_date": first, "last_date": last})})

    def fatigue(self, first: dt.date, last: dt.date) -> dict[tuple[dt.date, str], dict]:
        """Composite-factor fatigue rows dated [first, last] by (game_date, player_lookup)."""
        return self._cached(("fatigue", first, last), lambda: {(f["game_date"], f["player_lookup"]): f for f in
                                                                self._query("""
            select factors.game_date, factors.player_lookup, factors.fatigue_score, factors.fatigue_context_json
            from nba_precompute.player_composite_factors as factors
            where factors.game_date between @first_date and @last_date""", {"first_date": first, "last_date": last})})

    def zone_defense(self, first: dt.date, last: dt.date) -> list[dict]:
        """team_defense_zone_analysis rows dated [first, last] (pre-game on their date)."""
        return self._cached(("zones", first, last), lambda: self._query("""
            select zones.analysis_date, zones.team_abbr, zones.defensive_rating_last_15, zones.opponent_pace,
                zones.paint_pct_allowed_last_15, zones.three_pt_pct_allowed_last_15,
                zones.paint_defense_vs_league_avg, zones.three_pt_defense_vs_league_avg, zones.games_in_sample
            from nba_precompute.team_defense_zone_analysis as zones
            where zones.analysis_date between @first_date and @last_date""", {"first_date": first, "last_date": last}))

    def player_context(self, first: dt.date, last: dt.date) -> list[dict]:
        """upcoming_player_game_context rows dated [first, last]."""
        return self._cached(("context", first, last), lambda: self._query("""
            select context.game_date, context.player_lookup, context.team_abbr, context.opponent_team_abbr,
                context.game_id, context.home_game, context.player_status, context.injury_report,
                context.has_prop_line, context.current_points_line, context.days_rest, context.back_to_back
            from nba_analytics.upcoming_player_game_context as context
            where context.game_date between @first_date and @last_date""", {"first_date": first, "last_date": last}))

    def rest_days(self, first: dt.date, last: dt.date) -> dict[tuple[dt.date, str], int | None]:
        """The upcoming context's pre-game ``days_rest`` dated [first, last] by (game_date, player_lookup)."""
        if self._covered(first, last):
            full = self.rest_days(DAWN, self._history)
            return self._cached(("rest", first, last), lambda: {k: v for k, v in full.items() if first <= k[0] <= last})
        return self._cached(("rest", first, last), lambda: {(r["game_date"], r["player_lookup"]): r["days_rest"] for r in
                                                             self._query("""
            select context.game_date, context.player_lookup, context.days_rest
            from nba_analytics.upcoming_player_game_context as context
            where context.game_date between @first_date and @last_date""", {"first_date": first, "last_date": last})})

    def team_games(self, first: dt.date, last: dt.date) -> list[dict]:
        """Each team's games dated [first, last]: pace, home flag, result and back-to-back flag."""
        return self._query("""
            select offense.team_abbr, offense.game_date, offense.pace, offense.home_game, offense.win_flag,
                offense.margin_of_victory, context.team_back_to_back
            from nba_analytics.team_offense_game_summary as offense
            left join nba_analytics.upcoming_team_game_context as context
                on context.game_date = offense.game_date and context.team_abbr = offense.team_abbr
            where offense.game_date between @first_date and @through""", {"first_date": first, "through": last})

    def odds(self, day: dt.date) -> list[dict]:
        """Bookmakers' priced points props of ``day``."""
        return self._query("""
            select props.player_lookup, props.points_line, props.bet_side, props.odds_american
            from nba_raw.bettingpros_player_points_props as props
            where props.game_date = @day and props.odds_american is not null""", {"day": day})

    # ------------------------------------------------------------------------- schedule and box scores
    def schedule(self, start: dt.date, end: dt.date) -> list[dict]:
        """Raw schedule rows dated [start, end] with the home team's overtimes (see league.schedule)."""
        return self._cached(("schedule", start, end), lambda: self._query("""
            select schedule.game_date, schedule.game_id as nba_game_id, schedule.home_team_tricode,
                schedule.away_team_tricode, schedule.game_date_est, schedule.game_status,
                schedule.home_team_score, schedule.away_team_score, offense.overtime_periods
            from nba_raw.nbac_schedule as schedule
            left join nba_analytics.team_offense_game_summary as offense
                on offense.game_date = schedule.game_date and offense.team_abbr = schedule.home_team_tricode
            where schedule.game_date between @start_date and @end_date""", {"start_date": start, "end_date": end}))

    def box_scores(self, first: dt.date, last: dt.date) -> list[dict]:
        """player_game_summary rows (:data:`BOX_COLUMNS`) dated [first, last], by player and date."""
        if self._covered(first, last):
            full = self.box_scores(DAWN, self._history)  # sorted by player and date: so is a slice
            return self._cached(("box", first, last), lambda: [r for r in full if first <= r["game_date"] <= last])
        return self._cached(("box", first, last), lambda: self._box(first, last, "", {}))

    def graded_players_box_scores(self, start: dt.date, end: dt.date) -> list[dict]:
        """Every box score up to ``end`` of the players who played a graded ensemble prediction
        dated [start, end] (their game reports' history)."""
        return self._box(DAWN, end, f"and box.player_lookup in {_GRADED_PLAYERS}",
                         {"start_date": start, "end_date": end, "system": ENSEMBLE})

    def slate_box_scores(self, day: dt.date) -> list[dict]:
        """Every box score before ``day`` of the players in ``day``'s upcoming context."""
        if self._covered(DAWN, day - dt.timedelta(days=1)):
            players = {p["player_lookup"] for p in self.player_context(day, day)}
            return [r for r in self.box_scores(DAWN, day - dt.timedelta(days=1)) if r["player_lookup"] in players]
        return self._box(DAWN, day - dt.timedelta(days=1), f"and box.player_lookup in {_SLATE_PLAYERS}", {"day": day})

    def _box(self, first: dt.date, last: dt.date, players: str, params: dict) -> list[dict]:
        cols = ", ".join(f"box.{c}" for c in BOX_COLUMNS)
        found = self._query(f"""
            select {cols} from nba_analytics.player_game_summary as box
            where box.game_date between @first_date and @last_date {players}""",
                            {"first_date": first, "last_date": last, **params})
        return sorted(found, key=lambda r: (r["player_lookup"], r["game_date"]))

    def registry_names(self, season: int) -> list[dict]:
        return self._query("""
            select registry.player_lookup, registry.season_year, registry.player_name
            from nba_reference.nba_players_registry as registry
            where registry.player_name is not null and registry.season_year <= @season""", {"season": season})

    def box_names(self, through: dt.date) -> list[dict]:
        if self._history is not None and through <= self._history:
            return [{"player_lookup": r["player_lookup"], "game_date": r["game_date"],
                     "player_full_name": r["player_full_name"]} for r in self.box_scores(DAWN, through)
                    if r["player_full_name"] is not None]
        return self._query("""
            select box.player_lookup, box.game_date, box.player_full_name
            from nba_analytics.player_game_summary as box
            where box.player_full_name is not null and box.game_date <= @through""", {"through": through})


class NameBook:
    """Display names: the registry's ``player_name`` of the latest season up to the date's season
    (the original's REG rule), else the name of the player's latest box score up to the date."""

    def __init__(self, reads: ExportReads, through: dt.date):
        self.through = through
        self._seasons = reads.calendar(None, through)
        self._registry: dict[str, list[tuple[int, str]]] = {}
        for rec in reads.registry_names(self._seasons.season_of(through)):
            self._registry.setdefault(rec["player_lookup"], []).append((rec["season_year"], rec["player_name"]))
        for seasons in self._registry.values():
            seasons.sort()
        self._box: dict[str, list[tuple[dt.date, str]]] = {}
        for rec in reads.box_names(through):
            self._box.setdefault(rec["player_lookup"], []).append((rec["game_date"], rec["player_full_name"]))
        for games in self._box.values():
            games.sort()

    def name(self, player_lookup: str, day: dt.date) -> str | None:
        seasons = self._registry.get(player_lookup)
        if seasons:
            i = bisect.bisect_right(seasons, (self._seasons.season_of(day), "\uffff"))
            if i:
                return seasons[i - 1][1]
        games = self._box.get(player_lookup)
        if games:
            i = bisect.bisect_right(games, (day, "\uffff"))
            if i:
                return games[i - 1][1]
        return None
