"""When a channel's reflection prompt goes out: pure functions of a subscription and a moment.

Each cadence splits the calendar into numbered periods (months, quarters, or pairs of weeks
counted from a fixed Monday). A period's send moment is its nominal date (the first chosen weekday
of the month or quarter, or the chosen weekday in the pair's first week), moved forward past
weekends and Dutch public holidays, at the chosen local time. The period key never moves with the
holiday shift, so the sent-log key (channel, period) stays the same whichever day the send lands on.
Local times go through zoneinfo, so daylight-saving changes need no special care.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays

from bot.reflection.models import Cadence, Slot, Subscription

BIWEEKLY_EPOCH = dt.date(2024, 1, 1)  # a Monday in ISO week 1: biweekly pairs are W01/02, W03/04, ...
MAX_LOOKAHEAD_PERIODS = 120  # a pause can push the next send far out; stop searching after ten years


def dutch_holidays() -> holidays.HolidayBase:
    """Dutch public holidays with Dutch names; years fill in as dates are looked up."""
    return holidays.country_holidays("NL", language="nl")


def non_working_reason(day: dt.date, calendar: holidays.HolidayBase) -> str | None:
    holiday = calendar.get(day)
    if holiday:
        return str(holiday)
    if day.weekday() >= 5:
        return "weekend"
    return None


def next_working_day(day: dt.date, calendar: holidays.HolidayBase) -> tuple[dt.date, str | None]:
    """The first working day on or after `day`, and what moved it there (None if it did not move)."""
    first_reason = non_working_reason(day, calendar)
    while non_working_reason(day, calendar):
        day += dt.timedelta(days=1)
    return day, first_reason


def period_index(cadence: Cadence, day: dt.date) -> int:
    """The number of the period that contains `day`."""
    if cadence is Cadence.MONTHLY:
        return day.year * 12 + day.month - 1
    if cadence is Cadence.QUARTERLY:
        return day.year * 4 + (day.month - 1) // 3
    return (day - BIWEEKLY_EPOCH).days // 14


def period_key(cadence: Cadence, index: int) -> str:
    if cadence is Cadence.MONTHLY:
        return f"{index // 12}-{index % 12 + 1:02d}"
    if cadence is Cadence.QUARTERLY:
        return f"{index // 4}-Q{index % 4 + 1}"
    first_monday = BIWEEKLY_EPOCH + dt.timedelta(weeks=2 * index)
    year1, week1, _ = first_monday.isocalendar()
    year2, week2, _ = (first_monday + dt.timedelta(weeks=1)).isocalendar()
    if year1 == year2:
        return f"{year1}-W{week1:02d}/{week2:02d}"
    return f"{year1}-W{week1:02d}/{year2}-W{week2:02d}"


def nominal_date(sub: Subscription, index: int) -> dt.date:
    if sub.cadence is Cadence.BIWEEKLY:
        return BIWEEKLY_EPOCH + dt.timedelta(weeks=2 * index, days=sub.weekday)
    if sub.cadence is Cadence.MONTHLY:
        first = dt.date(index // 12, index % 12 + 1, 1)
    else:
        first = dt.date(index // 4, (index % 4) * 3 + 1, 1)
    return first + dt.timedelta(days=(sub.weekday - first.weekday()) % 7)


def slot_for(sub: Subscription, index: int, tz: ZoneInfo, calendar: holidays.HolidayBase) -> Slot:
    nominal = nominal_date(sub, index)
    day, moved_for = next_working_day(nominal, calendar)
    return Slot(
        period=period_key(sub.cadence, index),
        at=dt.datetime.combine(day, sub.send_time, tzinfo=tz),
        nominal=nominal,
        moved_for=moved_for,
    )


def is_paused(sub: Subscription, slot: Slot) -> bool:
    return sub.paused_until is not None and slot.at.date() < sub.paused_until


def next_slot(sub: Subscription, after: dt.datetime, tz: ZoneInfo,
              calendar: holidays.HolidayBase | None = None) -> Slot | None:
    """The first unpaused send strictly after `after`, or None if none falls in the next ten years."""
    calendar = calendar if calendar is not None else dutch_holidays()
    # Start one period back: a holiday shift can carry last period's send past `after`.
    index = period_index(sub.cadence, after.astimezone(tz).date()) - 1
    for candidate in range(index, index + MAX_LOOKAHEAD_PERIODS):
        slot = slot_for(sub, candidate, tz, calendar)
        if slot.at > after and not is_paused(sub, slot):
            return slot
    return None


def due_slot(sub: Subscription, now: dt.datetime, grace: dt.timedelta, tz: ZoneInfo,
             calendar: holidays.HolidayBase | None = None) -> Slot | None:
    """The send that is due at `now`: its moment has passed by at most `grace`.

    Missed sends older than the grace are skipped, never sent late; several missed sends within
    the grace coalesce into the latest one.
    """
    calendar = calendar if calendar is not None else dutch_holidays()
    index = period_index(sub.cadence, now.astimezone(tz).date())
    due = [
        slot
        for slot in (slot_for(sub, candidate, tz, calendar) for candidate in (index - 1, index))
        if slot.at <= now < slot.at + grace and not is_paused(sub, slot)
    ]
    return max(due, key=lambda slot: slot.at) if due else None
