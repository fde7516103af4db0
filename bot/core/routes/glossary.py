"""What an abbreviation stands for, from knowledge/glossary.yaml, or that the studies never spell it out."""

from __future__ import annotations

import re

from bot.core import phrases
from bot.core.citations import unit_ref
from bot.core.models import Answer
from bot.core.routes import AnswerTools, Ask
from bot.knowledge.schema import GlossaryTerm

MIN_CASELESS_TERM = 4  # shorter terms only match in capitals: "OM" is not "om"


def answer(tools: AnswerTools, ask: Ask) -> Answer | None:
    term = asked_term(tools, ask.query.text)
    if term is None:
        return None
    language = ask.query.language
    citations = ask.citations(tools)
    marker = citations.cite(term.source)
    if term.expanded_in_sources and term.expansion:
        text = phrases.text("glossary_expanded", language, term=term.term, expansion=term.expansion) + marker
        kind = "directory"
    else:
        text = phrases.text("glossary_not_expanded", language, term=term.term) + marker
        if term.note:
            text += "\n" + term.note
        kind = "not_found"
    units = [unit_ref(unit)] if term.unit and (unit := tools.knowledge.unit(term.unit)) else []
    citations.fill(ask.hits)
    found = kind != "not_found"
    return Answer(question=ask.query.question, answer=text, kind=kind, language=language, units=units,
                  sources=citations.sources if found else [], related=[] if found else citations.sources)


def asked_term(tools: AnswerTools, question: str) -> GlossaryTerm | None:
    """The longest glossary term the question names."""
    candidates = []
    for term in tools.knowledge.glossary:
        pattern = rf"(?<![0-9A-Za-z]){re.escape(term.term)}(?![0-9A-Za-z])"
        if re.search(pattern, question) or (
            len(term.term) >= MIN_CASELESS_TERM and re.search(pattern, question, re.IGNORECASE)
        ):
            candidates.append(term)
    return max(candidates, key=lambda term: len(term.term), default=None)
