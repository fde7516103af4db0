"""Approved corrections from users, as the core sees them: overlay facts shown beside the directory's own.

An adapter supplies the implementation (bot.state.corrections.CorrectionStore). Nothing here knows about
a chat platform or a database; the age of a unit's sources is computed here because answers and the
reviewers' list must agree on it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Literal, Protocol

from pydantic import BaseModel

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import SourceRef, Unit

OverlayField = Literal["taak", "contact", "relatie"]
OVERLAY_FIELDS: tuple[OverlayField, ...] = ("taak", "contact", "relatie")
YEAR = re.compile(r"\b(19|20)\d\d\b")


class OverlayFact(BaseModel):
    """A user's correction, approved by a reviewer."""

    correction_id: int
    unit_id: str
    field: OverlayField
    text: str
    reviewer: str
    approved_on: dt.date

    def source_label(self) -> str:
        return f"melding {self.correction_id}, goedgekeurd door {self.reviewer} op {self.approved_on.isoformat()}"


class OverlaySource(Protocol):
    def facts(self, unit_id: str) -> list[OverlayFact]:
        """The approved overlay facts of a unit, oldest first."""
        ...


def source_year(knowledge: KnowledgeBase, ref: SourceRef) -> int | None:
    """The latest year a study's facts describe: its publication year, else the end of its period."""
    info = knowledge.documents.get(ref.doc)
    if info is None:
        return None
    if info.year:
        return info.year
    years = [int(match.group(0)) for match in YEAR.finditer(info.period or "")]
    return max(years) if years else None


def newest_year(knowledge: KnowledgeBase, refs: list[SourceRef], overlay: Sequence[OverlayFact] = ()) -> int | None:
    """The newest year among the sources and approved corrections; None when none has a known year."""
    years = [year for year in (source_year(knowledge, ref) for ref in refs) if year is not None]
    years += [fact.approved_on.year for fact in overlay]
    return max(years) if years else None


def unit_sources(unit: Unit) -> list[SourceRef]:
    return [*(f.source for f in unit.responsibilities), *(r.source for r in unit.relations),
            *(p.source for p in unit.people)]


def is_old(year: int | None, max_age_years: int, today: dt.date) -> bool:
    return year is not None and today.year - year > max_age_years
