"""Writing local files so that a crash or a full disk never leaves a half file under a real name.

``write_atomic`` writes to a hidden temporary name in the same folder, fsyncs and renames (readers
see the old file or the new one). ``no_space_error`` turns "No space left on device" into one
sentence naming the path and what to do; the partial temporary file is deleted by the caller,
so what readers see (manifests, markers, objects) still names only complete files.
"""
from __future__ import annotations

import errno
import os
import uuid
from pathlib import Path

FULL_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class DiskFullError(OSError):
    """A write failed because its disk (or quota, or file-size limit) is full; nothing was committed."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


def no_space_error(exc: BaseException, path: str | os.PathLike, what: str) -> DiskFullError | None:
    """A DiskFullError naming ``path`` if ``exc`` (or what it wraps) is a full-disk error, else None.
    pyarrow reports ENOSPC as a plain OSError whose message carries "[errno 28]" or "No space"."""
    number = getattr(exc, "errno", None)
    text = str(exc)
    if number not in FULL_DISK and "No space left" not in text and "errno 28" not in text.lower():
        return None
    number = number if number in FULL_DISK else errno.ENOSPC
    message = (f"no space left on the disk holding {path} while writing {what} ({os.strerror(number)}): free space "
               f"on that disk, then run `nbaprops resume`; nothing half-written was committed")
    return DiskFullError(number, message, str(path))


def write_atomic(path: str | os.PathLike, data: bytes, what: str | None = None) -> None:
    """Write ``data`` to ``path`` atomically and durably (temporary file, fsync, rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        full = no_space_error(exc, path, what or str(path))
        if full:
            raise full from exc
        raise
    finally:
        tmp.unlink(missing_ok=True)
