"""With whom to work on a topic: the units the directory relates to it, seen from the asker's own unit, then
whoever the best passages say is involved, each with why, a citation, and the people the sources name there."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bot.core import phrases
from bot.core.citations import display_name, unit_ref
from bot.core.directory import RelationMatch
from bot.core.models import Answer, Language, PersonRef
from bot.core.routes import AnswerTools, Ask
from bot.core.routes.directory import parts_of
from bot.core.routes.units import CONTACT_DETAILS, facts_answer, lacks_asked_fact, relevant_facts
from bot.core.sentences import IN_TEXT_CITATION
from bot.core.text import fold
from bot.knowledge.schema import SourceRef, Unit
from indexer.models import Chunk
from indexer.sentences import quotable_sentences

MAX_COUNTERPARTS = 4
PASSAGES_FOR_PARTIES = 2  # the best passages, whose named parties are suggested too
# The parties a passage can name as involved: organisations, companies, partnerships, services. A directorate a
# passage mentions in passing is no partner in the case it describes.
PARTY_KINDS = frozenset({"organisatie", "company", "partnership", "platform", "dienst"})
# Relations scoring at least this share of the best one are in the running.
CONTENDER_SHARE = 0.75
ASKER_INTRO_REACH = 40  # characters after "ik zit bij" in which the asker's own unit is named
# A directorate's domain belongs to another directorate, not to a partnership that mentions the word.
DIRECTORATE_KINDS = frozenset({"integrerend", "functioneel", "staf", "dienst"})
# "samen te werken" says what the asker wants, not where they sit.
ASKER_UNIT = re.compile(
    r"\b(ik|wij|we)\b.{0,60}?(?<!\bte )\b(zit|zitten|werk|werken|ben|zijn)\b"
    r"|\b(vanuit|namens|wij van|we van)\b|\bonze directie\b|^[^.?!]{1,40}:"
)
FIRST_PERSON = re.compile(r"\b(ik|wij|we|ons|onze|mij|me|mijn|i|us|our|my)\b")
OTHER_UNIT = re.compile(r"\b(andere|other) (directie|directies|directorate|directorates|onderdelen|units?)\b|\bnog meer\b")
# Asking whom to consult, not what about: "met wie overleg ik over ...", "wie moet ik benaderen".
CONSULTING = re.compile(
    r"\b(overleg(?:t|gen)?|afstemmen|stem(?:t|men)? .{0,20}\baf|bespreken|bespreek|praten|spreken|benaderen"
    r"|contact (?:op )?(?:zoeken|opnemen|leggen)|aansluiting (?:zoeken|vinden)|(?:aan te |aan)haken"
    r"|zoek(?:en|t)? (?:een|naar)|consult|talk to|discuss)\b",
    re.IGNORECASE,
)


@dataclass
class Suggestions:
    """Units to suggest in order, each once, never the asker's own; a unit the question names as what the
    dossier touches is held back as context unless nothing else is found."""

    own: Unit | None
    named_ids: set[str]
    chosen: dict[str, tuple[Unit, str, SourceRef | Chunk | None]] = field(default_factory=dict)
    held_back: dict[str, tuple[Unit, str, SourceRef | Chunk | None]] = field(default_factory=dict)

    def add(self, unit: Unit, why: str, source: SourceRef | Chunk | None, target: bool = False) -> None:
        if (self.own is not None and unit.id == self.own.id) or unit.id in self.chosen:
            return
        (self.held_back if target and unit.id in self.named_ids else self.chosen)[unit.id] = (unit, why, source)

    def lead(self, unit: Unit, why: str, source: SourceRef | Chunk | None) -> None:
        """`unit` first; with the reason it was already suggested for, if any."""
        self.add(unit, why, source)
        if unit.id in self.chosen:
            self.chosen = {unit.id: self.chosen[unit.id]} | self.chosen

    def final(self) -> list[tuple[Unit, str, SourceRef | Chunk | None]]:
        return list((self.chosen or self.held_back).values())[:MAX_COUNTERPARTS]


def answer(tools: AnswerTools, ask: Ask) -> Answer | None:
    question = ask.query.text
    directory = tools.directory
    named = directory.mentioned_units(question)
    if named and CONTACT_DETAILS.search(fold(question)):
        # "Het telefoonnummer van NatOps": its recorded people, never invented details.
        return facts_answer(tools, ask, named[0], question, about_person=True)
    own = _asker_unit(tools, ask, named)
    topic = CONSULTING.sub(" ", question)  # "met wie overleg ik over X": X is the topic, not the overleg
    suggestions = Suggestions(own, {unit.id for unit in named})
    relations = directory.match_relations(topic, owners=[own] if own else None)
    if own is not None and parts_of(tools, own):
        # "Ik werk binnen het DGB aan ...": an umbrella says where the asker works, not with whom; its name says
        # where, not what, so it should not pull in relations that mention it.
        within = [m for m in directory.match_relations(directory.without_names(topic, own)) if m.owner.id != own.id]
        if within and (not relations or within[0].score > relations[0].score):
            relations, own = within, None
            suggestions.own = None
    if not relations and own is not None:
        relations = directory.match_relations(topic)
    lead = topic_unit(tools, ask, topic) if own is None else None
    domain_owner = _domain_owner(tools, topic, own, relations) if own is not None else None
    if domain_owner is not None:
        # "Ik zit bij CIO en werk aan archivering": the unit whose own tasks are the topic (DBE) leads.
        fact = relevant_facts(tools, question, domain_owner.responsibilities)[0]
        suggestions.add(domain_owner, fact.text, fact.source)
    if relations:
        own = _suggest_relations(tools, question, relations, own, suggestions)
    if lead is not None:
        fact = relevant_facts(tools, question, lead.responsibilities)[0]
        suggestions.lead(lead, fact.text, fact.source)
    if not (suggestions.chosen or suggestions.held_back):
        for match in directory.match_topic(topic, limit=3, vector=ask.query.vector):
            if match.decides(tools.tuning):
                fact = relevant_facts(tools, question, match.unit.responsibilities)[0]
                suggestions.add(match.unit, fact.text, fact.source)
    # An organisation that holds the asker or a suggested unit (Defensie above CIO) is where they already are.
    umbrellas = {ancestor for unit in [own, *(chosen for chosen, _, _ in suggestions.final())] if unit
                 for ancestor in _ancestors(tools, unit)}
    for unit, sentence, chunk in _parties_in_passages(tools, ask):
        if unit.id not in umbrellas:
            suggestions.add(unit, sentence, chunk)
    chosen = suggestions.final()
    said = [text for unit, why, _ in chosen for text in [why, *(fact.text for fact in unit.responsibilities)]]
    if not chosen or lacks_asked_fact(question, said):
        return None
    return _compose(tools, ask, own, chosen)


def topic_unit(tools: AnswerTools, ask: Ask, question: str) -> Unit | None:
    """Asked without the asker's unit: the unit whose own entry is the topic leads ("een transportbedrijf dat
    wil aanhaken": the Ecosysteem Logistiek), ahead of the units relations point to."""
    match = tools.directory.match_topic(question, limit=1, vector=ask.query.vector)
    return match[0].unit if match and match[0].decides(tools.tuning) else None


