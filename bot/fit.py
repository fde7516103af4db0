"""`schakel fit`: choose the engine's constants by k-fold cross-validation over every question set, report
the out-of-fold figures, and write the constants fitted on all sets to `bot/core/tuning.json`.

Out-of-fold: for each fold, every stage is fitted on the other folds (bot/core/fitting.py), and the engine
with those constants answers the fold's questions, scored as `schakel eval` scores them. No question is
ever answered by constants fitted on it.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click
import numpy as np

from bot.bench import DEFAULT_CORPUS
from bot.core.adapter import ADAPTER_FILE, QueryAdapter, fit_adapter, save_adapter
from bot.core.answerable import Answerability
from bot.core.engine import HITS, AnswerEngine
from bot.core.directory import Directory
from bot.core.fitting import (FITTED, Trace, fit_answerable, fit_retrieval, fit_router, fit_sentences, fit_units,
                              inner_priors, labelled_questions)
from bot.core.models import AskerContext, Question
from bot.core.query import Query
from bot.core.retrieval import Hit, Retriever
from bot.core.routing import load_examples
from bot.core.sentences import SentenceCandidate, SentencePicker
from bot.core.tuning import TUNING_FILE, Tuning, save_tuning
from bot.core.vectors import cached_query_vectors
from bot.evaluation import EvalItem, ItemResult, covers, load_items, score_item, summarise
from bot.logging_setup import quiet_per_answer_logs
from bot.core.text import fold
from bot.settings import REPO_ROOT, SHIPPED_QUESTIONS, Settings

DEFAULT_SETS = [REPO_ROOT.parent / "shared" / "eval" / "dev.jsonl", *sorted(SHIPPED_QUESTIONS.glob("*.jsonl"))]
ASKER = AskerContext(private=True)
REPORTED = ("n", "hit@1", "hit@3", "hit@5", "mrr", "quote_acc", "expect_acc", "not_found_acc", "wrongly_refused")
POOLED = "alle sets"
SEED = 13
ADAPTER_INNER_FOLDS = 5


class Fitter:
    """Traces of the labelled questions, and the stage fits over them."""

    def __init__(self, engine: AnswerEngine, labelled: list[tuple[str, EvalItem]]) -> None:
        self.engine = engine
        self.items = {f"{name}/{item.id}": item for name, item in labelled}
        index = engine.tools.retriever.index
        self.rows = {chunk_id: row for row, chunk_id in enumerate(index.ids)}
        self.passages = index.vectors_for(index.ids)
        self.sentence_cache: dict[tuple[str, int], list[SentenceCandidate]] = {}
        # Per question, over every indexed passage: its BM25 scores and which passages answer it. A trace's
        # candidates depend on the query adapter, so they are taken from these again for each adapter.
        self.lexical: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.answering: dict[str, np.ndarray] = {}
        self.traces = [self._trace(name, item) for name, item in labelled]
        texts, self.example_labels = load_examples()
        self.example_vectors = cached_query_vectors(engine.encoder, texts, engine.settings.data_dir / "vectors")

    def _trace(self, set_name: str, item: EvalItem) -> Trace:
        index = self.engine.tools.retriever.index
        query = self.engine.query(Question(text=item.question, asker=ASKER))
        trace_id = f"{set_name}/{item.id}"

        def bm25(text: str) -> np.ndarray:
            return index.bm25_scores(text).astype(np.float64) if text else np.zeros(len(index.ids))

        self.lexical[trace_id] = (bm25(query.text), bm25(query.expansion.related), bm25(query.expansion.substitutes))
        passages = [support.text for support in item.support]
        self.answering[trace_id] = np.array(
            [bool(passages) and any(covers(index.chunks[chunk_id].text, passage) for passage in passages)
             for chunk_id in index.ids], dtype=bool)
        return Trace(id=trace_id, set_name=set_name, category=item.category, query=query,
                     quotes=lambda sentence: any(covers(passage, sentence) for passage in passages),
                     expected_units=self._expected_units(item), **self._retrieved(trace_id, query, None))

    def moved(self, trace: Trace, adapter: QueryAdapter | None) -> Trace:
        """The trace with what retrieval gives its question when `adapter` moves it."""
        return replace(trace, **self._retrieved(trace.id, trace.query, adapter))

    def _retrieved(self, trace_id: str, query: Query, adapter: QueryAdapter | None) -> dict[str, Any]:
        shipped = self.engine.tools.retriever
        candidates = Retriever(shipped.index, shipped.tuning, shipped.notes_folder, adapter).candidates(query, ASKER)
        rows = [self.rows[chunk.id] for chunk in candidates.chunks]
        base, related, substitutes = (scores[rows] for scores in self.lexical[trace_id])
        return dict(candidates=candidates, base=base, related=related, substitutes=substitutes,
                    relevant=self.answering[trace_id][rows])

    def adapter_for(self, traces: list[Trace]) -> QueryAdapter:
        vectors = np.stack([trace.query.vector for trace in traces])
        answering = np.stack([self.answering[trace.id] for trace in traces])
        return fit_adapter(vectors, self.passages, answering, self.engine.encoder.model_name)

    def as_new(self, traces: list[Trace]) -> list[Trace]:
        """The traces as new questions: each moved by an adapter fitted on the others (an inner cross-validation),
        so that the stages after retrieval are fitted on the scores an unseen question gets."""
        ordered = sorted(traces, key=lambda trace: trace.id)
        moved: list[Trace] = []
        for held in range(ADAPTER_INNER_FOLDS):
            inner = [position % ADAPTER_INNER_FOLDS == held for position in range(len(ordered))]
            adapter = self.adapter_for([trace for trace, out in zip(ordered, inner) if not out])
            moved.extend(self.moved(trace, adapter) for trace, out in zip(ordered, inner) if out)
        return moved

    def _expected_units(self, item: EvalItem) -> set[str]:
        """The units whose names or abbreviations are among the answers the item expects."""
        wanted = [fold(alternative) for group in item.expect for alternative in group]
        return {unit.id for unit in self.engine.knowledge.units
                if any(fold(label) == alternative or (len(alternative) > 3 and alternative in fold(label))
                       for label in unit.labels() for alternative in wanted)}

    def directory_for(self, tuning: Tuning) -> Directory:
        return Directory(self.engine.knowledge, tuning, self.engine.tools.directory.vectors)

    def sentence_candidates(self, trace: Trace, hits: list[Hit]) -> list[SentenceCandidate]:
        key = (trace.id, hash(tuple(hit.chunk.id for hit in hits[:4])))
        if key not in self.sentence_cache:
            expansion, language = trace.query.expansion, trace.query.language
            stand_ins = expansion.substitute_groups + (expansion.related_groups if language == "en" else ())
            picker = self.engine.tools.sentences
            self.sentence_cache[key] = picker.candidates(trace.query, hits, stand_ins, passages=4)
        return self.sentence_cache[key]

    def answerable_features(self, trace: Trace, hits: list[Hit], tuning: Tuning) -> dict[str, float]:
        tools = self.engine.tools
        picker = SentencePicker(tools.retriever.index, tools.term_weights, tuning)
        answerability = Answerability(tuning, tools.term_weights, tools.analyzer, tools.expander.alternatives, picker,
                                      tools.answerability.known_names, tools.answerability.prior)
        return answerability.features(trace.query, hits[:HITS])

    def fit(self, traces: list[Trace]) -> Tuning:
        tuning = fit_retrieval(traces, Tuning())
        tuning = fit_sentences(traces, tuning, self.sentence_candidates)
        tuning = fit_router(traces, self.example_vectors, self.example_labels, tuning)
        tuning = fit_units(traces, tuning, self.directory_for)
        priors = inner_priors(traces)
        answerable = fit_answerable(traces, tuning, lambda trace, hits, tuning: {
            **self.answerable_features(trace, hits, tuning), "question_prior": priors[trace.id]})
        return tuning.model_copy(update={"answerable": answerable})

    def fit_all(self, learning: list[Trace]) -> tuple[Tuning, QueryAdapter]:
        """The query adapter fitted on `learning`, and the other constants fitted on `learning` as new questions."""
        return self.fit(self.as_new(learning)), self.adapter_for(learning)

    def fold_engine(self, learning: list[Trace]) -> tuple[Tuning, AnswerEngine]:
        """Constants and adapter fitted on `learning`, and an engine with them whose not-found prior learned from
        `learning` only."""
        tuning, adapter = self.fit_all(learning)
        return tuning, self.engine.with_tuning(tuning, labelled_questions(learning), adapter)

    def out_of_fold(self, folds: int, by_set: bool = False) -> tuple[list[tuple[str, ItemResult]], list[Tuning]]:
        fold_of = sets_as_folds(self.traces) if by_set else assign_folds(self.traces, folds)
        results: list[tuple[str, ItemResult]] = []
        tunings = []
        for fold in sorted(set(fold_of.values())):
            tuning, engine = self.fold_engine([trace for trace in self.traces if fold_of[trace.id] != fold])
            tunings.append(tuning)
            for trace in (trace for trace in self.traces if fold_of[trace.id] == fold):
                answer = engine.answer_query(trace.query, ASKER)
                results.append((trace.set_name, score_item(self.items[trace.id], answer)))
        return results, tunings


def assign_folds(traces: list[Trace], folds: int) -> dict[str, int]:
    """Each set spread evenly over the folds, in a fixed random order."""
    fold_of: dict[str, int] = {}
    by_set: dict[str, list[Trace]] = {}
    for trace in traces:
        by_set.setdefault(trace.set_name, []).append(trace)
    generator = random.Random(SEED)
    offset = 0
    for name in sorted(by_set):
        members = sorted(by_set[name], key=lambda trace: trace.id)
        generator.shuffle(members)
        for position, trace in enumerate(members):
            fold_of[trace.id] = (position + offset) % folds
        offset += len(members)
    return fold_of


def sets_as_folds(traces: list[Trace]) -> dict[str, int]:
    """Each set its own fold: every set is answered as a new set written by someone else."""
    names = sorted({trace.set_name for trace in traces})
    return {trace.id: names.index(trace.set_name) for trace in traces}


def report(results: list[tuple[str, ItemResult]]) -> dict[str, dict]:
    by_set: dict[str, list[ItemResult]] = {}
    for name, result in results:
        by_set.setdefault(name, []).append(result)
    summary = {name: summarise(group)["alle vragen"] for name, group in sorted(by_set.items())}
    summary[POOLED] = summarise([result for _, result in results])["alle vragen"]
    return summary


@click.command("fit")
@click.option("--set", "sets", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Vragenset (formaat van dev.jsonl); standaard dev.jsonl en questions/*.jsonl.")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(min=2))
@click.option("--by-set", is_flag=True, help="Laat telkens een hele set weg (in plaats van --folds).")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_CORPUS,
              show_default=True, help="Map met de studies, voor passages die als regelnummers gegeven zijn.")
@click.option("--save/--no-save", default=True, show_default=True, help="Schrijf bot/core/tuning.json.")
@click.option("--json", "as_json", is_flag=True, help="Print het resultaat als JSON.")
@click.pass_obj
def fit_command(settings: Settings, sets: tuple[Path, ...], folds: int, by_set: bool, corpus: Path, save: bool,
                as_json: bool) -> None:
    """Kies de constanten met kruisvalidatie, meld de out-of-fold-cijfers en sla de constanten op."""
    quiet_per_answer_logs()
    labelled = [(path.stem, item) for path in (sets or DEFAULT_SETS) for item in load_items(path, [corpus])]
    if by_set and len({name for name, _ in labelled}) < 2:
        raise click.ClickException("--by-set vraagt minstens twee sets.")
    engine = AnswerEngine.from_settings(settings).with_tuning(Tuning())
    fitter = Fitter(engine, labelled)
    results, tunings = fitter.out_of_fold(folds, by_set)
    summary = report(results)
    final, adapter = fitter.fit_all(fitter.traces)
    final.fitted_with = {"embedding_model": settings.embedding_model, "questions": len(labelled),
                         "folds": "een set per fold" if by_set else folds,
                         "sets": ", ".join(sorted({name for name, _ in labelled})), "date": date.today().isoformat()}
    if save:
        save_tuning(final, TUNING_FILE)
        save_adapter(adapter, ADAPTER_FILE)
    chosen = {name: [getattr(tuning, name) for tuning in tunings] for name in FITTED}
    if as_json:
        click.echo(json.dumps({"out_of_fold": summary, "per_fold": chosen, "final": final.model_dump()},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"Out-of-fold ({'een set per fold' if by_set else f'{folds} folds'}, {len(labelled)} vragen):")
    click.echo(f"{'set':32}" + "".join(f"{column:>16}" for column in REPORTED))
    for name, metrics in summary.items():
        click.echo(f"{name:32}" + "".join(f"{'' if metrics.get(c) is None else metrics.get(c):>16}" for c in REPORTED))
    click.echo("Gekozen per fold: " + "; ".join(f"{name} {values}" for name, values in chosen.items()))
    if save:
        click.echo(f"Opgeslagen: {TUNING_FILE}, {ADAPTER_FILE}")
