"""The embedded object store: a local folder (``exports/`` by default) standing in for the bucket.

Each object is a file at ``<root>/<key>``, written to a hidden temporary name in the same folder
and renamed into place (atomic on POSIX), so a reader or a web server never sees half a file and a
killed writer leaves only a temporary file, which ``list_keys`` ignores. A folder keeps no object
metadata: the content type follows from the ``.json`` name and Cache-Control is the job of whatever
serves the folder; both arguments are accepted so callers are backend-neutral.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from nbaprops.storage.base import (DEFAULT_CACHE_CONTROL, ObjectExists, ObjectNotFound, check_key, check_prefix,
                                   encode_json)

TEMP_PREFIX = ".tmp-"


class LocalObjectStore:
    backend = "local"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    @property
    def url(self) -> str:
        return f"{self.root}/"

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def write_json(self, key: str, document: Any, *, cache_control: str = DEFAULT_CACHE_CONTROL,
                   create_only: bool = False) -> str:
        data = encode_json(document)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{TEMP_PREFIX}{path.name}.{uuid.uuid4().hex[:8]}")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            if create_only:
                try:
                    os.link(tmp, path)  # atomic, and fails if the name is taken
                except FileExistsError:
                    if path.read_bytes() != data:
                        raise ObjectExists(f"{path} already exists with other content (create-only write)") from None
            else:
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return str(path)

    def read_bytes(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ObjectNotFound(f"no object {key!r} under {self.url}") from None

    def list_keys(self, prefix: str = "") -> list[str]:
        check_prefix(prefix)
        if not self.root.is_dir():
            return []
        keys = []
        for folder, _, files in os.walk(self.root):
            for name in files:
                if name.startswith(TEMP_PREFIX):
                    continue
                key = Path(folder, name).relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        return sorted(keys)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()
