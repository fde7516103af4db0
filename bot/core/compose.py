"""Compose answers per route: glossary, people, directory, counterpart and study (or not found).

Every statement carries a numbered citation [n] that maps to `Answer.sources[n-1]`.
Directory facts cite the indexed passage that covers the fact's line range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core import phrases
from bot.core.directory import RelationMatch, UnitMatch
from bot.core.expansion import Expansion
from bot.core.extractive import (
    PASSAGES_FOR_SENTENCES,
    best_sentences,
    coverage,
    covered_share,
    defines,
    defining_patterns_for,
    question_words,
    word_is_covered,
)
from bot.core.followup import says_only
from bot.core.models import Answer, AskerContext, Language, PersonRef, Source, UnitRef
from bot.core.retrieval import Hit, visible_to
from bot.core.router import WHO_WILL_LEAD
from bot.core.text import asking_sentence, content_terms, fold, sentences, words
from bot.knowledge.schema import DocumentInfo, Fact, GlossaryTerm, NamedPerson, SourceRef, Unit
from indexer.models import Chunk

if TYPE_CHECKING:
    from bot.core.engine import AnswerEngine

# A topic match this strong names the responsible unit with confidence.
MIN_DIRECTORY_SCORE = 4.0
# A unit outside the named whole wins when its topic match is this many times stronger than any part's.
FAR_BETTER_MATCH = 2.0
MAX_COUNTERPARTS = 4
# This many units with a relation to the same unit on the question's topic make that unit the one to go to.
HUB_OWNERS = 3
# Relations scoring at least this share of the best one are in the running.
CONTENDER_SHARE = 0.75
MAX_FACTS = 2
PASSAGES_FOR_NAMES = 3  # as for the not-found check
MAX_NOTE_UNITS = 4  # units named under a study answer that quotes case notes
# Candidates searched for a passage that defines what a definition question asks about.
DEFINITION_SEARCH_DEPTH = 20
# A question describes one study when its words and best passages point there clearly enough: one
# word only that study uses (log 5 = 1.6) or all top passages (1.0) plus a shared word.
DESCRIBED_MIN_SCORE = 1.5
DESCRIBED_TOP_HITS = 3
KIND_WORDS = {
    "integrerend": ("integrerend", "integrerende", "integrating", "horizontale"),
    "functioneel": ("functioneel", "functionele", "functional", "verticale"),
    "voorganger": ("voorganger", "voorgangers", "predecessor", "predecessors", "samengevoegd"),
}
ASKS_FOR_DIRECTORATE = re.compile(r"\b(welke|welk|which) (directie|directies|directorate|directorates)\b")
DIRECTORATE_KINDS = frozenset({"integrerend", "functioneel", "staf", "dienst"})
# "over beveiliging en veiligheid", "for security and safety": two topics that may belong to two units.
TWO_TOPICS = re.compile(r"\w \b(en|and)\b \w")
PARTNERSHIP_KINDS = frozenset({"partnership", "platform"})
# Kinds that sit in the organisation tree without being one of its parts.
NOT_A_PART = frozenset({"overleg", "functie", "voorganger"})
PERSON_QUESTION = re.compile(
    r"\bwie (leidt|leidde)\b|\bwie (was|is|waren|zijn)( [\w-]+){0,4} (de |het )?(leider|voorzitter|initiatiefnemer|trekker"
    r"|programmamanager|baas|chef)|\bop wiens\b|\binitiatief\b|\bcommandant\b|\bdirecteur\b|\bhoofd\b"
    r"|\bwie (trekt|trok|trekken|trokken)\b|\b(die|deze|welke) persoon\b"
    rf"|{WHO_WILL_LEAD}"
    r"|\bwho (was|is)\b(?! (in charge|responsible))|\bwho (leads|led|heads|started)\b|\bcommander\b|\bdirector\b"
    r"|\bnaam\b|\bname\b|\btelefoon|\bphone\b|\bwie (heeft|had|voert) (de )?leiding\b"
    r"|\bleden\b|\bmembers\b"
    # "..., en wie is dat?", "Zo ja, wie?": the person behind what the question describes.
    r"|\bwie (is|was|zijn|waren) (dat|het|die|dit)\s*\?|\bzo ja,? wie\b|\bif so,? who\b"
)
# "Mijn commandant vraagt ...", "our director wants ...": the asker's own boss, not a person asked for.
OWN_BOSS = re.compile(
    r"\b(mijn|onze|ons|my|our) (commandant|directeur|hoofd|baas|chef|leidinggevende|manager|commander|director|boss"
    r"|head)\b"
)

# A sentence of the question starts with "wie": "In 2019 kwam er een themateam. Wie zou dat leiden?"
# "Wie ...?", and a "wie" that opens a clause: "Is er een integrator aangesteld, en wie is het?", "and who is it?"
WHO_ASKS = re.compile(r"(?:^|[.?!:]\s+|[,;]?\s\b(?:en|and|zo ja,?|if so,?)\s+)(wie|who)\b")
# Asking for the unit above a named one: "onder welke directie valt NatOps?", "bij welk onderdeel hoort de DGS?".
PARENT_QUESTION = re.compile(
    r"\b(valt|vallen|hoort|horen|behoort|behoren)\b.{0,40}\b(onder|bij)\b|\bonder welke?\b|\bbij welke?\b.{0,40}"
    r"\b(hoort|horen|behoort|behoren)\b|\bonderdeel van welke?\b|\bpart of which\b|\b(belong|belongs) to\b"
    r"|\b(fall|falls) under\b",
    re.IGNORECASE,
)
# "Wat doet DMV?", "What exactly does DMV do?": the unit named in this clause is the subject, whatever else is named.
WHAT_DOES = re.compile(
    r"\bwat (doet|doen)\b[^?.!]{1,60}|\bwhat (exactly )?(does|do)\b[^?.!]{1,60}?\bdo\b|\btaken van\b[^?.!]{1,60}"
    r"|\b(tasks|responsibilities) of\b[^?.!]{1,60}",
    re.IGNORECASE,
)
WHICH_UNIT = re.compile(
    r"\bhoe heet\b|\bwhat is .{0,40}\bcalled\b|\bwelke?\b|\bwie (binnen|bij|in) (het |de )?[\w-]+ \w+"
    r"|\bwie (bewaakt|houdt|gaat|regelt|zorgt|doet|maakt|beheert|is verantwoordelijk|ontwerpt|ontwikkelt|coordineert"
    r"|adviseert|regisseert|behartigt|bereidt|onderhoudt|ondersteunt|bepaalt|beslist)\b"
    r"|\bwhich\b|\bwho (is responsible|handles|oversees|manages)\b"
)
# How our directory records that the studies leave something open.
STATED_UNKNOWN = re.compile(r"(vermeldt|noemt|zegt|geeft) (de studie|het onderzoek|de tekst|het artikel) niet|staat niet in")
# Kinds of unit a question may ask for ("bij welk samenwerkingsverband"): they name no topic.
UNIT_KIND_WORDS = "samenwerkingsverband samenwerking partnerschap consortium platform netwerk bedrijf partij bureau"
# Words of a directory question that say nothing about the topic.
GENERIC_DIRECTORY_WORDS = (
    "directie directies directoraat afdeling eenheid dienst onderdeel organisatie taak taken rol doet doen "
    "verantwoordelijk verantwoordelijkheid gaat over houdt bewaakt regelt zorgt wie welke nieuw nieuwe huidige "
    "andere moet erbij halen betrekken project dossier werk werkt zit contact naam leidt leiding commandant "
    "directeur hoofd initiatief opdracht gestart was is ligt liggen valt vallen hoort behoort "
    "unit department directorate responsible does who which"
).split()
CONTACT_DETAILS = re.compile(r"\btelefoon|\bphone\b|\be-?mail|\bmailadres|\bnummer\b|\bnumber\b|\bleden\b|\bmembers\b")
ASKER_INTRO_REACH = 40  # characters after "ik zit bij" in which the asker's own unit is named
# The asker introduces themselves as a party the directory does not hold ("ik werk bij een ingenieursbureau",
# "wij zijn een transportbedrijf", "ons bedrijf"): no unit is theirs, whatever units the question names.
OUTSIDE_ASKER = re.compile(
    r"\b(ik|wij|we) (zit|zitten|werk|werken|ben|zijn) (bij |op |in |voor )?een (?!(\w+ )?(directie|afdeling|eenheid"
    r"|onderdeel|defensieonderdeel|dienst|staf|team|project|bureau)\b)|\b(ons|mijn) bedrijf\b|\bnamens een\b"
    r"|\b(we are|i work (at|for)) an? \b"
)
# "samen te werken" says what the asker wants, not where they sit.
ASKER_UNIT = re.compile(
    r"\b(ik|wij|we)\b.{0,60}?(?<!\bte )\b(zit|zitten|werk|werken|ben|zijn)\b"
    r"|\b(vanuit|namens|wij van|we van)\b|\bonze directie\b|^[^.?!]{1,40}:"
)
CROSS_DOMAIN = re.compile(r"domeinoverstijgend|\bintegra(al|le)\b|cross-domain|\boverstijgend")
FUNCTIONAL_ASKER = re.compile(r"\bfunctionele directie\b|\bfunctional directorate\b")
FIRST_PERSON = re.compile(r"\b(ik|wij|we|ons|onze|mij|me|mijn|i|we|us|our|my)\b")
# Asking whom to consult, not what about: "met wie overleg ik over ...", "wie moet ik benaderen".
CONSULTING = re.compile(
    r"\b(overleg(?:t|gen)?|afstemmen|stem(?:t|men)? .{0,20}\baf|bespreken|bespreek|praten|spreken|benaderen"
    r"|contact (?:op )?(?:zoeken|opnemen|leggen)|aansluiting (?:zoeken|vinden)|(?:aan te |aan)haken"
    r"|zoek(?:en|t)? (?:een|naar)"
    r"|consult|talk to|discuss)\b",
    re.IGNORECASE,
)
# A contact at a named unit, or the way into it: "het aanspreekpunt bij Defport", "om aan te haken bij het LMI".
CONTACT_AT_UNIT = re.compile(
    r"\b(aanspreekpunt|contactpersoon|aan te haken|aanhaken|aan te sluiten|aansluiten)\b[^.?!]{0,20}?\b(bij|van|binnen)\b"
)
# Words that point back to an earlier sentence of the question.
BACK_REFERENCE = re.compile(
    r"\b(daar\w*|hier\w*|er(op|over|voor|mee|aan|bij|in|onder)|dat|dit|die|deze|zo'?n|zulke|it|that|this|these|those"
    r"|them|such)\b"
)
# "Welke andere directie ...", "which other directorate ...": the asker sits on the topic's own side.
OTHER_UNIT = re.compile(
    r"\b(andere|other) (directie|directies|directorate|directorates|onderdelen|units?)\b|\bnog meer\b"
)


def doc_id(file_name: str) -> str:
    return file_name.split("_", 1)[0].split(".", 1)[0]


def unit_ref(unit: Unit, reason: str | None = None) -> UnitRef:
    return UnitRef(
        id=unit.id, name=unit.name, abbreviation=unit.abbreviation, reason=reason, contact_channel=unit.contact_channel
    )


def source_from_chunk(chunk: Chunk, score: float, language: Language) -> Source:
    return Source(
        chunk_id=chunk.id,
        doc=chunk.doc,
        title=chunk.title,
        location=chunk.location(language),
        text=chunk.text,
        score=float(score),
        visibility=chunk.visibility,
    )


def as_not_found(answer: Answer) -> Answer:
    """What is known, shown as context to a question the sources don't answer."""
    return answer.model_copy(update={"kind": "not_found", "related": answer.sources, "sources": []})


