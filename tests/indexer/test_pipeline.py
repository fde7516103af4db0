"""Indexing runs end to end on real Chroma with the packaged model: metadata, increments, crashes, bad files."""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.knowledge.loader import load_documents
from bot.settings import SHIPPED_KNOWLEDGE, Settings
from indexer import pipeline
from indexer.cli import index_command
from indexer.embedding import Embedder, make_embedder, texts_to_embed
from indexer.models import Chunk
from indexer.pipeline import index_paths
from indexer.store import IndexStore
from tests.indexer.conftest import copy_study
from tests.indexer.test_loaders import HTML, make_docx, make_pdf


def _note(paragraphs: int, topic: str) -> str:
    body = "\n\n".join(
        f"Alinea {number} beschrijft hoe de fictieve eenheid {topic} samenwerkt met partners in regio {number}. "
        f"Daarbij gelden afspraken over {topic} en over de planning van week {number}."
        for number in range(1, paragraphs + 1)
    )
    return f"# Notitie over {topic}\n\n{body}\n"


def _store(settings: Settings) -> IndexStore:
    store = IndexStore(settings)
    store.load()
    return store


def _chunks_of(store: IndexStore, name: str) -> list[Chunk]:
    return sorted((chunk for chunk in store.chunks.values() if chunk.doc == name), key=lambda chunk: chunk.ordinal)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def test_a_mixed_folder_is_indexed_with_metadata_and_locations(
    settings: Settings, docs: Path, embedder: Embedder
) -> None:
    study = copy_study("004", docs)
    pages = [[f"Zin {n} op pagina {word} gaat over {topic}." for n in range(30)] for word, topic in
             [("een", "logistiek"), ("twee", "munitie")]]
    (docs / "rapport.pdf").write_bytes(make_pdf(pages))
    (docs / "notitie.docx").write_bytes(make_docx("Notitie", "Aanpak", ["Wij plannen de oefening."], [["A", "B"]]))
    (docs / "pagina.html").write_text(HTML, encoding="utf-8")
    (docs / "intern.md").write_text(
        "---\ntitle: Interne notitie\nvisibility: restricted\nchannels: [C0FICTIEF]\n---\n" + _note(2, "vaartuigen"),
        encoding="utf-8",
    )
    (docs / "units.yaml").write_text("units: []\n", encoding="utf-8")  # YAML is not indexed as text

    report = index_paths(settings, [docs], embedder=embedder)

    assert (report.files_indexed, report.files_failed, report.failures) == (5, 0, [])
    store = _store(settings)
    assert len(store) == report.chunks > 30
    # Every chunk is embedded, and so is each sentence an answer may quote from it.
    assert report.embeddings_computed == texts_to_embed(list(store.chunks.values())) > report.chunks

    info = load_documents(SHIPPED_KNOWLEDGE)["004"]
    study_chunks = _chunks_of(store, study.name)
    assert {(chunk.title, chunk.author, chunk.year) for chunk in study_chunks} == {(info.title, info.author, info.year)}
    original = study.read_text(encoding="utf-8").split("\n")
    for chunk in study_chunks:
        window = _letters("".join(original[chunk.line_start - 1 : chunk.line_end]))  # type: ignore[operator]
        assert _letters(chunk.text.split(".")[0])[:40] in window

    pdf = _chunks_of(store, "rapport.pdf")
    assert pdf[0].title == "Testrapport" and pdf[0].page == 1 and pdf[0].location() == "p. 1"
    second = [chunk for chunk in pdf if chunk.page == 2]
    assert second and all(chunk.text.startswith("Zin") and "logistiek" not in chunk.text for chunk in second)
    assert all("munitie" not in chunk.text for chunk in pdf if chunk.page == 1 and chunk.ordinal == 0)
    docx_chunk = _chunks_of(store, "notitie.docx")[0]
    assert docx_chunk.title == "Notitie" and docx_chunk.section == "Aanpak"
    html_chunks = _chunks_of(store, "pagina.html")
    assert html_chunks[0].title == "Handreiking samenwerken" and html_chunks[0].line_start == 6
    restricted = _chunks_of(store, "intern.md")
    assert {(chunk.visibility, tuple(chunk.channels)) for chunk in restricted} == {("restricted", ("C0FICTIEF",))}
    assert restricted[0].line_start == 6 and restricted[0].section == "Notitie over vaartuigen"

    bm25 = store.bm25_search("vaartuigen afspraken", 3)
    assert bm25 and store.chunks[bm25[0][0]].doc == "intern.md"
    dense = store.dense_search(embedder.encode_query("Zin 3 op pagina twee gaat over munitie."), 3)
    assert store.chunks[dense[0][0]].doc == "rapport.pdf"
    assert dense[0][1] >= dense[-1][1]


