"""Numbered citations: every statement of an answer carries [n], and `Answer.sources[n-1]` is its passage.

A directory fact cites the indexed passage that holds the fact's line range, so a fact from our own
`knowledge/` shows the study's own words as its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.models import Answer, AskerContext, Language, Source, UnitRef
from bot.core.overlay import OverlayFact
from bot.core.retrieval import Hit, SearchIndex, visible_to
from bot.knowledge.schema import SourceRef, Unit
from indexer.models import Chunk


def doc_id(file_name: str) -> str:
    return file_name.split("_", 1)[0].split(".", 1)[0]


def unit_ref(unit: Unit, reason: str | None = None) -> UnitRef:
    return UnitRef(
        id=unit.id, name=unit.name, abbreviation=unit.abbreviation, reason=reason, contact_channel=unit.contact_channel
    )


def display_name(unit: Unit) -> str:
    if unit.abbreviation and unit.abbreviation != unit.name:
        return f"{unit.name} ({unit.abbreviation})"
    return unit.name


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


class PassageLocator:
    """The indexed passage that holds a fact's line range."""

    def __init__(self, index: SearchIndex) -> None:
        self._by_doc: dict[str, list[Chunk]] = {}
        for chunk in index.chunks.values():
            if chunk.line_start is not None:
                self._by_doc.setdefault(doc_id(chunk.doc), []).append(chunk)

    def chunk_for(self, ref: SourceRef, asker: AskerContext) -> Chunk | None:
        """The visible passage that overlaps the range most; of two that hold it whole, the one where it sits
        further from an edge, since passages end and start within a line and a fact at an edge may be cut."""
        best, best_key = None, (0, 0)
        first, last = ref.lines
        for chunk in self._by_doc.get(ref.doc, []):
            end = chunk.line_end or chunk.line_start or 0
            start = chunk.line_start or 0
            overlap = min(end, last) - max(start, first) + 1
            key = (overlap, min(first - start, end - last))
            if overlap > 0 and key > best_key and visible_to(chunk, asker):
                best, best_key = chunk, key
        return best


@dataclass
class Citations:
    """Numbered sources in order of first citation; `cite` returns the marker for a passage."""

    language: Language
    locator: PassageLocator
    asker: AskerContext
    limit: int = 5
    sources: list[Source] = field(default_factory=list)

    def cite(self, ref: SourceRef | None) -> str:
        return self.cite_chunk(self.locator.chunk_for(ref, self.asker)) if ref is not None else ""

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

    def cite_overlay(self, fact: OverlayFact) -> str:
        """An approved correction as a numbered source of its own: "melding 3, goedgekeurd door … op …"."""
        if len(self.sources) >= self.limit:
            return ""
        title, _, approval = fact.source_label().partition(", ")
        self.sources.append(Source(doc=f"melding-{fact.correction_id}", title=title, location=approval,
                                   text=fact.text, score=1.0))
        return f" [{len(self.sources)}]"

    def fill(self, hits: list[Hit]) -> None:
        """Add further relevant passages, uncited, up to the limit."""
        for hit in hits:
            if len(self.sources) >= self.limit:
                return
            if all(source.chunk_id != hit.chunk.id for source in self.sources):
                self.sources.append(source_from_chunk(hit.chunk, hit.score, self.language))
