"""Corrections in Teams: the "Klopt niet / Aanvullen" form on an answer card, and review by the reviewers
configured by Entra object id (type "meldingen" in a chat with Schakel).

Teams merges a card's input values into the data of the Action.Submit that sends them, so the form's
unit, field and text arrive with the action's own data. Every decision checks again that the sender is a
reviewer; a refused one is logged with ids only.
"""

from __future__ import annotations

from typing import Any

from microsoft_teams.api import MessageActivityInput

from bot.core import phrases
from bot.core.citations import display_name
from bot.knowledge.loader import KnowledgeBase
from bot.review import service
from bot.review.notify import tell_proposer
from bot.review.texts import ALREADY_DECIDED, NO_REASON, NOT_A_REVIEWER, UNKNOWN_CORRECTION, correction_text
from bot.settings import Settings
from bot.state.corrections import MAX_TEXT, Correction, CorrectionStore
from bot.teams.activities import Incoming
from bot.teams.cards import Element, card, card_activity, heading, rich_text, submit, text_activity
from bot.teams.connector import ConnectorClient

ACTION_REVIEW = "review"
PLATFORM = "teams"
MAX_PENDING_SHOWN = 20
STATUS_LABELS = {"approved": "goedgekeurd", "rejected": "afgewezen"}


def review_card(knowledge: KnowledgeBase, pending: list[Correction]) -> dict[str, Any]:
    body: list[Element] = [heading("Meldingen om te beoordelen")]
    if not pending:
        body += rich_text("Er staan geen meldingen open.", subtle=True)
    for correction in pending[:MAX_PENDING_SHOWN]:
        unit = knowledge.unit(correction.unit_id)
        name = display_name(unit) if unit else correction.unit_id
        body.append(heading(f"Melding {correction.id} · {name} · "
                            f"{phrases.overlay_field_label(correction.field, 'nl')}"))
        body += rich_text(f"Voorgesteld door {correction.proposer_name or correction.proposer_id} op "
                          f"{correction.created_at.date().isoformat()}", subtle=True)
        body += rich_text(f"Nu: {correction.old_value or 'niets'}")
        body += rich_text(f"Voorstel: {correction.new_value}")
        value = str(correction.id)
        reject = {"type": "AdaptiveCard", "body": [
            {"type": "Input.Text", "id": "reason", "label": "Reden (de melder ziet die)", "isMultiline": True,
             "maxLength": MAX_TEXT, "isRequired": True}],
            "actions": [submit("Afwijzen", ACTION_REVIEW, id=value, decision="reject")]}
        body.append({"type": "ActionSet", "actions": [
            submit("Goedkeuren", ACTION_REVIEW, id=value, decision="approve"),
            {"type": "Action.ShowCard", "title": "Afwijzen…", "card": reject},
        ]})
    return card(body)


class TeamsCorrections:
    def __init__(self, settings: Settings, knowledge: KnowledgeBase, store: CorrectionStore,
                 connector: ConnectorClient) -> None:
        self.settings, self.knowledge, self.store, self.connector = settings, knowledge, store, connector

    def is_reviewer(self, incoming: Incoming) -> bool:
        return bool(incoming.user_id) and incoming.user_id in self.settings.review_teams_aad_ids

    def propose(self, incoming: Incoming, data: dict[str, Any]) -> str:
        """Store the form as a pending proposal; the reply says thanks, or what to fix."""
        form = service.FormInput(
            answer_id=str(data.get("answer") or "?"), allowed_units=str(data.get("units") or "").split(","),
            unit_id=str(data.get("unit") or ""), field=str(data.get("field") or ""), text=str(data.get("text") or ""),
            language="en" if data.get("lang") == "en" else "nl")
        problems = service.check_form(self.knowledge, form)
        if problems:
            return " ".join(problems.values())
        reply_to = {"account": incoming.account_id, "service_url": incoming.service_url,
                    "bot": incoming.bot_id, "tenant": incoming.tenant_id or ""}
        sender = incoming.activity.from_
        correction = service.propose(self.store, self.knowledge, form, PLATFORM, incoming.user_id, sender.name,
                                     reply_to)
        return correction_text(form.language).thanks.format(id=correction.id)

    def review(self, incoming: Incoming) -> MessageActivityInput:
        """The pending corrections with their buttons, for a reviewer."""
        if not self.is_reviewer(incoming):
            service.refuse("list", incoming.user_id, PLATFORM)
            return text_activity(NOT_A_REVIEWER)
        pending = self.store.with_status("pending")
        return card_activity(review_card(self.knowledge, pending), f"Meldingen om te beoordelen: {len(pending)}")

    def decide(self, incoming: Incoming, data: dict[str, Any]) -> str:
        correction_id = str(data.get("id") or "")
        if not self.is_reviewer(incoming):
            service.refuse(correction_id, incoming.user_id, PLATFORM)
            return NOT_A_REVIEWER
        approve = data.get("decision") == "approve"
        reason = str(data.get("reason") or "").strip()
        if not approve and not reason:
            return NO_REASON
        known = correction_id.isdigit() and len(correction_id) < 10  # an INTEGER column
        existing = self.store.get(int(correction_id)) if known else None
        if existing is None:
            return UNKNOWN_CORRECTION.format(id=correction_id[:20] or "?")
        decided = service.decide(self.store, existing.id, approve, incoming.user_id,
                                 incoming.activity.from_.name, reason=reason or None)
        if decided is None:
            return ALREADY_DECIDED.format(id=existing.id, status=STATUS_LABELS.get(existing.status, existing.status))
        tell_proposer(self.settings, self.knowledge, decided, teams=self.connector)
        if approve:
            return f"Melding {decided.id} goedgekeurd. Bron in antwoorden: {decided.overlay_fact().source_label()}."
        return f"Melding {decided.id} afgewezen; de melder krijgt je reden te zien."
