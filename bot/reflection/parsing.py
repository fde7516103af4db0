"""Reading and writing the words people use for rhythms, days, times and dates (Dutch first, English too)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.reflection.models import WEEKDAYS_EN, WEEKDAYS_NL, Cadence, Slot, Subscription

CADENCE_WORDS: dict[str, Cadence] = {
    "maandelijks": Cadence.MONTHLY, "maand": Cadence.MONTHLY, "monthly": Cadence.MONTHLY,
    "tweewekelijks": Cadence.BIWEEKLY, "2-wekelijks": Cadence.BIWEEKLY, "biweekly": Cadence.BIWEEKLY,
    "fortnightly": Cadence.BIWEEKLY,
    "per-kwartaal": Cadence.QUARTERLY, "kwartaal": Cadence.QUARTERLY, "per kwartaal": Cadence.QUARTERLY,
    "quarterly": Cadence.QUARTERLY,
}
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december")
SHORT_DAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
NUMERIC_DATE = re.compile(r"^(\d{1,2})[-/](\d{1,2})(?:[-/](\d{4}))?$")
WORD_DATE = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$")


def parse_cadence(word: str) -> Cadence | None:
    return CADENCE_WORDS.get(word.strip().lower())


def parse_weekday(word: str) -> int | None:
    """A working day by Dutch or English name or abbreviation (ma, di, tue...); None otherwise."""
    word = word.strip().lower()
    for index in range(5):
        if word in (WEEKDAYS_NL[index], WEEKDAYS_EN[index], SHORT_DAYS_NL[index], WEEKDAYS_EN[index][:3]):
            return index
    return None


def is_weekend_day(word: str) -> bool:
    word = word.strip().lower()
    return any(word in (WEEKDAYS_NL[i], WEEKDAYS_EN[i], SHORT_DAYS_NL[i], WEEKDAYS_EN[i][:3]) for i in (5, 6))


def parse_time(word: str) -> dt.time | None:
    match = TIME.match(word.strip())
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


def parse_date(text: str, today: dt.date) -> dt.date | None:
    """2026-12-01, 1-12-2026, 1/12, "1 december", "1 dec 2026". Without a year: the next such date."""
    text = text.strip().lower()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    day = month = None
    year: int | None = None
    if match := NUMERIC_DATE.match(text):
        day, month = int(match.group(1)), int(match.group(2))
        year = int(match.group(3)) if match.group(3) else None
    elif match := WORD_DATE.match(text):
        name = match.group(2)
        month = next((i + 1 for i, (nl, en) in enumerate(zip(MONTHS_NL, MONTHS_EN))
                      if len(name) >= 3 and (nl.startswith(name) or en.startswith(name))), None)
        day = int(match.group(1))
        year = int(match.group(3)) if match.group(3) else None
    if day is None or month is None:
        return None
    try:
        candidate = dt.date(year or today.year, month, day)
        if year is None and candidate < today:
            candidate = dt.date(today.year + 1, month, day)
    except ValueError:
        return None
    return candidate


def parse_moment(text: str, tz: ZoneInfo) -> dt.datetime | None:
    """ISO-8601; without an offset the time is read in the reflection timezone."""
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def format_date(day: dt.date) -> str:
    return f"{SHORT_DAYS_NL[day.weekday()]} {day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def format_moment(moment: dt.datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{format_date(local.date())} {local:%H:%M}"


def describe_rhythm(sub: Subscription) -> str:
    day = WEEKDAYS_NL[sub.weekday]
    when = {
        Cadence.MONTHLY: f"maandelijks, eerste {day} van de maand",
        Cadence.BIWEEKLY: f"tweewekelijks op {day}",
        Cadence.QUARTERLY: f"per kwartaal, eerste {day} van het kwartaal",
    }[sub.cadence]
    return f"{when} om {sub.send_time:%H:%M}"


def describe_slot(slot: Slot, tz: ZoneInfo) -> str:
    text = format_moment(slot.at, tz)
    if slot.moved_for:
        text += f" (verschoven van {format_date(slot.nominal)}: {slot.moved_for})"
    return text
