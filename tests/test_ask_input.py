"""`schakel ask` answers every question of a batch, whatever bytes a line holds (issue 15, section 5).

Before, one Windows-1252 byte ("café" from a Windows file or terminal) ended the run with a tokenizer
TypeError, and the questions after it were never answered.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from bot.settings import Settings
from tests.scaleout.serving import SCHAKEL

BATCH = b"Wat is de DSI?\nwie gaat over caf\xe9 vastgoed?\nWie gaat over vastgoed?\n"


def ask(settings: Settings, tmp_path: Path, *args: str | bytes, stdin: bytes | None = None) -> list[dict[str, object]]:
    env = {**os.environ, "DATA_DIR": str(settings.data_dir), "LOG_LEVEL": "WARNING"}
    result = subprocess.run([str(SCHAKEL), "ask", "--json", *args], input=stdin, env=env, cwd=tmp_path,
                            capture_output=True, timeout=600, check=False)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0 and "Traceback" not in stderr, stderr
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def test_a_windows_1252_line_is_read_as_such_and_every_line_is_answered(
        indexed_settings: Settings, tmp_path: Path) -> None:
    answers = ask(indexed_settings, tmp_path, stdin=BATCH)
    assert [answer["question"] for answer in answers] == [
        "Wat is de DSI?", "wie gaat over café vastgoed?", "Wie gaat over vastgoed?"]
    assert answers[1]["units"] and answers[1]["kind"] != "not_found"  # "vastgoed" survived the decoding


def test_bytes_that_are_no_text_in_any_encoding_are_replaced_not_fatal(
        indexed_settings: Settings, tmp_path: Path) -> None:
    # 0x81 and 0x8d are undefined in Windows-1252 too.
    answers = ask(indexed_settings, tmp_path, stdin=b"wie gaat over \x81\x8d vastgoed?\nWat is de DSI?\n")
    assert [answer["question"] for answer in answers] == ["wie gaat over \ufffd\ufffd vastgoed?", "Wat is de DSI?"]


def test_an_undecodable_question_argument_is_answered(indexed_settings: Settings, tmp_path: Path) -> None:
    (answer,) = ask(indexed_settings, tmp_path, b"wie gaat over caf\xe9 vastgoed?")
    assert answer["question"] == "wie gaat over café vastgoed?" and answer["units"]


def test_the_chat_reads_a_windows_1252_line_and_answers_the_next_one(
        indexed_settings: Settings, tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(indexed_settings.data_dir), "LOG_LEVEL": "WARNING"}
    result = subprocess.run([str(SCHAKEL), "chat"], input=b"wie gaat over caf\xe9 vastgoed?\nWat doet de DSI?\nstop\n",
                            env=env, cwd=tmp_path, capture_output=True, timeout=600, check=False)
    output = result.stdout.decode("utf-8")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    # Both lines are answered, each with its sources: the Windows-1252 one does not end the chat.
    first, second = output.split("Vraag: ")[1:3]
    assert "Bronnen:" in first and "Bronnen:" in second and "DSI" in second
    assert output.rstrip().endswith("Tot ziens.")
