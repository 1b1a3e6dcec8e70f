"""The object-store interface: where published JSON goes (a local folder or a GCS bucket).

Four abilities, meant backend-neutrally:

* ``write_json``  store a JSON document under a key, with its content type and Cache-Control
                  (optionally create-only: never replace an object holding other bytes);
* ``read_bytes``  the stored bytes of a key;
* ``list_keys``   the keys under a prefix, sorted (``sizes``: with their byte sizes);
* ``exists``      whether a key holds an object;
* ``leftovers``   what interrupted writes left behind that is not an object (the gate fails on it).

Keys are ``/``-separated relative paths (``v1/results/2024-01-05.json``). Documents are encoded
once, here (:func:`encode_json`), so every backend stores the very same bytes.
"""
from __future__ import annotations

import json
import re
from typing import Any, Protocol, runtime_checkable

JSON_CONTENT_TYPE = "application/json"
DEFAULT_CACHE_CONTROL = "public, max-age=300"
_KEY = re.compile(r"[A-Za-z0-9._\-]+(/[A-Za-z0-9._\-]+)*")


class StorageError(RuntimeError):
    """An object-store operation failed in a way a user must act on (the message says what)."""


class ObjectExists(StorageError):
    """A create-only write found the key already taken."""


class ObjectNotFound(StorageError, KeyError):
    """No object under that key."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def encode_json(document: Any) -> bytes:
    """The canonical bytes of a JSON document: UTF-8, keys in the order given, compact, no NaN.

    ``bytes`` pass through unchanged (after checking they are JSON), so an exporter may encode
    its own way."""
    if isinstance(document, (bytes, bytearray)):
        try:
            json.loads(document)
        except ValueError as exc:
            raise StorageError(f"write_json was given bytes that are not JSON: {exc}") from None
        return bytes(document)
    try:
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_default)
    except ValueError as exc:
        raise StorageError(f"cannot encode the document as JSON ({exc}); replace NaN/inf with null") from None
    return text.encode("utf-8")


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):  # dates and datetimes
        return value.isoformat()
    if hasattr(value, "item"):  # NumPy scalars
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def check_key(key: str) -> str:
    """A valid key (relative, ``/``-separated, no ``.``/``..`` parts), or StorageError."""
    if not isinstance(key, str) or not _KEY.fullmatch(key) or any(p in (".", "..") for p in key.split("/")):
        raise StorageError(f"object key {key!r} is not a relative path of letters, digits, '.', '_', '-' "
                           f"separated by '/'")
    return key


def check_prefix(prefix: str) -> str:
    """A key prefix: empty, or a key optionally ending in '/'."""
    if prefix:
        check_key(prefix.rstrip("/"))
    return prefix


@runtime_checkable
class ObjectStore(Protocol):
    url: str  # where the objects live, e.g. "exports/" or "gs://bucket/prefix/"

    def write_json(self, key: str, document: Any, *, cache_control: str = DEFAULT_CACHE_CONTROL,
                   create_only: bool = False) -> str:
        """Store ``document`` (anything ``json.dumps`` takes, or JSON bytes) under ``key`` with
        content type ``application/json`` and the given Cache-Control. The write is atomic:
        readers see the old object or the new one, never a part. With ``create_only`` an existing
        object with other bytes is left alone and :class:`ObjectExists` raised (the same bytes
        already there count as written, as after a retried upload). Returns the object's URL."""

    def read_bytes(self, key: str) -> bytes:
        """The object's bytes (:class:`ObjectNotFound` if there is none)."""

    def list_keys(self, prefix: str = "") -> list[str]:
        """Sorted keys that start with ``prefix``."""

    def sizes(self, prefix: str = "") -> dict[str, int]:
        """Byte size of every object under ``prefix`` (the Phase 6 gate compares them with the export
        markers without reading the objects)."""

    def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""

    def delete(self, key: str) -> None:
        """Remove the object under ``key`` (nothing happens when there is none)."""

    def leftovers(self, prefix: str = "") -> list[str]:
        """What interrupted writes left that is not an object (the local folder's temporary files;
        none in a bucket, where an upload is atomic). The Phase 6 gate fails on any."""
