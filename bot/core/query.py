"""A question as every stage of the engine reads it: its text in context, language, expansion and vector."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.core.expansion import Expansion
from bot.core.models import Language


@dataclass(frozen=True)
class Query:
    question: str  # what the user wrote
    text: str  # what is answered: the question, or a short follow-up after the thread's question it continues
    language: Language
    expansion: Expansion
    vector: np.ndarray  # the embedding model's query vector of `text`, computed once per question

    @property
    def is_follow_up(self) -> bool:
        return self.text != self.question
