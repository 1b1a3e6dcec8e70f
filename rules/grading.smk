# Phase 5B grading and 5C scoring-tier feedback: one rule per table, one job per table x chunk.
# (A day chunk's tables of the phase are one job: rules/bundles.smk.)
# The DAG edges come from the contracts' `reads`, and none closes a cycle:
#   player_prop_predictions_base(C) -> prediction_accuracy(C) -> system_daily_performance(C)
#   prediction_accuracy(chunks of C's season up to C) -> prediction_performance_summary(C)
#   player_prop_predictions_base(C) + prediction_accuracy(chunks within [C - 30 days, C])
#     -> scoring_tier_adjustments(C)
#   player_prop_predictions_base(C) + prediction_accuracy(C) + scoring_tier_adjustments(C)
#     -> ensemble_tier_applied(C)
#   player_prop_predictions_base(C) + ensemble_tier_applied(C) -> player_prop_predictions(C)
# The adjustment of date D reads grading of D-30..D-1 only (D10), and the base predictions never
# read any of these tables, so 5A of every chunk runs in parallel. Grading covers final games only
# (issue 12); 5C and the published predictions cover every predicted date, scheduled ones too.

GRADING_TABLES = (
    "nba_predictions.prediction_accuracy",
    "nba_predictions.system_daily_performance",
    "nba_predictions.prediction_performance_summary",
    "nba_predictions.scoring_tier_adjustments",
    "nba_predictions.ensemble_tier_applied",
    "nba_predictions.player_prop_predictions",  # the published predictions: base + tier columns
)


for grading_table in GRADING_TABLES:

    rule:
        name:
            rule_name(grading_table)
        input:
            get_table_inputs(grading_table),
        output:
            marker=job_files(grading_table)["marker"],
        log:
            job_files(grading_table)["log"],
        benchmark:
            job_files(grading_table)["benchmark"]
        resources:
            **{f"writes_{rule_name(grading_table)}": 1},
        params:
            table=grading_table,
            raw_version=get_raw_version(grading_table),
            phase=PHASE_NAMES[5],
        script:
            "../scripts/build_table.py"


# The accuracy report of the configured range, once Phase 5 passed its gate. A script, not a
# run: block: Snakemake runs a run: block in a fresh Snakemake process that parses the whole
# workflow again (seconds), a script in a plain Python process.
rule accuracy_report:
    input:
        gate=gate_marker(5),
    output:
        json="reports/accuracy.json",
        markdown="reports/accuracy.md",
    log:
        f"{LOGS}/reports/accuracy.log",
    script:
        "../scripts/accuracy_report.py"
