"""The issue's "done when", checked by a separate client against a real `schakel serve --http` process.

The bot runs as its own process (the console script, as an operator starts it) with SLACK_API_URL
pointing at this test's local Slack Web API server. The client signs its requests like Slack does.
Reply latencies are printed (run with `-s`), not asserted: speed is a measurement, not a test.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from bot.settings import Settings
from tests.slack.conftest import PING_QUESTION, SIGNING_SECRET
from tests.slack.helpers import LIVE_PING, PUBLIC, mention, shown_text
from tests.support.slack_api import SlackApiServer
from tests.support.slack_events import SlackSender

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_WAIT = 180.0  # loading the model in a busy CI box; a wait, not a measurement
QUESTIONS = [
    ("Welk directoraat gaat over vastgoed?", "Directie Materieel en Vastgoed"),
    ("Welke directie gaat over gegevensbescherming?", "DBE"),
    ("Met wie moet ik samenwerken aan cybersecurity?", "Directie Strategie en Kennis"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(slack_index_settings: Settings, tmp_path: Path) -> Iterator[tuple[SlackApiServer, SlackSender]]:
    data_dir = tmp_path / "data"
    shutil.copytree(slack_index_settings.data_dir, data_dir)  # the process gets its own copy of the index
    port = free_port()
    with SlackApiServer() as slack:
        env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-done-when", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
               "SLACK_API_URL": slack.url, "DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING",
               "INDEX_PATHS": ",".join(str(p) for p in slack_index_settings.index_paths), "HF_HUB_OFFLINE": "1",
               "PYTHONPATH": str(REPO_ROOT)}  # the code under test, also when run from another checkout
        env.pop("SLACK_APP_TOKEN", None)
        schakel = Path(sys.executable).parent / "schakel"
        process = subprocess.Popen([str(schakel), "serve", "--http", "--port", str(port)], env=env, cwd=tmp_path,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_until_up(port, process)
            yield slack, SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
        finally:
            process.terminate()
            _, errors = process.communicate(timeout=30)
            assert "Traceback" not in errors, errors


def wait_until_up(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"schakel serve stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("schakel serve did not come up")


def test_done_when(served: tuple[SlackApiServer, SlackSender]) -> None:
    slack, sender = served
    latencies: list[float] = []
    acks: list[float] = []
    first_event, first_delivery = None, None
    for number, (question, expected) in enumerate(QUESTIONS, start=1):
        event = mention(question)
        sent = time.time()
        delivery = sender.event(event)
        acks.append(time.time() - sent)
        assert delivery.status == 200
        [reply] = slack.wait_for("chat.postMessage", count=number)[number - 1:]
        latencies.append(reply.at - sent)
        assert reply.params["channel"] == PUBLIC and reply.params["thread_ts"] == event["ts"]
        assert expected in shown_text(reply) and "Bronnen" in shown_text(reply) and "*[1]*" in shown_text(reply)
        first_event, first_delivery = first_event or event, first_delivery or delivery

    # The same event again, as Slack re-delivers it; then a fresh question to know the bot got past it.
    assert first_event and first_delivery
    assert sender.event(first_event, event_id=first_delivery.event_id, retry_num=1).status == 200
    ping = mention(PING_QUESTION)
    sender.event(ping)
    replies = slack.wait_for("chat.postMessage", count=len(QUESTIONS) + 1)
    assert [r.params["thread_ts"] for r in replies].count(first_event["ts"]) == 1
    ping_reply = replies[-1]
    assert ping_reply.params["thread_ts"] == ping["ts"] and "@\u200bchannel" in shown_text(ping_reply)
    assert not LIVE_PING.search(shown_text(ping_reply))

    forged = sender.post(json.dumps({"type": "event_callback", "event": mention("hoi")}), signature="v0=" + "f" * 64)
    assert forged.status == 401

    figures = {"ack_seconds_max": round(max(acks), 3), "reply_seconds": [round(x, 3) for x in latencies],
               "reply_median": round(statistics.median(latencies), 3), "reply_max": round(max(latencies), 3),
               "replies_to_redelivered_event": 1, "forged_signature_status": 401}
    print("\nDONE-WHEN " + json.dumps(figures))
