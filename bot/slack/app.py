"""Build the Bolt app: a Web API client with retries, Schakel's listeners, and nothing global."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.settings import Settings
from bot.slack import listeners
from bot.slack.client import build_client
from bot.slack.deps import SlackDeps

log = logging.getLogger(__name__)


def build_app(settings: Settings, deps: SlackDeps, client: WebClient | None = None,
              listener_executor: Executor | None = None) -> App:
    """The Bolt app for Socket Mode and HTTP mode alike.

    `process_before_response=True`: each listener's ack function (quick) decides the response, and
    the real work runs in lazy listeners on Bolt's executor, so acks never wait for the engine.
    """
    signing_secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = App(
        client=client or build_client(settings),
        signing_secret=signing_secret,
        process_before_response=True,
        # Bolt's own middleware drops Schakel's own events (user id from auth.test at start-up).
        ignoring_self_events_enabled=True,
        logger=logging.getLogger("slack_bolt"),
        listener_executor=listener_executor,
    )

    @app.error
    def log_error(error: Exception, body: dict[str, Any]) -> None:
        # The body holds message text: log only what kind of request failed.
        log.error("slack listener failed: %s", type(error).__name__,
                  extra={"fields": {"error": type(error).__name__, "type": body.get("type"),
                                    "event_type": (body.get("event") or {}).get("type")}})

    listeners.register(app, deps)
    return app
