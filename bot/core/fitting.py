"""Fitting the engine's constants on labelled questions, one stage at a time (`schakel fit` runs it per fold).

Each stage is chosen on its own measure, over traces computed once per question:
- retrieval weights: mean reciprocal rank of the first passage that holds a support passage;
- sentence weights: whether a quoted sentence lies in a support passage, plus the rank of the passage cited first;
- the not-found decision: a logistic regression, its threshold the one that refuses the most not-in-source
  questions while refusing at most `MAX_WRONGLY_REFUSED` of the answerable ones;
- routing: the share of questions sent to the route of their label;
- unit matching: for directory and counterpart questions, +1 when the unit matched first and accepted is one
  their label expects, -1 when it is not, 0 when none is accepted.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.core.answerable import FEATURES, QuestionPrior
from bot.core.directory import Directory
from bot.core.query import Query
from bot.core.retrieval import Candidates, Hit, fuse
from bot.core.labelled import REFUSAL_CATEGORY, STUDY_CATEGORIES, LabelledQuestion
from bot.core.routing import decide, fit_classifier
from bot.core.sentences import SentenceCandidate, choose
from bot.core.tuning import MAX_DEVIATIONS, LinearModel, Tuning

MAX_WRONGLY_REFUSED = 0.05
# Strong regularisation: about 150 answerable and 40 not-in-source questions, and signals that overlap a lot.
ANSWERABLE_C = 0.3
# Which way each signal of the not-found decision must point: + more of it means more likely answered.
EVIDENCE_SIGN = {"lexical_top": 1, "dense_top": 1, "plain_top": 1, "dense_margin": 1, "sentence_top": 1,
                 "coverage": 1, "kind_missing": -1, "question_prior": 1}
PRIOR_INNER_FOLDS = 5
RANK_DEPTH = 5  # reciprocal rank counts the first five passages, as MRR@5 in `schakel eval`

RETRIEVAL_GRID = {
    "dense_weight": (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0),
    # Every support passage lies in a study, never in our case notes, so the fit pushes the notes as far down
    # as it may. At or below 1 / (1 + dense_weight) a note could never lead, not even as the best match on both
    # signals (some study passage always gets the full dense share): the grid stops above that.
    "note_weight": (0.6, 0.8, 1.0),
    # 0 for the expansion weights: the synonyms and translations stay only if they pay.
    "expansion_weight": (0.0, 0.1, 0.2, 0.4),
    "substitute_weight": (0.0, 0.5, 1.0, 2.0, 3.0),
    "english_substitute_weight": (0.0, 0.5, 1.0, 2.0),
}
# Fitted second, with the expansion weights of the first grid fixed (all six at once would take five times as
# long); the fusion weights are chosen again beside it.
UNIQUE_TERM_GRID = {
    "dense_weight": RETRIEVAL_GRID["dense_weight"],
    "note_weight": RETRIEVAL_GRID["note_weight"],
    "unique_term_weight": (0.0, 0.25, 0.5, 1.0, 2.0),
}
SENTENCE_GRID = {
    "sentence_dense_weight": (0.0, 0.25, 0.5, 0.75, 1.0),
    "sentence_rank_weight": (0.0, 0.15, 0.3, 0.6, 1.0),
    "passages_for_sentences": (2, 3, 4),
    "sentence_kind_weight": (0.0, 0.15, 0.3, 0.6),
}
UNIT_GRID = {
    "unit_task_weight": (0.0, 0.5, 1.0, 1.5, 2.0),
    "unit_entry_weight": (0.0, 0.5, 1.0),
    "min_unit_cosine": (0.84, 0.86, 0.88, 0.90, 1.01),
}
ROUTER_GRID = {"router_c": (1.0, 4.0, 16.0, 64.0), "router_min_probability": (0.0, 0.3, 0.4, 0.5, 0.6)}
# Every constant a fold chooses, in the order of the stages.
FITTED = tuple(dict.fromkeys([*RETRIEVAL_GRID, *UNIQUE_TERM_GRID, *SENTENCE_GRID, *ROUTER_GRID, *UNIT_GRID]))
# Study questions may be answered as a document question ("wie schreef dit onderzoek?").
ACCEPTED_ROUTES = {"study": {"study", "document"}, "directory": {"directory"}, "counterpart": {"counterpart"}}


@dataclass
class Trace:
    """One labelled question with what the stages need of it, computed once."""

    id: str
    set_name: str
    category: str
    query: Query
    candidates: Candidates
    base: np.ndarray  # the question's own BM25 over the candidates
    related: np.ndarray  # BM25 of its synonyms and unit names
    substitutes: np.ndarray  # BM25 of the stand-ins for words the sources never use
    relevant: np.ndarray  # per candidate: holds a support passage
    quotes: Callable[[str], bool]  # whether a sentence lies in a support passage
    expected_units: set[str]  # ids of the units the label expects an answer to name

    @property
    def has_support(self) -> bool:
        return bool(self.relevant.any())

    @property
    def route_label(self) -> str | None:
        if self.category in ("directory", "counterpart"):
            return self.category
        return "study" if self.category in STUDY_CATEGORIES else None


def ranked(trace: Trace, tuning: Tuning) -> list[Hit]:
    """The trace's candidates in the order retrieval with `tuning` gives them."""
    substitute = tuning.english_substitute_weight if trace.query.language == "en" else tuning.substitute_weight
    lexical = trace.base + tuning.expansion_weight * trace.related + substitute * trace.substitutes
    candidates = replace(trace.candidates, lexical=lexical)
    return fuse(candidates, tuning)


