"""The people directory: maintained `knowledge/people.yaml` plus synced chat profiles, minus hidden people.

Implements `bot.core.people.PeopleSource`. Profiles come in through `replace_profiles` (see
`schakel people sync`); anyone can take themselves out of answers with `hide` ("/schakel verberg mij").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, Engine, String, Table, delete, insert, select

from bot.core.models import PersonRef
from bot.knowledge.loader import KnowledgeBase
from bot.state.db import create_tables, metadata

WORD = re.compile(r"[0-9a-z&]+")
MIN_TERM = 3  # shorter terms ("it", "om") match too much inside other words
EXPERTISE_WEIGHT = 2.0
TITLE_WEIGHT = 1.0

synced_people = Table(
    "people_synced",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("platform", String(16), nullable=False, default="slack"),
    Column("name", String(200), nullable=False),
    Column("title", String(300)),
    Column("unit_label", String(200)),  # the profile field as typed, kept for `schakel people sync` output
    Column("unit_id", String(100), index=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

hidden_people = Table(
    "people_hidden",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("hidden_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class SyncedProfile:
    user_id: str
    name: str
    title: str | None = None
    unit_label: str | None = None


@dataclass(frozen=True)
class PersonProfile:
    """What the App Home shows a user about themselves."""

    user_id: str
    name: str | None
    title: str | None
    unit_id: str | None
    hidden: bool


@dataclass(frozen=True)
class _Candidate:
    person: PersonRef
    title_words: tuple[str, ...]
    expertise_words: tuple[str, ...]


def fold(text: str) -> str:
    """Lowercase without accents, so 'Coördinatie' matches 'coordinatie'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str | None) -> tuple[str, ...]:
    return tuple(WORD.findall(fold(text or "")))


class PeopleStore:
    def __init__(self, engine: Engine, knowledge: KnowledgeBase) -> None:
        self._engine = engine
        self._knowledge = knowledge
        self._unit_labels = {fold(label): unit.id for unit in knowledge.units for label in unit.labels()}
        create_tables(engine, [synced_people, hidden_people])

    # -- PeopleSource ----------------------------------------------------------------------------

    def search(self, unit_id: str | None, terms: list[str], limit: int = 10) -> list[PersonRef]:
        wanted = [term for term in (fold(t) for t in terms) if len(term) >= MIN_TERM]
        scored: list[tuple[float, str, PersonRef]] = []
        for candidate in self._candidates():
            if unit_id and candidate.person.unit_id != unit_id:
                continue
            score = sum(
                EXPERTISE_WEIGHT * _matches(term, candidate.expertise_words)
                + TITLE_WEIGHT * _matches(term, candidate.title_words)
                for term in wanted
            )
            if wanted and score == 0:
                continue
            scored.append((score, candidate.person.name, candidate.person))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [person for _, _, person in scored[:limit]]

    # -- profiles --------------------------------------------------------------------------------

    def resolve_unit(self, label: str | None) -> str | None:
        """The unit id for a profile's unit field ("CIO", "DMO", a unit's full name), if known."""
        if not label:
            return None
        return self._unit_labels.get(fold(label.strip()))

    def replace_profiles(self, profiles: list[SyncedProfile], platform: str = "slack") -> int:
        """Store this platform's profiles, dropping ones that are gone. Returns how many have a known unit."""
        now = dt.datetime.now(dt.timezone.utc)
        rows = [
            {
                "user_id": p.user_id,
                "platform": platform,
                "name": p.name,
                "title": p.title or None,
                "unit_label": p.unit_label or None,
                "unit_id": self.resolve_unit(p.unit_label),
                "updated_at": now,
            }
            for p in profiles
        ]
        with self._engine.begin() as connection:
            connection.execute(delete(synced_people).where(synced_people.c.platform == platform))
            if rows:
                connection.execute(insert(synced_people), rows)
        return sum(1 for row in rows if row["unit_id"])

    def unit_of(self, user_id: str | None) -> str | None:
        if not user_id:
            return None
        with self._engine.connect() as connection:
            unit_id = connection.execute(
                select(synced_people.c.unit_id).where(synced_people.c.user_id == user_id)
            ).scalar_one_or_none()
        if unit_id:
            return unit_id
        maintained = next((p for p in self._knowledge.people if p.slack_user_id == user_id), None)
        return maintained.unit if maintained else None

    def profile(self, user_id: str) -> PersonProfile:
        with self._engine.connect() as connection:
            row = connection.execute(select(synced_people).where(synced_people.c.user_id == user_id)).first()
        maintained = next((p for p in self._knowledge.people if p.slack_user_id == user_id), None)
        return PersonProfile(
            user_id=user_id,
            name=row.name if row else (maintained.name if maintained else None),
            title=(row.title if row else None) or (maintained.title if maintained else None),
            unit_id=self.unit_of(user_id),
            hidden=self.is_hidden(user_id),
        )

    # -- hiding ----------------------------------------------------------------------------------

    def hide(self, user_id: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(hidden_people).where(hidden_people.c.user_id == user_id))
            connection.execute(insert(hidden_people).values(user_id=user_id, hidden_at=dt.datetime.now(dt.timezone.utc)))

    def show(self, user_id: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(hidden_people).where(hidden_people.c.user_id == user_id))

    def is_hidden(self, user_id: str) -> bool:
        with self._engine.connect() as connection:
            return connection.execute(
                select(hidden_people.c.user_id).where(hidden_people.c.user_id == user_id)
            ).first() is not None

    # -- internals -------------------------------------------------------------------------------

    def _candidates(self) -> list[_Candidate]:
        with self._engine.connect() as connection:
            hidden = set(connection.execute(select(hidden_people.c.user_id)).scalars())
            synced = connection.execute(select(synced_people)).all()
        candidates: list[_Candidate] = []
        maintained_ids = set()
        for person in self._knowledge.people:
            if person.slack_user_id in hidden:
                continue
            if person.slack_user_id:
                maintained_ids.add(person.slack_user_id)
            ref = PersonRef(name=person.name, unit_id=person.unit, function=person.title,
                            source="people.yaml", slack_user_id=person.slack_user_id)
            expertise = tuple(word for item in person.expertise for word in _words(item))
            candidates.append(_Candidate(ref, _words(person.title), expertise))
        for row in synced:
            # The maintained entry wins: it carries curated expertise.
            if row.user_id in hidden or row.user_id in maintained_ids or not row.unit_id:
                continue
            ref = PersonRef(name=row.name, unit_id=row.unit_id, function=row.title,
                            source=row.platform, slack_user_id=row.user_id)
            candidates.append(_Candidate(ref, _words(row.title), ()))
        return candidates


def _matches(term: str, words: tuple[str, ...]) -> bool:
    # Prefix or compound match: "data" finds "datamanagement" and "big-data".
    return any(word.startswith(term) or (len(term) >= 4 and term in word) for word in words)
