"""Rule entry point of a day bundle (rules/bundles.smk): build a phase's tables for one day chunk,
in build order, each committed and then given its own marker and log (logic in nbaprops.jobs).
A table's named inputs (e.g. models=...) go to its builder only."""
import datetime as dt

from nbaprops.jobs import build_day_tables

day = dt.date.fromisoformat(snakemake.wildcards.day)
inputs = dict(snakemake.input.items())
build_day_tables(snakemake.config, snakemake.params.tables, day, snakemake.params.phase,
                 markers=dict(snakemake.output.items()), logs=dict(snakemake.log.items()),
                 inputs={t: {n: inputs[n] for n in names} for t, names in snakemake.params.named_inputs.items()})
