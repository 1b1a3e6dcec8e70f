# The HTML report of the configured range (nbaprops/report/html.py): coverage heatmap, timings,
# accuracy charts, gates, failed jobs and links to the exports, in one self-contained file.
# It runs last, after every gate and the accuracy report, so it shows the finished state.
# Include this file after the others: Phase 6's gate is an input once publishing.smk defines it.


rule report_html:
    input:
        gates=[gate_marker(p) for p in PHASE_TABLES]
        + ([gate_marker(6)] if rules.has("phase6_gate") else []),
        accuracy=rules.accuracy_report.output.json,
    output:
        html="reports/index.html",
    log:
        f"{LOGS}/reports/index.log",
    script:
        "../scripts/report_html.py"
