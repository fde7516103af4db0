"""Which unit a directory question is about: the one it names, the part of a named whole whose tasks match,
or the unit whose entry matches the topic best; and listings of parts and kinds of units."""

from __future__ import annotations

import re

from bot.core import phrases
from bot.core.citations import display_name, unit_ref
from bot.core.followup import says_only
from bot.core.models import Answer
from bot.core.routes import AnswerTools, Ask
from bot.core.routes.units import asks_for_person, facts_answer, gap_answer, lacks_asked_fact, unit_answer
from bot.core.text import asking_sentence, fold
from bot.knowledge.schema import SourceRef, Unit

# A unit outside the named whole wins when its topic match is this many times stronger than any part's.
FAR_BETTER_MATCH = 2.0
KIND_WORDS = {
    "integrerend": ("integrerend", "integrerende", "integrating", "horizontale"),
    "functioneel": ("functioneel", "functionele", "functional", "verticale"),
    "voorganger": ("voorganger", "voorgangers", "predecessor", "predecessors", "samengevoegd"),
}
# Kinds that sit in the organisation tree without being one of its parts.
NOT_A_PART = frozenset({"overleg", "functie", "voorganger"})
WHICH_UNIT = re.compile(
    r"\bhoe heet\b|\bwhat is .{0,40}\bcalled\b|\bwelke?\b|\bwie (binnen|bij|in) (het |de )?[\w-]+ \w+"
    r"|\bwie (bewaakt|houdt|gaat|regelt|zorgt|doet|maakt|beheert|is verantwoordelijk|ontwerpt|ontwikkelt|coordineert"
    r"|adviseert|regisseert|behartigt|bereidt|onderhoudt|ondersteunt|bepaalt|beslist)\b"
    r"|\bwhich\b|\bwho (is responsible|handles|oversees|manages)\b"
)
# "Welke andere directie ...", "which other directorate ...": the asker sits on the topic's own side.
OTHER_UNIT = re.compile(
    r"\b(andere|other) (directie|directies|directorate|directorates|onderdelen|units?)\b|\bnog meer\b"
)
ASKS_ABOUT_PARTS = re.compile(
    r"\b(uit welke|welke (?:(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|\d+) )?"
    r"(onderdelen|directies|diensten|organisaties|instanties|eenheden|bedrijven|partners|partijen)"
    r"|bestaat .{0,20}uit|vormen|wie (zit|zitten|doen|doet) er (in|mee)"
    r"|which (parts|units|directorates|companies|agencies|services|organisations|organizations)"
    r"|who (is|are) (in|part of))\b"
)
# "Wie bepaalt X, en wie beslist Y?": two questions in one, each about its own unit.
SECOND_QUESTION = re.compile(r",?\s+(?:en|and)\s+(?=(?:wie|who|welke|which)\b)")
COMPANIES = re.compile(r"\b(bedrijven|bedrijf|companies|company|leveranciers)\b")


def answer(tools: AnswerTools, ask: Ask) -> Answer | None:
    question = ask.query.text
    follow_up = _follow_up_subject(tools, ask)
    if follow_up is not None:
        # "En DSK?" after "Welke directie gaat over gegevensbescherming?": the same ask, about DSK.
        return _about_unit(tools, ask, follow_up)
    folded = fold(question)
    kinds = [kind for kind, kind_words in KIND_WORDS.items() if any(re.search(rf"\b{w}\b", folded) for w in kind_words)]
    if kinds:
        return _kind_listing(tools, ask, kinds)
    two = _two_questions(tools, ask)
    if two is not None:
        return two
    named = _subject_units(tools, question)
    if named and ASKS_ABOUT_PARTS.search(folded):
        listing = _parts_listing(tools, ask, named[0])
        if listing is not None:
            return listing
    frames = organisation_frames(tools, named)
    if named and (WHICH_UNIT.search(folded) or OTHER_UNIT.search(folded) or frames) and not asks_for_person(question):
        part = _part_for_topic(tools, question, named)
        if part is not None:
            return _about_unit(tools, ask, part, found_by_topic=True)
    if len(named) == 1:
        return _about_unit(tools, ask, named[0])
    matches = tools.directory.match_topic(question, limit=1, vector=ask.query.vector)
    if not (matches and matches[0].decides(tools.tuning)):
        return _about_unit(tools, ask, named[0]) if named else None
    return _about_unit(tools, ask, matches[0].unit, found_by_topic=True)


def _about_unit(tools: AnswerTools, ask: Ask, unit: Unit, *, found_by_topic: bool = False) -> Answer | None:
    answer = unit_answer(tools, ask, unit, found_by_topic=found_by_topic)
    entry = [fact.text for fact in unit.responsibilities]
    return None if answer.kind != "not_found" and lacks_asked_fact(ask.query.text, entry) else answer


def organisation_frames(tools: AnswerTools, named: list[Unit]) -> bool:
    """"Wie is binnen Defensie proceseigenaar van X?": a whole organisation named alone frames the question, as a
    named whole does in "wie binnen het DGB doet X"."""
    return len(named) == 1 and named[0].parent is None and bool(tools.directory.descendants(named[0]))


