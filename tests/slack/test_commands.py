"""/wieiswie, /schakel and the "Vraag Schakel" message shortcut."""

from __future__ import annotations

from tests.slack.conftest import Bot
from tests.slack.helpers import ASKER, PUBLIC, shown_text

DMV = "Directie Materieel en Vastgoed"


def test_wieiswie_answers_only_the_asker_and_restates_the_question(bot: Bot) -> None:
    url = bot.slack.response_url("wieiswie")
    delivery = bot.sender.command("/wieiswie", "vastgoed", response_url=url)
    assert delivery.status == 200
    bot.settle()
    [response] = bot.slack.calls_to("response_url")
    assert response.params["response_type"] == "ephemeral"
    text = shown_text(response)
    assert "Je vroeg: _vastgoed_" in text and DMV in text
    assert bot.replies() == []  # nothing in the channel for everyone


def test_wieiswie_without_a_topic_explains_how(bot: Bot) -> None:
    bot.sender.command("/wieiswie", "   ", response_url=bot.slack.response_url())
    bot.settle()
    [response] = bot.slack.calls_to("response_url")
    assert "/wieiswie vastgoed" in shown_text(response)


def test_schakel_help_lists_what_schakel_can_do_with_examples(bot: Bot) -> None:
    for text in ("help", ""):
        reply = bot.sender.command("/schakel", text).json()
        assert reply["response_type"] == "ephemeral"
        assert "/wieiswie" in reply["text"] and "Welk directoraat gaat over vastgoed?" in reply["text"]


def test_schakel_unknown_subcommand_says_so_and_shows_help(bot: Bot) -> None:
    reply = bot.sender.command("/schakel", "dans <!channel>").json()
    assert "Dat commando ken ik niet" in reply["text"] and "<!channel>" not in reply["text"]
    assert "/wieiswie" in reply["text"]


def test_schakel_reflectie_is_handed_to_the_reflection_module(bot: Bot) -> None:
    bot.sender.command("/schakel", "reflectie status", channel_id=PUBLIC, response_url=bot.slack.response_url())
    bot.settle()
    [response] = bot.slack.calls_to("response_url")
    assert "Reflectievragen staan uit in dit kanaal" in response.params["text"]


def test_the_message_shortcut_answers_that_message_for_the_asker_only(bot: Bot) -> None:
    payload = {
        "type": "message_action", "callback_id": "vraag_schakel", "trigger_id": "1.2.3",
        "user": {"id": ASKER, "name": "fenna"}, "channel": {"id": PUBLIC, "name": "algemeen"},
        "message": {"type": "message", "user": "U0BRAM", "ts": "1700000000.000500",
                    "text": "Weet iemand welk directoraat over vastgoed gaat?"},
        "response_url": bot.slack.response_url("shortcut"),
    }
    assert bot.sender.interaction(payload).status == 200
    bot.settle()
    [response] = bot.slack.calls_to("response_url")
    text = shown_text(response)
    assert response.params["response_type"] == "ephemeral"
    assert "Weet iemand welk directoraat over vastgoed gaat?" in text and DMV in text
