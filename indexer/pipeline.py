"""`schakel index`: find files, skip unchanged ones, chunk, embed and store the rest.

Incremental: each file version gets an index key (sha256 of the file's bytes,
its path, the bibliographic facts from knowledge/sources.yaml, the chunking
settings, the model and the pipeline version). A file whose key is stored with
all `chunk_count` chunks is skipped without loading the model.

Crash safety: a changed file's new chunks (new ids, as the id carries the key)
are written before its old version is deleted, and a version only counts when
all its chunks are present. A run killed halfway leaves the old or the new
version of every file usable; the next run completes the rest and removes
leftovers.

Removal rule: a stored file is pruned when it lies inside this run's scope (one
of the folders indexed in this run, or a file given by name) and is no longer
found there. Files indexed from elsewhere are left alone: `schakel index
../shared/corpus` after a default run keeps knowledge/ and docs/, and a default
run keeps the corpus. A file that exists but fails to load keeps its previous
version, so a passing read error does not empty the index.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel
from tqdm import tqdm

from bot.knowledge.loader import KnowledgeError, load_documents
from bot.knowledge.schema import DocumentInfo
from bot.settings import Settings
from indexer.chunking import chunk_paragraphs
from indexer.cleaning import CLEANER_VERSION, clean_lines
from indexer.embedding import Embedder, embed_chunks, make_embedder, texts_to_embed
from indexer.loaders import SUPPORTED_SUFFIXES, DocumentError, SourceDocument, load_document
from indexer.models import Chunk, FileFailure, IndexReport
from indexer.store import IndexStore, StoredChunkInfo

PIPELINE_VERSION = f"pipeline-2/cleaner-{CLEANER_VERSION}"
STUDY_ID = re.compile(r"^(\d{3})_")
NAME_PARTICLES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t"})
PROGRESS_MIN_CHUNKS = 1000  # texts; below this a run takes seconds: no bar unless stderr is a terminal
WINDOW_MIN_CHUNKS = 2048  # chunks embedded and written per step: well-padded batches, bounded memory


class IndexTimings(BaseModel):
    """Seconds per stage of one run, for `schakel bench`."""

    discover: float = 0.0
    prepare: float = 0.0  # read, clean and chunk changed files (includes token counting)
    model_load: float = 0.0
    embed: float = 0.0
    store: float = 0.0  # Chroma writes and deletes
    cache: float = 0.0  # BM25 and matrix cache rebuild


class IndexRun(BaseModel):
    report: IndexReport
    timings: IndexTimings


@dataclass(frozen=True)
class Scope:
    roots: list[Path]
    files: list[Path]
    missing: list[Path]

    def contains(self, source_path: str) -> bool:
        path = Path(source_path)
        return any(path == root or ((root.is_dir() or not root.exists()) and path.is_relative_to(root))
                   for root in self.roots)


@dataclass
class PreparedFile:
    path: Path
    key: str
    chunks: list[Chunk]
    replaces: list[str] = field(default_factory=list)  # ids of older versions, deleted once these are stored


def index_paths(
    settings: Settings,
    paths: Sequence[Path] = (),
    *,
    progress: bool = False,
    embedder: Embedder | None = None,
) -> IndexReport:
    return run_index(settings, paths, progress=progress, embedder=embedder).report


def run_index(
    settings: Settings,
    paths: Sequence[Path] = (),
    *,
    progress: bool = False,
    embedder: Embedder | None = None,
) -> IndexRun:
    """Index `settings.index_paths` plus `paths`; one run at a time per data folder."""
    with _run_lock(settings.data_dir):
        return _run_index(settings, paths, progress=progress, embedder=embedder)


@contextmanager
def _run_lock(data_dir: Path) -> Iterator[None]:
    """Two runs on one data folder (a manual `schakel index` during `schakel serve`) take turns."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "index.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run_index(
    settings: Settings, paths: Sequence[Path], *, progress: bool, embedder: Embedder | None
) -> IndexRun:
    started = time.perf_counter()
    timings = IndexTimings()
    report = IndexReport()
    embedder = embedder or make_embedder(settings)
    load_before, encoded_before = embedder.load_seconds, embedder.texts_encoded

    scope = discover(settings, paths)
    report.failures.extend(FileFailure(path=str(path), reason="bestaat niet") for path in scope.missing)
    studies = _studies(settings, report)
    files = _read_files(scope, studies, settings, report)
    store = IndexStore(settings)
    cached = store.cached_stored_chunks()
    if cached is not None and _nothing_to_do(scope, files, _by_file(cached)):
        # Unchanged corpus: answer from the cache without opening Chroma or loading the model.
        report.files_skipped = len(files)
        report.files_failed = len(report.failures)
        report.seconds = round(time.perf_counter() - started, 3)
        timings.discover = report.seconds
        return IndexRun(report=report, timings=timings)
    if store.stored_model() not in (None, settings.embedding_model):
        store.reset()  # other vectors, other dimension: everything is embedded again
    stored = _by_file(store.stored_chunks())
    timings.discover = time.perf_counter() - started

    mark = time.perf_counter()
    leftovers: list[str] = []
    pending: list[FileVersion] = []
    for path, data, key, info in files:
        versions = stored.get(str(path), {})
        if _complete(versions.get(key)):
            report.files_skipped += 1
            leftovers.extend(item.id for other, items in versions.items() if other != key for item in items)
            continue
        pending.append((path, data, key, info))

    prepared: list[PreparedFile] = []
    for path, data, key, info in pending:
        try:
            chunks = prepare_file(settings, embedder, path, data, key, info)
        except DocumentError as error:
            report.failures.append(FileFailure(path=str(path), reason=str(error)))
            continue
        old = [item.id for items in stored.get(str(path), {}).values() for item in items]
        new_ids = {chunk.id for chunk in chunks}
        prepared.append(PreparedFile(path, key, chunks, [i for i in old if i not in new_ids]))
    timings.prepare = time.perf_counter() - mark - (embedder.load_seconds - load_before)

    total = sum(texts_to_embed(item.chunks) for item in prepared)
    show = progress and (sys.stderr.isatty() or total >= PROGRESS_MIN_CHUNKS)
    with tqdm(total=total, unit="teksten", desc="Indexeren", file=sys.stderr, disable=not show) as bar:
        for window in _windows(prepared, size=WINDOW_MIN_CHUNKS):
            chunks = [chunk for item in window for chunk in item.chunks]
            mark = time.perf_counter()
            vectors, sentence_vectors = embed_chunks(embedder, chunks, bar.update)
            timings.embed += time.perf_counter() - mark
            mark = time.perf_counter()
            keys = [item.key for item in window for _ in item.chunks]
            store.upsert(chunks, keys, vectors, sentence_vectors)
            store.delete([old for item in window for old in item.replaces])
            timings.store += time.perf_counter() - mark
            report.files_indexed += len(window)
            report.chunks += len(chunks)

    mark = time.perf_counter()
    found = {str(path) for path in scope.files}
    removed = [source for source in stored if source not in found and scope.contains(source)]
    doomed = leftovers + [item.id for source in removed for items in stored[source].values() for item in items]
    store.delete(doomed)
    report.files_removed = len(removed)
    timings.store += time.perf_counter() - mark

    mark = time.perf_counter()
    if not store.cache_is_fresh():
        store.rebuild_cache()
    timings.cache = time.perf_counter() - mark

    timings.model_load = embedder.load_seconds - load_before
    report.files_failed = len(report.failures)
    report.embeddings_computed = embedder.texts_encoded - encoded_before
    report.seconds = round(time.perf_counter() - started, 3)
    return IndexRun(report=report, timings=timings)


