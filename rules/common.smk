# Shared helpers: the chunk plan, marker paths and input functions. No rules here.
import datetime as dt
import re
import sys
from types import SimpleNamespace

from nbaprops import plan as chunk_plan
from nbaprops.contracts import load_contract
from nbaprops.exporters.reads import chunks_read
from nbaprops.markers import raw_marker_path
from nbaprops.catalogue import (
    CHUNK_ID_PATTERN,
    DAY_BUNDLE_RULES,
    ENSEMBLE,
    MARKET_XGBOOST,
    PHASE_NAMES,
    PHASE_OF_TABLE,
    PHASE_TABLES,
)
from nbaprops.predictions import windows as model_windows
from nbaprops.raw import tables_for_source
from nbaprops.raw.versions import raw_versions

MARKERS = config["paths"]["markers"]
LOGS = config["paths"]["logs"]
# Every date with games in range, final or scheduled (both are work: issue 12), and its state.
GAME_DAYS = chunk_plan.game_days(config)
DATE_STATES = {day: g.state for day, g in GAME_DAYS.items()}
CHUNKS = chunk_plan.chunks(config, GAME_DAYS)
OVERDUE = chunk_plan.overdue_finding(DATE_STATES, chunk_plan.league_today(config))
if OVERDUE:
    print(f"WARNING: {OVERDUE.message}", file=sys.stderr)
# A range starting mid-season: Phase 4 reads each date's season to date, so the Phase 3 tables
# read are built on the season's dates before start_date too (plan.history_chunks says why): a
# read of a Phase 3 table depends on its history chunks; nothing else runs on them.
HISTORY_CHUNKS = chunk_plan.history_chunks(config, GAME_DAYS)
CHUNK_BY_ID = {c.id: c for c in HISTORY_CHUNKS + CHUNKS}
RAW_TABLES = tables_for_source(config["raw"]["source"])
# One raw job per season. What the source holds now is versioned per table and date (D11,
# nbaprops/raw/versions.py): a season's job re-runs when its version changes, and a job reading
# raw tables re-runs when the version of the dates it reads changes.
RAW_SEASONS = sorted({c.season for c in CHUNKS})
RAW_VERSIONS = raw_versions(
    config, RAW_TABLES, cache_path=f"{MARKERS}/raw/.digests.json"
)


wildcard_constraints:
    chunk=CHUNK_ID_PATTERN,
    window=r"\d{4}-\d{2}",
    season=r"\d{4}",


def table_path(root, table):
    dataset, name = table.split(".")
    return f"{root}/{dataset}/{name}"


def rule_name(table):
    return table.split(".")[1]


def raw_marker(season):
    return str(raw_marker_path(MARKERS, season))


def raw_loaded(season):
    """The season's raw marker as an ordering-only input. The raw stage is a checkpoint with
    these ancient() edges: while a season re-loads, the jobs after it are left unjudged, and once
    it finished Snakemake re-evaluates each of them on its own raw_version and outputs. (With a
    plain rule, the season to re-load would hide new chunks until the next invocation; with
    non-ancient edges, every chunk of the season would re-run.)"""
    return ancient(raw_marker(season))


def season_spans():
    """Each loaded season's span of dates: from the day after the previous season's last planned
    date to the day before the next season's first (open-ended at both ends), so a season that
    opens in December or ends in October is still one span."""
    firsts = {s: min(c.start for c in CHUNKS if c.season == s) for s in RAW_SEASONS}
    lasts = {s: max(c.end for c in CHUNKS if c.season == s) for s in RAW_SEASONS}
    day = dt.timedelta(days=1)
    spans = {}
    for i, season in enumerate(RAW_SEASONS):
        lo = lasts[RAW_SEASONS[i - 1]] + day if i else dt.date(1900, 1, 1)
        hi = (
            firsts[RAW_SEASONS[i + 1]] - day
            if i + 1 < len(RAW_SEASONS)
            else dt.date(2999, 12, 31)
        )
        spans[season] = (lo, hi)
    return spans


RAW_SEASON_SPANS = season_spans()


def raw_seasons_overlapping(first, last):
    """Loaded seasons holding any date in [first, last]."""
    return [s for s, (lo, hi) in RAW_SEASON_SPANS.items() if lo <= last and first <= hi]


def get_raw_season_version(wildcards):
    season = int(wildcards.season)
    return RAW_VERSIONS.season(season, *RAW_SEASON_SPANS[season])


def chunk_marker(table, chunk_id):
    return f"{table_path(MARKERS, table)}/{chunk_id}.json"


def chunk_markers(table):
    return [chunk_marker(table, c.id) for c in CHUNKS]


def gate_marker(phase):
    return f"{MARKERS}/gates/phase{phase}.json"


