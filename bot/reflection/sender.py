"""Send what is due: one prompt per subscribed channel per period, through any chat platform.

`run_due` is the single entry point for the scheduler job, the CLI and tests. It never posts
twice for a (channel, period): see `bot.reflection.sentlog` for the claim/confirm protocol.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Literal, Mapping, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.reflection import sentlog
from bot.reflection.catalogue import Catalogue, load_catalogue
from bot.reflection.channels import TEAMS_PREFIX, conversation_id
from bot.reflection.models import LookBack, PromptMessage, Subscription
from bot.reflection.rotation import next_prompt
from bot.reflection.schedule import due_slot, dutch_holidays
from bot.reflection.store import get_subscription, list_subscriptions
from bot.settings import Settings
from bot.state.db import create_db_engine

log = logging.getLogger(__name__)

Outcome = Literal["sent", "already-sent", "busy-elsewhere", "failed", "invalid-channel"]


class PromptPoster(Protocol):
    """What a chat platform offers the reflection module (Slack now, Teams later)."""

    def post_prompt(self, channel: str, message: PromptMessage) -> str:
        """Post the prompt as a new message in `channel`; return its id (Slack: the ts)."""
        ...

    def reply_count(self, channel: str, message_id: str) -> int:
        """How many replies the message's thread has."""
        ...


@dataclass(frozen=True)
class SendResult:
    channel: str
    period: str
    outcome: Outcome
    prompt_id: str | None = None
    message_id: str | None = None


def reflection_tz(settings: Settings) -> ZoneInfo:
    return ZoneInfo(settings.reflection_timezone)


def platform_of(channel: str) -> str:
    """Teams channels are stored as "teams:<conversation id>"; everything else is a Slack channel id."""
    return "teams" if channel.startswith(TEAMS_PREFIX) else "slack"


def run_due(settings: Settings, poster: PromptPoster | Mapping[str, PromptPoster], now: dt.datetime, *,
            engine: Engine | None = None, catalogue: Catalogue | None = None) -> list[SendResult]:
    """Send every prompt that is due at `now` (aware), within the grace window, once.

    `poster` is one poster for Slack, or posters by platform ("slack", "teams"); channels of a
    platform without a poster are left for a process that has one.
    """
    posters = poster if isinstance(poster, Mapping) else {"slack": poster}
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    db = engine or create_db_engine(settings)
    try:
        prompts = catalogue or load_catalogue(settings.prompts_dir)
        tz = reflection_tz(settings)
        grace = dt.timedelta(hours=settings.reflection_grace_hours)
        calendar = dutch_holidays()
        results = []
        for sub in list_subscriptions(db):
            platform_poster = posters.get(platform_of(sub.channel))
            slot = due_slot(sub, now, grace, tz, calendar) if platform_poster else None
            if slot is not None and conversation_id(sub.channel) != sub.channel:
                # Stored before ids were checked ("#algemeen"): never post there, say so every run.
                results.append(SendResult(sub.channel, slot.period, "invalid-channel"))
            elif platform_poster is not None and slot is not None:
                results.append(send_for_period(db, prompts, platform_poster, sub, slot.period, now))
        return results
    finally:
        if engine is None:
            db.dispose()


def send_now(settings: Settings, poster: PromptPoster, channel: str, now: dt.datetime, *,
             engine: Engine | None = None, catalogue: Catalogue | None = None) -> SendResult:
    """One extra prompt right now (`/schakel reflectie nu`); a double click within the minute posts once."""
    db = engine or create_db_engine(settings)
    try:
        sub = get_subscription(db, channel) or Subscription(channel=channel)
        period = "nu-" + now.astimezone(reflection_tz(settings)).strftime("%Y-%m-%dT%H:%M")
        return send_for_period(db, catalogue or load_catalogue(settings.prompts_dir), poster, sub, period, now)
    finally:
        if engine is None:
            db.dispose()


def send_for_period(db: Engine, catalogue: Catalogue, poster: PromptPoster, sub: Subscription, period: str,
                    now: dt.datetime) -> SendResult:
    if sentlog.is_sent(db, sub.channel, period):
        return SendResult(sub.channel, period, "already-sent")
    history = sentlog.sent_history(db, sub.channel)
    candidates = catalogue.for_themes(sub.themes) or list(catalogue.prompts)
    prompt = next_prompt(sub.channel, candidates, [entry.prompt_id for entry in history])
    held = sentlog.claim(db, sub.channel, period, prompt.id, prompt.text, now)
    if held is None:
        status: Outcome = "already-sent" if sentlog.is_sent(db, sub.channel, period) else "busy-elsewhere"
        return SendResult(sub.channel, period, status)
    try:
        message = PromptMessage(question=prompt.text, prompt_id=prompt.id, period=period,
                                look_back=_look_back(poster, history[-1]) if history else None)
        message_id = poster.post_prompt(sub.channel, message)
    except Exception as error:  # any platform failure: give the claim back so the next run retries
        sentlog.release(db, held)
        log.warning("reflection post failed, will retry", extra={"fields": {
            "channel": sub.channel, "period": period, "error": type(error).__name__}})
        return SendResult(sub.channel, period, "failed", prompt.id)
    sentlog.confirm(db, held, message_id, now)
    log.info("reflection prompt sent", extra={"fields": {"channel": sub.channel, "period": period,
                                                          "prompt": prompt.id}})
    return SendResult(sub.channel, period, "sent", prompt.id, message_id)


def _look_back(poster: PromptPoster, previous: sentlog.SentEntry) -> LookBack | None:
    try:
        replies = poster.reply_count(previous.channel, previous.message_ts)
    except Exception as error:  # the look back is a courtesy; the new prompt goes out regardless
        log.warning("reply count unavailable", extra={"fields": {"error": type(error).__name__}})
        return None
    return LookBack(replies=replies, question=previous.question)
