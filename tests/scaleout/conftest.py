"""Scale-out fixtures: the shared SQL databases (SQLite and PostgreSQL) and a real Chroma server."""

from __future__ import annotations

from tests.support.databases import database_url, postgres_url  # noqa: F401 - fixtures for this folder
