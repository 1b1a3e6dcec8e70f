"""Job-level retries for BigQuery calls: back off on transient errors, stop at once on fatal ones.

The client library retries single HTTP requests, but not whole jobs that fail, and it cannot tell
a short-term rate limit from a used-up daily quota the way a backfill needs
(tooling-measurements §4, bigquery-practice D.3). ``run_with_retry`` wraps one unit of work
(submit a job *and* wait for it) so a retry resubmits the job under a new job id.

Google's errors carry a ``reason`` in ``exc.errors[*]["reason"]``; :func:`classify` decides from
the reason, the message and the HTTP class, in that order of trust:

* transient (retry with exponential backoff and full jitter): rate limits, 5xx / backend errors,
  conflicting concurrent DML, connection errors and timeouts;
* fatal (raise :class:`WarehouseError` at once, saying what to do): a daily quota, missing
  permission, a missing resource, invalid SQL or data, the bytes-billed cap.

Exceptions that do not come from the service or the network (bugs, bad input caught locally)
pass through unchanged.
"""
from __future__ import annotations

import functools
import logging
import random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from nbaprops.warehouse.base import WarehouseError

log = logging.getLogger("nbaprops.warehouse.retry")

T = TypeVar("T")

RESUME = "resume later with `nbaprops resume` (the same --config/--configfile as the run)"

# Checked first: these messages mean "try again" whatever reason code they arrive with
# (a serialisation conflict comes back as 400 invalidQuery, for instance).
TRANSIENT_MESSAGES = (
    "due to concurrent update",
    "could not serialize access",
    "retrying the job may solve the problem",
    "too many dml statements outstanding",
)
TRANSIENT_REASONS = frozenset({
    "rateLimitExceeded", "jobRateLimitExceeded", "backendError", "internalError",
    "jobBackendError", "jobInternalError", "badGateway",
})
BYTES_BILLED_MESSAGE = "exceeded limit for bytes billed"
FATAL_ADVICE = {
    "quotaExceeded": f"a BigQuery quota is used up (daily limits refill over 24 h); stop and {RESUME}",
    "bytesBilledLimitExceeded": (
        "the job would bill more than `bigquery.maximum_bytes_billed` allows; check that the SQL "
        "filters on the partition column, or raise the limit in config after a dry-run estimate"),
    "accessDenied": ("the credentials lack a permission; check the service account's roles "
                     "(BigQuery Data Editor and BigQuery Job User on the project)"),
    "billingNotEnabled": "billing is not enabled on the project; enable it or use the DuckDB backend",
    "notFound": ("a project, dataset, table or job does not exist; check `bigquery.project` and "
                 "`bigquery.datasets` in the config and that upstream tables were built"),
    "invalid": "BigQuery rejected the request; fix the statement or the data (the message says where)",
    "invalidQuery": "BigQuery rejected the SQL; fix the statement (the message says where)",
}
UNKNOWN_ADVICE = "BigQuery refused the request; read the message, fix the cause and re-run"


@dataclass(frozen=True)
class Failure:
    """How to treat one exception: retry it or not, the reason to report and what to do."""

    transient: bool
    reason: str
    advice: str = ""


@functools.cache
def _network_errors() -> tuple[tuple[type[BaseException], ...], type[BaseException]]:
    """(errors worth retrying, the one subclass that is a configuration problem instead)."""
    import google.auth.exceptions
    import requests.exceptions
    import urllib3.exceptions

    retried = (
        ConnectionError, TimeoutError,
        requests.exceptions.ConnectionError, requests.exceptions.Timeout,
        requests.exceptions.ChunkedEncodingError,
        urllib3.exceptions.ProtocolError, urllib3.exceptions.TimeoutError,
        google.auth.exceptions.TransportError,
    )
    return retried, requests.exceptions.SSLError


def _reasons(exc: BaseException) -> list[str]:
    return [e["reason"] for e in getattr(exc, "errors", None) or [] if isinstance(e, dict) and e.get("reason")]


