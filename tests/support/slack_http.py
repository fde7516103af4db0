"""The HTTP side of the fake Slack Web API (slack_api.py): what a call is, and the handler that parses a request,
asks the fake for an answer or a failure, and records the call."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    status: int = 200
    at: float = field(default_factory=time.time)  # when the call arrived (for measurements, not assertions)
    refused: str | None = None  # the error of an `ok: false` answer given with `refuse`

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.refused is None

    def json_param(self, name: str) -> Any:
        """A parameter that may arrive JSON-encoded in a form post (blocks, view) or as JSON."""
        value = self.params.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value


@dataclass
class Failure:
    status: int
    remaining: int
    retry_after: int
    until: float | None = None  # time.monotonic() until which every call fails
    error: str | None = None  # HTTP 200 with `ok: false` and this error (a refusal no retry changes)


class Recorder(Protocol):
    def _take_failure(self, method: str) -> Failure | None: ...

    def _record(self, call: ApiCall) -> None: ...

    def _respond(self, method: str, params: dict[str, Any]) -> dict[str, Any]: ...


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the stdlib's 5 drops connections when a load test's bot posts in bursts


def handler_for(server: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output clean
            return

        def do_GET(self) -> None:
            self._handle(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._handle(self.rfile.read(length))

        def _handle(self, body: bytes) -> None:
            path, _, query = self.path.partition("?")
            # A response_url the test hands to the bot (`server.response_url("x")`) is recorded as "response_url".
            method = "response_url" if path.startswith("/response/") else path.rsplit("/", 1)[-1]
            params: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
            content_type = self.headers.get("Content-Type", "")
            if body:
                if "json" in content_type:
                    params.update(json.loads(body))
                else:
                    params.update({k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()})
            headers = {k.lower(): v for k, v in self.headers.items()}
            failure = server._take_failure(method)
            if failure and failure.error:
                server._record(ApiCall(method, params, headers, refused=failure.error))
                self._send(200, {"ok": False, "error": failure.error}, {})
                return
            if failure:
                server._record(ApiCall(method, params, headers, status=failure.status))
                extra = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
                error = "ratelimited" if failure.status == 429 else "internal_error"
                self._send(failure.status, {"ok": False, "error": error}, extra)
                return
            payload = server._respond(method, params)
            server._record(ApiCall(method, params, headers))
            self._send(200, payload, {})

        def _send(self, status: int, payload: dict[str, Any], extra: dict[str, str]) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler
