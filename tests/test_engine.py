"""The answer engine on the real corpus and knowledge base: threads, languages, visibility and input a user
may send. What each kind of answer says is in test_directory_answers, test_counterpart_answers and
test_study_answers."""

from __future__ import annotations

import pytest

from bot.core.models import AskerContext
from tests.answering import ask, unit_ids

PUBLIC_CHANNEL = AskerContext(channel_id="C0PUBLIEK", private=False)
RESTRICTED_WORD = "zilverreiger-7"  # appears only in knowledge/cases/voorbeeld-vertrouwelijk.md


def test_english_question_gets_an_english_answer(engine) -> None:
    answer = ask(engine, "Which directorate is responsible for data protection?")
    assert answer.language == "en"
    assert unit_ids(answer)[0] == "dbe"
    assert "as described in the Dutch sources" in answer.answer


def test_follow_up_in_a_thread_uses_the_earlier_question(engine) -> None:
    asker = AskerContext(private=True, thread_history=["Welke directie gaat over gegevensbescherming?"])
    answer = ask(engine, "En inkoop?", asker)
    assert unit_ids(answer)[0] == "dbe"


def test_a_new_short_question_in_a_thread_is_not_read_as_a_follow_up(engine) -> None:
    asker = AskerContext(private=True, thread_history=["Welke directie gaat over gegevensbescherming?"])
    assert unit_ids(ask(engine, "Wat doet DSK?", asker)) == ["dsk"]
    asker = AskerContext(private=True, thread_history=["Wat doet de DBE?"])
    answer = ask(engine, "Wat betekent coalitieoverschot?", asker)
    assert answer.kind == "study"
    assert "dbe" not in unit_ids(answer)


def test_a_follow_up_naming_only_another_unit_is_about_that_unit(engine) -> None:
    asker = AskerContext(private=True, thread_history=["Welke directie gaat over gegevensbescherming?"])
    assert unit_ids(ask(engine, "En hoe zit het met DSK?", asker)) == ["dsk"]


def test_a_question_about_that_unit_follows_on_from_the_thread(engine) -> None:
    asker = AskerContext(private=True, thread_history=["Wat doet DSK?"])
    answer = ask(engine, "Wie leidt die directie?", asker)
    assert unit_ids(answer) == ["dsk"]
    assert answer.kind == "not_found"  # the studies name no director; nothing is invented


@pytest.mark.parametrize(
    ("asker", "visible"),
    [
        (AskerContext(private=True), True),
        (AskerContext(channel_id="C0000EXAMPLE", private=False), True),
        (PUBLIC_CHANNEL, False),
    ],
    ids=["dm", "listed-channel", "other-channel"],
)
def test_restricted_note_only_in_dms_and_listed_channels(engine, asker: AskerContext, visible: bool) -> None:
    answer = ask(engine, f"Wat is {RESTRICTED_WORD}?", asker)
    shown = [source for source in answer.sources + answer.related if RESTRICTED_WORD in source.text]
    assert bool(shown) is visible
    if not visible:
        assert RESTRICTED_WORD not in answer.answer.replace(f"Wat is {RESTRICTED_WORD}?", "")


def test_empty_question_gets_a_hint(engine) -> None:
    answer = ask(engine, "   ?  ")
    assert answer.kind == "not_found"
    assert "Welke directie" in answer.answer


@pytest.mark.parametrize("question", ["מי אחראי על הגנת מידע?", "من المسؤول عن حماية البيانات؟"])
def test_a_question_in_another_script_is_read_as_a_question(engine, question: str) -> None:
    # Hebrew and Arabic letters are letters: the question is searched, not mistaken for an empty message.
    answer = ask(engine, question)
    assert "Ik zie geen vraag" not in answer.answer and "I don't see a question" not in answer.answer
    assert answer.sources or answer.related


def test_passage_lookup_respects_visibility(engine) -> None:
    private = ask(engine, f"Wat is {RESTRICTED_WORD}?")
    chunk_id = next(s.chunk_id for s in private.sources + private.related if RESTRICTED_WORD in s.text)
    assert engine.passage(chunk_id, AskerContext(private=True)) is not None
    assert engine.passage(chunk_id, PUBLIC_CHANNEL) is None
