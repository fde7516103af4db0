"""An answer Slack did not take survives a restart: the next `schakel serve --http` process (another
replica on the same database) posts it once Slack is back. Real processes, SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bot.settings import Settings
from tests.scaleout.serving import Replica, start_replica
from tests.slack.helpers import ASKER, PUBLIC, mention, shown_text
from tests.support.slack_api import SlackApiServer

QUESTION = "Welk directoraat gaat over vastgoed?"
ANSWER = "Directie Materieel en Vastgoed"
# Slack's minutes of trouble and the outbox's waits, scaled down to seconds.
OUTBOX = {"OUTBOX_RETRY_SECONDS": "600", "OUTBOX_BACKOFF_SECONDS": "0.5", "OUTBOX_BACKOFF_MAX_SECONDS": "1",
          "OUTBOX_POLL_SECONDS": "0.2", "LOG_JSON": "true"}


def logged(replica: Replica, event: str) -> bool:
    for line in replica.log().splitlines():
        if line.startswith("{") and json.loads(line).get("event") == event:
            return True
    return False


def test_an_answer_kept_in_the_outbox_is_posted_once_by_the_next_process(
        indexed_settings: Settings, tmp_path: Path, database_url: str) -> None:
    with SlackApiServer() as slack:
        slack.add_user(ASKER, "Fictieve Fenna")
        slack.add_channel(PUBLIC, "algemeen")
        slack.fail("chat.postMessage", status=500, times=1_000_000)  # Slack is down
        first = start_replica(indexed_settings, slack, tmp_path / "first", DATABASE_URL=database_url, **OUTBOX)
        event = mention(QUESTION)
        try:
            first.wait_until_healthy()
            assert first.sender().event(event).status == 200
            deadline = time.monotonic() + 60
            while not logged(first, "answer not posted, kept in the outbox"):
                assert time.monotonic() < deadline, first.log()
                time.sleep(0.2)
            assert first.terminate() == 0  # a restart, while Slack is still down
        finally:
            first.kill()
        assert slack.calls_to("chat.postMessage") == []

        second = start_replica(indexed_settings, slack, tmp_path / "second", DATABASE_URL=database_url, **OUTBOX)
        try:
            second.wait_until_healthy()
            time.sleep(1)  # the new process tries too while Slack is down
            slack.recover()
            [reply] = slack.wait_for("chat.postMessage", timeout=60)
            time.sleep(1)  # a few more outbox ticks: nothing else arrives
            assert second.terminate() == 0
        finally:
            second.kill()
        assert reply.params["thread_ts"] == event["ts"] and ANSWER in shown_text(reply)
        assert len(slack.calls_to("chat.postMessage")) == 1
        assert logged(second, "outbox: posted")
