"""Buttons on answers: Toon passage, 👍/👎 and Breng me in contact."""

from __future__ import annotations

import json
import logging
from typing import Any, Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.models import AskerContext, PersonRef
from bot.slack.blocks import (
    ACTION_CONNECT,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_PASSAGE,
    contact_text,
    notice,
    passage_modal,
    section,
)
from bot.slack.deps import SlackDeps
from bot.slack.handler import is_dm
from bot.slack.texts import EN, UiText, ui

log = logging.getLogger(__name__)
CONTACT_PEOPLE = 3


def clicked(body: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """(the action, the channel it was clicked in, the user who clicked)."""
    action = body["actions"][0]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""
    return action, channel, (body.get("user") or {}).get("id", "")


def words_of(action: dict[str, Any]) -> UiText:
    # The button's own label tells which language the answer was in.
    label = (action.get("text") or {}).get("text", "")
    return ui("en") if label in {EN.show_passage, EN.helpful, EN.not_helpful, EN.connect} else ui("nl")


def register(app: App, deps: SlackDeps) -> None:
    def ack_action(ack: Ack) -> None:
        ack()

    def show_passage(body: dict[str, Any], client: WebClient) -> None:
        action, channel, user = clicked(body)
        words = words_of(action)
        asker = AskerContext(user_id=user, channel_id=channel, private=is_dm(channel))
        source = deps.engine.passage(action.get("value", ""), asker)
        if source is None:
            view = {"type": "modal", "title": {"type": "plain_text", "text": words.passage_title},
                    "close": {"type": "plain_text", "text": "OK"}, "blocks": [section(words.passage_unavailable)]}
        else:
            view = passage_modal(source, words)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def store_feedback(body: dict[str, Any], respond: Callable[..., Any]) -> None:
        action, _, user = clicked(body)
        answer_id, _, kind = action.get("value", "").partition("|")
        vote = "up" if action.get("action_id") == ACTION_FEEDBACK_UP else "down"
        text = (body.get("message") or {}).get("text")
        deps.feedback.record(answer_id=answer_id, vote=vote, user_id=user, kind=kind or None, text=text)
        text, blocks = notice(words_of(action).feedback_thanks)
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    def propose_contact(body: dict[str, Any], respond: Callable[..., Any]) -> None:
        action, _, _ = clicked(body)
        try:
            unit_ids = list(json.loads(action.get("value", "{}")).get("u", []))
        except ValueError:
            unit_ids = []
        units = [unit for unit in (deps.engine.knowledge.unit(uid) for uid in unit_ids) if unit]
        people: dict[str, list[PersonRef]] = {u.id: deps.people.search(u.id, [], limit=CONTACT_PEOPLE) for u in units}
        words = words_of(action)
        reply = contact_text(units, people, words) if units else words.connect_nothing.format(unit="—")
        respond(text=reply, blocks=[section(reply)], response_type="ephemeral", replace_original=False)

    app.action(ACTION_PASSAGE)(ack=ack_action, lazy=[show_passage])
    app.action(ACTION_FEEDBACK_UP)(ack=ack_action, lazy=[store_feedback])
    app.action(ACTION_FEEDBACK_DOWN)(ack=ack_action, lazy=[store_feedback])
    app.action(ACTION_CONNECT)(ack=ack_action, lazy=[propose_contact])
