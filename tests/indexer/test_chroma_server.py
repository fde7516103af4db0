"""With CHROMA_HOST set the store talks to a real Chroma server (`chroma run`) over HTTP."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from indexer.embedding import Embedder
from indexer.pipeline import index_paths
from indexer.store import IndexStore
from tests.conftest import make_settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    # `make test` runs the venv's python without activating it, so look beside the interpreter first.
    beside = Path(sys.executable).parent / "chroma"
    executable = str(beside) if beside.exists() else shutil.which("chroma")
    if executable is None:
        pytest.fail("the chroma CLI (installed with chromadb) is missing")
    port = _free_port()
    server = subprocess.Popen(
        [executable, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:  # refused while starting (URLError is an OSError)
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("chroma server did not start")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_indexing_and_searching_through_a_chroma_server(
    chroma_server: int, tmp_path: Path, embedder: Embedder
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "brug.md").write_text("# Bruggen\n\nDe fictieve genie-eenheid bouwt bruggen over rivieren.\n", encoding="utf-8")
    settings: Settings = make_settings(tmp_path / "data", index_paths=[], chroma_host="127.0.0.1",
                                       chroma_port=chroma_server)

    first = index_paths(settings, [docs], embedder=embedder)
    again = index_paths(settings, [docs], embedder=embedder)

    assert (first.files_indexed, again.files_skipped, again.embeddings_computed) == (1, 1, 0)
    assert not settings.chroma_dir.exists()  # nothing embedded locally: the server holds the chunks
    store = IndexStore(settings)
    store.load()
    hits = store.bm25_search("bruggen rivieren", 1)
    assert hits and store.chunks[hits[0][0]].doc == "brug.md"
