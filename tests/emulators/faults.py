"""A loopback HTTP proxy that injects the failures BigQuery and Cloud Storage are known to return.

bqemulator and fake-gcs-server never rate-limit or fail on their own, so retry code needs help to
be tested. :class:`FaultProxy` listens on 127.0.0.1, forwards every request to one upstream URL on
127.0.0.1 and, for a share of requests chosen by a seeded random generator (or for requests
matching a rule), answers instead with:

* ``rate_limited``      429 ``rateLimitExceeded`` ("Exceeded rate limits: too many table update
                        operations for this table"), before the request reaches the server;
* ``backend_error``     500 ``backendError``, before the request reaches the server;
* ``unavailable``       503 ``backendError``, before the request reaches the server;
* ``concurrent_update`` 400 ``invalidQuery`` "Could not serialize access to table … due to
                        concurrent update" — AFTER the server ran the request, as BigQuery reports
                        a DML job that lost a serialisation conflict;
* ``dropped``           the request is forwarded, the server acts on it, and the connection is
                        closed without an answer (a lost response);
* ``quota_exceeded``    403 ``quotaExceeded`` (a daily quota: must not be retried);
* ``access_denied``     403 ``accessDenied`` (a missing permission: must not be retried).

It is bounded: it serves at most ``max_requests`` requests, shuts itself down after ``lifetime``
seconds, binds only 127.0.0.1 and refuses upstreams that are not on the loopback interface.
"""
from __future__ import annotations

import http.client
import json
import random
import re
import threading
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TRANSIENT = ("rate_limited", "backend_error", "unavailable", "concurrent_update", "dropped")
FATAL = ("quota_exceeded", "access_denied")
_CANNED = {
    "rate_limited": (429, "rateLimitExceeded",
                     "Exceeded rate limits: too many table update operations for this table"),
    "backend_error": (500, "backendError", "Backend error. Retrying the job may solve the problem."),
    "unavailable": (503, "backendError", "The service is currently unavailable."),
    "concurrent_update": (400, "invalidQuery",
                          "Could not serialize access to table test:nba.table due to concurrent update"),
    "quota_exceeded": (403, "quotaExceeded",
                       "Quota exceeded: Your table exceeded quota for imports or query appends per table"),
    "access_denied": (403, "accessDenied",
                      "Access Denied: Project test: User does not have bigquery.jobs.create permission"),
}
_AFTER_FORWARDING = {"concurrent_update", "dropped"}
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection",
               "content-length"}


def error_body(kind: str) -> tuple[int, bytes]:
    status, reason, message = _CANNED[kind]
    body = {"error": {"code": status, "message": message, "status": reason,
                      "errors": [{"reason": reason, "message": message, "domain": "global"}]}}
    return status, json.dumps(body).encode()


@dataclass
class FaultPlan:
    """Which requests fail and how.

    ``share`` of the requests whose ``METHOD path`` matches ``only`` (a regex; everything by
    default) fail, each with a kind drawn from ``kinds``; ``seed`` makes the draw repeatable.
    ``max_faults`` caps the injected failures (None: no cap).
    """

    share: float = 0.0
    kinds: tuple[str, ...] = TRANSIENT
    only: str = ""
    seed: int = 6
    max_faults: int | None = None
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self):
        unknown = set(self.kinds) - set(_CANNED) - {"dropped"}
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}")
        self._rng = random.Random(self.seed)
        self._pattern = re.compile(self.only)

    def choose(self, request_line: str, injected: int) -> str | None:
        if self.max_faults is not None and injected >= self.max_faults:
            return None
        if not self._pattern.search(request_line):
            return None
        if self._rng.random() >= self.share:
            return None
        return self._rng.choice(self.kinds)


class FaultProxy:
    """``with FaultProxy(upstream, plan) as proxy:`` — point a client at ``proxy.url``."""

    def __init__(self, upstream: str, plan: FaultPlan | None = None, *, lifetime: float = 600.0,
                 max_requests: int = 20_000):
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.scheme != "http" or parsed.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError(f"FaultProxy forwards only to http://127.0.0.1, not {upstream!r}")
        self.upstream = upstream.rstrip("/")
        self._upstream_host, self._upstream_port = parsed.hostname, parsed.port
        self.plan = plan or FaultPlan()
        self.lifetime = lifetime
        self.max_requests = max_requests
        self.injected: Counter[str] = Counter()
        self.requests = 0
        self.log: list[tuple[str, str]] = []  # (request line, fault kind or "ok")
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._deadline: threading.Timer | None = None
        self._url = ""

    @property
    def url(self) -> str:
        return self._url

    def set_plan(self, plan: FaultPlan) -> None:
        with self._lock:
            self.plan = plan

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> FaultProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _handle(self):
                proxy._serve(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):  # clients drop connections on purpose
                pass

        self._server = Server(("127.0.0.1", 0), Handler)
        host, port = self._server.server_address[:2]
        self._url = f"http://{host}:{port}"
        threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True).start()
        self._deadline = threading.Timer(self.lifetime, self.stop)  # bounded, whatever the test does
        self._deadline.daemon = True
        self._deadline.start()
        return self

    def stop(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._deadline is not None and self._deadline is not threading.current_thread():
            self._deadline.cancel()

    # ------------------------------------------------------------------ serving
    def _decide(self, request_line: str) -> str | None:
        with self._lock:
            self.requests += 1
            if self.requests > self.max_requests:
                return "unavailable"
            kind = self.plan.choose(request_line, sum(self.injected.values()))
            if kind:
                self.injected[kind] += 1
            self.log.append((request_line, kind or "ok"))
            return kind

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        request_line = f"{handler.command} {urllib.parse.urlsplit(handler.path).path}"
        kind = self._decide(request_line)
        if kind and kind not in _AFTER_FORWARDING:
            self._reply(handler, *error_body(kind), {"Content-Type": "application/json"})
            return
        try:
            status, headers, payload = self._forward(handler, body)
        except OSError as exc:
            self._reply(handler, 502, json.dumps({"error": {"code": 502, "message": str(exc)}}).encode(),
                        {"Content-Type": "application/json"})
            return
        if kind == "dropped":  # the server acted; the client never hears about it
            handler.close_connection = True
            try:
                handler.connection.shutdown(2)
            except OSError:
                pass
            return
        if kind == "concurrent_update":
            self._reply(handler, *error_body(kind), {"Content-Type": "application/json"})
            return
        self._reply(handler, status, payload, headers)

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes):
        connection = http.client.HTTPConnection(self._upstream_host, self._upstream_port, timeout=300)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP_BY_HOP | {"host"}}
            if body or handler.command in ("POST", "PUT", "PATCH"):
                headers["Content-Length"] = str(len(body))
            connection.request(handler.command, handler.path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            out = {k: v for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP}
            if "Location" in out:  # resumable uploads continue through the proxy too
                out["Location"] = out["Location"].replace(self.upstream, self.url)
            return response.status, out, payload
        finally:
            connection.close()

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, payload: bytes, headers: dict) -> None:
        try:
            handler.send_response(status)
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(payload)
        except OSError:
            handler.close_connection = True
