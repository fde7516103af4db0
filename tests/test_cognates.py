"""Dutch spellings of English words with a Latin root, which let English questions reach Dutch passages."""

from __future__ import annotations

import pytest

from bot.core.cognates import dutch_cognates


@pytest.mark.parametrize(
    ("english", "dutch"),
    [("selection", "selectie"), ("effective", "effectief"), ("initiatives", "initiatieven"),
     ("strategy", "strategie"), ("financial", "financieel"), ("central", "centraal"), ("structure", "structuur"),
     ("practical", "praktisch"), ("autonomy", "autonomie"), ("evaluate", "evalueren"), ("capacities", "capaciteiten")],
)
def test_a_latin_english_word_has_its_dutch_spelling_among_the_guesses(english: str, dutch: str) -> None:
    assert dutch in dutch_cognates(english)


@pytest.mark.parametrize("word", ["deal", "talk", "police", "the"])
def test_a_word_without_a_latin_ending_gets_no_guesses(word: str) -> None:
    assert dutch_cognates(word) == []
