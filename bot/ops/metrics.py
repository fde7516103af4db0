"""Prometheus metrics, measured once in the core path rather than in each chat adapter.

`MeasuredEngine` wraps the answer engine every adapter calls, so Slack and Teams answers are counted
the same way; `MeasuredPoster` wraps the reflection `PromptPoster`, so sends from the scheduler and
the CLI of any platform are counted too. The registry belongs to the `Metrics` object (no global
state), and labels carry kinds and outcomes only, never text or user ids.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

from bot.core.models import Answer, Question
from bot.reflection.models import PromptMessage
from bot.reflection.sender import PromptPoster

# From a cached directory answer (milliseconds) to a hosted LLM rewrite (tens of seconds).
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0)


@dataclass(frozen=True)
class Metrics:
    registry: CollectorRegistry
    answers: Counter
    answer_seconds: Histogram
    answer_failures: Counter
    reflection_sends: Counter
    outbox: Counter

    @classmethod
    def create(cls) -> "Metrics":
        registry = CollectorRegistry()
        return cls(
            registry=registry,
            answers=Counter("schakel_answers", "Questions answered, by answer kind.", ["kind"], registry=registry),
            answer_seconds=Histogram("schakel_answer_seconds", "Time to compose an answer.",
                                     buckets=LATENCY_BUCKETS, registry=registry),
            answer_failures=Counter("schakel_answer_failures", "Questions the engine failed on, by error type.",
                                    ["error"], registry=registry),
            reflection_sends=Counter("schakel_reflection_sends", "Reflection prompts posted, by platform and outcome.",
                                     ["platform", "outcome"], registry=registry),
            outbox=Counter("schakel_outbox", "Answers the platform did not take at once: queued, retried, posted "
                           "later, or failed (given up).", ["platform", "outcome"], registry=registry),
        )


class MeasuredEngine:
    """The answer engine with counts and timings; everything else passes through unchanged."""

    def __init__(self, engine: Any, metrics: Metrics) -> None:
        self._engine = engine
        self._metrics = metrics

    def answer(self, question: Question) -> Answer:
        started = time.perf_counter()
        try:
            answer = self._engine.answer(question)
        except Exception as error:
            self._metrics.answer_failures.labels(error=type(error).__name__).inc()
            raise
        self._metrics.answer_seconds.observe(time.perf_counter() - started)
        self._metrics.answers.labels(kind=str(answer.kind)).inc()
        return answer

    def __getattr__(self, name: str) -> Any:
        # knowledge, find_units, passage, warm_up, …: the adapters' other calls are not measured.
        return getattr(self._engine, name)


class MeasuredPoster:
    """A `PromptPoster` that counts what it posts."""

    def __init__(self, poster: PromptPoster, metrics: Metrics, platform: str) -> None:
        self._poster = poster
        self._metrics = metrics
        self._platform = platform

    def post_prompt(self, channel: str, message: PromptMessage) -> str:
        try:
            message_id = self._poster.post_prompt(channel, message)
        except Exception:
            self._metrics.reflection_sends.labels(platform=self._platform, outcome="failed").inc()
            raise
        self._metrics.reflection_sends.labels(platform=self._platform, outcome="sent").inc()
        return message_id

    def reply_count(self, channel: str, message_id: str) -> int:
        return self._poster.reply_count(channel, message_id)
