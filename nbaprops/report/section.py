"""One part of a report page: its data, or the sentence saying why it could not be read."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger("nbaprops.report")


@dataclass
class Section:
    """What a collector returned (``data``) or, when its source could not be read, why (``error``)."""
    data: object = None
    error: str | None = None


def guarded(what: str, build: Callable[[], object]) -> Section:
    """Read one section's data; a failure becomes a sentence on the page instead of no page."""
    try:
        return Section(build())
    except Exception as exc:  # noqa: BLE001 - one unreadable source must not lose the whole report
        log.warning("report: %s could not be read: %s", what, exc)
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        return Section(error=f"{what} could not be read ({type(exc).__name__}: {first})")