def job_files(table, chunk="{chunk}"):
    """Output marker, log and benchmark patterns of a table's chunk jobs (``chunk``: the pattern
    of the chunk id; a day bundle's is ``{day}_{day}``)."""
    return {
        "marker": f"{table_path(MARKERS, table)}/{chunk}.json",
        "log": f"{table_path(LOGS, table)}/{chunk}.log",
        "benchmark": f"{table_path('benchmarks', table)}/{chunk}.tsv",
    }


def history_window(read, table, chunk):
    """Dates of ``read.table`` that ``table``'s chunk reads: its own dates plus history."""
    if read.season_to_date:
        first = dt.date(chunk.season, 7, 1)
    else:
        first = chunk.start - dt.timedelta(days=read.lookback_days)
    # A table reading its own history reads only dates before the chunk.
    last = chunk.start - dt.timedelta(days=1) if read.table == table else chunk.end
    return first, last


def get_table_inputs(table):
    """Input function factory: the markers of exactly the data a table's chunk reads.

    A raw read depends on the raw table's marker; a read of another built table on the chunks
    covering the history window it reads. Re-running one upstream chunk therefore re-runs just
    the chunks that read it. From Phase 4 on, the previous phase's gate is an ancient() input:
    it orders the phases without making every chunk depend on every upstream chunk.
    """
    contract = load_contract(table)
    phase = PHASE_OF_TABLE[table]

    def get_inputs(wildcards):
        chunk = CHUNK_BY_ID[wildcards.chunk]
        inputs = []
        for read in contract.reads:
            first, last = history_window(read, table, chunk)
            if read.table in RAW_TABLES:
                # Ordering only: whether the rows read changed is the raw_version param's job.
                inputs += [raw_loaded(s) for s in raw_seasons_overlapping(first, last)]
                continue
            built = (
                HISTORY_CHUNKS + CHUNKS
                if PHASE_OF_TABLE.get(read.table) == 3
                else CHUNKS
            )
            inputs += [
                chunk_marker(read.table, c.id)
                for c in chunk_plan.overlapping(built, first, last)
            ]
        gate = [ancient(gate_marker(phase - 1))] if phase > 3 else []
        return gate + sorted(set(inputs))

    return get_inputs


def get_raw_version(table):
    """Params function factory: the version of the raw rows a table's chunk reads."""
    raw_reads = [r for r in load_contract(table).reads if r.table in RAW_TABLES]

    def get_version(wildcards):
        chunk = CHUNK_BY_ID[wildcards.chunk]
        return RAW_VERSIONS.window(
            (r.table, *history_window(r, table, chunk)) for r in raw_reads
        )

    return get_version


def get_chunk_raw_versions():
    """Each chunk's raw version (chunk id -> version of the raw rows of its dates)."""
    return {
        c.id: RAW_VERSIONS.window((t, c.start, c.end) for t in RAW_TABLES)
        for c in CHUNKS
    }


def get_range_raw_version():
    """Version of every raw row in the configured range: a gate re-checks when it changes."""
    if not CHUNKS:
        return "no-dates"
    return RAW_VERSIONS.window((t, CHUNKS[0].start, CHUNKS[-1].end) for t in RAW_TABLES)


# Phase 5A: walk-forward XGBoost and ensemble weights, one artifact set per calendar month
# (rules/predictions.smk says why).
PREDICTIONS_TABLE = "nba_predictions.player_prop_predictions_base"
MODEL_DIR = f"{config['paths']['models']}/{model_windows.MODEL_NAME}"
ENSEMBLE_DIR = f"{config['paths']['models']}/{ENSEMBLE}"
MARKET_DIR = f"{config['paths']['models']}/{MARKET_XGBOOST}"
# Every month holding a chunk date (bootstrap-only months get cheap "insufficient" artifacts).
MODEL_WINDOWS = model_windows.windows_for_dates(d for c in CHUNKS for d in c.dates)
# What a month's training reads: XGBoost learns from the feature store joined with the box
# scores; the ensemble's slice runs the base systems as the builder does, which also reads the
# pre-game context (who is listed out, the line); the market model reads the bets on offer.
TRAINING_TABLES = (
    "nba_predictions.ml_feature_store_v2",
    "nba_analytics.player_game_summary",
    "nba_analytics.upcoming_player_game_context",
    "nba_staging.player_prop_lines",
)


def model_file(window):
    return f"{MODEL_DIR}/{window}.json"


def ensemble_file(window):
    return f"{ENSEMBLE_DIR}/{window}.json"


def market_file(window):
    return f"{MARKET_DIR}/{window}.json"


def market_calibration_file(window):
    return f"{MARKET_DIR}/{window}.calibration.json"


def get_training_inputs(wildcards):
    """The Phase 4 gate (ordering) and the chunks of the training tables holding any date
    before the window: exactly the data its model and ensemble weights may see."""
    before = model_windows.chunks_before(CHUNKS, wildcards.window)
    return [ancient(gate_marker(4))] + [
        chunk_marker(t, c.id) for t in TRAINING_TABLES for c in before
    ]


