"""Rule entry point: write one chunk's per-date objects (logic in nbaprops.exporters.run)."""
from nbaprops.exporters.run import export_dates_job

export_dates_job(snakemake.config, snakemake.wildcards.chunk, snakemake.output.marker, snakemake.log[0])
