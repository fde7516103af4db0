"""Buttons on an answer card: "Toon passage" and 👍/👎, as Action.Submit messages and as invokes."""

from __future__ import annotations

from typing import Any

from bot.teams.bot import TeamsBot
from tests.support.teams_connector import ConnectorCall, TeamsConnector
from tests.teams.conftest import USER, TeamsClient
from tests.teams.test_conversations import PERSONAL, RESTRICTED_QUESTION, VASTGOED


def actions(reply: ConnectorCall) -> list[dict[str, Any]]:
    """Every Action.Submit on the card, from the source list and the card's own actions."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(reply.card())
    return found


def test_toon_passage_posts_the_passage_in_the_thread(teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity(VASTGOED))
    [answer] = connector.wait_for("activities")
    passage = next(a for a in actions(answer) if a["title"] == "Toon passage")
    assert teams.post(teams.activity(value=passage["data"])).status_code == 202  # Action.Submit: a message

    _, shown = connector.wait_for("activities", count=2)
    assert shown.card_text().startswith("Passage: ")
    assert len(shown.card_text()) > 200  # the passage text itself, not only a title


def test_feedback_buttons_store_the_vote_and_thank_the_user(
        teams: TeamsClient, connector: TeamsConnector, bot: TeamsBot) -> None:
    teams.post(teams.activity(VASTGOED))
    [answer] = connector.wait_for("activities")
    up = next(a for a in actions(answer) if a["title"] == "👍 Nuttig")
    down = next(a for a in actions(answer) if a["title"] == "👎 Niet nuttig")

    teams.post(teams.activity(value=up["data"]))
    _, thanks = connector.wait_for("activities", count=2)
    assert thanks.body["text"] == "Dank je voor je feedback."
    # The same button as a Universal Action invoke: the answer comes back in the HTTP response.
    invoke = teams.activity(type_="invoke", name="adaptiveCard/action",
                            value={"action": {"type": "Action.Execute", "data": down["data"]}})
    response = teams.post(invoke)
    assert response.status_code == 200 and response.json()["value"] == "Dank je voor je feedback."

    records = bot.deps.feedback.for_answer(up["data"]["answer"])
    assert [(r.vote, r.kind, r.user_id) for r in records] == [
        ("up", "directory", USER["aadObjectId"]), ("down", "directory", USER["aadObjectId"])]


def test_the_passage_of_a_restricted_note_is_refused_in_a_channel(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity(RESTRICTED_QUESTION, conversation=PERSONAL, kind="personal", mention=False))
    [answer] = connector.wait_for("activities")
    passage = next(a for a in actions(answer) if a["title"] == "Toon passage"
                   and a["data"]["chunk"].startswith("voorbeeld-vertrouwelijk"))
    teams.post(teams.activity(value=passage["data"]))  # the same button, pressed in a channel
    _, refused = connector.wait_for("activities", count=2)
    assert "kan ik hier niet tonen" in refused.body["text"] and "demonstratienotitie" not in str(refused.body)
    teams.post(teams.activity(value=passage["data"], conversation=PERSONAL, kind="personal"))
    _, _, shown = connector.wait_for("activities", count=3)
    assert "demonstratienotitie" in shown.card_text()


def test_a_button_from_an_old_or_forged_card_gets_a_reply_not_silence(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity(value={"schakel": "iets-nieuws", "x": "y"}))
    [reply] = connector.wait_for("activities")
    assert reply.body["text"] == "Deze knop werkt niet (meer). Stel je vraag gerust opnieuw."
