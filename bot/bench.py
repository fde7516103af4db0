"""`schakel bench`: indexing throughput, warm query latency at 1×, 10× and 100× the corpus,
peak memory and the time to re-index an unchanged corpus.

Larger corpora are synthetic: perturbed copies of the indexed chunks (sentences rotated,
a word dropped per sentence) with their vectors jittered and re-normalised, written to
the store directly. That grows the index that queries search without spending an hour
on embeddings of text that says nothing new.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click
import numpy as np

from bot.core.models import AskerContext, Question
from bot.logging_setup import quiet_per_answer_logs
from bot.settings import REPO_ROOT, Settings

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
DEFAULT_QUESTIONS = REPO_ROOT.parent / "shared" / "eval" / "dev.jsonl"
FALLBACK_QUESTIONS = [
    "Welke directie gaat over gegevensbescherming?",
    "Ik werk aan een IT-strategie, met wie?",
    "Wat zijn de zeven succesfactoren voor samenwerking?",
    "Hoe vraagt de politie militaire bijstand aan?",
    "Welke paradoxen kent publiek-private samenwerking?",
]
JITTER = 0.05
INDEX_START_SECONDS = 5.0
WARM_UP_TEXT = "samenwerking tussen directies " * 60  # about as long as a chunk
WRITE_BATCH = 2000


def _percentiles(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(float(np.percentile(values, 50)), 1), "p95_ms": round(float(np.percentile(values, 95)), 1)}


def _perturb(text: str, rng: random.Random) -> str:
    sentences = [part for part in text.split(". ") if part]
    if len(sentences) > 1:
        shift = rng.randrange(1, len(sentences))
        sentences = sentences[shift:] + sentences[:shift]
    perturbed = []
    for sentence in sentences:
        words = sentence.split()
        if len(words) > 4:
            del words[rng.randrange(len(words))]
        perturbed.append(" ".join(words))
    return ". ".join(perturbed)


def grow_index(base: Settings, target: Settings, copies: int, seed: int = 7) -> int:
    """Write `copies` perturbed copies of the base index's chunks into the target store."""
    from indexer.store import IndexStore

    source = IndexStore(base)
    source.load()
    chunks = list(source.chunks.values())
    vectors = source.vectors_for([chunk.id for chunk in chunks])
    store = IndexStore(target)
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    written = 0
    batch_chunks, batch_keys, batch_vectors, batch_sentences = [], [], [], []
    for copy in range(copies):
        for chunk, vector in zip(chunks, vectors):
            # A copy is another document (its own id prefix), as a grown corpus would hold.
            doc = chunk.doc if copy == 0 else f"copy{copy}-{chunk.doc}"
            text = chunk.text if copy == 0 else _perturb(chunk.text, rng)
            batch_chunks.append(
                chunk.model_copy(update={"id": f"{chunk.id}~{copy}", "doc": doc, "text": text,
                                         "source_path": f"{chunk.source_path}~{copy}"})
            )
            batch_keys.append(f"bench-{copy}")
            jittered = vector if copy == 0 else vector + noise.normal(0, JITTER, vector.shape).astype(np.float32)
            batch_vectors.append(jittered / np.linalg.norm(jittered))
            # A copy keeps its original's sentence vectors: sentences scoring is as costly, if less exact.
            batch_sentences.append(source.sentence_vectors(chunk.id))
            if len(batch_chunks) >= WRITE_BATCH:
                store.upsert(batch_chunks, batch_keys, np.stack(batch_vectors), batch_sentences)
                written += len(batch_chunks)
                batch_chunks, batch_keys, batch_vectors, batch_sentences = [], [], [], []
    if batch_chunks:
        store.upsert(batch_chunks, batch_keys, np.stack(batch_vectors), batch_sentences)
        written += len(batch_chunks)
    return written


def _questions(path: Path) -> list[str]:
    if not path.exists():
        return FALLBACK_QUESTIONS
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def measure_queries(settings: Settings, questions: list[str], rounds: int) -> dict[str, float]:
    from bot.core.engine import AnswerEngine

    started = time.perf_counter()
    engine = AnswerEngine.from_settings(settings)
    engine.warm_up()
    for question in questions[:3]:  # warm caches, as a running bot would be
        engine.answer(Question(text=question, asker=AskerContext(private=True)))
    load_seconds = time.perf_counter() - started
    timings = []
    for _ in range(rounds):
        for question in questions:
            timings.append(engine.answer(Question(text=question, asker=AskerContext(private=True))).timing_ms)
    return {"chunks": len(engine.tools.retriever.index.chunks), "load_s": round(load_seconds, 1),
            **_percentiles(timings)}


