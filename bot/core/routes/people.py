"""Who at a unit knows about a topic: colleagues from the people directory (people.yaml and chat profiles)."""

from __future__ import annotations

from bot.core import phrases
from bot.core.citations import display_name, unit_ref
from bot.core.models import Answer
from bot.core.routes import AnswerTools, Ask
from bot.core.routes.units import unit_answer
from bot.core.text import content_terms, fold


def answer(tools: AnswerTools, ask: Ask) -> Answer | None:
    question, language = ask.query.text, ask.query.language
    named = tools.directory.mentioned_units(question)
    unit = named[0] if named else None
    unit_labels = {fold(label) for label in unit.labels()} if unit else set()
    terms = [term for term in content_terms(question) if term not in unit_labels]
    people = tools.people.search(unit.id if unit else None, terms) if tools.people else []
    if not people:
        if unit is None:
            return None
        directory_answer = unit_answer(tools, ask, unit)
        directory_answer.answer = (
            phrases.text("no_people", language, unit=display_name(unit)) + "\n\n" + directory_answer.answer
        )
        return directory_answer
    lines = [phrases.text("people_intro", language)]
    for person in people:
        known = tools.knowledge.unit(person.unit_id) if person.unit_id else None
        unit_name = (known.abbreviation or known.name) if known else "?"
        function = f", {person.function}" if person.function else ""
        lines.append(f"• {person.name}{function} ({unit_name})")
    return Answer(question=ask.query.question, answer="\n".join(lines), kind="directory", language=language,
                  units=[unit_ref(unit)] if unit else [], people=people)
