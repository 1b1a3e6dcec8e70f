"""Rule entry point: the Phase 6 gate (logic in nbaprops.exporters.verify)."""
from nbaprops.exporters.verify import phase6_gate_job

phase6_gate_job(snakemake.config, snakemake.output[0], snakemake.log[0])
