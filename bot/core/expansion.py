"""Query expansion for the lexical retriever: synonyms, and the other names of units a question names.

"DBE" also searches "Directie Bedrijfsvoering en Evaluatie", "reflecteren" also searches
"evalueren", and an English "data protection" also searches "gegevensbescherming". The
expansion is searched separately and weighs less than the user's own words (retrieval.py).

A question word the sources never use ("teruggeven", "afgeraden") cannot match anything
itself, so its synonyms are its only route into the text: they are kept apart as
substitutes and weigh more than the synonyms of words the sources do use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.cognates import dutch_cognates, english_base_forms
from bot.core.directory import Directory
from bot.core.models import Language
from bot.core.text import STOPWORDS, content_terms, contains_phrase, fold, stem, words
from bot.knowledge.loader import KnowledgeBase


@dataclass(frozen=True)
class Expansion:
    # One string per synonym group or named unit: the words that stand in for one thing the question says.
    related_groups: tuple[str, ...] = ()  # for what the question already says in the sources' words
    substitute_groups: tuple[str, ...] = ()  # for question words the sources never use

    @property
    def related(self) -> str:
        return " ".join(self.related_groups)

    @property
    def substitutes(self) -> str:
        return " ".join(self.substitute_groups)

    def __bool__(self) -> bool:
        return bool(self.related_groups or self.substitute_groups)


class QueryExpander:
    def __init__(
        self, knowledge: KnowledgeBase, directory: Directory, known_word: Callable[[str], bool] | None = None
    ) -> None:
        self.directory = directory
        self.known_word = known_word
        self._single: dict[str, list[int]] = {}  # stem of a one-word member -> groups
        self._phrases: list[tuple[str, int]] = []  # multi-word members
        self._groups = knowledge.synonyms
        self._translations = knowledge.translations
        for number, group in enumerate(self._groups):
            for member in group:
                if " " in member.strip():
                    self._phrases.append((member, number))
                else:
                    for term in content_terms(member):
                        self._single.setdefault(term, []).append(number)

    def alternatives(self, word: str) -> list[str]:
        """The one-word synonyms of `word` ("persoonsgegevens" -> "gegevensbescherming", "privacy", ...)."""
        numbers = self._single.get(stem(fold(word)), [])
        members = [member for number in numbers for member in self._groups[number] if " " not in member.strip()]
        if not members:
            members = self._translation(fold(word))
        return [member for member in dict.fromkeys(members) if fold(member) != fold(word)]

    def expand(self, question: str, language: Language = "nl") -> Expansion:
        """Extra search text for `question`: synonyms and unit names it does not already contain, and for an
        English question the Dutch spellings of its Latin words that the sources use."""
        asked = set(content_terms(question))
        folded = fold(question)
        groups: list[int] = []
        substituted: set[int] = set()
        dutch_words: list[list[str]] = []  # per English word: the sources' Dutch words for it
        for word in words(folded):
            if word in STOPWORDS:
                continue  # "of" is no synonym of "often", though the Dutch stemmer makes it so
            numbers = self._single.get(stem(word), [])
            groups.extend(numbers)
            if numbers and self.known_word is not None and not self.known_word(word):
                substituted.update(numbers)
            if language == "en" and not numbers and self.known_word is not None:
                known = self.known_word
                dutch_words.append([dutch for part in word.split("-") for dutch in self._dutch_for(part) if known(dutch)])
        groups.extend(number for phrase, number in self._phrases if contains_phrase(folded, phrase))
        related: list[str] = []
        substitutes: list[str] = []
        seen: set[str] = set()

        def add(members: list[str], to: list[str]) -> None:
            fresh = [member for member in members if not set(content_terms(member)) <= asked and member not in seen]
            seen.update(fresh)
            if fresh:
                to.append(" ".join(fresh))

        for number in dict.fromkeys(groups):
            add(self._groups[number], substitutes if number in substituted else related)
        for unit in self.directory.mentioned_units(question):
            add(unit.labels(), related)
        # A Latin word of a unit's name ("general" in "directorate-general") is searched with that name already.
        searched = set(content_terms(" ".join([*related, *substitutes])))
        for dutch in dutch_words:
            add([member for member in dutch if not set(content_terms(member)) <= searched], substitutes)
        return Expansion(related_groups=tuple(related), substitute_groups=tuple(substitutes))

    def _dutch_for(self, english: str) -> list[str]:
        """Dutch words for an English word: its translations (`knowledge/translations.yaml`, looked up by
        its base form: "limitations" -> "limitation"), then the Dutch spellings of a Latin word."""
        return [*self._translation(english), *dutch_cognates(english)]

    def _translation(self, english: str) -> list[str]:
        """The Dutch words `knowledge/translations.yaml` gives for an English word, found by its base form."""
        return next((self._translations[form] for form in english_base_forms(english) if form in self._translations),
                    [])
