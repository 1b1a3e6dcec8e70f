# Phase 6: the website's JSON objects (nbaprops/exporters) under v1/ of the configured object
# store (storage: local folder or GCS bucket), after the Phase 5 gate.
#   export_dates      one job per chunk: predictions and best-bets of the chunk's predicted dates
#                     (tonight's slate before tip-off too); results, live, live-grading and the
#                     players' game reports of its final dates (raw schedule: every game status 3);
#                     then it deletes every other per-date object dated in the chunk, so a date's
#                     objects are replaced, none stale, when it goes final (its chunk's Phase 3-5
#                     markers change, so the job re-runs)
#   export_as_of_end  one job after every chunk: latest/today aliases (copies of each family's
#                     newest dated object) and the as-of objects of tonight's slate, the newest
#                     predicted date (performance, tonight, streaks, trends, player profiles and
#                     seasons, status)
#   phase6_gate       verify_phase6: exactly one object per predicted date (predictions, best-bets)
#                     or final date (results, live, live-grading), every object holding the bytes
#                     an export marker recorded (the job validated them before writing) or valid,
#                     aliases on each family's newest date
# `nbaprops export --date D` (the original's daily_export.py) writes the same objects outside the
# workflow and records them in markers/exports/daily/D.json, which the gate reads too.
# The Phase 5 gate is an ancient() input (ordering only). Beyond it, each job's inputs are the
# markers of what its queries read, derived from the read layer's declaration
# (nbaprops/exporters/reads.py READS): the chunk markers of the phase tables, and for raw and
# reference tables the raw markers of the seasons read (ordering only, as for every job reading
# raw rows), so a rebuilt chunk re-exports exactly what shows it.
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
