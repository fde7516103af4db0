"""How a passage splits into sentences: once at indexing, where each sentence is embedded, and again
when an answer quotes them, so the quoted sentence and its vector are always the same text."""

from __future__ import annotations

import re

# A sentence ends at . ! or ?, but not after an abbreviation that a number or name follows
# ("r. 143-151", "p. 29", "art. 58", "bijv. De Man", "(Bervoets et al. 2017)", "o.a. Defensie")
# nor after an initial ("J. Berkhout").
SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\br\.)(?<!\bp\.)(?<!\bart\.)(?<!\bnr\.)(?<!\bblz\.)(?<!\bca\.)(?<!\bbijv\.)(?<!\b[A-Z]\.)"
    r"(?<!\bet\sal\.)(?<!\bet\s\sal\.)(?<!\.[a-z]\.)"
    r"\s+(?=[\"'“‘(\[*]*[A-ZÀ-Ö0-9])"
)
LIST_NUMBER = re.compile(r"\d{1,2}[.)]")
# Shorter than this, a "sentence" is a heading fragment or a list label: never quoted, so never embedded.
MIN_SENTENCE_CHARS = 25
MAX_SENTENCE_CHARS = 600


def sentences(text: str) -> list[str]:
    """The sentences of a passage. A line break ends one too: the indexer keeps one paragraph or heading per
    line, so a heading is not glued to the sentence after it. A list number ("1.") stays with its item."""
    found: list[str] = []
    for line in text.split("\n"):
        for part in SENTENCE_END.split(line):
            part = part.strip()
            if not part:
                continue
            if found and LIST_NUMBER.fullmatch(found[-1]):
                found[-1] = f"{found[-1]} {part}"
            else:
                found.append(part)
    return found


def quotable_sentences(text: str) -> list[str]:
    """The sentences of a passage long enough to answer something and short enough to quote."""
    return [sentence for sentence in sentences(text) if MIN_SENTENCE_CHARS <= len(sentence) <= MAX_SENTENCE_CHARS]
