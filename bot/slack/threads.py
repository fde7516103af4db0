"""The threads Schakel answered in, so follow-ups there need no new mention.

Kept in the shared database: a follow-up after a restart, or on another replica, is still recognised
without asking Slack for every threaded message in every channel.
"""

from __future__ import annotations

import time

from sqlalchemy import Column, Engine, Float, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from bot.state.db import create_tables, metadata

answered_threads = Table(
    "slack_answered_threads",
    metadata,
    Column("channel_id", String(64), primary_key=True),
    Column("thread_ts", String(32), primary_key=True),
    Column("answered_at", Float, nullable=False),
)


class AnsweredThreads:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        create_tables(engine, [answered_threads])

    def remember(self, channel_id: str, thread_ts: str) -> None:
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(answered_threads).values(channel_id=channel_id, thread_ts=thread_ts, answered_at=time.time())
                )
        except IntegrityError:
            pass  # already known: Schakel answered in this thread before

    def answered_in(self, channel_id: str, thread_ts: str) -> bool:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(answered_threads.c.thread_ts).where(
                    answered_threads.c.channel_id == channel_id, answered_threads.c.thread_ts == thread_ts
                )
            ).first()
        return row is not None
