# Phase 6: the website's JSON objects (nbaprops/exporters) under v1/ of the configured object
# store (storage: local folder or GCS bucket), after the Phase 5 gate.
#   export_dates      one job per chunk: results, best-bets, predictions, live, live-grading and
#                     the players' game reports of the chunk's graded dates
#   export_as_of_end  one job after every chunk: latest/today aliases (copies of the newest graded
#                     date's objects) and the as-of objects (performance, tonight, streaks, trends,
#                     player profiles and seasons, status)
#   phase6_gate       verify_phase6: one results object per graded date, every object valid,
#                     aliases on the newest date
# The Phase 5 gate is an ancient() input (ordering only); the Phase 5 chunk markers a job reads
# (nbaprops/exporters/workflow.py) make a re-graded chunk re-export exactly what shows it.
from nbaprops.exporters import workflow as export_plan

EXPORT_DATES_MARKERS = {c.id: f"{MARKERS}/exports/dates/{c.id}.json" for c in CHUNKS}
EXPORT_AS_OF_MARKER = f"{MARKERS}/exports/as_of_end.json"
get_export_dates_inputs = export_plan.export_dates_inputs(
    CHUNKS, chunk_marker, [ancient(gate_marker(5))]
)


rule export_dates:
    input:
        get_export_dates_inputs,
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
        [chunk_marker(t, c) for t, c in export_plan.export_as_of_reads(CHUNKS)],
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
