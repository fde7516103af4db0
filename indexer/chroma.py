"""The Chroma collection that holds the truth: every chunk with its embedding, metadata and sentence vectors.

Embedded at `settings.chroma_dir`, or a `chroma run` server when `chroma_host` is set. Every write bumps
a revision in the collection's metadata, so a cache built from it (indexer.store) knows when it is stale.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.settings import Settings
from indexer.models import Chunk

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

LIST_FIELDS = ("channels", "units")
# Each chunk's record carries the vectors of its quotable sentences (indexer.sentences), float16 in base64:
# they live and die with their chunk, and need no search index of their own.
SENTENCE_VECTORS = "sentence_vectors"
# The index run that wrote a chunk (its start in ns): of a file's complete versions, readers use the newest.
GENERATION = "generation"
BOOKKEEPING = ("index_key", SENTENCE_VECTORS, GENERATION)
READ_PAGE = 5000


@dataclass(frozen=True)
class StoredChunkInfo:
    """What the pipeline needs to know about a stored chunk, without its text."""

    id: str
    source_path: str
    index_key: str
    chunk_count: int
    generation: int = 0  # 0: written before generations were recorded


@dataclass(frozen=True)
class StoredRecord:
    chunk: Chunk
    info: StoredChunkInfo
    embedding: np.ndarray
    sentence_vectors: np.ndarray


def _stored_info(chunk_id: str, metadata: dict[str, Any]) -> StoredChunkInfo:
    return StoredChunkInfo(
        id=chunk_id,
        source_path=str(metadata["source_path"]),
        index_key=str(metadata.get("index_key", "")),
        chunk_count=int(metadata["chunk_count"]),
        generation=int(metadata.get(GENERATION, 0)),
    )


def chunk_metadata(
    chunk: Chunk, index_key: str, sentence_vectors: np.ndarray, generation: int
) -> dict[str, str | int]:
    """Chroma metadata: no None values, lists as JSON strings, the sentence vectors packed."""
    data = chunk.model_dump(exclude={"id", "text"})
    metadata: dict[str, str | int] = {
        "index_key": index_key, SENTENCE_VECTORS: pack_vectors(sentence_vectors), GENERATION: generation,
    }
    for key, value in data.items():
        if value is None:
            continue
        metadata[key] = json.dumps(value) if key in LIST_FIELDS else value
    return metadata


def pack_vectors(vectors: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vectors, dtype="<f2").tobytes()).decode("ascii")


def unpack_vectors(packed: str, dimension: int) -> np.ndarray:
    return np.frombuffer(base64.b64decode(packed), dtype="<f2").reshape(-1, dimension)


def chunk_from_record(chunk_id: str, text: str, metadata: dict[str, Any]) -> Chunk:
    data = {key: value for key, value in metadata.items() if key not in BOOKKEEPING}
    for key in LIST_FIELDS:
        data[key] = json.loads(data.get(key) or "[]")
    return Chunk(id=chunk_id, text=text, **data)


class ChunkCollection:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None

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
        """The model that made the stored vectors: another model's vectors are never mixed in."""
        collection = self.collection(create=False)
        return (collection.metadata or {}).get("embedding_model") if collection is not None else None

    def drop(self) -> None:
        if self.collection(create=False) is not None:
            self.client().delete_collection(self.settings.chroma_collection)
        self._collection = None

    def stored_infos(self) -> list[StoredChunkInfo]:
        collection = self.collection(create=False)
        if collection is None:
            return []
        return [
            _stored_info(chunk_id, metadata)
            for ids, metadatas, _, _ in self._pages(collection, ["metadatas"])
            for chunk_id, metadata in zip(ids, metadatas)
        ]

    def records(self) -> Iterator[StoredRecord]:
        collection = self.collection(create=False)
        if collection is None:
            return
        for ids, metadatas, documents, embeddings in self._pages(collection, ["metadatas", "documents", "embeddings"]):
            for chunk_id, metadata, text, embedding in zip(ids, metadatas, documents, embeddings):
                vector = np.asarray(embedding, dtype=np.float32)
                yield StoredRecord(
                    chunk=chunk_from_record(chunk_id, text, metadata),
                    info=_stored_info(chunk_id, metadata),
                    embedding=vector,
                    sentence_vectors=unpack_vectors(str(metadata.get(SENTENCE_VECTORS, "")), len(vector)),
                )

    def upsert(
        self, chunks: Sequence[Chunk], index_keys: Sequence[str], embeddings: np.ndarray,
        sentence_vectors: Sequence[np.ndarray], generation: int,
    ) -> None:
        collection = self.collection()
        assert collection is not None
        step = self.client().get_max_batch_size()
        for start in range(0, len(chunks), step):
            end = start + step
            collection.upsert(
                ids=[chunk.id for chunk in chunks[start:end]],
                embeddings=embeddings[start:end],
                documents=[chunk.text for chunk in chunks[start:end]],
                metadatas=[chunk_metadata(chunk, key, vectors, generation) for chunk, key, vectors
                           in zip(chunks[start:end], index_keys[start:end], sentence_vectors[start:end])],
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

    def fingerprint(self) -> str | None:
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
