"""`schakel serve --teams`: a threaded HTTP server for Bot Framework activities on /api/messages.

Per request: size limit, JSON, the Bot Framework token (whenever TEAMS_APP_ID is set), the
activity's shape, then exactly-once. The token check and the activity models are the Teams SDK's
(bot/teams/auth.py, activities.py); the server is ours, because the SDK's own (FastAPI) answers
broken JSON with 500, has no size limit, and reads its configuration from the environment. Invokes (card actions) are answered in the response; messages
get 202 at once and are answered on a worker pool, because Teams retries a request that takes
longer than a few seconds, and answering can take that long.
"""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import click

from bot.settings import Settings
from bot.teams.activities import BadActivity, Incoming
from bot.teams.auth import AuthError, InboundValidator
from bot.teams.bot import TeamsBot

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
MAX_BODY_BYTES = 256 * 1024  # Teams messages are at most about 28 KB; this leaves room for cards
WORKERS = 4


class TeamsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], bot: TeamsBot, validator: InboundValidator | None,
                 workers: int = WORKERS) -> None:
        super().__init__(address, _Handler)
        self.bot = bot
        self.validator = validator
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="teams-answer")

    def server_close(self) -> None:
        """Close the socket, then let running answers finish."""
        super().server_close()
        self.executor.shutdown(wait=True)

    def close(self) -> None:
        """Stop taking requests, then let running answers finish (after `serve_forever` in another thread)."""
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: TeamsServer

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path == "/healthz":
            self._send(200, {"status": "ok"})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        if self.path.split("?", 1)[0] != MESSAGES_PATH:
            self._send(404, {"error": "not found"})
            return
        try:
            status, body = self._handle()
        except Exception as error:  # never a traceback to the caller
            log.error("teams request failed: %s", type(error).__name__)
            status, body = 500, {"error": "internal error"}
        self._send(status, body)

    def _handle(self) -> tuple[int, dict[str, Any] | None]:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return 400, {"error": "invalid Content-Length"}
        if length > MAX_BODY_BYTES:
            return 413, {"error": f"request body larger than {MAX_BODY_BYTES} bytes"}
        raw = self.rfile.read(length) if length > 0 else b""
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return 400, {"error": "the request body is not valid JSON"}
        validator = self.server.validator
        if validator:
            # The token first: nobody without one gets as far as the activity parser. It must have been
            # issued for the serviceUrl Schakel would reply to.
            service_url = body.get("serviceUrl") if isinstance(body, dict) else None
            try:
                validator.validate(self.headers.get("Authorization"),
                                   service_url if isinstance(service_url, str) and service_url else None)
            except AuthError as error:
                log.warning("teams request rejected: %s", error)
                return 401, {"error": "unauthorized"}
        try:
            incoming = Incoming.parse(body)
        except BadActivity as error:
            return 400, {"error": str(error)}
        if incoming is None:
            return 200, None  # typing, reactions, deletes: nothing to do
        bot = self.server.bot
        if not bot.claim(incoming):
            return 200, None  # already handled (retry or another replica)
        if incoming.is_invoke:
            return 200, bot.on_invoke(incoming)
        self.server.executor.submit(bot.on_activity, incoming)
        return 202, None

    def _send(self, status: int, body: dict[str, Any] | None) -> None:
        payload = json.dumps(body).encode("utf-8") if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return  # access lines are noise; Schakel logs what it does itself


def make_teams_server(settings: Settings, bot: TeamsBot, host: str = "127.0.0.1", port: int = 3978) -> TeamsServer:
    """Bound and ready; call `serve_forever()` (port 0 picks a free port: see `server_port`)."""
    validator = InboundValidator(settings) if settings.teams_app_id else None
    return TeamsServer((host, port), bot, validator)


def build_bot(settings: Settings) -> TeamsBot:
    """Knowledge, index and model loaded once, wired to the shared database."""
    from bot.console import load_engine
    from bot.state.db import create_db_engine
    from bot.teams.bot import TeamsDeps

    return TeamsBot(TeamsDeps.build(settings, load_engine(settings), create_db_engine(settings)))


def serve_teams(settings: Settings, host: str = "127.0.0.1", port: int = 3978) -> None:
    """Serve until SIGTERM or Ctrl-C, with the reflection scheduler posting to Teams channels. A stop lets
    the answers in flight finish: their messages were acknowledged (202) and claimed, so nobody retries them."""
    from bot.ops.shutdown import serving, stop_on_signals, wait_for_stop
    from bot.reflection.scheduler import start_scheduler, stop_scheduler

    if not settings.teams_app_id:
        click.echo("Let op: TEAMS_APP_ID ontbreekt, dus verzoeken worden niet gecontroleerd. "
                   "Alleen voor lokaal testen; zie guides/teams-setup.md.", err=True)
    stop = threading.Event()
    stop_on_signals(stop)
    bot = build_bot(settings)
    server = make_teams_server(settings, bot, host, port)
    scheduler = start_scheduler(settings, {"teams": bot.deps.prompt_poster()})
    click.echo(f"Schakel luistert op http://{host}:{server.server_port}{MESSAGES_PATH}", err=True)
    try:
        with serving(server):  # on leaving: intake stops first, then the answers in flight finish
            wait_for_stop(stop)
    finally:
        stop_scheduler(scheduler)
        bot.deps.connector.close()