def reciprocal_rank(relevant_ids: set[str], chunk_ids: Sequence[str]) -> float:
    for rank, chunk_id in enumerate(chunk_ids[:RANK_DEPTH], start=1):
        if chunk_id in relevant_ids:
            return 1.0 / rank
    return 0.0


def _relevant_ids(trace: Trace) -> set[str]:
    return {chunk.id for chunk, relevant in zip(trace.candidates.chunks, trace.relevant) if relevant}


def grid(values: dict[str, Sequence[float]]) -> Iterable[dict[str, float]]:
    names = list(values)
    for combination in itertools.product(*(values[name] for name in names)):
        yield dict(zip(names, combination))


def fit_retrieval(traces: list[Trace], tuning: Tuning) -> Tuning:
    scored = [(trace, _relevant_ids(trace)) for trace in traces if trace.has_support]
    for stage in (RETRIEVAL_GRID, UNIQUE_TERM_GRID):
        best, best_value = tuning, -1.0
        for values in grid(stage):
            candidate = tuning.model_copy(update=values)
            value = float(np.mean([reciprocal_rank(ids, [hit.chunk.id for hit in ranked(trace, candidate)])
                                   for trace, ids in scored]))
            if value > best_value:
                best, best_value = candidate, value
        tuning = best
    return tuning


def sentence_score(trace: Trace, hits: list[Hit], tuning: Tuning,
                   candidates_for: Callable[[Trace, list[Hit]], list[SentenceCandidate]]) -> float:
    """Quote hit (0/1) plus the reciprocal rank of the passages in the order the answer cites them."""
    candidates = [c for c in candidates_for(trace, hits) if c.hit_index < tuning.passages_for_sentences]
    chosen = choose(candidates, hits, tuning)
    quoted = any(trace.quotes(evidence.sentence) for evidence in chosen)
    cited = list(dict.fromkeys([hits[evidence.hit_index].chunk.id for evidence in chosen]))
    order = cited + [hit.chunk.id for hit in hits if hit.chunk.id not in cited]
    return float(quoted) + reciprocal_rank(_relevant_ids(trace), order)


def fit_sentences(traces: list[Trace], tuning: Tuning,
                  candidates_for: Callable[[Trace, list[Hit]], list[SentenceCandidate]]) -> Tuning:
    study = [(trace, ranked(trace, tuning)) for trace in traces if trace.has_support and trace.category in STUDY_CATEGORIES]
    best, best_value = tuning, -1.0
    for values in grid(SENTENCE_GRID):
        candidate = tuning.model_copy(update=values)
        value = float(np.mean([sentence_score(trace, hits, candidate, candidates_for) for trace, hits in study]))
        if value > best_value:
            best, best_value = candidate, value
    return best


