"""Questions in a channel (when mentioned) and in a 1:1 chat, text commands, restricted notes."""

from __future__ import annotations

import time

from bot.teams.bot import TeamsBot
from tests.support.teams_connector import ACCESS_TOKEN, TeamsConnector
from tests.teams.conftest import APP_ID, CHANNEL, USER, TeamsClient

VASTGOED = "Welk directoraat gaat over vastgoed?"
DMV = "Directie Materieel en Vastgoed"
RESTRICTED_QUESTION = "Hoe werkt beperkte zichtbaarheid van een vertrouwelijke notitie?"
RESTRICTED_TITLE = "notitie met beperkte zichtbaarheid"  # from knowledge/cases/voorbeeld-vertrouwelijk.md
PERSONAL = "a:1fictieve-fenna-personal"


def test_a_mention_in_a_channel_gets_a_card_in_the_thread_naming_the_unit_with_sources(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    activity = teams.activity(VASTGOED)
    assert teams.post(activity).status_code == 202

    [reply] = connector.wait_for("activities")
    conversation = activity["conversation"]["id"].replace(":", "%3A").replace(";", "%3B").replace("@", "%40") \
        .replace("=", "%3D")
    # The Teams SDK replies as Send to Conversation, naming the message it answers in replyToId.
    assert reply.path == f"/teams/v3/conversations/{conversation}/activities"
    assert reply.body["replyToId"] == activity["id"]
    text = reply.card_text()
    assert DMV in text and "Bronnen" in text and "[1] " in text
    assert "Toon passage" in text and "👍 Nuttig" in text and "👎 Niet nuttig" in text
    # Schakel authenticates its own posts with the token from the login endpoint.
    assert reply.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    [token_call] = connector.of_kind("token")
    assert "client_id=" + APP_ID in token_call.body and "scope=https%3A%2F%2Fapi.botframework.com%2F.default" in \
        token_call.body


def test_channel_messages_without_a_mention_are_left_alone(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity("Iemand een idee over vastgoed?", mention=False))
    teams.post(teams.activity("help"))  # a later mention proves the first was processed and skipped
    [reply] = connector.wait_for("activities")
    assert "Zo vraag je het" in reply.body["text"]
    assert len(connector.of_kind("activities")) == 1


def test_a_1_on_1_chat_is_answered_in_the_chat_without_a_mention(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    activity = teams.activity(VASTGOED, conversation=PERSONAL, kind="personal", mention=False)
    teams.post(activity)
    [reply] = connector.wait_for("activities")
    assert reply.path == "/teams/v3/conversations/a%3A1fictieve-fenna-personal/activities"
    assert reply.body["replyToId"] == activity["id"]
    assert DMV in reply.card_text()


def test_wieiswie_in_a_channel_sends_the_answer_to_the_1_on_1_chat(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity("wieiswie vastgoed"))
    [opened] = connector.wait_for("open-chat")
    assert opened.body["members"] == [{"id": "29:1fictieve-fenna"}] and opened.body["isGroup"] is False
    private, notice = connector.wait_for("activities", count=2)
    assert private.path == "/teams/v3/conversations/a%3Apersonal-29%3A1fictieve-fenna/activities"
    assert "Je vroeg: vastgoed" in private.card_text() and DMV in private.card_text()
    assert CHANNEL.split("@")[0].replace(":", "%3A") in notice.path
    assert notice.body["text"] == "Ik heb je het antwoord in onze 1-op-1-chat gestuurd."
    assert DMV not in str(notice.body)


def test_wieiswie_without_a_topic_explains_itself(teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity("wieiswie"))
    [reply] = connector.wait_for("activities")
    assert "wieiswie vastgoed" in reply.body["text"]


def test_a_restricted_note_stays_out_of_a_channel_and_is_shown_in_a_1_on_1_chat(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity(RESTRICTED_QUESTION))
    [public] = connector.wait_for("activities")
    assert RESTRICTED_TITLE not in public.card_text() and "demonstratienotitie" not in public.card_text()
    teams.post(teams.activity(RESTRICTED_QUESTION, conversation=PERSONAL, kind="personal", mention=False))
    _, private = connector.wait_for("activities", count=2)
    assert RESTRICTED_TITLE in private.card_text()


def test_a_redelivered_activity_is_answered_once(teams: TeamsClient, connector: TeamsConnector) -> None:
    activity = teams.activity("help")
    assert teams.post(activity).status_code == 202
    assert teams.post(activity).status_code == 202  # Teams' retry: acknowledged, its claim fails in the worker
    teams.post(teams.activity("help"))
    connector.wait_for("activities", count=2)
    time.sleep(0.5)  # anything still on its way arrives
    assert len(connector.of_kind("activities")) == 2


def test_adding_schakel_to_a_team_stores_the_channel_and_a_personal_install_says_hello(
        teams: TeamsClient, connector: TeamsConnector, bot: TeamsBot) -> None:
    added = teams.activity(type_="conversationUpdate", conversation=CHANNEL, kind="channel",
                           membersAdded=[{"id": f"28:{APP_ID}"}])
    added["conversation"]["id"] = CHANNEL
    assert teams.post(added).status_code == 202
    installed = teams.activity(type_="conversationUpdate", conversation=PERSONAL, kind="personal",
                               membersAdded=[{"id": f"28:{APP_ID}"}])
    teams.post(installed)
    [hello] = connector.wait_for("activities")
    assert "Zo vraag je het" in hello.body["text"] and "a%3A1fictieve-fenna-personal" in hello.path
    stored = bot.deps.conversations.get(f"teams:{CHANNEL}")
    assert stored is not None and stored.service_url == connector.service_url


def test_a_group_chat_is_answered_when_mentioned_but_gets_no_restricted_notes_or_reflection(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    group = "19:f1ct1ef0000groep@unq.gbl.spaces"
    teams.post(teams.activity(RESTRICTED_QUESTION, conversation=group, kind="groupChat"))
    [answer] = connector.wait_for("activities")
    assert "19%3Af1ct1ef0000groep%40unq.gbl.spaces" in answer.path
    assert answer.card() is not None and RESTRICTED_TITLE not in answer.card_text()
    teams.post(teams.activity("reflectie aan", conversation=group, kind="groupChat"))
    _, reflection = connector.wait_for("activities", count=2)
    assert reflection.body["text"].startswith("Reflectievragen werken in een kanaal")


def test_a_throttled_reply_is_retried_and_a_failing_connector_gets_no_silence_from_us(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    connector.fail("activities", status=429, times=1)
    teams.post(teams.activity("help"))
    throttled, accepted = connector.wait_for("activities", count=2)
    assert (throttled.status, accepted.status) == (429, 200) and throttled.body == accepted.body

    connector.fail("activities", status=503, times=3)  # all three quick attempts fail...
    teams.post(teams.activity(VASTGOED))
    *_, answer = connector.wait_for("activities", count=6)
    assert answer.status == 200 and DMV in answer.card_text()  # ...and the outbox posts the answer itself


def test_text_commands_help_en_and_hiding_yourself(
        teams: TeamsClient, connector: TeamsConnector, bot: TeamsBot) -> None:
    teams.post(teams.activity("help en", conversation=PERSONAL, kind="personal", mention=False))
    [english] = connector.wait_for("activities")
    assert english.body["text"].startswith("Schakel tells you who is who")
    teams.post(teams.activity("verberg mij", conversation=PERSONAL, kind="personal", mention=False))
    _, hidden = connector.wait_for("activities", count=2)
    assert hidden.body["text"].startswith("Je komt niet meer voor")
    assert bot.deps.people.is_hidden(USER["aadObjectId"])
    teams.post(teams.activity("toon mij", conversation=PERSONAL, kind="personal", mention=False))
    *_, shown = connector.wait_for("activities", count=3)
    assert shown.body["text"].startswith("Je kunt weer voorkomen")
    assert not bot.deps.people.is_hidden(USER["aadObjectId"])
