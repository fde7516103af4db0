"""What the Slack listeners need, built once and passed in (no module-level state)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.core.models import Answer, AskerContext, Question, Source, UnitRef
from bot.knowledge.loader import KnowledgeBase
from bot.ops.metrics import Metrics
from bot.ops.redelivery import ReplyQueue
from bot.settings import Settings
from bot.slack.client import build_client
from bot.slack.threads import AnsweredThreads
from bot.state.corrections import CorrectionStore
from bot.state.feedback import FeedbackStore
from bot.state.idempotency import IdempotencyStore
from bot.state.outbox import Outbox
from bot.state.people import PeopleStore
from bot.state.ratelimit import RateLimiter


class AnswerService(Protocol):
    """The part of `bot.core.engine.AnswerEngine` the adapter uses."""

    knowledge: KnowledgeBase

    def answer(self, question: Question) -> Answer: ...

    def find_units(self, text: str, limit: int = 10) -> list[UnitRef]: ...

    def passage(self, chunk_id: str, asker: AskerContext) -> Source | None: ...


@dataclass(frozen=True)
class SlackDeps:
    settings: Settings
    engine: AnswerService
    people: PeopleStore
    idempotency: IdempotencyStore
    feedback: FeedbackStore
    corrections: CorrectionStore
    rate_limiter: RateLimiter
    threads: AnsweredThreads
    replies: ReplyQueue  # answers Slack did not take, posted later from the outbox
    # Posts answers with one call: a 429 or 5xx goes to the outbox at once, instead of an answer worker
    # sleeping through Retry-After while questions wait.
    answer_client: WebClient

    @classmethod
    def build(cls, settings: Settings, engine: AnswerService, db: Engine, people: PeopleStore | None = None,
              metrics: Metrics | None = None) -> "SlackDeps":
        return cls(
            settings=settings,
            engine=engine,
            people=people or PeopleStore(db, engine.knowledge),
            idempotency=IdempotencyStore(db),
            feedback=FeedbackStore(settings, db),
            corrections=CorrectionStore(db),
            rate_limiter=RateLimiter(db, settings.rate_limit_per_minute),
            threads=AnsweredThreads(db),
            replies=ReplyQueue(Outbox(db, settings), metrics or Metrics.create()),
            answer_client=build_client(settings, retries=0),
        )
