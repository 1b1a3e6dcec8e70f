"""Rule entry point: load every raw table from the configured source (logic in nbaprops.jobs)."""
from nbaprops.jobs import load_raw

load_raw(snakemake.config, {name.replace("__", "."): path for name, path in snakemake.output.items()},
         snakemake.log[0])
