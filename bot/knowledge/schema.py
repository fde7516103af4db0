"""Pydantic schema for the curated data in `knowledge/`.

Every fact carries a `SourceRef`: the study it comes from and the line range
there. The text is ours; only facts and figures come from the studies.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DOC_IDS = ("000", "001", "002", "003", "004")
UnitKind = Literal[
    "directoraat",  # DGB itself
    "integrerend",  # integrating directorate in the DGB integration model
    "functioneel",  # functional directorate in the DGB integration model
    "staf",  # staff part without a place in the model (Kabinet DGB)
    "voorganger",  # predecessor merged into DGB
    "organisatie",  # a whole organisation (Defensie, Nationale Politie, OM, KPN)
    "dienst",  # an operational service or unit (NatOps, DSI, KMar, 101 Geniebataljon)
    "overleg",  # a steering group or consultative body
    "functie",  # a single office (Commandant der Strijdkrachten, Korpschef)
    "partnership",  # a public-private or public-public collaboration (LMI, HIVE, Ecosysteem Logistiek)
    "company",  # a private company
    "platform",  # an enabling platform (Defport)
    "locatie",  # a site (Kromhout Kazerne)
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    doc: str  # "003": the study id, the prefix of its corpus file name
    lines: tuple[int, int]

    @field_validator("doc")
    @classmethod
    def _known_doc(cls, value: str) -> str:
        if value not in DOC_IDS:
            raise ValueError(f"onbekend document {value!r}; kies uit {', '.join(DOC_IDS)}")
        return value

    @field_validator("lines")
    @classmethod
    def _ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        start, end = value
        if start < 1 or end < start:
            raise ValueError(f"regelbereik {start}-{end} is ongeldig")
        return value

    def label(self) -> str:
        return f"{self.doc}, r. {self.lines[0]}-{self.lines[1]}"


class Fact(Strict):
    """One statement in our own words, with where the study says it."""

    text: str = Field(min_length=3)
    source: SourceRef


class Relation(Strict):
    """`unit` works with this unit on `topic`; `order` ranks suggestions (1 first)."""

    unit: str
    topic: str
    keywords: list[str] = Field(default_factory=list)  # words a question uses for this topic
    why: str  # the reason shown to the user, in our words
    order: int = 1
    source: SourceRef


class NamedPerson(Strict):
    """A person or function named in a study. `year` is the time the study describes."""

    name: str | None = None  # None when the study names only the function
    function: str
    year: int
    source: SourceRef


class Unit(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    abbreviations: list[str] = Field(default_factory=list)  # first is the preferred one
    aliases: list[str] = Field(default_factory=list)
    organisation: str  # "Defensie", "Nationale Politie", "Openbaar Ministerie", "bedrijfsleven", ...
    parent: str | None = None  # id of the parent unit
    kind: UnitKind
    responsibilities: list[Fact] = Field(min_length=1)
    keywords: list[str] = Field(default_factory=list)  # topics users ask about (matching only, not shown)
    relations: list[Relation] = Field(default_factory=list)
    people: list[NamedPerson] = Field(default_factory=list)
    contact_channel: str | None = None  # a Slack/Teams channel for "Breng me in contact", where known

    @property
    def abbreviation(self) -> str | None:
        return self.abbreviations[0] if self.abbreviations else None

    def labels(self) -> list[str]:
        return [self.name, *self.abbreviations, *self.aliases]


class UnitsFile(Strict):
    units: list[Unit]

    @model_validator(mode="after")
    def _references_resolve(self) -> "UnitsFile":
        ids = [unit.id for unit in self.units]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"dubbele unit-id's: {', '.join(duplicates)}")
        known = set(ids)
        for unit in self.units:
            if unit.parent and unit.parent not in known:
                raise ValueError(f"unit {unit.id!r}: parent {unit.parent!r} bestaat niet")
            for relation in unit.relations:
                if relation.unit not in known:
                    raise ValueError(f"unit {unit.id!r}: relatie naar onbekende unit {relation.unit!r}")
        return self


class ReportedFact(Strict):
    """An approved correction from a user (`schakel knowledge export`). It comes from a report, not a study,
    so it has no SourceRef: whoever folds it into units.yaml finds the study line, or keeps it as a report."""

    melding: int = Field(ge=1)
    field: Literal["taak", "contact", "relatie"]
    text: str = Field(min_length=1)
    replaces: str | None = None  # what the directory said before
    source: str = Field(pattern=r"^melding \d+, goedgekeurd door .+ op \d{4}-\d{2}-\d{2}$")


class UnitPatch(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    reported: list[ReportedFact] = Field(min_length=1)


class UnitsPatchFile(Strict):
    """Approved corrections as a patch against `knowledge/units.yaml`: per existing unit, what was reported."""

    patch_of: Literal["knowledge/units.yaml"]
    units: list[UnitPatch]


class GlossaryTerm(Strict):
    term: str  # the abbreviation as written in the studies
    expansion: str | None = None  # None when no study expands it
    expanded_in_sources: bool
    note: str | None = None  # e.g. "general knowledge, not from the studies"
    unit: str | None = None  # the unit id it names, if any
    source: SourceRef  # where it occurs (and is expanded, when it is)

    @model_validator(mode="after")
    def _expansion_consistent(self) -> "GlossaryTerm":
        if self.expanded_in_sources and not self.expansion:
            raise ValueError(f"{self.term}: expanded_in_sources is waar maar expansion ontbreekt")
        return self


class GlossaryFile(Strict):
    terms: list[GlossaryTerm]


class MaintainedPerson(Strict):
    """A colleague listed by the team that maintains Schakel (`knowledge/people.yaml`)."""

    name: str
    unit: str
    title: str | None = None
    expertise: list[str] = Field(default_factory=list)
    slack_user_id: str | None = None


class PeopleFile(Strict):
    people: list[MaintainedPerson] = Field(default_factory=list)


CHANNEL_ID = re.compile(r"^[A-Za-z0-9_:@.\-]+$")


class CaseFrontMatter(Strict):
    title: str
    units: list[str] = Field(default_factory=list)
    date: dt.date | str  # a date, or a period such as "2013" when the study gives no day
    visibility: Literal["public", "restricted"] = "public"
    channels: list[str] = Field(default_factory=list)  # channel ids where a restricted note may appear
    sources: list[SourceRef] = Field(default_factory=list)

    @field_validator("channels")
    @classmethod
    def _channel_ids(cls, value: list[str]) -> list[str]:
        for channel in value:
            if not CHANNEL_ID.match(channel):
                raise ValueError(f"kanaal {channel!r} is geen geldig kanaal-id")
        return value


class DocumentInfo(Strict):
    """Bibliographic facts about one study, matched to a corpus file by its id prefix ("003_...")."""

    doc: str
    title: str
    short_title: str  # used in citations: "Hoekstra, Het doorbreken van muren"
    author: str | None = None
    year: int | None = None  # publication year; None when the study does not state it
    period: str | None = None  # the time the study describes, e.g. "ca. 2013" or "2020-2021"
    publication: str | None = None
    summary: str  # two or three sentences in our words
    # Words people use for the study, also in English, so "the study on scaling PPPs" finds it.
    keywords: list[str] = Field(default_factory=list)
    source: SourceRef  # where the title (and often the author) is stated
    author_source: SourceRef | None = None  # where the author is named, when that is elsewhere


class DocumentsFile(Strict):
    documents: list[DocumentInfo]


class TranslationsFile(Strict):
    """English question words and the Dutch words the sources use for them (`knowledge/translations.yaml`)."""

    words: dict[str, list[str]]

    @field_validator("words")
    @classmethod
    def _single_lowercase_words(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for english, dutch in value.items():
            if not dutch:
                raise ValueError(f"{english}: geen Nederlandse woorden")
            if english != english.lower() or " " in english.strip():
                raise ValueError(f"{english}: alleen losse woorden in kleine letters")
        return value


class SynonymsFile(Strict):
    """Groups of words that stand in for each other when searching (`knowledge/synonyms.yaml`)."""

    groups: list[list[str]]

    @field_validator("groups")
    @classmethod
    def _groups_have_alternatives(cls, value: list[list[str]]) -> list[list[str]]:
        for group in value:
            if len(group) < 2:
                raise ValueError(f"een groep heeft minstens twee woorden nodig: {group}")
        return value
