"""Block Kit for answers, passages and contact proposals, within Slack's limits.

Limits: a section's text holds at most 3,000 characters, a message at most 50 blocks, a button
value at most 2,000 characters. Every piece of text goes through `formatting` first.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.core import phrases
from bot.core.models import Answer, PersonRef, Source
from bot.knowledge.schema import Unit
from bot.review.service import MAX_FORM_UNITS, correctable
from bot.review.texts import correction_text
from bot.slack.formatting import quote, safe_mrkdwn, safe_plain, split_text
from bot.slack.texts import UiText, ui

SECTION_LIMIT = 3000
MAX_BLOCKS = 50
MAX_ANSWER_SECTIONS = 30  # leaves room for sources and buttons inside the 50-block limit
MAX_CONTACT_UNITS = 5
FALLBACK_LIMIT = 3000  # the notification text; the blocks carry the full answer
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")

ACTION_PASSAGE = "toon_passage"
ACTION_FEEDBACK_UP = "feedback_up"
ACTION_FEEDBACK_DOWN = "feedback_down"
ACTION_CONNECT = "breng_in_contact"
ACTION_CORRECT = "klopt_niet"

Block = dict[str, Any]


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_LIMIT]}]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {"type": "button", "text": {"type": "plain_text", "text": safe_plain(text)[:75], "emoji": True},
                      "action_id": action_id, "value": value[:2000]}
    if style:
        element["style"] = style
    return element


def text_sections(text: str) -> list[Block]:
    """A mrkdwn text of any length as sections of at most 3,000 characters each."""
    return [section(piece) for piece in split_text(text, SECTION_LIMIT)]


def answer_message(answer: Answer, restate_question: bool = False) -> tuple[str, list[Block]]:
    """The fallback text and blocks for an answer."""
    words = ui(answer.language)
    blocks: list[Block] = []
    if restate_question:
        blocks.append(context(words.question_restated.format(question=safe_mrkdwn(answer.question))))
    body = safe_mrkdwn(answer.answer)
    blocks.extend(text_sections(body)[:MAX_ANSWER_SECTIONS])
    shown, heading = (answer.sources, words.sources) if answer.sources else (answer.related, words.related)
    if shown:
        blocks.append({"type": "divider"})
        blocks.append(section(f"*{heading}*"))
        blocks.extend(_source_block(number, source, words) for number, source in enumerate(shown, start=1))
    if answer.stale_year is not None:
        blocks.append(context(safe_mrkdwn(phrases.text("age_note", answer.language, year=answer.stale_year))))
    buttons: list[Block] = []
    if answer.kind == "counterpart" and answer.units:
        units = [unit.id for unit in answer.units[:MAX_CONTACT_UNITS]]
        buttons.append(button(words.connect, ACTION_CONNECT, json.dumps({"a": answer.id, "u": units}), "primary"))
    feedback_value = f"{answer.id}|{answer.kind}"
    buttons.append(button(words.helpful, ACTION_FEEDBACK_UP, feedback_value))
    buttons.append(button(words.not_helpful, ACTION_FEEDBACK_DOWN, feedback_value))
    if correctable(answer):
        units = [unit.id for unit in answer.units[:MAX_FORM_UNITS]]
        value = json.dumps({"a": answer.id, "u": units, "l": answer.language})
        buttons.append(button(correction_text(answer.language).button, ACTION_CORRECT, value))
    blocks = blocks[: MAX_BLOCKS - 1]
    blocks.append({"type": "actions", "block_id": f"answer_{answer.id}", "elements": buttons})
    fallback = body if len(body) <= FALLBACK_LIMIT else body[: FALLBACK_LIMIT - 1] + "…"
    return fallback, blocks


def _source_block(number: int, source: Source, words: UiText) -> Block:
    block = section(f"*[{number}]* {safe_mrkdwn(source.title)}, {safe_mrkdwn(source.location)}")
    if source.chunk_id:
        block["accessory"] = button(words.show_passage, ACTION_PASSAGE, source.chunk_id)
    return block


def notice(text: str) -> tuple[str, list[Block]]:
    """A short message Schakel writes itself (errors, limits, confirmations)."""
    safe = safe_mrkdwn(text)
    return safe, [section(safe)]


def passage_modal(source: Source, words: UiText) -> Block:
    quoted = quote(source.text)
    blocks: list[Block] = [section(f"*{safe_mrkdwn(source.title)}*, {safe_mrkdwn(source.location)}")]
    blocks.extend(section(piece) for piece in split_text(quoted, SECTION_LIMIT)[: MAX_BLOCKS - 1])
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": words.passage_title[:24]},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": blocks,
    }


def contact_text(units: list[Unit], people: dict[str, list[PersonRef]], words: UiText) -> str:
    """Who or where to contact for each unit of a counterpart answer, in mrkdwn."""
    parts: list[str] = []
    for unit in units:
        label = safe_mrkdwn(unit.name + (f" ({unit.abbreviation})" if unit.abbreviation else ""))
        lines: list[str] = []
        if unit.contact_channel:
            lines.append(words.connect_channel.format(channel=_channel_link(unit.contact_channel)))
        for person in people.get(unit.id, []):
            function = f", {safe_mrkdwn(person.function)}" if person.function else ""
            lines.append(words.connect_people.format(name=safe_mrkdwn(person.name), function=function))
        if lines:
            parts.append(words.connect_intro.format(unit=f"*{label}*") + "\n" + "\n".join(lines))
        else:
            parts.append(words.connect_nothing.format(unit=f"*{label}*"))
    return "\n\n".join(parts)


def _channel_link(channel: str) -> str:
    # A channel id becomes a clickable channel link (never a ping); a name is shown as text.
    if CHANNEL_ID.match(channel):
        return f"<#{channel}>"
    return safe_mrkdwn(channel if channel.startswith("#") else f"#{channel}")
