"""Per-user rate limit over a sliding minute, in the shared database so replicas count together."""

from __future__ import annotations

import time

from sqlalchemy import Column, Engine, Float, Integer, String, Table, delete, func, insert, select

from bot.state.db import create_tables, metadata

WINDOW_SECONDS = 60.0

rate_limit_hits = Table(
    "rate_limit_hits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(64), nullable=False, index=True),
    Column("at", Float, nullable=False, index=True),
)


class RateLimiter:
    def __init__(self, engine: Engine, per_minute: int) -> None:
        self._engine = engine
        self.per_minute = per_minute
        create_tables(engine, [rate_limit_hits])

    def allow(self, user_id: str | None, now: float | None = None) -> bool:
        """Count this question and say whether the user is still within the limit."""
        if not user_id or self.per_minute <= 0:
            return True
        now = now or time.time()
        since = now - WINDOW_SECONDS
        with self._engine.begin() as connection:
            connection.execute(delete(rate_limit_hits).where(rate_limit_hits.c.at < since))
            used = connection.execute(
                select(func.count()).where(rate_limit_hits.c.user_id == user_id, rate_limit_hits.c.at >= since)
            ).scalar_one()
            if used >= self.per_minute:
                return False
            connection.execute(insert(rate_limit_hits).values(user_id=user_id, at=now))
        return True
