"""The platform-neutral part of corrections: checking a submitted form, what the directory said before,
deciding, and which units are due for a check. Slack, Teams and the terminal call these."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from bot.core.citations import display_name
from bot.core.models import Answer, Language
from bot.core.overlay import OVERLAY_FIELDS, OverlayField, OverlaySource, is_old, newest_year, unit_sources
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Unit
from bot.review.texts import NO_REASON_GIVEN, correction_text
from bot.state.corrections import MAX_TEXT, Correction, CorrectionStore, Proposal

log = logging.getLogger(__name__)
CORRECTABLE_KINDS = frozenset({"directory", "counterpart"})
MAX_FORM_UNITS = 5


@dataclass(frozen=True)
class FormInput:
    """The form as the user sent it back; the allowed units come from the answer the button was under."""

    answer_id: str
    allowed_units: list[str]
    unit_id: str
    field: str
    text: str
    language: Language


def correctable(answer: Answer) -> bool:
    return answer.kind in CORRECTABLE_KINDS and bool(answer.units)


def form_units(knowledge: KnowledgeBase, unit_ids: list[str]) -> list[Unit]:
    """The answer's units that exist in the directory; anything else (a forged id, a note) is left out."""
    units = [knowledge.unit(unit_id) for unit_id in dict.fromkeys(unit_ids)]
    return [unit for unit in units if unit is not None][:MAX_FORM_UNITS]


def old_value(knowledge: KnowledgeBase, unit: Unit, field: OverlayField) -> str:
    """What the directory (knowledge/units.yaml, never a case note) says about this field of the unit."""
    if field == "taak":
        return "\n".join(f"• {fact.text}" for fact in unit.responsibilities)
    if field == "contact":
        lines = [f"• kanaal: {unit.contact_channel}"] if unit.contact_channel else []
        lines += [f"• {person.function}: {person.name}" if person.name else f"• {person.function}"
                  for person in unit.people]
        return "\n".join(lines)
    partners = {relation.unit: knowledge.unit(relation.unit) for relation in unit.relations}
    return "\n".join(
        f"• {display_name(partners[r.unit]) if partners[r.unit] else r.unit}: {r.topic}" for r in unit.relations)


def check_form(knowledge: KnowledgeBase, form: FormInput) -> dict[str, str]:
    """Problems per form part ("unit", "field", "text"), in the proposer's language; empty when all is well."""
    words = correction_text(form.language)
    problems: dict[str, str] = {}
    if form.unit_id not in {unit.id for unit in form_units(knowledge, form.allowed_units)}:
        problems["unit"] = words.unknown_unit
    if form.field not in OVERLAY_FIELDS:
        problems["field"] = words.unknown_field
    text = form.text.strip()
    if not any(character.isalnum() for character in text):
        problems["text"] = words.no_text
    elif len(text) > MAX_TEXT:
        problems["text"] = words.too_long.format(limit=MAX_TEXT)
    return problems


def propose(store: CorrectionStore, knowledge: KnowledgeBase, form: FormInput, platform: str, proposer_id: str,
            proposer_name: str | None, reply_to: dict[str, str]) -> Correction:
    """Store a checked form as a pending proposal (call `check_form` first)."""
    unit = knowledge.unit(form.unit_id)
    assert unit is not None and form.field in OVERLAY_FIELDS
    field: OverlayField = form.field  # type: ignore[assignment]
    correction = store.propose(Proposal(
        platform=platform, proposer_id=proposer_id, proposer_name=proposer_name,
        reply_to={**reply_to, "lang": form.language}, answer_id=form.answer_id[:64], unit_id=unit.id, field=field,
        old_value=old_value(knowledge, unit, field), new_value=form.text.strip()))
    # Ids only: the proposed text is the user's and stays out of the logs.
    log.info("correction proposed", extra={"fields": {"correction": correction.id, "unit": unit.id,
                                                      "field": field, "platform": platform}})
    return correction


def decide(store: CorrectionStore, correction_id: int, approve: bool, reviewer_id: str, reviewer_name: str | None,
           reason: str | None = None, new_value: str | None = None) -> Correction | None:
    decided = store.decide(correction_id, approve, reviewer_id, reviewer_name,
                           reason=(reason or "").strip()[:MAX_TEXT] or None, new_value=new_value)
    log.info("correction decided", extra={"fields": {"correction": correction_id, "approved": approve,
                                                     "taken": decided is not None}})
    return decided


def refuse(correction_id: object, user_id: str, platform: str) -> None:
    """A decision from someone who is not a reviewer (forged or replayed): logged, without any text."""
    log.warning("correction decision refused: not a reviewer",
                extra={"fields": {"correction": str(correction_id)[:20], "user": user_id[:64], "platform": platform}})


def decision_notice(knowledge: KnowledgeBase, correction: Correction) -> str:
    """What the proposer is told: approved (with the text as it will be shown) or rejected with the reason."""
    words = correction_text(correction.reply_to.get("lang"))
    unit = knowledge.unit(correction.unit_id)
    name = display_name(unit) if unit else correction.unit_id
    if correction.status == "approved":
        return words.approved.format(id=correction.id, unit=name, text=correction.new_value)
    return words.rejected.format(id=correction.id, unit=name, reason=correction.reason or NO_REASON_GIVEN)


def stale_units(knowledge: KnowledgeBase, overlay: OverlaySource, max_age_years: int,
                today: dt.date) -> list[tuple[Unit, int]]:
    """Units whose newest source (or approved correction) is older than the configured age, oldest first."""
    found = []
    for unit in knowledge.units:
        year = newest_year(knowledge, unit_sources(unit), overlay.facts(unit.id))
        if year is not None and is_old(year, max_age_years, today):
            found.append((unit, year))
    return sorted(found, key=lambda item: (item[1], item[0].name))