def test_an_unchanged_corpus_loads_no_model_and_embeds_nothing(
    settings: Settings, docs: Path, embedder: Embedder
) -> None:
    copy_study("002", docs)
    (docs / "a.md").write_text(_note(2, "radars"), encoding="utf-8")
    first = index_paths(settings, [docs], embedder=embedder)
    assert first.files_indexed == 2

    fresh = make_embedder(settings)
    again = index_paths(settings, [docs], embedder=fresh)

    assert (again.files_indexed, again.files_skipped, again.embeddings_computed, again.chunks) == (0, 2, 0, 0)
    assert not fresh.loaded
    assert len(_store(settings)) == first.chunks


def test_a_shrunk_file_leaves_no_orphans_and_a_deleted_one_is_pruned(
    settings: Settings, docs: Path, embedder: Embedder, tmp_path: Path
) -> None:
    (docs / "groot.md").write_text(_note(12, "helikopters"), encoding="utf-8")
    (docs / "weg.md").write_text(_note(2, "drones"), encoding="utf-8")
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "ander.md").write_text(_note(2, "kazernes"), encoding="utf-8")
    index_paths(settings, [docs], embedder=embedder)
    index_paths(settings, [elsewhere], embedder=embedder)  # another scope: docs/ stays
    before = _chunks_of(_store(settings), "groot.md")
    assert len(before) > 2 and len(_chunks_of(_store(settings), "weg.md")) >= 1

    (docs / "groot.md").write_text(_note(2, "helikopters"), encoding="utf-8")
    (docs / "weg.md").unlink()
    report = index_paths(settings, [docs], embedder=embedder)

    assert (report.files_indexed, report.files_removed) == (1, 1)
    store = _store(settings)
    after = _chunks_of(store, "groot.md")
    assert 0 < len(after) < len(before) and all(chunk.chunk_count == len(after) for chunk in after)
    assert {chunk.content_hash for chunk in after} == {after[0].content_hash} != {before[0].content_hash}
    assert _chunks_of(store, "weg.md") == []
    assert len(_chunks_of(store, "ander.md")) >= 1  # outside this run's scope: kept
    assert store.collection().count() == len(store)  # type: ignore[union-attr]


def test_given_paths_come_on_top_of_the_configured_ones(
    settings: Settings, docs: Path, embedder: Embedder, tmp_path: Path
) -> None:
    (docs / "kennis.md").write_text(_note(2, "kazernes"), encoding="utf-8")
    extra = tmp_path / "studie.md"
    extra.write_text(_note(2, "helikopters"), encoding="utf-8")
    configured = settings.model_copy(update={"index_paths": [docs, tmp_path / "nog-niet-aangemaakt"]})
    report = index_paths(configured, [extra], embedder=embedder)
    assert report.files_indexed == 2 and report.failures == []  # an absent configured folder is no failure
    store = _store(configured)
    assert _chunks_of(store, "kennis.md") and _chunks_of(store, "studie.md")

    shutil.rmtree(docs)  # the whole configured folder goes: so do its passages
    assert index_paths(configured, [extra], embedder=embedder).files_removed == 1
    assert _chunks_of(_store(configured), "kennis.md") == []


