"""The embedded object store: a local folder (``exports/`` by default) standing in for the bucket.

Each object is a file at ``<root>/<key>``, written to a hidden temporary name in the same folder
(the same file system, so the rename is atomic) and renamed into place: a reader or a web server
never sees half a file. A writer killed between the two leaves its temporary file behind; such a
leftover is never listed as an object, the next write of the same key deletes it (the export job
that owns the key is the one re-run after a crash), ``leftovers`` names any that remain and the
Phase 6 gate fails on them. A folder keeps no object metadata: the content type follows from the
``.json`` name and Cache-Control is the job of whatever serves the folder; both arguments are
accepted so callers are backend-neutral.
"""
from __future__ import annotations

import glob
import os
import threading
import uuid
from pathlib import Path
from typing import Any

from nbaprops.storage.base import (DEFAULT_CACHE_CONTROL, ObjectExists, ObjectNotFound, check_key, check_prefix,
                                   encode_json)
from nbaprops.storage.files import no_space_error

TEMP_PREFIX = ".tmp-"


def temp_target(name: str) -> str | None:
    """The object name a temporary file ``.tmp-<name>.<pid>-<hex>`` was meant to become."""
    if not name.startswith(TEMP_PREFIX):
        return None
    return name[len(TEMP_PREFIX):].rpartition(".")[0] or None


class LocalObjectStore:
    backend = "local"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        # folder -> {object name: leftover temporary files}, listed once per folder: a later
        # temporary file in that folder belongs to a live writer (ours or another job's).
        self._leftovers: dict[Path, dict[str, list[str]]] = {}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"{self.root}/"

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def _remove_leftovers(self, path: Path) -> None:
        """Delete the temporary files an interrupted earlier write of this very key left. Keys
        belong to one export job each, so no live writer of another job owns them."""
        folder = path.parent
        with self._lock:
            found = self._leftovers.get(folder)
            if found is None:
                found = {}
                for name in os.listdir(folder):
                    target = temp_target(name)
                    if target:
                        found.setdefault(target, []).append(name)
                self._leftovers[folder] = found
            stale = found.pop(path.name, [])
        for name in stale:
            (folder / name).unlink(missing_ok=True)

    def write_json(self, key: str, document: Any, *, cache_control: str = DEFAULT_CACHE_CONTROL,
                   create_only: bool = False) -> str:
        data = encode_json(document)
        path = self._path(key)
        tmp = path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._remove_leftovers(path)
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if create_only:
                try:
                    os.link(tmp, path)  # atomic, and fails if the name is taken
                except FileExistsError:
                    if path.read_bytes() != data:
                        raise ObjectExists(f"{path} already exists with other content (create-only write)") from None
            else:
                os.replace(tmp, path)
        except OSError as exc:
            full = no_space_error(exc, tmp, f"object {key!r}")
            if full:
                raise full from exc
            raise
        finally:
            tmp.unlink(missing_ok=True)
        return str(path)

    def read_bytes(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ObjectNotFound(f"no object {key!r} under {self.url}") from None

    def _walk(self, prefix: str):
        check_prefix(prefix)
        # walk only the prefix's folder (a player's season pages, not the ~100,000 files of the store)
        start = self.root.joinpath(*prefix.split("/")[:-1]) if "/" in prefix else self.root
        if not start.is_dir():
            return
        for folder, _, files in os.walk(start):
            # the folder's key prefix once, not a Path per file (a full store has ~100,000 files)
            rel = os.path.relpath(folder, self.root)
            base = "" if rel == "." else rel.replace(os.sep, "/") + "/"
            for name in files:
                key = base + name
                if key.startswith(prefix):
                    yield key, name

    def list_keys(self, prefix: str = "") -> list[str]:
        return sorted(key for key, name in self._walk(prefix) if not name.startswith(TEMP_PREFIX))

    def listing(self, prefix: str = "") -> tuple[list[str], list[str]]:
        """(``list_keys``, ``leftovers``) from one walk: the Phase 6 gate needs both of a full store."""
        keys, leftovers = [], []
        for key, name in self._walk(prefix):
            (leftovers if name.startswith(TEMP_PREFIX) else keys).append(key)
        return sorted(keys), sorted(leftovers)

    def glob_keys(self, pattern: str) -> list[str]:
        """The keys matching a glob pattern (``*`` within one folder name), sorted: a few dates'
        game reports among ~1,000 player folders, without listing their ~100,000 files."""
        check_key(pattern.replace("*", "x"))
        found = glob.glob(glob.escape(str(self.root)) + "/" + pattern)
        start = len(str(self.root)) + 1
        return sorted(p[start:].replace(os.sep, "/") for p in found
                      if os.path.isfile(p) and not os.path.basename(p).startswith(TEMP_PREFIX))

    def sizes(self, prefix: str = "") -> dict[str, int]:
        """Byte size of every object under ``prefix`` (one stat per file)."""
        return {key: os.stat(self.root / key).st_size for key in self.list_keys(prefix)}

    def leftovers(self, prefix: str = "") -> list[str]:
        """Temporary files of interrupted writes (paths relative to the root, sorted)."""
        return sorted(key for key, name in self._walk(prefix) if name.startswith(TEMP_PREFIX))

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
