"""`/schakel reflectie …` as the Slack adapter calls it: handle(settings, text, channel_id, user_id)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from bot.reflection.models import Cadence
from bot.reflection.slack_command import handle
from bot.reflection.store import get_subscription
from bot.settings import Settings
from tests.reflection.conftest import at
from tests.support.slack_api import SlackApiServer

NOW = at(2026, 11, 23, 14, 0)
CHANNEL, USER = "C0TEAM", "U0FENNA"


def test_turn_on_with_defaults_and_status(settings: Settings, db: Engine) -> None:
    reply = handle(settings, "aan", CHANNEL, USER, now=NOW)
    assert reply == ("Reflectievragen staan aan: maandelijks, eerste dinsdag van de maand om 10:00 (alle thema's). "
                     "Volgende vraag: di 1 december 2026 10:00.")
    assert handle(settings, "status", CHANNEL, USER, now=NOW) == reply
    assert get_subscription(db, CHANNEL).cadence is Cadence.MONTHLY


def test_turn_on_with_rhythm_day_time_and_theme(settings: Settings, db: Engine) -> None:
    reply = handle(settings, "aan per kwartaal donderdag 9:30 pps", CHANNEL, USER, now=NOW)
    assert "per kwartaal, eerste donderdag van het kwartaal om 09:30 (pps)" in reply
    assert "Volgende vraag: do 7 januari 2027 09:30." in reply
    sub = get_subscription(db, CHANNEL)
    assert (sub.cadence, sub.weekday, sub.send_time, sub.themes) == (Cadence.QUARTERLY, 3, dt.time(9, 30), ("pps",))


def test_pause_until_a_date_and_resume(settings: Settings, db: Engine) -> None:
    handle(settings, "aan tweewekelijks dinsdag", CHANNEL, USER, now=NOW)
    plain = handle(settings, "status", CHANNEL, USER, now=NOW)
    paused = handle(settings, "pauze tot 5 januari", CHANNEL, USER, now=NOW)
    # The biweekly rhythm runs on: 29 December and 12 January are its Tuesdays, 29 December is paused.
    assert "Gepauzeerd tot di 5 januari 2027. Volgende vraag: di 12 januari 2027 10:00." in paused
    assert get_subscription(db, CHANNEL).paused_until == dt.date(2027, 1, 5)
    assert handle(settings, "hervat", CHANNEL, USER, now=NOW) == plain


def test_off_removes_the_subscription(settings: Settings, db: Engine) -> None:
    handle(settings, "aan", CHANNEL, USER, now=NOW)
    assert handle(settings, "uit", CHANNEL, USER, now=NOW) == "Reflectievragen staan nu uit in dit kanaal."
    assert get_subscription(db, CHANNEL) is None
    assert "staan uit" in handle(settings, "status", CHANNEL, USER, now=NOW)


def test_bad_arguments_get_dutch_usage_with_an_example(settings: Settings, db: Engine) -> None:
    handle(settings, "aan", CHANNEL, USER, now=NOW)
    cases = {
        "aan wekelijks": "Dat begrijp ik niet: `wekelijks`.",
        "aan zaterdag": "In het weekend stuur ik geen vragen",
        "aan 25:00": "Dat begrijp ik niet: `25:00`.",
        "pauze tot gisteren": "Tot wanneer?",
        "pauze tot 1 november 2026": "is al geweest",
        "pauze": "Tot wanneer?",
        "vanavond": "Dat ken ik niet: `vanavond`.",
    }
    for text, problem in cases.items():
        reply = handle(settings, text, CHANNEL, USER, now=NOW)
        assert problem in reply and "Voorbeeld: `/schakel reflectie aan tweewekelijks donderdag 09:30`" in reply, text
    assert get_subscription(db, CHANNEL).cadence is Cadence.MONTHLY  # nothing changed by the bad commands


def test_english_keywords_get_english(settings: Settings) -> None:
    assert handle(settings, "on monthly", CHANNEL, USER, now=NOW).startswith("Reflection prompts are on:")
    assert "Example: `/schakel reflection on biweekly" in handle(settings, "pause until never", CHANNEL, USER, now=NOW)


def test_direct_messages_are_refused(settings: Settings) -> None:
    assert "niet in een privébericht" in handle(settings, "aan", "D0FENNA", USER, now=NOW)


def test_now_posts_one_prompt_even_on_a_double_click(settings: Settings, slack: SlackApiServer) -> None:
    assert handle(settings, "nu", CHANNEL, USER, now=NOW) == "Vraag geplaatst."
    assert handle(settings, "nu", CHANNEL, USER, now=NOW + dt.timedelta(seconds=20)) == "Die vraag staat er net al."
    assert slack.count("chat.postMessage") == 1
    assert handle(settings, "nu", CHANNEL, USER, now=NOW + dt.timedelta(minutes=2)) == "Vraag geplaatst."
    first, second = [call.params["text"] for call in slack.calls_to("chat.postMessage")]
    question = first.split("Even reflecteren: ")[1].splitlines()[0]
    assert second.splitlines()[0] == f"Vorige keer: 0 reacties op “{question}”"
    assert question not in second.split("Even reflecteren: ")[1]  # the second is a new question
    assert USER not in str([call.params for call in slack.calls_to("chat.postMessage")])