def _suggest_relations(
    tools: AnswerTools, question: str, relations: list[RelationMatch], own: Unit | None, suggestions: Suggestions
) -> Unit | None:
    """The topic's owner and the units its relations point to, in their stated order; returns the asker's unit,
    which a first-person question ("welke andere directies halen we erbij?") may reveal to be the owner."""
    folded = fold(question)
    top = _lead_relation(relations)
    if (own is None and FIRST_PERSON.search(folded) and OTHER_UNIT.search(folded)
            and top.owner.id not in suggestions.named_ids):
        # "Welke andere directie halen we erbij?": the asker sits with the topic's owner. A plain "we" does not
        # say so: a startup asking what Defensie can do for it is not from Defensie.
        own = suggestions.own = top.owner
    if own is None:
        # The owner's reason is its task on the relation's topic, not whatever the question's other words hit.
        topic = " ".join([question, top.relation.topic, *top.relation.keywords])
        fact = relevant_facts(tools, topic, top.owner.responsibilities)[0]
        suggestions.add(top.owner, fact.text, fact.source)
    for match in _ranked_relations(relations, top):
        target = tools.knowledge.unit(match.relation.unit)
        if target:
            suggestions.add(target, match.relation.why, match.relation.source, target=True)
    return own


def _parties_in_passages(tools: AnswerTools, ask: Ask) -> list[tuple[Unit, str, Chunk]]:
    """The units the best passages name, each with the first sentence that names it: who the studies say is
    involved in what the question is about (the companies of a partnership, the partners of a case)."""
    found = []
    for hit in ask.hits[:PASSAGES_FOR_PARTIES]:
        for sentence in quotable_sentences(hit.chunk.text):
            # "(Ministerie van Justitie en Veiligheid 2018)" is a reference, not a party.
            for unit in tools.directory.mentioned_units(IN_TEXT_CITATION.sub(" ", sentence)):
                if unit.kind in PARTY_KINDS:
                    found.append((unit, sentence, hit.chunk))
    return found


def _ancestors(tools: AnswerTools, unit: Unit) -> set[str]:
    found: set[str] = set()
    parent = tools.knowledge.unit(unit.parent) if unit.parent else None
    while parent is not None and parent.id not in found:
        found.add(parent.id)
        parent = tools.knowledge.unit(parent.parent) if parent.parent else None
    return found


