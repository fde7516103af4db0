"""/healthz and /metrics as a WSGI app: beside an adapter's own routes, or on a port of their own.

HTTP mode serves them on the same server as /slack/events (`with_ops`); Socket Mode, which has no
inbound server, gets a small one on METRICS_HOST:METRICS_PORT (`make_ops_server`). Another adapter
(Teams) mounts the same app with `with_ops` or serves `ops_app` itself.
"""

from __future__ import annotations

import json
from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

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
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return  # scrapes every few seconds would drown the log


def ops_app(health: HealthCheck, metrics: Metrics) -> WsgiApp:
    """GET /healthz: 200 {"status": "ok"} or 503 with what is wrong; GET /metrics: Prometheus text."""
    prometheus = make_wsgi_app(metrics.registry)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == HEALTH_PATH:
            status = health.status()
            body = json.dumps(status.as_json()).encode("utf-8")
            start_response("200 OK" if status.ok else "503 Service Unavailable",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if path == METRICS_PATH:
            return prometheus(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

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
