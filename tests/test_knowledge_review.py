"""`schakel knowledge review` and `schakel knowledge export` as an operator runs them: real subprocesses on a
real state database, the proposer told through the local Slack stand-in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from bot.knowledge.loader import KnowledgeError, load_knowledge, load_units_patch
from bot.settings import SHIPPED_KNOWLEDGE
from bot.state.corrections import CorrectionStore, Proposal
from bot.state.db import create_db_engine
from tests.conftest import make_settings
from tests.support.corrections import approved_on
from tests.support.slack_api import SlackApiServer


@pytest.fixture
def slack() -> Iterator[SlackApiServer]:
    with SlackApiServer() as server:
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CorrectionStore]:
    db = create_db_engine(make_settings(tmp_path))
    yield CorrectionStore(db)
    db.dispose()


def schakel(data_dir: Path, slack: SlackApiServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(data_dir), "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.url,
           "USER": "ria"}
    return subprocess.run([sys.executable, "-m", "bot", "knowledge", *args], capture_output=True, text=True,
                          env=env, timeout=300, check=False)


def proposal(unit_id: str, field: str, text: str) -> Proposal:
    return Proposal(platform="slack", proposer_id="U0FENNA", proposer_name="fenna", reply_to={"user": "U0FENNA"},
                    answer_id="a1b2c3", unit_id=unit_id, field=field, old_value="• kanaal: geen", new_value=text)


def test_review_lists_approves_rejects_and_export_gives_a_patch_the_loader_accepts(
        tmp_path: Path, store: CorrectionStore, slack: SlackApiServer) -> None:
    store.propose(proposal("dmv", "contact", "Kanaal #dmv-vastgoed"))
    store.propose(proposal("dsk", "taak", "Schrijft ook de defensievisie"))

    listed = schakel(tmp_path, slack, "review")
    assert listed.returncode == 0, listed.stderr
    assert "Openstaande meldingen: 2" in listed.stdout
    assert "Melding 1 · Directie Materieel en Vastgoed (DMV) · contactpersoon of kanaal" in listed.stdout
    assert "voorstel: Kanaal #dmv-vastgoed" in listed.stdout
    assert "Eenheden met bronnen ouder dan 3 jaar" in listed.stdout

    approved = schakel(tmp_path, slack, "review", "--approve", "1")
    assert approved.returncode == 0, approved.stderr
    approved_day = approved_on(store, 1)
    assert f"Bron in antwoorden: melding 1, goedgekeurd door ria op {approved_day}" in approved.stdout
    assert "De melder is ingelicht in Slack." in approved.stdout
    rejected = schakel(tmp_path, slack, "review", "--reject", "2", "--reason", "Dat doet DBE.")
    assert rejected.returncode == 0 and "Melding 2 afgewezen." in rejected.stdout
    told = [call.params["text"] for call in slack.calls_to("chat.postMessage")]
    assert told[0].startswith("Je melding 1 over Directie Materieel en Vastgoed (DMV) is goedgekeurd")
    assert told[1] == "Je melding 2 over Directie Strategie en Kennis (DSK) is niet overgenomen. Reden: Dat doet DBE."
    assert all(call.params["channel"] == "U0FENNA" for call in slack.calls_to("chat.postMessage"))

    again = schakel(tmp_path, slack, "review", "--approve", "2")  # a decision is taken once
    assert again.returncode == 1 and "Melding 2 is al behandeld (afgewezen)." in again.stderr
    assert store.get(2).status == "rejected"

    patch_file = tmp_path / "patch.yaml"
    exported = schakel(tmp_path, slack, "export", "--output", str(patch_file))
    assert exported.returncode == 0, exported.stderr
    patch = load_units_patch(patch_file, load_knowledge(SHIPPED_KNOWLEDGE))
    assert [unit.id for unit in patch.units] == ["dmv"]
    [fact] = patch.units[0].reported
    assert (fact.melding, fact.field, fact.text) == (1, "contact", "Kanaal #dmv-vastgoed")
    assert fact.source == f"melding 1, goedgekeurd door ria op {approved_day}"
    assert yaml.safe_load(schakel(tmp_path, slack, "export").stdout)["patch_of"] == "knowledge/units.yaml"


def test_a_patch_for_an_unknown_unit_is_refused_with_file_and_reason(tmp_path: Path) -> None:
    patch = tmp_path / "patch.yaml"
    patch.write_text("patch_of: knowledge/units.yaml\nunits:\n- id: bestaat-niet\n  reported:\n  - melding: 1\n"
                     "    field: taak\n    text: x\n    source: melding 1, goedgekeurd door ria op 2026-12-02\n",
                     encoding="utf-8")
    with pytest.raises(KnowledgeError, match="onbekende unit 'bestaat-niet'"):
        load_units_patch(patch, load_knowledge(SHIPPED_KNOWLEDGE))
    patch.write_text(patch.read_text(encoding="utf-8").replace("field: taak", "field: wachtwoord"), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"patch.yaml, regel 6: units.0.reported.0.field"):
        load_units_patch(patch, load_knowledge(SHIPPED_KNOWLEDGE))


def test_bad_review_arguments_get_a_dutch_message_and_no_traceback(tmp_path: Path, slack: SlackApiServer) -> None:
    result = schakel(tmp_path, slack, "review", "--reject", "1")
    assert result.returncode == 2 and "Geef met --reason een reden op" in result.stderr
    assert "Traceback" not in result.stderr
    missing = schakel(tmp_path, slack, "review", "--approve", "9")
    assert missing.returncode == 1 and "Melding 9 bestaat niet." in missing.stderr
