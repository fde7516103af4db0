"""Indexer fixtures: the packaged English MiniLM through sentence-transformers, so that backend stays real
(the default e5 model is exercised by every engine test); fresh data folders per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import MINILM_MODEL, SHIPPED_KNOWLEDGE, Settings
from indexer.embedding import Embedder, make_embedder
from tests.conftest import CORPUS, make_settings


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return make_embedder(make_settings(Path("unused"), embedding_model=MINILM_MODEL))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Nothing configured to index: each test names the paths, as `schakel index PATH` does.
    return make_settings(tmp_path / "data", index_paths=[], knowledge_dir=SHIPPED_KNOWLEDGE,
                         embedding_model=MINILM_MODEL)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def corpus_lines(prefix: str) -> list[str]:
    """The lines of a corpus study, read at test time (the repository holds none of its text)."""
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").split("\n")


def copy_study(prefix: str, folder: Path, lines: int | None = None) -> Path:
    """Copy a study (or its first `lines` lines: line numbers stay those of the original) into `folder`."""
    source = next(CORPUS.glob(f"{prefix}_*.txt"))
    target = folder / source.name
    text = source.read_text(encoding="utf-8")
    target.write_text(text if lines is None else "\n".join(text.split("\n")[:lines]), encoding="utf-8")
    return target
