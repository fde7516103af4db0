"""Which sentences of the best passages answer the question, and which passage leads.

Each quotable sentence of the top passages gets three normalised signals: its cosine to the
question (its vector was made at indexing), the question words it shares weighted by rarity,
and its passage's rank; and a fourth, whether it gives a fact of the kind the question asks for (a number, a
date, a unit or a person: answer_types.py). Their weights are fitted (`schakel fit`). The passage with the
strongest sentence is cited first; within a passage, sentences keep their reading order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.core.answer_types import asked_facts, gives_fact
from bot.core.query import Query
from bot.core.retrieval import Hit, SearchIndex
from bot.core.terms import TermWeights
from bot.core.text import content_terms, is_heading, is_reference
from bot.core.tuning import Tuning
from indexer.sentences import quotable_sentences

# A case note's keyword line helps retrieval but is no sentence to quote.
KEYWORD_LINE = re.compile(r"^\*\*(?:Trefwoorden|Keywords):?\*\*", re.IGNORECASE)
# "(Bervoets et al. 2017; Ministerie van Justitie en Veiligheid 2018)", "(respondent 3, 10)": who said it, not what.
IN_TEXT_CITATION = re.compile(r"\((?=[^()]*(?:\b(?:19|20)\d\d\b|\bet\s+al\b|\brespondent))[^()]*\)", re.IGNORECASE)
SIMILAR_SHARE = 0.8  # two sentences sharing this share of their words say the same thing
# A sentence that announces what follows ("Zo zegt een respondent:", "De rol van integrator is als volgt.")
# says nothing quoted alone: it is quoted together with the sentence it announces.
LEAD_IN = re.compile(r"(:|\bals volgt\.)\s*$")


@dataclass(frozen=True)
class Evidence:
    sentence: str
    hit_index: int  # position of its passage in the hit list (0-based)
    score: float
    cosine: float


@dataclass(frozen=True)
class SentenceCandidate:
    sentence: str
    hit_index: int
    cosine: float  # to the question
    overlap: float  # rarity-weighted question words it contains, per length
    gives_asked: bool = False  # states a fact of the kind the question asks for


class SentencePicker:
    def __init__(self, index: SearchIndex, weights: TermWeights, tuning: Tuning,
                 actors: re.Pattern[str] | None = None) -> None:
        self.index = index
        self.weights = weights
        self.tuning = tuning
        self.actors = actors  # the units, organisations and people the directory knows, by name

    def pick(self, query: Query, hits: list[Hit], stand_ins: Sequence[str] = ()) -> list[Evidence]:
        """The best sentences, strongest passage first. `stand_ins`: the sources' words for question words they
        never use (the Dutch of an English question's words), one string per question word."""
        candidates = self.candidates(query, hits, stand_ins, self.tuning.passages_for_sentences)
        return choose(candidates, hits, self.tuning)

    def closest(self, query: Query, hits: list[Hit], count: int) -> list[tuple[float, str]]:
        """The `count` quotable sentences of the top passages nearest to the question, with their cosines."""
        found: list[tuple[float, str]] = []
        for hit in hits[: self.tuning.passages_for_sentences]:
            sentences = quotable_sentences(hit.chunk.text)
            vectors = self.index.sentence_vectors(hit.chunk.id)
            if len(vectors) == len(sentences) and len(vectors):
                found.extend(zip((vectors @ query.vector).tolist(), sentences))
        return sorted(found, reverse=True)[:count]

    def candidates(
        self, query: Query, hits: list[Hit], stand_ins: Sequence[str], passages: int
    ) -> list[SentenceCandidate]:
        terms = set(content_terms(query.text))
        groups = [group for group in (set(content_terms(words)) - terms for words in stand_ins) if group]
        kinds = asked_facts(query.text)
        named = set(self.actors.findall(query.text)) if self.actors else set()
        candidates = []
        for index, hit in enumerate(hits[:passages]):
            found = quotable_sentences(hit.chunk.text)
            vectors = self.index.sentence_vectors(hit.chunk.id)
            cosines = vectors @ query.vector if len(vectors) == len(found) else np.zeros(len(found))
            for sentence, cosine in _with_lead_ins_joined(found, cosines.tolist()):
                if is_heading(sentence) or is_reference(sentence) or KEYWORD_LINE.match(sentence):
                    continue
                overlap = self._overlap(sentence, terms, groups)
                gives = bool(kinds) and gives_fact(kinds, sentence, self.actors, named)
                candidates.append(SentenceCandidate(sentence, index, float(cosine), overlap, gives))
        return candidates

    def _overlap(self, sentence: str, terms: set[str], groups: list[set[str]]) -> float:
        """The rarity-weighted question words in the sentence, a stand-in group counting once, per length."""
        # A sentence is not longer, nor more on topic, for naming its sources.
        sentence_terms = set(content_terms(IN_TEXT_CITATION.sub(" ", sentence)))
        overlap = sum(self.weights.idf(term) for term in terms & sentence_terms)
        overlap += sum(max((self.weights.idf(term) for term in group & sentence_terms), default=0.0)
                       for group in groups)
        return overlap / math.sqrt(max(len(sentence_terms), 4))


def choose(candidates: list[SentenceCandidate], hits: list[Hit], tuning: Tuning) -> list[Evidence]:
    """Score the candidates, keep the best distinct ones, and order them: strongest passage first, reading
    order within a passage."""
    if not candidates:
        return []
    cosine = _min_max(np.array([candidate.cosine for candidate in candidates]))
    overlap = _min_max(np.array([candidate.overlap for candidate in candidates]))
    weight = tuning.sentence_dense_weight
    scored = [
        Evidence(candidate.sentence, candidate.hit_index,
                 float(weight * cos + (1 - weight) * lex + tuning.sentence_rank_weight / (1 + candidate.hit_index)
                       + tuning.sentence_kind_weight * candidate.gives_asked),
                 candidate.cosine)
        for candidate, cos, lex in zip(candidates, cosine, overlap)
    ]
    chosen: list[Evidence] = []
    for evidence in sorted(scored, key=lambda item: -item.score):
        if not any(_similar(evidence.sentence, other.sentence) for other in chosen):
            chosen.append(evidence)
        if len(chosen) == tuning.max_sentences:
            break
    strongest: dict[int, float] = {}
    for evidence in chosen:
        strongest[evidence.hit_index] = max(strongest.get(evidence.hit_index, 0.0), evidence.score)
    chosen.sort(key=lambda item: (-strongest[item.hit_index], item.hit_index,
                                  hits[item.hit_index].chunk.text.find(item.sentence)))
    return chosen


def _with_lead_ins_joined(found: list[str], cosines: list[float]) -> list[tuple[str, float]]:
    """The sentences with their cosines, each lead-in joined to the sentence after it (the nearer cosine)."""
    joined: list[tuple[str, float]] = []
    index = 0
    while index < len(found):
        if LEAD_IN.search(found[index]) and index + 1 < len(found):
            joined.append((f"{found[index]} {found[index + 1]}", max(cosines[index], cosines[index + 1])))
            index += 2
        else:
            joined.append((found[index], cosines[index]))
            index += 1
    return joined


def _min_max(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


def _similar(first: str, second: str) -> bool:
    a, b = set(content_terms(first)), set(content_terms(second))
    return bool(a and b) and len(a & b) / min(len(a), len(b)) > SIMILAR_SHARE
