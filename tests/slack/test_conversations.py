"""Mentions, DMs and follow-ups: one visible reply, in the right place, never twice, never silence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.slack.conftest import Bot, PeopleSwitch, bot_settings, running_bot
from tests.slack.helpers import (
    ASKER, DM, LIVE_PING, MENTION, PUBLIC, button, buttons, mention, message, shown_text,
)
from tests.support.slack_api import BOT_ID, BOT_USER_ID, SlackApiServer

VASTGOED = "Welk directoraat gaat over vastgoed?"
DMV = "Directie Materieel en Vastgoed"


def test_a_mention_gets_one_threaded_reply_naming_the_unit_with_numbered_sources(bot: Bot) -> None:
    event = mention(VASTGOED)
    assert bot.sender.event(event).status == 200
    bot.settle()

    [reply] = bot.replies()
    assert reply.params["channel"] == PUBLIC and reply.params["thread_ts"] == event["ts"]
    text = shown_text(reply)
    assert DMV in text and "Bronnen" in text and "*[1]*" in text
    assert button(reply, "toon_passage")["value"]  # the passage can be fetched again
    assert {b["action_id"] for b in [button(reply, "feedback_up"), button(reply, "feedback_down")]}
    # 👀 while working, gone afterwards
    added, removed = bot.slack.calls_to("reactions.add"), bot.slack.calls_to("reactions.remove")
    assert [c.params["timestamp"] for c in added] == [event["ts"]] == [c.params["timestamp"] for c in removed]


def test_a_dm_is_answered_in_the_dm(bot: Bot) -> None:
    bot.sender.event(message(VASTGOED, channel=DM))
    bot.settle()
    [reply] = bot.replies()
    assert reply.params["channel"] == DM and not reply.params.get("thread_ts")
    assert DMV in shown_text(reply)


def test_a_follow_up_in_an_answered_thread_needs_no_mention(bot: Bot) -> None:
    first = mention(VASTGOED)
    bot.slack.add_message(PUBLIC, first["ts"], first["text"], user=ASKER)
    bot.sender.event(first)
    bot.settle()
    follow_up = message("En welke directie gaat over gegevensbescherming?", thread_ts=first["ts"])
    bot.slack.add_message(PUBLIC, follow_up["ts"], follow_up["text"], user=ASKER, thread_ts=first["ts"])
    bot.sender.event(follow_up)
    bot.settle()

    replies = bot.replies()
    assert len(replies) == 2 and all(r.params["thread_ts"] == first["ts"] for r in replies)
    assert "Gegevensbescherming" in shown_text(replies[1]) or "DBE" in shown_text(replies[1])
    [history] = bot.slack.calls_to("conversations.replies")
    assert history.params["ts"] == first["ts"]


def test_a_thread_schakel_did_not_answer_in_is_left_alone(bot: Bot) -> None:
    root = new_root = message("Iemand een idee over vastgoed?")
    bot.sender.event(root)
    bot.sender.event(message("Vraag het DMV", thread_ts=new_root["ts"]))
    bot.settle()
    assert bot.replies() == []


def test_a_redelivered_event_is_answered_once(bot: Bot) -> None:
    event = mention(VASTGOED)
    first = bot.sender.event(event)
    again = bot.sender.event(event, event_id=first.event_id, retry_num=1)
    third = bot.sender.event(event, event_id=first.event_id, retry_num=2)
    assert first.status == again.status == third.status == 200
    bot.settle()
    assert len(bot.replies()) == 1


def test_a_post_delivered_as_message_and_app_mention_is_answered_once(bot: Bot) -> None:
    event = mention(VASTGOED)
    bot.sender.event(message(event["text"], ts=event["ts"]))
    bot.sender.event(event)
    bot.settle()
    assert len(bot.replies()) == 1


def test_a_restart_does_not_answer_again(tmp_path: Path, slack_api: SlackApiServer, answer_engine: Any,
                                         people_switch: PeopleSwitch) -> None:
    settings = bot_settings(tmp_path, slack_api)
    event = mention(VASTGOED)
    with running_bot(settings, answer_engine, people_switch, slack_api) as first:
        delivery = first.sender.event(event)
    with running_bot(settings, answer_engine, people_switch, slack_api) as second:  # same database
        second.sender.event(event, event_id=delivery.event_id, retry_num=1)
        second.sender.event(message(event["text"], ts=event["ts"]))
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_web_api_429_and_500_are_retried(bot: Bot) -> None:
    bot.slack.fail("chat.postMessage", status=429, times=2)  # the answer: from the outbox, after Retry-After
    bot.slack.fail("reactions.add", status=500, times=1)  # the 👀: retried by the client
    bot.sender.event(mention(VASTGOED))
    bot.slack.wait_for("chat.postMessage", timeout=60)
    attempts = [c.status for c in bot.slack.calls_to("chat.postMessage", ok_only=False)]
    assert attempts == [429, 429, 200]
    assert [c.status for c in bot.slack.calls_to("reactions.add", ok_only=False)] == [500, 200]
    assert DMV in shown_text(bot.replies()[0])


def test_when_answering_fails_the_user_gets_a_short_dutch_message_and_the_eyes_go(bot: Bot) -> None:
    # Slack refuses the answer for good (no retry changes that; a 429 or 5xx goes to the outbox instead).
    bot.slack.refuse("chat.postMessage", error="invalid_blocks")
    event = mention(VASTGOED)
    bot.sender.event(event)
    bot.settle()
    [failure] = bot.replies()
    assert "ging mis" in shown_text(failure) and failure.params["thread_ts"] == event["ts"]
    assert [c.params["timestamp"] for c in bot.slack.calls_to("reactions.remove")] == [event["ts"]]


def test_bad_input_gets_a_helpful_reply(bot: Bot) -> None:
    bot.sender.event(mention("vastgoed " * 4445))  # 40,000 characters
    bot.sender.event({**mention(""), "text": MENTION})
    bot.sender.event({**mention(""), "text": f"{MENTION} <!channel> :wave: <@U0BRAM>"})
    bot.settle()
    texts = sorted(shown_text(reply) for reply in bot.replies())
    assert len(texts) == 3
    assert sum("te lang" in t for t in texts) == 1
    assert sum("Ik zie geen vraag" in t for t in texts) == 2
    assert not any(LIVE_PING.search(t) for t in texts)


def test_too_many_questions_get_a_friendly_wait_message(tmp_path: Path, slack_api: SlackApiServer,
                                                        answer_engine: Any, people_switch: PeopleSwitch) -> None:
    settings = bot_settings(tmp_path, slack_api, rate_limit_per_minute=2)
    with running_bot(settings, answer_engine, people_switch, slack_api) as bot:
        for _ in range(3):
            bot.sender.event(message(VASTGOED, channel=DM))
            bot.settle()
        texts = [shown_text(reply) for reply in bot.replies()]
    assert [DMV in t for t in texts] == [True, True, False]
    assert "Wacht een minuutje" in texts[2]


def test_own_messages_and_other_bots_are_ignored(bot: Bot) -> None:
    bot.sender.event(message(VASTGOED, channel=DM, user=BOT_USER_ID))
    bot.sender.event(message(VASTGOED, channel=DM, user=None, subtype="bot_message", bot_id="B0OTHER"))
    bot.sender.event(message(VASTGOED, channel=DM, user="U0OTHERBOT", bot_id="B0OTHER"))
    bot.sender.event({**mention(VASTGOED), "bot_id": BOT_ID})
    bot.sender.event(message(VASTGOED, channel=DM, subtype="message_changed"))
    bot.settle()
    assert bot.replies() == []


def test_an_english_question_gets_english_buttons(bot: Bot) -> None:
    bot.sender.event(message("Which directorate handles real estate?", channel=DM))
    bot.settle()
    [reply] = bot.replies()
    labels = [b["text"]["text"] for b in buttons(reply)]
    assert "👍 Helpful" in labels and "👎 Not helpful" in labels and "👍 Nuttig" not in labels
