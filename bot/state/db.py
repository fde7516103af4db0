"""One SQLAlchemy engine for all shared state: idempotency keys, feedback, people,
reflection subscriptions and sent-log, and the scheduler's job store.

SQLite in the data folder by default; any SQLAlchemy URL (PostgreSQL) when
DATABASE_URL is set, so several replicas can share it.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

from sqlalchemy import Engine, MetaData, Table, create_engine, event, text

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
    PostgreSQL an advisory lock serialises them; on SQLite a file lock beside the database does.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        _create(engine, tables)
        return
    with open(f"{database}.schema-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _create(engine, tables)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _create(engine: Engine, tables: list[Table] | None) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        if tables is None:
            metadata.create_all(connection)
        else:
            for table in tables:  # also tables of another MetaData (APScheduler's job store)
                table.create(connection, checkfirst=True)
