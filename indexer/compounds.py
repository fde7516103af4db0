"""Dutch compound splitting against the indexed vocabulary.

Dutch writes compounds as one word: a question about "gegevensbescherming" must find a
passage that says "gegevens-bescherming" or "bescherming van gegevens", and
"cybercomponent" should meet "cyber". A word is split into two parts that both occur
on their own in the corpus, allowing the linking letters Dutch puts between them
("gegeven+s+bescherming", "kennis+en+..."). The vocabulary comes from the indexed text
itself, so it fits the domain and needs no word list from outside.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

MIN_COMPOUND = 8  # shorter words are rarely compounds worth splitting
MIN_PART = 3
MIN_PART_FREQUENCY = 2  # a part must occur at least this often as a word of its own
LINKING = ("", "s", "en", "e")


class CompoundSplitter:
    def __init__(self, frequencies: dict[str, int]) -> None:
        self._frequency = {word: count for word, count in frequencies.items() if count >= MIN_PART_FREQUENCY}
        self._split = lru_cache(maxsize=200_000)(self._split_uncached)

    @classmethod
    def from_words(cls, words: Iterable[str]) -> "CompoundSplitter":
        return cls(dict(Counter(word for word in words if len(word) >= MIN_PART)))

    def vocabulary(self) -> dict[str, int]:
        return dict(self._frequency)

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound (two or three), or () when it is not one."""
        return self._split(word)

    def _split_uncached(self, word: str) -> tuple[str, ...]:
        if len(word) < MIN_COMPOUND or not word.isalpha():
            return ()
        best: tuple[float, tuple[str, ...]] | None = None
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head, tail = word[:cut], word[cut:]
            tail_count = self._frequency.get(tail, 0)
            if not tail_count:
                continue
            for link in LINKING:
                if link and not head.endswith(link):
                    continue
                core = head[: len(head) - len(link)] if link else head
                core_count = self._frequency.get(core, 0) if len(core) >= MIN_PART else 0
                if not core_count:
                    continue
                # Prefer parts that are common words, and balanced cuts over a tiny head or tail.
                score = min(core_count, tail_count) * min(len(core), len(tail))
                if best is None or score > best[0]:
                    best = (score, (core, tail))
        if best is None:
            return ()
        core, tail = best[1]
        deeper = self._split(tail)
        return (core, *deeper) if deeper else (core, tail)
