"""Query expansion for the lexical retriever: synonyms, and the other names of units a question names.

"DBE" also searches "Directie Bedrijfsvoering en Evaluatie", "reflecteren" also searches
"evalueren", and an English "data protection" also searches "gegevensbescherming". The
expansion is searched separately and weighs less than the user's own words (retrieval.py).
"""

from __future__ import annotations

from bot.core.directory import Directory
from bot.core.text import content_terms, contains_phrase, fold
from bot.knowledge.loader import KnowledgeBase


class QueryExpander:
    def __init__(self, knowledge: KnowledgeBase, directory: Directory) -> None:
        self.directory = directory
        self._single: dict[str, list[int]] = {}  # stem of a one-word member -> groups
        self._phrases: list[tuple[str, int]] = []  # multi-word members
        self._groups = knowledge.synonyms
        for number, group in enumerate(self._groups):
            for member in group:
                if " " in member.strip():
                    self._phrases.append((member, number))
                else:
                    for term in content_terms(member):
                        self._single.setdefault(term, []).append(number)

    def expand(self, question: str) -> str:
        """Extra search text for `question`: synonyms and unit names it does not already contain."""
        asked = set(content_terms(question))
        folded = fold(question)
        groups: list[int] = []
        for term in asked:
            groups.extend(self._single.get(term, []))
        groups.extend(number for phrase, number in self._phrases if contains_phrase(folded, phrase))
        extra: list[str] = []
        for number in dict.fromkeys(groups):
            extra.extend(member for member in self._groups[number] if not set(content_terms(member)) <= asked)
        for unit in self.directory.mentioned_units(question):
            extra.extend(label for label in unit.labels() if not set(content_terms(label)) <= asked)
        return " ".join(dict.fromkeys(extra))
