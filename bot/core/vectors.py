"""Vectors of fixed texts (router examples, unit entries), embedded once per model and kept on disk.

They change only when the texts or the model change, so a restart reads them instead of spending
seconds re-embedding them.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class QueryEncoder(Protocol):
    model_name: str

    def encode_query(self, text: str) -> np.ndarray: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def cached_vectors(
    model_name: str, side: str, texts: Sequence[str], encode: Callable[[list[str]], np.ndarray], folder: Path | None
) -> np.ndarray:
    """`encode(texts)`, read from `folder` when these texts were embedded by this model before."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    key = hashlib.sha256(json.dumps([model_name, side, *texts]).encode("utf-8")).hexdigest()[:20]
    path = folder / f"vectors-{key}.npy" if folder is not None else None
    if path is not None and path.exists():
        return np.load(path)
    vectors = np.asarray(encode(list(texts)), dtype=np.float32)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp.npy")
        np.save(temporary, vectors)
        os.replace(temporary, path)
    return vectors


def cached_query_vectors(encoder: QueryEncoder, texts: Sequence[str], folder: Path | None) -> np.ndarray:
    """Query-side vectors (router examples are compared with questions, so both are queries)."""
    return cached_vectors(encoder.model_name, "query", texts,
                          lambda part: np.stack([encoder.encode_query(text) for text in part]), folder)


def cached_passage_vectors(encoder: QueryEncoder, texts: Sequence[str], folder: Path | None) -> np.ndarray:
    """Passage-side vectors (a unit's tasks are what a question is matched against)."""
    return cached_vectors(encoder.model_name, "passage", texts, encoder.encode, folder)