def get_models_for_chunk(wildcards):
    """The models of the months a prediction chunk spans (a weekly chunk may span two)."""
    chunk = CHUNK_BY_ID[wildcards.chunk]
    return [model_file(w) for w in model_windows.windows_for_dates(chunk.dates)]


def get_ensembles_for_chunk(wildcards):
    """The ensemble weights of the months a prediction chunk spans."""
    chunk = CHUNK_BY_ID[wildcards.chunk]
    return [ensemble_file(w) for w in model_windows.windows_for_dates(chunk.dates)]


def get_market_models_for_chunk(wildcards):
    """The market models of the months a prediction chunk spans."""
    chunk = CHUNK_BY_ID[wildcards.chunk]
    return [market_file(w) for w in model_windows.windows_for_dates(chunk.dates)]


def get_market_calibrations_for_chunk(wildcards):
    """Their calibrations (read beside each model: ``YYYY-MM.calibration.json``)."""
    chunk = CHUNK_BY_ID[wildcards.chunk]
    return [
        market_calibration_file(w) for w in model_windows.windows_for_dates(chunk.dates)
    ]


# Named inputs of a table's chunk job besides the markers it reads: the files its builder is
# called with (nbaprops.jobs.build_rows), here the months' models of the predictions.
TABLE_NAMED_INPUTS = {
    PREDICTIONS_TABLE: {
        "models": get_models_for_chunk,
        "ensembles": get_ensembles_for_chunk,
        "market_models": get_market_models_for_chunk,
        "market_calibrations": get_market_calibrations_for_chunk,
    },
}


# Day bundles (rules/bundles.smk): one job builds a phase's tables for one day chunk. The bundle
# matches only the plan's day chunks (not a range's history chunks, where only the Phase 3 tables
# read are built): its {day} wildcard is one of their dates.
DAY_CHUNK_DATES = [c.start.isoformat() for c in CHUNKS if c.start == c.end]
# (?!) matches nothing: a plan without day chunks has no bundle jobs.
DAY_PATTERN = "|".join(re.escape(d) for d in DAY_CHUNK_DATES) or r"(?!)"
# A repeated wildcard matches the same text: the chunk ids whose first date == last date.
DAY_CHUNK = "{day}_{day}"


def day_chunk(wildcards):
    """A bundle job's wildcards as its tables' chunk jobs see them, for their input functions."""
    return SimpleNamespace(chunk=f"{wildcards.day}_{wildcards.day}")


def get_bundle_inputs(phase):
    """Input function factory: the union of the phase's tables' inputs for the day, minus the
    bundle's own outputs (a table reading an earlier table of the same day reads it in-job).
    """
    members = PHASE_TABLES[phase]
    table_inputs = [get_table_inputs(t) for t in members]

    def get_inputs(wildcards):
        chunk = day_chunk(wildcards)
        own = {chunk_marker(t, chunk.chunk) for t in members}
        inputs = {}  # the first occurrence of a path keeps its ancient() flag
        for get in table_inputs:
            for path in get(chunk):
                if path not in own:
                    inputs.setdefault(path, path)
        return sorted(inputs.values())

    return get_inputs


def bundle_named_inputs(phase):
    """The named inputs of the phase's tables (TABLE_NAMED_INPUTS), as the bundle's."""
    return {
        name: (lambda wildcards, get=get: get(day_chunk(wildcards)))
        for t in PHASE_TABLES[phase]
        for name, get in TABLE_NAMED_INPUTS.get(t, {}).items()
    }


def get_bundle_raw_versions(phase):
    """Params function factory: each of the phase's tables' raw version for the day."""
    versions = {t: get_raw_version(t) for t in PHASE_TABLES[phase]}
    return lambda wildcards: {
        t: get(day_chunk(wildcards)) for t, get in versions.items()
    }


# Phase 6 (rules/publishing.smk): each export job's inputs are the markers of what its queries
# read, from the read layer's declaration (nbaprops/exporters/reads.py READS).
EXPORT_DATES_MARKERS = {c.id: f"{MARKERS}/exports/dates/{c.id}.json" for c in CHUNKS}
EXPORT_AS_OF_MARKER = f"{MARKERS}/exports/as_of_end.json"


def export_read_markers(chunk=None):
    """The markers of everything the export job of ``chunk`` (None: the as-of job) reads."""
    markers = {}
    for table, read in chunks_read(CHUNKS, chunk):
        if table in PHASE_OF_TABLE:
            markers[chunk_marker(table, read.id)] = None
        else:
            markers[raw_loaded(read.season)] = None
    return list(markers)


EXPORT_DATES_INPUTS = {
    c.id: [ancient(gate_marker(5))] + export_read_markers(c) for c in CHUNKS
}
