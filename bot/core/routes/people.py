"""Who at a unit knows about a topic: colleagues from the people directory (people.yaml and chat profiles)."""

from __future__ import annotations

from bot.core import phrases
from bot.core.citations import display_name, unit_ref
from bot.core.models import Answer
from bot.core.routes import AnswerTools, Ask
from bot.core.routes.units import colleague_line, colleagues, unit_answer


def answer(tools: AnswerTools, ask: Ask) -> Answer | None:
    question, language = ask.query.text, ask.query.language
    named = tools.directory.mentioned_units(question)
    unit = named[0] if named else None
    people = colleagues(tools, question, unit)
    if not people:
        if unit is None:
            return None
        directory_answer = unit_answer(tools, ask, unit)
        directory_answer.answer = (
            phrases.text("no_people", language, unit=display_name(unit)) + "\n\n" + directory_answer.answer
        )
        return directory_answer
    lines = [phrases.text("people_intro", language), *(colleague_line(tools, person) for person in people)]
    return Answer(question=ask.query.question, answer="\n".join(lines), kind="directory", language=language,
                  units=[unit_ref(unit)] if unit else [], people=people)
