"""Rule entry point (train_models): train one window's XGBoost model and fit its ensemble weights
(the job in nbaprops.training_job; the logic in nbaprops.predictions.training and .stacking)."""
from nbaprops.training_job import train_window_job

train_window_job(snakemake.config, snakemake.wildcards.window, snakemake.output.model, snakemake.output.ensemble,
                 snakemake.output.metrics, snakemake.log[0])
