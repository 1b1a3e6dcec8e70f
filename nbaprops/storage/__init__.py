"""Object stores behind one interface (base.ObjectStore); pick one with ``open_store``.

Config (proposed ``storage`` section):

    storage:
      backend: local      # local (a folder, the embedded default) | gcs (a Cloud Storage bucket)
      path: exports       # local: the folder standing in for the bucket
      bucket: null        # gcs: the bucket name (no gs://)
      prefix: ""          # gcs: a folder inside the bucket, e.g. nbaprops/
"""
from __future__ import annotations

from typing import Mapping

from nbaprops.storage.base import (DEFAULT_CACHE_CONTROL, JSON_CONTENT_TYPE, ObjectExists, ObjectNotFound,
                                   ObjectStore, StorageError, encode_json)

DEFAULTS = {"backend": "local", "path": "exports", "bucket": None, "prefix": ""}


def open_store(config: Mapping) -> ObjectStore:
    """The object store named by ``config["storage"]``; the GCS SDK is imported only when chosen."""
    section = {**DEFAULTS, **(config.get("storage") or {})}
    backend = section["backend"]
    if backend == "local":
        from nbaprops.storage.local import LocalObjectStore

        return LocalObjectStore(section["path"])
    if backend == "gcs":
        from nbaprops.storage.gcs import GCSObjectStore

        if not section.get("bucket"):
            raise StorageError("config 'storage.backend' is 'gcs' but 'storage.bucket' is not set; name the bucket")
        return GCSObjectStore(section["bucket"], section.get("prefix") or "",
                              project=(config.get("bigquery") or {}).get("project"))
    raise StorageError(f"config 'storage.backend' is {backend!r}; choose 'local' or 'gcs'")


__all__ = ["DEFAULT_CACHE_CONTROL", "JSON_CONTENT_TYPE", "ObjectExists", "ObjectNotFound", "ObjectStore",
           "StorageError", "encode_json", "open_store"]
