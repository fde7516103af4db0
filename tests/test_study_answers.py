"""Questions about the studies: passages found in users' own words, quoted sentences, honest refusals."""

from __future__ import annotations

import re

import pytest

from tests.answering import assert_citations_resolve, ask, unit_ids


def test_question_the_sources_do_not_answer_is_refused_with_nearest_passages(engine) -> None:
    answer = ask(engine, "Hoeveel verdient een kolonel per maand?")
    assert answer.kind == "not_found"
    assert "staat niet in de bronnen" in answer.answer
    assert answer.related and not answer.sources


def test_how_much_question_the_sources_give_a_figure_for_is_answered(engine) -> None:
    answer = ask(engine, "Hoeveel procent van de bijstandsverzoeken gaat over zoekacties?")
    assert answer.kind == "study"
    assert "83 procent" in answer.answer


def test_how_many_needs_the_figure_in_the_same_sentence_as_what_is_counted(engine) -> None:
    # The passages give "101 Geniebataljon" and "drie partijen", but no number of reservists.
    answer = ask(engine, "Hoeveel reservisten zijn er via Sponsored Reserves ingezet?")
    assert answer.kind == "not_found"


def test_how_many_people_is_answered_by_a_figure_next_to_what_they_did(engine) -> None:
    # "mensen" counts anything; the study counts its interviews ("14 interviews afgenomen").
    answer = ask(engine, "Hoeveel mensen zijn voor het onderzoek naar het DGB geïnterviewd?")
    assert answer.kind == "study"
    assert "14 interviews" in answer.answer


def test_conversations_are_searched_as_interviews(engine) -> None:
    answer = ask(engine, "Met hoeveel gesprekken is het onderzoek naar politie en Defensie uitgevoerd?")
    assert answer.kind == "study"
    assert "10 interviews" in answer.sources[0].text


def test_how_much_question_with_a_verb_after_hoeveel_is_answered(engine) -> None:
    # What is counted follows the verb; the sources give the figure ("twee van de drie").
    answer = ask(engine, "Hoeveel moet een opgeschaalde samenwerking volgens Van Ham minimaal scoren op de criteria?")
    assert answer.kind == "study"
    assert "twee van de drie" in answer.answer


def test_english_question_in_everyday_words_is_answered_not_refused(engine) -> None:
    answer = ask(engine, "Which legal basis lets the police request military assistance?")
    assert answer.kind == "study"
    assert "Politiewet" in answer.answer


def test_a_word_the_sources_never_use_finds_its_passage_through_its_synonym_first(engine) -> None:
    # "ontraden" is not in the studies; "onwenselijk" is, in the passage that answers.
    answer = ask(engine, "Waarom wordt informele hulp tussen agenten en militairen ontraden?")
    assert answer.kind == "study"
    assert "onwenselijk" in answer.sources[0].text


def test_english_everyday_words_reach_the_dutch_passage(engine) -> None:
    answer = ask(engine, "How did the police and defence purchase their communication systems?")
    assert answer.kind == "study"
    assert "gescheiden systemen" in answer.answer


def test_an_english_latin_word_finds_the_dutch_passage_that_spells_it_the_dutch_way(engine) -> None:
    # No synonym list has "autonomy"; the study says "autonomie".
    answer = ask(engine, "What does Boonstra say about the autonomy of the partners?")
    assert answer.kind == "study"
    assert "autonomie" in answer.answer


@pytest.mark.parametrize(
    ("question", "quoted"),
    [("Why are companies afraid to lose their identity in a partnership?", "identiteit te verliezen"),
     ("Are the rules for sharing information between police and defence clear?", "uitwisselen van informatie")],
)
def test_english_everyday_words_are_searched_with_their_dutch_translations(engine, question: str, quoted: str) -> None:
    # "afraid", "lose", "sharing", "rules": knowledge/translations.yaml gives the studies' words for them.
    answer = ask(engine, question)
    assert answer.kind == "study"
    assert quoted in answer.answer


def test_english_small_talk_around_the_question_does_not_get_it_refused(engine) -> None:
    # "honestly", "curious", "teamwork": words without a Dutch translation say nothing about the sources.
    answer = ask(engine, "Honestly curious: do the legal frameworks really hinder police and military teamwork "
                         "in practice?")
    assert answer.kind == "study"
    assert "juridische" in answer.answer.lower()  # quoted at the start of a sentence, or within one


def test_an_english_of_is_not_read_as_often(engine) -> None:
    # The Dutch stemmer makes "often" into "of"; the question asks nothing about frequency.
    expansion = engine.tools.expander.expand("Which drawback of long-term partnerships does Boonstra mention?")
    assert "frequentie" not in expansion.related and "frequentie" not in expansion.substitutes


def test_an_english_study_answer_quotes_the_dutch_sentences_its_words_translate_to(engine) -> None:
    answer = ask(engine, "Where does the police submit a request for military assistance?")
    assert answer.language == "en" and "natops" in unit_ids(answer)
    assert "See the sources below" not in answer.answer
    assert "steunverzoeken" in answer.answer and "[1]" in answer.answer
    assert_citations_resolve(answer)


def test_a_dutch_word_the_sources_never_use_quotes_the_sentence_with_its_synonym(engine) -> None:
    # The studies never say "afgeraden"; the passage that answers says "onwenselijk". Retrieval finds it
    # through the synonym, and the quoted sentence must be that one, not one that repeats "bijstand".
    answer = ask(engine, "Waarom is informele bijstand tussen politie en Defensie afgeraden?")
    first_quote = answer.answer.split("\n", 1)[1].split("[1]")[0]
    assert "onwenselijk" in first_quote and "informele" in first_quote
    assert_citations_resolve(answer)


def test_quoted_sentences_do_not_break_at_line_references_or_quote_note_keywords(engine) -> None:
    answer = ask(engine, "Hoeveel procent van de bijstandsverzoeken gaat over zoekacties?")
    assert "Trefwoorden" not in answer.answer
    # A reference such as "(001, r. 1335-1347)." stays inside its sentence instead of opening the next one.
    assert not re.search(r"(?:^|\]\s+|\n)\d+-\d+\)", answer.answer)


def test_study_question_gets_sentences_from_the_studies_with_numbered_citations(engine) -> None:
    answer = ask(engine, "Waarom zijn bestuurders terughoudend met de inzet van militairen op straat?")
    assert answer.kind == "study"
    assert "[1]" in answer.answer
    assert answer.sources[0].doc.startswith("001_")
    assert len(answer.sources) <= 5
    assert_citations_resolve(answer)


def test_words_the_sources_never_use_are_searched_through_their_synonyms(engine) -> None:
    # "teruggeven" occurs nowhere in the sources: its synonyms stand in for it at full weight,
    # while synonyms of a word the sources do use ("reflecteren") stay a discounted extra.
    absent = engine.tools.expander.expand("Wat kan de politie Defensie teruggeven?")
    assert "voordelen" in absent.substitutes.split()
    present = engine.tools.expander.expand("Hoe reflecteren directies op hun samenwerking?")
    assert "evalueren" in present.related.split() and "evalueren" not in present.substitutes.split()
