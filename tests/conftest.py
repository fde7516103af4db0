"""Shared fixtures: the real corpus, indexed once per test session with the packaged model.

Tests state their own configuration; nothing from the checkout or the shell may add to it. `make run` leaves a
`.env` (and `data/`) in the checkout. The Teams SDK copies the first `.env` above the working directory into
os.environ when it is imported (microsoft_teams.apps calls load_dotenv(find_dotenv(usecwd=True))), and every
`schakel` subprocess inherited `INDEX_PATHS=knowledge,docs,../shared/corpus`, relative to its own folder:
tests/scaleout/test_chroma_server.py then indexed the 5 studies without the 11 case notes. tests/teams/conftest.py
imports the SDK, so this happened in every session that collected tests/teams after `make run`, and never when
the test ran alone; in those sessions the in-process tests also took EMBEDDING_MODEL from that `.env`. So: no
load_dotenv, no inherited settings, and the session runs in a folder of its own, where Settings and
subprocesses find no `.env` either.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ["PYTHON_DOTENV_DISABLED"] = "1"

from bot.settings import SHIPPED_KNOWLEDGE, Settings  # noqa: E402

for _inherited in [name for name in os.environ if name.lower() in Settings.model_fields]:
    del os.environ[_inherited]
REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = (REPO_ROOT / ".." / "shared").resolve()
CORPUS = SHARED / "corpus"
DEV_SET = SHARED / "eval" / "dev.jsonl"


@pytest.fixture(scope="session", autouse=True)
def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The working folder of every test (after collection, which looks for `testpaths` from the checkout)."""
    folder = tmp_path_factory.mktemp("cwd")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        yield folder


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a test: no .env, everything in `data_dir`."""
    values: dict[str, object] = {"data_dir": data_dir, "index_paths": [SHIPPED_KNOWLEDGE, CORPUS]}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def corpus_path() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"corpus not found at {CORPUS}; tests expect ../shared beside the repository")
    return CORPUS


@pytest.fixture(scope="session")
def indexed_settings(tmp_path_factory: pytest.TempPathFactory, corpus_path: Path) -> Settings:
    """Knowledge notes and the five studies, indexed once into a session data folder."""
    from indexer.pipeline import index_paths

    settings = make_settings(tmp_path_factory.mktemp("index"))
    report = index_paths(settings, list(settings.index_paths), progress=False)
    assert report.files_failed == 0, report.failures
    return settings


@pytest.fixture(scope="session")
def engine(indexed_settings: Settings):  # type: ignore[no-untyped-def]
    from bot.core.engine import AnswerEngine

    engine = AnswerEngine.from_settings(indexed_settings)
    engine.warm_up()
    return engine
