"""The unit directory: find units named in a question, and units or relations that match a topic.

A topic is matched two ways: lexically, the question's rare words against a unit's names, tasks and
keywords; and, when the question's vector is given, by meaning, its cosine to the unit's tasks and to
its whole entry. The two are blended with fitted weights (`schakel fit`); the lexical score stays the
one that thresholds and comparisons with relations read.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from bot.core.text import STOPWORDS, content_terms, fold
from bot.core.tuning import Tuning
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Relation, Unit

# Shorter abbreviations are too often a word in lower case ("om", "eu") to be read as a unit's name.
MIN_CASELESS_ABBREVIATION = 3
# Field weights for topic matching: a curated keyword says more than a word in a task description.
KEYWORD_WEIGHT = 3.0
NAME_WEIGHT = 2.0
TASK_WEIGHT = 1.0
# A compound in the question ("cybercomponent") may contain a unit's topic word ("cyber").
COMPOUND_PART_FACTOR = 0.6
MIN_COMPOUND_PART = 4
DOUBLE_VOWEL = re.compile(r"([aeou])\1")
# Words that frame a directory or counterpart question but say nothing about its topic.
FRAMING_WORDS = (
    "samenwerken samenwerking samenwerkt werk werken werkt contact betrekken halen zit zitten directie directies "
    "eenheid afdeling onderdeel collega collega's helpen hulp nodig moet moeten kan kunnen verantwoordelijk "
    "nieuw nieuwe work working collaborate contact involve help need responsible directorate unit new"
)


@dataclass(frozen=True)
class UnitMatch:
    unit: Unit
    score: float  # lexical
    matched_terms: tuple[str, ...]
    cosine: float = 0.0  # the question's best cosine to one of the unit's tasks

    def decides(self, tuning: Tuning) -> bool:
        """Strong enough to name this unit: by its words, or by the meaning of one of its tasks."""
        return self.score >= tuning.min_unit_score or self.cosine >= tuning.min_unit_cosine


@dataclass(frozen=True)
class UnitVectors:
    """Passage vectors of every unit's entry and of each of its tasks, in the directory's unit order."""

    entries: np.ndarray
    tasks: np.ndarray
    task_owner: np.ndarray  # row of the unit each task belongs to


def unit_entry(unit: Unit) -> str:
    name = f"{unit.name} ({unit.abbreviation})" if unit.abbreviation else unit.name
    return f"{name}. {' '.join(fact.text for fact in unit.responsibilities)} {', '.join(unit.keywords)}"


@dataclass(frozen=True)
class RelationMatch:
    owner: Unit  # the unit whose relation it is
    relation: Relation
    score: float


def _label_pattern(label: str, case_sensitive: bool) -> re.Pattern[str]:
    flags = 0 if case_sensitive else re.IGNORECASE
    escaped = re.escape(label if case_sensitive else fold(label))
    return re.compile(rf"(?<![0-9A-Za-z]){escaped}(?:'?s|'?en)?(?![0-9A-Za-z])", flags)


class Directory:
    def __init__(self, knowledge: KnowledgeBase, tuning: Tuning | None = None,
                 vectors: UnitVectors | None = None) -> None:
        self.knowledge = knowledge
        self.tuning = tuning or Tuning()
        self.vectors = vectors
        self._row = {unit.id: row for row, unit in enumerate(knowledge.units)}
        self._labels: list[tuple[re.Pattern[str], bool, Unit]] = []
        self._abbreviations: list[tuple[re.Pattern[str], str]] = []  # those found in any case
        for unit in knowledge.units:
            for label in unit.labels():
                # Abbreviations of two letters, or that are function words in lower case, only as written: "OM"
                # is not "om", "DO" is not "do". Longer ones also as people type them in chat: "dgb", "cio".
                case_sensitive = label.isupper() and (
                    len(label) < MIN_CASELESS_ABBREVIATION or fold(label) in STOPWORDS)
                pattern = _label_pattern(label, case_sensitive)
                self._labels.append((pattern, case_sensitive, unit))
                if label.isupper() and not case_sensitive:
                    self._abbreviations.append((pattern, label))
        self._unit_terms = {unit.id: self._term_weights(unit) for unit in knowledge.units}
        document_frequency: Counter[str] = Counter()
        for weights in self._unit_terms.values():
            document_frequency.update(weights.keys())
        total = len(knowledge.units) or 1
        self._idf = {term: math.log(1 + total / count) for term, count in document_frequency.items()}
        self._max_idf = math.log(1 + total)
        self._framing = set(content_terms(FRAMING_WORDS))

    @staticmethod
    def _term_weights(unit: Unit) -> dict[str, float]:
        weights: dict[str, float] = {}

        def add(text: str, weight: float) -> None:
            for term in content_terms(text):
                weights[term] = max(weights.get(term, 0.0), weight)

        for fact in unit.responsibilities:
            add(fact.text, TASK_WEIGHT)
        for label in unit.labels():
            add(label, NAME_WEIGHT)
        for keyword in unit.keywords:
            add(keyword, KEYWORD_WEIGHT)
        return weights

    # --- units named in the question -------------------------------------------------------

    def mentioned_units(self, text: str) -> list[Unit]:
        """Units named in the text, in order of first mention, longest label first on overlap."""
        folded = fold(text)
        hits: list[tuple[int, int, Unit]] = []
        for pattern, case_sensitive, unit in self._labels:
            match = pattern.search(text if case_sensitive else folded)
            if match:
                hits.append((match.start(), -(match.end() - match.start()), unit))
        hits.sort(key=lambda hit: (hit[0], hit[1]))
        seen: dict[str, Unit] = {}
        covered_until = -1
        for start, negative_length, unit in hits:
            end = start - negative_length
            if start < covered_until and unit.id not in seen:
                continue  # a shorter label inside a longer one: "Personeel" inside "Hoofddirectie Personeel"
            if unit.id not in seen:
                seen[unit.id] = unit
            covered_until = max(covered_until, end)
        return list(seen.values())

    def with_abbreviations_as_written(self, text: str) -> str:
        """'wat doet de cio?' as 'wat doet de CIO?': the embedding model, and the router's examples, know a unit's
        abbreviation in capitals; in lower case it reads as some other word."""
        def capitalised(match: re.Match[str], label: str) -> str:
            written = match.group(0)
            return label + written[len(label):] if written.islower() else written  # "NatOps" stays as it is

        for pattern, label in self._abbreviations:
            text = pattern.sub(lambda match, label=label: capitalised(match, label), text)
        return text

    def without_names(self, text: str, unit: Unit) -> str:
        """`text`, folded, with the unit's names and abbreviations left out."""
        labels = [(pattern, exact) for pattern, exact, labelled in self._labels if labelled.id == unit.id]
        for pattern, _ in (label for label in labels if label[1]):  # abbreviations, while the capitals are there
            text = pattern.sub(" ", text)
        text = fold(text)
        for pattern, _ in (label for label in labels if not label[1]):
            text = pattern.sub(" ", text)
        return text

    # --- topic matching ----------------------------------------------------------------------

    def _score_terms(self, question_terms: list[str], weights: dict[str, float]) -> tuple[float, list[str]]:
        score, matched = 0.0, []
        for term in dict.fromkeys(t for t in question_terms if t not in self._framing):
            weight = weights.get(term)
            idf = self._idf.get(term, self._max_idf)
            if weight is None and len(term) > MIN_COMPOUND_PART + 2:
                # The stemmer writes "afstoten" as "afstoot", which "afstotingsbeleid" only contains undoubled.
                parts = [
                    known for known in weights
                    if len(known) >= MIN_COMPOUND_PART and (known in term or DOUBLE_VOWEL.sub(r"\1", known) in term)
                ]
                if not parts:
                    # The other way round: "allianties" is the head of the unit's "alliantiemanagement".
                    parts = [known for known in weights
                             if len(known) > len(term) + 2 and (known.startswith(term) or known.endswith(term))]
                if parts:
                    best = max(parts, key=lambda known: (weights[known] * self._idf.get(known, self._max_idf),
                                                         len(known)))
                    weight = weights[best] * COMPOUND_PART_FACTOR
                    idf = self._idf.get(best, self._max_idf)
            if weight:
                score += weight * idf
                matched.append(term)
        return score, matched

    def match_topic(
        self, text: str, candidates: list[Unit] | None = None, limit: int = 5, ignore: Collection[str] = (),
        vector: np.ndarray | None = None,
    ) -> list[UnitMatch]:
        """Units whose names, tasks and keywords match the text best; `ignore`: terms already answered for;
        `vector`: the question's, to blend in the meaning of each unit's entry."""
        terms = [term for term in content_terms(text) if term not in ignore]
        units = candidates if candidates is not None else self.knowledge.units
        lexical = [self._score_terms(terms, self._unit_terms[unit.id]) for unit in units]
        if vector is None or self.vectors is None or not units:
            matches = [UnitMatch(unit, score, tuple(matched)) for unit, (score, matched) in zip(units, lexical)
                       if score > 0]
            matches.sort(key=lambda match: match.score, reverse=True)
            return matches[:limit]
        rows = [self._row[unit.id] for unit in units]
        task_cosines = np.full(len(self.knowledge.units), -1.0)
        np.maximum.at(task_cosines, self.vectors.task_owner, self.vectors.tasks @ vector)
        tasks, entries = task_cosines[rows], (self.vectors.entries @ vector)[rows]
        blended = (_min_max(np.array([score for score, _ in lexical])) + self.tuning.unit_task_weight * _min_max(tasks)
                   + self.tuning.unit_entry_weight * _min_max(entries))
        order = np.argsort(-blended, kind="stable")[:limit]
        return [UnitMatch(units[i], lexical[i][0], tuple(lexical[i][1]), float(tasks[i])) for i in order]

    def match_relations(self, text: str, owners: list[Unit] | None = None) -> list[RelationMatch]:
        """Relations whose topic matches the text; from `owners` only when given."""
        terms = content_terms(text)
        results = []
        for owner in owners if owners is not None else self.knowledge.units:
            for relation in owner.relations:
                weights: dict[str, float] = {}
                for term in content_terms(" ".join([relation.topic, *relation.keywords])):
                    weights[term] = KEYWORD_WEIGHT
                for term in content_terms(relation.why):
                    weights.setdefault(term, TASK_WEIGHT)
                score, _ = self._score_terms(terms, weights)
                if score > 0:
                    results.append(RelationMatch(owner, relation, score))
        results.sort(key=lambda match: (-match.score, match.relation.order))
        return results

    def units_of_kind(self, kind: str) -> list[Unit]:
        return [unit for unit in self.knowledge.units if unit.kind == kind]

    def units_of_kinds(self, kinds: Collection[str]) -> list[Unit]:
        return [unit for unit in self.knowledge.units if unit.kind in kinds]

    def descendants(self, unit: Unit) -> list[Unit]:
        found, frontier = [], [unit.id]
        while frontier:
            children = [child for parent in frontier for child in self.knowledge.children(parent)]
            found.extend(children)
            frontier = [child.id for child in children]
        return found


def _min_max(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.zeros_like(values)
