"""HTTP mode: a threaded WSGI server that passes POST /slack/events to Bolt (which checks signatures)."""

from __future__ import annotations

from socketserver import ThreadingMixIn
from typing import Any, Callable, Iterable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return  # access lines are noise; Schakel logs what it does itself


def wsgi_app(app: App) -> Callable[..., Iterable[bytes]]:
    bolt = SlackRequestHandler(app)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            return bolt(environ, start_response)
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


def make_http_server(app: App, host: str = "127.0.0.1", port: int = 3000) -> ThreadingWSGIServer:
    """Bound and ready; call `serve_forever()` (port 0 picks a free port: see `server_port`)."""
    return make_server(host, port, wsgi_app(app), server_class=ThreadingWSGIServer, handler_class=QuietHandler)
