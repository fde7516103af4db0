"""The query adapter: learned from labelled questions, it brings new questions closer to the passages that answer
them, and it is only ever applied to the vectors of the model it was fitted for."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.core.adapter import fit_adapter, load_adapter, save_adapter

DIMENSION = 24
PASSAGES = 30


def _world(questions: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Passages, and questions whose wording points somewhere else than their answer: each question is its answering
    passage seen through a fixed distortion (the same for every question, as a model's blind spot would be)."""
    generator = np.random.default_rng(7)
    passages = generator.normal(size=(PASSAGES, DIMENSION))
    passages /= np.linalg.norm(passages, axis=1, keepdims=True)
    distortion = np.linalg.qr(generator.normal(size=(DIMENSION, DIMENSION)))[0] * 0.8 + np.eye(DIMENSION) * 0.2
    asked = np.random.default_rng(seed).integers(0, PASSAGES, size=questions)
    noise = np.random.default_rng(seed + 1).normal(scale=0.05, size=(questions, DIMENSION))
    vectors = passages[asked] @ distortion + noise
    answering = np.zeros((questions, PASSAGES), dtype=bool)
    answering[np.arange(questions), asked] = True
    return passages, vectors.astype(np.float32), answering


def _first_right(passages: np.ndarray, vectors: np.ndarray, answering: np.ndarray) -> float:
    best = np.argmax(vectors @ passages.T, axis=1)
    return float(answering[np.arange(len(best)), best].mean())


def test_questions_it_never_saw_find_their_passage_more_often() -> None:
    passages, learning, learning_answers = _world(200, seed=1)
    _, new, new_answers = _world(60, seed=2)
    adapter = fit_adapter(learning, passages, learning_answers, "e5")
    moved = np.stack([adapter.apply(vector) for vector in new])
    before, after = _first_right(passages, new, new_answers), _first_right(passages, moved, new_answers)
    assert after > before + 0.3, (before, after)


def test_questions_without_an_answering_passage_teach_it_nothing() -> None:
    passages, vectors, _ = _world(20, seed=3)
    adapter = fit_adapter(vectors, passages, np.zeros((20, PASSAGES), dtype=bool), "e5")
    assert not adapter.weights.any()
    assert np.allclose(adapter.apply(vectors[0]), vectors[0] / np.linalg.norm(vectors[0]))


def test_an_adapter_is_used_only_with_the_model_it_was_fitted_for(tmp_path: Path) -> None:
    passages, vectors, answering = _world(100, seed=4)
    path = tmp_path / "adapter.npz"
    save_adapter(fit_adapter(vectors, passages, answering, "intfloat/multilingual-e5-small"), path)
    loaded = load_adapter("intfloat/multilingual-e5-small", path)
    assert loaded is not None
    assert _first_right(passages, np.stack([loaded.apply(v) for v in vectors]), answering) > _first_right(
        passages, vectors, answering)
    assert load_adapter("sentence-transformers/all-MiniLM-L6-v2", path) is None
    assert load_adapter("intfloat/multilingual-e5-small", tmp_path / "missing.npz") is None
