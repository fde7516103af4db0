"""Small text helpers for matching questions against the directory and passages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ&]+(?:[-'’][0-9A-Za-zÀ-ÖØ-öø-ÿ]+)*")
# A sentence ends at . ! or ?, but not after an abbreviation that a number or name follows
# ("r. 143-151", "p. 29", "art. 58", "bijv. De Man", "(Bervoets et al. 2017)", "o.a. Defensie")
# nor after an initial ("J. Berkhout").
SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\br\.)(?<!\bp\.)(?<!\bart\.)(?<!\bnr\.)(?<!\bblz\.)(?<!\bca\.)(?<!\bbijv\.)(?<!\b[A-Z]\.)"
    r"(?<!\bet\sal\.)(?<!\bet\s\sal\.)(?<!\.[a-z]\.)"
    r"\s+(?=[\"'“‘(\[*]*[A-ZÀ-Ö0-9])"
)
# A footnote or bibliography entry ("8 Instituut voor Samenwerking, ‘PPS …’, 22 maart 2012. Zie: https://…").
REFERENCE = re.compile(r"https?://|\bwww\.|\bZie: |^\d{1,3}\s+[A-Z]|[’”],\s[^.]{0,80}\b(?:19|20)\d\d\b")
LIST_NUMBER = re.compile(r"\d{1,2}[.)]")
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


def asking_sentence(question: str) -> str:
    """The sentence that asks: the last one ending in a question mark, else the last one."""
    parts = sentences(question) or [question]
    return next((part for part in reversed(parts) if part.endswith("?")), parts[-1])


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
