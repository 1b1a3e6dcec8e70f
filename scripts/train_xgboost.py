"""Rule entry point (train_models): train one window's XGBoost model, fit its ensemble weights and
train its market model (the job in nbaprops.training_job; the logic in nbaprops.predictions.training,
.stacking and .market)."""
from nbaprops.training_job import train_window_job

train_window_job(snakemake.config, snakemake.wildcards.window, snakemake.output.model, snakemake.output.ensemble,
                 snakemake.output.metrics, snakemake.log[0], market_path=snakemake.output.market,
                 market_calibration_path=snakemake.output.market_calibration)
