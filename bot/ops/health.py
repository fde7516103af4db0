"""Health: ready once the answer engine is loaded; healthy while it is ready and the shared database answers."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HealthStatus:
    ok: bool
    engine: str  # "loaded", "loading" or "stopping"
    database: str  # "ok" or "unreachable"

    def as_json(self) -> dict[str, str]:
        return {"status": "ok" if self.ok else "unavailable", "engine": self.engine, "database": self.database}


class HealthCheck:
    """What /healthz reports. Not ready before `mark_ready` and again after `mark_stopping`, so a load
    balancer stops routing to a replica that is draining."""

    def __init__(self, db: Engine) -> None:
        self._db = db
        self._state = "loading"
        self._guard = threading.Lock()

    def mark_ready(self) -> None:
        with self._guard:
            self._state = "loaded"

    def mark_stopping(self) -> None:
        with self._guard:
            self._state = "stopping"

    def readiness(self) -> str:
        """"loaded" when the index and the model are loaded and the replica is not stopping; else why not.
        No database query: cheap enough for a probe every second."""
        with self._guard:
            return self._state

    def status(self) -> HealthStatus:
        with self._guard:
            state = self._state
        database = "ok" if self._database_answers() else "unreachable"
        return HealthStatus(ok=state == "loaded" and database == "ok", engine=state, database=database)

    def _database_answers(self) -> bool:
        try:
            with self._db.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception as error:  # any driver error means: not reachable now
            log.warning("health: database unreachable", extra={"fields": {"error": type(error).__name__}})
            return False
