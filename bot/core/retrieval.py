"""Hybrid retrieval: Dutch BM25 and multilingual dense similarity, fused with fitted weights.

Candidates are the best `tuning.candidates` chunks of each list, and any chunk that alone uses a word of the
question. Over those candidates each score is min-max normalised and the two are added, the dense one weighted by
`tuning.dense_weight` (chosen by cross-validation, `schakel fit`). A chunk that alone uses a word of the question
(a name, a code word the embedding model has never seen) gets `tuning.unique_term_weight` on top: min-max
normalisation would otherwise hide how decisive such a match is. The dense score uses the question's
vector as moved by the learned query adapter (`adapter.py`) when one was fitted for the model. The lexical score is the
question's BM25 plus its expansion (synonyms, unit names, an English question's Dutch words)
at the fitted discounts. Our case notes summarise the studies, so they weigh less than the
study they cite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from bot.core.adapter import QueryAdapter
from bot.core.models import AskerContext
from bot.core.query import Query
from bot.core.tuning import Tuning
from indexer.models import Chunk


class SearchIndex(Protocol):
    chunks: dict[str, Chunk]
    document_frequency: dict[str, int]

    @property
    def ids(self) -> list[str]: ...

    @property
    def analyzer(self) -> Any: ...

    def bm25_scores(self, query: str) -> np.ndarray: ...

    def unique_matches(self, query: str) -> np.ndarray: ...

    def dense_scores(self, query_embedding: np.ndarray) -> np.ndarray: ...

    def vectors_for(self, chunk_ids: Sequence[str]) -> np.ndarray: ...

    def sentence_vectors(self, chunk_id: str) -> np.ndarray: ...


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # fused, in [0, 1 + dense_weight + unique_term_weight]
    lexical: float  # raw BM25 with expansion
    dense: float  # cosine similarity to the question as the query adapter moved it
    plain: float  # cosine similarity to the question as asked


@dataclass(frozen=True)
class Candidates:
    """The raw scores of the candidate chunks: what fusion and the fit start from."""

    chunks: list[Chunk]
    lexical: np.ndarray
    dense: np.ndarray  # cosines to the question as the query adapter moved it
    plain: np.ndarray  # cosines to the question as asked: the same as `dense` without an adapter
    is_note: np.ndarray
    unique: np.ndarray  # holds a word of the question that no other chunk uses


def visible_to(chunk: Chunk, asker: AskerContext) -> bool:
    """Restricted passages only in private conversations and in the channels their note lists."""
    if chunk.visibility == "public" or asker.private:
        return True
    return asker.channel_id is not None and asker.channel_id in chunk.channels


def _min_max(values: np.ndarray) -> np.ndarray:
    if not len(values):
        return values
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.ones_like(values) * float(high > 0)


class Retriever:
    def __init__(self, index: SearchIndex, tuning: Tuning, notes_folder: str | None = None,
                 adapter: QueryAdapter | None = None) -> None:
        self.index = index
        self.tuning = tuning
        self.notes_folder = notes_folder
        self.adapter = adapter

    def search(self, query: Query, asker: AskerContext, k: int) -> list[Hit]:
        return fuse(self.candidates(query, asker), self.tuning)[:k]

    def candidates(self, query: Query, asker: AskerContext) -> Candidates:
        lexical = self.lexical_scores(query)
        plain = self.index.dense_scores(query.vector)
        dense = self.index.dense_scores(self.adapter.apply(query.vector)) if self.adapter else plain
        unique = self.index.unique_matches(query.text)
        depth = self.tuning.candidates
        rows = dict.fromkeys([*np.argsort(-lexical)[:depth].tolist(), *np.argsort(-dense)[:depth].tolist(),
                              *np.flatnonzero(unique).tolist()])
        ids = self.index.ids
        chosen = [row for row in rows if visible_to(self.index.chunks[ids[row]], asker)]
        chunks = [self.index.chunks[ids[row]] for row in chosen]
        notes = np.array([self._is_note(chunk) for chunk in chunks], dtype=bool)
        return Candidates(chunks, lexical[chosen], dense[chosen], plain[chosen], notes, unique[chosen])

    def lexical_scores(self, query: Query) -> np.ndarray:
        scores = self.index.bm25_scores(query.text).astype(np.float64)
        substitute_weight = (self.tuning.english_substitute_weight if query.language == "en"
                             else self.tuning.substitute_weight)
        for text, weight in ((query.expansion.related, self.tuning.expansion_weight),
                             (query.expansion.substitutes, substitute_weight)):
            if text and weight > 0:
                scores += weight * self.index.bm25_scores(text)
        return scores

    def _is_note(self, chunk: Chunk) -> bool:
        return bool(self.notes_folder) and chunk.source_path.startswith(self.notes_folder)  # type: ignore[arg-type]


def fuse(candidates: Candidates, tuning: Tuning) -> list[Hit]:
    """The candidates best first by the weighted sum of their normalised scores."""
    if not candidates.chunks:
        return []
    lexical = _min_max(candidates.lexical) if candidates.lexical.max() > 0 else np.zeros(len(candidates.chunks))
    fused = lexical + tuning.dense_weight * _min_max(candidates.dense)
    fused = np.where(candidates.is_note, fused * tuning.note_weight, fused)
    fused = fused + tuning.unique_term_weight * candidates.unique
    order = np.argsort(-fused, kind="stable")
    return [Hit(candidates.chunks[i], float(fused[i]), float(candidates.lexical[i]), float(candidates.dense[i]),
                float(candidates.plain[i])) for i in order]
