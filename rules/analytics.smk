# Phase 3 analytics: one rule per table, one job per table x chunk (a day chunk's tables of the
# phase are one job: rules/bundles.smk). The DAG edges come from each table's contract `reads`:
# the nba_staging tables (season calendar, merged player box scores, play-by-play shots, consensus
# prop lines: logic several tables share, built once per chunk) first, then team offense before
# player summary before upcoming player context.

for analytics_table in PHASE_TABLES[3]:

    rule:
        name:
            rule_name(analytics_table)
        input:
            get_table_inputs(analytics_table),
        output:
            marker=job_files(analytics_table)["marker"],
        log:
            job_files(analytics_table)["log"],
        benchmark:
            job_files(analytics_table)["benchmark"]
        resources:
            **{f"writes_{rule_name(analytics_table)}": 1},
        params:
            table=analytics_table,
            raw_version=get_raw_version(analytics_table),
            phase=PHASE_NAMES[3],
        script:
            "../scripts/build_table.py"
