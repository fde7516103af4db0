"""Hybrid retrieval over the index: BM25 on Dutch-stemmed text, dense embeddings as support.

Plain reciprocal-rank fusion lets a weak dense neighbour outrank a strong lexical hit,
so the default fusion is a weighted sum of max-normalised scores in which BM25
dominates and the dense score breaks ties or rescues a query with no lexical hit.
The weight was chosen with `schakel eval` (see README, "Kwaliteit meten").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from bot.core.models import AskerContext
from indexer.models import Chunk

Fusion = Literal["weighted", "rrf", "bm25", "dense"]
DEFAULT_DENSE_WEIGHT = 0.3
RRF_K = 60
CANDIDATES = 50  # per retriever, before fusion and visibility filtering


class SearchIndex(Protocol):
    chunks: dict[str, Chunk]

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
    ) -> None:
        self.index = index
        self.encoder = encoder
        self.fusion = fusion
        self.dense_weight = dense_weight

    def search(self, query: str, asker: AskerContext, k: int = 5, lexical_query: str | None = None) -> list[Hit]:
        """Best `k` passages visible to the asker. `lexical_query` lets callers add expansions for BM25 only."""
        lexical = (
            self.index.bm25_search(lexical_query or query, CANDIDATES) if self.fusion != "dense" else []
        )
        dense = (
            self.index.dense_search(self.encoder.encode_query(query), CANDIDATES) if self.fusion != "bm25" else []
        )
        bm25_scores = dict(lexical)
        dense_scores = dict(dense)
        fused = self._fuse(lexical, dense)
        hits = []
        for chunk_id, score in sorted(fused.items(), key=lambda item: item[1], reverse=True):
            chunk = self.index.chunks.get(chunk_id)
            if chunk is None or not visible_to(chunk, asker):
                continue
            hits.append(Hit(chunk, score, bm25_scores.get(chunk_id, 0.0), dense_scores.get(chunk_id, 0.0)))
            if len(hits) == k:
                break
        return hits

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
