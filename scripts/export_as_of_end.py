"""Rule entry point: write the aliases and as-of objects (logic in nbaprops.exporters.run)."""
from nbaprops.exporters.run import export_as_of_end_job

export_as_of_end_job(snakemake.config, snakemake.output.marker, snakemake.log[0])
