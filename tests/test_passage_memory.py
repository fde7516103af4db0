"""The passage memory: a question close to one we labelled is answered from the passage that answered that one."""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.core.labelled import LabelledQuestion, load_labelled
from bot.core.memory import Memory, SupportLocator
from bot.core.models import AskerContext, Question
from bot.core.tuning import Tuning
from bot.settings import SHIPPED_QUESTIONS

REMEMBERING = Tuning(memory_weight=2.0, memory_min_cosine=0.5, memory_neighbours=2)


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float64)
    return vector / np.linalg.norm(vector)


def test_each_labelled_passage_is_found_in_the_chunks_that_hold_its_lines(engine: Any) -> None:
    chunks = list(engine.tools.retriever.index.chunks.values())
    locator = SupportLocator(chunks)
    with_lines = [question for question in load_labelled(SHIPPED_QUESTIONS) if question.support]
    assert len(with_lines) > 100
    for question in with_lines:
        found = [chunk for chunk in chunks if chunk.id in locator.chunk_ids(question.doc, question.support)]
        assert found, question.text
        for chunk in found:
            assert chunk.doc == question.doc
            assert any(chunk.line_start <= last and first <= chunk.line_end  # type: ignore[operator]
                       for first, last in question.support)


def test_only_the_nearest_questions_above_the_floor_count_and_a_question_never_vouches_for_itself() -> None:
    memory = Memory(np.stack([_unit(1, 0, 0), _unit(1, 1, 0), _unit(0, 0, 1)]),
                           [frozenset({"a"}), frozenset({"b"}), frozenset({"c"})])
    question = _unit(1, 0.1, 0)
    scores = memory.scores(question, ["a", "b", "c"], min_cosine=0.5, neighbours=2)
    assert scores[0] > scores[1] > 0  # the closer question lifts its passage more
    assert scores[2] == 0  # an unrelated question lifts nothing
    assert memory.scores(question, ["a", "b", "c"], min_cosine=0.5, neighbours=2, leave_out=0)[0] == 0


def test_a_rephrased_question_is_answered_from_the_passage_that_answered_its_labelled_twin(engine: Any) -> None:
    asker = AskerContext(private=True)
    question = Question(text="Hoe lang mag de steun van de logistieke partners aan een brigade via land duren?",
                        asker=asker)
    forgetful = engine.with_tuning(REMEMBERING, labelled=[])
    plain = forgetful.tools.retriever.search(forgetful.query(question), asker, k=10)
    # The twin was answered by a study passage that plain retrieval ranks lower.
    wanted = [hit.chunk for hit in plain[2:] if hit.chunk.line_start is not None and hit.chunk.doc[:3].isdigit()][0]
    twin = LabelledQuestion("Over welke afstand en hoe lang moeten logistieke partners een brigadetaakgroep steunen?",
                            "figure", wanted.doc, ((wanted.line_start, wanted.line_end),))  # type: ignore[arg-type]
    remembering = engine.with_tuning(REMEMBERING, labelled=[twin])
    assert remembering.tools.retriever.search(remembering.query(question), asker, k=1)[0].chunk.id == wanted.id
    answer = remembering.answer(question)
    assert wanted.id in [source.chunk_id for source in answer.sources or answer.related]
