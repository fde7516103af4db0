"""The SQL databases the shared-state tests run on: SQLite always, PostgreSQL when a server is given.

Set SCHAKEL_TEST_DATABASE_URL to a PostgreSQL URL whose user may create databases, e.g.
postgresql+psycopg://schakel@127.0.0.1:5432/schakel (`.ci/run` starts such a server on loopback).
Each test then gets a fresh database of its own, dropped afterwards.

Fixtures (import them into an area's conftest.py):
    database_url  parametrized: "sqlite" (a file in tmp_path) and "postgresql" (skipped without a server)
    postgres_url  PostgreSQL only, skipped without a server
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text

TEST_DATABASE_ENV = "SCHAKEL_TEST_DATABASE_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_server_url() -> str | None:
    return os.environ.get(TEST_DATABASE_ENV) or None


def sqlite_url(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / 'schakel.db').resolve()}"


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server for one test; dropped (connections and all) afterwards."""
    name = f"schakel_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "sqlite")
        return
    server = postgres_server_url()
    if not server:
        pytest.skip(f"{TEST_DATABASE_ENV} not set: no PostgreSQL server for this run")
    with fresh_postgres_database(server) as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    server = postgres_server_url()
    if not server:
        pytest.skip(f"{TEST_DATABASE_ENV} not set: no PostgreSQL server for this run")
    with fresh_postgres_database(server) as url:
        yield url
