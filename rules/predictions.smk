# Phase 5A: walk-forward XGBoost + learned ensemble weights, and the player_prop_predictions table.
#
# One training job per calendar month ("window", YYYY-MM), reading only data dated strictly before
# M's first day (DESIGN D3):
#   * XGBoost: feature-store rows joined with actual points; early stopping on 30 training dates
#     before the last 30, then refit on everything -> models/xgboost_v1/M.json;
#   * ensemble_v1's weights: the four base systems run as the builder runs them on the last 30
#     dates (the "slice"), XGBoost's slice predictions from the early-stopping model, which never
#     trained or stopped on the slice; non-negative least squares over [moving average, zone matchup,
#     similarity, XGBoost] + the median-residual intercept -> models/ensemble_v1/M.json (spec §3.7's
#     confidence weighting when M has too little history, e.g. a range's first month);
#   * market_xgboost_v1 (issue 13): XGBoost on the residual to the consensus line from the features
#     and the bets on offer, with its calibration (shrink + residual quantiles, fitted on its last
#     60 training dates) -> models/market_xgboost_v1/M.json and M.calibration.json;
#   * all fits' metrics (slice MAEs, weights, timings) -> models/xgboost_v1/M.metrics.json.
# Monthly windows keep a model at most a month stale (trades, injuries, minutes trends) for 45
# training jobs over the default range; per-season models would serve a whole season with a
# model that never saw it, per-chunk or daily ones multiply jobs for no measured gain
# (nbaprops/predictions/training.py, stacking.py). Training reads the feature store, box scores and
# pre-game context, never predictions, so windows train in parallel, no window waits for Phase 5
# of earlier ones and the DAG has no cycle. Helpers (MODEL_WINDOWS, get_training_inputs,
# get_models_for_chunk, get_ensembles_for_chunk) live in common.smk.


# Target: every window's artifacts (`snakemake --cores 2 trained_models`), e.g. to inspect metrics.
rule trained_models:
    input:
        [model_file(w) for w in MODEL_WINDOWS],
        [ensemble_file(w) for w in MODEL_WINDOWS],
        [market_file(w) for w in MODEL_WINDOWS],


rule train_models:
    input:
        get_training_inputs,
    output:
        model=f"{MODEL_DIR}/{{window}}.json",
        ensemble=f"{ENSEMBLE_DIR}/{{window}}.json",
        market=f"{MARKET_DIR}/{{window}}.json",
        market_calibration=f"{MARKET_DIR}/{{window}}.calibration.json",
        metrics=f"{MODEL_DIR}/{{window}}.metrics.json",
    log:
        f"{LOGS}/models/{{window}}.log",
    benchmark:
        "benchmarks/models/{window}.tsv"
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
            **TABLE_NAMED_INPUTS[predictions_table],
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
            raw_version=get_raw_version(predictions_table),
            phase=PHASE_NAMES[5],
        script:
            "../scripts/build_table.py"
