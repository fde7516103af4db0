"""Bad settings stop `schakel` at start with one Dutch line (setting, value, what is expected) and exit code 2.

The probes of issue 15 (section 5), as an operator runs them: the console script in a fresh folder, the setting
in the environment. Before, each ended in a traceback somewhere inside the command.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scaleout.serving import SCHAKEL, free_port
from tests.support.slack_api import SlackApiServer

COMMANDS = [("reflect", "list"), ("ask", "Wie gaat over vastgoed?"), ("serve",)]


def schakel(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in settings}
    env.update({"DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING", **settings})
    return subprocess.run([str(SCHAKEL), *args], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)


def assert_refused(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    (line,) = result.stderr.strip().splitlines()  # one line, nothing else
    for part in expected:
        assert part in line, line


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_an_unknown_reflection_timezone_is_named_at_start(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = schakel(tmp_path, *command, REFLECTION_TIMEZONE="Mars/Olympus")
    assert_refused(result, "REFLECTION_TIMEZONE=Mars/Olympus", "Europe/Amsterdam")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_a_number_setting_that_is_no_number_is_named_at_start(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = schakel(tmp_path, *command, RATE_LIMIT_PER_MINUTE="abc")
    assert_refused(result, "RATE_LIMIT_PER_MINUTE=abc", "geheel getal")


def test_a_number_out_of_range_says_the_bound(tmp_path: Path) -> None:
    assert_refused(schakel(tmp_path, "reflect", "list", RATE_LIMIT_PER_MINUTE="0"), "minstens 1")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_a_database_folder_that_does_not_exist_is_named(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = schakel(tmp_path, *command, DATABASE_URL="sqlite:////nonexistent/dir/x.db")
    assert_refused(result, "DATABASE_URL=sqlite:////nonexistent/dir/x.db", "/nonexistent/dir bestaat niet")


def test_an_unsupported_database_is_named_without_its_password(tmp_path: Path) -> None:
    result = schakel(tmp_path, "reflect", "list", DATABASE_URL="mysql://schakel:geheim@127.0.0.1/schakel")
    assert_refused(result, "DATABASE_URL=mysql://schakel:***@127.0.0.1/schakel", "mysql", "postgresql")
    assert "geheim" not in result.stderr


def test_a_database_driver_that_is_not_installed_is_named(tmp_path: Path) -> None:
    result = schakel(tmp_path, "reflect", "list", DATABASE_URL="postgresql+asyncpg://schakel@127.0.0.1/schakel")
    assert_refused(result, "DATABASE_URL=postgresql+asyncpg://", "'asyncpg' is niet geïnstalleerd")


def test_an_unwritable_data_dir_is_named_when_the_database_lives_there(tmp_path: Path) -> None:
    (tmp_path / "bestand").write_text("geen map", encoding="utf-8")
    result = schakel(tmp_path, "reflect", "list", DATA_DIR=str(tmp_path / "bestand" / "data"))
    assert_refused(result, f"DATA_DIR={tmp_path / 'bestand' / 'data'}", "kan niet worden geopend")


def test_a_database_url_that_is_no_url_is_named(tmp_path: Path) -> None:
    assert_refused(schakel(tmp_path, "reflect", "list", DATABASE_URL="schakel.db"), "DATABASE_URL=schakel.db",
                   "sqlite:///")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_a_closed_postgresql_port_is_named(tmp_path: Path, command: tuple[str, ...]) -> None:
    url = f"postgresql+psycopg://schakel:geheim@127.0.0.1:{free_port()}/schakel"  # nothing listens there
    result = schakel(tmp_path, *command, DATABASE_URL=url)
    assert_refused(result, "DATABASE_URL=postgresql+psycopg://schakel:***@127.0.0.1:", "niet bereikbaar")


@pytest.fixture
def read_only_database(tmp_path: Path) -> Iterator[Path]:
    """A SQLite file that cannot be written: immutable for root (who ignores file modes), mode 444 otherwise."""
    import sqlite3

    path = tmp_path / "alleen-lezen.db"
    sqlite3.connect(path).close()
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield path
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False).returncode != 0:
        pytest.skip("running as root on a file system without immutable files: nothing here is read-only")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_database_is_named(tmp_path: Path, read_only_database: Path) -> None:
    result = schakel(tmp_path, "reflect", "list", DATABASE_URL=f"sqlite:///{read_only_database}")
    assert_refused(result, f"DATABASE_URL=sqlite:///{read_only_database}", "readonly")


@pytest.mark.parametrize("command", [("serve", "--http", "--port", "0"), ("reflect", "run-due")],
                         ids=["serve", "run-due"])
def test_an_unreachable_slack_api_url_is_named_at_start(tmp_path: Path, command: tuple[str, ...]) -> None:
    url = f"http://127.0.0.1:{free_port()}/api/"
    result = schakel(tmp_path, *command, SLACK_API_URL=url, SLACK_BOT_TOKEN="xoxb-test",
                     SLACK_SIGNING_SECRET="geheim")
    assert_refused(result, f"SLACK_API_URL={url}", "niet bereikbaar")


def test_a_reachable_slack_api_url_lets_run_due_start(tmp_path: Path) -> None:
    with SlackApiServer() as slack:
        result = schakel(tmp_path, "reflect", "run-due", SLACK_API_URL=slack.url, SLACK_BOT_TOKEN="xoxb-test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Niets te versturen op")
