# Shared helpers: the chunk plan, marker paths and input functions. No rules here.
import datetime as dt

from nbaprops import plan as chunk_plan
from nbaprops.contracts import load_contract
from nbaprops.gates import PHASE_TABLES
from nbaprops.raw import tables_for_source
from nbaprops.seasons import season_year

MARKERS = config["paths"]["markers"]
LOGS = config["paths"]["logs"]
CHUNKS = chunk_plan.chunks(config)
CHUNK_BY_ID = {c.id: c for c in CHUNKS}
RAW_TABLES = tables_for_source(config["raw"]["source"])
# The raw stage loads whole seasons, so it re-runs only when the set of seasons changes.
RAW_SEASONS = sorted({c.season for c in CHUNKS})


wildcard_constraints:
    chunk=r"\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}",


def table_path(root, table):
    dataset, name = table.split(".")
    return f"{root}/{dataset}/{name}"


def raw_marker(table):
    return f"{table_path(MARKERS, table)}/raw.json"


def chunk_marker(table, chunk_id):
    return f"{table_path(MARKERS, table)}/{chunk_id}.json"


def chunk_markers(table):
    return [chunk_marker(table, c.id) for c in CHUNKS]


def get_table_inputs(table):
    """Input function factory: the markers of exactly the data a table's chunk reads.

    A raw read depends on the raw table's marker; a read of another built table depends on the
    chunks covering [chunk start - lookback, chunk end]; a table's read of its own history
    depends on its earlier chunks only. Re-running one upstream chunk therefore re-runs just
    the chunks that read it.
    """
    contract = load_contract(table)

    def get_inputs(wildcards):
        chunk = CHUNK_BY_ID[wildcards.chunk]
        inputs = []
        for read in contract.reads:
            if read.table in RAW_TABLES:
                inputs.append(raw_marker(read.table))
                continue
            first = chunk.start - dt.timedelta(days=read.lookback_days)
            last = chunk.start - dt.timedelta(days=1) if read.table == table else chunk.end
            inputs += [chunk_marker(read.table, c.id) for c in chunk_plan.overlapping(CHUNKS, first, last)]
        return sorted(set(inputs))

    return get_inputs