def _two_questions(tools: AnswerTools, ask: Ask) -> Answer | None:
    """The unit each of two questions in one sentence is about, when each has its own."""
    parts = SECOND_QUESTION.split(fold(asking_sentence(ask.query.text)), maxsplit=1)
    if len(parts) != 2:
        return None
    units = []
    for part in parts:
        # "wie stuurt wat de politie doet": the unit a part names is what it asks about, not who.
        named = {unit.id for unit in tools.directory.mentioned_units(part)}
        others = [unit for unit in tools.knowledge.units if unit.id not in named]
        match = tools.directory.match_topic(part, candidates=others, limit=1)
        if not (match and match[0].decides(tools.tuning)):
            return None
        units.append(match[0].unit)
    if units[0].id == units[1].id:
        return None
    return facts_answer(tools, ask, units[0], parts[0], also=(units[1], parts[1]))


def _subject_units(tools: AnswerTools, question: str) -> list[Unit]:
    """The units the question is about: those the asking sentence names, when it names any ("Ik zit bij de
    landmacht. Welke bedrijven deden mee aan het LMI?" is about the LMI), else all it names."""
    return (tools.directory.mentioned_units(asking_sentence(question))
            or tools.directory.mentioned_units(question))


def _follow_up_subject(tools: AnswerTools, ask: Ask) -> Unit | None:
    """The unit a follow-up is about when it names nothing but that unit ("En DSK?", "What about HDP?")."""
    if not ask.query.is_follow_up:
        return None
    named = tools.directory.mentioned_units(ask.query.question)
    return named[0] if len(named) == 1 and says_only(ask.query.question, named[0].labels()) else None


def _part_for_topic(tools: AnswerTools, question: str, named: list[Unit]) -> Unit | None:
    """"Wie bewaakt de kwaliteit van nota's van het DGB?": the DGB frames the question; the answer is the part
    of it whose tasks match best, unless a unit elsewhere matches far better ("samen met de politie": the
    police is a partner, not the frame)."""
    named_ids = {unit.id for unit in named}
    scope = tools.directory.descendants(named[0]) or None
    elsewhere = [unit for unit in tools.knowledge.units if unit.id not in named_ids]
    topic = tools.directory.without_names(question, named[0])  # its name matches every part
    matches = tools.directory.match_topic(topic, candidates=scope, limit=1)
    if scope:
        overall = tools.directory.match_topic(topic, candidates=elsewhere, limit=1)
        if overall and (not matches or overall[0].score >= FAR_BETTER_MATCH * matches[0].score):
            matches = overall
    if matches and matches[0].decides(tools.tuning) and matches[0].unit.id not in named_ids:
        return matches[0].unit
    return None


def parts_of(tools: AnswerTools, unit: Unit) -> list[Unit]:
    """The units under `unit`, without a management team, a post or a predecessor: those sit in the tree but
    are no part of it."""
    return [child for child in tools.knowledge.children(unit.id) if child.kind not in NOT_A_PART]


def _parts_listing(tools: AnswerTools, ask: Ask, unit: Unit) -> Answer | None:
    # Members are the units under it, or, for a partnership, the units that take part in it.
    parts = parts_of(tools, unit)
    if not parts and unit.kind in {"partnership", "platform"}:
        parts = [other for other in tools.knowledge.units
                 if other.id != unit.id and any(relation.unit == unit.id for relation in other.relations)]
    if not parts:
        return None
    if COMPANIES.search(fold(ask.query.text)):
        parts = [part for part in parts if part.kind == "company"]
        if not parts:
            # Asked which companies take part, where the sources name none: no list of whatever else takes part.
            return gap_answer(tools, ask, unit, "no_companies")
    language = ask.query.language
    citations = ask.citations(tools)
    intro = "parts_intro" if len(parts) > 1 else "one_part_intro"
    lines = [phrases.text(intro, language, unit=display_name(unit), count=len(parts))]
    for part in parts:
        fact = part.responsibilities[0]
        lines.append(f"• *{display_name(part)}*: {fact.text}{citations.cite(fact.source)}")
    citations.fill(ask.hits)
    return Answer(question=ask.query.question, answer="\n".join(lines), kind="directory", language=language,
                  units=[unit_ref(part) for part in parts], sources=citations.sources)


def _kind_listing(tools: AnswerTools, ask: Ask, kinds: list[str]) -> Answer | None:
    language = ask.query.language
    citations = ask.citations(tools)
    lines, units = [], []
    for kind in kinds:
        members = tools.directory.units_of_kind(kind)
        if not members:
            continue
        marker = citations.cite(integration_model_source(tools) or members[0].responsibilities[0].source)
        lines.append(f"*{phrases.kind_label(kind, language)}*: {', '.join(display_name(u) for u in members)}.{marker}")
        units.extend(unit_ref(unit) for unit in members)
    if not lines:
        return None
    citations.fill(ask.hits)
    return Answer(question=ask.query.question, answer="\n".join(lines), kind="directory", language=language,
                  units=units, sources=citations.sources)


def integration_model_source(tools: AnswerTools) -> SourceRef | None:
    """The integration model's source, from the relation that applies it, when the data has one."""
    for unit in tools.knowledge.units:
        for relation in unit.relations:
            if "integratiemodel" in fold(relation.topic) or "domeinoverstijgend" in fold(relation.topic):
                return relation.source
    return None
