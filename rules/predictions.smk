# Phase 5A: walk-forward XGBoost training and the player_prop_predictions table.
#
# One model per calendar month ("window", YYYY-MM): the model serving month M is trained on
# feature-store rows joined with actual points dated strictly before M's first day (DESIGN D3).
# Monthly windows keep a model at most a month stale (trades, injuries, minutes trends) for 45
# training jobs over the default range at 0.3-12 s each (~2.5 min in all); per-season models would
# serve a whole season with a model that never saw it, per-chunk or daily ones multiply jobs for
# no measured gain (nbaprops/predictions/models.py). Training reads only the feature store and box scores, never
# predictions, so windows train in parallel and no window waits for Phase 5 of earlier ones.
# Helpers (MODEL_WINDOWS, get_training_inputs, get_models_for_chunk) live in common.smk.


# Target: every window's model (`snakemake --cores 2 xgboost_models`), e.g. to inspect metrics.
rule xgboost_models:
    input:
        [model_file(w) for w in MODEL_WINDOWS],


rule train_xgboost:
    input:
        get_training_inputs,
    output:
        model=f"{MODEL_DIR}/{{window}}.json",
        metrics=f"{MODEL_DIR}/{{window}}.metrics.json",
    log:
        f"{LOGS}/models/{prediction_models.MODEL_NAME}/{{window}}.log",
    benchmark:
        f"benchmarks/models/{prediction_models.MODEL_NAME}/{{window}}.tsv"
    threads: 1  # xgboost runs with nthread=1 (part of what makes the model bytes reproducible)
    script:
        "../scripts/train_xgboost.py"


for predictions_table in [
    PREDICTIONS_TABLE
]:  # a loop only to name the rule after its table

    rule:
        name:
            rule_name(predictions_table)
        input:
            get_table_inputs(predictions_table),
            models=get_models_for_chunk,
        output:
            marker=job_files(predictions_table)["marker"],
        log:
            job_files(predictions_table)["log"],
        benchmark:
            job_files(predictions_table)["benchmark"]
        resources:
            **{f"writes_{rule_name(predictions_table)}": 1},
        params:
            table=predictions_table,
            phase=PHASE_NAMES[5],
        script:
            "../scripts/build_table.py"
