"""The Slack bot under test: the real Bolt app behind the real HTTP server of `schakel serve --http`,
talking to a local Slack Web API server, with the real answer engine over the indexed corpus.
"""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from slack_bolt import App

from bot.core.models import PersonRef
from bot.core.overlay import OverlayFact
from bot.ops.health import HealthCheck
from bot.ops.metrics import Metrics
from bot.ops.redelivery import OutboxWorker
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.client import build_client
from bot.slack.delivery import SlackDelivery
from bot.slack.deps import SlackDeps
from bot.state.corrections import CorrectionStore
from bot.state.db import create_db_engine
from bot.state.outbox import Outbox
from bot.state.people import PeopleStore
from bot.web.app import WebParts
from bot.web.slack import EVENTS_PATH, SlackEvents
from tests.conftest import make_settings
from tests.slack.helpers import ASKER, PUBLIC
from tests.support.slack_api import SlackApiServer
from tests.support.slack_events import SlackSender
from tests.support.web import serving

SIGNING_SECRET = "schakel-test-signing-secret"
BOT_TOKEN = "xoxb-schakel-test"


class PeopleSwitch:
    """The engine's people source and correction overlay for the session, pointing at the running test's own
    PeopleStore and CorrectionStore."""

    def __init__(self) -> None:
        self.store: PeopleStore | None = None
        self.corrections: CorrectionStore | None = None

    def search(self, unit_id: str | None, terms: list[str], limit: int = 10) -> list[PersonRef]:
        return self.store.search(unit_id, terms, limit) if self.store else []

    def facts(self, unit_id: str) -> list[OverlayFact]:
        return self.corrections.facts(unit_id) if self.corrections else []


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener executor, able to say when all work handed to it is done (no sleeps in tests)."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="bolt-listener")
        self._futures: list[Future[Any]] = []
        self._guard = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._guard:
            self._futures.append(future)
        return future

    def wait_idle(self, timeout: float = 60.0) -> None:
        while True:
            with self._guard:
                pending = [f for f in self._futures if not f.done()]
            if not pending:
                return
            for future in pending:
                future.result(timeout=timeout)


@dataclass
class Bot:
    slack: SlackApiServer
    sender: SlackSender
    deps: SlackDeps
    app: App
    executor: TrackingExecutor
    url: str  # /slack/events
    base: str  # the server, for /healthz and /metrics
    metrics: Metrics

    def settle(self) -> None:
        """Wait until every acked request has been fully handled."""
        self.executor.wait_idle()

    def replies(self, channel: str | None = None) -> list[Any]:
        return [c for c in self.slack.calls_to("chat.postMessage") if channel is None or c.params["channel"] == channel]


@pytest.fixture(scope="session")
def people_switch() -> PeopleSwitch:
    return PeopleSwitch()


# A document whose text tries to ping everyone: what Schakel quotes from it must stay inert.
PING_NOTE = """# Oefening Zeemeeuw

<!channel> De fictieve oefening Zeemeeuw test de samenwerking tussen marinierslogistiek en de havenpolitie, meldt
<@U0FENNA> namens <!subteam^S0BEHEER|beheer>. @here Bij oefening Zeemeeuw verzamelt iedereen om zes uur bij steiger vier.
"""
PING_QUESTION = "Wat gebeurt er bij oefening Zeemeeuw?"


@pytest.fixture(scope="session")
def slack_index_settings(indexed_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The session index plus one note with ping markup, added incrementally to a copy (no full re-index)."""
    from indexer.pipeline import index_paths

    root = tmp_path_factory.mktemp("slack-index")
    extra = root / "extra"
    extra.mkdir()
    (extra / "oefening-zeemeeuw.md").write_text(PING_NOTE, encoding="utf-8")
    shutil.copytree(indexed_settings.data_dir, root / "data")
    settings = make_settings(root / "data", index_paths=[*indexed_settings.index_paths, extra])
    report = index_paths(settings, list(settings.index_paths), progress=False)
    assert report.files_failed == 0, report.failures
    return settings


@pytest.fixture(scope="session")
def answer_engine(slack_index_settings: Settings, people_switch: PeopleSwitch):  # type: ignore[no-untyped-def]
    from bot.core.engine import AnswerEngine

    engine = AnswerEngine.from_settings(slack_index_settings, people=people_switch, overlay=people_switch)
    engine.warm_up()
    return engine


@pytest.fixture
def slack_api() -> Iterator[SlackApiServer]:
    with SlackApiServer() as server:
        server.add_user(ASKER, "Fictieve Fenna", title="Beleidsmedewerker")
        server.add_channel(PUBLIC, "algemeen")
        yield server


def bot_settings(data_dir: Path, slack: SlackApiServer, **overrides: object) -> Settings:
    values: dict[str, object] = {"slack_bot_token": BOT_TOKEN, "slack_signing_secret": SIGNING_SECRET,
                                 "slack_api_url": slack.url, "rate_limit_per_minute": 100,
                                 # The outbox's waits in tenths of seconds, so retries show up in a test.
                                 "outbox_backoff_seconds": 0.2, "outbox_backoff_max_seconds": 1.0,
                                 "outbox_poll_seconds": 0.1}
    values.update(overrides)
    return make_settings(data_dir, **values)


@contextmanager
def running_bot(settings: Settings, engine: Any, people_switch: PeopleSwitch, slack: SlackApiServer) -> Iterator[Bot]:
    """The bot as `schakel serve --http` wires it: Bolt behind the ASGI app on uvicorn, answers on a
    worker pool, the outbox worker posting what Slack did not take."""
    db = create_db_engine(settings)
    people = PeopleStore(db, engine.knowledge)
    people_switch.store = people
    metrics = Metrics.create()
    deps = SlackDeps.build(settings, engine, db, people=people, metrics=metrics)
    people_switch.corrections = deps.corrections
    executor = TrackingExecutor()
    app = build_app(settings, deps, listener_executor=executor)
    route = SlackEvents(SIGNING_SECRET)
    route.attach(app)
    health = HealthCheck(db)
    health.mark_ready()
    outbox = OutboxWorker(Outbox(db, settings), {"slack": SlackDelivery(build_client(settings, retries=0))},
                          metrics, settings)
    outbox.start()
    try:
        with serving(WebParts(health, metrics, slack=route), settings) as base:
            url = base + EVENTS_PATH
            yield Bot(slack, SlackSender(url, SIGNING_SECRET), deps, app, executor, url, base, metrics)
            executor.wait_idle()
    finally:
        outbox.stop()
        executor.shutdown()
        people_switch.store = None
        people_switch.corrections = None
        db.dispose()


@pytest.fixture
def bot(tmp_path: Path, slack_api: SlackApiServer, answer_engine: Any, people_switch: PeopleSwitch) -> Iterator[Bot]:
    with running_bot(bot_settings(tmp_path, slack_api), answer_engine, people_switch, slack_api) as running:
        yield running
