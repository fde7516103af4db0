"""The ASGI application: Slack events, Teams activities, /healthz, /readyz and /metrics.

Every route but the ops routes is optional: `schakel serve --http` adds /slack/events, `--teams`
adds /api/messages, both add both, and Socket Mode serves only the ops routes on its metrics port.
Bad input gets a 4xx with a JSON `{"error": ...}`: unknown path 404, wrong method 405, body too
large 413, too slow 408 (bot/web/limits.py), unsigned 401, unreadable 400. A 500 is left only for
a fault of Schakel's own, and then says nothing about it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from bot.ops.health import HealthCheck
from bot.ops.metrics import Metrics
from bot.settings import Settings
from bot.web.limits import RequestLimits
from bot.web.slack import EVENTS_PATH, SlackEvents
from bot.web.teams import MESSAGES_PATH, TeamsActivities

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebParts:
    health: HealthCheck
    metrics: Metrics
    slack: SlackEvents | None = None
    teams: TeamsActivities | None = None


def build_web_app(parts: WebParts, settings: Settings) -> ASGIApp:
    async def healthz(_request: Request) -> Response:
        # The database check blocks: keep it off the event loop.
        status = await run_in_threadpool(parts.health.status)
        return JSONResponse(status.as_json(), status_code=200 if status.ok else 503)

    async def readyz(_request: Request) -> Response:
        state = parts.health.readiness()
        if state == "loaded":
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": state}, status_code=503)

    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(parts.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    routes = [Route("/healthz", healthz, methods=["GET"]), Route("/readyz", readyz, methods=["GET"]),
              Route("/metrics", metrics, methods=["GET"])]
    if parts.slack is not None:
        routes.append(Route(EVENTS_PATH, parts.slack.handle, methods=["POST"]))
    if parts.teams is not None:
        routes.append(Route(MESSAGES_PATH, parts.teams.handle, methods=["POST"]))
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error, Exception: _fault})
    return RequestLimits(app, max_bytes=settings.http_max_body_bytes, read_timeout=settings.http_read_timeout_seconds)


async def _http_error(_request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    headers = dict(error.headers or {})  # 405 names the allowed methods
    return JSONResponse({"error": error.detail.lower()}, status_code=error.status_code, headers=headers)


async def _fault(_request: Request, error: Exception) -> Response:
    log.error("request failed: %s", type(error).__name__, extra={"fields": {"error": type(error).__name__}})
    return JSONResponse({"error": "internal error"}, status_code=500)
