"""Run the Slack bot: Socket Mode (default, no inbound port) or HTTP mode on /slack/events.

One process is one replica: several may share DATABASE_URL (and a Chroma server); the shared
idempotency keys and the reflection sent-log make each event and each prompt happen once.
Either mode serves /healthz and /metrics (HTTP mode on its own port, Socket Mode on METRICS_PORT),
runs the reflection scheduler, and on SIGTERM stops intake, lets running answers finish, then
releases the scheduler and the database.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click
from slack_bolt import App
from sqlalchemy import Engine

from bot.knowledge.loader import load_knowledge
from bot.ops.health import HealthCheck
from bot.ops.metrics import Metrics, MeasuredEngine, MeasuredPoster
from bot.ops.shutdown import DrainingExecutor, serving, stop_on_signals, wait_for_stop
from bot.settings import Settings

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackRuntime:
    """Everything a serving Slack process holds, so shutdown can release it in order."""

    app: App
    db: Engine
    workers: DrainingExecutor
    metrics: Metrics
    health: HealthCheck


def create_slack_runtime(settings: Settings) -> SlackRuntime:
    """Load the knowledge, the index and the model once, and wire them into the Bolt app."""
    from bot.core.engine import AnswerEngine
    from bot.slack.app import build_app
    from bot.slack.deps import SlackDeps
    from bot.state.db import create_db_engine
    from bot.state.people import PeopleStore

    db = create_db_engine(settings)
    metrics = Metrics.create()
    health = HealthCheck(db)
    people = PeopleStore(db, load_knowledge(settings.knowledge_dir))
    engine = AnswerEngine.from_settings(settings, people=people)
    engine.warm_up()
    workers = DrainingExecutor()
    deps = SlackDeps.build(settings, MeasuredEngine(engine, metrics), db, people=people)
    app = build_app(settings, deps, listener_executor=workers)
    return SlackRuntime(app, db, workers, metrics, health)


def serve_slack(settings: Settings, http_mode: bool | None = None, host: str = "127.0.0.1", port: int = 3000) -> None:
    """Serve until SIGTERM or Ctrl-C. `http_mode=None`: Socket Mode when SLACK_APP_TOKEN is set, else HTTP."""
    if http_mode is None:
        http_mode = settings.slack_app_token is None
    if settings.slack_bot_token is None:
        raise click.ClickException("SLACK_BOT_TOKEN ontbreekt. Zie guides/slack-setup.md.")
    if http_mode and settings.slack_signing_secret is None:
        raise click.ClickException("HTTP-modus heeft SLACK_SIGNING_SECRET nodig. Zie guides/slack-setup.md.")
    if not http_mode and settings.slack_app_token is None:
        raise click.ClickException(
            "Socket Mode heeft SLACK_APP_TOKEN (xapp-…) nodig, of start met --http. Zie guides/slack-setup.md."
        )
    stop = threading.Event()
    stop_on_signals(stop)
    runtime = create_slack_runtime(settings)
    scheduler = _start_reflection(settings, runtime.metrics)
    try:
        if http_mode:
            _serve_http(runtime, host, port, stop)
        else:
            _serve_socket_mode(settings, runtime, stop)
    finally:
        _release(settings, runtime, scheduler)


def _serve_http(runtime: SlackRuntime, host: str, port: int, stop: threading.Event) -> None:
    from bot.ops.web import make_wsgi_server, with_ops
    from bot.slack.http import EVENTS_PATH, wsgi_app

    server = make_wsgi_server(with_ops(wsgi_app(runtime.app), runtime.health, runtime.metrics), host, port)
    click.echo(f"Schakel luistert op http://{host}:{server.server_port}{EVENTS_PATH}", err=True)
    with serving(server):
        runtime.health.mark_ready()
        wait_for_stop(stop)
        runtime.health.mark_stopping()


def _serve_socket_mode(settings: Settings, runtime: SlackRuntime, stop: threading.Event) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.ops.web import make_ops_server

    assert settings.slack_app_token is not None
    ops_server = make_ops_server(settings, runtime.health, runtime.metrics)
    click.echo(f"Schakel maakt verbinding via Socket Mode (health en metrics op "
               f"http://{settings.metrics_host}:{ops_server.server_port}).", err=True)
    with serving(ops_server):
        handler = SocketModeHandler(runtime.app, settings.slack_app_token.get_secret_value())
        handler.connect()
        runtime.health.mark_ready()
        wait_for_stop(stop)
        runtime.health.mark_stopping()
        handler.close()  # no new events; Slack hands them to the other connections (replicas)


def _start_reflection(settings: Settings, metrics: Metrics) -> BackgroundScheduler:
    from bot.reflection.scheduler import start_scheduler
    from bot.reflection.slack_poster import SlackPromptPoster

    return start_scheduler(settings, MeasuredPoster(SlackPromptPoster.from_settings(settings), metrics, "slack"))


def _release(settings: Settings, runtime: SlackRuntime, scheduler: BackgroundScheduler) -> None:
    from bot.reflection.scheduler import stop_scheduler

    running = runtime.workers.in_flight()
    finished = runtime.workers.drain(settings.shutdown_timeout_seconds)
    stop_scheduler(scheduler)
    runtime.db.dispose()
    log.info("stopped", extra={"fields": {"answers_in_flight": running, "all_finished": finished}})
