"""The buttons under an answer, and the App Home."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.state.people import SyncedProfile
from tests.slack.conftest import Bot, PeopleSwitch, bot_settings, running_bot
from tests.slack.helpers import ASKER, DM, PUBLIC, block_action, button, mention, message, shown_text
from tests.support.slack_api import SlackApiServer

VASTGOED = "Welk directoraat gaat over vastgoed?"
CYBER = "Met wie moet ik samenwerken aan cybersecurity?"


def ask(bot: Bot, question: str, channel: str = DM) -> Any:
    bot.sender.event(message(question, channel=channel) if channel == DM else mention(question, channel=channel))
    bot.settle()
    return bot.replies(channel)[-1]


def test_toon_passage_opens_the_cited_text(bot: Bot) -> None:
    reply = ask(bot, VASTGOED)
    chunk_id = button(reply, "toon_passage")["value"]
    bot.sender.interaction(block_action("toon_passage", chunk_id, channel=DM, label="Toon passage"))
    bot.settle()
    [opened] = bot.slack.calls_to("views.open")
    view = opened.json_param("view")
    assert opened.params["trigger_id"] == "1337.42.trigger" and view["type"] == "modal"
    assert "Het doorbreken van muren" in shown_text(opened)  # the study's title above the quoted passage
    assert any(b["text"]["text"].startswith(">") for b in view["blocks"][1:])


def test_feedback_is_stored_with_the_answer_id_without_text_by_default(bot: Bot) -> None:
    reply = ask(bot, VASTGOED)
    up = button(reply, "feedback_up")
    bot.sender.interaction(block_action("feedback_up", up["value"], channel=DM, label=up["text"]["text"],
                                       response_url=bot.slack.response_url(), message_text="het antwoord"))
    bot.settle()
    answer_id = up["value"].split("|")[0]
    [record] = bot.deps.feedback.for_answer(answer_id)
    assert (record.vote, record.user_id, record.kind, record.text) == ("up", ASKER, "directory", None)
    assert "Dank je voor je feedback" in bot.slack.calls_to("response_url")[0].params["text"]


def test_feedback_text_is_kept_when_configured(tmp_path: Path, slack_api: SlackApiServer, answer_engine: Any,
                                               people_switch: PeopleSwitch) -> None:
    settings = bot_settings(tmp_path, slack_api, store_feedback_text=True)
    with running_bot(settings, answer_engine, people_switch, slack_api) as bot:
        down = button(ask(bot, VASTGOED), "feedback_down")
        bot.sender.interaction(block_action("feedback_down", down["value"], channel=DM,
                                           response_url=slack_api.response_url(), message_text="het antwoord"))
        bot.settle()
        [record] = bot.deps.feedback.for_answer(down["value"].split("|")[0])
    assert (record.vote, record.text) == ("down", "het antwoord")


def test_breng_me_in_contact_proposes_the_counterparts_people(bot: Bot) -> None:
    bot.deps.people.replace_profiles([SyncedProfile("U0DIRK", "Fictieve Dirk", "Strateeg", "DSK")])
    reply = ask(bot, CYBER, channel=PUBLIC)
    contact = button(reply, "breng_in_contact")
    dsk = next(unit.id for unit in bot.deps.engine.knowledge.units if unit.abbreviation == "DSK")
    assert dsk in json.loads(contact["value"])["u"]
    bot.sender.interaction(block_action("breng_in_contact", contact["value"], response_url=bot.slack.response_url()))
    bot.settle()
    [response] = bot.slack.calls_to("response_url")
    text = response.params["text"]
    assert "Directie Strategie en Kennis" in text and "Fictieve Dirk, Strateeg" in text
    assert response.params["response_type"] == "ephemeral"


def test_app_home_shows_examples_search_and_profile(bot: Bot) -> None:
    bot.deps.people.replace_profiles([SyncedProfile(ASKER, "Fictieve Fenna", "Beleidsmedewerker", "CIO")])
    bot.sender.event({"type": "app_home_opened", "user": ASKER, "channel": DM, "tab": "home"})
    bot.settle()
    [home] = bot.slack.calls_to("views.publish")
    text = shown_text(home)
    assert home.params["user_id"] == ASKER
    assert VASTGOED in text and "Zoek een eenheid" in text and "Reflectievragen" in text
    assert "Chief Information Office" in text and "Verberg mij in antwoorden" in text

    bot.sender.interaction({"type": "block_actions", "user": {"id": ASKER}, "view": {"type": "home"},
                            "trigger_id": "1.2", "actions": [{"type": "plain_text_input",
                                                              "action_id": "home_unit_search", "value": "vastgoed"}]})
    bot.settle()
    assert "Directie Materieel en Vastgoed" in shown_text(bot.slack.calls_to("views.publish")[-1])

    bot.sender.interaction(block_action("home_hide", "hide", channel=DM))
    bot.settle()
    assert bot.deps.people.is_hidden(ASKER)
    assert "Toon mij weer in antwoorden" in shown_text(bot.slack.calls_to("views.publish")[-1])