FileVersion = tuple[Path, bytes, str, DocumentInfo | None]  # path, bytes, index key, study facts


def _read_files(
    scope: Scope, studies: dict[str, DocumentInfo], settings: Settings, report: IndexReport
) -> list[FileVersion]:
    files: list[FileVersion] = []
    for path in scope.files:
        try:
            data = path.read_bytes()
        except OSError as error:
            report.failures.append(FileFailure(path=str(path), reason=f"kan niet worden gelezen: {error.strerror}"))
            continue
        info = _study_info(path, studies)
        files.append((path, data, index_key(settings, path, data, info), info))
    return files


def _complete(items: list[StoredChunkInfo] | None) -> bool:
    return bool(items) and len(items) == items[0].chunk_count  # type: ignore[index]


def _nothing_to_do(
    scope: Scope, files: Sequence[FileVersion], stored: dict[str, dict[str, list[StoredChunkInfo]]]
) -> bool:
    """Every file's current version is stored complete and alone, and nothing in scope has gone."""
    for path, _, key, _ in files:
        versions = stored.get(str(path), {})
        if set(versions) != {key} or not _complete(versions[key]):
            return False
    found = {str(path) for path in scope.files}
    return not any(source not in found and scope.contains(source) for source in stored)


def discover(settings: Settings, paths: Sequence[Path] = ()) -> Scope:
    """The files to index: `settings.index_paths` (knowledge/ and ./docs by default; absent ones are
    fine) plus the given files and folders (absent ones are reported)."""
    roots: list[Path] = []
    missing: list[Path] = []
    files: dict[Path, None] = {}
    candidates = [(Path(configured), False) for configured in settings.index_paths] + [(Path(p), True) for p in paths]
    for given, explicit in candidates:
        root = given.expanduser().resolve()
        if root in roots:
            continue
        if not root.exists():
            if explicit:
                missing.append(root)
            else:
                roots.append(root)  # a configured folder that was removed: what it held is pruned
            continue
        roots.append(root)
        if root.is_file():
            files[root] = None
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).parts
            if path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file() and not _hidden(relative):
                files[path] = None
    return Scope(roots=roots, files=list(files), missing=missing)


