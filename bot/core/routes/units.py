"""How one unit is presented: its facts that speak to the question, its people when a person is asked for,
what it is part of or who takes part in it, each with its citation; or honestly what the sources lack."""

from __future__ import annotations

import datetime as dt
import re

from bot.core import phrases
from bot.core.answer_types import missing_kinds
from bot.core.citations import as_not_found, display_name, unit_ref
from bot.core.models import Answer, PersonRef
from bot.core.overlay import is_old, newest_year
from bot.core.routes import AnswerTools, Ask
from bot.core.terms import covered_share, question_words, word_is_covered
from bot.core.text import asking_sentence, content_terms, fold
from bot.knowledge.schema import Fact, NamedPerson, Unit

MAX_FACTS = 2
MAX_PEOPLE = 2
PARTNERSHIP_KINDS = frozenset({"partnership", "platform"})
# "Wie leidt ...", "wie is de voorzitter", "op wiens initiatief", "graag een naam": a person is asked for.
PERSON_QUESTION = re.compile(
    r"\bwie (leidt|leidde)\b|\bwie (was|is|waren|zijn)( [\w-]+){0,4} (de |het )?(leider|voorzitter|initiatiefnemer"
    r"|trekker|programmamanager|baas|chef)|\bop wiens\b|\binitiatief\b|\bcommandant\b|\bdirecteur\b|\bhoofd\b"
    r"|\bwie (trekt|trok|trekken|trokken)\b|\b(die|deze|welke) persoon\b"
    r"|\bwie (zou|zal|gaat|moest|moet|zouden|gingen)( [\w'-]+){1,5} (leiden|trekken|voorzitten)\b"
    r"|\bwho (was|is)\b(?! (in charge|responsible))|\bwho (leads|led|heads|started)\b|\bcommander\b|\bdirector\b"
    r"|\bnaam\b|\bname\b|\bcontactpersoon|\baanspreekpunt|\bcontact person\b|\btelefoon|\bphone\b"
    r"|\bwie (heeft|had|voert) (de )?leiding\b|\bleden\b|\bmembers\b"
    r"|\bwie (is|was|zijn|waren) (dat|het|die|dit)\s*\?|\bzo ja,? wie\b|\bif so,? who\b"
)
CONTACT_DETAILS = re.compile(r"\btelefoon|\bphone\b|\be-?mail|\bmailadres|\bnummer\b|\bnumber\b|\bleden\b|\bmembers\b")
# Words of a directory question that say nothing about the topic.
GENERIC_DIRECTORY_WORDS = (
    "directie directies directoraat afdeling eenheid dienst onderdeel organisatie taak taken rol doet doen mee "
    "verantwoordelijk verantwoordelijkheid gaat over houdt bewaakt regelt zorgt wie welke nieuw nieuwe huidige "
    "andere moet erbij halen betrekken project dossier werk werkt zit contact naam leidt leiding commandant "
    "directeur hoofd initiatief opdracht gestart was is ligt liggen valt vallen hoort behoort "
    "unit department directorate responsible does who which"
).split()
GENERIC_TERMS = frozenset(content_terms(" ".join(GENERIC_DIRECTORY_WORDS)))


def asks_for_person(text: str) -> bool:
    return PERSON_QUESTION.search(fold(text)) is not None


def lacks_asked_fact(question: str, statements: list[str]) -> bool:
    """Whether the question asks for a sum, a share, a number, a date or the state of things today that none of the
    statements gives ("hoeveel betaalt Defensie per jaar voor de Kromhout Kazerne?" of the unit's entry; "wie is op
    dit moment DG Beleid?" of any dated entry). A unit's answer then gives way to the studies' passages, which may
    give it: the study route weighs whether they do. A person asked for is the directory's own answer (its
    recorded people, or none)."""
    return bool(missing_kinds(asking_sentence(question), statements, [], set()) - {"person"})


