"""`/schakel reflectie …`: turn reflection prompts on, off, pause them, send one now, or show the status.

The Slack adapter calls `handle` with the text after "reflectie" and posts the returned reply.
Dutch by default; a user who writes the English keywords gets English. The user id is accepted
for the adapter's convenience and deliberately not stored: a rhythm belongs to the channel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.knowledge.loader import KnowledgeError
from bot.reflection.catalogue import load_catalogue
from bot.reflection.models import Cadence, Subscription
from bot.reflection.parsing import (
    describe_rhythm,
    describe_slot,
    format_date,
    is_weekend_day,
    parse_cadence,
    parse_date,
    parse_time,
    parse_weekday,
)
from bot.reflection.schedule import next_slot
from bot.reflection.sender import PromptPoster, reflection_tz, send_now
from bot.reflection.slack_poster import SlackPromptPoster
from bot.reflection.store import get_subscription, remove_subscription, save_subscription, set_paused_until
from bot.settings import Settings
from bot.state.db import create_db_engine

USAGE_NL = (
    "Gebruik:\n"
    "• `/schakel reflectie aan [maandelijks|tweewekelijks|per kwartaal] [dag] [tijd] [thema]`\n"
    "• `/schakel reflectie uit`\n"
    "• `/schakel reflectie pauze tot <datum>` (en `hervat`)\n"
    "• `/schakel reflectie nu`\n"
    "• `/schakel reflectie status`\n"
    "Voorbeeld: `/schakel reflectie aan tweewekelijks donderdag 09:30`"
)
USAGE_EN = (
    "Usage:\n"
    "• `/schakel reflection on [monthly|biweekly|quarterly] [day] [time] [theme]`\n"
    "• `/schakel reflection off`\n"
    "• `/schakel reflection pause until <date>` (and `resume`)\n"
    "• `/schakel reflection now`\n"
    "• `/schakel reflection status`\n"
    "Example: `/schakel reflection on biweekly thursday 09:30`"
)
ENGLISH_VERBS = {"on", "off", "pause", "resume", "now", "help"}
VERBS = {
    "aan": "on", "on": "on", "uit": "off", "off": "off", "pauze": "pause", "pauzeer": "pause", "pause": "pause",
    "hervat": "resume", "resume": "resume", "nu": "now", "now": "now", "status": "status",
    "help": "help", "hulp": "help",
}


@dataclass(frozen=True)
class Reply:
    english: bool

    def say(self, dutch: str, english: str) -> str:
        return english if self.english else dutch

    def usage(self, problem_nl: str, problem_en: str) -> str:
        return self.say(f"{problem_nl}\n{USAGE_NL}", f"{problem_en}\n{USAGE_EN}")


def handle(settings: Settings, text: str, channel_id: str, user_id: str, *, now: dt.datetime | None = None,
           poster: PromptPoster | None = None) -> str:
    """The reply to `reflectie …`. `poster` posts `nu` (default: Slack; the Teams adapter passes its own)."""
    words = text.strip().lower().split()
    if words and words[0] in {"reflectie", "reflection"}:
        words = words[1:]
    verb = VERBS.get(words[0]) if words else "help"
    reply = Reply(english=bool(words) and words[0] in ENGLISH_VERBS)
    if verb is None:
        return reply.usage(f"Dat ken ik niet: `{words[0]}`.", f"I don't know `{words[0]}`.")
    if verb == "help":
        return reply.say(USAGE_NL, USAGE_EN)
    if not channel_id or channel_id.startswith("D"):
        return reply.say("Reflectievragen werken in een kanaal, niet in een privébericht.",
                         "Reflection prompts work in a channel, not in a direct message.")
    tz = reflection_tz(settings)
    moment = (now or dt.datetime.now(tz)).astimezone(tz)
    db = create_db_engine(settings)
    try:
        current = get_subscription(db, channel_id)
        if verb == "on":
            return _turn_on(settings, db, reply, channel_id, words[1:], current, moment, tz)
        if verb == "now":
            result = send_now(settings, poster or SlackPromptPoster.from_settings(settings), channel_id, moment,
                              engine=db)
            return {
                "sent": reply.say("Vraag geplaatst.", "Question posted."),
                "failed": reply.say("Plaatsen lukte niet; probeer het zo nog eens.",
                                    "Posting failed; please try again in a moment."),
            }.get(result.outcome, reply.say("Die vraag staat er net al.", "That question was just posted."))
        if current is None:
            return reply.say("Reflectievragen staan uit in dit kanaal. Zet ze aan met `/schakel reflectie aan`.",
                             "Reflection prompts are off in this channel. Turn them on with "
                             "`/schakel reflection on`.")
        if verb == "off":
            remove_subscription(db, channel_id)
            return reply.say("Reflectievragen staan nu uit in dit kanaal.", "Reflection prompts are now off here.")
        if verb == "pause":
            return _pause(db, reply, current, words[1:], moment, tz)
        if verb == "resume":
            set_paused_until(db, channel_id, None, moment)
            return _status(reply, replace(current, paused_until=None), moment, tz)
        return _status(reply, current, moment, tz)
    finally:
        db.dispose()


def _turn_on(settings: Settings, db: Engine, reply: Reply, channel: str, words: list[str],
             current: Subscription | None, moment: dt.datetime, tz: ZoneInfo) -> str:
    if words[:2] in (["per", "kwartaal"], ["per", "quarter"]):
        words = ["per-kwartaal", *words[2:]]
    try:
        themes = load_catalogue(settings.prompts_dir).themes
    except KnowledgeError:
        return reply.say("De vragenlijst is nu niet beschikbaar; probeer het later nog eens.",
                         "The question list is unavailable right now; please try again later.")
    cadence, weekday, send_time = Cadence.MONTHLY, 1, dt.time(10, 0)
    chosen_themes: list[str] = []
    for word in words:
        if (found_cadence := parse_cadence(word)) is not None:
            cadence = found_cadence
        elif (found_day := parse_weekday(word)) is not None:
            weekday = found_day
        elif (found_time := parse_time(word)) is not None:
            send_time = found_time
        elif word in themes:
            chosen_themes.append(word)
        elif is_weekend_day(word):
            return reply.usage("In het weekend stuur ik geen vragen; kies maandag t/m vrijdag.",
                               "I don't send questions at weekends; pick Monday to Friday.")
        else:
            return reply.usage(f"Dat begrijp ik niet: `{word}`.", f"I don't understand `{word}`.")
    sub = Subscription(
        channel=channel, cadence=cadence, weekday=weekday, send_time=send_time,
        # Without themes in the command, a channel keeps the themes it had.
        themes=tuple(chosen_themes) if chosen_themes else (current.themes if current else ()),
    )
    save_subscription(db, sub, moment)
    return _status(reply, sub, moment, tz)


def _pause(db: Engine, reply: Reply, current: Subscription, words: list[str], moment: dt.datetime,
           tz: ZoneInfo) -> str:
    if words[:1] in (["tot"], ["until"]):
        words = words[1:]
    until = parse_date(" ".join(words), moment.date()) if words else None
    if until is None:
        return reply.usage("Tot wanneer? Bijvoorbeeld: `/schakel reflectie pauze tot 5 januari`.",
                           "Until when? For example: `/schakel reflection pause until 5 January`.")
    if until <= moment.date():
        return reply.usage(f"{format_date(until)} is al geweest; kies een datum in de toekomst.",
                           f"{until.isoformat()} has passed; pick a future date.")
    set_paused_until(db, current.channel, until, moment)
    return _status(reply, replace(current, paused_until=until), moment, tz)


def _status(reply: Reply, sub: Subscription, moment: dt.datetime, tz: ZoneInfo) -> str:
    slot = next_slot(sub, moment, tz)
    themes = ", ".join(sub.themes) if sub.themes else reply.say("alle thema's", "all themes")
    paused = ""
    if sub.paused_until:
        paused = reply.say(f" Gepauzeerd tot {format_date(sub.paused_until)}.",
                           f" Paused until {sub.paused_until.isoformat()}.")
    upcoming = describe_slot(slot, tz) if slot else reply.say("geen", "none")
    return reply.say(
        f"Reflectievragen staan aan: {describe_rhythm(sub)} ({themes}).{paused} Volgende vraag: {upcoming}.",
        f"Reflection prompts are on: {describe_rhythm(sub)} ({themes}).{paused} "
        f"Next question: {upcoming}.",
    )
