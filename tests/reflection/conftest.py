"""Reflection test fixtures: settings in a temporary data folder, pointed at the local Slack Web API server."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from bot.reflection.slack_poster import SlackPromptPoster
from bot.settings import Settings
from bot.state.db import create_db_engine
from tests.conftest import make_settings
from tests.support.slack_api import SlackApiServer

AMS = ZoneInfo("Europe/Amsterdam")
SCHAKEL = Path(sys.executable).with_name("schakel")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A moment on the Amsterdam wall clock: the frozen clock the tests inject."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


@pytest.fixture
def slack() -> Iterator[SlackApiServer]:
    with SlackApiServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path, slack: SlackApiServer) -> Settings:
    return make_settings(tmp_path / "data", slack_bot_token="xoxb-test", slack_api_url=slack.url)


@pytest.fixture
def db(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def poster(settings: Settings) -> SlackPromptPoster:
    return SlackPromptPoster.from_settings(settings)


class Cli:
    """Runs the real `schakel reflect …` console script in a subprocess, like an operator would."""

    def __init__(self, settings: Settings, cwd: Path) -> None:
        self.cwd = cwd
        self.env = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("SLACK_", "DATABASE_", "DATA_DIR", "REFLECTION_"))
        }
        self.env.update({
            "DATA_DIR": str(settings.data_dir),
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": settings.slack_api_url or "",
            "HF_HUB_OFFLINE": "1",
        })

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([str(SCHAKEL), "reflect", *args], cwd=self.cwd, env=self.env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCHAKEL), "reflect", *args], cwd=self.cwd, env=self.env, text=True,
                              capture_output=True, timeout=120)


@pytest.fixture
def cli(settings: Settings, tmp_path: Path) -> Cli:
    workdir = tmp_path / "cwd"  # no .env here: only the environment above configures the CLI
    workdir.mkdir()
    return Cli(settings, workdir)
