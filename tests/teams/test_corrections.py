"""A living directory in Teams: the "Klopt niet / Aanvullen" form on an answer card, review by a configured
reviewer in a 1:1 chat, and the approved correction in the next answer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.core.engine import AnswerEngine
from bot.core.overlay import OverlayFact
from bot.knowledge.loader import load_units_patch
from bot.review.export import patch_yaml, units_patch
from bot.settings import Settings
from bot.state.corrections import CorrectionStore
from bot.teams.bot import TeamsBot
from tests.support.corrections import approved_on
from tests.support.teams_connector import ConnectorCall, TeamsConnector
from tests.teams.conftest import USER, TeamsClient
from tests.teams.test_card_actions import actions
from tests.teams.test_conversations import VASTGOED

REVIEWER = {"id": "29:1fictieve-ria", "name": "Fictieve Ria", "aadObjectId": "aaaaaaaa-0000-4000-8000-00000000a1a1"}
PROPOSAL = "Beheert ook het onderhoud van de kazernes <at>iedereen</at>."


class Overlay:
    """The engine's overlay for this module, pointing at the running test's own CorrectionStore."""

    def __init__(self) -> None:
        self.store: CorrectionStore | None = None

    def facts(self, unit_id: str) -> list[OverlayFact]:
        return self.store.facts(unit_id) if self.store else []


@pytest.fixture(scope="module")
def overlay() -> Overlay:
    return Overlay()


@pytest.fixture(scope="module")
def engine(engine: AnswerEngine, overlay: Overlay) -> AnswerEngine:
    """The session's engine parts, with the approved corrections of the running test."""
    return AnswerEngine(engine.settings, engine.knowledge, engine.tools.retriever.index, engine.encoder, engine.tuning,
                        overlay=overlay)


@pytest.fixture
def teams_settings(teams_settings: Settings) -> Settings:
    return teams_settings.model_copy(update={"review_teams_aad_ids": [REVIEWER["aadObjectId"]]})


@pytest.fixture(autouse=True)
def corrections_in_answers(bot: TeamsBot, overlay: Overlay) -> Iterator[None]:
    overlay.store = bot.deps.corrections.store
    yield
    overlay.store = None


def chat(teams: TeamsClient, user: dict[str, str] = USER, **kwargs: Any) -> dict[str, Any]:
    return teams.activity(conversation=f"a:{user['id']}-personal", kind="personal", mention=False,
                          **{"from": user}, **kwargs)


def said(teams: TeamsClient, connector: TeamsConnector, user: dict[str, str] = USER, **kwargs: Any) -> ConnectorCall:
    before = len(connector.of_kind("activities"))
    assert teams.post(chat(teams, user, **kwargs)).status_code == 202
    return connector.wait_for("activities", count=before + 1)[-1]


def decided(teams: TeamsClient, connector: TeamsConnector,
            value: dict[str, Any]) -> tuple[ConnectorCall, ConnectorCall]:
    """A reviewer's decision: (what the proposer is told, the reply to the reviewer), in that order."""
    before = len(connector.of_kind("activities"))
    assert teams.post(chat(teams, REVIEWER, value=value)).status_code == 202
    told, reply = connector.wait_for("activities", count=before + 2)[-2:]
    return told, reply


def correction_form(answer: ConnectorCall) -> dict[str, Any]:
    return next(a for a in answer.card()["actions"] if a.get("title") == "Klopt niet / Aanvullen")


def propose(teams: TeamsClient, connector: TeamsConnector, field: str = "taak", text: str = PROPOSAL) -> ConnectorCall:
    answer = said(teams, connector, text=VASTGOED)
    form = correction_form(answer)["card"]
    unit = form["body"][0]["value"]  # preselected: the answer's first unit
    send = form["actions"][0]
    # Teams sends the inputs' values along with the button's data.
    return said(teams, connector, value={**send["data"], "unit": unit, "field": field, "text": text})


def approve_button(review: ConnectorCall) -> dict[str, Any]:
    return next(a for a in actions(review) if a["title"] == "Goedkeuren")


