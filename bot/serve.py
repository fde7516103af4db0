"""`schakel serve`: one replica. Slack (Socket Mode or HTTP) and/or Teams, on one ASGI app on uvicorn.

Order of a replica's life:
1. listen at once (HTTP port, or Socket Mode's metrics port): /healthz and /readyz say "loading";
2. load the knowledge, the index and the model; wire the adapters to the answer worker pool (sized
   by ANSWER_WORKERS, with MODEL_THREADS per worker, bot/threads.py), start the outbox worker and the
   reflection scheduler; then ready;
3. on SIGTERM: not ready, stop taking events (Socket Mode disconnects, the listener closes), finish
   the answers in flight (at most SHUTDOWN_TIMEOUT_SECONDS), stop the outbox worker and the
   scheduler, close the database, exit 0.
Several replicas may share DATABASE_URL (and a Chroma server): the shared idempotency keys, outbox
and reflection sent-log make each event, answer and prompt happen once.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy import Engine

from bot.ops.health import HealthCheck
from bot.ops.metrics import Metrics
from bot.ops.shutdown import DrainingExecutor, stop_on_signals, wait_for_stop
from bot.settings import Settings
from bot.web.app import WebParts, build_web_app
from bot.web.server import ServerStartError, WebServer
from bot.web.slack import EVENTS_PATH, SlackEvents
from bot.web.teams import MESSAGES_PATH, TeamsActivities

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.knowledge.loader import KnowledgeBase
    from bot.ops.redelivery import OutboxWorker
    from bot.teams.connector import ConnectorClient

log = logging.getLogger(__name__)

GIL_SWITCH_SECONDS = 0.001
SLACK_HTTP_PORT = 3000
TEAMS_PORT = 3978


@dataclass(frozen=True)
class Mode:
    slack: str | None  # "socket", "http" or None
    teams: bool

    @property
    def listens(self) -> bool:
        """An inbound port for events (else only the metrics port)."""
        return self.slack == "http" or self.teams


def choose_mode(settings: Settings, http: bool, teams: bool) -> Mode:
    """What to serve, or a ClickException saying which setting is missing."""
    if teams and not settings.teams_app_id:
        click.echo("Let op: TEAMS_APP_ID ontbreekt, dus verzoeken worden niet gecontroleerd. "
                   "Alleen voor lokaal testen; zie guides/teams-setup.md.", err=True)
    slack = "http" if http else (None if teams else ("socket" if settings.slack_app_token else "http"))
    if slack is None:
        return Mode(None, teams)
    if settings.slack_bot_token is None:
        raise click.ClickException("SLACK_BOT_TOKEN ontbreekt. Zie guides/slack-setup.md.")
    if slack == "http" and settings.slack_signing_secret is None:
        raise click.ClickException("HTTP-modus heeft SLACK_SIGNING_SECRET nodig. Zie guides/slack-setup.md.")
    return Mode(slack, teams)


@dataclass
class Replica:
    """What a serving process holds, so that a stop can release it in order."""

    workers: DrainingExecutor
    outbox_worker: OutboxWorker
    scheduler: BackgroundScheduler
    socket_mode: SocketModeHandler | None = None
    connector: ConnectorClient | None = None

    def stop_intake(self) -> None:
        """Socket Mode: disconnect, so Slack hands new events to the other replicas."""
        if self.socket_mode is not None:
            self.socket_mode.close()

    def release(self, settings: Settings) -> None:
        from bot.reflection.scheduler import stop_scheduler

        running = self.workers.in_flight()
        finished = self.workers.drain(settings.shutdown_timeout_seconds)
        self.outbox_worker.stop()
        stop_scheduler(self.scheduler)
        if self.connector is not None:
            self.connector.close()
        log.info("stopped", extra={"fields": {"answers_in_flight": running, "all_finished": finished}})


def serve(settings: Settings, *, http: bool = False, teams: bool = False, host: str = "127.0.0.1",
          port: int | None = None) -> None:
    """Serve until SIGTERM or Ctrl-C, then stop gracefully (exit 0)."""
    from bot.state.db import create_db_engine
    from bot.teams.auth import InboundValidator

    mode = choose_mode(settings, http, teams)
    # The answer workers hold the GIL in long stretches of Python; a thread that waits for it gets it
    # after at most this long. The default 5 ms, paid at every hop of a request, made acks slow under load.
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    stop = threading.Event()
    stop_on_signals(stop)
    db = create_db_engine(settings)
    metrics, health = Metrics.create(), HealthCheck(db)
    slack_route = SlackEvents(settings.slack_signing_secret.get_secret_value()) \
        if mode.slack == "http" and settings.slack_signing_secret else None
    teams_route = TeamsActivities(InboundValidator(settings) if settings.teams_app_id else None) if mode.teams else None
    app = build_web_app(WebParts(health, metrics, slack_route, teams_route), settings)
    if mode.listens:
        listen = (host, port if port is not None else (SLACK_HTTP_PORT if mode.slack == "http" else TEAMS_PORT))
    else:
        listen = (settings.metrics_host, settings.metrics_port)
    try:
        server = WebServer(app, *listen).start()
    except ServerStartError as error:
        db.dispose()
        raise click.ClickException(f"Kan niet luisteren op {listen[0]}:{listen[1]} (poort al in gebruik?).") from error
    click.echo(_banner(mode, listen[0], server.port), err=True)
    replica: Replica | None = None
    try:
        replica = start_replica(settings, mode, db, metrics, slack_route, teams_route)
        health.mark_ready()
        wait_for_stop(stop)
    finally:
        health.mark_stopping()
        if replica is not None:
            replica.stop_intake()
        server.stop()  # the listener closes at once; acks in progress finish
        if replica is not None:
            replica.release(settings)
        db.dispose()


def start_replica(settings: Settings, mode: Mode, db: Engine, metrics: Metrics, slack_route: SlackEvents | None,
                  teams_route: TeamsActivities | None) -> Replica:
    """Load the knowledge, the index and the model once, and wire them to the platforms being served."""
    from bot.core.engine import AnswerEngine
    from bot.knowledge.loader import load_knowledge
    from bot.ops.metrics import MeasuredEngine, MeasuredPoster
    from bot.ops.redelivery import Deliverer, OutboxWorker
    from bot.reflection.scheduler import start_scheduler
    from bot.reflection.sender import PromptPoster
    from bot.state.corrections import CorrectionStore
    from bot.state.outbox import Outbox
    from bot.state.people import PeopleStore
    from bot.state.questions import LoggedEngine, QuestionLog

    people = PeopleStore(db, load_knowledge(settings.knowledge_dir))
    engine = AnswerEngine.from_settings(settings, people=people, overlay=CorrectionStore(db))
    engine.warm_up()
    counted = LoggedEngine(engine, QuestionLog(settings, db, engine.knowledge))
    # The index and knowledge are millions of long-lived objects: a full garbage collection walking them
    # paused every thread, acks included, for a few hundred milliseconds. They stay; keep them out of it.
    gc.freeze()
    measured = MeasuredEngine(counted, metrics)
    workers = DrainingExecutor(settings.resolved_answer_workers)
    deliverers: dict[str, Deliverer] = {}
    posters: dict[str, PromptPoster] = {}
    replica_parts: dict[str, Any] = {}
    if mode.slack:
        from bot.reflection.slack_poster import SlackPromptPoster
        from bot.slack.app import build_app
        from bot.slack.client import build_client
        from bot.slack.delivery import SlackDelivery
        from bot.slack.deps import SlackDeps

        deps = SlackDeps.build(settings, measured, db, people=people, metrics=metrics)
        bolt = build_app(settings, deps, listener_executor=workers)
        deliverers["slack"] = SlackDelivery(build_client(settings, retries=0))
        posters["slack"] = MeasuredPoster(SlackPromptPoster.from_settings(settings), metrics, "slack")
        if slack_route is not None:
            slack_route.attach(bolt)
        else:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            assert settings.slack_app_token is not None
            handler = SocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
            handler.connect()
            replica_parts["socket_mode"] = handler
    if mode.teams:
        from bot.teams.bot import TeamsBot, TeamsDeps
        from bot.teams.delivery import TeamsDelivery

        teams_deps = TeamsDeps.build(settings, measured, db, metrics=metrics)
        deliverers["teams"] = TeamsDelivery(teams_deps.connector)
        posters["teams"] = MeasuredPoster(teams_deps.prompt_poster(), metrics, "teams")
        assert teams_route is not None
        teams_route.attach(TeamsBot(teams_deps), workers)
        replica_parts["connector"] = teams_deps.connector
    outbox_worker = OutboxWorker(Outbox(db, settings), deliverers, metrics, settings)
    outbox_worker.start()
    scheduler = start_scheduler(settings, posters, digest=_digest(settings, db, engine.knowledge, mode))
    log.info("ready", extra={"fields": {"answer_workers": settings.resolved_answer_workers,
                                        "model_threads": settings.resolved_model_threads}})
    return Replica(workers, outbox_worker, scheduler, **replica_parts)


def _digest(settings: Settings, db: Engine, knowledge: "KnowledgeBase",
            mode: Mode) -> Callable[[dt.datetime], object] | None:
    """The monthly digest on the scheduler's tick, when a Slack channel for it is configured."""
    if not (settings.digest_slack_channel and mode.slack):
        return None
    from bot.review.digest import run_digest
    from bot.slack.client import build_client

    client = build_client(settings)
    return lambda now: run_digest(settings, db, knowledge, client, now)


def _banner(mode: Mode, host: str, port: int) -> str:
    if not mode.listens:
        return f"Schakel maakt verbinding via Socket Mode (health en metrics op http://{host}:{port})."
    paths = [path for path, served in ((EVENTS_PATH, mode.slack == "http"), (MESSAGES_PATH, mode.teams)) if served]
    return f"Schakel luistert op http://{host}:{port}{' en '.join(paths)}"