def _contenders(relations: list[RelationMatch]) -> list[RelationMatch]:
    """The relations that match about as well as the best one (sorted best first)."""
    return [match for match in relations if match.score >= relations[0].score * CONTENDER_SHARE]


def asked_first(question: str) -> list[str]:
    """The texts to match a directory topic on, best first. When the question first tells something and then
    asks ("We willen oude terreinwagens afstoten. Welke directie gaat over het afstotingsbeleid?"), the asking
    sentence names the topic, unless it points back to what came before ("Wie houdt daar toezicht op?")."""
    if len(sentences(question)) < 2:
        return [question]
    asking = asking_sentence(question)
    if BACK_REFERENCE.search(fold(asking)):
        return [question]
    return [asking, question]


def asks_for_person(folded: str) -> bool:
    return PERSON_QUESTION.search(OWN_BOSS.sub(" ", folded)) is not None


def display_name(unit: Unit) -> str:
    if unit.abbreviation and unit.abbreviation != unit.name:
        return f"{unit.name} ({unit.abbreviation})"
    return unit.name


@dataclass
class Citations:
    """Numbered sources in order of first citation; `cite` returns the marker for a passage."""

    language: Language
    sources: list[Source] = field(default_factory=list)
    limit: int = 5

    def cite_chunk(self, chunk: Chunk | None, score: float = 1.0) -> str:
        if chunk is None:
            return ""
        for number, source in enumerate(self.sources, start=1):
            if source.chunk_id == chunk.id:
                return f" [{number}]"
        if len(self.sources) >= self.limit:
            return ""
        self.sources.append(source_from_chunk(chunk, score, self.language))
        return f" [{len(self.sources)}]"

    def fill(self, hits: list[Hit]) -> None:
        """Add further relevant passages, uncited, up to the limit."""
        for hit in hits:
            if len(self.sources) >= self.limit:
                return
            if all(source.chunk_id != hit.chunk.id for source in self.sources):
                self.sources.append(source_from_chunk(hit.chunk, hit.score, self.language))