def test_a_run_killed_halfway_leaves_a_usable_index_and_the_next_run_completes_it(
    settings: Settings, docs: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("een", "twee", "drie"):
        (docs / f"{name}.md").write_text(_note(2, f"project {name}"), encoding="utf-8")
    index_paths(settings, [docs / "een.md"], embedder=embedder)
    old_een = {chunk.id for chunk in _chunks_of(_store(settings), "een.md")}
    (docs / "een.md").write_text(_note(3, "project een, versie twee"), encoding="utf-8")

    monkeypatch.setattr(pipeline, "WINDOW_MIN_CHUNKS", 1)  # one file per write
    real_upsert = IndexStore.upsert
    calls: list[int] = []

    def dying_upsert(self: IndexStore, *args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("process killed")
        real_upsert(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(IndexStore, "upsert", dying_upsert)
    with pytest.raises(RuntimeError):
        index_paths(settings, [docs], embedder=embedder)
    monkeypatch.setattr(IndexStore, "upsert", real_upsert)

    half = _store(settings)  # usable: rebuilt from Chroma, every file in its old or new version
    assert len(half) > 0 and half.bm25_search("project", 5)
    report = index_paths(settings, [docs], embedder=embedder)

    assert report.files_indexed + report.files_skipped == 3 and report.files_indexed >= 1
    store = _store(settings)
    for name in ("een.md", "twee.md", "drie.md"):
        chunks = _chunks_of(store, name)
        assert chunks and len(chunks) == chunks[0].chunk_count
        assert len({chunk.content_hash for chunk in chunks}) == 1
    assert not old_een & set(store.chunks)
    assert store.collection().count() == len(store)  # type: ignore[union-attr]


def test_bad_files_are_reported_by_name_and_the_rest_is_indexed(
    settings: Settings, docs: Path, embedder: Embedder
) -> None:
    (docs / "kapot.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF")
    (docs / "binair.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (docs / "leeg.md").write_text("", encoding="utf-8")
    (docs / "windows.txt").write_bytes("Coördinatie met de marechaussee verloopt via één loket.".encode("cp1252"))
    (docs / "goed.md").write_text(_note(1, "bruggen"), encoding="utf-8")

    report = index_paths(settings, [docs, docs / "bestaat-niet.txt"], embedder=embedder)

    failed = {Path(failure.path).name: failure.reason for failure in report.failures}
    assert set(failed) == {"kapot.pdf", "binair.txt", "leeg.md", "bestaat-niet.txt"}
    assert "binair" in failed["binair.txt"] and "leeg" in failed["leeg.md"] and "PDF" in failed["kapot.pdf"]
    assert (report.files_indexed, report.files_failed) == (2, 4)
    assert any("één loket" in chunk.text for chunk in _store(settings).chunks.values())


def _cli(settings: Settings, *args: str) -> click.testing.Result:
    return CliRunner().invoke(index_command, list(args), obj=settings, catch_exceptions=False)


def test_cli_json_report_and_exit_status(settings: Settings, docs: Path, embedder: Embedder) -> None:
    (docs / "goed.md").write_text(_note(1, "tunnels"), encoding="utf-8")
    index_paths(settings, [docs], embedder=embedder)

    unchanged = _cli(settings, str(docs), "--json")
    assert unchanged.exit_code == 0
    assert json.loads(unchanged.output)["files_skipped"] == 1

    summary = _cli(settings, str(docs))
    assert summary.exit_code == 0 and "Ongewijzigd: 1" in summary.output

    (docs / "leeg.txt").write_text("", encoding="utf-8")
    only_bad = _cli(settings, str(docs / "leeg.txt"), "--json")
    assert only_bad.exit_code == 1
    assert json.loads(only_bad.output)["failures"][0]["reason"] == "leeg bestand"


def test_two_runs_at_once_take_turns(settings: Settings, docs: Path, embedder: Embedder) -> None:
    for name in ("noord", "zuid"):
        (docs / f"{name}.md").write_text(_note(3, f"regio {name}"), encoding="utf-8")
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda _: index_paths(settings, [docs], embedder=embedder), range(2)))

    assert sorted((report.files_indexed, report.files_skipped) for report in reports) == [(0, 2), (2, 0)]
    store = _store(settings)
    assert store.collection().count() == len(store) == sum(  # type: ignore[union-attr]
        _chunks_of(store, name)[0].chunk_count for name in ("noord.md", "zuid.md")
    )
