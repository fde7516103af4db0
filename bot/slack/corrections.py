"""Corrections in Slack: the "Klopt niet / Aanvullen" form, its thank-you, who reviews, and the reviewer's
part of the App Home (pending corrections, units due for a check). User-written text is shown defanged."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core import phrases
from bot.core.citations import display_name
from bot.core.models import Language
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Unit
from bot.review.texts import correction_text
from bot.settings import Settings
from bot.slack.blocks import Block, button, context, section
from bot.slack.formatting import quote, safe_mrkdwn, safe_plain
from bot.state.corrections import MAX_TEXT, Correction

log = logging.getLogger(__name__)

VIEW_CORRECTION = "correction_submit"
VIEW_REJECT = "correction_reject"
VIEW_EDIT = "correction_edit"
ACTION_APPROVE = "correction_approve"
ACTION_REJECT = "correction_reject_open"
ACTION_EDIT = "correction_edit_open"
BLOCK_UNIT, BLOCK_FIELD, BLOCK_TEXT, BLOCK_REASON = "unit", "field", "text", "reason"
INPUT = "value"
MAX_PENDING_SHOWN = 20  # two blocks each, inside the App Home's 100
MAX_STALE_SHOWN = 25
OPTION_TEXT = 75  # Slack's limit for an option's text


def is_reviewer(settings: Settings, client: WebClient, user_id: str) -> bool:
    """A configured reviewer: by user id, or as a member of the configured user group."""
    if not user_id:
        return False
    if user_id in settings.review_slack_user_ids:
        return True
    if not settings.review_slack_usergroup:
        return False
    try:
        members = client.usergroups_users_list(usergroup=settings.review_slack_usergroup).get("users") or []
    except SlackApiError as error:
        log.warning("could not read the reviewers' user group: %s", error.response.get("error"))
        return False
    return user_id in members


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": safe_plain(text), "emoji": True}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _plain(label[:OPTION_TEXT]), "value": value}


def correction_form(units: list[Unit], answer_id: str, language: Language) -> Block:
    words = correction_text(language)
    unit_options = [_option(display_name(unit), unit.id) for unit in units]
    field_options = [_option(label, field) for field, label in words.field_options.items()]
    metadata = {"a": answer_id, "u": [unit.id for unit in units], "l": language}
    return {
        "type": "modal",
        "callback_id": VIEW_CORRECTION,
        "private_metadata": json.dumps(metadata),
        "title": _plain(words.form_title[:24]),
        "submit": _plain(words.submit),
        "close": _plain(words.cancel),
        "blocks": [
            {"type": "input", "block_id": BLOCK_UNIT, "label": _plain(words.unit_label),
             "element": {"type": "static_select", "action_id": INPUT, "options": unit_options,
                         "initial_option": unit_options[0]}},
            {"type": "input", "block_id": BLOCK_FIELD, "label": _plain(words.field_label),
             "element": {"type": "radio_buttons", "action_id": INPUT, "options": field_options}},
            {"type": "input", "block_id": BLOCK_TEXT, "label": _plain(words.text_label),
             "hint": _plain(words.text_hint),
             "element": {"type": "plain_text_input", "action_id": INPUT, "multiline": True, "max_length": MAX_TEXT}},
        ],
    }


def thanks_view(correction_id: int, language: Language) -> Block:
    words = correction_text(language)
    return {"type": "modal", "title": _plain(words.form_title[:24]), "close": _plain("OK"),
            "blocks": [section(safe_mrkdwn(words.thanks.format(id=correction_id)))]}


def form_values(view: dict[str, Any]) -> dict[str, str]:
    """The submitted value of each input block: a selected option's value, or the typed text."""
    values: dict[str, str] = {}
    for block_id, inputs in ((view.get("state") or {}).get("values") or {}).items():
        state = (inputs or {}).get(INPUT) or {}
        selected = state.get("selected_option") or {}
        values[block_id] = str(selected.get("value") or state.get("value") or "")
    return values


def reason_modal(correction: Correction) -> Block:
    return {
        "type": "modal", "callback_id": VIEW_REJECT, "private_metadata": str(correction.id),
        "title": _plain("Melding afwijzen"), "submit": _plain("Afwijzen"), "close": _plain("Annuleren"),
        "blocks": [
            section(f"*Voorstel:*\n{quote(correction.new_value)}"),
            {"type": "input", "block_id": BLOCK_REASON, "label": _plain("Reden (de melder ziet die)"),
             "element": {"type": "plain_text_input", "action_id": INPUT, "multiline": True, "max_length": MAX_TEXT}},
        ],
    }


def edit_modal(correction: Correction) -> Block:
    return {
        "type": "modal", "callback_id": VIEW_EDIT, "private_metadata": str(correction.id),
        "title": _plain("Bewerken en goedkeuren"), "submit": _plain("Goedkeuren"), "close": _plain("Annuleren"),
        "blocks": [
            {"type": "input", "block_id": BLOCK_TEXT, "label": _plain("Tekst zoals Schakel die gaat tonen"),
             "element": {"type": "plain_text_input", "action_id": INPUT, "multiline": True, "max_length": MAX_TEXT,
                         "initial_value": correction.new_value}},
        ],
    }


def review_blocks(knowledge: KnowledgeBase, pending: list[Correction], stale: list[tuple[Unit, int]],
                  max_age_years: int) -> list[Block]:
    blocks: list[Block] = [{"type": "header", "text": _plain("Meldingen om te beoordelen")}]
    if not pending:
        blocks.append(context("Er staan geen meldingen open."))
    for correction in pending[:MAX_PENDING_SHOWN]:
        blocks.append(section(_pending_text(knowledge, correction)))
        value = str(correction.id)
        blocks.append({"type": "actions", "block_id": f"review_{correction.id}", "elements": [
            button("Goedkeuren", ACTION_APPROVE, value, "primary"),
            button("Bewerken en goedkeuren", ACTION_EDIT, value),
            button("Afwijzen", ACTION_REJECT, value, "danger"),
        ]})
    if len(pending) > MAX_PENDING_SHOWN:
        blocks.append(context(f"En nog {len(pending) - MAX_PENDING_SHOWN}; zie `schakel knowledge review`."))
    blocks.append({"type": "header", "text": _plain(f"Eenheden met bronnen ouder dan {max_age_years} jaar")})
    if stale:
        lines = [f"• {safe_mrkdwn(display_name(unit))}: bron uit {year}" for unit, year in stale[:MAX_STALE_SHOWN]]
        if len(stale) > MAX_STALE_SHOWN:
            lines.append(f"• en nog {len(stale) - MAX_STALE_SHOWN}")
        blocks.append(section("\n".join(lines)))
    else:
        blocks.append(context("Alle eenheden hebben een recente bron of een goedgekeurde melding."))
    return blocks


def _pending_text(knowledge: KnowledgeBase, correction: Correction) -> str:
    unit = knowledge.unit(correction.unit_id)
    name = display_name(unit) if unit else correction.unit_id
    who = correction.proposer_name or correction.proposer_id
    field = phrases.overlay_field_label(correction.field, "nl")
    return (f"*Melding {correction.id}* · {safe_mrkdwn(name)} · {field}\n"
            f"Voorgesteld door {safe_mrkdwn(who)} op {correction.created_at.date().isoformat()}\n"
            f"*Nu:*\n{quote(correction.old_value) if correction.old_value else '_niets_'}\n"
            f"*Voorstel:*\n{quote(correction.new_value)}")[:3000]
