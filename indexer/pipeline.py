"""`schakel index`: find files, skip unchanged ones, chunk, embed and store the rest.

Incremental: each file version gets an index key (sha256 of the file's bytes,
its path, the bibliographic facts from knowledge/sources.yaml, the chunking
settings, the model and the pipeline version). A file whose key is stored with
all `chunk_count` chunks is skipped without loading the model.

Crash safety: a changed file's new chunks (new ids, as the id carries the key)
are written under this run's generation before its old version is deleted.
Readers see, per file, the newest version that is complete (indexer.store), so
the switch from old to new is atomic for them: a run killed halfway leaves one
version of every file visible, never two. The next run completes the rest,
removes the leftovers and reports those files as repaired.

Streaming: files are read, cleaned and chunked one at a time, and chunks are
embedded and written per window of WINDOW_MIN_CHUNKS, so memory holds one file
and one window, not the corpus. A file over `max_file_mb` is reported and skipped.

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
from collections.abc import Callable, Iterator, Sequence
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
from indexer.discovery import Scope, discover, shown_path
from indexer.embedding import Embedder, embed_chunks, make_embedder
from indexer.loaders import DocumentError, SourceDocument, load_document
from indexer.models import Chunk, FileFailure, IndexReport
from indexer.store import IndexStore, StoredChunkInfo

PIPELINE_VERSION = f"pipeline-2/cleaner-{CLEANER_VERSION}"
STUDY_ID = re.compile(r"^(\d{3})_")
NAME_PARTICLES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t"})
PROGRESS_MIN_BYTES = 500_000  # changed files' size; below this a run takes seconds: no bar unless on a terminal
MEGABYTE = 1_000_000
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


@dataclass(eq=False)
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
    generation = time.time_ns()  # this run's versions win over every older one once complete
    timings = IndexTimings()
    report = IndexReport()
    embedder = embedder or make_embedder(settings)
    load_before, encoded_before = embedder.load_seconds, embedder.texts_encoded

    scope = discover(settings, paths)
    report.failures.extend(FileFailure(path=shown_path(path), reason="bestaat niet") for path in scope.missing)
    report.failures.extend(scope.failures)
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
    report.files_repaired = sum(1 for versions in stored.values() if _interrupted(versions))
    timings.discover = time.perf_counter() - started

    leftovers: list[str] = []
    pending: list[FileVersion] = []
    for version in files:
        versions = stored.get(str(version.path), {})
        if _complete(versions.get(version.key)):
            report.files_skipped += 1
            leftovers.extend(item.id for other, items in versions.items() if other != version.key for item in items)
            continue
        pending.append(version)

    total = sum(version.size for version in pending)
    show = progress and (sys.stderr.isatty() or total >= PROGRESS_MIN_BYTES)
    with tqdm(unit="teksten", desc="Indexeren", file=sys.stderr, disable=not show) as bar:
        writer = _WindowWriter(store, embedder, report, timings, bar.update, generation)
        for version in pending:
            mark, load_mark = time.perf_counter(), embedder.load_seconds
            try:
                chunks = prepare_file(settings, embedder, version, _read(version.path))
            except DocumentError as error:
                report.failures.append(FileFailure(path=shown_path(version.path), reason=str(error)))
                continue
            finally:
                timings.prepare += time.perf_counter() - mark - (embedder.load_seconds - load_mark)
            old = [item.id for items in stored.get(str(version.path), {}).values() for item in items]
            new_ids = {chunk.id for chunk in chunks}
            writer.add(PreparedFile(version.path, version.key, chunks, [i for i in old if i not in new_ids]))
        writer.flush()

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


@dataclass(frozen=True)
class FileVersion:
    path: Path
    size: int
    key: str  # index key of the file's current bytes
    info: DocumentInfo | None  # study facts from knowledge/sources.yaml


def _read_files(
    scope: Scope, studies: dict[str, DocumentInfo], settings: Settings, report: IndexReport
) -> list[FileVersion]:
    """Each file's index key, hashed as a stream: no file is held in memory here."""
    files: list[FileVersion] = []
    limit = settings.max_file_mb * MEGABYTE
    for path in scope.files:
        try:
            size = path.stat().st_size
            if size > limit:
                report.failures.append(FileFailure(path=shown_path(path), reason=(
                    f"te groot ({_megabytes(size)} MB, maximum {_megabytes(limit)} MB; zie MAX_FILE_MB)")))
                continue
            with path.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as error:
            report.failures.append(FileFailure(path=shown_path(path),
                                               reason=f"kan niet worden gelezen: {error.strerror}"))
            continue
        info = _study_info(path, studies)
        files.append(FileVersion(path, size, index_key(settings, path, digest, info), info))
    return files


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise DocumentError(f"kan niet worden gelezen: {error.strerror}") from None


