"""Chunk storage: Chroma holds the truth, a derived cache makes queries fast.

Chroma (embedded at `settings.chroma_dir`, or a server when `chroma_host` is
set) stores every chunk with its embedding and metadata. Beside it, in
`settings.bm25_dir`, sits a cache rebuilt from Chroma whenever it is stale: the
BM25 index (bm25s, analysed by `indexer.analysis.Analyzer`), the chunk table in
id order and the embedding matrix. `load()` reads that cache once; queries then
touch only memory (a sparse BM25 lookup and one matrix-vector product).

Staleness: every write bumps a revision in the collection's metadata. The cache
records the revision, the chunk count and the analyzer version it was built
from; if any differs, `load()` rebuilds it.

Versions: Chroma may hold more than one version of a file while an index run
replaces it (or after a run was killed). The cache holds one per file: the
newest complete version, so replacing a file is atomic for readers.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.settings import Settings
from indexer.chroma import ChunkCollection, StoredChunkInfo, StoredRecord
from indexer.analysis import ANALYZER_VERSION, Analyzer
from indexer.compounds import CompoundSplitter
from indexer.models import Chunk

if TYPE_CHECKING:
    import bm25s
    from chromadb.api.models.Collection import Collection

CACHE_FORMAT = 6
STATE_FILE = "state.json"
VOCABULARY_FILE = "vocabulary.json"  # words the compound splitter may split into
FREQUENCY_FILE = "document_frequency.json"  # per analysed term: in how many chunks it occurs


def visible(records: Iterable[StoredRecord]) -> list[StoredRecord]:
    """Per file, the chunks of its newest complete version; a half-written version is never shown."""
    versions: dict[str, dict[str, list[StoredRecord]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        versions[record.info.source_path][record.info.index_key].append(record)
    shown: list[StoredRecord] = []
    for by_key in versions.values():
        complete = [items for items in by_key.values() if len(items) == items[0].info.chunk_count]
        if complete:
            shown.extend(max(complete, key=lambda items: items[0].info.generation))
    return shown


class IndexStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.chunks: dict[str, Chunk] = {}
        self._ids: list[str] = []
        self._bm25: bm25s.BM25 | None = None
        self._analyzer = Analyzer()
        self.document_frequency: dict[str, int] = {}
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._sentence_matrix = np.zeros((0, 0), dtype=np.float16)
        self._sentence_rows: dict[str, tuple[int, int]] = {}
        self.chroma = ChunkCollection(settings)

    # ---- query side -------------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def analyzer(self) -> Analyzer:
        """The analysis the BM25 index was built with, for matching questions against passages."""
        return self._analyzer

    def vectors_for(self, chunk_ids: Sequence[str]) -> np.ndarray:
        """The stored embeddings of these chunks, in order."""
        row = {chunk_id: index for index, chunk_id in enumerate(self._ids)}
        return self._matrix[[row[chunk_id] for chunk_id in chunk_ids]]

    def sentence_vectors(self, chunk_id: str) -> np.ndarray:
        """The vectors of the chunk's quotable sentences, in reading order (empty when unknown)."""
        first, last = self._sentence_rows.get(chunk_id, (0, 0))
        return np.asarray(self._sentence_matrix[first:last], dtype=np.float32)

    def get(self, chunk_id: str) -> Chunk | None:
        return self.chunks.get(chunk_id)

    def load(self) -> None:
        """Load the cache into memory, rebuilding it from Chroma first if it is stale."""
        if not self._cache_is_fresh():
            self.rebuild_cache()
            return
        self._read_cache()

    @property
    def ids(self) -> list[str]:
        """Chunk ids in row order: the order of the score arrays below."""
        return self._ids

    def bm25_scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for the analysed query (zeros when it shares no term with the index)."""
        if self._bm25 is None or not self._ids:
            return np.zeros(len(self._ids), dtype=np.float32)
        token_ids = self._bm25.get_tokens_ids(list(dict.fromkeys(self._analyzer.query(query))))
        if not token_ids:
            return np.zeros(len(self._ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(token_ids), dtype=np.float32)

    def unique_matches(self, query: str) -> np.ndarray:
        """Per chunk: whether it holds a word of the query that no other chunk uses (a name, a code word)."""
        unique = [term for term in dict.fromkeys(self._analyzer.query(query)) if self.document_frequency.get(term) == 1]
        if self._bm25 is None or not unique:
            return np.zeros(len(self._ids), dtype=bool)
        return np.asarray(self._bm25.get_scores_from_ids(self._bm25.get_tokens_ids(unique))) > 0

    def dense_scores(self, query_embedding: np.ndarray) -> np.ndarray:
        """Cosine similarity of every chunk to the query vector (normalised here)."""
        query = np.asarray(query_embedding, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(query))
        if not self._ids or norm == 0.0:
            return np.zeros(len(self._ids), dtype=np.float32)
        return self._matrix @ (query / norm)

    def bm25_search(self, query: str, k: int) -> list[tuple[str, float]]:
        """The `k` best chunks by BM25 alone, with their scores (none that share no term)."""
        return self._top(self.bm25_scores(query), k, positive_only=True)

    def dense_search(self, query_embedding: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The `k` nearest chunks by cosine alone."""
        return self._top(self.dense_scores(query_embedding), k, positive_only=False)

    def _top(self, scores: np.ndarray, k: int, *, positive_only: bool) -> list[tuple[str, float]]:
        k = min(k, len(scores))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in top if not positive_only or scores[i] > 0]

    # ---- writes, through Chroma ---------------------------------------------

    def collection(self, *, create: bool = True) -> Collection | None:
        return self.chroma.collection(create=create)

    def stored_model(self) -> str | None:
        return self.chroma.stored_model()

    def reset(self) -> None:
        """Drop every chunk (e.g. when the embedding model changed)."""
        (self.settings.bm25_dir / STATE_FILE).unlink(missing_ok=True)  # first: the cache must not outlive Chroma
        self.chroma.drop()

    def cached_stored_chunks(self) -> list[StoredChunkInfo] | None:
        """The stored chunks as of the last cache build, without touching Chroma (None if unknown).

        Only for an embedded Chroma that this process family alone writes to: every
        write path ends with a cache rebuild, and `reset` removes the cache first.
        """
        state = self._state()
        if (
            self.settings.chroma_host
            or state is None
            or state.get("format") != CACHE_FORMAT
            or state.get("embedding_model") != self.settings.embedding_model
            or not self.settings.chroma_dir.is_dir()
        ):
            return None
        return [StoredChunkInfo(*row) for row in state["stored"]]

    def stored_chunks(self) -> list[StoredChunkInfo]:
        """Every stored chunk's file and version: from the cache when fresh, else read from Chroma."""
        state = self._state()
        if state is not None and self._cache_is_fresh(state):
            return [StoredChunkInfo(*row) for row in state["stored"]]
        return self.chroma.stored_infos()

    def upsert(
        self, chunks: Sequence[Chunk], index_keys: Sequence[str], embeddings: np.ndarray,
        sentence_vectors: Sequence[np.ndarray], *, generation: int = 0,
    ) -> None:
        self.chroma.upsert(chunks, index_keys, embeddings, sentence_vectors, generation)

    def delete(self, ids: Sequence[str]) -> None:
        self.chroma.delete(ids)

    # ---- cache ------------------------------------------------------------

    def cache_is_fresh(self) -> bool:
        return self._cache_is_fresh()

    def _state(self) -> dict[str, Any] | None:
        try:
            return json.loads((self.settings.bm25_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _cache_is_fresh(self, state: dict[str, Any] | None = None) -> bool:
        state = state or self._state()
        return (
            state is not None
            and state.get("format") == CACHE_FORMAT
            and state.get("analyzer_version") == ANALYZER_VERSION
            and state.get("fingerprint") == self.chroma.fingerprint()
            and (self.settings.bm25_dir / str(state.get("generation"))).is_dir()
        )

    def rebuild_cache(self) -> None:
        """Read every chunk from Chroma, rebuild BM25 and the matrix, and save them atomically."""
        import bm25s

        fingerprint = self.chroma.fingerprint()
        all_records = list(self.chroma.records())
        stored = [record.info for record in all_records]  # every version: the pipeline removes the others
        records = sorted(visible(all_records), key=lambda record: (record.info.source_path, record.chunk.ordinal))
        chunks = [record.chunk for record in records]
        matrix = np.stack([record.embedding for record in records]) if records else np.zeros((0, 0), np.float32)
        counts = [len(record.sentence_vectors) for record in records]
        sentence_matrix = (np.concatenate([record.sentence_vectors for record in records]) if records
                           else np.zeros((0, 0), dtype=np.float16))

        generation = f"gen-{uuid.uuid4().hex[:12]}"
        target = self.settings.bm25_dir / generation
        target.mkdir(parents=True, exist_ok=True)
        bm25 = None
        analyzer = Analyzer.from_texts(chunk.text for chunk in chunks)
        tokens = [analyzer.document(chunk.text) for chunk in chunks]
        frequency: Counter[str] = Counter()
        for chunk_tokens in tokens:
            frequency.update(set(chunk_tokens))
        if chunks:
            bm25 = bm25s.BM25()
            bm25.index(tokens, show_progress=False)
            bm25.save(str(target / "bm25"), show_progress=False)
        (target / VOCABULARY_FILE).write_text(json.dumps(analyzer.vocabulary(), ensure_ascii=False), encoding="utf-8")
        (target / FREQUENCY_FILE).write_text(json.dumps(frequency, ensure_ascii=False), encoding="utf-8")
        np.save(target / "embeddings.npy", matrix)
        np.save(target / "sentences.npy", sentence_matrix)
        np.save(target / "sentence_counts.npy", np.asarray(counts, dtype=np.int64))
        (target / "chunks.json").write_text(
            json.dumps([chunk.model_dump() for chunk in chunks], ensure_ascii=False), encoding="utf-8"
        )
        state = {
            "format": CACHE_FORMAT,
            "analyzer_version": ANALYZER_VERSION,
            "fingerprint": fingerprint,
            "generation": generation,
            "stored": [astuple(info) for info in stored],
            "embedding_model": self.settings.embedding_model,
        }
        temporary = self.settings.bm25_dir / f"{STATE_FILE}.{uuid.uuid4().hex[:8]}"
        temporary.write_text(json.dumps(state), encoding="utf-8")
        os.replace(temporary, self.settings.bm25_dir / STATE_FILE)
        self._remove_old_generations(keep=generation)
        self._install(chunks, matrix, bm25, analyzer, dict(frequency), sentence_matrix, counts)

    def _read_cache(self) -> None:
        import bm25s

        state = self._state()
        assert state is not None
        folder = self.settings.bm25_dir / str(state["generation"])
        rows = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
        chunks = [Chunk.model_validate(row) for row in rows]
        matrix = np.load(folder / "embeddings.npy")
        bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False) if chunks else None
        vocabulary = json.loads((folder / VOCABULARY_FILE).read_text(encoding="utf-8"))
        frequency = json.loads((folder / FREQUENCY_FILE).read_text(encoding="utf-8"))
        # Mapped, not read: an answer touches the sentences of a few passages only.
        sentence_matrix = np.load(folder / "sentences.npy", mmap_mode="r")
        counts = np.load(folder / "sentence_counts.npy").tolist()
        self._install(chunks, matrix, bm25, Analyzer(CompoundSplitter(vocabulary)), frequency, sentence_matrix, counts)

    def _install(
        self,
        chunks: list[Chunk],
        matrix: np.ndarray,
        bm25: bm25s.BM25 | None,
        analyzer: Analyzer,
        frequency: dict[str, int],
        sentence_matrix: np.ndarray,
        sentence_counts: Sequence[int],
    ) -> None:
        self._analyzer = analyzer
        self.document_frequency = frequency
        self.chunks = {chunk.id: chunk for chunk in chunks}
        self._ids = [chunk.id for chunk in chunks]
        self._matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self._bm25 = bm25
        self._sentence_matrix = sentence_matrix
        ends = np.cumsum(sentence_counts).tolist()
        self._sentence_rows = {chunk.id: (end - count, end) for chunk, end, count in zip(chunks, ends, sentence_counts)}

    def _remove_old_generations(self, keep: str) -> None:
        for folder in Path(self.settings.bm25_dir).glob("gen-*"):
            if folder.name != keep:
                shutil.rmtree(folder, ignore_errors=True)
