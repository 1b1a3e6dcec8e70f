# Phase 4 precompute: one rule per table, one job per table x chunk, after the Phase 3 gate.
# (A day chunk's tables of the phase are one job: rules/bundles.smk.)
# The strict groups of the original (G1 zone tables -> G2 composite factors -> G3 daily cache ->
# G4 feature store) are DAG edges from the contracts' `reads`, per chunk.

for precompute_table in PHASE_TABLES[4]:

    rule:
        name:
            rule_name(precompute_table)
        input:
            get_table_inputs(precompute_table),
        output:
            marker=job_files(precompute_table)["marker"],
        log:
            job_files(precompute_table)["log"],
        benchmark:
            job_files(precompute_table)["benchmark"]
        resources:
            **{f"writes_{rule_name(precompute_table)}": 1},
        params:
            table=precompute_table,
            raw_version=get_raw_version(precompute_table),
            phase=PHASE_NAMES[4],
        script:
            "../scripts/build_table.py"