def unit_answer(
    tools: AnswerTools, ask: Ask, unit: Unit, *, found_by_topic: bool = False,
) -> Answer:
    """The answer about `unit`: a unit found by the question's topic is itself the answer; a unit the question
    names may be asked about something its entry lacks."""
    question = ask.query.text
    if CONTACT_DETAILS.search(fold(question)):
        # Phone numbers, e-mail addresses, team members: never in the sources, never invented.
        return as_not_found(facts_answer(tools, ask, unit, question))
    # A unit the question names may be asked about a fact we lack ("de opvolger van HDB"); a unit
    # found by matching the question's topic is itself the answer, whatever words are left over.
    # Only the sentence that asks: "I just moved to Central Staff. What does DMV do?" asks nothing of DMV's entry
    # about moving.
    gap = {} if found_by_topic else unknown_terms(tools, asking_sentence(question), unit)
    if gap and not _passages_mention(tools, ask, gap):
        return gap_answer(tools, ask, unit, "directory_gap")
    return facts_answer(tools, ask, unit, question)


def gap_answer(tools: AnswerTools, ask: Ask, unit: Unit, phrase: str) -> Answer:
    """Not found, said by `phrase` about `unit`, with what its entry does say as context."""
    answer = facts_answer(tools, ask, unit, ask.query.text)
    answer.answer = phrases.text(phrase, ask.query.language, unit=display_name(unit)) + "\n" + answer.answer
    return as_not_found(answer)


def facts_answer(
    tools: AnswerTools, ask: Ask, unit: Unit, question: str, *, about_person: bool = False,
    also: tuple[Unit, str] | None = None,
) -> Answer:
    """The unit's facts that match the question, cited, with its people when a person is asked for; `also`: a
    second unit, with the part of the question it answers."""
    language = ask.query.language
    citations = ask.citations(tools)
    lines: list[str] = []
    people: list[PersonRef] = []
    person_unknown = False
    named: list[NamedPerson] = []
    if about_person or asks_for_person(question):
        named = matching_people(question, unit)
        for person in named:
            lines.append(phrases.person_line(person, language) + citations.cite(person.source))
            people.append(PersonRef(name=person.name or person.function, unit_id=unit.id, function=person.function,
                                    year=person.year, source=person.source.label()))
        # Colleagues from the people directory (people.yaml and chat profiles) who work there on the topic.
        known = colleagues(tools, question, unit)
        if known:
            lines.extend([phrases.text("people_intro", language), *(colleague_line(tools, person) for person in known)])
            people.extend(known)
        if CONTACT_DETAILS.search(fold(question)) or not people:
            lines.append(phrases.text("not_in_directory", language, unit=display_name(unit)))
            person_unknown = not people

    def facts_line(about: Unit, facts: list[Fact]) -> str:
        cited = " ".join(f"{fact.text}{citations.cite(fact.source)}" for fact in facts)
        return f"{phrases.text('unit_intro', language, unit=display_name(about))} {cited}"

    shown = relevant_facts(tools, question, unit.responsibilities)
    lines.append(facts_line(unit, shown))
    if also is not None:
        second, part = also
        lines.append(facts_line(second, relevant_facts(tools, part, second.responsibilities)))
    overlay = tools.overlay.facts(unit.id) if tools.overlay is not None else []
    for fact in overlay:
        lines.append(phrases.overlay_line(fact, language) + citations.cite_overlay(fact))
    parent = tools.knowledge.unit(unit.parent) if unit.parent else None
    units = [unit_ref(unit)] + ([unit_ref(also[0])] if also else [])
    if parent and not people:
        lines.append(phrases.text("part_of", language, parent=display_name(parent), organisation=unit.organisation))
    elif unit.kind in PARTNERSHIP_KINDS and not people:
        # A partnership sits in no tree: who takes part in it places it, as "part of" places a directorate.
        partners = [partner for partner in map(tools.knowledge.unit, dict.fromkeys(r.unit for r in unit.relations))
                    if partner is not None]
        if partners:
            lines.append(phrases.text("partnership_with", language,
                                      units=", ".join(display_name(partner) for partner in partners)))
            units.extend(unit_ref(partner) for partner in partners)
    citations.fill(ask.hits)
    year = newest_year(tools.knowledge, [*(fact.source for fact in shown), *(p.source for p in named)],
                       overlay)
    answer = Answer(question=ask.query.question, answer="\n".join(lines), kind="directory", language=language,
                    units=units, people=people, sources=citations.sources,
                    stale_year=year if is_old(year, tools.max_age_years, dt.date.today()) else None)
    # Asked for a person the sources don't name: what is known about the unit is context, not the answer.
    return as_not_found(answer) if person_unknown else answer


