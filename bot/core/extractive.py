"""Extractive answers: the best sentences from the best passages, and how well they cover the question."""

from __future__ import annotations

import math
from dataclasses import dataclass

from typing import Protocol

from bot.core.retrieval import Hit
from bot.core.text import content_terms, sentences

MAX_SENTENCES = 3
MAX_SENTENCE_CHARS = 600
PASSAGES_FOR_SENTENCES = 3


@dataclass(frozen=True)
class Evidence:
    sentence: str
    hit_index: int  # position of its passage in the hit list (0-based)
    score: float


class TextAnalyzer(Protocol):
    """The index's analysis (indexer.analysis.Analyzer): the same terms BM25 matched on."""

    def query(self, text: str) -> list[str]: ...

    def document(self, text: str) -> list[str]: ...


class TermWeights:
    """Inverse document frequency of stemmed terms over the indexed passages."""

    def __init__(self, document_frequency: dict[str, int], documents: int) -> None:
        self._df = document_frequency
        self._documents = max(documents, 1)
        self.absent = math.log(1 + self._documents)  # a term the sources never use weighs most

    def idf(self, term: str) -> float:
        count = self._df.get(term, 0)
        if count == 0:
            return self.absent
        return math.log(1 + self._documents / count)

    def known(self, term: str) -> bool:
        return term in self._df


def coverage(question: str, hits: list[Hit], weights: TermWeights, analyzer: TextAnalyzer, passages: int = 3) -> float:
    """Share of the question's weight (idf) whose terms occur in the top passages.

    A question about something the sources never mention ("ex-post controls") leaves
    its rarest terms uncovered, which is what the not-found decision looks at.
    """
    terms = list(dict.fromkeys(analyzer.query(question)))
    if not terms:
        return 0.0
    present: set[str] = set()
    for hit in hits[:passages]:
        present.update(analyzer.document(hit.chunk.text))
    total = sum(weights.idf(term) for term in terms)
    covered = sum(weights.idf(term) for term in terms if term in present)
    return covered / total if total else 0.0


def best_sentences(question: str, hits: list[Hit], weights: TermWeights, limit: int = MAX_SENTENCES) -> list[Evidence]:
    terms = set(content_terms(question))
    candidates: list[Evidence] = []
    for index, hit in enumerate(hits[:PASSAGES_FOR_SENTENCES]):
        rank_bonus = 1.0 / (1 + index)
        for sentence in sentences(hit.chunk.text):
            if len(sentence) < 25 or len(sentence) > MAX_SENTENCE_CHARS:
                continue
            sentence_terms = set(content_terms(sentence))
            overlap = sum(weights.idf(term) for term in terms & sentence_terms)
            if overlap == 0:
                continue
            length_penalty = math.sqrt(max(len(sentence_terms), 4))
            candidates.append(Evidence(sentence, index, overlap / length_penalty + 0.5 * rank_bonus))
    candidates.sort(key=lambda evidence: evidence.score, reverse=True)
    chosen: list[Evidence] = []
    for evidence in candidates:
        if any(_similar(evidence.sentence, other.sentence) for other in chosen):
            continue
        chosen.append(evidence)
        if len(chosen) == limit:
            break
    # Keep the reading order within a passage, so an argument reads as written.
    chosen.sort(key=lambda evidence: (evidence.hit_index, hits[evidence.hit_index].chunk.text.find(evidence.sentence)))
    return chosen


def _similar(first: str, second: str) -> bool:
    a, b = set(content_terms(first)), set(content_terms(second))
    return bool(a and b) and len(a & b) / min(len(a), len(b)) > 0.8
