"""Tests run with the configuration they state, whatever `make run` left in the checkout (issue 15, section 8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

PROBE = "import os, microsoft_teams.apps; print(os.environ.get('INDEX_PATHS', '-'))"


def test_the_teams_sdk_copies_a_dotenv_into_the_environment_unless_disabled(tmp_path: Path) -> None:
    # What made test_index_and_ask_through_a_chroma_server fail after `make run`: the .env that make run
    # writes, copied into the test process on import and inherited by every `schakel` subprocess.
    (tmp_path / ".env").write_text("INDEX_PATHS=knowledge,docs,../shared/corpus\n", encoding="utf-8")
    inherited = {key: value for key, value in os.environ.items() if key != "PYTHON_DOTENV_DISABLED"}

    def probe(env: dict[str, str]) -> str:
        return subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True,
                              check=True, timeout=120).stdout.strip()

    assert probe(inherited) == "knowledge,docs,../shared/corpus"
    assert probe(dict(os.environ)) == "-"  # as tests/conftest.py sets it


def test_the_session_runs_outside_the_checkout_without_inherited_settings() -> None:
    assert not Path.cwd().resolve().is_relative_to(REPO_ROOT)
    assert not (Path.cwd() / ".env").exists()
    assert "INDEX_PATHS" not in os.environ and "DATA_DIR" not in os.environ
