"""A learned map on the question's embedding, for retrieval's dense scores (`schakel fit` fits it).

The embedding model places a question near the passages that share its wording, which is not always the
passage that answers it. From the labelled questions and the passages that answer them, a residual linear map
moves the question's vector towards where answering passages lie: q' = normalise(q + q·W). W is fitted by
gradient descent on a softmax over every indexed passage (the answering ones are the target) and kept small by
an L2 penalty, so a question unlike any labelled one moves little. It is applied to retrieval only, and only
with the model it was fitted for: another model's vectors live in another space.

Its constants were chosen by cross-validation over the labelled sets (README, "How the constants were chosen").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

ADAPTER_FILE = Path(__file__).with_name("query_adapter.npz")
PENALTY = 0.01  # L2 on W
TEMPERATURE = 0.05  # of the softmax over passages: e5 cosines lie close together
STEPS = 300
LEARNING_RATE = 1e-3


@dataclass(frozen=True)
class QueryAdapter:
    model_name: str
    weights: np.ndarray  # (dimension, dimension): the residual W

    def apply(self, vector: np.ndarray) -> np.ndarray:
        vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        moved = vector + vector @ self.weights
        norm = float(np.linalg.norm(moved))
        return moved / norm if norm > 0 else vector


def fit_adapter(questions: np.ndarray, passages: np.ndarray, answering: np.ndarray, model_name: str) -> QueryAdapter:
    """W from question vectors (n, d), passage vectors (p, d) and which passages answer each question (n, p).

    Adam on the mean cross-entropy of the answering passages under the softmax over all passages."""
    questions = _normalised(np.asarray(questions, dtype=np.float32))
    passages = np.asarray(passages, dtype=np.float32)
    answering = np.asarray(answering, dtype=bool)
    keep = answering.any(axis=1)
    questions, answering = questions[keep], answering[keep]
    dimension = passages.shape[1]
    weights = np.zeros((dimension, dimension), dtype=np.float32)
    if not len(questions):
        return QueryAdapter(model_name, weights)
    first, second = np.zeros_like(weights), np.zeros_like(weights)
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    for step in range(1, STEPS + 1):
        moved = questions + questions @ weights
        norms = np.linalg.norm(moved, axis=1, keepdims=True)
        unit = moved / norms
        logits = unit @ passages.T / TEMPERATURE
        everything = _softmax(logits)
        target = _softmax(np.where(answering, logits, -np.inf))
        towards_unit = (everything - target) @ passages / (TEMPERATURE * len(questions))
        towards_moved = (towards_unit - unit * np.sum(unit * towards_unit, axis=1, keepdims=True)) / norms
        gradient = questions.T @ towards_moved + 2 * PENALTY * weights
        first = beta1 * first + (1 - beta1) * gradient
        second = beta2 * second + (1 - beta2) * gradient**2
        weights -= LEARNING_RATE * (first / (1 - beta1**step)) / (np.sqrt(second / (1 - beta2**step)) + epsilon)
    return QueryAdapter(model_name, weights)


def save_adapter(adapter: QueryAdapter, path: Path = ADAPTER_FILE) -> None:
    with path.open("wb") as handle:
        np.savez_compressed(handle, weights=adapter.weights.astype(np.float16), model_name=np.array(adapter.model_name))


def load_adapter(model_name: str, path: Path = ADAPTER_FILE) -> QueryAdapter | None:
    """The shipped adapter when it was fitted for this model; None (plain question vectors) otherwise."""
    if not path.exists():
        return None
    with np.load(path) as stored:
        fitted_for = str(stored["model_name"])
        if fitted_for != model_name:
            log.warning("query adapter skipped", extra={"fields": {"fitted_for": fitted_for, "model": model_name}})
            return None
        return QueryAdapter(fitted_for, np.asarray(stored["weights"], dtype=np.float32))


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
