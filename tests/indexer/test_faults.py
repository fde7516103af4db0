"""Indexer faults of issue 15 (section 7): each file that cannot be indexed is reported by name, the rest is
indexed, and replacing a file's chunks is atomic for readers, also when the run dies halfway."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.settings import Settings
from indexer import pipeline
from indexer.cli import index_command
from indexer.embedding import Embedder
from indexer.models import Chunk
from indexer.pipeline import index_paths
from indexer.store import IndexStore
from tests.indexer.conftest import corpus_lines

NOTE = "# {title}\n\n" + "\n\n".join(
    f"Alinea {number} gaat over de fictieve {{topic}} en de afspraken daarover in week {number}. "
    f"De planning van {{topic}} volgt uit overleg met partners in regio {number}."
    for number in range(1, 9)
) + "\n"


def write_note(path: Path, topic: str) -> Path:
    path.write_text(NOTE.format(title=f"Notitie over {topic}", topic=topic), encoding="utf-8")
    return path


def visible_chunks(settings: Settings, doc: str) -> list[Chunk]:
    store = IndexStore(settings)
    store.load()
    return sorted((chunk for chunk in store.chunks.values() if chunk.doc == doc), key=lambda chunk: chunk.ordinal)


def cli(settings: Settings, *args: str) -> click.testing.Result:
    return CliRunner().invoke(index_command, list(args), obj=settings, catch_exceptions=False)


def test_a_name_that_is_not_utf8_is_reported_and_the_rest_indexed(
        settings: Settings, docs: Path, embedder: Embedder) -> None:
    write_note(docs / os.fsdecode(b"caf\xe9-notitie.md"), "koffie")  # a Windows-1252 name, as unzip leaves it
    write_note(docs / "bruggen.md", "bruggen")

    result = cli(settings, str(docs), "--json")

    report = json.loads(result.output)
    assert (report["files_indexed"], report["files_failed"]) == (1, 1)
    (failure,) = report["failures"]
    assert failure["path"].endswith("caf\\xe9-notitie.md") and "UTF-8" in failure["reason"]
    assert visible_chunks(settings, "bruggen.md")


def test_a_file_over_the_size_limit_is_reported_and_skipped(
        settings: Settings, docs: Path, embedder: Embedder) -> None:
    with (docs / "archief.txt").open("wb") as handle:
        handle.truncate(21_000_000)  # sparse: 21 MB without writing them
    write_note(docs / "bruggen.md", "bruggen")

    report = index_paths(settings, [docs], embedder=embedder)

    assert [(Path(failure.path).name, failure.reason) for failure in report.failures] == [
        ("archief.txt", "te groot (21 MB, maximum 20 MB; zie MAX_FILE_MB)")]
    assert report.files_indexed == 1 and visible_chunks(settings, "bruggen.md")


def test_dangling_and_self_referencing_symlinks_are_reported(settings: Settings, docs: Path, embedder: Embedder) -> None:
    (docs / "weg.md").symlink_to(docs / "verhuisd.md")
    (docs / "lus.md").symlink_to(docs / "lus.md")
    write_note(docs / "bruggen.md", "bruggen")
    (docs / "kopie.md").symlink_to(docs / "bruggen.md")  # a working link is indexed like any file

    report = index_paths(settings, [docs], embedder=embedder)

    reasons = {Path(failure.path).name: failure.reason for failure in report.failures}
    assert set(reasons) == {"weg.md", "lus.md"}
    assert "verhuisd.md" in reasons["weg.md"] and "niet bestaat" in reasons["weg.md"]
    assert "lus" in reasons["lus.md"]
    assert report.files_indexed == 2


def test_a_run_killed_between_writing_and_deleting_shows_one_version_and_is_repaired(
        settings: Settings, docs: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    note = write_note(docs / "plan.md", "versie een")
    index_paths(settings, [docs], embedder=embedder)
    write_note(note, "versie twee")

    def killed(self: IndexStore, ids: object) -> None:
        raise RuntimeError("kill -9")  # the new version is written; the old one is never deleted

    monkeypatch.setattr(IndexStore, "delete", killed)
    with pytest.raises(RuntimeError):
        index_paths(settings, [docs], embedder=embedder)
    monkeypatch.undo()

    store = IndexStore(settings)
    assert store.collection().count() == 2 * len(visible_chunks(settings, "plan.md"))  # type: ignore[union-attr]
    chunks = visible_chunks(settings, "plan.md")
    assert len(chunks) == chunks[0].chunk_count and all("versie twee" in chunk.text for chunk in chunks)

    result = cli(settings, str(docs))
    assert "Hersteld na een onderbroken run: 1 bestand(en)" in result.output, result.output
    assert IndexStore(settings).collection().count() == len(chunks)  # type: ignore[union-attr]


def test_a_version_written_halfway_stays_invisible(
        settings: Settings, docs: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    note = write_note(docs / "plan.md", "versie een")
    index_paths(settings, [docs], embedder=embedder)
    old = [chunk.text for chunk in visible_chunks(settings, "plan.md")]
    write_note(note, "versie twee")

    monkeypatch.setattr(pipeline, "WINDOW_MIN_CHUNKS", 1)  # a large file: written one window at a time
    real_upsert = IndexStore.upsert
    calls: list[int] = []

    def dying_upsert(self: IndexStore, *args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("kill -9")
        real_upsert(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(IndexStore, "upsert", dying_upsert)
    with pytest.raises(RuntimeError):
        index_paths(settings, [docs], embedder=embedder)
    monkeypatch.undo()

    assert len(old) > 1 and [chunk.text for chunk in visible_chunks(settings, "plan.md")] == old
    report = index_paths(settings, [docs], embedder=embedder)
    assert (report.files_indexed, report.files_repaired) == (1, 1)
    assert all("versie twee" in chunk.text for chunk in visible_chunks(settings, "plan.md"))


def test_e5_token_counts_summed_per_word_match_the_model() -> None:
    from bot.settings import E5_MODEL
    from indexer.chunking import split_sentences
    from indexer.cleaning import clean_lines
    from indexer.embedding import make_embedder
    from tests.conftest import make_settings

    e5 = make_embedder(make_settings(Path("unused"), embedding_model=E5_MODEL))
    # The texts the chunker counts: the sentences of the cleaned paragraphs of a study.
    paragraphs = [paragraph.text for paragraph in clean_lines(corpus_lines("003"))]
    sentences = [text[start:end] for text in paragraphs for start, end in split_sentences(text)]
    fast = e5.count_tokens(sentences)
    model = e5.model  # type: ignore[attr-defined]
    exact = [model.token_count(sentence, False) - model.token_count("", False) for sentence in sentences]
    assert len(sentences) > 1000 and fast == exact
