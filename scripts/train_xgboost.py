"""Rule entry point: train one window's XGBoost model (logic in nbaprops.predictions.models)."""
from nbaprops.predictions.models import train_window_job

train_window_job(snakemake.config, snakemake.wildcards.window, snakemake.output.model, snakemake.output.metrics,
                 snakemake.log[0])
