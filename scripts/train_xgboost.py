"""Rule entry point (train_models): train one window's XGBoost model and fit its ensemble weights
(logic in nbaprops.predictions.models and nbaprops.predictions.stacking)."""
from nbaprops.predictions.models import train_window_job

train_window_job(snakemake.config, snakemake.wildcards.window, snakemake.output.model, snakemake.output.ensemble,
                 snakemake.output.metrics, snakemake.log[0])
