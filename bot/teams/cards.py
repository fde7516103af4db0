"""Adaptive Cards for answers, passages and reflection prompts, and plain-text notices.

Safety: all text goes into RichTextBlock TextRuns, which Teams renders literally (no Markdown, no
links, no HTML), so source text cannot format or link anything. Only the answer's own `**bold**`
becomes a bold run. Mentions need `msteams.entities`, which Schakel never sends; `<at>` tags and
bare @keywords are defanged anyway so a copied message cannot look like a ping.
"""

from __future__ import annotations

import re
from typing import Any

from microsoft_teams.api import Attachment, MessageActivityInput

from bot.core import phrases
from bot.core.models import Answer, Source
from bot.reflection.models import PromptMessage
from bot.reflection.slack_poster import look_back_line
from bot.review.service import MAX_FORM_UNITS, correctable
from bot.review.texts import correction_text
from bot.slack.texts import UiText, ui
from bot.state.corrections import MAX_TEXT

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MAX_ANSWER_CHARS = 8000  # Teams rejects messages above about 28 KB
MAX_PASSAGE_CHARS = 6000
MAX_TITLE_CHARS = 300

ACTION_PASSAGE = "passage"
ACTION_FEEDBACK = "feedback"
ACTION_CORRECT = "correct"

ZWSP = "\u200b"
AT_TAG = re.compile(r"</?at\b[^>]*>", re.IGNORECASE)
BARE_MENTION = re.compile(r"(?<![\w@])@(?=\w)")
BOLD = re.compile(r"\*\*(.+?)\*\*")
HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
BULLET = re.compile(r"^(\s*)[-*]\s+", re.MULTILINE)

Card = dict[str, Any]
Element = dict[str, Any]


def defang(text: str) -> str:
    """No `<at>` markup and no @word that reads like a mention."""
    return BARE_MENTION.sub(f"@{ZWSP}", AT_TAG.sub("", text))


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rich_text(text: str, *, markdown_bold: bool = False, subtle: bool = False, italic: bool = False) -> list[Element]:
    """One RichTextBlock per line; with `markdown_bold`, `**x**` becomes a bold run (the engine's answers)."""
    blocks: list[Element] = []
    for line in defang(text).splitlines():
        if not line.strip():
            continue
        if markdown_bold:
            line = BULLET.sub(r"\1• ", HEADING.sub("", line))
        parts = BOLD.split(line) if markdown_bold else [line]
        runs = [_run(part, bold=index % 2 == 1, subtle=subtle, italic=italic)
                for index, part in enumerate(parts) if part]
        blocks.append({"type": "RichTextBlock", "inlines": runs})
    return blocks


def _run(text: str, *, bold: bool, subtle: bool, italic: bool) -> Element:
    run: Element = {"type": "TextRun", "text": text}
    if bold:
        run["weight"] = "Bolder"
    if subtle:
        run["isSubtle"] = True
    if italic:
        run["italic"] = True
    return run


def heading(text: str) -> Element:
    return {"type": "RichTextBlock", "separator": True, "spacing": "Medium",
            "inlines": [{"type": "TextRun", "text": defang(text), "weight": "Bolder"}]}


def submit(title: str, action: str, **data: str) -> Element:
    """A button whose data comes back as the activity's `value` (`schakel` names the action)."""
    return {"type": "Action.Submit", "title": title, "data": {"schakel": action, **data}}


def card(body: list[Element], actions: list[Element] | None = None) -> Card:
    content: Card = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": CARD_VERSION, "body": body,
                     "msteams": {"width": "Full"}}
    if actions:
        content["actions"] = actions
    return content


def card_activity(content: Card, summary: str) -> MessageActivityInput:
    """A message activity carrying one card; `summary` is what notifications and the chat list show."""
    activity = MessageActivityInput(summary=clip(defang(summary), 200))
    return activity.add_attachments(Attachment(content_type=CARD_CONTENT_TYPE, content=content))


