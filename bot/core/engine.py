"""The answer engine: a question and its asker in, an `Answer` with units, people and sources out.

One question's path: route it (router.py), answer from the directory (compose.py,
directory.py) or from the indexed passages (retrieval.py, extractive.py), optionally
let a configured LLM phrase the answer from the same evidence (llm.py), and cite.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core import compose
from bot.core.directory import Directory
from bot.core.expansion import QueryExpander
from bot.core.extractive import TermWeights, coverage, quantity_is_stated
from bot.core.followup import in_context
from bot.core.language import detect_language
from bot.core.llm import LlmWriter
from bot.core.models import Answer, AskerContext, Language, Question, Source, UnitRef
from bot.core.people import PeopleSource
from bot.core.retrieval import Retriever, visible_to
from bot.core.router import Router
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.settings import Settings

if TYPE_CHECKING:
    from indexer.store import IndexStore

log = logging.getLogger(__name__)

# Below this share of the question's weight found in the top passages, the sources
# do not address the question. Calibrated on the dev set's not_in_source items.
DEFAULT_NOT_FOUND_THRESHOLD = 0.25


class AnswerEngine:
    def __init__(
        self,
        settings: Settings,
        knowledge: KnowledgeBase,
        retriever: Retriever,
        term_weights: TermWeights,
        people: PeopleSource | None = None,
        llm: LlmWriter | None = None,
    ) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self.directory = Directory(knowledge)
        self.expander = QueryExpander(knowledge, self.directory, known_word=self._sources_use)
        self.router = Router()
        self.retriever = retriever
        self.term_weights = term_weights
        self.people = people
        self.llm = llm
        self.not_found_threshold = settings.not_found_threshold or DEFAULT_NOT_FOUND_THRESHOLD
        self._composer = compose.Composer(self)

    @classmethod
    def from_settings(cls, settings: Settings, people: PeopleSource | None = None) -> "AnswerEngine":
        from indexer.embedding import make_embedder
        from indexer.store import IndexStore

        knowledge = load_knowledge(settings.knowledge_dir)
        store = IndexStore(settings)
        store.load()
        embedder = make_embedder(settings)
        llm = LlmWriter(settings) if settings.llm_configured else None
        retriever = Retriever(store, embedder, notes_folder=str(Path(settings.knowledge_dir).resolve()))
        return cls(settings, knowledge, retriever, term_weights_for(store), people, llm)

    # --- public API for adapters ----------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the embedding model now, so the first question is not the slow one."""
        self.retriever.encoder.encode_query("warm-up")

    def answer(self, question: Question) -> Answer:
        started = time.perf_counter()
        text = question.text.strip()
        language = detect_language(text)
        context_text = in_context(text, question.asker.thread_history)
        answer = self._composer.answer(text, context_text, question.asker, language)
        if self.llm is not None:
            answer = self.llm.rewrite(answer, self.knowledge) or answer
        answer.timing_ms = (time.perf_counter() - started) * 1000
        log.info(
            "answered",
            extra={"fields": {"answer_id": answer.id, "kind": answer.kind, "ms": round(answer.timing_ms, 1)}},
        )
        return answer

    def find_units(self, text: str, limit: int = 10) -> list[UnitRef]:
        named = self.directory.mentioned_units(text)
        matched = [match.unit for match in self.directory.match_topic(text, limit=limit)]
        units = list({unit.id: unit for unit in [*named, *matched]}.values())[:limit]
        return [compose.unit_ref(unit) for unit in units]

    def passage(self, chunk_id: str, asker: AskerContext) -> Source | None:
        chunk = self.retriever.index.chunks.get(chunk_id)
        if chunk is None or not visible_to(chunk, asker):
            return None
        return compose.source_from_chunk(chunk, 1.0, "nl")

    # --- helpers ----------------------------------------------------------------------------------

    def is_supported(self, question: str, hits: list, language: Language = "nl") -> bool:
        analyzer = self.retriever.index.analyzer
        alternatives = self.expander.alternatives
        # An English word with no Dutch translation we know says nothing about whether the Dutch sources
        # answer the question: weighing it as absent refused most English questions.
        share = coverage(question, hits, self.term_weights, analyzer, alternatives=alternatives,
                         skip_untranslated=language == "en")
        return (
            bool(hits)
            and share >= self.not_found_threshold
            and quantity_is_stated(question, hits, analyzer, alternatives)
        )

    def _sources_use(self, word: str) -> bool:
        """Whether the indexed passages contain this word (in any inflection)."""
        terms = self.retriever.index.analyzer.document(word)
        return bool(terms) and self.term_weights.known(terms[0])


def term_weights_for(store: "IndexStore") -> TermWeights:
    """Inverse document frequencies of the index's own terms."""
    return TermWeights(store.document_frequency, len(store))
