"""Indexing throughput against the model's raw `encode` throughput on the same chunks.

For `schakel bench`: index into an empty data folder with an already loaded
model, then encode the very same chunk texts in one call with the same batch
size. The ratio says how much the pipeline (reading, cleaning, chunking,
Chroma writes, BM25 build) costs on top of the embedding itself.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from bot.settings import Settings
from indexer.embedding import Embedder
from indexer.pipeline import IndexTimings, run_index
from indexer.store import IndexStore


class ThroughputMeasurement(BaseModel):
    chunks: int
    index_seconds: float  # the whole run, model already loaded
    model_load_seconds: float
    raw_encode_seconds: float
    # CPU seconds of this process (all threads): steadier than wall time on a shared machine
    index_cpu_seconds: float
    raw_encode_cpu_seconds: float
    timings: IndexTimings

    @property
    def index_chunks_per_second(self) -> float:
        return self.chunks / self.index_seconds if self.index_seconds else 0.0

    @property
    def raw_chunks_per_second(self) -> float:
        return self.chunks / self.raw_encode_seconds if self.raw_encode_seconds else 0.0

    @property
    def ratio(self) -> float:
        """Indexing throughput as a share of raw encode throughput (the target is at least 0.85)."""
        return self.index_chunks_per_second / self.raw_chunks_per_second if self.raw_chunks_per_second else 0.0

    @property
    def cpu_ratio(self) -> float:
        """The same ratio measured in CPU time."""
        return self.raw_encode_cpu_seconds / self.index_cpu_seconds if self.index_cpu_seconds else 0.0


def measure_throughput(
    settings: Settings, paths: Sequence[Path], work_dir: Path, embedder: Embedder | None = None
) -> ThroughputMeasurement:
    """Index `paths` into the empty folder `work_dir`, then time a raw encode of the same chunks."""
    if work_dir.exists() and any(work_dir.iterdir()):
        raise ValueError(f"{work_dir} is not empty; throughput is measured on a fresh index")
    fresh = settings.model_copy(update={"data_dir": work_dir})
    embedder = embedder or Embedder(fresh)
    started = time.perf_counter()
    embedder.model  # noqa: B018 - load outside the measured run
    model_load = time.perf_counter() - started

    cpu = time.process_time()
    run = run_index(fresh, paths, embedder=embedder)
    index_cpu = time.process_time() - cpu
    store = IndexStore(fresh)
    store.load()
    texts = [chunk.text for chunk in store.chunks.values()]

    started, cpu = time.perf_counter(), time.process_time()
    embedder.model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True, show_progress_bar=False)
    raw, raw_cpu = time.perf_counter() - started, time.process_time() - cpu
    return ThroughputMeasurement(
        chunks=len(texts),
        index_seconds=run.report.seconds,
        model_load_seconds=model_load,
        raw_encode_seconds=raw,
        index_cpu_seconds=index_cpu,
        raw_encode_cpu_seconds=raw_cpu,
        timings=run.timings,
    )
