"""A living directory in Slack: "Klopt niet / Aanvullen" under an answer, review in the App Home, and the
approved correction in the next answer."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.knowledge.loader import load_units_patch
from bot.review.export import patch_yaml, units_patch
from tests.slack.conftest import Bot, PeopleSwitch, bot_settings, running_bot
from tests.slack.helpers import ASKER, DM, LIVE_PING, block_action, button, message, shown_text
from tests.support.corrections import approved_on, stamped_today
from tests.support.slack_api import SlackApiServer

REVIEWER = "U0RIA"  # Fictieve Ria, the integrator
OUTSIDER = "U0JOOST"
VASTGOED = "Welk directoraat gaat over vastgoed?"
PROPOSAL = "Het vaste aanspreekpunt is het kanaal #dmv-vastgoed <!channel>, vraag naar <@U0JOOST>."


@pytest.fixture
def bot(tmp_path: Path, slack_api: SlackApiServer, answer_engine: Any, people_switch: PeopleSwitch) -> Iterator[Bot]:
    slack_api.add_user(REVIEWER, "Fictieve Ria", title="Integrator")
    slack_api.add_user(OUTSIDER, "Fictieve Joost")
    settings = bot_settings(tmp_path, slack_api, review_slack_user_ids=REVIEWER)
    with running_bot(settings, answer_engine, people_switch, slack_api) as running:
        yield running


def ask(bot: Bot, question: str = VASTGOED) -> Any:
    bot.sender.event(message(question, channel=DM))
    bot.settle()
    return bot.replies(DM)[-1]


def open_form(bot: Bot, reply: Any) -> dict[str, Any]:
    correct = button(reply, "klopt_niet")
    assert correct["text"]["text"] == "Klopt niet / Aanvullen"
    bot.sender.interaction(block_action("klopt_niet", correct["value"], channel=DM, label=correct["text"]["text"],
                                       response_url=bot.slack.response_url()))
    bot.settle()
    return bot.slack.calls_to("views.open")[-1].json_param("view")


def submit(bot: Bot, view: dict[str, Any], unit: str, field: str, text: str, user: str = ASKER) -> Any:
    state = {"unit": {"value": {"type": "static_select", "selected_option": {"value": unit}}},
             "field": {"value": {"type": "radio_buttons", "selected_option": {"value": field}}},
             "text": {"value": {"type": "plain_text_input", "value": text}}}
    response = bot.sender.interaction({
        "type": "view_submission", "user": {"id": user, "name": "fenna"}, "trigger_id": "1.2",
        "view": {"id": "V0FORM", "type": "modal", "callback_id": view["callback_id"], "hash": "1",
                 "private_metadata": view["private_metadata"], "state": {"values": state}}})
    bot.settle()
    return response.json()


def propose(bot: Bot, field: str = "contact", text: str = PROPOSAL) -> tuple[Any, dict[str, Any]]:
    reply = ask(bot)
    view = open_form(bot, reply)
    unit = view["blocks"][0]["element"]["initial_option"]["value"]
    return reply, submit(bot, view, unit, field, text)


def home_of(bot: Bot, user: str) -> Any:
    bot.sender.event({"type": "app_home_opened", "user": user, "channel": DM, "tab": "home"})
    bot.settle()
    return [call for call in bot.slack.calls_to("views.publish") if call.params["user_id"] == user][-1]


def review_click(bot: Bot, action_id: str, correction_id: int, user: str = REVIEWER) -> None:
    bot.sender.interaction({"type": "block_actions", "user": {"id": user}, "view": {"type": "home"},
                            "trigger_id": "1.3", "actions": [{"type": "button", "action_id": action_id,
                                                              "value": str(correction_id)}]})
    bot.settle()


def decide_in_modal(bot: Bot, callback_id: str, correction_id: int, block: str, text: str,
                    user: str = REVIEWER) -> Any:
    response = bot.sender.interaction({
        "type": "view_submission", "user": {"id": user}, "trigger_id": "1.4",
        "view": {"id": "V0DECIDE", "type": "modal", "callback_id": callback_id, "hash": "1",
                 "private_metadata": str(correction_id),
                 "state": {"values": {block: {"value": {"type": "plain_text_input", "value": text}}}}}})
    bot.settle()
    return response.json() if response.body else None


def dm_to(bot: Bot, user: str) -> list[str]:
    return [shown_text(call) for call in bot.slack.calls_to("chat.postMessage") if call.params["channel"] == user]


def test_a_correction_is_proposed_approved_and_cited_in_the_next_answer(bot: Bot, tmp_path: Path) -> None:
    first = ask(bot)
    assert re.search(r"Bron uit \d{4}; klopt dit nog\? Meld het\.", shown_text(first))  # the studies are old
    view = open_form(bot, first)
    assert view["title"]["text"] == "Klopt niet / Aanvullen"
    unit_select = view["blocks"][0]["element"]
    dmv = unit_select["initial_option"]["value"]  # preselected: the answer's unit
    assert "Materieel en Vastgoed" in unit_select["initial_option"]["text"]["text"]
    assert [o["value"] for o in view["blocks"][1]["element"]["options"]] == ["taak", "contact", "relatie"]

    thanks = submit(bot, view, dmv, "contact", PROPOSAL)
    assert thanks["response_action"] == "update"
    assert "Dank je! Je melding (1) staat klaar" in json.dumps(thanks, ensure_ascii=False)
    [pending] = bot.deps.corrections.with_status("pending")
    answer_id = json.loads(button(first, "klopt_niet")["value"])["a"]
    assert (pending.proposer_id, pending.answer_id, pending.unit_id, pending.field, pending.new_value) == (
        ASKER, answer_id, dmv, "contact", PROPOSAL)
    assert stamped_today(pending.created_at)
    assert pending.old_value is None  # units.yaml names no contact person or channel for DMV
    assert "dmv-vastgoed" not in shown_text(ask(bot))  # nothing changes for others before approval

    home = home_of(bot, REVIEWER)
    text = shown_text(home)
    assert "Meldingen om te beoordelen" in text and "Melding 1" in text and "dmv-vastgoed" in text
    assert "*Nu:*\\n_niets_" in text
    assert "Eenheden met bronnen ouder dan 3 jaar" in text
    assert not LIVE_PING.search(json.dumps(home.json_param("view")))  # the proposal's pings are defanged
    before = shown_text(home_of(bot, ASKER))
    assert "Meldingen om te beoordelen" not in before  # not for other users
    assert "nog niet door gebruikers bevestigd" in before

    review_click(bot, "correction_approve", 1)
    assert bot.deps.corrections.get(1).status == "approved"
    [told] = dm_to(bot, ASKER)
    assert "Je melding 1 over Directie Materieel en Vastgoed (DMV) is goedgekeurd" in told
    assert "Er staan geen meldingen open" in shown_text(bot.slack.calls_to("views.publish")[-1])

    approved_day = approved_on(bot.deps.corrections, 1)
    assert (f"Het wie-is-wie is voor het laatst bevestigd op {approved_day} (melding 1)"
            in shown_text(home_of(bot, ASKER)))

    after = ask(bot)
    shown = shown_text(after)
    cited = re.search(rf"Volgens een melding van {approved_day} \(contactpersoon of kanaal\): "
                      r"Het vaste aanspreekpunt is het kanaal #dmv-vastgoed.*? \[(\d)\]", shown)
    assert cited, shown
    source = f"*[{cited.group(1)}]* melding 1, goedgekeurd door Fictieve Ria op {approved_day}"
    assert source in shown
    assert "klopt dit nog" not in shown  # the approved correction is a source of this year
    assert not LIVE_PING.search(json.dumps(after.json_param("blocks")))

    patch = tmp_path / "patch.yaml"  # what `schakel knowledge export` writes, read back by the loader
    patch.write_text(patch_yaml(units_patch(bot.deps.corrections.with_status("approved"))), encoding="utf-8")
    [unit] = load_units_patch(patch, bot.deps.engine.knowledge).units
    assert (unit.id, unit.reported[0].text) == (dmv, PROPOSAL)
    assert unit.reported[0].source == f"melding 1, goedgekeurd door Fictieve Ria op {approved_day}"


def test_a_non_reviewer_cannot_approve_or_reject(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    propose(bot)
    review_click(bot, "correction_approve", 1, user=OUTSIDER)  # a forged or copied button
    assert decide_in_modal(bot, "correction_reject", 1, "reason", "onzin", user=OUTSIDER) is None
    assert bot.deps.corrections.get(1).status == "pending"
    assert "Volgens een melding" not in shown_text(ask(bot))
    refusals = [r for r in caplog.records if r.getMessage().startswith("correction decision refused")]
    assert len(refusals) == 2
    logged = "\n".join(r.getMessage() + str(getattr(r, "fields", "")) for r in caplog.records)
    assert "dmv-vastgoed" not in logged and "onzin" not in logged  # ids only, never the text
    assert all("Alleen beheerders" in text for text in dm_to(bot, OUTSIDER)) and dm_to(bot, OUTSIDER)
    assert "Meldingen om te beoordelen" not in shown_text(home_of(bot, OUTSIDER))


def test_reject_needs_a_reason_and_tells_the_proposer(bot: Bot) -> None:
    propose(bot)
    review_click(bot, "correction_reject_open", 1)
    modal = bot.slack.calls_to("views.open")[-1].json_param("view")
    assert modal["title"]["text"] == "Melding afwijzen"
    errors = decide_in_modal(bot, "correction_reject", 1, "reason", "  ")
    assert errors["errors"]["reason"].startswith("Geef een reden op")
    assert bot.deps.corrections.get(1).status == "pending" and dm_to(bot, ASKER) == []
    decide_in_modal(bot, "correction_reject", 1, "reason", "Het kanaal bestaat niet meer.")
    assert bot.deps.corrections.get(1).status == "rejected"
    [told] = dm_to(bot, ASKER)
    assert "niet overgenomen. Reden: Het kanaal bestaat niet meer." in told
    review_click(bot, "correction_approve", 1)  # a replayed approve after the rejection changes nothing
    assert bot.deps.corrections.get(1).status == "rejected" and len(dm_to(bot, ASKER)) == 1


def test_edit_then_approve_shows_the_reviewers_text(bot: Bot) -> None:
    propose(bot, field="taak", text="Doet ook de kazernes")
    review_click(bot, "correction_edit_open", 1)
    modal = bot.slack.calls_to("views.open")[-1].json_param("view")
    assert modal["blocks"][0]["element"]["initial_value"] == "Doet ook de kazernes"
    decide_in_modal(bot, "correction_edit", 1, "text", "Beheert ook het onderhoud van de kazernes.")
    approved_day = approved_on(bot.deps.corrections, 1)
    assert (f"Volgens een melding van {approved_day} (taak): Beheert ook het onderhoud van de kazernes."
            in shown_text(ask(bot)))


def test_bad_form_input_gets_a_dutch_message(bot: Bot) -> None:
    view = open_form(bot, ask(bot))
    dmv = view["blocks"][0]["element"]["initial_option"]["value"]
    empty = submit(bot, view, dmv, "contact", "   ")
    assert empty == {"response_action": "errors", "errors": {"text": "Schrijf eerst wat er zou moeten staan."}}
    # A unit that was not in the answer, such as the restricted example note's subject: refused.
    forged = submit(bot, view, "voorbeeld-vertrouwelijk", "wachtwoord", "x" * 1001)
    assert forged["errors"] == {"unit": "Kies een eenheid uit het antwoord.",
                                "field": "Kies wat er niet klopt: taak, contactpersoon of kanaal, of relatie.",
                                "text": "Houd het kort: hooguit 1000 tekens."}
    garbled = submit(bot, {**view, "private_metadata": "[1, 2"}, dmv, "contact", "Kanaal #dmv")
    assert garbled["errors"] == {"unit": "Kies een eenheid uit het antwoord."}
    assert bot.deps.corrections.with_status("pending") == []


def test_members_of_the_reviewers_user_group_review(tmp_path: Path, slack_api: SlackApiServer, answer_engine: Any,
                                                    people_switch: PeopleSwitch) -> None:
    slack_api.overrides["usergroups.users.list"] = lambda params: {
        "ok": True, "users": [REVIEWER] if params.get("usergroup") == "S0BEHEER" else []}
    settings = bot_settings(tmp_path, slack_api, review_slack_usergroup="S0BEHEER")
    with running_bot(settings, answer_engine, people_switch, slack_api) as bot:
        propose(bot)
        assert "Melding 1" in shown_text(home_of(bot, REVIEWER))
        review_click(bot, "correction_approve", 1)
        assert bot.deps.corrections.get(1).status == "approved"
