"""The not-found decision's prior: what our labelled questions teach about questions the studies never answer.

The studies are a snapshot; questions after today's office holder, a budget or a phone number recur, and the
labelled not-in-source questions in questions/ teach the prior to expect no answer to them. None of the questions
below is in those sets.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.core.answerable import QuestionPrior
from bot.core.labelled import load_labelled
from bot.settings import SHIPPED_QUESTIONS

ASKED_OF_A_SNAPSHOT = [
    "Wie is vandaag de baas van de Directie Veiligheid? Ik wil haar bellen.",
    "Hoeveel geld heeft het MIT dit jaar te besteden?",
    "What is the current phone number of the DSI duty officer?",
]
ANSWERED_BY_THE_STUDIES = [
    "Welke succesfactoren voor samenwerking tussen de directies noemt het onderzoek?",
    "Waarom werken politie en Defensie samen in de DSI?",
    "What is the idea behind the Land Maintenance Initiative?",
]


def test_questions_like_those_the_studies_never_answer_are_expected_to_go_unanswered(engine: Any) -> None:
    prior = QuestionPrior.learned_from(load_labelled(SHIPPED_QUESTIONS), engine.encoder, None)
    snapshot = [prior.probability(engine.encoder.encode_query(question)) for question in ASKED_OF_A_SNAPSHOT]
    studies = [prior.probability(engine.encoder.encode_query(question)) for question in ANSWERED_BY_THE_STUDIES]
    assert max(snapshot) < min(studies), (snapshot, studies)


def test_without_labelled_questions_of_both_kinds_the_prior_says_nothing() -> None:
    prior = QuestionPrior(np.eye(3), np.array([True, True, True]))
    assert prior.probability(np.array([1.0, 0.0, 0.0])) == 0.5
