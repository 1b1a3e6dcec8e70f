# Phase 6: the website's JSON objects (nbaprops/exporters) under v1/ of the configured object
# store (storage: local folder or GCS bucket), after the Phase 5 gate.
#   export_dates      one job per chunk: results, best-bets, predictions, live, live-grading and
#                     the players' game reports of the chunk's graded dates
#   export_as_of_end  one job after every chunk: latest/today aliases (copies of the newest graded
#                     date's objects) and the as-of objects (performance, tonight, streaks, trends,
#                     player profiles and seasons, status)
#   phase6_gate       verify_phase6: one results object per graded date, every object valid,
#                     aliases on the newest date
# The Phase 5 gate is an ancient() input (ordering only). Beyond it, each job's inputs are the
# markers of what its queries read, derived from the read layer's declaration
# (nbaprops/exporters/reads.py READS): the chunk markers of the phase tables, and for raw and
# reference tables the raw markers of the seasons read (ordering only, as for every job reading
# raw rows), so a rebuilt chunk re-exports exactly what shows it.
from nbaprops.exporters.reads import chunks_read

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


EXPORT_DATES_INPUTS = {c.id: [ancient(gate_marker(5))] + export_read_markers(c) for c in CHUNKS}


rule export_dates:
    input:
        lambda wildcards: EXPORT_DATES_INPUTS[wildcards.chunk],
    output:
        marker=f"{MARKERS}/exports/dates/{{chunk}}.json",
    log:
        f"{LOGS}/exports/dates/{{chunk}}.log",
    benchmark:
        "benchmarks/exports/dates/{chunk}.tsv"
    script:
        "../scripts/export_dates.py"


rule export_as_of_end:
    input:
        ancient(gate_marker(5)),
        EXPORT_DATES_MARKERS.values(),
        export_read_markers(),
    output:
        marker=EXPORT_AS_OF_MARKER,
    log:
        f"{LOGS}/exports/as_of_end.log",
    benchmark:
        "benchmarks/exports/as_of_end.tsv"
    script:
        "../scripts/export_as_of_end.py"


rule phase6_gate:
    input:
        dates=EXPORT_DATES_MARKERS.values(),
        as_of=EXPORT_AS_OF_MARKER,
    output:
        gate_marker(6),
    log:
        f"{LOGS}/gates/phase6.log",
    script:
        "../scripts/phase6_gate.py"
