"""Index and ask through a Chroma server, as replicas on several machines do.

`schakel index` and `schakel ask` run as separate processes with their own data folders (their own
local BM25 cache) and CHROMA_HOST pointing at one `chroma run`. The second replica learns of a
re-index from the server alone: the collection's revision changes, so its cache is rebuilt.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import CORPUS, REPO_ROOT
from tests.scaleout.conftest import ChromaServer
from tests.scaleout.serving import SCHAKEL

CIO_QUESTION = "Welke directie houdt toezicht op projecten met een grote IT-, data- of cybercomponent?"
# A fictitious note added later, by the indexing replica only.
LATE_NOTE = """# Oefening Zeemeeuw

De fictieve Pinguïnbrigade oefent tijdens oefening Zeemeeuw de havenlogistiek met de zeehavenpolitie.
De Pinguïnbrigade levert daarbij de kraanmachinisten en de planning van de ligplaatsen.
"""
LATE_QUESTION = "Wat levert de Pinguïnbrigade tijdens oefening Zeemeeuw?"


def schakel(chroma: ChromaServer, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CHROMA_", "DATA_DIR", "LLM_"))}
    env.update(chroma.env)
    env.update({"DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO_ROOT)})
    data_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([str(SCHAKEL), *args], env=env, cwd=data_dir.parent, text=True, capture_output=True,
                            timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def ask(chroma: ChromaServer, data_dir: Path, question: str) -> dict[str, Any]:
    output = schakel(chroma, data_dir, "ask", "--json", question).stdout
    return json.loads(output.strip().splitlines()[-1])


def cited_documents(answer: dict[str, Any]) -> list[str]:
    return [str(source.get("doc") or source.get("title") or "") for source in answer.get("sources", [])]


def test_index_and_ask_through_a_chroma_server(chroma_server: ChromaServer, tmp_path: Path) -> None:
    indexer, replica = tmp_path / "indexer" / "data", tmp_path / "replica" / "data"
    report = json.loads(schakel(chroma_server, indexer, "index", "--json", str(CORPUS)).stdout.strip().splitlines()[-1])
    shipped_notes = len(list((REPO_ROOT / "knowledge").rglob("*.md")))  # indexed with any given path
    assert report["files_indexed"] == 5 + shipped_notes and report["files_failed"] == 0
    assert not (indexer / "chroma").exists()  # the chunks live on the server, not in the data folder

    answer = ask(chroma_server, replica, CIO_QUESTION)
    assert "Chief Information Office" in json.dumps(answer, ensure_ascii=False)
    assert any(doc.startswith("003") for doc in cited_documents(answer)), cited_documents(answer)

    # A re-index on another machine: the replica's cache is stale by the server's fingerprint.
    notes = tmp_path / "late"
    notes.mkdir()
    (notes / "oefening-zeemeeuw.md").write_text(LATE_NOTE, encoding="utf-8")
    schakel(chroma_server, indexer, "index", "--json", str(notes))
    late = ask(chroma_server, replica, LATE_QUESTION)
    assert "oefening-zeemeeuw.md" in cited_documents(late), late
    assert "kraanmachinisten" in json.dumps(late, ensure_ascii=False)
