"""`schakel fit`: choose the engine's constants by k-fold cross-validation over every question set, report
the out-of-fold figures, and write the constants fitted on all sets to `bot/core/tuning.json`.

Out-of-fold: for each fold, every stage is fitted on the other folds (bot/core/fitting.py), and the engine
with those constants answers the fold's questions, scored as `schakel eval` scores them. No question is
ever answered by constants fitted on it.
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import click
import numpy as np

from bot.bench import DEFAULT_CORPUS
from bot.core.answerable import Answerability
from bot.core.engine import HITS, AnswerEngine
from bot.core.directory import Directory
from bot.core.fitting import (Trace, fit_answerable, fit_retrieval, fit_router, fit_sentences, fit_units, inner_priors,
                              labelled_questions)
from bot.core.models import AskerContext, Question
from bot.core.retrieval import Hit
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


class Fitter:
    """Traces of the labelled questions, and the stage fits over them."""

    def __init__(self, engine: AnswerEngine, labelled: list[tuple[str, EvalItem]]) -> None:
        self.engine = engine
        self.items = {f"{name}/{item.id}": item for name, item in labelled}
        self.rows = {chunk_id: row for row, chunk_id in enumerate(engine.tools.retriever.index.ids)}
        self.traces = [self._trace(name, item) for name, item in labelled]
        texts, self.example_labels = load_examples()
        self.example_vectors = cached_query_vectors(engine.encoder, texts, engine.settings.data_dir / "vectors")

    def _trace(self, set_name: str, item: EvalItem) -> Trace:
        retriever = self.engine.tools.retriever
        query = self.engine.query(Question(text=item.question, asker=ASKER))
        candidates = retriever.candidates(query, ASKER)
        rows = [self.rows[chunk.id] for chunk in candidates.chunks]
        index = retriever.index

        def bm25(text: str) -> np.ndarray:
            return index.bm25_scores(text)[rows].astype(np.float64) if text else np.zeros(len(rows))

        passages = [support.text for support in item.support]
        return Trace(
            id=f"{set_name}/{item.id}", set_name=set_name, category=item.category, query=query, candidates=candidates,
            base=bm25(query.text), related=bm25(query.expansion.related), substitutes=bm25(query.expansion.substitutes),
            relevant=np.array([any(covers(chunk.text, passage) for passage in passages) for chunk in candidates.chunks],
                              dtype=bool),
            quotes=lambda sentence: any(covers(passage, sentence) for passage in passages),
            expected_units=self._expected_units(item),
        )

    def _expected_units(self, item: EvalItem) -> set[str]:
        """The units whose names or abbreviations are among the answers the item expects."""
        wanted = [fold(alternative) for group in item.expect for alternative in group]
        return {unit.id for unit in self.engine.knowledge.units
                if any(fold(label) == alternative or (len(alternative) > 3 and alternative in fold(label))
                       for label in unit.labels() for alternative in wanted)}

    def directory_for(self, tuning: Tuning) -> Directory:
        return Directory(self.engine.knowledge, tuning, self.engine.tools.directory.vectors)

    def sentence_candidates(self, trace: Trace, hits: list[Hit]) -> list[SentenceCandidate]:
        key = hash(tuple(hit.chunk.id for hit in hits[:4]))
        if key not in trace.sentence_cache:
            expansion, language = trace.query.expansion, trace.query.language
            stand_ins = expansion.substitute_groups + (expansion.related_groups if language == "en" else ())
            picker = self.engine.tools.sentences
            trace.sentence_cache[key] = picker.candidates(trace.query, hits, stand_ins, passages=4)
        return trace.sentence_cache[key]

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

    def fold_engine(self, learning: list[Trace]) -> tuple[Tuning, AnswerEngine]:
        """Constants fitted on `learning`, and an engine with them whose not-found prior learned from `learning`
        only."""
        tuning = self.fit(learning)
        return tuning, self.engine.with_tuning(tuning, labelled_questions(learning))

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
    final = fitter.fit(fitter.traces)
    final.fitted_with = {"embedding_model": settings.embedding_model, "questions": len(labelled),
                         "folds": "een set per fold" if by_set else folds,
                         "sets": ", ".join(sorted({name for name, _ in labelled})), "date": date.today().isoformat()}
    if save:
        save_tuning(final, TUNING_FILE)
    chosen = {name: [getattr(tuning, name) for tuning in tunings] for name in
              ("dense_weight", "note_weight", "expansion_weight", "substitute_weight", "english_substitute_weight",
               "sentence_dense_weight", "sentence_rank_weight", "passages_for_sentences", "router_c",
               "router_min_probability", "unit_task_weight", "unit_entry_weight", "min_unit_cosine")}
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
        click.echo(f"Opgeslagen: {TUNING_FILE}")
