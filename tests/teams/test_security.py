"""Bot Framework tokens, bad input and what Schakel posts: never a traceback, never silence, never a ping."""

from __future__ import annotations

import json
import logging
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.core.models import Answer, Source
from bot.logging_setup import CHATTY_LOGGERS, SILENCED_LOGGERS, configure_logging
from bot.settings import Settings
from bot.teams.cards import answer_card, passage_card
from bot.slack.texts import ui
from tests.conftest import make_settings
from tests.support.teams_connector import TeamsConnector, _texts
from tests.teams.conftest import APP_ID, TeamsClient

UNAUTHORIZED = {"error": "unauthorized"}


def test_requests_without_a_valid_bot_framework_token_get_401_and_no_answer(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    activity = teams.activity("help")
    other_key = rsa.generate_private_key(65537, 2048)
    bad_tokens = {
        "missing": None,
        "garbage": "not-a-jwt",
        "other app": connector.sign_token("ffffffff-0000-4000-8000-000000000000"),
        "expired": connector.sign_token(APP_ID, expires_in=-3600),
        "wrong signer": connector.sign_token(APP_ID, key=other_key),
        "wrong issuer": connector.sign_token(APP_ID, issuer="https://attacker.example"),
        "other serviceUrl": connector.sign_token(APP_ID, service_url="https://smba.example/teams/"),
    }
    for name, token in bad_tokens.items():
        response = teams.post(activity, token=token)
        assert (name, response.status_code, response.json()) == (name, 401, UNAUTHORIZED)
    assert teams.post(activity).status_code == 202  # the same activity, properly signed
    connector.wait_for("activities")
    assert len(connector.of_kind("activities")) == 1


def test_malformed_requests_get_400_with_a_plain_message(teams: TeamsClient, connector: TeamsConnector) -> None:
    for body in (b"{not json", b"[1, 2, 3]", b"\xff\xfe", b'{"type": "message"}'):
        response = teams.post(body)
        assert response.status_code == 400, body
        assert set(response.json()) == {"error"} and "Traceback" not in response.text
    file_url = b'{"type": "message", "conversation": {"id": "x"}, "serviceUrl": "file:///etc"}'
    signed_for_it = connector.sign_token(APP_ID, service_url="file:///etc")
    assert teams.post(file_url, token=signed_for_it).status_code == 400  # a URL Schakel will never post to


def test_the_token_is_checked_before_the_activity_is_parsed(teams: TeamsClient) -> None:
    assert teams.post(b'{"type": "message"}', token=None).status_code == 401
    issued_elsewhere = b'{"type": "message", "conversation": {"id": "x"}, "serviceUrl": "file:///etc"}'
    assert teams.post(issued_elsewhere).status_code == 401  # the token names another serviceUrl


def test_an_empty_mention_and_a_40000_character_message_get_a_helpful_reply(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity(""))
    [empty] = connector.wait_for("activities")
    assert empty.body["text"].startswith("Ik zie geen vraag.")
    teams.post(teams.activity("vastgoed " * 4445))  # 40,005 characters
    _, too_long = connector.wait_for("activities", count=2)
    assert "te lang" in too_long.body["text"] and "4000" in too_long.body["text"]


def test_cards_show_source_text_literally_and_cannot_mention_anyone() -> None:
    hostile = "<at>Iedereen</at> kijk [hier](https://evil.example) **nu** @channel"
    source = Source(chunk_id="c1", doc="x.txt", title=hostile, location="r. 1-2", text=hostile, score=1.0)
    answer = Answer(question=hostile, answer=f"Zie **DMV**. {hostile}", kind="study", sources=[source])
    cards = [answer_card(answer, restate_question=True), passage_card(source, ui("nl"))]
    texts = [text for card in cards for text in _texts(card)]
    assert not any("<at>" in text for text in texts)
    assert not any("@channel" in text for text in texts) and any("@\u200bchannel" in text for text in texts)
    # Only RichTextBlock runs carry text: Teams renders them without Markdown, so the link stays text.
    assert '"TextBlock"' not in str(cards).replace("'", '"')
    assert any("[hier](https://evil.example)" in text for text in texts)
    bold = [run["text"] for block in cards[0]["body"] if block["type"] == "RichTextBlock"
            for run in block["inlines"] if run.get("weight") == "Bolder"]
    assert "DMV" in bold  # the answer's own emphasis survives


def test_replies_name_no_one(teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity("Wie doet vastgoed? <at>Fictieve Fenna</at>"))
    [reply] = connector.wait_for("activities")
    assert "entities" not in reply.body and "<at>" not in str(reply.body)


@contextmanager
def configured_logging(settings: Settings) -> Iterator[None]:
    """Schakel's own logging setup, as `schakel serve` makes it, undone afterwards."""
    root = logging.getLogger()
    handlers, level, hook = root.handlers[:], root.level, threading.excepthook
    silenced = {name: logging.getLogger(name).level for name in (*CHATTY_LOGGERS, *SILENCED_LOGGERS)}
    configure_logging(settings)
    try:
        yield
    finally:
        root.handlers[:], threading.excepthook = handlers, hook
        root.setLevel(level)
        for name, old_level in silenced.items():
            logging.getLogger(name).setLevel(old_level)
        logging.captureWarnings(False)


def test_a_refused_token_is_logged_at_warning_with_the_reason_and_without_its_claims(
        teams: TeamsClient, connector: TeamsConnector, capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    activity = teams.activity("help")
    elsewhere = connector.sign_token(APP_ID, service_url="https://attacker.example/teams/")
    expired = connector.sign_token(APP_ID, expires_in=-3600)
    capfd.readouterr()
    with configured_logging(make_settings(tmp_path, log_json=True)):
        assert teams.post(activity, token=elsewhere).status_code == 401
        assert teams.post(activity, token=expired).status_code == 401
    logged = capfd.readouterr().err
    records = [json.loads(line) for line in logged.splitlines() if line.strip()]
    assert [(r["level"], r["event"], r["reason"]) for r in records] == [
        ("WARNING", "teams request rejected", "the token was issued for another serviceUrl"),
        ("WARNING", "teams request rejected", "ExpiredSignatureError"),
    ]
    assert "attacker.example" not in logged
