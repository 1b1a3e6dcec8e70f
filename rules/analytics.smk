# Phase 3 analytics: one rule per table, one job per table x chunk. Rule order follows the
# tables' reads (team offense before player summary before upcoming player context).

for analytics_table in PHASE_TABLES[3]:
    _dataset, _name = analytics_table.split(".")

    rule:
        name:
            _name
        input:
            get_table_inputs(analytics_table),
        output:
            marker=f"{MARKERS}/{_dataset}/{_name}/{{chunk}}.json",
        params:
            table=analytics_table,
            phase="phase_3_analytics",
        log:
            f"{LOGS}/{_dataset}/{_name}/{{chunk}}.log",
        benchmark:
            f"benchmarks/{_dataset}/{_name}/{{chunk}}.tsv"
        resources:
            **{f"writes_{_name}": 1},
        script:
            "../scripts/build_table.py"
