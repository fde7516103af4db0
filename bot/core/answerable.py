"""Whether the best passages answer a study question, or the honest answer is "dat staat niet in de bronnen".

One calibrated decision over a few signals, a logistic regression fitted on every labelled answerable
and not-in-source question (`schakel fit`, out-of-fold figures in the README):
- how strongly the best passage matches, lexically and by meaning;
- how close the best sentence comes to the question;
- how much of the question's weight the top passages speak to (its rare words above all);
- how far the best passage stands out from the next;
- whether the sentences nearest to the question give the kind of fact it asks for (answer_types.py);
- how much the question resembles the labelled questions the sources answer, against those they don't
  (`QuestionPrior`: the studies are a snapshot, and some things are asked of them again and again that they
  never say: who holds a post today, a budget, a phone number).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.core.answer_types import missing_kinds
from bot.core.labelled import REFUSAL_CATEGORY, LabelledQuestion
from bot.core.query import Query
from bot.core.retrieval import Hit
from bot.core.sentences import SentencePicker
from bot.core.terms import TermWeights, TextAnalyzer, covered_share
from bot.core.tuning import LinearModel, Tuning
from bot.core.vectors import QueryEncoder, cached_query_vectors

PASSAGES_CHECKED = 3
NEAREST_SENTENCES = 5  # where the asked kind of fact should be: the sentences that come closest to the question
FEATURES = ("lexical_top", "dense_top", "plain_top", "dense_margin", "sentence_top", "coverage", "kind_missing",
            "english", "question_prior")
# The prior's regularisation; out-of-fold, C from 0.3 to 4 gave the same not-found share within two questions.
PRIOR_C = 1.0


class QuestionPrior:
    """The probability that the sources answer a question, judged by its embedding alone: a logistic regression
    on the labelled questions, the not-in-source ones against all others (study, directory and counterpart
    questions are all answered from the sources). Without both kinds: 0.5."""

    def __init__(self, vectors: np.ndarray, answered: np.ndarray) -> None:
        self.model = (LogisticRegression(C=PRIOR_C, class_weight="balanced", max_iter=5000).fit(vectors, answered)
                      if len(set(answered.tolist())) == 2 else None)

    @classmethod
    def learned_from(cls, questions: Sequence[LabelledQuestion], encoder: QueryEncoder,
                     cache_folder: Path | None) -> QuestionPrior:
        vectors = cached_query_vectors(encoder, [question.text for question in questions], cache_folder)
        return cls(vectors, np.array([question.category != REFUSAL_CATEGORY for question in questions]))

    def probability(self, vector: np.ndarray) -> float:
        return 0.5 if self.model is None else float(self.model.predict_proba(vector.reshape(1, -1))[0, 1])


class Answerability:
    def __init__(
        self, tuning: Tuning, weights: TermWeights, analyzer: TextAnalyzer,
        alternatives: Callable[[str], list[str]], sentences: SentencePicker, known_names: set[str],
        prior: QuestionPrior,
    ) -> None:
        self.tuning = tuning
        self.weights = weights
        self.analyzer = analyzer
        self.alternatives = alternatives
        self.sentences = sentences
        self.known_names = known_names  # surnames of the people the directory records
        self.prior = prior

    def features(self, query: Query, hits: list[Hit]) -> dict[str, float]:
        if not hits:
            return dict.fromkeys(FEATURES, 0.0)
        dense = sorted((hit.dense for hit in hits), reverse=True)
        nearest = self.sentences.closest(query, hits, NEAREST_SENTENCES)
        return {
            "lexical_top": math.log1p(max(hit.lexical for hit in hits)),
            "dense_top": dense[0],
            # The moved cosine says how familiar the question is, the plain one whether a passage speaks to it.
            "plain_top": max(hit.plain for hit in hits),
            "dense_margin": dense[0] - dense[1] if len(dense) > 1 else 0.0,
            "sentence_top": nearest[0][0] if nearest else 0.0,
            "coverage": self.coverage(query, hits),
            "kind_missing": float(bool(missing_kinds(query.text, [sentence for _, sentence in nearest],
                                                     [hit.chunk.text for hit in hits[:PASSAGES_CHECKED]],
                                                     self.known_names))),
            "english": float(query.language == "en"),
            "question_prior": self.prior.probability(query.vector),
        }

    def coverage(self, query: Query, hits: list[Hit]) -> float:
        """Rarity-weighted share of the question's words that the top passages speak to."""
        present: set[str] = set()
        for hit in hits[:PASSAGES_CHECKED]:
            present.update(self.analyzer.document(hit.chunk.text))
        return covered_share(query.text, present, self.weights, self.analyzer, self.alternatives,
                             skip_untranslated=query.language == "en")

    def probability(self, query: Query, hits: list[Hit]) -> float:
        model = self.tuning.answerable
        if model is None:
            return float(self.coverage(query, hits) >= self.tuning.min_coverage)
        return model.probability(self.features(query, hits))

    def is_answered(self, query: Query, hits: list[Hit]) -> bool:
        if not hits:
            return False
        model: LinearModel | None = self.tuning.answerable
        return self.probability(query, hits) >= (model.threshold if model else 0.5)
