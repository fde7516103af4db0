"""Socket Mode: the same app, fed through Bolt's SocketModeHandler instead of HTTP (no signatures there)."""

from __future__ import annotations

import logging
from typing import Any, Iterator
from urllib.parse import parse_qsl

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from tests.slack.conftest import Bot
from tests.slack.helpers import PUBLIC, mention, shown_text
from tests.support.slack_api import TEAM_ID


class RecordingConnection:
    """Stands in for the WebSocket to Slack: keeps the acknowledgements the handler sends back."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("test.socket")
        self.responses: list[SocketModeResponse] = []

    def send_socket_mode_response(self, response: SocketModeResponse) -> None:
        self.responses.append(response)


@pytest.fixture
def handler(bot: Bot) -> Iterator[SocketModeHandler]:
    handler = SocketModeHandler(bot.app, app_token="xapp-1-test")  # connects only on start(), which we never call
    yield handler
    handler.client.close()


def envelope(kind: str, payload: dict[str, Any], envelope_id: str, retry_attempt: int | None = None) -> SocketModeRequest:
    return SocketModeRequest(type=kind, envelope_id=envelope_id, payload=payload, retry_attempt=retry_attempt)


def test_a_mention_over_socket_mode_is_acked_and_answered_once(bot: Bot, handler: SocketModeHandler) -> None:
    event = mention("Welk directoraat gaat over vastgoed?")
    body = {"type": "event_callback", "team_id": TEAM_ID, "event_id": "EvSocket1", "event": event}
    connection = RecordingConnection()
    handler.handle(connection, envelope("events_api", body, "env-1"))  # type: ignore[arg-type]
    handler.handle(connection, envelope("events_api", body, "env-2", retry_attempt=1))  # type: ignore[arg-type]
    bot.settle()
    assert [r.envelope_id for r in connection.responses] == ["env-1", "env-2"]
    [reply] = bot.replies()
    assert reply.params["channel"] == PUBLIC and reply.params["thread_ts"] == event["ts"]
    assert "Directie Materieel en Vastgoed" in shown_text(reply)


def test_a_slash_command_over_socket_mode_gets_its_answer_in_the_ack(bot: Bot, handler: SocketModeHandler) -> None:
    form = dict(parse_qsl("command=%2Fschakel&text=help&user_id=U0FENNA&channel_id=C0PUBLIC&team_id=T0TEST"))
    connection = RecordingConnection()
    handler.handle(connection, envelope("slash_commands", form, "env-3"))  # type: ignore[arg-type]
    [ack] = connection.responses
    assert ack.envelope_id == "env-3" and "/wieiswie" in ack.payload["text"]
