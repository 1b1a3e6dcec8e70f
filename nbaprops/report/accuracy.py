"""The accuracy report end to end: the pipeline's reports/accuracy.json and reports/accuracy.md.

The numbers come from ``collect.accuracy.accuracy_report``, the text from
``render.accuracy_text``; `nbaprops report accuracy` prints the same text.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Mapping

from nbaprops.config import start_end
from nbaprops.jobrun import job_logging
from nbaprops.report.collect.accuracy import accuracy_report
from nbaprops.report.render.accuracy_text import accuracy_text

log = logging.getLogger("nbaprops.report")


def write_accuracy_report(config: Mapping, json_path: str | Path, markdown_path: str | Path,
                          log_path: str | Path | None = None) -> dict:
    """Write the report of the configured range as JSON and Markdown (the pipeline's artifact).
    Like the HTML report it records no run in the run history."""
    from nbaprops.warehouse import open_warehouse

    with job_logging(log_path):
        start, end = start_end(config)
        with open_warehouse(config) as wh:
            report = accuracy_report(wh, start, end)
        text = accuracy_text(report, "markdown")
        for path, content in ((json_path, accuracy_text(report, "json")), (markdown_path, text)):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(content)
        log.info("accuracy report %s..%s written to %s and %s\n%s", start, end, json_path, markdown_path, text)
    return report
