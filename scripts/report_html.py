"""Rule entry point: the HTML report of the configured range (logic in nbaprops.report.html)."""
from nbaprops.report.html import now_line, write_html_report

write_html_report(snakemake.config, snakemake.output.html, snakemake.log[0], generated=now_line())