def text_activity(text: str) -> MessageActivityInput:
    """A plain-text message (Teams shows it literally)."""
    return MessageActivityInput(text_format="plain", text=defang(text))


def answer_card(answer: Answer, restate_question: bool = False) -> Card:
    words = ui(answer.language)
    body: list[Element] = []
    if restate_question:
        prefix = "You asked: " if answer.language == "en" else "Je vroeg: "
        body += rich_text(prefix + clip(answer.question, MAX_TITLE_CHARS), subtle=True, italic=True)
    body += rich_text(clip(answer.answer, MAX_ANSWER_CHARS), markdown_bold=True)
    shown, label = (answer.sources, words.sources) if answer.sources else (answer.related, words.related)
    if shown:
        body.append(heading(label))
        body += [_source_element(number, source, words, answer.language)
                 for number, source in enumerate(shown, start=1)]
    if answer.stale_year is not None:
        body += rich_text(phrases.text("age_note", answer.language, year=answer.stale_year), subtle=True)
    feedback = {"answer": answer.id, "kind": answer.kind, "lang": answer.language}
    actions = [
        submit(words.helpful, ACTION_FEEDBACK, vote="up", **feedback),
        submit(words.not_helpful, ACTION_FEEDBACK, vote="down", **feedback),
    ]
    if correctable(answer):
        actions.append(correction_action(answer))
    return card(body, actions)


def correction_action(answer: Answer) -> Element:
    """An Action.ShowCard under an answer: the form, with the answer's units to choose from."""
    words = correction_text(answer.language)
    units = answer.units[:MAX_FORM_UNITS]
    unit_choices = [{"title": unit.name + (f" ({unit.abbreviation})" if unit.abbreviation else ""), "value": unit.id}
                    for unit in units]
    field_choices = [{"title": label, "value": field} for field, label in words.field_options.items()]
    form = {"type": "AdaptiveCard", "body": [
        {"type": "Input.ChoiceSet", "id": "unit", "label": words.unit_label, "choices": unit_choices,
         "value": units[0].id, "isRequired": True},
        {"type": "Input.ChoiceSet", "id": "field", "label": words.field_label, "choices": field_choices,
         "style": "expanded", "isRequired": True},
        {"type": "Input.Text", "id": "text", "label": words.text_label, "placeholder": words.text_hint,
         "isMultiline": True, "maxLength": MAX_TEXT, "isRequired": True},
    ], "actions": [submit(words.submit, ACTION_CORRECT, answer=answer.id, units=",".join(u.id for u in units),
                          lang=answer.language)]}
    return {"type": "Action.ShowCard", "title": words.button, "card": form}


def _source_element(number: int, source: Source, words: UiText, language: str) -> Element:
    label = f"[{number}] {clip(source.title, MAX_TITLE_CHARS)}, {source.location}"
    items: list[Element] = rich_text(label)
    if source.chunk_id:
        items.append({"type": "ActionSet", "actions": [
            submit(words.show_passage, ACTION_PASSAGE, chunk=source.chunk_id, lang=language),
        ]})
    return {"type": "Container", "items": items}


def passage_card(source: Source, words: UiText) -> Card:
    body = [heading(f"{words.passage_title}: {clip(source.title, MAX_TITLE_CHARS)}, {source.location}")]
    body += rich_text(clip(source.text.strip(), MAX_PASSAGE_CHARS), italic=True)
    return card(body)


def prompt_card(message: PromptMessage) -> Card:
    # Our own catalogue text only; nothing user-written is rendered here.
    body: list[Element] = []
    if message.look_back:
        body += rich_text(look_back_line(message.look_back), subtle=True)
    body.append(heading("Even reflecteren"))
    body += rich_text(message.question)
    body += rich_text("Reageer gerust in deze thread, kort mag. Geen formulier, geen scores.", subtle=True)
    return card(body)
