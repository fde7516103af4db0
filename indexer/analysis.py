"""Text analysis for the BM25 index: one function, used for chunks and queries alike.

Bump ANALYZER_VERSION whenever `analyze` changes: stores built with another
version rebuild their BM25 cache on load.
"""

from __future__ import annotations

import re
import unicodedata

import Stemmer

ANALYZER_VERSION = "nl-snowball-1"

# The Snowball Dutch stopword list (as shipped with bm25s), kept here so queries need not import bm25s/scipy.
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
    )
)
WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase and strip accents, so "efficiëntie" and "efficientie" meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def analyze(text: str) -> list[str]:
    words = [word for word in WORD.findall(fold(text)) if word not in STOPWORDS]
    # A Stemmer object costs well under a microsecond and is not thread-safe, so make one per call.
    return Stemmer.Stemmer("dutch").stemWords(words)
