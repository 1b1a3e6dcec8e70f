"""Session-scoped pytest fixtures for the emulators. Import them into a test module:

    from emulators.fixtures import bigquery_emulator_fixture, gcs_emulator_fixture  # noqa: F401

and ask for ``bigquery_emulator`` / ``gcs_emulator`` (the functions carry other names so that a
test's argument does not shadow the import).

Each emulator process is shared by every module of a test session (a module that imports the
fixture gets its own fixture definition, so the process is reference-counted rather than owned by
one definition) and stopped when the last user is torn down, at the end of the session.

Where the emulator is not installed the tests skip with the make target to run — except under CI
(``CI`` set), where ``make test`` must have installed it, so a missing emulator fails instead of
silently skipping the production-path tests.
"""
from __future__ import annotations

import atexit
import os
import threading
from contextlib import contextmanager

import pytest

from emulators import BigQueryEmulator, GCSEmulator

_lock = threading.Lock()
_running: dict[type, list] = {}  # emulator class -> [instance, users]


@contextmanager
def shared(kind: type):
    with _lock:
        entry = _running.get(kind)
        if entry is None:
            entry = _running[kind] = [kind().start(), 0]
            atexit.register(entry[0].stop)  # in case pytest dies before teardown
        entry[1] += 1
    try:
        yield entry[0]
    finally:
        with _lock:
            entry[1] -= 1
            if entry[1] == 0:
                entry[0].stop()
                del _running[kind]


def _require(kind) -> None:
    reason = kind.missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the emulator tests, but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session", name="bigquery_emulator")
def bigquery_emulator_fixture():
    """A running :class:`BigQueryEmulator` (use ``.client()`` and ``.url``)."""
    _require(BigQueryEmulator)
    with shared(BigQueryEmulator) as emulator:
        yield emulator


@pytest.fixture(scope="session", name="gcs_emulator")
def gcs_emulator_fixture():
    """A running :class:`GCSEmulator`; ``STORAGE_EMULATOR_HOST`` points at it meanwhile."""
    _require(GCSEmulator)
    with shared(GCSEmulator) as emulator:
        previous = os.environ.get("STORAGE_EMULATOR_HOST")
        os.environ["STORAGE_EMULATOR_HOST"] = emulator.url
        try:
            yield emulator
        finally:
            if previous is None:
                os.environ.pop("STORAGE_EMULATOR_HOST", None)
            else:
                os.environ["STORAGE_EMULATOR_HOST"] = previous
