"""The answer engine: a question and its asker in, an `Answer` with units, people and sources out.

One question's path, each stage in its own module:
1. `query.py`: the question in its thread's context, its language, expansion and one embedding;
2. `routing.py`: what kind of question it is (a classifier on that embedding);
3. `retrieval.py`: the best passages (BM25 and dense, fused with fitted weights; for the dense side the
   question's vector is first moved by a learned adapter, `adapter.py`, when one was fitted for the model);
4. `routes/`: the answer for its kind; a study answer picks sentences (`sentences.py`) after
   deciding whether the passages answer at all (`answerable.py`);
5. `llm.py`: optionally, a configured LLM phrases the answer from the same evidence.
The constants of stages 2 to 4 are fitted by `schakel fit` (`tuning.py`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.core import phrases
from bot.core.adapter import QueryAdapter, load_adapter
from bot.core.answer_types import names_pattern
from bot.core.answerable import Answerability, QuestionPrior
from bot.core.citations import PassageLocator, source_from_chunk, unit_ref
from bot.core.directory import Directory, UnitVectors, unit_entry
from bot.core.expansion import QueryExpander
from bot.core.followup import in_context
from bot.core.language import detect_language
from bot.core.llm import LlmWriter
from bot.core.models import Answer, AskerContext, Question, Source, UnitRef
from bot.core.overlay import OverlaySource
from bot.core.people import PeopleSource
from bot.core.query import Query
from bot.core.retrieval import Retriever, SearchIndex, visible_to
from bot.core.routes import AnswerTools, Ask, counterpart, directory, documents, glossary, people, study
from bot.core.labelled import LabelledQuestion, load_labelled
from bot.core.routing import Route, Router
from bot.core.sentences import SentencePicker
from bot.core.terms import TermWeights
from bot.core.text import fold, words
from bot.core.tuning import Tuning, load_tuning
from bot.core.vectors import QueryEncoder, cached_passage_vectors
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.settings import Settings

if TYPE_CHECKING:
    from indexer.store import IndexStore

log = logging.getLogger(__name__)

ROUTES: dict[Route, Callable[[AnswerTools, Ask], Answer | None]] = {
    "document": documents.answer,
    "glossary": glossary.answer,
    "people": people.answer,
    "directory": directory.answer,
    "counterpart": counterpart.answer,
    "study": study.answer,
}
# Passages ranked per question: the sources shown, and the signals of the not-found decision.
HITS = 10


class AnswerEngine:
    def __init__(
        self,
        settings: Settings,
        knowledge: KnowledgeBase,
        index: SearchIndex,
        encoder: QueryEncoder,
        tuning: Tuning,
        people: PeopleSource | None = None,
        llm: LlmWriter | None = None,
        overlay: OverlaySource | None = None,
        labelled: list[LabelledQuestion] | None = None,
        adapter: QueryAdapter | None = None,
    ) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self.encoder = encoder
        self.tuning = tuning
        self.llm = llm
        folder = settings.data_dir / "vectors"
        unit_directory = Directory(knowledge, tuning, unit_vectors(knowledge, encoder, folder))
        term_weights = TermWeights(index.document_frequency, len(index.chunks))
        expander = QueryExpander(knowledge, unit_directory, known_word=lambda word: _sources_use(index, term_weights, word))
        retriever = Retriever(index, tuning, str(Path(settings.knowledge_dir).resolve()), adapter)
        sentences = SentencePicker(index, term_weights, tuning, names_pattern(known_names(knowledge)))
        # What the not-found prior learns from: our labelled questions (`schakel fit` gives each fold's engine
        # the other folds' questions only).
        self.labelled = labelled if labelled is not None else load_labelled(settings.question_sets_dir)
        answerability = Answerability(tuning, term_weights, index.analyzer, expander.alternatives, sentences,
                                      recorded_surnames(knowledge),
                                      QuestionPrior.learned_from(self.labelled, encoder, folder))
        self.tools = AnswerTools(
            knowledge=knowledge, directory=unit_directory, expander=expander, retriever=retriever, sentences=sentences,
            answerability=answerability, term_weights=term_weights, locator=PassageLocator(index), tuning=tuning,
            max_sources=settings.max_sources, people=people, overlay=overlay,
            max_age_years=settings.directory_max_age_years,
        )
        self.router = Router(encoder, tuning, cache_folder=folder)

    @classmethod
    def from_settings(cls, settings: Settings, people: PeopleSource | None = None,
                      overlay: OverlaySource | None = None) -> "AnswerEngine":
        from indexer.embedding import make_embedder
        from indexer.store import IndexStore

        store: IndexStore = IndexStore(settings)
        store.load()
        llm = LlmWriter(settings) if settings.llm_configured else None
        encoder = make_embedder(settings)
        return cls(settings, load_knowledge(settings.knowledge_dir), store, encoder, load_tuning(), people, llm,
                   overlay, adapter=load_adapter(encoder.model_name))

    def with_tuning(self, tuning: Tuning, labelled: list[LabelledQuestion] | None = None,
                    adapter: QueryAdapter | None = None) -> "AnswerEngine":
        """The same engine with other constants, learning from other labelled questions and moving questions with
        another adapter (`schakel fit` answers each fold with what it fitted and learned on the other folds)."""
        return AnswerEngine(self.settings, self.knowledge, self.tools.retriever.index, self.encoder, tuning,
                            self.tools.people, self.llm, self.tools.overlay,
                            self.labelled if labelled is None else labelled, adapter)

    # --- public API for adapters ----------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the embedding model now, so the first question is not the slow one."""
        self.encoder.encode_query("warm-up")

    def answer(self, question: Question) -> Answer:
        started = time.perf_counter()
        query = self.query(question)
        answer = self.answer_query(query, question.asker, route=question.wants)
        if self.llm is not None:
            answer = self.llm.rewrite(answer, self.knowledge) or answer
        answer.timing_ms = (time.perf_counter() - started) * 1000
        log.info("answered", extra={"fields": {"answer_id": answer.id, "kind": answer.kind,
                                               "ms": round(answer.timing_ms, 1)}})
        return answer

    def query(self, question: Question) -> Query:
        text = question.text.strip()
        context = self.tools.directory.with_abbreviations_as_written(in_context(text, question.asker.thread_history))
        language = detect_language(text)
        return Query(question=text, text=context, language=language,
                     expansion=self.tools.expander.expand(context, language),
                     vector=self.encoder.encode_query(context))

    def answer_query(self, query: Query, asker: AskerContext, route: Route | None = None) -> Answer:
        """The answer to a prepared query; `route` overrides the router (for `schakel fit`)."""
        if not any(character.isalnum() for character in query.question):
            return Answer(question=query.question, answer=phrases.text("empty_question", query.language),
                          kind="not_found", language=query.language)
        ask = Ask(query, self.tools.retriever.search(query, asker, k=HITS), asker)
        chosen = route or self.router.route(query.vector).route
        return ROUTES[chosen](self.tools, ask) or study.answer(self.tools, ask)

    def find_units(self, text: str, limit: int = 10) -> list[UnitRef]:
        unit_directory = self.tools.directory
        named = unit_directory.mentioned_units(text)
        matched = [match.unit for match in unit_directory.match_topic(text, limit=limit)]
        units = list({unit.id: unit for unit in [*named, *matched]}.values())[:limit]
        return [unit_ref(unit) for unit in units]

    def passage(self, chunk_id: str, asker: AskerContext) -> Source | None:
        chunk = self.tools.retriever.index.chunks.get(chunk_id)
        if chunk is None or not visible_to(chunk, asker):
            return None
        return source_from_chunk(chunk, 1.0, "nl")


def unit_vectors(knowledge: KnowledgeBase, encoder: QueryEncoder, folder: Path) -> UnitVectors:
    tasks = [(row, fact.text) for row, unit in enumerate(knowledge.units) for fact in unit.responsibilities]
    return UnitVectors(
        entries=cached_passage_vectors(encoder, [unit_entry(unit) for unit in knowledge.units], folder),
        tasks=cached_passage_vectors(encoder, [text for _, text in tasks], folder),
        task_owner=np.array([row for row, _ in tasks], dtype=np.int64),
    )


def known_names(knowledge: KnowledgeBase) -> set[str]:
    """Every name, abbreviation and alias of the units, and the names of the people recorded with them."""
    return ({label for unit in knowledge.units for label in unit.labels()}
            | {person.name for unit in knowledge.units for person in unit.people if person.name})


def recorded_surnames(knowledge: KnowledgeBase) -> set[str]:
    return {words(fold(person.name))[-1] for unit in knowledge.units for person in unit.people if person.name}


def _sources_use(index: SearchIndex, weights: TermWeights, word: str) -> bool:
    """Whether the indexed passages contain this word (in any inflection)."""
    terms = index.analyzer.document(word)
    return bool(terms) and weights.known(terms[0])