def fit_answerable(
    traces: list[Trace], tuning: Tuning, features_for: Callable[[Trace, list[Hit], Tuning], dict[str, float]]
) -> LinearModel | None:
    """A logistic regression in which more evidence never argues for "not found": a signal whose fitted weight
    has the wrong sign fits a pattern of these question sets, not of evidence, and is left out. None when the
    questions hold no examples of both outcomes (the coverage rule then decides)."""
    labelled = [trace for trace in traces if trace.category in STUDY_CATEGORIES or trace.category == REFUSAL_CATEGORY]
    values = [features_for(trace, ranked(trace, tuning), tuning) for trace in labelled]
    answerable = np.array([trace.category != REFUSAL_CATEGORY for trace in labelled])
    features = list(FEATURES)
    while True:
        if not features or len(set(answerable.tolist())) < 2:
            return None
        rows = np.array([[row[name] for name in features] for row in values])
        means, scales = rows.mean(axis=0), rows.std(axis=0)
        scales[scales == 0] = 1.0
        standardised = np.clip((rows - means) / scales, -MAX_DEVIATIONS, MAX_DEVIATIONS)
        classifier = LogisticRegression(C=ANSWERABLE_C, class_weight="balanced", max_iter=5000)
        weights = classifier.fit(standardised, answerable).coef_[0]
        wrong = [name for name, weight in zip(features, weights) if weight * EVIDENCE_SIGN.get(name, 0) < 0]
        if not wrong:
            break
        features = [name for name in features if name not in wrong]
    model = LinearModel(features=features, means=means.tolist(), scales=scales.tolist(), weights=weights.tolist(),
                        bias=float(classifier.intercept_[0]))
    model.threshold = refusal_threshold(classifier.predict_proba(standardised)[:, 1], answerable)
    return model


def refusal_threshold(probabilities: np.ndarray, answerable: np.ndarray) -> float:
    """The highest threshold that refuses at most MAX_WRONGLY_REFUSED of the answerable questions: it refuses
    the most not-in-source questions within that bound."""
    best = 0.0
    for threshold in sorted(set(np.round(probabilities, 4).tolist()) | {0.0}):
        refused = probabilities < threshold
        if refused[answerable].mean() <= MAX_WRONGLY_REFUSED:
            best = threshold
    return float(best)


def labelled_questions(traces: list[Trace]) -> list[LabelledQuestion]:
    """What an engine learns from when these are the questions it may see."""
    return [LabelledQuestion(trace.query.question, trace.category) for trace in traces]


def inner_priors(traces: list[Trace]) -> dict[str, float]:
    """Each study and not-in-source question's `QuestionPrior`, learned from the others by an inner
    cross-validation: a prior learned from a question would vouch for it."""
    judged = [trace for trace in traces if trace.category in STUDY_CATEGORIES or trace.category == REFUSAL_CATEGORY]
    judged_ids = {trace.id for trace in judged}
    others = [trace for trace in traces if trace.id not in judged_ids]  # directory and counterpart: answered, never judged
    priors: dict[str, float] = {}
    for held in range(PRIOR_INNER_FOLDS):
        learning = others + [trace for position, trace in enumerate(judged) if position % PRIOR_INNER_FOLDS != held]
        prior = QuestionPrior(np.stack([trace.query.vector for trace in learning]),
                              np.array([trace.category != REFUSAL_CATEGORY for trace in learning]))
        for position, trace in enumerate(judged):
            if position % PRIOR_INNER_FOLDS == held:
                priors[trace.id] = prior.probability(trace.query.vector)
    return priors


def fit_router(traces: list[Trace], example_vectors: np.ndarray, example_labels: list[str], tuning: Tuning) -> Tuning:
    labelled = [trace for trace in traces if trace.route_label is not None]
    best, best_value = tuning, -1.0
    for c in ROUTER_GRID["router_c"]:
        classifier = fit_classifier(example_vectors, example_labels, c)
        for minimum in ROUTER_GRID["router_min_probability"]:
            correct = [decide(classifier, trace.query.vector, minimum).route in ACCEPTED_ROUTES[trace.route_label]
                       for trace in labelled]  # type: ignore[index]
            value = float(np.mean(correct))
            if value > best_value:
                best, best_value = tuning.model_copy(update={"router_c": c, "router_min_probability": minimum}), value
    return best


def fit_units(traces: list[Trace], tuning: Tuning, directory_for: Callable[[Tuning], Directory]) -> Tuning:
    labelled = [trace for trace in traces if trace.expected_units and trace.category in ("directory", "counterpart")]
    best, best_value = tuning, -2.0
    for values in grid(UNIT_GRID):
        candidate = tuning.model_copy(update=values)
        directory = directory_for(candidate)
        outcomes = []
        for trace in labelled:
            matches = directory.match_topic(trace.query.text, limit=1, vector=trace.query.vector)
            accepted = bool(matches) and matches[0].decides(candidate)
            outcomes.append(0.0 if not accepted else 1.0 if matches[0].unit.id in trace.expected_units else -1.0)
        value = float(np.mean(outcomes))
        if value > best_value:
            best, best_value = candidate, value
    return best
