"""Settings checked at start: one Dutch line per problem, naming the setting, its value and what is expected.

`schakel` calls `load_settings()` before any subcommand and `check_services()` for the services that
subcommand needs (the shared database, the Slack Web API when SLACK_API_URL overrides it). A problem
ends the command with exit code 2 instead of a traceback halfway through.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError

from bot.settings import Settings

CONNECT_TIMEOUT_SECONDS = 10
PASSWORD_IN_URL = re.compile(r"(?<=:)[^:@/]+(?=@)")
# What a value must look like, per pydantic error type (`ctx` fills in the bounds).
EXPECTED = {
    "int_parsing": "een geheel getal",
    "int_from_float": "een geheel getal",
    "float_parsing": "een getal",
    "bool_parsing": "true of false",
    "greater_than_equal": "een getal van minstens {ge}",
    "greater_than": "een getal groter dan {gt}",
    "less_than_equal": "een getal van hoogstens {le}",
    "less_than": "een getal kleiner dan {lt}",
    "literal_error": "een van {expected}",
}
# Commands that use the shared state database; `reflect run-due`, `serve` (Slack), `people` and `run`
# (with Slack tokens) also call the Slack Web API.
DATABASE_COMMANDS = frozenset({"ask", "chat", "run", "serve", "people", "reflect", "knowledge", "feedback"})


class StartupError(Exception):
    """Settings that cannot work; the message is one Dutch line per problem."""


def setting_problem(name: str, value: object, expected: str) -> str:
    return f"Instelling {name.upper()}={_shown(value)} is ongeldig: {expected}."


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and `.env`, or a `StartupError` that says what is wrong."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise StartupError("\n".join(describe(error))) from None
    except (OSError, UnicodeDecodeError) as error:
        raise StartupError(f"Het bestand .env kan niet worden gelezen: {error}.") from None


def describe(error: ValidationError) -> list[str]:
    lines: list[str] = []
    for problem in error.errors(include_url=False):
        name = str(problem["loc"][0]) if problem["loc"] else "?"
        context = problem.get("ctx") or {}
        if problem["type"] == "value_error":
            expected = str(context.get("error", problem["msg"]))
        else:
            expected = "verwacht " + EXPECTED.get(problem["type"], "een geldige waarde").format(**context)
        value = "(verborgen)" if _secret(name) else problem.get("input")
        if name == "database_url":
            value = PASSWORD_IN_URL.sub("***", str(value))
        lines.append(setting_problem(name, value, expected))
    return lines


def check_services(settings: Settings, command_line: Sequence[str]) -> None:
    """Reach the services the command on `command_line` (["reflect", "run-due", …]) needs, or raise."""
    if not command_line or "--help" in command_line:
        return
    command = command_line[0]
    if command in DATABASE_COMMANDS:
        check_database(settings)
    slack_calls = (
        (command == "serve" and "--teams" not in command_line)
        or command == "people"
        or (command == "run" and settings.slack_configured)
        or list(command_line[:2]) == ["reflect", "run-due"]
    )
    if slack_calls and settings.slack_api_url:
        check_slack_api(settings.slack_api_url)


def check_database(settings: Settings) -> None:
    """Open the shared state database and create its tables, as every command that uses it does first."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from bot.state.db import create_db_engine

    url = make_url(settings.resolved_database_url)
    # Without DATABASE_URL the database is a file in DATA_DIR: name the setting the operator can change.
    name, shown = ("DATABASE_URL", url.render_as_string(hide_password=True)) if settings.database_url \
        else ("DATA_DIR", str(settings.data_dir))
    if url.get_backend_name() == "sqlite":
        folder = Path(url.database or "").parent
        if not folder.is_dir() and settings.database_url:
            raise StartupError(setting_problem(name, shown, f"de map {folder} bestaat niet"))
        if folder.is_dir() and not os.access(folder, os.W_OK):
            raise StartupError(setting_problem(name, shown, f"de map {folder} is niet schrijfbaar"))
    else:
        # Refused or unreachable: say so within seconds instead of at the first question.
        try:
            probe = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
            try:
                with probe.connect() as connection:
                    connection.execute(text("SELECT 1"))
            finally:
                probe.dispose()
        except SQLAlchemyError as error:
            raise StartupError(setting_problem(name, shown, f"de database is niet bereikbaar ({_reason(error)})")) \
                from None
    try:
        create_db_engine(settings).dispose()
    except (SQLAlchemyError, OSError) as error:
        raise StartupError(setting_problem(
            name, shown, f"de database kan niet worden geopend of beschreven ({_reason(error)})")) from None


def check_slack_api(url: str) -> None:
    """Any HTTP answer means the address is reachable; only no answer at all is a problem."""
    try:
        with urllib.request.urlopen(url, timeout=CONNECT_TIMEOUT_SECONDS):
            pass
    except urllib.error.HTTPError:
        return
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise StartupError(setting_problem(
            "SLACK_API_URL", url, f"het adres is niet bereikbaar ({reason}); verwacht de Slack Web API of een "
                                  "proxy ervoor, of laat de instelling leeg")) from None


def _reason(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    return " ".join(str(cause).split())[:200]


def _secret(name: str) -> bool:
    field = Settings.model_fields.get(name)
    return field is not None and "SecretStr" in str(field.annotation)


def _shown(value: object) -> str:
    if isinstance(value, SecretStr):
        return "(verborgen)"
    return "(leeg)" if value in (None, "") else str(value)