def measure_queries_during_index(settings: Settings, corpus: Path, questions: list[str], work_dir: Path) -> dict:
    """Answer latency while a `schakel index` of the corpus, into an empty folder, runs in another process."""
    from bot.core.engine import AnswerEngine

    engine = AnswerEngine.from_settings(settings)
    engine.warm_up()
    environment = {**os.environ, "DATA_DIR": str(work_dir), "INDEX_PATHS": str(corpus)}
    indexing = subprocess.Popen([sys.executable, "-m", "bot", "index"], env=environment,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(INDEX_START_SECONDS)  # past the model load: the indexer is embedding
        timings: list[float] = []
        while indexing.poll() is None:
            for question in questions:
                timings.append(engine.answer(Question(text=question, asker=AskerContext(private=True))).timing_ms)
    finally:
        indexing.kill()
        indexing.wait()
    return {"answers": len(timings), **(_percentiles(timings) if timings else {})}


def run_bench(
    settings: Settings, corpus: Path, sizes: list[int], questions: list[str], rounds: int, repeats: int = 3,
    during_index: bool = True,
) -> dict:
    from indexer.embedding import make_embedder, passage_text
    from indexer.pipeline import run_index
    from indexer.sentences import quotable_sentences
    from indexer.store import IndexStore

    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="schakel-bench-") as workdir:
        base = settings.model_copy(update={"data_dir": Path(workdir) / "x1", "index_paths": [corpus]})
        embedder = make_embedder(base)
        # Model load and the first full-length batches (allocations, thread pool) are not throughput:
        # warm up on chunk-sized texts, so whichever of the two runs first pays nothing extra.
        embedder.encode([WARM_UP_TEXT] * embedder.batch_size * 2)
        # This machine's encode rate drifts between runs (16 to 31 chunks/s seen): each indexing run is paired
        # with a raw encode right after it, and the median pair is reported.
        pairs = []
        for attempt in range(repeats):
            target = base if attempt == repeats - 1 else base.model_copy(
                update={"data_dir": Path(workdir) / f"indexing-{attempt}"})
            run = run_index(target, [corpus], embedder=embedder)
            index_seconds = run.report.seconds - run.timings.model_load
            store = IndexStore(target)
            store.load()
            chunks = list(store.chunks.values())
            # The model's own encode, one call, on the same texts: each chunk and its quotable sentences.
            texts = [passage_text(chunk) for chunk in chunks]
            texts += [sentence for chunk in chunks for sentence in quotable_sentences(chunk.text)]
            mark = time.perf_counter()
            embedder.encode(texts)
            encode_seconds = time.perf_counter() - mark
            pairs.append((len(texts) / index_seconds, len(texts) / encode_seconds, index_seconds, run, len(texts)))
        pairs.sort(key=lambda pair: pair[0] / pair[1])
        index_rate, encode_rate, index_seconds, run, texts_embedded = pairs[len(pairs) // 2]
        results["indexing"] = {
            "chunks": run.report.chunks,
            "texts_embedded": texts_embedded,  # chunks and their quotable sentences
            "seconds": round(index_seconds, 2),
            "texts_per_s": round(index_rate, 1),
            "raw_encode_texts_per_s": round(encode_rate, 1),
            "ratio_to_raw_encode": round(index_rate / encode_rate, 3),
            "ratios_all_runs": [round(pair[0] / pair[1], 3) for pair in pairs],
            "stages_s": {key: round(value, 2) for key, value in run.timings.model_dump().items()},
        }
        mark = time.perf_counter()
        rerun = run_index(base, [corpus], embedder=embedder)
        results["reindex_unchanged"] = {
            "seconds": round(time.perf_counter() - mark, 3),
            "embeddings_computed": rerun.report.embeddings_computed,
        }
        results["query_latency"] = {}
        for size in sizes:
            target = base
            if size > 1:
                target = base.model_copy(update={"data_dir": Path(workdir) / f"x{size}"})
                grow_index(base, target, size)
            results["query_latency"][f"{size}x"] = measure_queries(target, questions, rounds)
        if during_index:
            results["query_latency_during_index"] = measure_queries_during_index(
                base, corpus, questions, Path(workdir) / "concurrent-index")
    results["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return results


@click.command("bench")
@click.option("--json", "as_json", is_flag=True, help="Print het resultaat als JSON.")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_CORPUS,
              show_default=True, help="Map met de studies.")
@click.option("--sizes", default="1,10,100", show_default=True, help="Corpusgroottes (veelvouden).")
@click.option("--rounds", default=2, show_default=True, help="Hoe vaak elke vraag gesteld wordt per grootte.")
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(min=1),
              help="Hoe vaak indexeren en los encoderen gemeten worden (de middelste verhouding telt).")
@click.option("--during-index/--no-during-index", default=True, show_default=True,
              help="Meet ook de antwoordtijd terwijl een tweede proces het corpus indexeert.")
@click.pass_obj
def bench_command(settings: Settings, as_json: bool, corpus: Path, sizes: str, rounds: int, repeats: int,
                  during_index: bool) -> None:
    """Meet indexeersnelheid, antwoordtijd bij 1×, 10× en 100× het corpus, geheugen en herindexeren."""
    quiet_per_answer_logs()
    try:
        multiples = [int(part) for part in sizes.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter("gebruik getallen met komma's, bijvoorbeeld 1,10,100", param_hint="--sizes")
    results = run_bench(settings, corpus, multiples, _questions(DEFAULT_QUESTIONS), rounds, repeats, during_index)
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return
    indexing = results["indexing"]
    click.echo(
        f"Indexeren: {indexing['chunks']} stukken ({indexing['texts_embedded']} teksten met hun zinnen) in "
        f"{indexing['seconds']} s = {indexing['texts_per_s']} teksten/s; los encoderen "
        f"{indexing['raw_encode_texts_per_s']} teksten/s; verhouding {indexing['ratio_to_raw_encode']}"
        f" (alle metingen: {', '.join(str(ratio) for ratio in indexing['ratios_all_runs'])})"
    )
    reindex = results["reindex_unchanged"]
    click.echo(f"Herindexeren ongewijzigd: {reindex['seconds']} s, {reindex['embeddings_computed']} embeddings")
    for size, latency in results["query_latency"].items():
        click.echo(
            f"Antwoordtijd {size} ({latency['chunks']} stukken): p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms"
        )
    concurrent = results.get("query_latency_during_index")
    if concurrent:
        click.echo(f"Antwoordtijd tijdens indexeren ({concurrent['answers']} antwoorden): p50 "
                   f"{concurrent.get('p50_ms')} ms, p95 {concurrent.get('p95_ms')} ms")
    click.echo(f"Piekgeheugen: {results['peak_memory_mb']} MB")
