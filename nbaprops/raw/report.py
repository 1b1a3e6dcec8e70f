"""What the raw loader did to each file: rows read, kept, outside the seasons, quarantined by
reason, corrected, and the notes worth knowing — and all of it as :class:`Finding` objects for
the raw marker, run history, gate report and ``nbaprops status``.

Every row read is accounted for: ``rows_read = rows_kept + rows_outside_seasons + Σ quarantined``
(corrected rows are kept, and counted separately).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from nbaprops.findings import Finding, Severity
from nbaprops.raw.validate import describe_rows

EXAMPLES = 5


@dataclass
class Quarantined:
    """Rows of one file dropped (or corrected) for one reason."""

    count: int = 0
    examples: list[int] = field(default_factory=list)  # first line (CSV) / row (Parquet) numbers

    def add(self, positions) -> None:
        self.count += len(positions)
        self.examples = (self.examples + [int(p) for p in list(positions)[:EXAMPLES]])[:EXAMPLES]


@dataclass
class FileReport:
    """What became of one table's file: ``rows_read = rows_kept + rows_outside_seasons +
    Σ quarantined``."""

    table: str
    file: str | None  # None: the table had no file (empty or derived)
    unit: str = "line"  # how positions are counted: "line" (CSV, header = 1) or "row" (Parquet)
    zero_bytes: bool = False  # the file is empty, without even a header
    rows_read: int = 0
    rows_kept: int = 0
    rows_outside_seasons: int = 0
    outside_seasons_examples: list[str] = field(default_factory=list)  # dates
    quarantined: dict[str, Quarantined] = field(default_factory=dict)
    corrected: dict[str, Quarantined] = field(default_factory=dict)  # kept, with values fixed
    notes: list[str] = field(default_factory=list)
    noted: list[Finding] = field(default_factory=list, repr=False)  # the notes as findings

    @property
    def rows_quarantined(self) -> int:
        return sum(q.count for q in self.quarantined.values())

    @property
    def name(self) -> str:
        return self.file or self.table

    def quarantine(self, reason: str, positions: pd.Index) -> None:
        if len(positions):
            self.quarantined.setdefault(reason, Quarantined()).add(positions)

    def correct(self, reason: str, positions: pd.Index) -> None:
        if len(positions):
            self.corrected.setdefault(reason, Quarantined()).add(positions)

    def note(self, text: str, *, severity: Severity = "info", kind: str = "raw_note",
             count: int = 0, examples: list[str] = ()) -> None:
        """A note of the report, also kept as a finding (``info`` for derived values, ``warning``
        where the note has a consequence for what gets built)."""
        self.notes.append(text)
        self.noted.append(Finding(kind, severity, f"{self.name}: {text}", count, self.table,
                                  list(examples)))

    def findings(self) -> list[Finding]:
        out = []
        for reason, q in self.quarantined.items():
            out.append(Finding(
                "quarantined_rows", "warning",
                f"{self.name}: {q.count} row(s) quarantined ({reason}) and not loaded into "
                f"{self.table}; fix the file to keep them", q.count, self.table,
                [f"{self.unit} {p}" for p in q.examples]))
        if self.rows_outside_seasons:
            out.append(Finding(
                "rows_outside_seasons", "warning",
                f"{self.name}: {self.rows_outside_seasons} row(s) dated outside the seasons of the "
                f"date range were not loaded into {self.table}; widen the range to use them",
                self.rows_outside_seasons, self.table, self.outside_seasons_examples))
        for reason, q in self.corrected.items():
            out.append(Finding(
                "game_id_corrected", "warning", f"{self.name}: {q.count} row(s) corrected ({reason})",
                q.count, self.table, [f"{self.unit} {p}" for p in q.examples]))
        return out + list(self.noted)

    def as_dict(self) -> dict:
        return {
            "table": self.table, "file": self.file, "rows_read": self.rows_read,
            "rows_kept": self.rows_kept, "rows_outside_seasons": self.rows_outside_seasons,
            "outside_seasons_examples": list(self.outside_seasons_examples),
            "rows_quarantined": self.rows_quarantined,
            "quarantined": {reason: {"count": q.count, f"example_{self.unit}s": q.examples}
                            for reason, q in self.quarantined.items()},
            "corrected": {reason: {"count": q.count, f"example_{self.unit}s": q.examples}
                          for reason, q in self.corrected.items()},
            "notes": list(self.notes),
        }


class AddedFindings(list):
    """``QuarantineReport.findings``: a list other checks of the raw data append their findings
    to (``report.findings.append(...)``) which, called (``report.findings()``), returns every
    finding of the report — the loader's own first, then the appended ones."""

    def __init__(self, report: "QuarantineReport", items=()):
        super().__init__(items)
        self._report = report

    def __call__(self) -> list[Finding]:
        return [f for file in self._report.files.values() for f in file.findings()] + list(self)


@dataclass
class QuarantineReport:
    """Per raw table: its file, rows read / kept / outside the seasons / quarantined by reason;
    plus ``findings`` other checks of the raw data (e.g. props) append to."""

    folder: str
    seasons: list[int]
    files: dict[str, FileReport] = field(default_factory=dict)
    # Appended to by other checks; calling it gives all findings (see AddedFindings).
    findings: AddedFindings = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.findings = AddedFindings(self, self.findings or ())

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files.values())

    def __getitem__(self, table_or_file: str) -> FileReport:
        """The report of a table (``nba_raw.nbac_schedule`` or ``nbac_schedule``) or a file name."""
        for report in self.files.values():
            if table_or_file in (report.table, report.table.split(".")[1], report.file):
                return report
        raise KeyError(table_or_file)

    def as_dict(self) -> dict:
        return {"folder": self.folder, "seasons": self.seasons,
                "rows_quarantined": self.rows_quarantined,
                "files": [f.as_dict() for f in self.files.values()],
                "findings": [f.as_dict() for f in self.findings()]}

    def format(self) -> str:
        lines = [f"raw folder {self.folder}, seasons {', '.join(map(str, self.seasons)) or '-'}: "
                 f"{self.rows_quarantined} rows quarantined"]
        for f in self.files.values():
            if f.file is None:
                lines.append(f"  {f.table}: no file; {'; '.join(f.notes) or 'empty'}")
                continue
            lines.append(f"  {f.file}: {f.rows_read} read, {f.rows_kept} kept, "
                         f"{f.rows_outside_seasons} outside the seasons, {f.rows_quarantined} quarantined")
            for reason, q in f.quarantined.items():
                lines.append(f"    quarantined {q.count} ({reason}), e.g. "
                             f"{describe_rows(q.examples, unit=f.unit)}")
            for reason, q in f.corrected.items():
                lines.append(f"    corrected {q.count} ({reason}), e.g. "
                             f"{describe_rows(q.examples, unit=f.unit)}")
            lines.extend(f"    note: {note}" for note in f.notes)
        lines.extend(f"  {finding.format()}" for finding in self.findings)
        return "\n".join(lines)
