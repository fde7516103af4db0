"""/healthz and /metrics: beside an adapter's own routes, or on a port of their own.

HTTP mode serves them on the same server as /slack/events (`with_ops`, WSGI); Socket Mode, which has
no inbound server, gets a small one on METRICS_HOST:METRICS_PORT (`make_ops_server`). A server that is
not WSGI (Teams' `BaseHTTPRequestHandler`) calls `ops_response(path, …)` in its GET handler.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.ops.health import HealthCheck
from bot.ops.metrics import Metrics
from bot.settings import Settings

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
OPS_PATHS = (HEALTH_PATH, METRICS_PATH)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    # Non-daemon request threads: `server_close()` waits for requests being handled (graceful stop).
    daemon_threads = False
    block_on_close = True


class QuietHandler(WSGIRequestHandler):
    timeout = 60  # seconds a client may stall; a graceful stop waits for open requests

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return  # scrapes every few seconds would drown the log


@dataclass(frozen=True)
class OpsResponse:
    status: int
    reason: str
    content_type: str
    body: bytes


def ops_response(path: str, health: HealthCheck, metrics: Metrics) -> OpsResponse | None:
    """GET /healthz: 200 {"status": "ok"} or 503 with what is wrong; GET /metrics: Prometheus text.
    None for any other path."""
    if path == HEALTH_PATH:
        status = health.status()
        body = json.dumps(status.as_json()).encode("utf-8")
        if status.ok:
            return OpsResponse(200, "OK", "application/json", body)
        return OpsResponse(503, "Service Unavailable", "application/json", body)
    if path == METRICS_PATH:
        return OpsResponse(200, "OK", CONTENT_TYPE_LATEST, generate_latest(metrics.registry))
    return None


def ops_app(health: HealthCheck, metrics: Metrics) -> WsgiApp:
    """/healthz and /metrics as a WSGI app (404 for anything else)."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        response = ops_response(environ.get("PATH_INFO", ""), health, metrics)
        if response is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response(f"{response.status} {response.reason}",
                       [("Content-Type", response.content_type), ("Content-Length", str(len(response.body)))])
        return [response.body]

    return application


def with_ops(app: WsgiApp, health: HealthCheck, metrics: Metrics) -> WsgiApp:
    """`app` with /healthz and /metrics in front of it."""
    ops = ops_app(health, metrics)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in OPS_PATHS:
            return ops(environ, start_response)
        return app(environ, start_response)

    return application


def make_wsgi_server(app: WsgiApp, host: str, port: int) -> ThreadingWSGIServer:
    """A threaded WSGI server, bound and ready; call `serve_forever()` (port 0: see `server_port`)."""
    return make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)


def make_ops_server(settings: Settings, health: HealthCheck, metrics: Metrics) -> ThreadingWSGIServer:
    return make_wsgi_server(ops_app(health, metrics), settings.metrics_host, settings.metrics_port)
