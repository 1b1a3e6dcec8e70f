"""Rule entry point: build one table for one chunk (logic in nbaprops.jobs).
Named inputs of the rule (e.g. model=...) are passed to Python-built tables' builders."""
from nbaprops.catalogue import parse_chunk_id
from nbaprops.jobs import build_table_chunk

first, last = parse_chunk_id(snakemake.wildcards.chunk)
build_table_chunk(snakemake.config, snakemake.params.table, first, last, snakemake.wildcards.chunk,
                  snakemake.output.marker, snakemake.params.phase, snakemake.log[0],
                  inputs=dict(snakemake.input.items()))
