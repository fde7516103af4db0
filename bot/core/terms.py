"""Question words against passage words: rarity weights and how much of a question a text speaks to."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Protocol

from bot.core.text import fold, words


class TextAnalyzer(Protocol):
    """The index's analysis (indexer.analysis.Analyzer): the same terms BM25 matched on."""

    def query(self, text: str) -> list[str]: ...

    def document(self, text: str) -> list[str]: ...


class TermWeights:
    """Inverse document frequency of analysed terms over the indexed passages."""

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


def question_words(text: str, analyzer: TextAnalyzer) -> Iterable[tuple[str, list[str]]]:
    """Each distinct content word of `text` with its terms: the whole word first, then its parts."""
    seen: set[str] = set()
    for word in words(fold(text)):
        if "-" in word:
            # "ex-post" is not "ex" plus "post": only the joined word counts.
            terms = analyzer.query(word.replace("-", ""))[:1]
        else:
            terms = analyzer.query(word)
        if terms and terms[0] not in seen:
            seen.add(terms[0])
            yield word, terms


def word_is_covered(
    word: str,
    terms: list[str],
    present: set[str],
    analyzer: TextAnalyzer,
    alternatives: Callable[[str], list[str]] | None = None,
) -> bool:
    """The word itself, most parts of a compound ("persoonsgegevens" meets "gegevens"), or a synonym."""
    if terms[0] in present:
        return True
    parts = terms[1:]
    if parts and sum(part in present for part in parts) * 2 >= len(parts):
        return True
    for alternative in alternatives(word) if alternatives else []:
        alternative_terms = analyzer.query(alternative)
        if alternative_terms and alternative_terms[0] in present:
            return True
    return False


def covered_share(
    text: str,
    present: set[str],
    weights: TermWeights,
    analyzer: TextAnalyzer,
    alternatives: Callable[[str], list[str]] | None = None,
    skip_untranslated: bool = False,
) -> float:
    """Rarity-weighted share of the words of `text` that `present` (analysed terms) speaks to.

    `skip_untranslated`: an English word the sources don't use and that has no Dutch alternative says
    nothing about whether the Dutch sources answer, so it is left out rather than counted as missing.
    """
    total = covered = 0.0
    for word, terms in question_words(text, analyzer):
        if skip_untranslated and not weights.known(terms[0]) and not (alternatives and alternatives(word)):
            continue
        weight = weights.idf(terms[0])
        total += weight
        if word_is_covered(word, terms, present, analyzer, alternatives):
            covered += weight
    return covered / total if total else 0.0
