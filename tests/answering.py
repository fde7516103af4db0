"""What the answer-engine tests share: asking the engine as a user would, and reading its answer."""

from __future__ import annotations

import re

from bot.core.models import Answer, AskerContext, Question


def ask(engine, text: str, asker: AskerContext | None = None) -> Answer:  # type: ignore[no-untyped-def]
    return engine.answer(Question(text=text, asker=asker or AskerContext(private=True)))


def unit_ids(answer: Answer) -> list[str]:
    return [unit.id for unit in answer.units]


def assert_citations_resolve(answer: Answer) -> None:
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
    assert all(1 <= n <= len(answer.sources) for n in numbers), (numbers, len(answer.sources))
