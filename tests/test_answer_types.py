"""What kind of fact a question asks for, and whether the passages give one: a signal of "not found"."""

from __future__ import annotations

import pytest

from bot.core.answer_types import asked_kinds, missing_kinds


@pytest.mark.parametrize(("question", "kinds"), [
    ("Wat is het jaarbudget van het LMI?", {"money"}),
    ("What was the total contract value, in euros?", {"money"}),
    ("Hoeveel procent van de samenwerkingen mislukt?", {"share"}),
    ("Hoeveel interviews zijn er afgenomen?", {"number"}),
    ("Wanneer is het LMI gestart?", {"date"}),
    ("Wie is de vaste liaisonofficier van de politie? Ik zoek een naam.", {"person"}),
    ("Is de integrator inmiddels aangesteld?", {"present"}),
    ("Who currently leads the DGB?", {"present"}),
    ("Waarom werken politie en Defensie samen?", set()),
])
def test_the_kind_of_fact_a_question_asks_for(question: str, kinds: set[str]) -> None:
    assert asked_kinds(question) == kinds


def test_a_figure_asked_for_must_be_in_the_sentences_nearest_the_question() -> None:
    question = "Hoeveel reservisten zijn er via Sponsored Reserves ingestroomd?"
    assert missing_kinds(question, ["Sponsored Reserves is een samenwerking met bedrijven."], [], set()) == {"number"}
    assert missing_kinds(question, ["Er zijn 12 reservisten ingestroomd."], [], set()) == set()


def test_no_dated_source_gives_the_state_of_things_today() -> None:
    question = "Wie is op dit moment directeur van de DIA?"
    assert "present" in missing_kinds(question, ["In 2023 was de directeur van de DIA betrokken."], [], set())


def test_a_year_is_a_date_not_a_number() -> None:
    question = "Hoeveel bedrijven deden mee?"
    assert missing_kinds(question, ["Het project begon in 2019 met bedrijven uit de regio."], [], set()) == {"number"}


def test_a_person_asked_for_must_be_named_in_the_passages_other_than_who_the_question_names() -> None:
    question = "Wie was de programmamanager naast Klos?"
    assert missing_kinds(question, [], ["Roel Klos was programmamanager."], {"klos"}) == {"person"}
    assert missing_kinds(question, [], ["Kolonel Jansen leidde het programma."], {"klos"}) == set()
