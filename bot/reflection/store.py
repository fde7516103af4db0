"""Reflection subscriptions in the shared database (one row per channel).

Plain SQLAlchemy Core on the shared metadata, so it works on SQLite and PostgreSQL alike.
Nothing here records who subscribed: a channel's rhythm is a channel setting.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, DateTime, Engine, Integer, String, Table, delete, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from bot.reflection.models import Cadence, Subscription
from bot.state.db import metadata

subscriptions_table = Table(
    "reflection_subscriptions",
    metadata,
    Column("channel", String(64), primary_key=True),
    Column("cadence", String(20), nullable=False),
    Column("weekday", Integer, nullable=False),
    Column("send_time", String(5), nullable=False),  # "HH:MM" local time in the reflection timezone
    Column("themes", String(200), nullable=False, default=""),  # comma-separated
    Column("paused_until", Date, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def _to_row(sub: Subscription, now: dt.datetime) -> dict[str, object]:
    return {
        "cadence": sub.cadence.value,
        "weekday": sub.weekday,
        "send_time": sub.send_time.strftime("%H:%M"),
        "themes": ",".join(sub.themes),
        "paused_until": sub.paused_until,
        "updated_at": now,
    }


def _from_row(row: RowMapping) -> Subscription:
    return Subscription(
        channel=row["channel"],
        cadence=Cadence(row["cadence"]),
        weekday=row["weekday"],
        send_time=dt.time.fromisoformat(row["send_time"]),
        themes=tuple(theme for theme in row["themes"].split(",") if theme),
        paused_until=row["paused_until"],
    )


def save_subscription(engine: Engine, sub: Subscription, now: dt.datetime) -> bool:
    """Create or replace the channel's subscription. Returns True if it was new."""
    values = _to_row(sub, now)
    with engine.begin() as conn:
        changed = conn.execute(
            update(subscriptions_table).where(subscriptions_table.c.channel == sub.channel).values(**values)
        ).rowcount
    if changed:
        return False
    try:
        with engine.begin() as conn:
            conn.execute(insert(subscriptions_table).values(channel=sub.channel, **values))
        return True
    except IntegrityError:  # another process subscribed the same channel in between: last write wins
        with engine.begin() as conn:
            conn.execute(
                update(subscriptions_table).where(subscriptions_table.c.channel == sub.channel).values(**values)
            )
        return False


def remove_subscription(engine: Engine, channel: str) -> bool:
    with engine.begin() as conn:
        return bool(conn.execute(delete(subscriptions_table).where(subscriptions_table.c.channel == channel)).rowcount)


def get_subscription(engine: Engine, channel: str) -> Subscription | None:
    with engine.connect() as conn:
        row = conn.execute(select(subscriptions_table).where(subscriptions_table.c.channel == channel)).mappings().first()
    return _from_row(row) if row else None


def list_subscriptions(engine: Engine, channels: list[str] | None = None) -> list[Subscription]:
    query = select(subscriptions_table).order_by(subscriptions_table.c.channel)
    if channels is not None:
        query = query.where(subscriptions_table.c.channel.in_(channels))
    with engine.connect() as conn:
        return [_from_row(row) for row in conn.execute(query).mappings()]


def set_paused_until(engine: Engine, channel: str, until: dt.date | None, now: dt.datetime) -> bool:
    """Pause the channel's sends until `until` (None resumes). False if the channel has no subscription."""
    with engine.begin() as conn:
        return bool(
            conn.execute(
                update(subscriptions_table)
                .where(subscriptions_table.c.channel == channel)
                .values(paused_until=until, updated_at=now)
            ).rowcount
        )
