"""run_with_retry: which BigQuery errors are retried, how long it waits, what it says when it stops."""
from __future__ import annotations

import logging

import pytest
import requests
import urllib3
from google.api_core import exceptions as api

from nbaprops.warehouse.base import WarehouseError
from nbaprops.warehouse.retry import run_with_retry


def err(cls, message="boom", reason=None):
    """A google.api_core exception shaped like the ones the BigQuery client raises."""
    return cls(message, errors=[{"reason": reason, "message": message}] if reason else [])


class Flaky:
    """Raises the given exceptions one call at a time, then returns 'done'."""

    def __init__(self, *failures):
        self.failures = list(failures)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "done"


def run(fn, *, rng=lambda: 1.0, **kwargs):
    delays = []
    result = run_with_retry(fn, what="replace_range nba_raw.t 2024-01-01..2024-01-31",
                            sleep=delays.append, rng=rng, **kwargs)
    return result, delays


TRANSIENT = [
    err(api.TooManyRequests, "Exceeded rate limits: too many table update operations", "rateLimitExceeded"),
    err(api.TooManyRequests, "too many jobs", "jobRateLimitExceeded"),
    err(api.TooManyRequests, "slow down"),  # a 429 without a reason
    err(api.Forbidden, "Exceeded rate limits", "rateLimitExceeded"),  # rate limits also come as 403
    err(api.InternalServerError, "oops", "backendError"),
    err(api.InternalServerError, "oops", "internalError"),
    err(api.InternalServerError, "oops"),
    err(api.ServiceUnavailable, "unavailable"),
    err(api.BadGateway, "bad gateway"),
    err(api.GatewayTimeout, "gateway timeout"),
    err(api.BadRequest, "Could not serialize access to table p.d.t due to concurrent update", "invalidQuery"),
    err(api.BadRequest, "Transaction is aborted due to concurrent update against table p.d.t", "invalidQuery"),
    err(api.InternalServerError, "Error encountered during execution. Retrying the job may solve the problem."),
    err(api.BadRequest, "Too many DML statements outstanding against table p.d.t, limit is 20", "invalidQuery"),
    ConnectionResetError("connection reset by peer"),
    TimeoutError("timed out"),
    requests.exceptions.ConnectionError("connection aborted"),
    requests.exceptions.ReadTimeout("read timed out"),
    urllib3.exceptions.ProtocolError("Connection aborted."),
    api.RetryError("Deadline of 600.0s exceeded", cause=err(api.ServiceUnavailable, "unavailable")),
]


@pytest.mark.parametrize("exc", TRANSIENT, ids=lambda e: f"{type(e).__name__}-{str(e)[:40]}")
def test_transient_errors_are_retried(exc):
    fn = Flaky(exc)
    result, delays = run(fn)
    assert result == "done" and fn.calls == 2 and len(delays) == 1


def test_delays_grow_exponentially_with_full_jitter_and_cap():
    rate = err(api.TooManyRequests, "slow down", "rateLimitExceeded")
    fn = Flaky(*[rate] * 6)
    result, delays = run(fn, base_delay=1.0, max_delay=10.0, rng=lambda: 1.0)
    assert result == "done" and fn.calls == 7
    assert delays == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    # Full jitter: the wait is a random fraction of the exponential ceiling.
    _, jittered = run(Flaky(rate, rate, rate), base_delay=2.0, rng=lambda: 0.25)
    assert jittered == [0.5, 1.0, 2.0]


def test_success_after_several_transient_failures_logs_each_retry(caplog):
    fn = Flaky(err(api.ServiceUnavailable, "unavailable"), err(api.TooManyRequests, "x", "rateLimitExceeded"))
    with caplog.at_level(logging.WARNING, logger="nbaprops.warehouse.retry"):
        result, delays = run(fn, rng=lambda: 0.5)
    assert result == "done" and delays == [0.5, 1.0]
    messages = [r.getMessage() for r in caplog.records if r.name == "nbaprops.warehouse.retry"]
    assert len(messages) == 2
    assert "attempt 1 of 8" in messages[0] and "retrying in 0.5 s" in messages[0] and "HTTP 503" in messages[0]
    assert "attempt 2 of 8" in messages[1] and "rateLimitExceeded" in messages[1]
    assert all("replace_range nba_raw.t" in m for m in messages)


FATAL = [
    (err(api.Forbidden, "Quota exceeded: Your table exceeded quota for imports", "quotaExceeded"),
     ["quotaExceeded", "nbaprops resume"]),
    (err(api.TooManyRequests, "Quota exceeded", "quotaExceeded"), ["quotaExceeded", "nbaprops resume"]),
    (err(api.Forbidden, "Access Denied: Table p:d.t", "accessDenied"),
     ["accessDenied", "service account's roles"]),
    (err(api.Forbidden, "Permission bigquery.jobs.create denied"), ["accessDenied", "service account's roles"]),
    (err(api.NotFound, "Not found: Dataset p:nba_raw", "notFound"), ["notFound", "bigquery.datasets"]),
    (err(api.BadRequest, "Invalid value for x", "invalid"), ["invalid", "fix the statement"]),
    (err(api.BadRequest, "Syntax error: Unexpected keyword FROM at [3:1]", "invalidQuery"),
     ["invalidQuery", "Syntax error", "fix the statement"]),
    (err(api.BadRequest, "Query exceeded limit for bytes billed: 1000. 20971520 or higher required.",
         "bytesBilledLimitExceeded"), ["bytesBilledLimitExceeded", "bigquery.maximum_bytes_billed"]),
    (err(api.BadRequest, "Query exceeded limit for bytes billed: 1000.", "invalidQuery"),
     ["bytesBilledLimitExceeded", "bigquery.maximum_bytes_billed"]),
    (err(api.Conflict, "Already Exists: Job p:US.nbaprops_x", "duplicate"), ["duplicate"]),
]


@pytest.mark.parametrize("exc,words", FATAL, ids=lambda v: str(v)[:40] if isinstance(v, Exception) else "")
def test_fatal_errors_raise_at_once_with_what_and_what_to_do(exc, words):
    fn = Flaky(exc)
    with pytest.raises(WarehouseError) as info:
        run(fn)
    assert fn.calls == 1
    message = str(info.value)
    assert "replace_range nba_raw.t 2024-01-01..2024-01-31" in message and "What to do:" in message
    for word in words:
        assert word in message
    assert info.value.__cause__ is exc


def test_attempts_exhausted_says_so():
    fn = Flaky(*[err(api.TooManyRequests, "Exceeded rate limits", "rateLimitExceeded")] * 5)
    with pytest.raises(WarehouseError) as info:
        run(fn, max_attempts=3)
    assert fn.calls == 3
    message = str(info.value)
    assert "after 3 attempts" in message and "rateLimitExceeded" in message
    assert "bigquery.max_attempts" in message and "nbaprops resume" in message


def test_errors_not_from_the_service_pass_through_untouched():
    for exc in (ValueError("a bug"), requests.exceptions.SSLError("certificate verify failed")):
        fn = Flaky(exc)
        with pytest.raises(type(exc)) as info:
            run(fn)
        assert info.value is exc and fn.calls == 1


def test_max_attempts_must_be_positive():
    with pytest.raises(ValueError, match="max_attempts"):
        run(Flaky(), max_attempts=0)
