"""Rule entry point: the HTML report of the configured range (logic in nbaprops.report.html). It
runs after every gate passed, so the tables' counts come from their gate markers."""
from nbaprops.report.html import now_line, write_html_report

write_html_report(snakemake.config, snakemake.output.html, snakemake.log[0], generated=now_line(),
                  tables_from_gates=True)
