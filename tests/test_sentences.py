"""Choosing the sentences of a study answer: which passage leads, and in what order sentences read.

The passages are written here; their sentences are embedded with the real default model, as indexing does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.core.answer_types import names_pattern
from bot.core.expansion import Expansion
from bot.core.query import Query
from bot.core.retrieval import Hit
from bot.core.sentences import SentenceCandidate, SentencePicker, choose
from bot.core.terms import TermWeights
from bot.core.text import content_terms
from bot.core.tuning import Tuning
from indexer.embedding import E5Embedder, embed_chunks
from indexer.models import Chunk
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent


class PassagesIndex:
    """The few passages of a test, with their sentence vectors, as the index hands them to the picker."""

    def __init__(self, embedder: E5Embedder, texts: list[str]) -> None:
        self.chunks = {
            f"doc#{ordinal}": Chunk(id=f"doc#{ordinal}", doc="doc.txt", source_path="/corpus/doc.txt",
                                    content_hash="x", ordinal=ordinal, chunk_count=len(texts), title="Doc", text=text)
            for ordinal, text in enumerate(texts)
        }
        _, sentence_vectors = embed_chunks(embedder, list(self.chunks.values()))
        self._sentences = dict(zip(self.chunks, sentence_vectors))
        frequency: dict[str, int] = {}
        for text in texts:
            for term in set(content_terms(text)):
                frequency[term] = frequency.get(term, 0) + 1
        self.weights = TermWeights(frequency, len(texts) + 20)

    def sentence_vectors(self, chunk_id: str) -> np.ndarray:
        return self._sentences[chunk_id]

    def hits(self) -> list[Hit]:
        return [Hit(chunk, 1.0 - 0.1 * rank, 1.0, 0.5, 0.5) for rank, chunk in enumerate(self.chunks.values())]


@pytest.fixture(scope="module")
def embedder() -> E5Embedder:
    return E5Embedder(make_settings(Path("unused")))


def pick(embedder: E5Embedder, question: str, texts: list[str], stand_ins: tuple[str, ...] = ()) -> list:
    index = PassagesIndex(embedder, texts)
    query = Query(question, question, "nl", Expansion(), embedder.encode_query(question))
    picker = SentencePicker(index, index.weights, Tuning())  # type: ignore[arg-type]
    return picker.pick(query, index.hits(), stand_ins)


def test_the_passage_with_the_strongest_sentence_is_cited_first(embedder: E5Embedder) -> None:
    # The top passage only brushes the question; the second one answers it in a single sentence.
    chosen = pick(embedder, "In welke drie categorieën zijn de voorwaarden onderverdeeld?", [
        "Bij de samenwerking spelen veel zaken een rol, zoals de planning van de oefeningen in het voorjaar en "
        "de afspraken over het vervoer van het materieel naar de oefenterreinen.",
        "De voorwaarden zijn onderverdeeld in drie categorieën: bereidheid, middelen en barrières. "
        "Dat model komt uit de literatuur over samenwerking tussen publieke organisaties.",
    ])
    assert chosen[0].hit_index == 1
    assert chosen[0].sentence.startswith("De voorwaarden zijn onderverdeeld in drie categorieën")


def test_sentences_of_one_passage_keep_their_reading_order(embedder: E5Embedder) -> None:
    chosen = pick(embedder, "Welke voorwaarden gelden voor bijstand aan de politie?", [
        "Eerst worden de voorwaarden voor bijstand genoemd in de wet over de politie. "
        "Daarna beschrijft de wet de voorwaarden voor bijstand door militairen aan de politie.",
    ])
    assert [evidence.sentence[:6] for evidence in chosen] == ["Eerst ", "Daarna"]


def test_a_heading_and_a_footnote_are_never_quoted(embedder: E5Embedder) -> None:
    chosen = pick(embedder, "Hoe werkt de samenwerking met de industrie?", [
        "Samenwerking met de industrie\nDe samenwerking met de industrie werkt met korte lijnen en vaste "
        "aanspreekpunten.\n8 Instituut voor Samenwerking, ‘Samenwerking met de industrie’, 22 maart 2012. "
        "Zie: https://example.org",
    ])
    assert [evidence.sentence for evidence in chosen] == [
        "De samenwerking met de industrie werkt met korte lijnen en vaste aanspreekpunten."]


def test_an_initial_does_not_end_the_quoted_sentence(embedder: E5Embedder) -> None:
    chosen = pick(embedder, "Wat zegt Boonstra over allianties?", [
        "Volgens J. Boonstra zijn allianties kwetsbaar als partners elkaar niet vertrouwen.",
    ])
    assert chosen[0].sentence == "Volgens J. Boonstra zijn allianties kwetsbaar als partners elkaar niet vertrouwen."


def test_a_sentence_that_announces_the_next_is_quoted_with_it(embedder: E5Embedder) -> None:
    chosen = pick(embedder, "Wat zegt een respondent over de inzet van militairen bij de politie?", [
        "Zo zegt een respondent over de inzet van militairen bij de politie:\n"
        "“Het werkt alleen als de afspraken vooraf helder zijn.”\nDaarna volgt een ander onderwerp over oefenterreinen.",
    ])
    assert chosen[0].sentence == ("Zo zegt een respondent over de inzet van militairen bij de politie: "
                                  "“Het werkt alleen als de afspraken vooraf helder zijn.”")


def test_a_question_for_a_party_is_answered_with_the_sentence_that_names_it(embedder: E5Embedder) -> None:
    question = "Welke partij binnen Defensie moet de leiding nemen bij het opschalen van samenwerking?"
    index = PassagesIndex(embedder, [
        "Bij het opschalen van samenwerking moet een leidende partij binnen Defensie de regie houden. "
        "Zonder leiding binnen Defensie blijft het opschalen van samenwerking steken. "
        "Het advies is dat het Directoraat-Generaal Beleid de leiding neemt. "
        "De interviews werden gehouden in het voorjaar.",
    ])
    query = Query(question, question, "nl", Expansion(), embedder.encode_query(question))
    names = names_pattern({"Directoraat-Generaal Beleid", "DGB", "Defensie"})

    def quoted(weight: float) -> str:
        tuning = Tuning(max_sentences=2, sentence_kind_weight=weight)
        return " ".join(e.sentence for e in SentencePicker(index, index.weights, tuning, names)  # type: ignore[arg-type]
                        .pick(query, index.hits()))

    # Without the signal the question's own words win; "Defensie", which the question names, does not count.
    assert "Directoraat-Generaal Beleid" not in quoted(0.0)
    assert "Directoraat-Generaal Beleid" in quoted(0.6)


def test_two_stand_ins_for_one_question_word_count_as_that_word_once(embedder: E5Embedder) -> None:
    # "teruggeven" is not in the passages; "profiteren" and "voordelen" both stand in for it.
    index = PassagesIndex(embedder, [
        "De politie kan profiteren van de voordelen van de inzet.",
        "De politie kan profiteren van realistische trainingsscenario's die zij Defensie aanbiedt.",
    ])
    query = Query("Wat kan de politie teruggeven?", "Wat kan de politie teruggeven?", "nl", Expansion(),
                  embedder.encode_query("Wat kan de politie teruggeven?"))
    picker = SentencePicker(index, index.weights, Tuning())  # type: ignore[arg-type]
    candidates = picker.candidates(query, index.hits(), ("profiteren voordelen",), passages=2)
    both = candidates[0]
    terms = set(content_terms(both.sentence))
    idf = index.weights.idf
    once = (idf(content_terms("politie")[0]) + max(idf(t) for t in content_terms("profiteren voordelen"))) / (
        len(terms) ** 0.5)
    assert both.overlap == pytest.approx(once)


def test_the_same_candidates_give_the_same_answer_in_every_process() -> None:
    script = (
        "from bot.core.sentences import SentenceCandidate, choose\n"
        "from bot.core.retrieval import Hit\n"
        "from bot.core.tuning import Tuning\n"
        "from indexer.models import Chunk\n"
        "text = 'Een zin over samenwerking met de politie. Nog een zin over samenwerking met de politie.'\n"
        "chunk = Chunk(id='d#0', doc='d', source_path='d', content_hash='x', ordinal=0, chunk_count=1, title='D',"
        " text=text)\n"
        "candidates = [SentenceCandidate('Een zin over samenwerking met de politie.', 0, 0.8, 1.0),"
        " SentenceCandidate('Nog een zin over samenwerking met de politie.', 0, 0.8, 1.0)]\n"
        "print([e.sentence for e in choose(candidates, [Hit(chunk, 1.0, 1.0, 0.8, 0.8)], Tuning())])\n"
    )
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True,
                                text=True, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_choosing_keeps_one_of_two_sentences_that_say_the_same() -> None:
    chunk = Chunk(id="d#0", doc="d", source_path="d", content_hash="x", ordinal=0, chunk_count=1, title="D",
                  text="De DSI werkt met politie en Defensie. De DSI werkt met politie en Defensie samen.")
    candidates = [SentenceCandidate("De DSI werkt met politie en Defensie.", 0, 0.9, 2.0),
                  SentenceCandidate("De DSI werkt met politie en Defensie samen.", 0, 0.89, 2.0)]
    assert len(choose(candidates, [Hit(chunk, 1.0, 1.0, 0.9, 0.9)], Tuning())) == 1
