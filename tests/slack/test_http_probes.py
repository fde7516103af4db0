"""What the HTTP server answers to input that is not a proper Slack request: always a 4xx with a plain
message, never a 500, and nothing reaches Slack. The real Bolt app behind the ASGI app on uvicorn."""

from __future__ import annotations

import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.slack.conftest import Bot, PeopleSwitch, bot_settings, running_bot
from tests.slack.helpers import mention
from tests.support.slack_api import SlackApiServer

TEN_MB = b"x" * (10 * 1024 * 1024)


def nothing_reached_slack(bot: Bot) -> bool:
    bot.settle()
    return bot.slack.calls_to("chat.postMessage") == [] and bot.slack.calls_to("reactions.add") == []


def test_an_unsigned_request_with_broken_json_gets_401_before_it_is_parsed(bot: Bot) -> None:
    response = httpx.post(bot.url, content=b'{"type": "event_callback", "event": {', timeout=10,
                          headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()) == (401, {"error": "unauthorized"})
    for headers in ({"X-Slack-Request-Timestamp": "gisteren"}, {"X-Slack-Signature": "v0=\u00e9"}):
        assert bot.sender.post("{}", headers=headers).status == 401  # no number, not ASCII: refused, no 500
    assert nothing_reached_slack(bot)


def test_a_signed_request_that_is_not_a_json_object_gets_400_with_a_plain_message(bot: Bot) -> None:
    for body, error in (('{"type": "event_callback", "event": {', "the request body is not valid JSON"),
                        ("[1, 2, 3]", "the request body must be a JSON object"),
                        ('"event_callback"', "the request body must be a JSON object")):
        delivery = bot.sender.post(body)
        assert (delivery.status, delivery.json()) == (400, {"error": error}), body
    not_utf8 = httpx.post(bot.url, content=b"\xff\xfe{}", timeout=10,
                          headers=signed_headers(bot, b"\xff\xfe{}".decode("latin-1")))
    assert not_utf8.status_code == 401  # the signature is computed over UTF-8 text: it cannot match
    assert nothing_reached_slack(bot)


def signed_headers(bot: Bot, body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    return {"X-Slack-Request-Timestamp": stamp, "Content-Type": "application/json",
            "X-Slack-Signature": bot.sender.verifier.generate_signature(timestamp=stamp, body=body)}


def test_wrong_method_and_unknown_path_get_405_and_404(bot: Bot) -> None:
    wrong_method = httpx.get(bot.url, timeout=10)
    assert (wrong_method.status_code, wrong_method.json()) == (405, {"error": "method not allowed"})
    assert wrong_method.headers["allow"] == "POST"
    unknown = httpx.post(f"{bot.base}/slack/evenementen", content=b"{}", timeout=10)
    assert (unknown.status_code, unknown.json()) == (404, {"error": "not found"})
    assert httpx.post(f"{bot.base}/api/messages", content=b"{}", timeout=10).status_code == 404  # Slack only


def test_ten_concurrent_unsigned_10_mb_posts_get_413_unread(bot: Bot) -> None:
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(lambda _: httpx.post(bot.url, content=TEN_MB, timeout=30), range(10)))
    assert {(r.status_code, r.json()["error"]) for r in responses} == {(413, "request body larger than 1048576 bytes")}
    chunked = httpx.post(bot.url, content=(TEN_MB[:65536] for _ in range(40)), timeout=30)  # no Content-Length
    assert chunked.status_code == 413
    # The event that follows is still answered.
    assert bot.sender.event(mention("Welk directoraat gaat over vastgoed?")).status == 200
    bot.settle()
    assert len(bot.replies()) == 1


@pytest.fixture
def impatient_bot(tmp_path: Path, slack_api: SlackApiServer, answer_engine: Any,
                  people_switch: PeopleSwitch) -> Iterator[Bot]:
    settings = bot_settings(tmp_path, slack_api, http_read_timeout_seconds=1.0)
    with running_bot(settings, answer_engine, people_switch, slack_api) as running:
        yield running


def test_a_client_that_sends_its_body_too_slowly_gets_408(impatient_bot: Bot) -> None:
    address = urlsplit(impatient_bot.base)
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: schakel\r\nContent-Length: 500\r\n\r\n{\"type\": ")
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status_line == b"HTTP/1.1 408 Request Timeout"
    assert nothing_reached_slack(impatient_bot)


def test_metrics_and_health_are_served_beside_the_events(bot: Bot) -> None:
    assert httpx.get(f"{bot.base}/healthz", timeout=10).json() == {"status": "ok", "engine": "loaded",
                                                                   "database": "ok"}
    assert httpx.get(f"{bot.base}/readyz", timeout=10).json() == {"status": "ready"}
    assert "# TYPE schakel_outbox_total counter" in httpx.get(f"{bot.base}/metrics", timeout=10).text
    assert httpx.post(f"{bot.base}/metrics", timeout=10).status_code == 405
    assert json.loads(httpx.get(f"{bot.base}/nope", timeout=10).text) == {"error": "not found"}
