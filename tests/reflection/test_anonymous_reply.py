"""The "Anoniem reageren" button through a real Bolt app over HTTP with signed requests."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Iterator

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from bot.logging_setup import CHATTY_LOGGERS
from bot.reflection.slack_poster import ACTION_ANONYMOUS_REPLY
from bot.slack.listeners.reflection import VIEW_ANONYMOUS_REPLY, register
from tests.conftest import make_settings
from tests.support.slack_api import SlackApiServer
from tests.support.slack_events import SlackSender
from tests.support.web import serving_bolt

SECRET = "reflection-test-secret"
PROMPT_TS = "1700000000.000100"
CLICKER = {"id": "U0FENNA", "username": "fictieve.fenna", "name": "fictieve.fenna", "team_id": "T0TEST"}
ANSWER = "Het overleg duurde te lang <!channel>, vond ook <@U0JOOST>."


@pytest.fixture
def sender(slack: SlackApiServer, tmp_path: Path) -> Iterator[SlackSender]:
    app = App(client=WebClient(token="xoxb-test", base_url=slack.url), signing_secret=SECRET,
              process_before_response=True)
    register(app)
    with serving_bolt(app, SECRET, make_settings(tmp_path)) as url:
        yield SlackSender(url, SECRET)


def click_button(sender: SlackSender, slack: SlackApiServer) -> dict:
    response = sender.interaction({
        "type": "block_actions", "user": CLICKER, "trigger_id": "1337.42.abcd",
        "container": {"type": "message", "message_ts": PROMPT_TS, "channel_id": "C0TEAM", "is_ephemeral": False},
        "channel": {"id": "C0TEAM", "name": "team"}, "message": {"ts": PROMPT_TS, "text": "Even reflecteren"},
        "actions": [{"action_id": ACTION_ANONYMOUS_REPLY, "block_id": "b1", "type": "button", "value": "2026-12",
                     "action_ts": "1700000001.0"}],
        "response_url": slack.response_url(),
    })
    assert response.status == 200
    return slack.wait_for("views.open")[0].json_param("view")


def submit(sender: SlackSender, view: dict, answer: str):  # type: ignore[no-untyped-def]
    return sender.interaction({
        "type": "view_submission", "user": CLICKER, "trigger_id": "1337.43.abcd",
        "view": {"id": "V0MODAL", "type": "modal", "callback_id": view["callback_id"],
                 "private_metadata": view["private_metadata"], "hash": "1",
                 "state": {"values": {"answer": {"text": {"type": "plain_text_input", "value": answer}}}}},
    })


def test_anonymous_answer_lands_in_the_thread_without_any_user_id(
        sender: SlackSender, slack: SlackApiServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # everything Schakel logs, at any level...
    for name in CHATTY_LOGGERS:  # ...with the libraries held where the bot holds them
        caplog.set_level(logging.WARNING, logger=name)
    view = click_button(sender, slack)
    assert view["callback_id"] == VIEW_ANONYMOUS_REPLY and view["title"]["text"] == "Anoniem reageren"
    assert "U0FENNA" not in json.dumps(view)
    assert submit(sender, view, ANSWER).status == 200
    [post] = slack.wait_for("chat.postMessage")
    assert (post.params["channel"], post.params["thread_ts"]) == ("C0TEAM", PROMPT_TS)
    assert post.params["text"].startswith("*Anonieme reactie*\nHet overleg duurde te lang")
    assert "<!channel>" not in post.params["text"] and "<@" not in post.params["text"]  # no pings
    everything_sent = json.dumps([call.params for call in slack.calls if call.method != "auth.test"])
    assert "U0FENNA" not in everything_sent and "fenna" not in everything_sent
    logged = "\n".join(record.getMessage() + str(getattr(record, "fields", "")) for record in caplog.records)
    assert "U0FENNA" not in logged and "overleg" not in logged


def test_empty_answer_keeps_the_modal_open_and_posts_nothing(sender: SlackSender, slack: SlackApiServer) -> None:
    view = click_button(sender, slack)
    response = submit(sender, view, "   ")
    assert response.status == 200
    assert response.json() == {"response_action": "errors", "errors": {"answer": "Schrijf eerst een reactie."}}
    assert slack.count("chat.postMessage") == 0
