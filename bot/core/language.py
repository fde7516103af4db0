"""Tell an English question from a Dutch one, so the answer comes in the asker's language."""

from __future__ import annotations

from bot.core.models import Language
from bot.core.text import fold, words

ENGLISH_MARKERS = frozenset(
    "the which who what does do is are with whom should for of about responsible where how why and or "
    "can could my our i we their unit directorate department".split()
)
DUTCH_MARKERS = frozenset(
    "de het een welke wie wat doet is zijn met moet voor van over verantwoordelijk waar hoe waarom en of "
    "kan mijn onze ik wij hun directie bij op te dat die niet".split()
)


def detect_language(text: str) -> Language:
    tokens = [fold(word) for word in words(text)]
    english = sum(token in ENGLISH_MARKERS and token not in DUTCH_MARKERS for token in tokens)
    dutch = sum(token in DUTCH_MARKERS and token not in ENGLISH_MARKERS for token in tokens)
    return "en" if english > dutch else "nl"
