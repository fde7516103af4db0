"""Answers waiting to be posted: the outbox in the shared database.

When Slack or Teams does not take an answer (429, 5xx, unreachable) after the client's own quick
retries, the answer is stored here with where it goes, and any replica posts it later: after a
backoff that honours Retry-After, across restarts. A replica leases a row before it tries, so two
replicas never post the same answer; a lease that outlives a crashed replica runs out and another
replica takes the row. When the retry time is over, the row is dropped and the question's claim
is released, so a re-delivery of the question can be answered again.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Engine, Float, Integer, String, Table, Text, delete, func, insert, select, update

from bot.settings import Settings
from bot.state.db import create_tables, metadata
from bot.state.idempotency import idempotency_keys

# Long enough for one delivery attempt (the HTTP clients time out well before this).
LEASE_SECONDS = 120.0

outbox = Table(
    "outbox",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("target", Text, nullable=False),  # JSON: channel and thread, or Teams service URL and conversation
    Column("message", Text, nullable=False),  # JSON: what is posted
    Column("release_keys", Text, nullable=False),  # JSON: the question's idempotency keys, freed when given up
    Column("created_at", Float, nullable=False),
    Column("give_up_at", Float, nullable=False),
    Column("due_at", Float, nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("leased_until", Float, nullable=False),
)


@dataclass(frozen=True)
class PendingReply:
    id: str
    platform: str
    target: dict[str, Any]
    message: dict[str, Any]
    release_keys: list[str]
    attempts: int
    give_up_at: float
    leased_until: float


class Outbox:
    def __init__(self, db: Engine, settings: Settings) -> None:
        self._db = db
        self._retry_seconds = settings.outbox_retry_seconds
        self._backoff = settings.outbox_backoff_seconds
        self._backoff_max = settings.outbox_backoff_max_seconds
        create_tables(db, [outbox])

    def add(self, platform: str, target: dict[str, Any], message: dict[str, Any], release_keys: list[str],
            attempts: int = 1, retry_after: float | None = None) -> str:
        """Store an answer that `attempts` tries could not post; it is first retried after the backoff."""
        now = time.time()
        reply_id = uuid.uuid4().hex
        with self._db.begin() as connection:
            connection.execute(insert(outbox).values(
                id=reply_id, platform=platform, target=json.dumps(target), message=json.dumps(message),
                release_keys=json.dumps(release_keys), created_at=now, give_up_at=now + self._retry_seconds,
                due_at=now + self._wait(attempts, retry_after), attempts=attempts, leased_until=0.0,
            ))
        return reply_id

    def lease_due(self, limit: int = 20) -> list[PendingReply]:
        """Due answers this replica may now try, each leased so that no other replica tries it too."""
        now = time.time()
        with self._db.connect() as connection:
            rows = connection.execute(
                select(outbox).where(outbox.c.due_at <= now, outbox.c.leased_until < now)
                .order_by(outbox.c.due_at).limit(limit)
            ).mappings().all()
        leased = []
        for row in rows:
            lease = now + LEASE_SECONDS
            with self._db.begin() as connection:
                # Compare-and-set on the old lease: of two replicas that read the row, one wins it.
                won = connection.execute(
                    update(outbox).where(outbox.c.id == row["id"], outbox.c.leased_until == row["leased_until"])
                    .values(leased_until=lease)
                ).rowcount == 1
            if won:
                leased.append(PendingReply(
                    id=row["id"], platform=row["platform"], target=json.loads(row["target"]),
                    message=json.loads(row["message"]), release_keys=json.loads(row["release_keys"]),
                    attempts=row["attempts"], give_up_at=row["give_up_at"], leased_until=lease,
                ))
        return leased

    def delivered(self, reply: PendingReply) -> None:
        with self._db.begin() as connection:
            connection.execute(delete(outbox).where(outbox.c.id == reply.id))

    def retry_later(self, reply: PendingReply, retry_after: float | None) -> float:
        """Schedule the next try (never after the give-up time); returns the wait in seconds."""
        now = time.time()
        attempts = reply.attempts + 1
        wait = min(self._wait(attempts, retry_after), max(0.0, reply.give_up_at - now))
        with self._db.begin() as connection:
            connection.execute(update(outbox).where(outbox.c.id == reply.id)
                               .values(attempts=attempts, due_at=now + wait, leased_until=0.0))
        return wait

    def give_up(self, reply: PendingReply) -> None:
        """Drop the answer and release the question's claim, in one transaction."""
        with self._db.begin() as connection:
            connection.execute(delete(outbox).where(outbox.c.id == reply.id))
            if reply.release_keys:
                connection.execute(delete(idempotency_keys).where(idempotency_keys.c.key.in_(reply.release_keys)))

    def pending(self) -> int:
        with self._db.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(outbox)).scalar_one())

    def _wait(self, attempts: int, retry_after: float | None) -> float:
        """Exponential backoff after `attempts` failures, at least what the platform asked for."""
        backoff = min(self._backoff * 2 ** max(0, attempts - 1), self._backoff_max)
        return max(backoff, retry_after or 0.0)
