"""Text analysis for the BM25 index: Dutch Snowball stems, plus the parts of compounds.

Documents keep every word, so a quoted phrase such as 'wie is wie' can be found. Queries
drop function and question words, except inside quotes. Hyphenated words count whole and
in parts ("IT-strategie" → itstrategie, it, strategie), and a compound also counts as its
parts (gegevensbescherming → gegevens, bescherming) when the indexed text uses those
parts as words of their own (see compounds.py).

Bump ANALYZER_VERSION whenever the analysis changes: stores built with another version
rebuild their BM25 cache on load.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import Stemmer

from indexer.compounds import CompoundSplitter

ANALYZER_VERSION = "nl-snowball-3-compounds"

# The Snowball Dutch stopword list, plus question words: they say what is asked, not about what.
# Only queries drop them; documents keep every word.
STOPWORDS = frozenset(
    (
        "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de", "der", "deze",
        "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge", "geen", "geweest", "haar",
        "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe", "hun", "iemand", "iets", "ik", "in",
        "is", "ja", "je", "kan", "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet",
        "na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook", "op", "over",
        "reeds", "te", "tegen", "toch", "toen", "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren",
        "was", "wat", "werd", "wezen", "wie", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich", "zij",
        "zijn", "zo", "zonder", "zou",
        "welke", "welk", "waar", "wanneer", "hoeveel", "waarom", "wiens",
        # How a question is framed, not what it is about.
        "bedoelt", "bedoeld", "bedoelen", "betekent", "betekenen", "volgens", "noemt", "noemen", "zegt", "zeggen",
        "precies", "concreet", "eigenlijk", "graag", "even", "staat", "staan",
        # Pronominal adverbs ("zorgt ervoor dat", "wat vind je daarvan") point back, they name nothing.
        "ervoor", "erbij", "erop", "eraan", "ermee", "erover", "erin", "ervan", "daarvoor", "daarbij", "daarop",
        "daaraan", "daarmee", "daarover", "daarin", "daarvan", "hiervoor", "hierbij", "hierop", "hiermee", "hierover",
        # English function words, for questions asked in English.
        "a", "and", "are", "as", "at", "be", "by", "can", "did", "do", "does", "for", "from", "has", "have", "how",
        "it", "its", "my", "on", "or", "our", "should", "that", "the", "their", "them", "they", "this", "to",
        "us", "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your",
        "exactly", "actually", "really", "precisely", "according", "mean", "means", "say", "says",
    )
)
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A line-break hyphen the cleaner kept ("in- koopmanagement"), but not Dutch ellipsis ("in- en uitvoer").
BROKEN_HYPHEN = re.compile(r"([a-z])- (?!(?:en|of|tot|en/of)\b)([a-z])")
QUOTED = re.compile(r"['‘’\"“”]([^'‘’\"“”]{2,80})['‘’\"“”]")
LETTERS = re.compile(r"[a-z]+")


def fold(text: str) -> str:
    """Lowercase and strip accents, so "efficiëntie" and "efficientie" meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Analyzer:
    def __init__(self, splitter: CompoundSplitter | None = None) -> None:
        self.splitter = splitter

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "Analyzer":
        """An analyzer whose compound splitting knows the words of these texts."""
        return cls(CompoundSplitter.from_words(word for text in texts for word in LETTERS.findall(fold(text))))

    def vocabulary(self) -> dict[str, int]:
        return self.splitter.vocabulary() if self.splitter else {}

    def document(self, text: str) -> list[str]:
        return self._stems(text, keep_stopwords=True)

    def query(self, text: str) -> list[str]:
        phrases = " ".join(QUOTED.findall(text))
        return self._stems(text, keep_stopwords=False) + (self._stems(phrases, keep_stopwords=True) if phrases else [])

    def _stems(self, text: str, keep_stopwords: bool) -> list[str]:
        words: list[str] = []
        for token in WORD.findall(BROKEN_HYPHEN.sub(r"\1\2", fold(text))):
            parts = [part for part in token.split("-") if part]
            for word in parts + (["".join(parts)] if len(parts) > 1 else []):
                if not keep_stopwords and word in STOPWORDS:
                    continue
                words.append(word)
                if self.splitter is not None:
                    words.extend(self.splitter.split(word))
        # A Stemmer object costs well under a microsecond and is not thread-safe, so make one per call.
        return Stemmer.Stemmer("dutch").stemWords(words)
