# nbaprops — NBA player-points-prop pipeline, Phases 3-6, one declarative workflow.
#   snakemake --cores 2 all                         build everything in config's date range
#   snakemake --rulegraph | dot -Tsvg > rules.svg   the plan
#   nbaprops resume --cores 2                       resume after a crash (unlock, --rerun-incomplete)
import os

from nbaprops.config import validate as validate_config


# The project default, found next to this Snakefile so `--directory` works; --configfile overrides.
configfile: os.path.join(workflow.basedir, "config", "config.yaml")


config.update(validate_config(config))


include: "rules/common.smk"
include: "rules/raw.smk"
include: "rules/analytics.smk"
include: "rules/precompute.smk"
include: "rules/predictions.smk"
include: "rules/grading.smk"
include: "rules/bundles.smk"
include: "rules/validation.smk"
include: "rules/publishing.smk"
include: "rules/reporting.smk"


rule all:
    default_target: True
    input:
        [gate_marker(phase) for phase in PHASE_TABLES],
        gate_marker(6),
        rules.accuracy_report.output,
        rules.report_html.output,