class Composer:
    def __init__(self, engine: "AnswerEngine") -> None:
        self.engine = engine
        self.directory = engine.directory
        self._chunks_by_doc: dict[str, list[Chunk]] = {}
        self._generic_terms = set(content_terms(" ".join(GENERIC_DIRECTORY_WORDS)))
        self._topicless_terms = self._generic_terms | set(content_terms(UNIT_KIND_WORDS))
        units = engine.knowledge.units
        # The knowledge base is fixed for the engine's life: derive these once, not per question.
        self._directorate_units = [unit for unit in units if unit.kind in DIRECTORATE_KINDS]
        self._recorded_surnames = {words(fold(person.name))[-1] for unit in units for person in unit.people
                                   if person.name}

    # --- entry point ---------------------------------------------------------------------------

    def answer(self, question: str, context_text: str, asker: AskerContext, language: Language) -> Answer:
        """`context_text` is the question, or for a short follow-up the thread's last question plus it."""
        if not content_terms(question) and not self.directory.mentioned_units(question):
            return Answer(question=question, answer=phrases.text("empty_question", language), kind="not_found",
                          language=language)
        text = context_text
        expansion = self.engine.expander.expand(text, language)
        hits = self.engine.retriever.search(text, asker, k=self.engine.settings.max_sources, expansion=expansion,
                                            language=language)
        route = self.engine.router.route(text).route
        composed: Answer | None = None
        if route == "document":
            composed = self._documents(text, hits, asker, language)
        elif route == "glossary":
            composed = self._glossary(text, hits, asker, language)
        elif route == "people":
            composed = self._people(text, hits, asker, language)
        elif route == "counterpart":
            composed = self._counterpart(text, hits, asker, language)
        elif route == "directory":
            subject = self._follow_up_subject(question, text)
            if subject is not None:
                # "En DSK?" after "Welke directie gaat over gegevensbescherming?": the same ask, about DSK.
                composed = self._unit_answer(text, subject, asker, language, hits)
            else:
                composed = self._directory(text, hits, asker, language)
        answer = composed or self._study(text, hits, asker, language, expansion)
        answer.question = question
        return answer

    def _follow_up_subject(self, question: str, context_text: str) -> Unit | None:
        """The unit a follow-up is about when it names nothing but that unit ("En DSK?", "What about HDP?")."""
        if context_text == question:
            return None
        named = self.directory.mentioned_units(question)
        return named[0] if len(named) == 1 and says_only(question, named[0].labels()) else None

    # --- sources ---------------------------------------------------------------------------------

    def _chunk_for(self, ref: SourceRef, asker: AskerContext) -> Chunk | None:
        """The visible indexed passage that overlaps the fact's line range most.

        Of two passages that both hold the range, the one where it sits further from a passage edge:
        at an edge the fact may be cut off, since passages end and start within a line.
        """
        if not self._chunks_by_doc:
            for chunk in self.engine.retriever.index.chunks.values():
                if chunk.line_start is not None:
                    self._chunks_by_doc.setdefault(doc_id(chunk.doc), []).append(chunk)
        best, best_key = None, (0, 0)
        first, last = ref.lines
        for chunk in self._chunks_by_doc.get(ref.doc, []):
            end = chunk.line_end or chunk.line_start
            overlap = min(end, last) - max(chunk.line_start, first) + 1
            key = (overlap, min(first - chunk.line_start, end - last))
            if overlap > 0 and key > best_key and visible_to(chunk, asker):
                best, best_key = chunk, key
        return best

    def _cite(self, citations: Citations, ref: SourceRef, asker: AskerContext) -> str:
        return citations.cite_chunk(self._chunk_for(ref, asker))

    # --- documents -------------------------------------------------------------------------------

    def _documents(self, question: str, hits: list[Hit], asker: AskerContext, language: Language) -> Answer | None:
        """Who wrote which study, where and when: from knowledge/sources.yaml, cited where the study says it."""
        documents = self.engine.knowledge.documents
        if not documents:
            return None
        folded = fold(question)
        named = [info for info in documents.values() if self._names_document(folded, info)] or self._described(
            question, hits, documents)
        # Without a clear pointer, list every study, the one the question's words point at first.
        order = list(dict.fromkeys([*(doc_id(hit.chunk.doc) for hit in hits), *sorted(documents)]))
        chosen = named or [documents[doc] for doc in order if doc in documents]
        citations = Citations(language, limit=self.engine.settings.max_sources)
        lines = [] if named else [phrases.text("which_study", language, count=len(documents))]
        for info in chosen:
            marker = self._cite(citations, info.author_source or info.source, asker)
            author = info.author or phrases.text("not_stated", language)
            year = str(info.year) if info.year else phrases.text("not_stated", language)
            lines.append(phrases.text("document_line", language, title=info.title, author=author, year=year,
                                      publication=info.publication or "-") + marker)
        citations.fill(hits)
        return Answer(question=question, answer="\n".join(lines), kind="study", language=language,
                      sources=citations.sources)

    @staticmethod
    def _described(question: str, hits: list[Hit], documents: dict[str, DocumentInfo]) -> list[DocumentInfo]:
        """The one study the question describes: the words it shares with a study's title, summary and keywords,
        weighted by how few studies use them, plus the share of the best passages that come from it."""
        terms = set(content_terms(question))
        vocabularies = {doc: set(content_terms(" ".join([info.title, info.summary, *info.keywords])))
                        for doc, info in documents.items()}
        top = [doc_id(hit.chunk.doc) for hit in hits[:DESCRIBED_TOP_HITS]]
        scores = []
        for doc, vocabulary in vocabularies.items():
            shared = terms & vocabulary
            rarity = sum(math.log(len(documents) / sum(term in other for other in vocabularies.values()))
                         for term in shared)
            scores.append((rarity + top.count(doc) / DESCRIBED_TOP_HITS, doc))
        scores.sort(reverse=True)
        if scores[0][0] >= DESCRIBED_MIN_SCORE and (len(scores) == 1 or scores[0][0] > scores[1][0]):
            return [documents[scores[0][1]]]
        return []

    @staticmethod
    def _names_document(folded: str, info: DocumentInfo) -> bool:
        surname = (info.author or "").split("(")[0].split()
        names = [info.doc, fold(info.short_title.split(",")[0])] + ([fold(surname[-1])] if surname else [])
        return any(re.search(rf"\b{re.escape(name)}\b", folded) for name in names if len(name) > 2)

    # --- glossary --------------------------------------------------------------------------------

    def _glossary(self, question: str, hits: list[Hit], asker: AskerContext, language: Language) -> Answer | None:
        term = self._glossary_term(question)
        if term is None:
            return None
        citations = Citations(language, limit=self.engine.settings.max_sources)
        marker = self._cite(citations, term.source, asker)
        if term.expanded_in_sources and term.expansion:
            text = phrases.text("glossary_expanded", language, term=term.term, expansion=term.expansion) + marker
            kind = "directory"
        else:
            text = phrases.text("glossary_not_expanded", language, term=term.term) + marker
            if term.note:
                text += "\n" + term.note
            kind = "not_found"
        units = []
        if term.unit and (unit := self.engine.knowledge.unit(term.unit)):
            units.append(unit_ref(unit))
        citations.fill(hits)
        return Answer(question=question, answer=text, kind=kind, language=language, units=units,
                      sources=citations.sources if kind != "not_found" else [],
                      related=citations.sources if kind == "not_found" else [])

    def _glossary_term(self, question: str) -> GlossaryTerm | None:
        candidates = []
        for term in self.engine.knowledge.glossary:
            pattern = rf"(?<![0-9A-Za-z]){re.escape(term.term)}(?![0-9A-Za-z])"
            if re.search(pattern, question) or re.search(pattern, question, re.IGNORECASE) and len(term.term) > 3:
                candidates.append(term)
        return max(candidates, key=lambda term: len(term.term), default=None)

    # --- people ----------------------------------------------------------------------------------

    def _people(self, question: str, hits: list[Hit], asker: AskerContext, language: Language) -> Answer | None:
        named = self.directory.mentioned_units(question)
        unit = named[0] if named else None
        unit_labels = {fold(label) for label in unit.labels()} if unit else set()
        terms = [term for term in content_terms(question) if term not in {fold(l) for l in unit_labels}]
        people = self.engine.people.search(unit.id if unit else None, terms) if self.engine.people else []
        if not people:
            if unit is None:
                return None
            directory_answer = self._unit_answer(question, unit, asker, language, hits)
            directory_answer.answer = (
                phrases.text("no_people", language, unit=display_name(unit)) + "\n\n" + directory_answer.answer
            )
            return directory_answer
        lines = [phrases.text("people_intro", language)]
        for person in people:
            unit_name = self._unit_label(person.unit_id)
            function = f", {person.function}" if person.function else ""
            lines.append(f"• {person.name}{function} ({unit_name})")
        units = [unit_ref(unit)] if unit else []
        return Answer(question=question, answer="\n".join(lines), kind="directory", language=language,
                      units=units, people=people)

    def _unit_label(self, unit_id: str | None) -> str:
        unit = self.engine.knowledge.unit(unit_id) if unit_id else None
        return unit.abbreviation or unit.name if unit else "?"

    # --- directory -------------------------------------------------------------------------------

    def _directory(self, question: str, hits: list[Hit], asker: AskerContext, language: Language) -> Answer | None:
        folded = fold(question)
        kinds = [kind for kind, words in KIND_WORDS.items() if any(re.search(rf"\b{w}\b", folded) for w in words)]
        if kinds:
            return self._kind_listing(question, kinds, hits, asker, language)
        named = self.directory.mentioned_units(question)
        asked_about = WHAT_DOES.search(question)
        subject = self.directory.mentioned_units(asked_about.group(0)) if asked_about else []
        if asked_about and len(subject) == 1 and not asks_for_person(folded):
            # "Ik kom net bij de Bestuursstaf. Wat doet DMV?" asks about DMV, and only that clause is the ask:
            # the words around it are no fact the directory should have.
            return self._unit_answer(asked_about.group(0), subject[0], asker, language, hits)
        if len(named) == 1 and named[0].parent and self._asks_for_parent(question, named[0]):
            # "Onder welke directie valt NatOps?": the answer is the unit above it.
            return self._unit_answer(question, named[0], asker, language, hits, parent_first=True)
        if named and self._asks_about_parts(folded, named[0]):
            return self._parts_listing(question, named[0], hits, asker, language)
        asked = asked_first(question)
        # "Is integrale beveiliging iets van DV, of ligt dat bij een andere directie?" asks which unit, too.
        if named and (WHICH_UNIT.search(folded) or OTHER_UNIT.search(folded)) and not asks_for_person(folded):
            # "Wie bewaakt de kwaliteit van nota's van het DGB?": the DGB frames the question; the answer is
            # the part of it whose tasks match best. Unless a unit elsewhere matches far better: in "Welke
            # eenheid doet terrorismebestrijding samen met de politie?" the police is a partner, not the frame.
            named_ids = {unit.id for unit in named}
            scope = self._descendants(named[0]) or None
            elsewhere = [unit for unit in self.engine.knowledge.units if unit.id not in named_ids]
            for text in asked:
                topic = self.directory.without_names(text, named[0])  # its name matches every part
                matches = self.directory.match_topic(topic, candidates=scope, limit=3)
                if scope:
                    overall = self.directory.match_topic(topic, candidates=elsewhere, limit=1)
                    if overall and (not matches or overall[0].score >= FAR_BETTER_MATCH * matches[0].score):
                        matches = overall
                if matches and self._decides(matches[0], text, question) and matches[0].unit.id not in named_ids:
                    return self._unit_answer(question, matches[0].unit, asker, language, hits, found_by_topic=True)
        if len(named) == 1:
            return self._unit_answer(question, named[0], asker, language, hits)
        directorates = self._directorates(folded)
        for text in asked:
            candidates = directorates
            matches = self.directory.match_topic(text, candidates=candidates, limit=3)
            if not matches or matches[0].score < MIN_DIRECTORY_SCORE:
                candidates = None
                matches = self.directory.match_topic(text, limit=3)
            if matches and self._decides(matches[0], text, question):
                break
        if not matches or matches[0].score < MIN_DIRECTORY_SCORE:
            if named:
                return self._unit_answer(question, named[0], asker, language, hits)
            return None
        also = self._unit_for_the_other_topic(question, matches[0], candidates)
        return self._unit_answer(question, matches[0].unit, asker, language, hits, found_by_topic=True, also=also)

    def _decides(self, match: UnitMatch, text: str, question: str) -> bool:
        """A strong enough match; on the asking sentence alone, also one that rests on a word of the topic, not
        only on words any directory question has ("Bij welk samenwerkingsverband moeten we aanhaken?")."""
        if match.score < MIN_DIRECTORY_SCORE:
            return False
        return text == question or bool(set(match.matched_terms) - self._topicless_terms)

    def _unit_for_the_other_topic(
        self, question: str, first: UnitMatch, candidates: list[Unit] | None
    ) -> Unit | None:
        """"Welke directie gaat over beveiliging en veiligheid?": DBE for the one, DV for the other."""
        if not TWO_TOPICS.search(fold(question)):
            return None
        rest = self.directory.match_topic(question, candidates=candidates, limit=1, ignore=first.matched_terms)
        if rest and rest[0].score >= MIN_DIRECTORY_SCORE and rest[0].unit.id != first.unit.id:
            return rest[0].unit
        return None

    def _asks_for_parent(self, question: str, unit: Unit) -> bool:
        """"Onder welke directie valt NatOps?", not "Welke directie valt onder het DGB?" (that asks for a part)."""
        match = PARENT_QUESTION.search(question)
        if match is None:
            return False
        # After "valt onder" / "hoort bij" comes the unit above: when that is the named unit, a part is asked for.
        ends_in_preposition = re.search(r"\b(onder|bij)$", match.group(0), re.IGNORECASE) is not None
        return not (ends_in_preposition and self.directory.starts_with_name(question[match.end():], unit))

    def _directorates(self, folded: str) -> list[Unit] | None:
        """For "welke directie ...": the units that are a directorate or service, not the directorate-general
        that holds them, an organisation, a company or a partnership. None when the question asks no such thing."""
        if not ASKS_FOR_DIRECTORATE.search(folded):
            return None
        return self._directorate_units

    def _descendants(self, unit: Unit) -> list[Unit]:
        found, frontier = [], [unit.id]
        while frontier:
            children = [child for parent in frontier for child in self.engine.knowledge.children(parent)]
            found.extend(children)
            frontier = [child.id for child in children]
        return found

    def _parts(self, unit: Unit) -> list[Unit]:
        """The units under `unit`, without a management team, a post (korpschef) or a predecessor: those sit
        in the tree but are no part of it."""
        return [child for child in self.engine.knowledge.children(unit.id) if child.kind not in NOT_A_PART]

    @staticmethod
    def _asks_about_parts(folded: str, unit: Unit) -> bool:
        return bool(re.search(
            r"\b(uit welke|welke (onderdelen|directies|diensten|organisaties|instanties|eenheden|bedrijven|partners"
            r"|partijen)|bestaat .{0,20}uit|vormen|wie (zit|zitten|doen|doet) er (in|mee)"
            r"|which (parts|units|directorates|companies|agencies|services|organisations|organizations)"
            r"|who (is|are) (in|part of))\b", folded))

    def _parts_listing(
        self, question: str, unit: Unit, hits: list[Hit], asker: AskerContext, language: Language
    ) -> Answer | None:
        # Members are the units under it, or, for a partnership, the units that take part in it.
        parts = self._parts(unit)
        if not parts and unit.kind in {"partnership", "platform"}:
            parts = [other for other in self.engine.knowledge.units
                     if other.id != unit.id and any(relation.unit == unit.id for relation in other.relations)]
        if re.search(r"\b(bedrijven|bedrijf|companies|company|leveranciers)\b", fold(question)):
            parts = [part for part in parts if part.kind == "company"] or parts
        if not parts:
            return None
        citations = Citations(language, limit=self.engine.settings.max_sources)
        intro = "parts_intro" if len(parts) > 1 else "one_part_intro"
        lines = [phrases.text(intro, language, unit=display_name(unit), count=len(parts))]
        for part in parts:
            fact = part.responsibilities[0]
            lines.append(f"• *{display_name(part)}*: {fact.text}{self._cite(citations, fact.source, asker)}")
        citations.fill(hits)
        return Answer(question=question, answer="\n".join(lines), kind="directory", language=language,
                      units=[unit_ref(part) for part in parts], sources=citations.sources)

    def _kind_listing(
        self, question: str, kinds: list[str], hits: list[Hit], asker: AskerContext, language: Language
    ) -> Answer | None:
        citations = Citations(language, limit=self.engine.settings.max_sources)
        lines, units = [], []
        for kind in kinds:
            members = self.directory.units_of_kind(kind)
            if not members:
                continue
            kind_source = self._kind_source(self.engine.knowledge.units) or members[0].responsibilities[0].source
            marker = self._cite(citations, kind_source, asker)
            names = ", ".join(display_name(unit) for unit in members)
            lines.append(f"*{phrases.kind_label(kind, language)}*: {names}.{marker}")
            units.extend(unit_ref(unit) for unit in members)
        if not lines:
            return None
        citations.fill(hits)
        return Answer(question=question, answer="\n".join(lines), kind="directory", language=language,
                      units=units, sources=citations.sources)

    @staticmethod
    def _kind_source(units: list[Unit]) -> SourceRef | None:
        """The integration model's source, from the relation that applies it, when the data has one."""
        for unit in units:
            for relation in unit.relations:
                if "integratiemodel" in fold(relation.topic) or "domeinoverstijgend" in fold(relation.topic):
                    return relation.source
        return None

    def _unit_answer(
        self,
        question: str,
        unit: Unit,
        asker: AskerContext,
        language: Language,
        hits: list[Hit],
        found_by_topic: bool = False,
        parent_first: bool = False,
        also: Unit | None = None,
    ) -> Answer:
        if parent_first:
            return self._unit_facts_answer(question, unit, asker, language, hits, parent_first=True)
        if not found_by_topic and self._asks_for_role(question, unit):
            # "Wie heeft de regie binnen het DGB?": a role the directory records ("voert de centrale regie").
            return self._unit_facts_answer(question, unit, asker, language, hits, about_person=True)
        if CONTACT_DETAILS.search(fold(question)):
            # Phone numbers, e-mail addresses, team members: never in the sources, never invented.
            answer = self._unit_facts_answer(question, unit, asker, language, hits)
            return as_not_found(answer)
        # A unit the question names may be asked about a fact we lack ("de opvolger van HDB"); a unit
        # found by matching the question's topic is itself the answer, whatever words are left over.
        gap = {} if found_by_topic else self._unknown_terms(question, unit)
        if gap and not self._passages_mention(gap, hits):
            # Asked for something neither the directory nor the studies say ("de opvolger van HDB").
            answer = self._unit_facts_answer(question, unit, asker, language, hits)
            answer.answer = phrases.text("directory_gap", language, unit=display_name(unit)) + "\n" + answer.answer
            return as_not_found(answer)
        answer = self._unit_facts_answer(question, unit, asker, language, hits, also=also)
        best = self._relevant_facts(question, unit.responsibilities, limit=1)
        if best and STATED_UNKNOWN.search(fold(best[0].text)):
            # Our own directory records that the studies leave this open: answer honestly as not found.
            return as_not_found(answer)
        return answer

    def _unknown_terms(self, question: str, unit: Unit) -> dict[str, list[str]]:
        """Question words nothing in the unit's entry speaks to, beyond its names and generic words."""
        analyzer = self.engine.retriever.index.analyzer
        entry = " ".join([
            *unit.labels(), *unit.keywords, *(fact.text for fact in unit.responsibilities),
            *(f"{r.topic} {' '.join(r.keywords)} {r.why}" for r in unit.relations),
            *(f"{p.function} {p.name or ''}" for p in unit.people),
        ])
        known = set(analyzer.document(entry)) | set(analyzer.document(" ".join(GENERIC_DIRECTORY_WORDS)))
        alternatives = self.engine.expander.alternatives
        return {
            word: terms
            for word, terms in question_words(question, analyzer)
            if len(terms[0]) > 2 and not word_is_covered(word, terms, known, analyzer, alternatives)
        }

    def _passages_mention(self, gap: dict[str, list[str]], hits: list[Hit]) -> bool:
        engine = self.engine
        analyzer, alternatives = engine.retriever.index.analyzer, engine.expander.alternatives
        return coverage(" ".join(gap), hits, engine.term_weights, analyzer, alternatives=alternatives) >= 0.5

    def _unit_facts_answer(
        self, question: str, unit: Unit, asker: AskerContext, language: Language, hits: list[Hit],
        parent_first: bool = False,
        also: Unit | None = None,
        about_person: bool = False,
    ) -> Answer:
        """The unit's facts that match the question, cited; `also`: a second unit for another topic asked about."""
        citations = Citations(language, limit=self.engine.settings.max_sources)
        folded = fold(question)
        lines = []
        people: list[PersonRef] = []
        person_unknown = False
        if about_person or asks_for_person(folded):
            named = self._matching_people(question, unit)
            for person in named:
                marker = self._cite(citations, person.source, asker)
                lines.append(phrases.person_line(person, language) + marker)
                people.append(PersonRef(name=person.name or person.function, unit_id=unit.id,
                                        function=person.function, year=person.year, source=person.source.label()))
            if CONTACT_DETAILS.search(folded) or not named:
                lines.append(phrases.text("not_in_directory", language, unit=display_name(unit)))
                person_unknown = not named
        def unit_line(described: Unit, facts: list[Fact]) -> str:
            cited = " ".join(f"{fact.text}{self._cite(citations, fact.source, asker)}" for fact in facts)
            return f"{phrases.text('unit_intro', language, unit=display_name(described))} {cited}"

        lines.append(unit_line(unit, self._relevant_facts(question, unit.responsibilities)))
        parent = self.engine.knowledge.unit(unit.parent) if unit.parent else None
        units = [unit_ref(unit)]
        if parent and parent_first:
            lines.insert(0, phrases.text("belongs_to", language, unit=display_name(unit), parent=display_name(parent),
                                         organisation=unit.organisation))
            units.insert(0, unit_ref(parent))
        elif parent and not people:
            lines.append(phrases.text("part_of", language, parent=display_name(parent), organisation=unit.organisation))
        elif unit.kind in PARTNERSHIP_KINDS and not people:
            # A partnership sits in no tree: who takes part in it places it, as "part of" places a directorate.
            partner_ids = dict.fromkeys(relation.unit for relation in unit.relations)
            partners = [partner for partner in map(self.engine.knowledge.unit, partner_ids) if partner is not None]
            if partners:
                lines.append(phrases.text("partnership_with", language,
                                          units=", ".join(display_name(partner) for partner in partners)))
                units.extend(unit_ref(partner) for partner in partners)
        if also is not None:
            lines.append(unit_line(also, self._relevant_facts(question, also.responsibilities, limit=1)))
            units.append(unit_ref(also))
        citations.fill(hits)
        answer = Answer(question=question, answer="\n".join(lines), kind="directory", language=language,
                        units=units, people=people, sources=citations.sources)
        # Asked for a person the sources don't name: what is known about the unit is context, not the answer.
        return as_not_found(answer) if person_unknown else answer

    def _asks_for_role(self, question: str, unit: Unit) -> bool:
        """A "wie ..." question whose words meet the function of someone the unit's entry records."""
        if not WHO_ASKS.search(fold(question).strip()) or not unit.people:
            return False
        terms = set(content_terms(self.directory.without_names(question, unit))) - self._generic_terms
        # Inside a compound too: "wie trekt" meets "kartrekker".
        return any(
            term == word or (len(term) >= 4 and term in word)
            for person in unit.people
            for word in content_terms(person.function)
            for term in terms
        )

    def _matching_people(self, question: str, unit: Unit) -> list[NamedPerson]:
        terms = set(content_terms(question))
        scored = []
        for person in unit.people:
            overlap = len(terms & set(content_terms(f"{person.function} {person.name or ''}")))
            scored.append((overlap, person))
        scored.sort(key=lambda item: item[0], reverse=True)
        if scored and scored[0][0] > 0:
            return [person for overlap, person in scored if overlap == scored[0][0]][:2]
        return [person for _, person in scored[:2]]

    def _relevant_facts(self, question: str, facts: list[Fact], limit: int = MAX_FACTS) -> list[Fact]:
        """The facts that speak to the question most, best first (in the directory's order when tied).

        Matched like the evidence check: rare words weigh most, and compounds and synonyms count
        ("bescherming van persoonsgegevens" finds the fact about "gegevensbescherming").
        """
        analyzer = self.engine.retriever.index.analyzer
        weights, alternatives = self.engine.term_weights, self.engine.expander.alternatives

        def share(fact: Fact) -> float:
            return covered_share(question, set(analyzer.document(fact.text)), weights, analyzer, alternatives)

        return sorted(facts, key=lambda fact: -share(fact))[:limit]

    # --- counterparts ------------------------------------------------------------------------------

    def _asker_unit(self, question: str, asker: AskerContext, named: list[Unit]) -> Unit | None:
        if asker.unit_id and (unit := self.engine.knowledge.unit(asker.unit_id)):
            return unit
        folded = fold(question)
        match = ASKER_UNIT.search(folded)
        if named and match is None and len(named) == 1 and FIRST_PERSON.search(folded) \
                and OTHER_UNIT.search(folded) and not OUTSIDE_ASKER.search(folded):
            # "We beginnen bij DSK aan een beleidsstuk. Welke andere directies halen we erbij?": other than
            # the one unit the asker names, so that one is theirs.
            return named[0]
        if not (named and match):
            return None
        # The unit named nearest after the phrase ("ik zit bij DIA", "Ik zit op een materieelproject (DMV)",
        # "Politie: ...") is the asker's; an asker who names only an outside party has none of ours.
        nearby = self.directory.mentioned_units(question[match.start():match.end() + ASKER_INTRO_REACH])
        if nearby:
            return nearby[0]
        if OUTSIDE_ASKER.search(folded):
            return None
        after = self.directory.mentioned_units(question[match.start():])
        return (after or named)[0]

    def _counterpart(self, question: str, hits: list[Hit], asker: AskerContext, language: Language) -> Answer | None:
        named = self.directory.mentioned_units(question)
        target = self._contact_target(question, named)
        if target is not None:
            # Whom to contact at (or to join) a unit we know: its recorded people, or honestly none.
            return self._unit_facts_answer(question, target, asker, language, hits, about_person=True)
        own = self._asker_unit(question, asker, named)
        suggestions: dict[str, tuple[Unit, str, SourceRef | None]] = {}

        named_ids = {unit.id for unit in named}
        held_back: dict[str, tuple[Unit, str, SourceRef | None]] = {}

        def suggest(unit: Unit, why: str, source: SourceRef | None, target: bool = False) -> None:
            if (own is not None and unit.id == own.id) or unit.id in suggestions:
                return
            # A unit the asker named as what the dossier touches is context, not a suggestion.
            (held_back if target and unit.id in named_ids else suggestions)[unit.id] = (unit, why, source)

        folded = fold(question)
        topic_text = CONSULTING.sub(" ", question)  # "met wie overleg ik over X": X is the topic, not the overleg
        if CROSS_DOMAIN.search(folded) and ((own and own.kind == "functioneel") or FUNCTIONAL_ASKER.search(folded)):
            # The integration model: functional directorates take cross-domain work to the integrating ones.
            model_source = self._kind_source(self.engine.knowledge.units)
            for unit in self.directory.units_of_kind("integrerend"):
                fact = self._relevant_facts(question, unit.responsibilities)[0]
                suggest(unit, phrases.text("integration_model_reason", language, task=fact.text), model_source)
        owners = [own] if own else None
        relations = self.directory.match_relations(topic_text, owners=owners)
        if own is not None and self._parts(own):
            # "Ik werk binnen het DGB aan ...": an umbrella says where the asker works, not with whom.
            # Its name says where, not what: "DGB" should not pull in relations that mention the DGB.
            topic = self.directory.without_names(topic_text, own)
            within = [match for match in self.directory.match_relations(topic) if match.owner.id != own.id]
            if within and (not relations or within[0].score > relations[0].score):
                relations, own = within, None
        if not relations and own is not None:
            relations = self.directory.match_relations(topic_text)
        hub = self._hub(relations) if own is None else None
        if hub is not None:
            # Many units go to one for this topic ("for visie and strategie, a directorate goes to DSK"): without
            # the asker's unit, that one is the answer, and the units that go to it are not.
            suggest(hub[0], hub[1].relation.why, hub[1].relation.source)
            relations = [match for match in relations if match.owner.id == hub[0].id]
        domain_owner = self._domain_owner(topic_text, own, relations) if own is not None else None
        if domain_owner is not None:
            # "Ik zit bij CIO en werk aan archivering": the unit whose own tasks are the topic (DBE) leads
            # when the asker's relations only touch it.
            fact = self._relevant_facts(question, domain_owner.responsibilities)[0]
            suggest(domain_owner, fact.text, fact.source)
        if relations:
            top = self._lead_relation(relations)
            if (
                own is None and FIRST_PERSON.search(folded) and not OUTSIDE_ASKER.search(folded)
                and top.owner.id not in named_ids and (top.owner.kind == "organisatie" or OTHER_UNIT.search(folded))
            ):
                # "Wat kan Defensie voor ons betekenen?", "welke andere directie halen we erbij?": the
                # relation describes the asker's own path. Not when the asker is an outside party, nor when
                # the owner is named as the other side ("met Defensie samenwerken").
                own = top.owner
            if own is None:
                # The owner's reason is its task on the relation's topic, not whatever the question's other words hit.
                topic = " ".join([question, top.relation.topic, *top.relation.keywords])
                fact = self._relevant_facts(topic, top.owner.responsibilities)[0]
                suggest(top.owner, fact.text, fact.source)
            for match in self._ranked_relations(relations, top):
                target = self.engine.knowledge.unit(match.relation.unit)
                if target:
                    suggest(target, match.relation.why, match.relation.source, target=True)
        others = [unit for unit in named if own is None or unit.id != own.id]
        for match in self._relations_towards(others) if len(others) > 1 else []:
            suggest(match.owner, match.relation.why, match.relation.source)
        if not suggestions:
            suggestions.update(held_back)
        if not suggestions:
            for match in self.directory.match_topic(topic_text, limit=3):
                if match.score >= MIN_DIRECTORY_SCORE:
                    fact = self._relevant_facts(question, match.unit.responsibilities)[0]
                    suggest(match.unit, fact.text, fact.source)
        if not suggestions:
            return None
        citations = Citations(language, limit=self.engine.settings.max_sources)
        lines = [phrases.text("counterpart_intro_own" if own else "counterpart_intro", language,
                              unit=display_name(own) if own else "")]
        units = []
        for rank, (unit, why, source) in enumerate(list(suggestions.values())[:MAX_COUNTERPARTS], start=1):
            marker = self._cite(citations, source, asker) if source else ""
            lines.append(f"{rank}. *{display_name(unit)}*: {why}{marker}")
            units.append(unit_ref(unit, reason=why))
        citations.fill(hits)
        return Answer(question=question, answer="\n".join(lines), kind="counterpart", language=language,
                      units=units, sources=citations.sources)

    def _defining_passage_first(
        self, question: str, hits: list[Hit], asker: AskerContext, expansion: Expansion, language: Language
    ) -> list[Hit]:
        """For "wat betekent X" / "welke definitie van X": when no top passage defines X, the best-ranked one among
        more candidates that does leads. The studies use their terms far more often than they define them."""
        patterns = defining_patterns_for(question)
        if not patterns or any(defines(patterns, hit.chunk.text) for hit in hits[:PASSAGES_FOR_SENTENCES]):
            return hits
        deeper = self.engine.retriever.search(question, asker, k=DEFINITION_SEARCH_DEPTH, expansion=expansion,
                                              language=language)
        defining = next((hit for hit in deeper if defines(patterns, hit.chunk.text)), None)
        if defining is None:
            return hits
        return [defining, *(hit for hit in hits if hit.chunk.id != defining.chunk.id)][: len(hits)]

    def _name_not_given(self, question: str, hits: list[Hit]) -> bool:
        """"Wie is de vaste liaisonofficier ...? Ik zoek een naam.": the top passages must name someone the
        directory records, other than the people the question itself names; else the sources don't say who."""
        folded = fold(question)
        if not (WHO_ASKS.search(folded.strip()) and asks_for_person(folded)):
            return False
        surnames = self._recorded_surnames - set(words(folded))
        named = {word for hit in hits[:PASSAGES_FOR_NAMES] for word in words(fold(hit.chunk.text))}
        return not surnames & named

    def _units_of_notes(self, chunks: list[Chunk]) -> list[Unit]:
        unit_ids = dict.fromkeys(unit_id for chunk in chunks for unit_id in chunk.units)
        return [unit for unit in map(self.engine.knowledge.unit, unit_ids) if unit is not None][:MAX_NOTE_UNITS]

    def _contact_target(self, question: str, named: list[Unit]) -> Unit | None:
        """The unit in "het aanspreekpunt bij Defport" or "aan te haken bij het LMI"."""
        for match in CONTACT_AT_UNIT.finditer(fold(question)):
            for unit in named:
                if self.directory.starts_with_name(question[match.end():], unit):
                    return unit
        return None

    def _domain_owner(self, topic: str, own: Unit, relations: list[RelationMatch]) -> Unit | None:
        """The unit whose own tasks match the topic better than any of the asker's relations, if any."""
        topic = self.directory.without_names(topic, own)
        # A directorate's domain belongs to another directorate, not to a partnership that mentions the word.
        candidates = self._directorate_units if own.kind in DIRECTORATE_KINDS else None
        matches = [match for match in self.directory.match_topic(topic, candidates=candidates, limit=3)
                   if match.unit.id != own.id]
        if not matches or matches[0].score < MIN_DIRECTORY_SCORE:
            return None
        if relations and relations[0].score >= matches[0].score:
            return None
        return matches[0].unit

    def _hub(self, relations: list[RelationMatch]) -> tuple[Unit, RelationMatch] | None:
        """The unit that the best-matching relations of at least HUB_OWNERS different units point to."""
        if not relations:
            return None
        best = _contenders(relations)
        owners: dict[str, set[str]] = {}
        for match in best:
            owners.setdefault(match.relation.unit, set()).add(match.owner.id)
        target, pointing = max(owners.items(), key=lambda item: len(item[1]))
        unit = self.engine.knowledge.unit(target)
        if unit is None or len(pointing) < HUB_OWNERS:
            return None
        return unit, next(match for match in best if match.relation.unit == target)

    @staticmethod
    def _lead_relation(relations: list[RelationMatch]) -> RelationMatch:
        """The best relation of the unit whose relations match best together: the topic's owner.

        For IT strategy both CIO and DSK point at each other; CIO also points at DOBP, so CIO leads.
        """
        owner_scores: dict[str, float] = {}
        for match in relations:
            owner_scores[match.owner.id] = owner_scores.get(match.owner.id, 0.0) + match.score
        return max(_contenders(relations), key=lambda match: (owner_scores[match.owner.id], match.score))

    @staticmethod
    def _ranked_relations(relations: list[RelationMatch], top: RelationMatch) -> list[RelationMatch]:
        """The top topic's relations in their stated order, then other good matches."""
        same_topic = [m for m in relations if m.owner.id == top.owner.id and m.relation.topic == top.relation.topic]
        same_topic.sort(key=lambda match: match.relation.order)
        rest = [m for m in relations if m not in same_topic and m.score >= top.score * 0.5]
        return same_topic + rest

    def _relations_towards(self, targets: list[Unit]) -> list[RelationMatch]:
        """Units that hold relations to several of the named units: the ones that connect them."""
        if not targets:
            return []
        target_ids = {unit.id for unit in targets}
        counts: dict[str, tuple[int, RelationMatch]] = {}
        for owner in self.engine.knowledge.units:
            hits = [relation for relation in owner.relations if relation.unit in target_ids]
            if hits and owner.id not in target_ids:
                counts[owner.id] = (len(hits), RelationMatch(owner, hits[0], float(len(hits))))
        ranked = sorted((item for item in counts.values() if item[0] >= 2), key=lambda item: -item[0])
        return [match for _, match in ranked[:2]]

    # --- study ---------------------------------------------------------------------------------------

    def _study(
        self, question: str, hits: list[Hit], asker: AskerContext, language: Language, expansion: Expansion
    ) -> Answer:
        hits = self._defining_passage_first(question, hits, asker, expansion, language)
        if not self.engine.is_supported(question, hits, language) or self._name_not_given(question, hits):
            related = [source_from_chunk(hit.chunk, hit.score, language) for hit in hits[:3]]
            return Answer(question=question, answer=phrases.text("not_found", language), kind="not_found",
                          language=language, related=related)
        citations = Citations(language, limit=self.engine.settings.max_sources)
        # Sentences are matched on the words retrieval used: an English question's words through their Dutch
        # translations, a Dutch word the sources never use ("afgeraden") through its synonyms ("onwenselijk").
        stand_ins = expansion.substitute_groups + (expansion.related_groups if language == "en" else ())
        evidence = best_sentences(question, hits, self.engine.term_weights, stand_ins=stand_ins)
        parts = []
        for item in evidence:
            hit = hits[item.hit_index]
            parts.append(f"{item.sentence}{citations.cite_chunk(hit.chunk, hit.score)}")
        citations.fill(hits)
        named = self.directory.mentioned_units(question)
        # A quoted case note says which units it is about; name them, so the answer connects to who is who.
        about = [unit for unit in self._units_of_notes([hits[item.hit_index].chunk for item in evidence])
                 if unit.id not in {named_unit.id for named_unit in named}]
        units = [unit_ref(unit) for unit in [*named, *about]]
        body = " ".join(parts) if parts else phrases.text("see_sources", language)
        if about:
            body += "\n" + phrases.text("study_about", language, units=", ".join(display_name(unit) for unit in about))
        intro = phrases.text("study_intro", language)
        return Answer(question=question, answer=f"{intro}\n{body}", kind="study", language=language, units=units,
                      sources=citations.sources)
