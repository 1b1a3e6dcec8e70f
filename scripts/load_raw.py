"""Rule entry point: load one season of every raw table from the configured source (logic in nbaprops.jobs)."""
from nbaprops.jobs import load_raw_season

load_raw_season(snakemake.config, int(snakemake.wildcards.season), snakemake.output.marker, snakemake.log[0])
