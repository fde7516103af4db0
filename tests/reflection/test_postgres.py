"""The same exactly-once guarantees on PostgreSQL, when a server is at hand.

Runs when SCHAKEL_TEST_DATABASE_URL points at a server where the user may create databases
(e.g. postgresql+psycopg://schakel@127.0.0.1:5432/postgres; `.ci/run` starts one); skipped otherwise.
Each test gets a fresh database (tests/support/databases.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bot.reflection.models import Subscription
from bot.reflection.scheduler import JOB_ID, start_scheduler, stop_scheduler
from bot.reflection.slack_poster import SlackPromptPoster
from bot.reflection.store import save_subscription
from bot.settings import Settings
from bot.state.db import create_db_engine
from tests.conftest import make_settings
from tests.reflection.conftest import Cli, at
from tests.support.databases import postgres_url  # noqa: F401 - fixture
from tests.support.slack_api import SlackApiServer

NOW = at(2026, 12, 1, 10, 0)


@pytest.fixture
def pg_settings(tmp_path: Path, slack: SlackApiServer, postgres_url: str) -> Settings:
    return make_settings(tmp_path / "data", database_url=postgres_url, slack_bot_token="xoxb-test",
                         slack_api_url=slack.url)


def test_two_cli_processes_on_postgres_post_once(pg_settings: Settings, tmp_path: Path,
                                                 slack: SlackApiServer) -> None:
    cli = Cli(pg_settings, tmp_path)
    cli.env["DATABASE_URL"] = pg_settings.resolved_database_url
    assert cli.run("subscribe", "C0REFLECT").returncode == 0
    racers = [cli.start("run-due", "--now", "2026-12-01T10:00:00+01:00") for _ in range(2)]
    outputs = [racer.communicate(timeout=120) for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0], outputs
    assert slack.count("chat.postMessage") == 1


def test_job_store_on_postgres_keeps_the_job(pg_settings: Settings, slack: SlackApiServer) -> None:
    db = create_db_engine(pg_settings)
    save_subscription(db, Subscription("C0TEAM"), NOW)
    poster = SlackPromptPoster.from_settings(pg_settings)
    first = start_scheduler(pg_settings, poster, clock=lambda: at(2026, 12, 1, 9, 0))
    stop_scheduler(first)
    second = start_scheduler(pg_settings, poster, clock=lambda: NOW)
    try:
        assert second.get_job(JOB_ID) is not None
    finally:
        stop_scheduler(second)
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reflection_jobs")).scalar() == 1
    db.dispose()
