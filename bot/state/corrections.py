"""Corrections from users ("Klopt niet / Aanvullen"): pending proposals, and the reviewers' decisions.

Proposals live here, in the shared database, never in `knowledge/`. An approved one is an overlay fact
(`bot.core.overlay`) that directory answers show and cite; until then nobody but the reviewers sees it.
A decision is taken once: approving or rejecting a proposal that is no longer pending changes nothing,
so a replayed button press cannot flip a decision.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Column, DateTime, Engine, Integer, String, Table, Text, insert, select, update

from bot.core.overlay import OverlayFact, OverlayField
from bot.state.db import create_tables, metadata

Status = Literal["pending", "approved", "rejected"]
MAX_TEXT = 1000  # the form's limit on proposed text
MAX_OLD = 2000  # what the directory said, kept for the reviewer

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("status", String(16), nullable=False, index=True),
    Column("platform", String(16), nullable=False),
    Column("proposer_id", String(64), nullable=False),
    Column("proposer_name", String(200)),
    Column("reply_to", Text),  # JSON: where the proposer is told of the decision (platform-specific)
    Column("answer_id", String(64), nullable=False),
    Column("unit_id", String(64), nullable=False, index=True),
    Column("field", String(16), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("reviewer_id", String(64)),
    Column("reviewer_name", String(200)),
    Column("reason", Text),
    Column("decided_at", DateTime(timezone=True)),
)


class Proposal(BaseModel):
    """What a user proposes, as an adapter hands it over."""

    platform: str = Field(max_length=16)
    proposer_id: str = Field(min_length=1, max_length=64)
    proposer_name: str | None = Field(None, max_length=200)
    reply_to: dict[str, Any] = Field(default_factory=dict)
    answer_id: str = Field(min_length=1, max_length=64)
    unit_id: str = Field(min_length=1, max_length=64)
    field: OverlayField
    old_value: str | None = None
    new_value: str = Field(min_length=1, max_length=MAX_TEXT)


class Correction(Proposal):
    id: int
    status: Status
    created_at: dt.datetime
    reviewer_id: str | None = None
    reviewer_name: str | None = None
    reason: str | None = None
    decided_at: dt.datetime | None = None

    def overlay_fact(self) -> OverlayFact:
        assert self.status == "approved" and self.decided_at is not None
        return OverlayFact(correction_id=self.id, unit_id=self.unit_id, field=self.field, text=self.new_value,
                           reviewer=self.reviewer_name or self.reviewer_id or "?", approved_on=self.decided_at.date())


class CorrectionStore:
    """Also the engine's `OverlaySource`: `facts(unit_id)` are the unit's approved corrections."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        create_tables(engine, [corrections])

    def propose(self, proposal: Proposal) -> Correction:
        values = proposal.model_dump()
        values["reply_to"] = json.dumps(proposal.reply_to)
        values["old_value"] = (proposal.old_value or "")[:MAX_OLD] or None
        with self._engine.begin() as connection:
            result = connection.execute(insert(corrections).values(
                **values, status="pending", created_at=dt.datetime.now(dt.timezone.utc)))
            new_id = result.inserted_primary_key[0]
        found = self.get(int(new_id))
        assert found is not None
        return found

    def get(self, correction_id: int) -> Correction | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(corrections).where(corrections.c.id == correction_id)).first()
        return _correction(row) if row else None

    def with_status(self, status: Status) -> list[Correction]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(corrections).where(corrections.c.status == status).order_by(corrections.c.id)).all()
        return [_correction(row) for row in rows]

    def decide(self, correction_id: int, approve: bool, reviewer_id: str, reviewer_name: str | None,
               reason: str | None = None, new_value: str | None = None) -> Correction | None:
        """Approve (optionally with the reviewer's edited text) or reject; None when it is not pending."""
        values: dict[str, Any] = {"status": "approved" if approve else "rejected", "reviewer_id": reviewer_id[:64],
                                  "reviewer_name": (reviewer_name or "")[:200] or None, "reason": reason,
                                  "decided_at": dt.datetime.now(dt.timezone.utc)}
        if approve and new_value and new_value.strip():
            values["new_value"] = new_value.strip()[:MAX_TEXT]
        with self._engine.begin() as connection:
            result = connection.execute(update(corrections).where(
                corrections.c.id == correction_id, corrections.c.status == "pending").values(**values))
        return self.get(correction_id) if result.rowcount == 1 else None

    def last_approved(self) -> Correction | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(corrections).where(corrections.c.status == "approved")
                                     .order_by(corrections.c.decided_at.desc(), corrections.c.id.desc())).first()
        return _correction(row) if row else None

    def facts(self, unit_id: str) -> list[OverlayFact]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(corrections).where(
                corrections.c.unit_id == unit_id, corrections.c.status == "approved").order_by(corrections.c.id)).all()
        return [_correction(row).overlay_fact() for row in rows]


def _correction(row: Any) -> Correction:
    data = dict(row._mapping)
    data["reply_to"] = json.loads(data["reply_to"] or "{}")
    for key in ("created_at", "decided_at"):
        # SQLite gives naive datetimes back; they were written in UTC.
        if data[key] is not None and data[key].tzinfo is None:
            data[key] = data[key].replace(tzinfo=dt.timezone.utc)
    return Correction.model_validate(data)
