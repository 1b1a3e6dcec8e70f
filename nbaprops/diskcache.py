"""Files derived from the project's own code, kept between jobs so each job need not derive them
again: rendered SQL (nbaprops.sqlcache), compiled schema validators (nbaprops.exporters.schemas).

Every entry is named by a digest of everything it is derived from, so an entry is never stale,
only unused. The folder is ``$NBAPROPS_CACHE/<kind>``, else ``$XDG_CACHE_HOME/nbaprops/<kind>``
(default ``~/.cache/nbaprops/<kind>``). Entries are written atomically (a temporary file renamed),
so concurrent jobs never read half an entry; a folder that cannot be written only means no cache.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def folder(kind: str) -> Path:
    root = os.environ.get("NBAPROPS_CACHE")
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "nbaprops")
    return Path(root) / kind


def read_bytes(kind: str, name: str) -> bytes | None:
    try:
        return (folder(kind) / name).read_bytes()
    except OSError:
        return None


def write_bytes(kind: str, name: str, data: bytes) -> None:
    target = folder(kind)
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target / name)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # no cache where the folder cannot be written: the caller derives it every time
