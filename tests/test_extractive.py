"""Choosing the sentences of a study answer: which passage leads, and in what order sentences read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.extractive import TermWeights, best_sentences, quantity_is_stated
from bot.core.retrieval import Hit
from bot.core.text import content_terms
from indexer.models import Chunk

ROOT = Path(__file__).resolve().parent.parent


def hit(ordinal: int, text: str, score: float) -> Hit:
    chunk = Chunk(id=f"doc#{ordinal}", doc="doc.txt", source_path="/corpus/doc.txt", content_hash="x",
                  ordinal=ordinal, chunk_count=3, title="Doc", text=text)
    return Hit(chunk, score, score, 0.0)


def weights_for(hits: list[Hit]) -> TermWeights:
    frequency: dict[str, int] = {}
    for item in hits:
        for term in set(content_terms(item.chunk.text)):
            frequency[term] = frequency.get(term, 0) + 1
    return TermWeights(frequency, len(hits) + 20)


def test_the_passage_with_the_strongest_sentence_is_cited_first() -> None:
    # The top passage only brushes the question; the second one answers it in a single sentence.
    hits = [
        hit(1, "Bij de samenwerking spelen veel voorwaarden een rol, zoals de planning van de oefeningen in het "
               "voorjaar en de afspraken over het vervoer van het materieel naar de oefenterreinen.", 1.0),
        hit(2, "De voorwaarden zijn onderverdeeld in drie categorieën: bereidheid, middelen en barrières. "
               "Dat model komt uit de literatuur over samenwerking tussen publieke organisaties.", 0.9),
    ]
    chosen = best_sentences("In welke drie categorieën zijn de voorwaarden onderverdeeld?", hits, weights_for(hits))
    assert chosen[0].hit_index == 1
    assert chosen[0].sentence.startswith("De voorwaarden zijn onderverdeeld in drie categorieën")


def test_sentences_of_one_passage_keep_their_reading_order() -> None:
    hits = [
        hit(1, "Eerst worden de voorwaarden voor bijstand genoemd in de wet over de politie. "
               "Daarna beschrijft de wet de voorwaarden voor bijstand door militairen aan de politie.", 1.0),
    ]
    chosen = best_sentences("Welke voorwaarden gelden voor bijstand aan de politie?", hits, weights_for(hits))
    assert [evidence.sentence[:6] for evidence in chosen] == ["Eerst ", "Daarna"]


def test_a_definition_question_is_answered_first_by_the_sentence_that_defines_the_term() -> None:
    # Both passages use the term; only the lower-ranked one says what it means.
    hits = [
        hit(1, "Met ketenregie wordt in de interviews gekeken of de directies ketenregie in de praktijk toepassen. "
               "Ketenregie scoort laag in de interviews.", 1.0),
        hit(2, "Met ketenregie wordt bedoeld dat een partij de schakels van een keten op elkaar afstemt.", 0.8),
    ]
    chosen = best_sentences("Wat betekent ketenregie?", hits, weights_for(hits))
    assert chosen[0].sentence.startswith("Met ketenregie wordt bedoeld")
    # The same passages for a question that asks something else: no preference for the definition.
    other = best_sentences("Hoe scoort ketenregie in de interviews?", hits, weights_for(hits))
    assert other[0].hit_index == 0


def test_a_heading_is_not_quoted_as_part_of_the_sentence_below_it() -> None:
    hits = [
        hit(1, "3.2 Ketenregie in de praktijk\nKetenregie komt in de praktijk weinig voor, zeggen de respondenten. "
               "Deelvragen:\n1. Hoe vaak komt ketenregie voor?", 1.0),
    ]
    quoted = [evidence.sentence for evidence in best_sentences("Hoe vaak komt ketenregie voor?", hits, weights_for(hits))]
    assert quoted[0].startswith("Ketenregie komt in de praktijk weinig voor")
    assert "1. Hoe vaak komt ketenregie voor?" in quoted  # a list item keeps its number
    assert not any(sentence.startswith("3.2") for sentence in quoted)


class SplitAnalyzer:
    """Index analysis stand-in: folded words as terms, no compounds."""

    def query(self, text: str) -> list[str]:
        return content_terms(text)

    def document(self, text: str) -> list[str]:
        return content_terms(text)


@pytest.mark.parametrize(
    ("passage", "stated"),
    [
        ("Bij de DSI werken 120 militairen en agenten samen.", True),
        ("Ten tweede leveren de militairen vooral specialistische kennis aan de DSI.", False),
        ("In de jaren '80 en '90 leverde Defensie al militairen aan de voorloper van de DSI.", False),
        ("Volgens respondent 4 en 7 leveren de militairen bij de DSI vooral specialistische kennis.", False),
        ("In fase 2 leveren de militairen van de DSI nog geen personeel. Er zijn 3 fasen.", False),
    ],
    ids=["figure", "ten-tweede", "decades", "numbered-label", "figure-in-the-next-sentence"],
)
def test_how_many_needs_a_real_figure_next_to_what_is_counted(passage: str, stated: bool) -> None:
    hits = [hit(1, passage, 1.0)]
    assert quantity_is_stated("Hoeveel militairen levert Defensie aan de DSI?", hits, SplitAnalyzer()) is stated


@pytest.mark.parametrize(
    ("passage", "stated"),
    [
        ("Het LMI kreeg bij de start een budget van €2,5 miljoen voor twee jaar.", True),
        ("Het LMI heeft een eigen budget en vijf bedrijven doen mee sinds 2014.", False),
    ],
    ids=["amount", "budget-without-amount"],
)
def test_a_question_after_a_sum_of_money_needs_an_amount(passage: str, stated: bool) -> None:
    hits = [hit(1, passage, 1.0)]
    assert quantity_is_stated("Wat is het jaarbudget van het LMI?", hits, SplitAnalyzer()) is stated
    assert quantity_is_stated("What was the contract value in euros?", hits, SplitAnalyzer()) is stated


@pytest.mark.parametrize(
    ("passage", "stated"),
    [
        ("In 2015 werd kolonel Damen als commandant opgevolgd door kolonel Jansen.", True),
        ("Kolonel Damen, commandant van het bedrijf, kreeg de opdracht. Mijn voorgangers probeerden het ook.", False),
    ],
    ids=["succession", "only-the-person"],
)
def test_a_question_after_a_successor_needs_a_passage_on_the_succession(passage: str, stated: bool) -> None:
    hits = [hit(1, passage, 1.0)]
    assert quantity_is_stated("Wie volgde kolonel Damen op als commandant?", hits, SplitAnalyzer()) is stated


def test_a_definition_given_after_a_colon_leads_the_answer() -> None:
    hits = [hit(1, "Over de definitie van ketenregie bestaat in de literatuur geen overeenstemming. "
                   "Na de literatuurstudie wordt deze definitie aangehouden: 'Ketenregie is het sturen op "
                   "samenhang tussen de afzonderlijke schakels van een keten van organisaties'.", 1.0)]
    (best,) = best_sentences("Welke definitie van ketenregie hanteert het onderzoek?", hits, weights_for(hits), limit=1)
    assert "definitie aangehouden" in best.sentence


def test_a_so_called_term_is_defined_by_its_sentence() -> None:
    # "Deze zogenaamde X hebben als doel ..." names and explains what the text just described.
    hits = [hit(1, "Over ketenregie is veel gezegd. Deze zogenaamde ketenregie heeft als doel de schakels van "
                   "een keten op elkaar af te stemmen.", 1.0)]
    (best,) = best_sentences("Wat wordt bedoeld met ketenregie?", hits, weights_for(hits), limit=1)
    assert best.sentence.startswith("Deze zogenaamde ketenregie")


def test_footnotes_are_not_quoted_and_initials_do_not_end_a_sentence() -> None:
    hits = [
        hit(1, "Een ketenregisseur doorloopt vijf fasen, zoals beschreven door J. Jansen.\n"
               "8 Instituut voor Ketenregie, ‘Ketenregie in vijf fasen’, 22 maart 2012. Zie: https://example.org/ketenregie",
            1.0),
    ]
    quoted = [evidence.sentence for evidence in best_sentences("Welke fasen doorloopt ketenregie?", hits, weights_for(hits))]
    assert quoted == ["Een ketenregisseur doorloopt vijf fasen, zoals beschreven door J. Jansen."]


def test_a_sentence_that_only_announces_a_chapter_does_not_lead() -> None:
    hits = [
        hit(1, "In dit hoofdstuk wordt de evaluatie van de samenwerking besproken.", 1.0),
        hit(2, "De evaluatie van de samenwerking gebeurt twee keer per jaar in een informele sessie.", 0.9),
    ]
    chosen = best_sentences("Hoe vaak is er een evaluatie van de samenwerking?", hits, weights_for(hits))
    assert chosen[0].sentence.startswith("De evaluatie van de samenwerking gebeurt")


def test_the_study_as_speaker_is_not_a_topic_of_the_question() -> None:
    # "volgens het onderzoek" must not make the sentences about the study itself win.
    hits = [
        hit(1, "Een integrator verbetert de samenwerking van de directies.", 1.0),
        hit(2, "Dit onderzoek gaat over de samenwerking van de directies.", 0.9),
    ]
    chosen = best_sentences("Wat adviseert het onderzoek voor de samenwerking van de directies?", hits,
                            weights_for(hits))
    assert chosen[0].sentence.startswith("Een integrator")


def test_a_quoted_sentence_runs_on_past_a_citation_and_dotted_abbreviations() -> None:
    # "et al. 2017" and "o.a." end no sentence: the quote would stop mid-citation or mid-list.
    hits = [
        hit(1, "Informele bijstand kost veel geld en is onwenselijk (Bervoets et al. 2017; Ministerie 2018). "
               "De kosten van die bijstand worden o.a. Defensie en de politie niet vergoed.", 1.0),
    ]
    quoted = [evidence.sentence for evidence in best_sentences("Waarom is informele bijstand onwenselijk?", hits,
                                                               weights_for(hits))]
    assert quoted[0] == "Informele bijstand kost veel geld en is onwenselijk (Bervoets et al. 2017; Ministerie 2018)."
    assert "De kosten van die bijstand worden o.a. Defensie en de politie niet vergoed." in quoted


def test_naming_its_sources_does_not_make_a_sentence_lose_to_a_shorter_one() -> None:
    hits = [
        hit(1, "Informele bijstand komt vaak voor. Informele bijstand is onwenselijk omdat die veel geld kost "
               "(Bervoets, Van Dijk en Jansen 2017; Ministerie van Justitie en Veiligheid 2018; Politie 2019).", 1.0),
    ]
    (best,) = best_sentences("Waarom is informele bijstand onwenselijk?", hits, weights_for(hits), limit=1)
    assert best.sentence.startswith("Informele bijstand is onwenselijk")


def test_two_synonyms_of_one_question_word_count_as_that_word_once() -> None:
    # "teruggeven" is not in the sources; "profiteren" and "voordelen" stand in for it. A sentence that uses both
    # says no more about the question than one that uses one of them and also names who gives what.
    hits = [
        hit(1, "Beide partijen profiteren van elkaars kennis en er zijn ook andere voordelen voor de organisaties. "
               "De politie profiteert vaker van de kwantitatieve capaciteit en specifieke middelen van Defensie, en "
               "kan Defensie realistische trainingen bieden.", 1.0),
        hit(2, "De politie en Defensie werken samen bij zoekacties.", 0.8),
        hit(3, "Defensie levert bijstand aan de politie.", 0.7),
        hit(4, "De politie vraagt Defensie om hulp.", 0.6),
    ]
    (best,) = best_sentences("Wat kan de politie Defensie teruggeven?", hits, weights_for(hits), limit=1,
                             stand_ins=["tegenprestatie profiteren profiteert voordelen"])
    assert "realistische trainingen" in best.sentence


def test_a_synonym_matches_its_verb_in_the_third_person() -> None:
    # The synonym list says "profiteren"; the source says "profiteert". The quote should still be
    # the sentence that uses it, not one that only repeats the question's other words.
    hits = [
        hit(1, "De politie en Defensie werken vaak samen bij zoekacties in de regio. "
               "De politie profiteert van de middelen van Defensie en biedt in ruil daarvoor trainingen.", 1.0),
        hit(2, "Defensie levert bijstand aan de politie.", 0.8),
    ]
    (best,) = best_sentences("Wat kan de politie Defensie teruggeven?", hits, weights_for(hits), limit=1,
                             stand_ins=["tegenprestatie profiteren voordelen"])
    assert best.sentence.startswith("De politie profiteert")


def test_a_quote_scores_the_same_in_every_process() -> None:
    # Stand-ins that meet in one form ("communiceren" and "communicatie" both as "communicer") once took whichever
    # weight a set's hash order gave last, so the same question could quote another sentence after a restart.
    script = (
        "from tests.test_extractive import hit, weights_for\n"
        "from bot.core.extractive import best_sentences\n"
        "hits = [hit(1, 'De communicatie tussen politie en Defensie loopt stroef. Zij communiceren via eigen "
        "kanalen en communiceren zelden.', 1.0),\n"
        "        hit(2, 'Over communicatie is weinig bekend.', 0.5)]\n"
        "print([round(e.score, 12) for e in best_sentences('Can they talk?', hits, weights_for(hits),\n"
        "       stand_ins=['communicatie communiceren'])])\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": str(seed)}, cwd=ROOT).stdout
        for seed in range(8)
    }
    assert len(outputs) == 1
