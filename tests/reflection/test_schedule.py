"""Send moments with a frozen clock: default rhythm, daylight saving, Dutch holidays, pause and grace."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.reflection.models import Cadence, Subscription
from bot.reflection.schedule import due_slot, dutch_holidays, next_working_day, next_slot
from tests.reflection.conftest import AMS, at

GRACE = dt.timedelta(hours=8)
UTC = dt.timezone.utc


def sends(sub: Subscription, start: dt.datetime, count: int) -> list[dt.datetime]:
    moments, after = [], start
    for _ in range(count):
        slot = next_slot(sub, after, AMS)
        assert slot is not None
        moments.append(slot.at)
        after = slot.at
    return moments


def test_default_is_the_first_tuesday_of_the_month_at_ten() -> None:
    moments = sends(Subscription("C0TEAM"), at(2026, 11, 23, 12), 3)
    assert [m.date() for m in moments] == [dt.date(2026, 12, 1), dt.date(2027, 1, 5), dt.date(2027, 2, 2)]
    assert {m.strftime("%a %H:%M") for m in moments} == {"Tue 10:00"}
    assert [next_slot(Subscription("C0TEAM"), m - dt.timedelta(minutes=1), AMS).period for m in moments] == [
        "2026-12", "2027-01", "2027-02"]


def test_daylight_saving_change_keeps_ten_o_clock_local() -> None:
    # Summer time starts Sunday 29 March 2026 and ends Sunday 25 October 2026.
    march, april = sends(Subscription("C0TEAM"), at(2026, 3, 1), 2)
    assert (march.astimezone(UTC).hour, april.astimezone(UTC).hour) == (9, 8)
    october, november = sends(Subscription("C0TEAM"), at(2026, 10, 1), 2)
    assert (october.astimezone(UTC).hour, november.astimezone(UTC).hour) == (8, 9)
    # The due check works in absolute time: 08:00 UTC on 7 April is 10:00 in Amsterdam.
    april_due = dt.datetime(2026, 4, 7, 8, 0, tzinfo=UTC)
    assert due_slot(Subscription("C0TEAM"), april_due, GRACE, AMS).period == "2026-04"
    assert due_slot(Subscription("C0TEAM"), april_due - dt.timedelta(minutes=1), GRACE, AMS) is None


def test_biweekly_keeps_local_time_across_the_clock_change() -> None:
    sub = Subscription("C0TEAM", Cadence.BIWEEKLY, weekday=3, send_time=dt.time(9, 30))
    moments = sends(sub, at(2026, 3, 15), 3)
    assert {m.strftime("%H:%M") for m in moments} == {"09:30"}
    assert {m.utcoffset() for m in moments} == {dt.timedelta(hours=1), dt.timedelta(hours=2)}
    assert all(b.date() - a.date() == dt.timedelta(days=14) for a, b in zip(moments, moments[1:]))


def test_easter_monday_moves_the_send_to_tuesday() -> None:
    slot = next_slot(Subscription("C0TEAM", weekday=0), at(2026, 3, 10), AMS)
    assert slot.nominal == dt.date(2026, 4, 6) and slot.moved_for == "Tweede paasdag"
    assert slot.at == at(2026, 4, 7, 10) and slot.period == "2026-04"


def test_kings_day_moves_the_send_and_is_the_26th_when_the_27th_is_a_sunday() -> None:
    calendar = dutch_holidays()
    # 27 April 2032 is a Tuesday in the first week of a biweekly pair.
    slot = next_slot(Subscription("C0TEAM", Cadence.BIWEEKLY, weekday=1), at(2032, 4, 21), AMS)
    assert (slot.nominal, slot.moved_for, slot.at.date()) == (dt.date(2032, 4, 27), "Koningsdag", dt.date(2032, 4, 28))
    # 27 April 2025 was a Sunday: Koningsdag fell on Saturday the 26th; the next working day is Monday the 28th.
    assert calendar.get(dt.date(2025, 4, 26)) == "Koningsdag" and dt.date(2025, 4, 27) not in calendar
    assert next_working_day(dt.date(2025, 4, 26), calendar) == (dt.date(2025, 4, 28), "Koningsdag")


def test_new_years_day_on_the_first_tuesday_moves_to_wednesday() -> None:
    slot = next_slot(Subscription("C0TEAM"), at(2029, 12, 15), AMS)
    assert (slot.period, slot.moved_for, slot.at) == ("2030-01", "Nieuwjaarsdag", at(2030, 1, 2, 10))


def test_period_keys_per_cadence() -> None:
    monthly = next_slot(Subscription("C0TEAM"), at(2026, 11, 23), AMS)
    biweekly = next_slot(Subscription("C0TEAM", Cadence.BIWEEKLY, weekday=2), at(2026, 11, 23), AMS)
    quarterly = next_slot(Subscription("C0TEAM", Cadence.QUARTERLY), at(2026, 9, 1), AMS)
    assert (monthly.period, biweekly.period, quarterly.period) == ("2026-12", "2026-W49/50", "2026-Q4")
    assert quarterly.at == at(2026, 10, 6, 10)
    year_end = next_slot(Subscription("C0TEAM", Cadence.BIWEEKLY, weekday=1), at(2026, 12, 24), AMS)
    assert year_end.period == "2026-W53/2027-W01" and year_end.at == at(2026, 12, 29, 10)


def test_pause_skips_sends_and_resume_keeps_the_rhythm() -> None:
    sub = Subscription("C0TEAM", Cadence.BIWEEKLY, weekday=1)
    before = sends(sub, at(2026, 11, 23), 4)
    paused = replace(sub, paused_until=dt.date(2026, 12, 20))
    assert sends(paused, at(2026, 11, 23), 2) == before[2:4]
    assert due_slot(paused, before[0] + dt.timedelta(minutes=5), GRACE, AMS) is None
    resumed = replace(paused, paused_until=None)
    assert sends(resumed, at(2026, 11, 23), 4) == before


def test_due_only_within_the_grace_window() -> None:
    sub = Subscription("C0TEAM")
    assert due_slot(sub, at(2026, 12, 1, 9, 59), GRACE, AMS) is None
    assert due_slot(sub, at(2026, 12, 1, 10, 0), GRACE, AMS).period == "2026-12"
    assert due_slot(sub, at(2026, 12, 1, 17, 59), GRACE, AMS).period == "2026-12"
    assert due_slot(sub, at(2026, 12, 1, 18, 0), GRACE, AMS) is None
    # The Easter Monday send is due on Tuesday, not on the holiday itself.
    easter = Subscription("C0TEAM", weekday=0)
    assert due_slot(easter, at(2026, 4, 6, 10, 30), GRACE, AMS) is None
    assert due_slot(easter, at(2026, 4, 7, 10, 30), GRACE, AMS).period == "2026-04"
