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
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.settings import Settings
from indexer.analysis import ANALYZER_VERSION, Analyzer
from indexer.compounds import CompoundSplitter
from indexer.models import Chunk

if TYPE_CHECKING:
    import bm25s
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

CACHE_FORMAT = 4
STATE_FILE = "state.json"
VOCABULARY_FILE = "vocabulary.json"  # words the compound splitter may split into
FREQUENCY_FILE = "document_frequency.json"  # per analysed term: in how many chunks it occurs
LIST_FIELDS = ("channels", "units")
READ_PAGE = 5000


@dataclass(frozen=True)
class StoredChunkInfo:
    """What the pipeline needs to know about a stored chunk, without its text."""

    id: str
    source_path: str
    index_key: str
    chunk_count: int


def _stored_info(chunk_id: str, metadata: dict[str, Any]) -> StoredChunkInfo:
    return StoredChunkInfo(
        id=chunk_id,
        source_path=str(metadata["source_path"]),
        index_key=str(metadata.get("index_key", "")),
        chunk_count=int(metadata["chunk_count"]),
    )


def chunk_metadata(chunk: Chunk, index_key: str) -> dict[str, str | int]:
    """Chroma metadata: no None values, lists as JSON strings."""
    data = chunk.model_dump(exclude={"id", "text"})
    metadata: dict[str, str | int] = {"index_key": index_key}
    for key, value in data.items():
        if value is None:
            continue
        metadata[key] = json.dumps(value) if key in LIST_FIELDS else value
    return metadata


def chunk_from_record(chunk_id: str, text: str, metadata: dict[str, Any]) -> Chunk:
    data = {key: value for key, value in metadata.items() if key != "index_key"}
    for key in LIST_FIELDS:
        data[key] = json.loads(data.get(key) or "[]")
    return Chunk(id=chunk_id, text=text, **data)


class IndexStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.chunks: dict[str, Chunk] = {}
        self._ids: list[str] = []
        self._bm25: bm25s.BM25 | None = None
        self._analyzer = Analyzer()
        self.document_frequency: dict[str, int] = {}
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None

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

    def get(self, chunk_id: str) -> Chunk | None:
        return self.chunks.get(chunk_id)

    def load(self) -> None:
        """Load the cache into memory, rebuilding it from Chroma first if it is stale."""
        if not self._cache_is_fresh():
            self.rebuild_cache()
            return
        self._read_cache()

    def bm25_search(self, query: str, k: int) -> list[tuple[str, float]]:
        if self._bm25 is None or not self._ids or k <= 0:
            return []
        token_ids = self._bm25.get_tokens_ids(list(dict.fromkeys(self._analyzer.query(query))))
        if not token_ids:
            return []
        return self._top(np.asarray(self._bm25.get_scores_from_ids(token_ids)), k, positive_only=True)

    def dense_search(self, query_embedding: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Cosine similarity (higher is better); the query vector is normalised here."""
        if not self._ids or k <= 0:
            return []
        query = np.asarray(query_embedding, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(query))
        if norm == 0.0:
            return []
        return self._top(self._matrix @ (query / norm), k, positive_only=False)

    def _top(self, scores: np.ndarray, k: int, *, positive_only: bool) -> list[tuple[str, float]]:
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in top if not positive_only or scores[i] > 0]

    # ---- Chroma -----------------------------------------------------------

    def client(self) -> ClientAPI:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if self.settings.chroma_host:
                self._client = chromadb.HttpClient(
                    host=self.settings.chroma_host, port=self.settings.chroma_port, settings=chroma_settings
                )
            else:
                self.settings.chroma_dir.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self.settings.chroma_dir), settings=chroma_settings)
        return self._client

    def collection(self, *, create: bool = True) -> Collection | None:
        if self._collection is None:
            client = self.client()
            name = self.settings.chroma_collection
            if create:
                self._collection = client.get_or_create_collection(
                    name,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata=self._collection_metadata(revision=uuid.uuid4().hex),
                    embedding_function=None,  # we pass embeddings; otherwise Chroma fetches its own model
                )
            else:
                try:
                    self._collection = client.get_collection(name, embedding_function=None)
                except Exception:  # chromadb raises NotFoundError (or ValueError in older clients)
                    return None
        return self._collection

    def _collection_metadata(self, revision: str) -> dict[str, str]:
        return {"embedding_model": self.settings.embedding_model, "revision": revision}

    def stored_model(self) -> str | None:
        collection = self.collection(create=False)
        return (collection.metadata or {}).get("embedding_model") if collection is not None else None

    def reset(self) -> None:
        """Drop every chunk (e.g. when the embedding model changed)."""
        (self.settings.bm25_dir / STATE_FILE).unlink(missing_ok=True)  # first: the cache must not outlive Chroma
        if self.collection(create=False) is not None:
            self.client().delete_collection(self.settings.chroma_collection)
        self._collection = None

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
        collection = self.collection(create=False)
        if collection is None:
            return []
        return [
            _stored_info(chunk_id, metadata)
            for ids, metadatas, _, _ in self._pages(collection, ["metadatas"])
            for chunk_id, metadata in zip(ids, metadatas)
        ]

    def upsert(self, chunks: Sequence[Chunk], index_keys: Sequence[str], embeddings: np.ndarray) -> None:
        collection = self.collection()
        assert collection is not None
        step = self.client().get_max_batch_size()
        for start in range(0, len(chunks), step):
            part = chunks[start : start + step]
            collection.upsert(
                ids=[chunk.id for chunk in part],
                embeddings=embeddings[start : start + step],
                documents=[chunk.text for chunk in part],
                metadatas=[chunk_metadata(chunk, key) for chunk, key in zip(part, index_keys[start : start + step])],
            )
        self._bump_revision()

    def delete(self, ids: Sequence[str]) -> None:
        collection = self.collection(create=False)
        if collection is None or not ids:
            return
        step = self.client().get_max_batch_size()
        for start in range(0, len(ids), step):
            collection.delete(ids=list(ids[start : start + step]))
        self._bump_revision()

    def _bump_revision(self) -> None:
        collection = self.collection()
        assert collection is not None
        collection.modify(metadata=self._collection_metadata(revision=uuid.uuid4().hex))

    def _fingerprint(self) -> str | None:
        collection = self.collection(create=False)
        if collection is None:
            return None
        return f"{(collection.metadata or {}).get('revision')}:{collection.count()}"

    @staticmethod
    def _pages(collection: Collection, include: list[str]) -> Iterator[tuple[list[str], list[Any], list[Any], Any]]:
        offset = 0
        while True:
            result = collection.get(include=include, limit=READ_PAGE, offset=offset)  # type: ignore[arg-type]
            ids = result["ids"]
            if not ids:
                return
            embeddings = result.get("embeddings")
            yield ids, result.get("metadatas") or [], result.get("documents") or [], embeddings
            offset += len(ids)

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
            and state.get("fingerprint") == self._fingerprint()
            and (self.settings.bm25_dir / str(state.get("generation"))).is_dir()
        )

    def rebuild_cache(self) -> None:
        """Read every chunk from Chroma, rebuild BM25 and the matrix, and save them atomically."""
        import bm25s

        fingerprint = self._fingerprint()
        chunks: list[Chunk] = []
        stored: list[StoredChunkInfo] = []
        vectors: list[np.ndarray] = []
        collection = self.collection(create=False)
        if collection is not None:
            for ids, metadatas, documents, embeddings in self._pages(
                collection, ["metadatas", "documents", "embeddings"]
            ):
                chunks.extend(chunk_from_record(*record) for record in zip(ids, documents, metadatas))
                stored.extend(_stored_info(*record) for record in zip(ids, metadatas))
                vectors.append(np.asarray(embeddings, dtype=np.float32))
        matrix = np.concatenate(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].source_path, chunks[i].ordinal))
        chunks = [chunks[i] for i in order]
        if chunks:
            matrix = matrix[order]

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
        self._install(chunks, matrix, bm25, analyzer, dict(frequency))

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
        self._install(chunks, matrix, bm25, Analyzer(CompoundSplitter(vocabulary)), frequency)

    def _install(
        self,
        chunks: list[Chunk],
        matrix: np.ndarray,
        bm25: bm25s.BM25 | None,
        analyzer: Analyzer,
        frequency: dict[str, int],
    ) -> None:
        self._analyzer = analyzer
        self.document_frequency = frequency
        self.chunks = {chunk.id: chunk for chunk in chunks}
        self._ids = [chunk.id for chunk in chunks]
        self._matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self._bm25 = bm25

    def _remove_old_generations(self, keep: str) -> None:
        for folder in Path(self.settings.bm25_dir).glob("gen-*"):
            if folder.name != keep:
                shutil.rmtree(folder, ignore_errors=True)
