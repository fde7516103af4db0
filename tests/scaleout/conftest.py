"""Scale-out fixtures: the shared SQL databases (SQLite and PostgreSQL) and a real Chroma server."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from tests.scaleout.serving import free_port
from tests.support.databases import database_url, postgres_url  # noqa: F401 - fixtures for this folder

CHROMA = Path(sys.executable).with_name("chroma")  # the CLI that comes with the chromadb package
CHROMA_STARTUP_WAIT = 60.0


@dataclass(frozen=True)
class ChromaServer:
    host: str
    port: int

    @property
    def env(self) -> dict[str, str]:
        return {"CHROMA_HOST": self.host, "CHROMA_PORT": str(self.port)}


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """`chroma run` on loopback with its own storage, up (heartbeat answers) for the whole session."""
    folder = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (folder / "chroma.log").open("w", encoding="utf-8")
    process = subprocess.Popen([str(CHROMA), "run", "--host", "127.0.0.1", "--port", str(port),
                                "--path", str(folder / "data")], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + CHROMA_STARTUP_WAIT
        while True:
            if process.poll() is not None:
                pytest.fail(f"chroma run exited with {process.returncode}; see {folder / 'chroma.log'}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:  # refused while starting
                if time.monotonic() > deadline:
                    pytest.fail("chroma run did not answer its heartbeat")
                time.sleep(0.2)
        yield ChromaServer("127.0.0.1", port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
