"""The data that crosses the boundary between the core and its adapters.

An adapter (console, Slack, Teams) turns a platform event into a `Question`
with an `AskerContext`, calls the engine, and renders the `Answer` it gets back.
Nothing here knows about a chat platform.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

AnswerKind = Literal["directory", "counterpart", "study", "not_found"]
Language = Literal["nl", "en"]


class AskerContext(BaseModel):
    """Who asks, and where the answer will be shown."""

    user_id: str | None = None
    unit_id: str | None = None  # the asker's own unit, when known (profile or people directory)
    channel_id: str | None = None
    private: bool = True  # a DM or the console: restricted documents may be shown
    thread_history: list[str] = Field(default_factory=list)  # earlier messages in the thread, oldest first


class Question(BaseModel):
    text: str
    asker: AskerContext = Field(default_factory=AskerContext)
    # The kind of answer the asker chose, when they chose one: the "wie is wie" command asks the directory.
    wants: Literal["directory"] | None = None


class UnitRef(BaseModel):
    id: str
    name: str
    abbreviation: str | None = None
    reason: str | None = None  # why this unit is suggested (counterpart answers)
    contact_channel: str | None = None


class PersonRef(BaseModel):
    name: str
    unit_id: str | None = None
    function: str | None = None
    year: int | None = None  # the year the source describes, for people named in studies
    source: str | None = None  # "002, r. 30-34" for people from the studies; "slack" or "people.yaml" otherwise
    slack_user_id: str | None = None


class Source(BaseModel):
    chunk_id: str | None = None  # lets an adapter fetch the passage again ("Toon passage")
    doc: str  # the indexed file's name, e.g. 003_1f213fa2d4c3e6b8.txt
    title: str
    location: str  # "r. 626-640" for text files, "p. 4" for PDFs
    text: str
    score: float
    visibility: Literal["public", "restricted"] = "public"


class Answer(BaseModel):
    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:16])
    question: str
    answer: str
    kind: AnswerKind
    language: Language = "nl"
    units: list[UnitRef] = Field(default_factory=list)
    people: list[PersonRef] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)  # cited, best first, at most settings.max_sources
    related: list[Source] = Field(default_factory=list)  # "mogelijk relevant" passages for not_found answers
    # The year of the newest source of a directory answer, when older than DIRECTORY_MAX_AGE_YEARS.
    stale_year: int | None = None
    timing_ms: float = 0.0

    def contract(self) -> dict:
        """The stable JSON shape printed by `schakel ask --json` and read by other tools."""
        return {
            "question": self.question,
            "answer": self.answer,
            "kind": self.kind,
            "units": [{"id": u.id, "name": u.name, "abbreviation": u.abbreviation} for u in self.units],
            "sources": [
                {"doc": s.doc, "title": s.title, "location": s.location, "text": s.text, "score": round(s.score, 4)}
                for s in (self.sources or self.related)
            ],
            "timing_ms": round(self.timing_ms, 1),
        }
