"""Findings: counted things a user must see (D8: flag, don't drop).

A finding is one sentence about data that was quarantined, deduplicated, unmatched, degraded or
inconsistent, with its count, a few examples, its consequence and what to do. Loaders, builders
and gate checks produce them; the raw marker, run history, gate reports, ``nbaprops status`` and
the HTML report show them. An ``error`` finding fails the gate that reports it; a ``warning``
is shown everywhere but lets the run go on; ``info`` is shown in reports only.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterable, Literal, Mapping

Severity = Literal["info", "warning", "error"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
EXAMPLES = 5


@dataclass
class Finding:
    """One counted observation about the data.

    ``kind`` is a stable machine name (``quarantined_rows``, ``deduplicated_rows``,
    ``unmatched_prop_players``, ``alternate_lines``, ``degraded_feature``, ``missing_game``,
    ``team_points_mismatch``, …); ``message`` is the sentence a person reads: what, where, the
    consequence and the remedy.
    """

    kind: str
    severity: Severity
    message: str
    count: int = 0
    table: str | None = None
    examples: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"finding severity must be one of {SEVERITIES}, not {self.severity!r}")
        self.examples = [str(e) for e in self.examples][:EXAMPLES]

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, doc: Mapping) -> "Finding":
        return cls(**{k: doc[k] for k in ("kind", "severity", "message", "count", "table", "examples")
                      if k in doc})

    def format(self) -> str:
        mark = {"info": "i", "warning": "!", "error": "x"}[self.severity]
        text = f"[{mark}] {self.message}"
        if self.examples:
            text += f" (e.g. {', '.join(self.examples)})"
        return text


def worst(findings: Iterable[Finding]) -> Severity | None:
    """The most severe level among ``findings`` (None when there are none)."""
    levels = [SEVERITIES.index(f.severity) for f in findings]
    return SEVERITIES[max(levels)] if levels else None
