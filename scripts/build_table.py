"""Rule entry point: build one table for one chunk (logic in nbaprops.jobs).
Named inputs of the rule (e.g. model=...) are passed to Python-built tables' builders."""
import datetime as dt

from nbaprops.jobs import build_table_chunk

first, last = (dt.date.fromisoformat(d) for d in snakemake.wildcards.chunk.split("_"))
build_table_chunk(snakemake.config, snakemake.params.table, first, last, snakemake.wildcards.chunk,
                  snakemake.output.marker, snakemake.params.phase, snakemake.log[0],
                  inputs=dict(snakemake.input.items()))
