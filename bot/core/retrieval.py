"""Hybrid retrieval over the index: BM25 on Dutch-stemmed text, dense embeddings as support.

Plain reciprocal-rank fusion lets a weak dense neighbour outrank a strong lexical hit,
so the default fusion is a weighted sum of max-normalised scores in which BM25
dominates and the dense score breaks ties or rescues a query with no lexical hit.
The weight was chosen with `schakel eval` (see README, "Kwaliteit meten").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np

from bot.core.expansion import Expansion
from bot.core.models import AskerContext, Language
from indexer.models import Chunk

Fusion = Literal["weighted", "rrf", "bm25", "dense"]
DEFAULT_DENSE_WEIGHT = 0.1
DEFAULT_EXPANSION_WEIGHT = 0.2
# A Dutch word the sources never use is often the question's crux ("afgeraden"), and its synonyms are its
# only way in, so they weigh double. In an English question nearly every word is substituted: the
# substitutes are the question itself and get no boost. Both chosen with `schakel eval` (README).
DEFAULT_SUBSTITUTE_WEIGHT = 2.0
ENGLISH_SUBSTITUTE_WEIGHT = 1.0
# Our own case notes summarise the studies; when both match, cite the study itself.
DEFAULT_NOTE_WEIGHT = 0.6
RRF_K = 60
CANDIDATES = 50  # per retriever, before fusion and visibility filtering


class SearchIndex(Protocol):
    chunks: dict[str, Chunk]
    document_frequency: dict[str, int]

    @property
    def analyzer(self) -> Any: ...

    def bm25_search(self, query: str, k: int) -> list[tuple[str, float]]: ...

    def dense_search(self, query_embedding: np.ndarray, k: int) -> list[tuple[str, float]]: ...


class QueryEncoder(Protocol):
    def encode_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    bm25: float  # raw BM25 score (0 when not a lexical candidate)
    dense: float  # cosine similarity (0 when not a dense candidate)


def visible_to(chunk: Chunk, asker: AskerContext) -> bool:
    """Restricted passages only in private conversations and in the channels their note lists."""
    if chunk.visibility == "public" or asker.private:
        return True
    return asker.channel_id is not None and asker.channel_id in chunk.channels


class Retriever:
    def __init__(
        self,
        index: SearchIndex,
        encoder: QueryEncoder,
        fusion: Fusion = "weighted",
        dense_weight: float = DEFAULT_DENSE_WEIGHT,
        expansion_weight: float = DEFAULT_EXPANSION_WEIGHT,
        substitute_weight: float = DEFAULT_SUBSTITUTE_WEIGHT,
        english_substitute_weight: float = ENGLISH_SUBSTITUTE_WEIGHT,
        notes_folder: str | None = None,
        note_weight: float = DEFAULT_NOTE_WEIGHT,
    ) -> None:
        self.index = index
        self.encoder = encoder
        self.fusion = fusion
        self.dense_weight = dense_weight
        self.expansion_weight = expansion_weight
        self.substitute_weight = substitute_weight
        self.english_substitute_weight = english_substitute_weight
        self.notes_folder = notes_folder
        self.note_weight = note_weight

    def search(
        self, query: str, asker: AskerContext, k: int = 5, expansion: Expansion | None = None, language: Language = "nl"
    ) -> list[Hit]:
        """Best `k` passages visible to the asker. `expansion` (synonyms, unit names) counts for BM25 at a discount."""
        lexical = self._lexical(query, expansion, language) if self.fusion != "dense" else []
        dense = (
            self.index.dense_search(self.encoder.encode_query(query), CANDIDATES) if self.fusion != "bm25" else []
        )
        bm25_scores = dict(lexical)
        dense_scores = dict(dense)
        candidates = []
        for chunk_id, score in self._fuse(lexical, dense).items():
            chunk = self.index.chunks.get(chunk_id)
            if chunk is None or not visible_to(chunk, asker):
                continue
            if self.notes_folder and chunk.source_path.startswith(self.notes_folder):
                score *= self.note_weight
            candidates.append(Hit(chunk, score, bm25_scores.get(chunk_id, 0.0), dense_scores.get(chunk_id, 0.0)))
        candidates.sort(key=lambda hit: hit.score, reverse=True)
        return candidates[:k]

    def _lexical(self, query: str, expansion: Expansion | None, language: Language) -> list[tuple[str, float]]:
        scores = dict(self.index.bm25_search(query, CANDIDATES))
        substitute_weight = self.english_substitute_weight if language == "en" else self.substitute_weight
        weighted = (
            [(expansion.related, self.expansion_weight), (expansion.substitutes, substitute_weight)]
            if expansion
            else []
        )
        for text, weight in weighted:
            if not text or weight <= 0:
                continue
            for chunk_id, score in self.index.bm25_search(text, CANDIDATES):
                scores[chunk_id] = scores.get(chunk_id, 0.0) + weight * score
        return sorted(scores.items(), key=lambda item: item[1], reverse=True)

    def _fuse(self, lexical: list[tuple[str, float]], dense: list[tuple[str, float]]) -> dict[str, float]:
        if self.fusion == "rrf":
            fused: dict[str, float] = {}
            for ranking in (lexical, dense):
                for rank, (chunk_id, _) in enumerate(ranking):
                    fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            return fused
        if self.fusion == "bm25":
            return dict(lexical)
        if self.fusion == "dense":
            return dict(dense)
        top_lexical = max((score for _, score in lexical), default=0.0)
        top_dense = max((score for _, score in dense), default=0.0)
        lexical_weight = 1.0 - self.dense_weight if top_lexical > 0 else 0.0
        fused = {}
        for chunk_id, score in lexical:
            fused[chunk_id] = lexical_weight * score / top_lexical
        for chunk_id, score in dense:
            normalised = max(score, 0.0) / top_dense if top_dense > 0 else 0.0
            weight = self.dense_weight if lexical_weight else 1.0
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight * normalised
        return fused
