"""Signatures, defanging and restricted documents: what must never leak or ping."""

from __future__ import annotations

import json
import time

from tests.slack.conftest import PING_QUESTION, Bot
from tests.slack.helpers import DM, LISTED, LIVE_PING, PUBLIC, block_action, button, mention, message, shown_text

DEFANGED_CHANNEL = "@\u200bchannel"  # what <!channel> becomes: readable, but no broadcast
RESTRICTED_QUESTION = "Hoe werkt beperkte zichtbaarheid van een vertrouwelijke notitie?"
RESTRICTED_TITLE = "notitie met beperkte zichtbaarheid"  # from knowledge/cases/voorbeeld-vertrouwelijk.md


def test_forged_and_old_signatures_get_401_and_do_nothing(bot: Bot) -> None:
    body = json.dumps({"type": "event_callback", "event_id": "EvForged", "team_id": "T0TEST",
                       "event": mention("Welk directoraat gaat over vastgoed?")})
    assert bot.sender.post(body, signature="v0=" + "0" * 64).status == 401
    old = int(time.time()) - 10 * 60
    assert bot.sender.post(body, timestamp=old).status == 401  # validly signed, but too old to trust
    assert bot.sender.post(body, headers={"X-Slack-Signature": ""}, signature="v0=").status == 401
    bot.settle()
    assert bot.slack.calls_to("chat.postMessage") == [] and bot.slack.calls_to("reactions.add") == []


def test_a_source_containing_channel_pings_nobody(bot: Bot) -> None:
    event = mention(PING_QUESTION)
    bot.sender.event(event)
    bot.settle()
    [reply] = bot.replies()
    text = shown_text(reply)
    assert "marinierslogistiek" in text and DEFANGED_CHANNEL in text  # the passage is quoted, markup and all...
    assert not LIVE_PING.search(text)  # ...but its <!channel>, @here, <@U…> and <!subteam^…> are inert

    chunk_id = next(b["value"] for b in [button(reply, "toon_passage")])
    bot.sender.interaction(block_action("toon_passage", chunk_id))
    bot.settle()
    [opened] = bot.slack.calls_to("views.open")
    assert "steiger vier" in shown_text(opened) and DEFANGED_CHANNEL in shown_text(opened)
    assert not LIVE_PING.search(shown_text(opened))


def test_a_restricted_note_stays_out_of_a_public_channel(bot: Bot) -> None:
    bot.sender.event(mention(RESTRICTED_QUESTION, channel=PUBLIC))
    bot.sender.command("/wieiswie", RESTRICTED_QUESTION, channel_id=PUBLIC, response_url=bot.slack.response_url())
    bot.settle()
    [reply] = bot.replies()
    [ephemeral] = bot.slack.calls_to("response_url")
    for shown in (shown_text(reply), shown_text(ephemeral)):
        assert RESTRICTED_TITLE not in shown and "demonstratienotitie" not in shown


def test_a_restricted_note_is_shown_in_a_dm_and_in_its_listed_channel(bot: Bot) -> None:
    bot.sender.event(message(RESTRICTED_QUESTION, channel=DM))
    bot.sender.event(mention(RESTRICTED_QUESTION, channel=LISTED))
    bot.settle()
    for channel in (DM, LISTED):
        [reply] = bot.replies(channel)
        assert RESTRICTED_TITLE in shown_text(reply)


def test_the_passage_of_a_restricted_note_is_refused_in_a_public_channel(bot: Bot) -> None:
    bot.sender.event(message(RESTRICTED_QUESTION, channel=DM))
    bot.settle()
    [reply] = bot.replies(DM)
    chunk_id = button(reply, "toon_passage")["value"]
    assert chunk_id.startswith("voorbeeld-vertrouwelijk")
    bot.sender.interaction(block_action("toon_passage", chunk_id, channel=PUBLIC))
    bot.settle()
    bot.sender.interaction(block_action("toon_passage", chunk_id, channel=DM))
    bot.settle()
    public, private = bot.slack.calls_to("views.open")
    assert "kan ik hier niet tonen" in shown_text(public) and "demonstratienotitie" not in shown_text(public)
    assert "demonstratienotitie" in shown_text(private)
