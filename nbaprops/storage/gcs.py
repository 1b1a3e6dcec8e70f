"""The production object store: a Cloud Storage bucket (``gs://bucket/prefix/``).

* The client library is imported on first use, so nbaprops loads without it.
* Credentials come from the environment (Application Default Credentials); with
  ``STORAGE_EMULATOR_HOST`` set the client talks, anonymously, to that emulator instead.
* Every call retries transient failures (429, 408, 5xx, broken connections) with the library's
  exponential backoff and jitter. Uploads are retried too, although the library does not retry
  unconditional uploads by default: rewriting a key with the same bytes is harmless.
* ``create_only`` sends ``ifGenerationMatch=0``, so the server refuses to replace an existing
  object even when two writers race. Finding the very same bytes already there counts as success:
  it is what a retried upload whose first response was lost finds.
* Permission, missing-bucket and precondition errors fail at once with what to do.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from nbaprops.storage.base import (DEFAULT_CACHE_CONTROL, JSON_CONTENT_TYPE, ObjectExists, ObjectNotFound,
                                   StorageError, check_key, check_prefix, encode_json)

TIMEOUT = 60.0  # seconds per HTTP request


def _storage():
    try:
        from google.cloud import storage
    except ImportError as exc:
        raise StorageError(f"storage backend 'gcs' needs the google-cloud-storage package, which is not "
                           f"importable ({exc}); install the project with `make install`") from exc
    return storage


def default_retry():
    from google.cloud.storage.retry import DEFAULT_RETRY

    return DEFAULT_RETRY


class GCSObjectStore:
    backend = "gcs"

    def __init__(self, bucket: str, prefix: str = "", *, project: str | None = None, client=None, retry=None):
        if not bucket or "/" in bucket or bucket.startswith("gs:"):
            raise StorageError(f"config 'storage.bucket' is {bucket!r}; give the bare bucket name, e.g. my-site-data")
        self.bucket_name = bucket
        prefix = check_prefix(prefix.strip("/"))
        self.prefix = f"{prefix}/" if prefix else ""
        self.project = project
        self._client = client
        self._retry = retry

    @property
    def url(self) -> str:
        return f"gs://{self.bucket_name}/{self.prefix}"

    @property
    def client(self):
        if self._client is None:
            storage = _storage()
            import google.auth.exceptions

            try:
                self._client = storage.Client(project=self.project)
            except google.auth.exceptions.DefaultCredentialsError as exc:
                raise StorageError(
                    "Cloud Storage credentials not found: set GOOGLE_APPLICATION_CREDENTIALS to a service-account "
                    "key file or run `gcloud auth application-default login`") from exc
        return self._client

    @property
    def retry(self):
        return self._retry if self._retry is not None else default_retry()

    def _blob(self, key: str):
        return self.client.bucket(self.bucket_name).blob(self.prefix + check_key(key))

    @contextmanager
    def _errors(self, what: str):
        from google.api_core import exceptions as api

        try:
            yield
        except api.Forbidden as exc:
            raise StorageError(f"{what} was refused ({exc.message}); the credentials need "
                               f"roles/storage.objectAdmin on gs://{self.bucket_name}") from exc
        except api.RetryError as exc:
            raise StorageError(f"{what} still failed after retrying transient errors for "
                               f"{self.retry.deadline or self.retry.timeout} s ({exc.cause}); re-run later") from exc

    def write_json(self, key: str, document: Any, *, cache_control: str = DEFAULT_CACHE_CONTROL,
                   create_only: bool = False) -> str:
        from google.api_core import exceptions as api

        data = encode_json(document)
        blob = self._blob(key)
        blob.cache_control = cache_control
        url = f"gs://{self.bucket_name}/{blob.name}"
        with self._errors(f"writing {url}"):
            try:
                blob.upload_from_string(data, content_type=JSON_CONTENT_TYPE, timeout=TIMEOUT, retry=self.retry,
                                        if_generation_match=0 if create_only else None)
            except api.PreconditionFailed:
                if self._read(blob) != data:
                    raise ObjectExists(f"{url} already exists with other content (create-only write)") from None
            except api.NotFound as exc:
                raise StorageError(f"bucket gs://{self.bucket_name} does not exist ({exc.message}); create it or "
                                   f"fix 'storage.bucket'") from exc
        return url

    def _read(self, blob) -> bytes:
        from google.api_core import exceptions as api

        try:
            return blob.download_as_bytes(timeout=TIMEOUT, retry=self.retry)
        except api.NotFound:
            raise ObjectNotFound(f"no object gs://{self.bucket_name}/{blob.name}") from None

    def read_bytes(self, key: str) -> bytes:
        blob = self._blob(key)
        with self._errors(f"reading gs://{self.bucket_name}/{blob.name}"):
            return self._read(blob)

    def list_keys(self, prefix: str = "") -> list[str]:
        check_prefix(prefix)
        with self._errors(f"listing {self.url}{prefix}"):
            blobs = self.client.list_blobs(self.bucket_name, prefix=self.prefix + prefix, timeout=TIMEOUT,
                                           retry=self.retry)
            return sorted(b.name[len(self.prefix):] for b in blobs)

    def sizes(self, prefix: str = "") -> dict[str, int]:
        """Byte size of every object under ``prefix``, from the listing (no object is read)."""
        check_prefix(prefix)
        with self._errors(f"listing {self.url}{prefix}"):
            blobs = self.client.list_blobs(self.bucket_name, prefix=self.prefix + prefix, timeout=TIMEOUT,
                                           retry=self.retry)
            return {b.name[len(self.prefix):]: b.size for b in blobs}

    def leftovers(self, prefix: str = "") -> list[str]:
        return []  # an upload is atomic: a killed one leaves no object

    def exists(self, key: str) -> bool:
        blob = self._blob(key)
        with self._errors(f"checking gs://{self.bucket_name}/{blob.name}"):
            return blob.exists(timeout=TIMEOUT, retry=self.retry)

    def delete(self, key: str) -> None:
        from google.api_core import exceptions as api

        blob = self._blob(key)
        with self._errors(f"deleting gs://{self.bucket_name}/{blob.name}"):
            try:
                blob.delete(timeout=TIMEOUT, retry=self.retry)
            except api.NotFound:
                pass  # already gone, e.g. a retried delete
