"""Rule entry point: the accuracy report of the configured range (logic in nbaprops.report.accuracy)."""
from nbaprops.report.accuracy import write_accuracy_report

write_accuracy_report(snakemake.config, snakemake.output.json, snakemake.output.markdown, snakemake.log[0])