def _megabytes(size: float) -> str:
    megabytes = size / MEGABYTE
    return (f"{megabytes:.1f}" if megabytes >= 1 else f"{megabytes:.3g}").replace(".", ",").removesuffix(",0")


def _complete(items: list[StoredChunkInfo] | None) -> bool:
    return bool(items) and len(items) == items[0].chunk_count  # type: ignore[index]


def _interrupted(versions: dict[str, list[StoredChunkInfo]]) -> bool:
    """Two versions of one file, or one incomplete: what a run killed between write and delete leaves."""
    return len(versions) > 1 or not all(_complete(items) for items in versions.values())


def _nothing_to_do(
    scope: Scope, files: Sequence[FileVersion], stored: dict[str, dict[str, list[StoredChunkInfo]]]
) -> bool:
    """Every file's current version is stored complete and alone, and nothing in scope has gone."""
    for version in files:
        versions = stored.get(str(version.path), {})
        if set(versions) != {version.key} or not _complete(versions[version.key]):
            return False
    found = {str(path) for path in scope.files}
    return not any(source not in found and scope.contains(source) for source in stored)


def index_key(settings: Settings, path: Path, digest: str, info: DocumentInfo | None) -> str:
    """The version of a file that chunks are stored under; `digest` is the sha256 of its bytes."""
    recipe = [
        PIPELINE_VERSION,
        digest,
        str(path),
        settings.chunk_max_tokens,
        settings.embedding_model,
        info.model_dump(mode="json") if info else None,
        _is_case_note(settings, path),
    ]
    return hashlib.sha256(json.dumps(recipe).encode()).hexdigest()[:16]


def prepare_file(settings: Settings, embedder: Embedder, version: FileVersion, data: bytes) -> list[Chunk]:
    """Load, clean and chunk one file into `Chunk`s (no embeddings yet)."""
    path, key, info = version.path, version.key, version.info
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


class _WindowWriter:
    """Embeds and writes chunks a window at a time, across files and within a large one.

    A file's old versions are deleted once its last chunk is written; until then readers keep
    seeing the old version, as the new one is incomplete (indexer.store)."""

    def __init__(self, store: IndexStore, embedder: Embedder, report: IndexReport, timings: IndexTimings,
                 progress: Callable[[int], object], generation: int) -> None:
        self.store, self.embedder, self.report, self.timings = store, embedder, report, timings
        self.progress, self.generation = progress, generation
        self.window: list[tuple[PreparedFile, Chunk]] = []

    def add(self, item: PreparedFile) -> None:
        for chunk in item.chunks:
            self.window.append((item, chunk))
            if len(self.window) >= WINDOW_MIN_CHUNKS:
                self.flush()

    def flush(self) -> None:
        if not self.window:
            return
        chunks = [chunk for _, chunk in self.window]
        mark = time.perf_counter()
        vectors, sentence_vectors = embed_chunks(self.embedder, chunks, self.progress)
        self.timings.embed += time.perf_counter() - mark
        mark = time.perf_counter()
        self.store.upsert(chunks, [item.key for item, _ in self.window], vectors, sentence_vectors,
                          generation=self.generation)
        finished = [item for item, chunk in self.window if chunk is item.chunks[-1]]
        self.store.delete([old for item in finished for old in item.replaces])
        self.timings.store += time.perf_counter() - mark
        self.report.files_indexed += len(finished)
        self.report.chunks += len(chunks)
        self.window = []
