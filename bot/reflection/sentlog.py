"""The sent-log: exactly one prompt per channel per period, across restarts, retries and replicas.

Protocol: `claim` inserts the row (channel, period) in its own committed transaction *before*
posting; the primary key makes a second insert fail with IntegrityError, so only one process can
hold the claim. After a successful post, `confirm` marks it sent with the message ts. When the
post fails, `release` deletes the claim so the next run retries it: nothing is lost. A claim whose
holder died before confirming or releasing is taken over after `STALE_CLAIM` with a
compare-and-swap on its token. The only window for a duplicate is a process killed between the
platform accepting the post and `confirm` committing, a few milliseconds.

Plain SQLAlchemy Core (insert + unique key + IntegrityError), so SQLite and PostgreSQL behave alike.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, Engine, String, Table, Text, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.state.db import metadata

STALE_CLAIM = dt.timedelta(minutes=15)
CLAIMED, SENT = "claimed", "sent"

sent_log_table = Table(
    "reflection_sent_log",
    metadata,
    # The primary key is the unique key (channel, period) the exactly-once guarantee rests on.
    Column("channel", String(64), primary_key=True),
    Column("period", String(32), primary_key=True),
    Column("prompt_id", String(64), nullable=False),
    Column("question", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("claim_token", String(32), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("message_ts", String(40), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
)


@dataclass(frozen=True)
class Claim:
    channel: str
    period: str
    token: str


@dataclass(frozen=True)
class SentEntry:
    channel: str
    period: str
    prompt_id: str
    question: str
    message_ts: str
    sent_at: dt.datetime


def _utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back without a zone; everything in this table is stored in UTC.
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


def _key(channel: str, period: str):  # type: ignore[no-untyped-def]
    return and_(sent_log_table.c.channel == channel, sent_log_table.c.period == period)


def claim(engine: Engine, channel: str, period: str, prompt_id: str, question: str,
          now: dt.datetime) -> Claim | None:
    """Claim the send for (channel, period). None if it was sent or is being sent elsewhere."""
    token = uuid.uuid4().hex
    row = {"prompt_id": prompt_id, "question": question, "status": CLAIMED, "claim_token": token,
           "claimed_at": _utc(now), "message_ts": None, "sent_at": None}
    try:
        with engine.begin() as conn:
            conn.execute(insert(sent_log_table).values(channel=channel, period=period, **row))
        return Claim(channel, period, token)
    except IntegrityError:
        pass
    with engine.begin() as conn:
        existing = conn.execute(
            select(sent_log_table.c.status, sent_log_table.c.claim_token, sent_log_table.c.claimed_at)
            .where(_key(channel, period))
        ).first()
        if existing is None or existing.status != CLAIMED or _utc(existing.claimed_at) > _utc(now) - STALE_CLAIM:
            return None  # sent, or released meanwhile (the next run retries), or a live claim elsewhere
        taken = conn.execute(
            update(sent_log_table)
            .where(_key(channel, period), sent_log_table.c.claim_token == existing.claim_token,
                   sent_log_table.c.status == CLAIMED)
            .values(**row)
        ).rowcount
    return Claim(channel, period, token) if taken == 1 else None


def confirm(engine: Engine, held: Claim, message_ts: str, now: dt.datetime) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(sent_log_table)
            .where(_key(held.channel, held.period), sent_log_table.c.claim_token == held.token)
            .values(status=SENT, message_ts=message_ts, sent_at=_utc(now))
        )


def release(engine: Engine, held: Claim) -> None:
    """Give up a claim after a failed post, so the next run tries again."""
    with engine.begin() as conn:
        conn.execute(
            delete(sent_log_table).where(
                _key(held.channel, held.period), sent_log_table.c.claim_token == held.token,
                sent_log_table.c.status == CLAIMED,
            )
        )


def is_sent(engine: Engine, channel: str, period: str) -> bool:
    with engine.connect() as conn:
        status = conn.execute(select(sent_log_table.c.status).where(_key(channel, period))).scalar()
    return status == SENT


def sent_history(engine: Engine, channel: str) -> list[SentEntry]:
    """Everything sent to the channel, oldest first."""
    query = (
        select(sent_log_table)
        .where(sent_log_table.c.channel == channel, sent_log_table.c.status == SENT)
        .order_by(sent_log_table.c.sent_at, sent_log_table.c.period)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        SentEntry(channel=row["channel"], period=row["period"], prompt_id=row["prompt_id"],
                  question=row["question"], message_ts=row["message_ts"], sent_at=_utc(row["sent_at"]))
        for row in rows
    ]