def colleagues(tools: AnswerTools, question: str, unit: Unit | None) -> list[PersonRef]:
    """People in the people directory at `unit` (any unit when None) whose title or expertise meets the question."""
    if tools.people is None:
        return []
    labels = {fold(label) for label in unit.labels()} if unit else set()
    terms = [term for term in content_terms(question) if term not in labels and term not in GENERIC_TERMS]
    return tools.people.search(unit.id if unit else None, terms)


def colleague_line(tools: AnswerTools, person: PersonRef) -> str:
    known = tools.knowledge.unit(person.unit_id) if person.unit_id else None
    unit_name = (known.abbreviation or known.name) if known else "?"
    function = f", {person.function}" if person.function else ""
    return f"• {person.name}{function} ({unit_name})"


def matching_people(question: str, unit: Unit) -> list[NamedPerson]:
    terms = set(content_terms(question))
    scored = sorted(((len(terms & set(content_terms(f"{p.function} {p.name or ''}"))), p) for p in unit.people),
                    key=lambda item: -item[0])
    if scored and scored[0][0] > 0:
        return [person for overlap, person in scored if overlap == scored[0][0]][:MAX_PEOPLE]
    return [person for _, person in scored[:MAX_PEOPLE]]


def relevant_facts(tools: AnswerTools, question: str, facts: list[Fact], limit: int = MAX_FACTS) -> list[Fact]:
    """The facts that speak to the question most, best first (in the directory's order when tied): rare words
    weigh most, and compounds and synonyms count ("bescherming van persoonsgegevens" meets
    "gegevensbescherming")."""
    analyzer, weights, alternatives = tools.analyzer, tools.term_weights, tools.expander.alternatives

    def share(fact: Fact) -> float:
        return covered_share(question, set(analyzer.document(fact.text)), weights, analyzer, alternatives)

    return sorted(facts, key=lambda fact: -share(fact))[:limit]


def unknown_terms(tools: AnswerTools, question: str, unit: Unit) -> dict[str, list[str]]:
    """Question words nothing in the unit's entry speaks to, beyond its names and generic words."""
    analyzer = tools.analyzer
    entry = " ".join([
        *unit.labels(), *unit.keywords, *(fact.text for fact in unit.responsibilities),
        *(f"{r.topic} {' '.join(r.keywords)} {r.why}" for r in unit.relations),
        *(f"{p.function} {p.name or ''}" for p in unit.people),
    ])
    known = set(analyzer.document(entry)) | set(analyzer.document(" ".join(GENERIC_DIRECTORY_WORDS)))
    return {
        word: terms for word, terms in question_words(question, analyzer)
        if len(terms[0]) > 2 and not word_is_covered(word, terms, known, analyzer, tools.expander.alternatives)
    }


def _passages_mention(tools: AnswerTools, ask: Ask, gap: dict[str, list[str]]) -> bool:
    present: set[str] = set()
    for hit in ask.hits[:3]:
        present.update(tools.analyzer.document(hit.chunk.text))
    return covered_share(" ".join(gap), present, tools.term_weights, tools.analyzer,
                         tools.expander.alternatives) >= 0.5

