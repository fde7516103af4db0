"""Exactly-once answering: claim a question's keys before answering it.

Slack re-delivers an event when the ack is late (`x-slack-retry-num`), and a channel post that
mentions Schakel arrives twice (`message` and `app_mention`, different event ids, same channel+ts).
Claiming all keys of a delivery in one transaction makes the first delivery win, across threads,
replicas and restarts, because the keys live in the shared database.
"""

from __future__ import annotations

import time

from sqlalchemy import Column, Engine, Float, String, Table, delete, insert
from sqlalchemy.exc import IntegrityError

from bot.state.db import create_tables, metadata

# Slack retries within minutes; a week of keys is plenty and keeps the table small.
KEEP_SECONDS = 7 * 24 * 3600

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("claimed_at", Float, nullable=False, index=True),
)


class IdempotencyStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        create_tables(engine, [idempotency_keys])
        self.prune()  # at start-up: old keys can no longer match a re-delivery

    def claim(self, keys: list[str]) -> bool:
        """True when none of `keys` was claimed before (and now all are); False for a duplicate."""
        now = time.time()
        unique = sorted({key for key in keys if key})
        if not unique:
            return True
        try:
            with self._engine.begin() as connection:
                connection.execute(insert(idempotency_keys), [{"key": key, "claimed_at": now} for key in unique])
        except IntegrityError:
            return False
        return True

    def prune(self, now: float | None = None) -> int:
        cutoff = (now or time.time()) - KEEP_SECONDS
        with self._engine.begin() as connection:
            return connection.execute(delete(idempotency_keys).where(idempotency_keys.c.claimed_at < cutoff)).rowcount
