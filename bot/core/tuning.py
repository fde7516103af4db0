"""Every constant the answer engine learned from labelled questions, in one data file beside the code.

`schakel fit` chooses them by k-fold cross-validation over all question sets and writes
`bot/core/tuning.json`; nobody edits that file by hand. The defaults below are only what a
fresh checkout uses before its first fit (and what the fit starts its search from).
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import BaseModel, Field

TUNING_FILE = Path(__file__).with_name("tuning.json")
MAX_DEVIATIONS = 3.0


class LinearModel(BaseModel):
    """A logistic regression over named features, standardised with the training means and scales."""

    features: list[str]
    means: list[float]
    scales: list[float]
    weights: list[float]
    bias: float
    threshold: float = 0.5  # on the probability

    def probability(self, values: dict[str, float]) -> float:
        # A signal far outside what the fit saw counts no more than MAX_DEVIATIONS: a linear model must not
        # extrapolate one unusual passage into a certain answer or a certain refusal.
        z = self.bias + sum(
            weight * max(-MAX_DEVIATIONS, min(MAX_DEVIATIONS, (values[name] - mean) / scale))
            for name, mean, scale, weight in zip(self.features, self.means, self.scales, self.weights)
        )
        return 1.0 / (1.0 + math.exp(-z))


class Tuning(BaseModel):
    # Retrieval: BM25 and dense scores, each min-max normalised over the candidates, added with these weights.
    dense_weight: float = 0.5
    expansion_weight: float = 0.2  # synonyms and unit names of words the question already says
    substitute_weight: float = 2.0  # synonyms of a Dutch word the sources never use
    english_substitute_weight: float = 1.0  # the Dutch words of an English question's words
    note_weight: float = 0.6  # our case notes against the studies they summarise
    unique_term_weight: float = 0.0  # added for a word of the question that only this passage uses
    candidates: int = 50  # per retriever, before fusion
    # Sentences: cosine to the question and weighted word overlap, each min-max normalised, plus passage rank.
    sentence_dense_weight: float = 0.5
    sentence_rank_weight: float = 0.3
    sentence_kind_weight: float = 0.0  # added when a sentence gives a fact of the kind the question asks for
    passages_for_sentences: int = 3
    max_sentences: int = 3
    # Units: the directory's match of the question's words to a unit's names, tasks and keywords, blended with
    # the question's cosine to the unit's best task and to its whole entry (each min-max normalised).
    unit_task_weight: float = 1.0
    unit_entry_weight: float = 0.5
    min_unit_score: float = 4.0  # a lexical match this strong names the unit...
    min_unit_cosine: float = 0.88  # ... and so does a task this close in meaning
    # Routing: a logistic regression on the question's embedding; below this probability a route is "study".
    router_c: float = 4.0
    router_min_probability: float = 0.5
    # The not-found decision for study answers (None until fitted: then the coverage rule below decides).
    answerable: LinearModel | None = None
    min_coverage: float = 0.25
    fitted_with: dict[str, str | float | int] = Field(default_factory=dict)  # model, sets, folds, date


def load_tuning(path: Path = TUNING_FILE) -> Tuning:
    if not path.exists():
        return Tuning()
    return Tuning.model_validate_json(path.read_text(encoding="utf-8"))


def save_tuning(tuning: Tuning, path: Path = TUNING_FILE) -> None:
    path.write_text(tuning.model_dump_json(indent=2) + "\n", encoding="utf-8")
