"""Reflection prompts in Teams channels: subscribe with a text command, the same run_due and sent-log
as Slack, one proactive post per period, and the look back counts the thread's replies."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.reflection.models import Slot
from bot.reflection.schedule import next_slot
from bot.reflection.sender import run_due
from bot.reflection.slack_poster import SlackPromptPoster
from bot.reflection.store import get_subscription
from bot.settings import Settings
from bot.teams.bot import TeamsBot
from tests.support.teams_connector import TeamsConnector
from tests.teams.conftest import CHANNEL, TeamsClient
from tests.teams.test_conversations import PERSONAL

TEAMS_CHANNEL = f"teams:{CHANNEL}"
CHANNEL_PATH = "/teams/v3/conversations/19%3Af1ct1efk4n44l0000000000000000000%40thread.tacv2/activities"


def subscribe(teams: TeamsClient, connector: TeamsConnector) -> str:
    teams.post(teams.activity("reflectie aan maandelijks dinsdag 10:00"))
    [reply] = connector.wait_for("activities")
    return str(reply.body["text"])


def upcoming_slot(db: Engine, settings: Settings, after: dt.datetime | None = None) -> Slot:
    """The channel's next planned send (after now, or `after`), computed the way the scheduler does."""
    sub = get_subscription(db, TEAMS_CHANNEL)
    assert sub is not None
    tz = ZoneInfo(settings.reflection_timezone)
    slot = next_slot(sub, after or dt.datetime.now(tz), tz)
    assert slot is not None
    return slot


def test_a_due_prompt_goes_to_the_teams_channel_once(teams: TeamsClient, connector: TeamsConnector,
                                                     teams_settings: Settings, db: Engine, bot: TeamsBot) -> None:
    confirmation = subscribe(teams, connector)
    assert confirmation.startswith("Reflectievragen staan aan: maandelijks")
    slot = upcoming_slot(db, teams_settings)
    posters = {"teams": bot.deps.prompt_poster()}

    assert run_due(teams_settings, posters, slot.at - dt.timedelta(minutes=1), engine=db) == []
    first = run_due(teams_settings, posters, slot.at, engine=db)
    again = run_due(teams_settings, posters, slot.at + dt.timedelta(minutes=5), engine=db)
    assert [r.outcome for r in first] == ["sent"] and [r.outcome for r in again] == ["already-sent"]

    prompts = [call for call in connector.of_kind("activities") if call.path == CHANNEL_PATH]
    assert len(prompts) == 1
    assert "Even reflecteren" in prompts[0].card_text() and "replyToId" not in prompts[0].body


def test_the_next_prompt_looks_back_at_the_replies_in_the_previous_thread(
        teams: TeamsClient, connector: TeamsConnector, teams_settings: Settings, db: Engine, bot: TeamsBot) -> None:
    subscribe(teams, connector)
    slot = upcoming_slot(db, teams_settings)
    posters = {"teams": bot.deps.prompt_poster()}
    [sent] = run_due(teams_settings, posters, slot.at, engine=db)
    # A colleague answers in the prompt's thread without mentioning Schakel (Teams delivers it via RSC).
    thread = f"{CHANNEL};messageid={sent.message_id}"
    reply = teams.activity("Goede vraag, bij ons liep het vooral via de werkvloer.", mention=False)
    reply["conversation"]["id"] = thread
    teams.post(reply)
    teams.post(teams.activity("help"))  # answered after the reply was processed: the worker pool is in order
    connector.wait_for("activities", count=3)

    following = upcoming_slot(db, teams_settings, after=slot.at + dt.timedelta(days=1))
    [second] = run_due(teams_settings, posters, following.at, engine=db)
    assert second.outcome == "sent"
    prompt = [call for call in connector.of_kind("activities") if call.path == CHANNEL_PATH][-1]
    assert "Vorige keer: 1 reactie op" in prompt.card_text()


def test_a_slack_only_run_leaves_teams_channels_alone(
        teams: TeamsClient, connector: TeamsConnector, teams_settings: Settings, db: Engine) -> None:
    subscribe(teams, connector)
    slot = upcoming_slot(db, teams_settings)
    unreachable_slack = SlackPromptPoster(WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/"))
    assert run_due(teams_settings, unreachable_slack, slot.at, engine=db) == []


def test_reflectie_nu_posts_a_prompt_now_and_reflection_needs_a_channel(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity("reflectie nu"))
    prompt, confirmation = sorted(connector.wait_for("activities", count=2), key=lambda c: c.path != CHANNEL_PATH)
    assert prompt.path == CHANNEL_PATH and "Even reflecteren" in prompt.card_text()
    assert confirmation.body["text"] == "Vraag geplaatst."

    teams.post(teams.activity("reflectie aan", conversation=PERSONAL, kind="personal", mention=False))
    *_, personal = connector.wait_for("activities", count=3)
    assert personal.body["text"] == "Reflectievragen werken in een kanaal, niet in een privébericht."


def test_reflectie_without_arguments_shows_the_teams_usage(teams: TeamsClient, connector: TeamsConnector) -> None:
    teams.post(teams.activity("reflectie"))
    [usage] = connector.wait_for("activities")
    text = usage.body["text"].replace("\u200b", "")  # @ is defanged with a zero-width space
    assert "@Schakel reflectie aan" in text and "/schakel" not in text
