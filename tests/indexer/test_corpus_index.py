"""The session's index of the five studies (built once in tests/conftest.py): locations and artefacts."""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.loader import load_documents
from bot.settings import Settings
from indexer.chunking import split_sentences
from indexer.models import Chunk
from indexer.store import IndexStore


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _study_chunks(settings: Settings) -> tuple[IndexStore, list[Chunk]]:
    store = IndexStore(settings)
    store.load()
    return store, [chunk for chunk in store.chunks.values() if re.match(r"\d{3}_", chunk.doc)]


def test_every_chunk_cites_the_lines_that_hold_its_first_and_last_sentence(indexed_settings: Settings) -> None:
    _, chunks = _study_chunks(indexed_settings)
    assert {chunk.doc[:3] for chunk in chunks} == {"000", "001", "002", "003", "004"}
    files: dict[str, list[str]] = {}
    for chunk in chunks:
        lines = files.setdefault(chunk.source_path, Path(chunk.source_path).read_text(encoding="utf-8").split("\n"))
        window = _letters("".join(lines[chunk.line_start - 1 : chunk.line_end]))  # type: ignore[operator]
        first, last = chunk.text.split("\n")[0], chunk.text.split("\n")[-1]
        assert _letters(first[slice(*split_sentences(first)[0])])[:40] in window, chunk.id
        assert _letters(last[slice(*split_sentences(last)[-1])])[-40:] in window, chunk.id


def test_study_chunks_carry_the_bibliographic_facts(indexed_settings: Settings) -> None:
    _, chunks = _study_chunks(indexed_settings)
    studies = load_documents(indexed_settings.knowledge_dir)
    for chunk in chunks:
        info = studies[chunk.doc[:3]]
        assert (chunk.title, chunk.author, chunk.year) == (info.title, info.author, info.year)


def test_running_heads_and_layout_leftovers_do_not_reach_the_index(indexed_settings: Settings) -> None:
    _, chunks = _study_chunks(indexed_settings)
    text = "\n".join(chunk.text for chunk in chunks)
    for leftover in ("SPECTATOR", "kopregel", "\u00a0", "\u2003", "f lexibele", "effi ciëntie", "samenwerkingen.9"):
        assert leftover not in text
    for joined in ("onderkennen", "strategisch instrument", "efficiëntie", "publiek-private samenwerking"):
        assert joined in text


def test_both_searches_find_a_study_passage(indexed_settings: Settings) -> None:
    store, _ = _study_chunks(indexed_settings)
    hits = store.bm25_search("twaalf paradoxen publiek-private samenwerking", 5)
    assert hits and any(store.chunks[chunk_id].doc.startswith("004") for chunk_id, _ in hits)
    vector = store._matrix[0]  # a stored chunk's own vector finds that chunk first
    assert store.dense_search(vector, 1)[0][0] == next(iter(store.chunks))