def _placed(tools: AnswerTools, unit: Unit, known: set[str], language: Language) -> str:
    """The unit, with the unit it sits in when that tells the asker where a request ends up ("NatOps, part of
    DOPS"): not a whole organisation, not one already in the answer or shared with another in it, not the
    asker's."""
    parent = tools.knowledge.unit(unit.parent) if unit.parent else None
    if parent is None or parent.parent is None or parent.id in known:
        return display_name(unit)
    return phrases.text("sits_in", language, unit=display_name(unit), parent=display_name(parent))


def _compose(
    tools: AnswerTools, ask: Ask, own: Unit | None, chosen: list[tuple[Unit, str, SourceRef | Chunk | None]]
) -> Answer:
    language = ask.query.language
    citations = ask.citations(tools)
    lines = [phrases.text("counterpart_intro_own" if own else "counterpart_intro", language,
                          unit=display_name(own) if own else "")]
    units = []
    people = []
    parents = Counter(unit.parent for unit, _, _ in chosen)
    shared = {parent for parent, count in parents.items() if parent and count > 1}  # tells them not apart
    known = {unit.id for unit, _, _ in chosen} | ({own.id} | _ancestors(tools, own) if own else set()) | shared
    for rank, (unit, why, source) in enumerate(chosen, start=1):
        marker = citations.cite_chunk(source) if isinstance(source, Chunk) else citations.cite(source)
        lines.append(f"{rank}. *{_placed(tools, unit, known, language)}*: {why}{marker}")
        for person in unit.people:
            # The people the sources name for this unit, with the study and year they describe: a first contact
            # to ask. The line names its study itself; a citation of its own would push passages off the list.
            lines.append(f"    {phrases.person_line(person, language)}")
            people.append(PersonRef(name=person.name or person.function, unit_id=unit.id, function=person.function,
                                    year=person.year, source=person.source.label()))
        units.append(unit_ref(unit, reason=why))
    citations.fill(ask.hits)
    return Answer(question=ask.query.question, answer="\n".join(lines), kind="counterpart", language=language,
                  units=units, people=people, sources=citations.sources)


def _asker_unit(tools: AnswerTools, ask: Ask, named: list[Unit]) -> Unit | None:
    if ask.asker.unit_id and (unit := tools.knowledge.unit(ask.asker.unit_id)):
        return unit
    question = ask.query.text
    folded = fold(question)
    match = ASKER_UNIT.search(folded)
    if named and match is None and len(named) == 1 and FIRST_PERSON.search(folded) and OTHER_UNIT.search(folded):
        # "We beginnen bij DSK aan een beleidsstuk. Welke andere directies halen we erbij?": DSK is theirs.
        return named[0]
    if not (named and match):
        return None
    # The unit named nearest after the phrase ("ik zit bij DIA", "Politie: ...") is the asker's.
    nearby = tools.directory.mentioned_units(question[match.start():match.end() + ASKER_INTRO_REACH])
    if nearby:
        return nearby[0]
    after = tools.directory.mentioned_units(question[match.start():])
    return (after or named)[0]


def _domain_owner(tools: AnswerTools, topic: str, own: Unit, relations: list[RelationMatch]) -> Unit | None:
    """The unit whose own tasks match the topic better than any of the asker's relations, if any."""
    topic = tools.directory.without_names(topic, own)
    # A directorate's domain belongs to another directorate, not to a partnership that mentions the word.
    candidates = tools.directory.units_of_kinds(DIRECTORATE_KINDS) if own.kind in DIRECTORATE_KINDS else None
    matches = [m for m in tools.directory.match_topic(topic, candidates=candidates, limit=3) if m.unit.id != own.id]
    if not matches or matches[0].score < tools.tuning.min_unit_score:
        return None
    if relations and relations[0].score >= matches[0].score:
        return None
    return matches[0].unit


def _contenders(relations: list[RelationMatch]) -> list[RelationMatch]:
    """The relations that match about as well as the best one (sorted best first)."""
    return [match for match in relations if match.score >= relations[0].score * CONTENDER_SHARE]


def _lead_relation(relations: list[RelationMatch]) -> RelationMatch:
    """The best relation of the unit whose relations match best together: the topic's owner. For IT strategy
    both CIO and DSK point at each other; CIO also points at DOBP, so CIO leads."""
    owner_scores: dict[str, float] = {}
    for match in relations:
        owner_scores[match.owner.id] = owner_scores.get(match.owner.id, 0.0) + match.score
    return max(_contenders(relations), key=lambda match: (owner_scores[match.owner.id], match.score))


def _ranked_relations(relations: list[RelationMatch], top: RelationMatch) -> list[RelationMatch]:
    """The top topic's relations in their stated order, then other good matches."""
    same_topic = [m for m in relations if m.owner.id == top.owner.id and m.relation.topic == top.relation.topic]
    same_topic.sort(key=lambda match: match.relation.order)
    rest = [m for m in relations if m not in same_topic and m.score >= top.score * 0.5]
    return same_topic + rest
