"""One skeleton for every Snakemake job: its log file, its warehouse, its run-history row, its marker.

    with run_job(config, "nba_analytics.player_game_summary", phase, start, end, chunk_id,
                 log_path=log, failure=lambda exc: f"building ... failed: {exc}") as job:
        rows = ...                                    # the work, on job.wh
        return job.succeed(marker, payload, rows=rows, summary={...})

Whatever happens, the warehouse is closed and the run history says how the job ended. A failure
is logged in the job's own log (Snakemake points the user there) and, when ``failure`` is given,
raised as a ``JobError`` whose message says what failed and what to do.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from nbaprops import runhistory
from nbaprops.markers import write_marker

log = logging.getLogger("nbaprops.jobs")


class JobError(RuntimeError):
    """A job failed; the message names what failed, the cause and what to do."""


@contextmanager
def job_logging(log_path: str | Path | None):
    """Send the package's log records to the job's own log file (and keep stderr quiet)."""
    root = logging.getLogger("nbaprops")
    handler: logging.Handler
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_path, mode="w")
    else:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield
    except JobError:
        raise  # already logged with its cause and remedy
    except Exception:
        # Snakemake points the user at this log: the error must be in it, not only on stderr.
        log.exception("the job failed")
        raise
    finally:
        root.removeHandler(handler)
        handler.close()


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


class Job:
    """A running job: its warehouse (``wh``), run record and clock."""

    def __init__(self, wh, run: runhistory.RunRecord, log_path):
        self.wh = wh
        self.run = run
        self.log_path = log_path
        self.t0 = time.monotonic()
        self.recorded = False

    @property
    def seconds(self) -> float:
        return round(time.monotonic() - self.t0, 3)

    def record(self, status: str, rows: int | None = None, *, errors: list | None = None,
               summary: dict | None = None) -> None:
        """The job's run-history row (once: a later failure does not add a second one)."""
        if not self.recorded:
            runhistory.record(self.wh, self.run, status, rows, errors=errors, summary=summary)
            self.recorded = True

    def succeed(self, marker: str | Path, payload: Mapping[str, Any], *, rows: int | None = None,
                summary: dict | None = None) -> dict:
        """Record success, then write the marker: an existing marker always means committed work."""
        self.record("success", rows, summary=summary)
        return write_marker(marker, payload)

    def fail(self, message: str, *, summary: dict | None = None, cause: BaseException | None = None) -> JobError:
        """Record the failure, log ``message`` and return the JobError to raise."""
        errors = [{"error_type": type(cause).__name__, "error_message": str(cause)}] if cause else None
        self.record("failed", errors=errors, summary=summary)
        log.error(message)
        return JobError(message)


@contextmanager
def run_job(config: Mapping, processor: str, phase: str, start: dt.date, end: dt.date,
            chunk_id: str | None = None, *, log_path: str | Path | None = None,
            failure: Callable[[BaseException], str] | None = None, warehouse=None) -> Iterator[Job]:
    """Run one job's body with its log, an open warehouse (closed on exit) and its run record.

    An exception from the body is recorded as a failed run; with ``failure`` it becomes a
    JobError carrying ``failure(exc)``, logged with its traceback. ``warehouse`` opens the
    warehouse (tests pass their own); the default is ``open_warehouse``."""
    from nbaprops.warehouse import open_warehouse

    with job_logging(log_path):
        wh = (warehouse or open_warehouse)(config)
        job = Job(wh, runhistory.RunRecord(processor, phase, start, end, chunk_id), log_path)
        try:
            yield job
        except JobError:
            job.record("failed")
            raise
        except Exception as exc:
            job.record("failed", errors=[{"error_type": type(exc).__name__, "error_message": str(exc)}])
            if failure is None:
                raise
            message = failure(exc)
            log.exception(message)
            raise JobError(message) from exc
        finally:
            wh.close()
