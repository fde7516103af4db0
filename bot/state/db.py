"""One SQLAlchemy engine for all shared state: idempotency keys, feedback, people,
reflection subscriptions and sent-log, and the scheduler's job store.

SQLite in the data folder by default; any SQLAlchemy URL (PostgreSQL) when
DATABASE_URL is set, so several replicas can share it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, create_engine, event, text
from sqlalchemy.exc import DatabaseError

from bot.settings import Settings

metadata = MetaData()

# Any fixed number: the PostgreSQL advisory lock that lets one replica at a time create tables.
SCHEMA_LOCK_KEY = 72_421_306


def create_db_engine(settings: Settings) -> Engine:
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            # WAL lets the bot, the CLI and a second replica read while one writes.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
    else:
        engine = create_engine(url, pool_pre_ping=True)
    create_tables(engine)
    return engine


def create_tables(engine: Engine, tables: list[Table] | None = None) -> None:
    """Create missing tables, also when several replicas start at the same moment.

    Create-if-missing is check-then-create: two processes can both see a table missing. On
    PostgreSQL an advisory lock serialises them; on SQLite the loser's "already exists" error is
    followed by one more pass, which then finds every table.
    """
    try:
        _create(engine, tables)
    except DatabaseError:
        _create(engine, tables)


def _create(engine: Engine, tables: list[Table] | None) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        metadata.create_all(connection, tables=tables)
