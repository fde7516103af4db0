"""The bot's real ASGI app on a real uvicorn server on 127.0.0.1 (a free port), for in-process tests."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from slack_bolt import App
from sqlalchemy import create_engine

from bot.ops.health import HealthCheck
from bot.ops.metrics import Metrics
from bot.settings import Settings
from bot.web.app import WebParts, build_web_app
from bot.web.server import WebServer
from bot.web.slack import EVENTS_PATH, SlackEvents


@contextmanager
def serving(parts: WebParts, settings: Settings) -> Iterator[str]:
    """Serve the app built from `parts`; yields its base URL."""
    with WebServer(build_web_app(parts, settings), "127.0.0.1", 0) as server:
        yield f"http://127.0.0.1:{server.port}"


@contextmanager
def serving_bolt(bolt: App, signing_secret: str, settings: Settings) -> Iterator[str]:
    """Serve just a Bolt app on /slack/events; yields that URL."""
    route = SlackEvents(signing_secret)
    route.attach(bolt)
    db = create_engine("sqlite://")
    health = HealthCheck(db)
    health.mark_ready()
    try:
        with serving(WebParts(health, Metrics.create(), slack=route), settings) as base:
            yield base + EVENTS_PATH
    finally:
        db.dispose()
