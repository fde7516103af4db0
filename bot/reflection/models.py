"""Data that crosses the reflection module's boundaries: subscriptions, send slots, prompt messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum


class Cadence(str, Enum):
    MONTHLY = "maandelijks"
    BIWEEKLY = "tweewekelijks"
    QUARTERLY = "per-kwartaal"


# Monday is 0, as in `datetime.date.weekday()`.
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WEEKDAY = 1  # the default: the first working Tuesday of the month
DEFAULT_TIME = dt.time(10, 0)


@dataclass(frozen=True)
class Subscription:
    """One channel's reflection rhythm. The rhythm comes from the calendar, never from the last send,
    so pausing and resuming keep it."""

    channel: str
    cadence: Cadence = Cadence.MONTHLY
    weekday: int = DEFAULT_WEEKDAY
    send_time: dt.time = DEFAULT_TIME
    themes: tuple[str, ...] = ()
    paused_until: dt.date | None = None  # no sends on days before this date


@dataclass(frozen=True)
class Slot:
    """One send: the period it belongs to and the (holiday-shifted) moment it goes out."""

    period: str  # "2026-12", "2026-W49/50", "2026-Q4": the sent-log key together with the channel
    at: dt.datetime  # timezone-aware, in the reflection timezone
    nominal: dt.date  # the calendar date before moving past weekends and public holidays
    moved_for: str | None = None  # the holiday (or "weekend") that moved it, for `list`


@dataclass(frozen=True)
class LookBack:
    """The one-line look back at the previous prompt in the channel."""

    replies: int
    question: str


@dataclass(frozen=True)
class PromptMessage:
    """What a platform poster renders: the question, an optional look back, the anonymous-reply hook."""

    question: str
    prompt_id: str
    period: str
    look_back: LookBack | None = None
