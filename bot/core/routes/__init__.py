"""One module per kind of answer. Each `answer(tools, ask)` returns an `Answer`, or None when it has none
and the question is answered from the studies instead."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.answerable import Answerability
from bot.core.citations import Citations, PassageLocator
from bot.core.directory import Directory
from bot.core.expansion import QueryExpander
from bot.core.models import AskerContext
from bot.core.overlay import OverlaySource
from bot.core.people import PeopleSource
from bot.core.query import Query
from bot.core.retrieval import Hit, Retriever
from bot.core.sentences import SentencePicker
from bot.core.terms import TermWeights, TextAnalyzer
from bot.core.tuning import Tuning
from bot.knowledge.loader import KnowledgeBase


@dataclass(frozen=True)
class AnswerTools:
    """What the routes answer with; one set per engine."""

    knowledge: KnowledgeBase
    directory: Directory
    expander: QueryExpander
    retriever: Retriever
    sentences: SentencePicker
    answerability: Answerability
    term_weights: TermWeights
    locator: PassageLocator
    tuning: Tuning
    max_sources: int
    people: PeopleSource | None = None
    overlay: OverlaySource | None = None  # approved corrections from users
    max_age_years: int = 3

    @property
    def analyzer(self) -> TextAnalyzer:
        return self.retriever.index.analyzer


@dataclass(frozen=True)
class Ask:
    """One question on its way to an answer: the query, the best passages for it, and who asks where."""

    query: Query
    hits: list[Hit]
    asker: AskerContext

    def citations(self, tools: AnswerTools) -> Citations:
        return Citations(self.query.language, tools.locator, self.asker, limit=tools.max_sources)