def _hidden(parts: Sequence[str]) -> bool:
    return any(part.startswith((".", "~$")) for part in parts)


def index_key(settings: Settings, path: Path, data: bytes, info: DocumentInfo | None) -> str:
    recipe = [
        PIPELINE_VERSION,
        hashlib.sha256(data).hexdigest(),
        str(path),
        settings.chunk_max_tokens,
        settings.embedding_model,
        info.model_dump(mode="json") if info else None,
        _is_case_note(settings, path),
    ]
    return hashlib.sha256(json.dumps(recipe).encode()).hexdigest()[:16]


def prepare_file(
    settings: Settings, embedder: Embedder, path: Path, data: bytes, key: str, info: DocumentInfo | None
) -> list[Chunk]:
    """Load, clean and chunk one file into `Chunk`s (no embeddings yet)."""
    document = load_document(path, data, case_note=_is_case_note(settings, path))
    paragraphs = clean_lines(
        document.lines,
        running_heads=_running_heads(info, document),
        paragraph_per_line=document.paragraph_per_line,
        heading_lines=document.heading_lines,
    )
    budget = min(settings.chunk_max_tokens, embedder.max_tokens)
    drafts = chunk_paragraphs(paragraphs, embedder.count_tokens, budget)
    if not drafts:
        raise DocumentError("geen tekst gevonden")
    content_hash = hashlib.sha256(data).hexdigest()
    title = (info.title if info else None) or document.title or path.stem
    author = (info.author if info else None) or document.author
    year = (info.year if info else None) or document.year
    chunks = []
    for ordinal, draft in enumerate(drafts):
        first_line = document.line_numbers[draft.first_source]
        last_line = document.line_numbers[draft.last_source]
        chunks.append(
            Chunk(
                id=f"{path.name}#{ordinal}@{key[:12]}",
                doc=path.name,
                source_path=str(path),
                content_hash=content_hash,
                ordinal=ordinal,
                chunk_count=len(drafts),
                title=title,
                author=author,
                year=year,
                section=draft.section,
                line_start=first_line,
                line_end=last_line if last_line is not None and first_line is not None else None,
                page=document.pages[draft.first_source],
                visibility=document.visibility,
                channels=document.channels,
                units=document.units,
                text=draft.text,
            )
        )
    return chunks


def _running_heads(info: DocumentInfo | None, document: SourceDocument) -> list[str]:
    """Author names and journal titles that page headers repeat ("Van Ham", "MILITAIRE SPECTATOR …")."""
    heads: list[str] = []
    for author in {info.author if info else None, document.author} - {None}:
        words = [word for word in re.split(r"[\s,]+", str(author)) if word]
        for start in range(1, len(words)):
            if words[start - 1].lower() not in NAME_PARTICLES:  # "Thomas van Ham" -> "van Ham", "Ham"
                heads.append(" ".join(words[start:]))
    if info and info.publication:
        heads.append(re.split(r"[,(]", info.publication)[0].strip())
    return heads


def _studies(settings: Settings, report: IndexReport) -> dict[str, DocumentInfo]:
    try:
        return load_documents(settings.knowledge_dir)
    except KnowledgeError as error:
        report.failures.append(FileFailure(path=str(error.path), reason=f"titels en auteurs niet geladen: {error}"))
        return {}


def _study_info(path: Path, studies: dict[str, DocumentInfo]) -> DocumentInfo | None:
    match = STUDY_ID.match(path.name)
    return studies.get(match.group(1)) if match else None


def _is_case_note(settings: Settings, path: Path) -> bool:
    return path.suffix.lower() == ".md" and path.parent == (settings.knowledge_dir / "cases").resolve()


def _by_file(infos: Sequence[StoredChunkInfo]) -> dict[str, dict[str, list[StoredChunkInfo]]]:
    grouped: dict[str, dict[str, list[StoredChunkInfo]]] = defaultdict(lambda: defaultdict(list))
    for info in infos:
        grouped[info.source_path][info.index_key].append(info)
    return {path: dict(versions) for path, versions in grouped.items()}


def _windows(prepared: Sequence[PreparedFile], size: int) -> Iterator[list[PreparedFile]]:
    """Whole files, grouped until a window holds at least `size` chunks: large encode batches, file-aligned writes."""
    window: list[PreparedFile] = []
    count = 0
    for item in prepared:
        window.append(item)
        count += len(item.chunks)
        if count >= size:
            yield window
            window, count = [], 0
    if window:
        yield window
