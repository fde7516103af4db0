"""Which short questions in a thread continue the one before, and which ask something new."""

from __future__ import annotations

import pytest

from bot.core.followup import in_context, refers_back


@pytest.mark.parametrize(
    "question",
    [
        "En inkoop?",
        "Maar bij de politie?",
        "What about the police?",
        "Wie leidt die directie?",
        "Welke wetten gelden daarvoor?",
        "Wat is hun rol?",
        "Wie doet dat?",
        "Wie is de directeur?",
        "Waarom?",
    ],
)
def test_questions_that_point_back_continue_the_thread(question: str) -> None:
    assert refers_back(question)


@pytest.mark.parametrize(
    "question",
    [
        "Wat doet DSK?",
        "Hoeveel geld kreeg het LMI?",
        "Wat betekent coalitieoverschot?",
        "Wie gaat over IT?",
        "Wie zorgt ervoor dat Kamerbrieven kloppen?",
        # Long enough to stand on its own, even though it starts with "en".
        "En welke directie is verantwoordelijk voor gegevensbescherming en inkoopmanagement binnen het DGB?",
    ],
)
def test_short_questions_with_a_topic_of_their_own_stand_alone(question: str) -> None:
    assert not refers_back(question)


def test_a_follow_up_of_a_follow_up_keeps_the_question_that_started_it() -> None:
    history = ["Welke directie gaat over gegevensbescherming?", "En inkoop?"]
    assert in_context("En afstoten?", history) == (
        "Welke directie gaat over gegevensbescherming? En inkoop? En afstoten?"
    )
    assert in_context("Wat doet DSK?", history) == "Wat doet DSK?"
