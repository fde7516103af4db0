"""What was asked, for the monthly digest: per answer its kind and, for unanswered ones, the directory's
terms it names. The question's text only when STORE_QUESTION_TEXT is on, and then for
QUESTION_TEXT_DAYS days."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, DateTime, Engine, Integer, String, Table, Text, insert, select, update

from bot.core.models import Answer, Question
from bot.knowledge.loader import KnowledgeBase
from bot.settings import Settings
from bot.state.db import create_tables, metadata
from bot.state.feedback import feedback

log = logging.getLogger(__name__)

questions = Table(
    "questions_asked",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("asked_at", DateTime(timezone=True), nullable=False, index=True),
    Column("answer_id", String(64), nullable=False, index=True),  # joins 👍/👎 in the feedback table
    Column("kind", String(32), nullable=False),
    Column("terms", Text),  # unanswered only: the glossary and unit terms the question names, comma-separated
    Column("text", Text),  # only with STORE_QUESTION_TEXT
)


@dataclass(frozen=True)
class Asked:
    asked_at: dt.datetime
    kind: str
    terms: list[str]


class QuestionLog:
    def __init__(self, settings: Settings, engine: Engine, knowledge: KnowledgeBase) -> None:
        self._engine = engine
        self._keep_text = settings.store_question_text
        self._text_days = settings.question_text_days
        labels = {term.term for term in knowledge.glossary}
        labels |= {label for unit in knowledge.units for label in (unit.abbreviation, unit.name) if label}
        # Longest first, so "Directie Materieel en Vastgoed" is found before "DMV" would be.
        self._terms = [(label, re.compile(rf"(?<!\w){re.escape(label)}(?!\w)"))
                       for label in sorted(labels, key=len, reverse=True)]
        create_tables(engine, [questions])

    def record(self, question: Question, answer: Answer) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        terms = self.terms_in(question.text) if answer.kind == "not_found" else []
        with self._engine.begin() as connection:
            connection.execute(insert(questions).values(
                asked_at=now, answer_id=answer.id, kind=answer.kind, terms=",".join(terms) or None,
                text=question.text[:4000] if self._keep_text else None))
            # Kept texts live QUESTION_TEXT_DAYS days; each answer clears the ones past that.
            connection.execute(update(questions).where(
                questions.c.text.is_not(None), questions.c.asked_at < now - dt.timedelta(days=self._text_days)
            ).values(text=None))

    def terms_in(self, text: str) -> list[str]:
        return [label for label, pattern in self._terms if pattern.search(text)][:5]

    def between(self, start: dt.datetime, end: dt.datetime) -> list[Asked]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(questions.c.asked_at, questions.c.kind, questions.c.terms).where(
                questions.c.asked_at >= start, questions.c.asked_at < end)).all()
        return [Asked(row.asked_at, row.kind, (row.terms or "").split(",") if row.terms else []) for row in rows]


def to_label(engine: Engine) -> list[tuple[int, str, str]]:
    """Kept question texts answered "niet gevonden" or voted 👎: (id, text, why), oldest first."""
    voted_down = select(feedback.c.answer_id).where(feedback.c.vote == "down")
    query = select(questions.c.id, questions.c.text, questions.c.kind).where(
        questions.c.text.is_not(None),
        (questions.c.kind == "not_found") | questions.c.answer_id.in_(voted_down)).order_by(questions.c.id)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [(row.id, row.text, "niet gevonden" if row.kind == "not_found" else "👎") for row in rows]


class LoggedEngine:
    """The engine as the adapters see it, with every answer counted in the question log."""

    def __init__(self, engine: Any, log: QuestionLog) -> None:
        self._engine = engine
        self._log = log

    def answer(self, question: Question) -> Answer:
        answer = self._engine.answer(question)
        try:
            self._log.record(question, answer)
        except Exception as error:  # the count is lost, the answer still goes out
            log.warning("question not counted: %s", type(error).__name__)
        return answer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)
