"""Passages that answered questions like this one before: a retrieval signal learned from labelled questions.

Users ask the same few studies the same things in their own words. A labelled question (`questions/`, and what
`schakel feedback export --eval` adds) records the passages that answer it. A new question close in meaning to
some of them lifts those passages: each candidate scores the cosine of the nearest labelled question it
answered, rescaled so that `memory_min_cosine` counts 0 and an identical question 1, over the
`memory_neighbours` nearest questions only. Retrieval adds it with `memory_weight`. All three are fitted by
`schakel fit`, where a weight of 0 would leave the memory out; its out-of-fold figures, and those with one
whole set left out, are in the README.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from bot.core.labelled import LabelledQuestion, LineRange
from bot.core.vectors import QueryEncoder, cached_query_vectors
from indexer.models import Chunk

# A chunk holds a support passage when it holds at least this share of the passage's lines (the share
# `schakel eval` asks of a source's text).
SUPPORT_SHARE = 0.5


class SupportLocator:
    """The indexed chunks that hold a passage given as a document and a line range."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self.by_doc: dict[str, list[Chunk]] = defaultdict(list)
        for chunk in chunks:
            if chunk.line_start is not None and chunk.line_end is not None:
                self.by_doc[chunk.doc].append(chunk)

    def chunk_ids(self, doc: str | None, support: Sequence[LineRange]) -> frozenset[str]:
        return frozenset(
            chunk.id for chunk in self.by_doc.get(doc or "", []) for first, last in support
            if min(last, chunk.line_end) - max(first, chunk.line_start) + 1 >= SUPPORT_SHARE * (last - first + 1)  # type: ignore[type-var, operator]
        )


class Memory:
    """Labelled questions' vectors, each with the ids of the passages that answered it."""

    def __init__(self, vectors: np.ndarray, answered_by: list[frozenset[str]]) -> None:
        self.vectors = vectors
        self.answered_by = answered_by

    @classmethod
    def learned_from(cls, answered: Sequence[tuple[str, frozenset[str]]], encoder: QueryEncoder,
                     cache_folder: Path | None) -> Memory:
        """From (question, what answered it) pairs; questions nothing known answered are left out."""
        kept = [(text, ids) for text, ids in answered if ids]
        return cls(cached_query_vectors(encoder, [text for text, _ in kept], cache_folder), [ids for _, ids in kept])

    def scores(self, vector: np.ndarray, ids: Sequence[str], min_cosine: float, neighbours: int,
               leave_out: int | None = None) -> np.ndarray:
        """Per id: how close the nearest labelled question it answered comes to this one, 0 for none.
        `leave_out`: the row of this very question (`schakel fit` must not let a question vouch for itself)."""
        scores = np.zeros(len(ids))
        if not self.answered_by:
            return scores
        similarity = self.vectors @ vector
        near = [row for row in np.argsort(-similarity) if similarity[row] > min_cosine and row != leave_out]
        position = {answer_id: column for column, answer_id in enumerate(ids)}
        for row in near[:neighbours]:
            strength = (float(similarity[row]) - min_cosine) / (1.0 - min_cosine)
            for answer_id in self.answered_by[row]:
                if answer_id in position:
                    column = position[answer_id]
                    scores[column] = max(scores[column], strength)
        return scores


def passage_memory(questions: Sequence[LabelledQuestion], chunks: Iterable[Chunk], encoder: QueryEncoder,
                   cache_folder: Path | None) -> Memory:
    locator = SupportLocator(chunks)
    return Memory.learned_from([(question.text, locator.chunk_ids(question.doc, question.support))
                                for question in questions], encoder, cache_folder)

