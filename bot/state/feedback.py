"""👍/👎 feedback on answers, keyed by answer id. Message text only when STORE_FEEDBACK_TEXT is on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Column, DateTime, Engine, Integer, String, Table, Text, insert, select

from bot.settings import Settings
from bot.state.db import create_tables, metadata

Vote = Literal["up", "down"]

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(64), nullable=False, index=True),
    Column("vote", String(8), nullable=False),
    Column("user_id", String(64)),
    Column("kind", String(32)),
    Column("platform", String(16), nullable=False, default="slack"),
    Column("text", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class FeedbackRecord:
    answer_id: str
    vote: Vote
    user_id: str | None
    kind: str | None
    text: str | None


class FeedbackStore:
    def __init__(self, settings: Settings, engine: Engine) -> None:
        self._store_text = settings.store_feedback_text
        self._engine = engine
        create_tables(engine, [feedback])

    def record(self, answer_id: str, vote: Vote, user_id: str | None, kind: str | None,
               text: str | None = None, platform: str = "slack") -> None:
        with self._engine.begin() as connection:
            connection.execute(
                insert(feedback).values(
                    answer_id=answer_id,
                    vote=vote,
                    user_id=user_id,
                    kind=kind,
                    platform=platform,
                    text=text if self._store_text else None,
                    created_at=dt.datetime.now(dt.timezone.utc),
                )
            )

    def for_answer(self, answer_id: str) -> list[FeedbackRecord]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(feedback).where(feedback.c.answer_id == answer_id).order_by(feedback.c.id)
            ).all()
        return [FeedbackRecord(r.answer_id, r.vote, r.user_id, r.kind, r.text) for r in rows]
