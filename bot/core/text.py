"""Small text helpers for matching questions against the directory and passages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from indexer.sentences import sentences

WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ&]+(?:[-'’][0-9A-Za-zÀ-ÖØ-öø-ÿ]+)*")
# A footnote or bibliography entry ("8 Instituut voor Samenwerking, ‘PPS …’, 22 maart 2012. Zie: https://…").
REFERENCE = re.compile(r"https?://|\bwww\.|\bZie: |^\d{1,3}\s+[A-Z]|[’”],\s[^.]{0,80}\b(?:19|20)\d\d\b")
TERMINAL_PUNCTUATION = re.compile(r"[.!?:;…\"'”’)\]]\s*$")
NUMBERED_HEADING = re.compile(r"\d+(\.\d+)*\.?\s")
HEADING_MAX_CHARS = 80

# Function words and question words that carry no topic. Dutch first, then English.
STOPWORDS = frozenset(
    """
    aan al alle alles als andere ander anders ben ben bij bijv bijvoorbeeld binnen dan dat de deze die dit doen doet
    door dus een eens elk elke en er erbij eruit ga gaan gaat geen had heb hebben heeft het hier hij hoe hoeveel hun
    ik in is ja je jij jou jouw kan kun kunnen later maar me meer met mij mijn moet moeten na naar niet nog nu of om
    omdat onder ons onze ook op over per samen te tegen ten ter tot u uit uw van veel voor want waar waarom wanneer
    wat we wel welk welke werd wie wij wil willen worden wordt zal ze zelf zich zij zijn zo zoals zou zouden
    graag even precies eigenlijk concreet iemand iets waarbij daar daarbij zit zitten
    a an and are as at be by can do does for from has have how i in is it my of on or our should the their them
    this to us was we what when where which who whom why will with would you your me exactly actually really precisely
    """.split()
)


def fold(text: str) -> str:
    """Lowercase and strip accents: 'Coördinatie' and 'coordinatie' match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    return WORD.findall(text)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def content_terms(text: str) -> list[str]:
    """Folded, stemmed words without stopwords, in order of appearance."""
    terms = []
    for word in words(text):
        folded = fold(word).replace("’", "'")
        if folded in STOPWORDS or len(folded) < 2:
            continue
        terms.append(stem(folded))
    return terms


def asking_sentence(question: str) -> str:
    """The sentence that asks: the first one ending in a question mark ("Wie runt X? Is dat Defensie zelf?"
    asks about X), else the last one."""
    parts = sentences(question) or [question]
    return next((part for part in parts if part.endswith("?")), parts[-1])


def is_reference(sentence: str) -> bool:
    """A footnote or a bibliography entry: it says where something was published, not what."""
    return REFERENCE.search(sentence) is not None


def is_heading(sentence: str) -> bool:
    """A section heading ("2.4.1 Integratiemodel", "Conclusies en aanbevelingen"): no sentence to quote."""
    return not TERMINAL_PUNCTUATION.search(sentence) and (
        NUMBERED_HEADING.match(sentence) is not None or len(sentence) < HEADING_MAX_CHARS
    )


def contains_phrase(haystack_folded: str, phrase: str) -> bool:
    """Whole-word phrase match on folded text."""
    needle = fold(phrase).strip()
    if not needle:
        return False
    return re.search(rf"(?<![0-9a-z]){re.escape(needle)}(?![0-9a-z])", haystack_folded) is not None
