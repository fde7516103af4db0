""""Klopt niet / Aanvullen" under an answer, and the reviewer's approve, edit-then-approve and reject.

Every decision checks again that the clicking user is a reviewer: a button or view payload can be forged
or replayed by anyone who can post to the request URL with a valid signature (another workspace member
clicking a copied button). A refused decision is logged with ids only.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.review import service
from bot.review.notify import tell_proposer
from bot.review.texts import NO_REASON, NOT_A_REVIEWER, correction_text
from bot.slack.blocks import ACTION_CORRECT, notice
from bot.slack.corrections import (
    ACTION_APPROVE,
    ACTION_EDIT,
    ACTION_REJECT,
    BLOCK_FIELD,
    BLOCK_REASON,
    BLOCK_TEXT,
    BLOCK_UNIT,
    VIEW_CORRECTION,
    VIEW_EDIT,
    VIEW_REJECT,
    correction_form,
    edit_modal,
    form_values,
    is_reviewer,
    reason_modal,
    thanks_view,
)
from bot.slack.deps import SlackDeps
from bot.slack.home import publish_home

log = logging.getLogger(__name__)
PLATFORM = "slack"


def _user(body: dict[str, Any]) -> tuple[str, str | None]:
    user = body.get("user") or {}
    return str(user.get("id") or ""), user.get("name") or user.get("username")


def _json_object(text: object) -> dict[str, Any]:
    """A button value or view metadata as Schakel wrote it; anything else (forged, truncated) as empty."""
    try:
        value = json.loads(str(text or "{}"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _correction_id(value: object) -> int | None:
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None  # an INTEGER column


def register(app: App, deps: SlackDeps) -> None:
    knowledge = deps.engine.knowledge

    def ack_action(ack: Ack) -> None:
        ack()

    def open_form(body: dict[str, Any], client: WebClient, respond: Callable[..., Any]) -> None:
        value = _json_object(body["actions"][0].get("value"))
        language = "en" if value.get("l") == "en" else "nl"
        units = service.form_units(knowledge, [str(unit) for unit in value.get("u") or []])
        if not units:
            text, blocks = notice(correction_text(language).no_units)
            respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
            return
        client.views_open(trigger_id=body["trigger_id"], view=correction_form(units, str(value.get("a", "")), language))

    def submit_form(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = _json_object(view.get("private_metadata"))
        values = form_values(view)
        form = service.FormInput(
            answer_id=str(metadata.get("a") or "?"), allowed_units=[str(u) for u in metadata.get("u") or []],
            unit_id=values.get(BLOCK_UNIT, ""), field=values.get(BLOCK_FIELD, ""), text=values.get(BLOCK_TEXT, ""),
            language="en" if metadata.get("l") == "en" else "nl")
        problems = service.check_form(knowledge, form)
        if problems:
            blocks = {"unit": BLOCK_UNIT, "field": BLOCK_FIELD, "text": BLOCK_TEXT}
            ack(response_action="errors", errors={blocks[part]: message for part, message in problems.items()})
            return
        user_id, name = _user(body)
        correction = service.propose(deps.corrections, knowledge, form, PLATFORM, user_id, name,
                                     reply_to={"user": user_id})
        ack(response_action="update", view=thanks_view(correction.id, form.language))

    def refused(client: WebClient, correction_id: object, user_id: str) -> None:
        service.refuse(correction_id, user_id, PLATFORM)
        if user_id:
            client.chat_postMessage(channel=user_id, text=notice(NOT_A_REVIEWER)[0])

    def approve(body: dict[str, Any], client: WebClient) -> None:
        user_id, _ = _user(body)
        correction_id = _correction_id(body["actions"][0].get("value"))
        if not is_reviewer(deps.settings, client, user_id):
            refused(client, correction_id, user_id)
            return
        if correction_id is not None:
            finish(client, correction_id, user_id, approve=True)
        publish_home(deps, client, user_id)

    def open_decision(body: dict[str, Any], client: WebClient) -> None:
        user_id, _ = _user(body)
        action = body["actions"][0]
        correction_id = _correction_id(action.get("value"))
        if not is_reviewer(deps.settings, client, user_id):
            refused(client, correction_id, user_id)
            return
        correction = deps.corrections.get(correction_id) if correction_id is not None else None
        if correction is None or correction.status != "pending":
            publish_home(deps, client, user_id)
            return
        modal = reason_modal if action.get("action_id") == ACTION_REJECT else edit_modal
        client.views_open(trigger_id=body["trigger_id"], view=modal(correction))

    def check_decision(ack: Ack, view: dict[str, Any]) -> None:
        problem = _decision_problem(view)
        if problem:
            ack(response_action="errors", errors=problem)
        else:
            ack()

    def take_decision(body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        if _decision_problem(view):
            return  # the modal stays open with its error; lazy listeners run after every ack
        user_id, _ = _user(body)
        correction_id = _correction_id(view.get("private_metadata"))
        if not is_reviewer(deps.settings, client, user_id):
            refused(client, correction_id, user_id)
            return
        values = form_values(view)
        if correction_id is not None:
            if view.get("callback_id") == VIEW_REJECT:
                finish(client, correction_id, user_id, approve=False, reason=values.get(BLOCK_REASON))
            else:
                finish(client, correction_id, user_id, approve=True, new_value=values.get(BLOCK_TEXT))
        publish_home(deps, client, user_id)

    def finish(client: WebClient, correction_id: int, reviewer_id: str, approve: bool, reason: str | None = None,
               new_value: str | None = None) -> None:
        decided = service.decide(deps.corrections, correction_id, approve, reviewer_id,
                                 _real_name(client, reviewer_id), reason=reason, new_value=new_value)
        if decided is None:
            return  # already decided (a double click, a replay): nothing changes, nobody is told twice
        tell_proposer(deps.settings, knowledge, decided, slack=client)

    app.action(ACTION_CORRECT)(ack=ack_action, lazy=[open_form])
    app.view(VIEW_CORRECTION)(submit_form)
    app.action(ACTION_APPROVE)(ack=ack_action, lazy=[approve])
    app.action(ACTION_REJECT)(ack=ack_action, lazy=[open_decision])
    app.action(ACTION_EDIT)(ack=ack_action, lazy=[open_decision])
    app.view(VIEW_REJECT)(ack=check_decision, lazy=[take_decision])
    app.view(VIEW_EDIT)(ack=check_decision, lazy=[take_decision])


def _decision_problem(view: dict[str, Any]) -> dict[str, str]:
    values = form_values(view)
    if view.get("callback_id") == VIEW_REJECT and not values.get(BLOCK_REASON, "").strip():
        return {BLOCK_REASON: NO_REASON}
    if view.get("callback_id") == VIEW_EDIT and not values.get(BLOCK_TEXT, "").strip():
        return {BLOCK_TEXT: correction_text("nl").no_text}
    return {}


def _real_name(client: WebClient, user_id: str) -> str:
    """The reviewer's name for the overlay's source line; the user id when Slack does not say."""
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError:
        return user_id
    return str(user.get("real_name") or (user.get("profile") or {}).get("real_name") or user_id)
