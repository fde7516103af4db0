"""What kind of question this is, learned from examples: a logistic regression on question embeddings.

Routes: `document` (who wrote a study, when it appeared), `glossary` (what an abbreviation stands
for), `people` (who knows about X at unit Y), `directory` (which unit does X, what does Y do, who
leads Y), `counterpart` (with whom should I work on X) and `study` (everything else). The examples
are data (`router_examples.yaml`); the regularisation and the probability below which a question
falls back to `study` are fitted by cross-validation on the labelled question sets (`schakel fit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from bot.core.tuning import Tuning
from bot.core.vectors import QueryEncoder, cached_query_vectors

Route = Literal["document", "glossary", "people", "directory", "counterpart", "study"]
FALLBACK: Route = "study"
EXAMPLES_FILE = Path(__file__).with_name("router_examples.yaml")


@dataclass(frozen=True)
class Routing:
    route: Route
    probability: float


def load_examples(path: Path = EXAMPLES_FILE) -> tuple[list[str], list[str]]:
    examples = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [text for questions in examples.values() for text in questions]
    labels = [route for route, questions in examples.items() for _ in questions]
    return texts, labels


class Router:
    def __init__(
        self, encoder: QueryEncoder, tuning: Tuning, cache_folder: Path | None = None,
        examples: tuple[list[str], list[str]] | None = None,
    ) -> None:
        texts, labels = examples or load_examples()
        self.tuning = tuning
        self.classifier = fit_classifier(cached_query_vectors(encoder, texts, cache_folder), labels, tuning.router_c)

    def route(self, vector: np.ndarray) -> Routing:
        return decide(self.classifier, vector, self.tuning.router_min_probability)


def fit_classifier(vectors: np.ndarray, labels: list[str], c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=5000).fit(vectors, labels)


def decide(classifier: LogisticRegression, vector: np.ndarray, min_probability: float) -> Routing:
    probabilities = classifier.predict_proba(vector.reshape(1, -1))[0]
    best = int(np.argmax(probabilities))
    route: Route = str(classifier.classes_[best])  # type: ignore[assignment]
    if route != FALLBACK and probabilities[best] < min_probability:
        route = FALLBACK
    return Routing(route, float(probabilities[best]))