def _text(exc: BaseException) -> str:
    messages = [str(exc)] + [str(e.get("message", "")) for e in getattr(exc, "errors", None) or []
                             if isinstance(e, dict)]
    return " ".join(messages).lower()


def classify(exc: BaseException) -> Failure | None:
    """Transient or fatal for a service/network error; None for anything else (not ours to judge)."""
    from google.api_core import exceptions as api

    if isinstance(exc, api.RetryError):  # the client's own retry gave up: judge what it gave up on
        if exc.cause is None:
            return Failure(True, "client retry deadline exceeded")
        exc = exc.cause
    retried, misconfigured = _network_errors()
    if isinstance(exc, retried) and not isinstance(exc, misconfigured):
        return Failure(True, type(exc).__name__)
    if not isinstance(exc, api.GoogleAPICallError):
        return None
    reasons, text = _reasons(exc), _text(exc)
    if BYTES_BILLED_MESSAGE in text:
        return Failure(False, "bytesBilledLimitExceeded", FATAL_ADVICE["bytesBilledLimitExceeded"])
    if "quotaExceeded" in reasons:
        return Failure(False, "quotaExceeded", FATAL_ADVICE["quotaExceeded"])
    for pattern in TRANSIENT_MESSAGES:
        if pattern in text:
            return Failure(True, pattern)
    for reason in reasons:
        if reason in FATAL_ADVICE:
            return Failure(False, reason, FATAL_ADVICE[reason])
    for reason in reasons:
        if reason in TRANSIENT_REASONS:
            return Failure(True, reason)
    if isinstance(exc, api.TooManyRequests) and not reasons:
        return Failure(True, "HTTP 429")
    if isinstance(exc, (api.InternalServerError, api.BadGateway, api.ServiceUnavailable, api.GatewayTimeout)):
        return Failure(True, reasons[0] if reasons else f"HTTP {exc.code}")
    if reasons:
        return Failure(False, reasons[0], UNKNOWN_ADVICE)
    status_reason = {400: "invalid", 403: "accessDenied", 404: "notFound"}.get(exc.code)
    if status_reason:
        return Failure(False, status_reason, FATAL_ADVICE[status_reason])
    return Failure(False, f"HTTP {exc.code}", UNKNOWN_ADVICE)


def _summary(exc: BaseException, limit: int = 500) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_with_retry(fn: Callable[[], T], *, what: str, max_attempts: int = 8, base_delay: float = 1.0,
                   max_delay: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                   rng: Callable[[], float] = random.random) -> T:
    """``fn()``, retried on transient errors with exponential backoff and full jitter.

    Attempt *n* (1-based) that fails transiently waits ``rng() * min(max_delay, base_delay * 2**(n-1))``
    seconds. Fatal errors, and transient ones after ``max_attempts``, raise :class:`WarehouseError`
    naming ``what`` (the operation and table), the reason and what to do.
    """
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    attempt = 1
    while True:
        try:
            return fn()
        except Exception as exc:
            failure = classify(exc)
            if failure is None:
                raise
            if not failure.transient:
                raise WarehouseError(f"BigQuery {what} failed ({failure.reason}): {_summary(exc)}. "
                                     f"What to do: {failure.advice}.") from exc
            if attempt == max_attempts:
                raise WarehouseError(
                    f"BigQuery {what} still failed after {max_attempts} attempts with transient errors "
                    f"(last: {failure.reason}: {_summary(exc)}). BigQuery is overloaded or rate-limiting "
                    f"this table: lower the number of concurrent jobs on it (Snakemake resources) or "
                    f"raise `bigquery.max_attempts`, and {RESUME}.") from exc
            delay = rng() * min(max_delay, base_delay * 2 ** (attempt - 1))
            log.warning("%s: attempt %d of %d failed (%s); retrying in %.1f s",
                        what, attempt, max_attempts, failure.reason, delay)
            sleep(delay)
            attempt += 1
