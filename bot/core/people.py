"""The people directory as the core sees it: who at which unit knows about what.

The engine asks it for "Wie bij CIO weet van data?"; an adapter supplies the implementation
(bot.state.people.PeopleStore: maintained people.yaml plus synced chat profiles, minus hidden people).
"""

from __future__ import annotations

from typing import Protocol

from bot.core.models import PersonRef


class PeopleSource(Protocol):
    def search(self, unit_id: str | None, terms: list[str], limit: int = 10) -> list[PersonRef]:
        """People in `unit_id` (any unit when None) whose title or expertise matches `terms`, best first.

        With no terms, everyone in the unit. Hidden people are never returned.
        """
        ...
