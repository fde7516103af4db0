"""Slack throttling or failing for a while: the computed answer is posted later, exactly once, and an
answer that cannot be posted at all gives its question back, so Slack's re-delivery is answered."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from tests.slack.conftest import Bot, PeopleSwitch, bot_settings, running_bot
from tests.slack.helpers import PUBLIC, mention, shown_text
from tests.support.slack_api import SlackApiServer

QUESTION = "Welk directoraat gaat over vastgoed?"
ANSWER = "Directie Materieel en Vastgoed"


def patient_bot(tmp_path: Path, slack: SlackApiServer, engine: Any, people_switch: PeopleSwitch,
                retry_seconds: float) -> Any:
    # Short waits, so that minutes of retrying take seconds here.
    settings = bot_settings(tmp_path, slack, outbox_retry_seconds=retry_seconds, outbox_backoff_seconds=0.2,
                            outbox_backoff_max_seconds=0.5, outbox_poll_seconds=0.1)
    return running_bot(settings, engine, people_switch, slack)


@pytest.fixture
def outbox_bot(tmp_path: Path, slack_api: SlackApiServer, answer_engine: Any,
               people_switch: PeopleSwitch) -> Iterator[Bot]:
    with patient_bot(tmp_path, slack_api, answer_engine, people_switch, retry_seconds=60) as running:
        yield running


def metric(bot: Bot, outcome: str) -> float:
    value = bot.metrics.registry.get_sample_value("schakel_outbox_total", {"platform": "slack", "outcome": outcome})
    return value or 0.0


def test_six_429s_in_a_row_still_post_the_answer_once(outbox_bot: Bot) -> None:
    outbox_bot.slack.fail("chat.postMessage", status=429, times=6, retry_after=1)
    event = mention(QUESTION)
    assert outbox_bot.sender.event(event).status == 200
    [reply] = outbox_bot.slack.wait_for("chat.postMessage", timeout=60)
    assert reply.params["thread_ts"] == event["ts"] and ANSWER in shown_text(reply)
    assert "ging mis" not in shown_text(reply)  # the answer itself, not a failure notice
    assert outbox_bot.slack.count("chat.postMessage", ok_only=False) == 7  # one try, then the outbox's
    wait_until(lambda: metric(outbox_bot, "posted") == 1.0)
    assert metric(outbox_bot, "queued") == 1.0 and metric(outbox_bot, "failed") == 0.0
    time.sleep(1)  # the outbox worker ticks ten times more: nothing else is posted
    assert len(outbox_bot.replies()) == 1


def test_slack_down_for_a_while_then_back_gets_one_reply(outbox_bot: Bot) -> None:
    outbox_bot.slack.fail_for("chat.postMessage", status=500, seconds=6)
    event = mention(QUESTION)
    outbox_bot.sender.event(event)
    [reply] = outbox_bot.slack.wait_for("chat.postMessage", timeout=60)
    assert reply.params["thread_ts"] == event["ts"] and ANSWER in shown_text(reply)
    time.sleep(1)
    assert len(outbox_bot.replies()) == 1 and outbox_bot.slack.count("chat.postMessage", ok_only=False) > 4


def test_an_answer_that_cannot_be_posted_is_given_up_counted_and_its_question_released(
        tmp_path: Path, slack_api: SlackApiServer, answer_engine: Any, people_switch: PeopleSwitch,
        caplog: pytest.LogCaptureFixture) -> None:
    with patient_bot(tmp_path, slack_api, answer_engine, people_switch, retry_seconds=2) as bot:
        bot.slack.fail("chat.postMessage", status=500, times=10_000)
        event = mention(QUESTION)
        first = bot.sender.event(event)
        wait_until(lambda: metric(bot, "failed") == 1.0, timeout=60)
        assert bot.replies() == []
        assert any(record.message.startswith("outbox: answer given up") and record.levelname == "ERROR"
                   for record in caplog.records)
        assert sample(metrics_text(bot), "schakel_outbox_total", outcome="failed", platform="slack") == 1.0

        # Slack is back and re-delivers the event: the released question is answered, once.
        bot.slack.recover()
        assert bot.sender.event(event, event_id=first.event_id, retry_num=1).status == 200
        [reply] = bot.slack.wait_for("chat.postMessage", timeout=60)
        assert reply.params["channel"] == PUBLIC and ANSWER in shown_text(reply)


def sample(exposition: str, name: str, **labels: str) -> float | None:
    """A sample's value in Prometheus' text format, whatever the order of its labels."""
    wanted = {f'{key}="{value}"' for key, value in labels.items()}
    for line in exposition.splitlines():
        series, _, value = line.rpartition(" ")
        if series.startswith(name + "{") and set(series[len(name) + 1:-1].split(",")) == wanted:
            return float(value)
    return None


def metrics_text(bot: Bot) -> str:
    return httpx.get(f"{bot.base}/metrics", timeout=10).text


def wait_until(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)
