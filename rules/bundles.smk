# Day bundles: for a day chunk (first date == last date: every chunk under chunk: day, end_date's
# month under chunk: auto), ONE job builds all of a phase's tables, in build order. Each table is
# still committed, then its own marker written (same path and content), with its own log and
# run-history row, exactly as its per-table job would: status, gates, progress and kill-safety see
# what they see without bundles. Why: a job's fixed cost (~0.9 s: Python start, imports, the script
# preamble, warehouse open) dwarfs a day's work on one table (0.1-0.3 s), and a new game day was a
# chain of 22 such jobs. Other chunks keep one job per table x chunk (their work dominates, and
# they run in parallel).
#
# The bundle's outputs are its tables' markers of the day (a repeated wildcard: {day}_{day}); its
# inputs are the union of theirs minus its own outputs; ruleorder makes it win over the per-table
# rules, which also match these markers. A kill mid-bundle leaves all its outputs incomplete for
# Snakemake: the next run (nbaprops resume) redoes the whole bundle, each table's replace of the
# day being idempotent. To force a day chunk's rebuild, force its bundle rule or the marker file
# (checks/remedies.py names both rules).

for bundled_phase, bundle_rule in DAY_BUNDLE_RULES.items():

    rule:
        name:
            bundle_rule
        input:
            get_bundle_inputs(bundled_phase),
            **bundle_named_inputs(bundled_phase),
        output:
            **{
                rule_name(t): job_files(t, DAY_CHUNK)["marker"]
                for t in PHASE_TABLES[bundled_phase]
            },
        log:
            **{
                rule_name(t): job_files(t, DAY_CHUNK)["log"]
                for t in PHASE_TABLES[bundled_phase]
            },
        benchmark:
            f"benchmarks/{bundle_rule}/{DAY_CHUNK}.tsv"
        wildcard_constraints:
            day=DAY_PATTERN,
        resources:
            **{f"writes_{rule_name(t)}": 1 for t in PHASE_TABLES[bundled_phase]},
        params:
            tables=list(PHASE_TABLES[bundled_phase]),
            named_inputs={
                t: list(TABLE_NAMED_INPUTS.get(t, {}))
                for t in PHASE_TABLES[bundled_phase]
            },
            raw_versions=get_bundle_raw_versions(bundled_phase),
            phase=PHASE_NAMES[bundled_phase],
        script:
            "../scripts/build_day_tables.py"

    # The ruleorder: directive takes literal names only; this is what it compiles to.
    for bundled_table in PHASE_TABLES[bundled_phase]:
        workflow.ruleorder(bundle_rule, rule_name(bundled_table))