def test_a_correction_is_proposed_approved_and_cited_in_the_next_answer(
        teams: TeamsClient, connector: TeamsConnector, bot: TeamsBot, tmp_path: Path) -> None:
    first = said(teams, connector, text=VASTGOED)
    assert "klopt dit nog? Meld het." in first.card_text()
    form = correction_form(first)["card"]
    assert "Materieel en Vastgoed" in form["body"][0]["choices"][0]["title"]
    assert [c["value"] for c in form["body"][1]["choices"]] == ["taak", "contact", "relatie"]

    thanks = propose(teams, connector)
    assert thanks.body["text"].startswith("Dank je! Je melding (1) staat klaar")
    [pending] = bot.deps.corrections.store.with_status("pending")
    assert (pending.platform, pending.proposer_id, pending.field, pending.new_value) == (
        "teams", USER["aadObjectId"], "taak", PROPOSAL)
    assert "• " in (pending.old_value or "")  # what units.yaml says about DMV's tasks, for the reviewer
    assert "kazernes" not in said(teams, connector, text=VASTGOED).card_text()  # not before approval

    review = said(teams, connector, REVIEWER, text="meldingen")
    shown = review.card_text()
    assert "Meldingen om te beoordelen" in shown and "Melding 1" in shown and "kazernes" in shown
    assert "<at>" not in str(review.body)  # the proposal's mention markup is defanged
    told, done = decided(teams, connector, approve_button(review)["data"])
    approved_day = approved_on(bot.deps.corrections.store, 1)
    assert done.body["text"] == (f"Melding 1 goedgekeurd. Bron in antwoorden: melding 1, goedgekeurd door "
                                 f"Fictieve Ria op {approved_day}.")
    assert [call.body["members"][0]["id"] for call in connector.of_kind("open-chat")] == [USER["id"]]
    assert "Je melding 1 over Directie Materieel en Vastgoed (DMV) is goedgekeurd" in told.body["text"]
    assert told.path.endswith(f"personal-{USER['id'].replace(':', '%3A')}/activities")

    after = said(teams, connector, text=VASTGOED).card_text()
    assert f"Volgens een melding van {approved_day} (taak): Beheert ook het onderhoud van de kazernes" in after
    assert f"melding 1, goedgekeurd door Fictieve Ria op {approved_day}" in after
    assert "klopt dit nog" not in after

    patch = tmp_path / "patch.yaml"  # what `schakel knowledge export` writes, read back by the loader
    patch.write_text(patch_yaml(units_patch(bot.deps.corrections.store.with_status("approved"))), encoding="utf-8")
    [unit] = load_units_patch(patch, bot.deps.engine.knowledge).units
    assert (unit.id, unit.reported[0].field, unit.reported[0].text) == ("dmv", "taak", PROPOSAL)


def test_a_non_reviewer_cannot_list_or_approve(teams: TeamsClient, connector: TeamsConnector, bot: TeamsBot,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    propose(teams, connector)
    assert said(teams, connector, text="meldingen").body["text"].startswith("Alleen beheerders")
    forged = said(teams, connector, value={"schakel": "review", "id": "1", "decision": "approve"})
    assert forged.body["text"].startswith("Alleen beheerders")
    invoke = chat(teams, type_="invoke", name="adaptiveCard/action",
                  value={"action": {"type": "Action.Execute", "data": {"schakel": "review", "id": "1",
                                                                       "decision": "reject", "reason": "weg"}}})
    assert teams.post(invoke).json()["value"].startswith("Alleen beheerders")
    assert bot.deps.corrections.store.get(1).status == "pending"
    refusals = [r for r in caplog.records if r.getMessage().startswith("correction decision refused")]
    assert len(refusals) == 3
    logged = "\n".join(r.getMessage() + str(getattr(r, "fields", "")) for r in caplog.records)
    assert "kazernes" not in logged and "weg" not in logged


def test_reject_needs_a_reason_and_tells_the_proposer(teams: TeamsClient, connector: TeamsConnector,
                                                      bot: TeamsBot) -> None:
    propose(teams, connector)
    reject = {"schakel": "review", "id": "1", "decision": "reject"}
    assert said(teams, connector, REVIEWER, value=reject).body["text"].startswith("Geef een reden op")
    told, _ = decided(teams, connector, {**reject, "reason": "Dat doet het DOSCO."})
    assert told.body["text"].endswith("is niet overgenomen. Reden: Dat doet het DOSCO.")
    replay = said(teams, connector, REVIEWER, value={**reject, "decision": "approve"})
    assert replay.body["text"] == "Melding 1 is al behandeld (afgewezen)."
    huge = said(teams, connector, REVIEWER, value={**reject, "id": "99999999999999999999", "decision": "approve"})
    assert huge.body["text"] == "Melding 99999999999999999999 bestaat niet."
    assert bot.deps.corrections.store.get(1).status == "rejected"


def test_bad_form_input_gets_a_dutch_reply(teams: TeamsClient, connector: TeamsConnector, bot: TeamsBot) -> None:
    assert propose(teams, connector, text="  ").body["text"] == "Schrijf eerst wat er zou moeten staan."
    answer = said(teams, connector, text=VASTGOED)
    send = correction_form(answer)["card"]["actions"][0]
    forged = said(teams, connector, value={**send["data"], "unit": "voorbeeld-vertrouwelijk", "field": "taak",
                                           "text": "lees de notitie"})
    assert forged.body["text"] == "Kies een eenheid uit het antwoord."
    assert bot.deps.corrections.store.with_status("pending") == []
