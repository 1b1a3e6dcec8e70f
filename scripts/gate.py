"""Rule entry point: check a phase gate (logic in nbaprops.gates via nbaprops.jobs)."""
from nbaprops.jobs import run_gate

run_gate(snakemake.config, snakemake.params.phase, snakemake.output[0], snakemake.log[0],
         raw_versions=snakemake.params.raw_chunk_versions)
