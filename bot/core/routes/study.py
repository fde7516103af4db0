"""Answers from the studies and case notes: the best sentences, each with its citation, or "not found"."""

from __future__ import annotations

from bot.core import phrases
from bot.core.citations import display_name, source_from_chunk, unit_ref
from bot.core.models import Answer
from bot.core.routes import AnswerTools, Ask
from bot.knowledge.schema import Unit

MAX_NOTE_UNITS = 4  # units named under an answer that quotes case notes


def answer(tools: AnswerTools, ask: Ask) -> Answer:
    query, hits = ask.query, ask.hits
    language = query.language
    if not tools.answerability.is_answered(query, hits):
        return Answer(question=query.question, answer=phrases.text("not_found", language), kind="not_found",
                      language=language,
                      # The passages an answer would have cited: the reader judges what we would not quote.
                      related=[source_from_chunk(hit.chunk, hit.score, language) for hit in hits[:tools.max_sources]])
    # Sentences are matched on the words retrieval used: an English question's words through their Dutch
    # translations, a Dutch word the sources never use ("afgeraden") through its synonyms ("onwenselijk").
    expansion = query.expansion
    stand_ins = expansion.substitute_groups + (expansion.related_groups if language == "en" else ())
    evidence = tools.sentences.pick(query, hits, stand_ins)
    citations = ask.citations(tools)
    parts = [f"{item.sentence}{citations.cite_chunk(hits[item.hit_index].chunk, hits[item.hit_index].score)}"
             for item in evidence]
    citations.fill(hits)
    named = tools.directory.mentioned_units(query.text)
    # A quoted case note says which units it is about; name them, so the answer connects to who is who.
    named_ids = {unit.id for unit in named}
    about = [unit for unit in _units_of_notes(tools, [hits[item.hit_index].chunk.units for item in evidence])
             if unit.id not in named_ids]
    body = " ".join(parts) if parts else phrases.text("see_sources", language)
    if about:
        body += "\n" + phrases.text("study_about", language, units=", ".join(display_name(unit) for unit in about))
    return Answer(question=query.question, answer=f"{phrases.text('study_intro', language)}\n{body}", kind="study",
                  language=language, units=[unit_ref(unit) for unit in [*named, *about]], sources=citations.sources)


def _units_of_notes(tools: AnswerTools, unit_lists: list[list[str]]) -> list[Unit]:
    unit_ids = dict.fromkeys(unit_id for units in unit_lists for unit_id in units)
    return [unit for unit in map(tools.knowledge.unit, unit_ids) if unit is not None][:MAX_NOTE_UNITS]
