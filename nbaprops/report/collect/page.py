"""Everything the HTML report shows, read once: each section's data or why it could not be read."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from nbaprops import status
from nbaprops.report.collect.accuracy import accuracy_report, calibration
from nbaprops.report.collect.coverage import coverage
from nbaprops.report.collect.exports import export_listing
from nbaprops.report.collect.gate_markers import gate_details, gate_view
from nbaprops.report.collect.timings import BENCHMARKS, benchmark_timings, phase_timings, run_history_timings
from nbaprops.report.section import Section, guarded
from nbaprops.seasons import SeasonCalendar


@dataclass
class PageData:
    """The HTML report's inputs: plain data, nothing rendered (``render.page.render_page``)."""
    start: dt.date
    end: dt.date
    backend: str
    chunk: str
    raw_source: str
    state: Section  # nbaprops.status.collect: tables, failures, findings, gates
    coverage: Section  # collect.coverage.Coverage
    history: Section  # collect.timings.phase_timings
    benchmarks: Section  # collect.timings.benchmark_timings
    accuracy: Section  # collect.accuracy.accuracy_report
    calibration: Section  # collect.accuracy.calibration (only when there is accuracy to show)
    gate_states: dict[int, str]
    gate_details: dict[int, dict]
    exports: Section  # collect.exports.export_listing
    seasons: Section  # the seasons of the range's first and last day


class DatesOnce:
    """The warehouse, with each table's dates present in a range read once: the status and the
    coverage both ask for every table's (22 queries over the whole history each)."""

    def __init__(self, wh):
        self._wh = wh
        self._dates: dict[tuple, list] = {}

    def dates_present(self, contract, start: dt.date, end: dt.date) -> list:
        key = (contract.table, contract.date_column, start, end)
        if key not in self._dates:
            self._dates[key] = self._wh.dates_present(contract, start, end)
        return list(self._dates[key])

    def __getattr__(self, name):
        return getattr(self._wh, name)


def collect_page(wh, config: Mapping, start: dt.date, end: dt.date, tables_from_gates: bool = False) -> PageData:
    """Read every section of the report of [start, end]; paths in ``config`` are relative to the
    working directory, as for every command. ``tables_from_gates``: see ``status.collect``."""
    wh = DatesOnce(wh)
    state = guarded("The warehouse status", lambda: status.collect(wh, config, start, end,
                                                                   tables_from_gates=tables_from_gates))
    cov = guarded("Coverage", lambda: coverage(wh, start, end))
    latest = guarded("The run history", lambda: run_history_timings(wh, start, end))
    history = Section(error=latest.error) if latest.error else guarded(
        "The run history", lambda: phase_timings(latest.data))
    bench = guarded("The benchmark files", lambda: benchmark_timings(BENCHMARKS, start, end))
    acc = guarded("The accuracy report", lambda: accuracy_report(wh, start, end))
    calib = guarded("Calibration", lambda: calibration(wh, start, end)) if acc.data and acc.data["rows"] else Section()
    markers = config["paths"]["markers"]
    gates_now = gate_view(markers, start, end, state)
    exports = guarded("The export folder", lambda: export_listing(config))
    calendar = guarded("The schedule", lambda: SeasonCalendar.load(wh, start, end))
    range_seasons = Section([calendar.data.season_of(d) for d in (start, end)]) if calendar.data else calendar
    return PageData(
        start=start, end=end, backend=str(config.get("backend", "duckdb")), chunk=str(config.get("chunk", "")),
        raw_source=str(config.get("raw", {}).get("source", "")), state=state, coverage=cov, history=history,
        benchmarks=bench, accuracy=acc, calibration=calib, gate_states=gates_now,
        gate_details=gate_details(markers), exports=exports, seasons=range_seasons)
