"""Teams test fixtures: the real engine behind the real ASGI app on uvicorn on 127.0.0.1, talking to the
local connector (tests/support/teams_connector.py) with JWT validation on, and the outbox worker
posting what the connector did not take, as `schakel serve --teams` wires them."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
from sqlalchemy import Engine

from bot.ops.health import HealthCheck
from bot.ops.metrics import Metrics
from bot.ops.redelivery import OutboxWorker
from bot.settings import Settings
from bot.state.db import create_db_engine
from bot.teams.bot import TeamsBot, TeamsDeps
from bot.state.outbox import Outbox
from bot.teams.auth import InboundValidator
from bot.teams.delivery import TeamsDelivery
from bot.web.app import WebParts
from bot.web.teams import TeamsActivities
from tests.conftest import make_settings
from tests.support.teams_connector import TeamsConnector
from tests.support.web import serving

APP_ID = "00000000-0000-4000-8000-5c4a3e1b0700"
BOT_NAME = "Schakel"
TENANT = "11111111-2222-4333-8444-555555555555"
CHANNEL = "19:f1ct1efk4n44l0000000000000000000@thread.tacv2"
USER = {"id": "29:1fictieve-fenna", "name": "Fictieve Fenna", "aadObjectId": "aaaaaaaa-0000-4000-8000-000000000001"}


@dataclass
class TeamsClient:
    """Sends activities to the running server the way the Bot Framework does (signed, over HTTP)."""

    url: str
    connector: TeamsConnector
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def post(self, activity: dict[str, Any] | bytes, token: str | None = "valid") -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if token == "valid":
            token = self.connector.sign_token(APP_ID)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        content = activity if isinstance(activity, bytes) else httpx.Request("POST", "/", json=activity).content
        return httpx.post(f"{self.url}/api/messages", content=content, headers=headers, timeout=60)

    def activity(self, text: str | None = None, *, conversation: str = CHANNEL, kind: str = "channel",
                 mention: bool = True, value: dict[str, Any] | None = None, type_: str = "message",
                 **extra: Any) -> dict[str, Any]:
        activity_id = f"1700000{next(self.ids):06d}"
        conversation_id = f"{conversation};messageid={activity_id}" if kind == "channel" else conversation
        activity: dict[str, Any] = {
            "type": type_, "id": activity_id, "channelId": "msteams", "serviceUrl": self.connector.service_url,
            "from": USER, "recipient": {"id": f"28:{APP_ID}", "name": BOT_NAME},
            "conversation": {"id": conversation_id, "conversationType": kind, "tenantId": TENANT,
                             "isGroup": kind != "personal"},
            "channelData": {"tenant": {"id": TENANT}},
        }
        if text is not None:
            activity["text"] = f"<at>{BOT_NAME}</at> {text}" if mention else text
            if mention:
                activity["entities"] = [{"type": "mention", "text": f"<at>{BOT_NAME}</at>",
                                         "mentioned": {"id": f"28:{APP_ID}", "name": BOT_NAME}}]
        if value is not None:
            activity["value"] = value
        activity.update(extra)
        return activity


@pytest.fixture
def connector() -> Iterator[TeamsConnector]:
    with TeamsConnector() as running:
        yield running


@pytest.fixture
def teams_settings(tmp_path: Path, indexed_settings: Settings, connector: TeamsConnector) -> Settings:
    """The session index, a fresh state database, and Teams auth pointed at the local connector."""
    return make_settings(indexed_settings.data_dir, database_url=f"sqlite:///{tmp_path / 'state.db'}",
                         teams_app_id=APP_ID, teams_app_password="test-secret", teams_tenant_id=TENANT,
                         **connector.settings_overrides())


@pytest.fixture
def db(teams_settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(teams_settings)
    yield engine
    engine.dispose()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics.create()


@pytest.fixture
def bot(teams_settings: Settings, engine: Any, db: Engine, metrics: Metrics) -> TeamsBot:
    return TeamsBot(TeamsDeps.build(teams_settings, engine, db, metrics=metrics))


@pytest.fixture
def server(teams_settings: Settings, bot: TeamsBot, db: Engine, metrics: Metrics) -> Iterator[str]:
    """The server's base URL."""
    route = TeamsActivities(InboundValidator(teams_settings))
    workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="teams-answer")
    route.attach(bot, workers)
    health = HealthCheck(db)
    health.mark_ready()
    outbox = OutboxWorker(Outbox(db, teams_settings), {"teams": TeamsDelivery(bot.deps.connector)}, metrics,
                          teams_settings)
    outbox.start()
    try:
        with serving(WebParts(health, metrics, teams=route), teams_settings) as base:
            yield base
            workers.shutdown(wait=True)
    finally:
        outbox.stop()
        workers.shutdown(wait=True)
        bot.deps.connector.close()


@pytest.fixture
def teams(server: str, connector: TeamsConnector) -> TeamsClient:
    return TeamsClient(server, connector)
