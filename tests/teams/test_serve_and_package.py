"""`schakel serve --teams` as an operator starts it, and the app package Teams accepts for sideloading."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
from PIL import Image

from bot.settings import Settings
from bot.teams.package import build_package
from tests.scaleout.test_operations import wait_until_refused
from tests.support.teams_connector import Hold, TeamsConnector
from tests.teams.conftest import TeamsClient
from tests.teams.test_conversations import DMV, PERSONAL, VASTGOED

SCHAKEL = Path(sys.executable).with_name("schakel")
APP_GUID = "12345678-1234-4234-8234-123456789abc"


def test_schakel_serve_teams_answers_a_1_on_1_chat_over_http_and_finishes_answers_on_sigterm(
        tmp_path: Path, indexed_settings: Settings, connector: TeamsConnector) -> None:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEAMS_", "SLACK_", "DATABASE_", "DATA_DIR"))}
    env.update({"DATA_DIR": str(indexed_settings.data_dir), "DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
                "HF_HUB_OFFLINE": "1"})
    process = subprocess.Popen([str(SCHAKEL), "serve", "--teams", "--port", "0"], cwd=tmp_path, env=env, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    held: Hold | None = None
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:  # a warning about the missing app id, then the address
            lines.append(line)
            if "luistert op" in line:
                break
        assert "TEAMS_APP_ID ontbreekt" in "".join(lines)
        url = line.split("luistert op ", 1)[1].strip().removesuffix("/api/messages")
        wait_until_ready(url, process)  # listening at once; ready once the index and model are loaded
        client = TeamsClient(url, connector)
        activity = client.activity(VASTGOED, conversation=PERSONAL, kind="personal", mention=False)
        response = client.post(activity, token=None)  # no app id configured: local testing without tokens
        assert response.status_code == 202
        [reply] = connector.wait_for("activities")
        assert DMV in reply.card_text() and "Authorization" not in reply.headers
        assert httpx.get(f"{url}/healthz").json() == {"status": "ok", "engine": "loaded", "database": "ok"}
        metrics = httpx.get(f"{url}/metrics").text  # the same operations endpoints as a Slack replica
        assert 'schakel_answers_total{kind="directory"} 1.0' in metrics

        # SIGTERM (systemd, Kubernetes) while an answer is on its way to Teams: intake stops, the answer
        # still arrives (Teams got 202 and will not retry), then the process exits cleanly.
        held = connector.hold("activities")
        second = client.activity(VASTGOED, conversation=PERSONAL, kind="personal", mention=False)
        assert client.post(second, token=None).status_code == 202
        assert held.arrived.wait(timeout=60)
        process.send_signal(signal.SIGTERM)
        wait_until_refused(f"{url}/healthz")
        assert process.poll() is None
        held.release.set()
        assert process.wait(timeout=60) == 0
        assert len(connector.wait_for("activities", count=2)) == 2
    finally:
        if held is not None:
            held.release.set()
        process.terminate()
        process.wait(timeout=30)


def wait_until_ready(url: str, process: subprocess.Popen[str], timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "schakel serve --teams stopped"
        if httpx.get(f"{url}/readyz").status_code == 200:
            return
        time.sleep(0.2)
    raise AssertionError("schakel serve --teams did not become ready")


def test_the_app_package_holds_a_valid_manifest_and_icons(tmp_path: Path) -> None:
    package = build_package(APP_GUID, tmp_path / "schakel-teams.zip")
    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        archive.extractall(tmp_path / "unpacked")
    assert float(manifest["manifestVersion"]) >= 1.17 and manifest["id"] == APP_GUID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_GUID and set(bot["scopes"]) == {"personal", "team", "groupChat"}
    commands = {c["title"] for lists in bot["commandLists"] for c in lists["commands"]}
    assert commands == {"help", "wieiswie", "reflectie"}
    assert manifest["validDomains"] == []
    color = Image.open(tmp_path / "unpacked" / "color.png")
    outline = Image.open(tmp_path / "unpacked" / "outline.png")
    assert color.size == (192, 192) and outline.size == (32, 32)
    assert outline.mode == "RGBA" and outline.getpixel((0, 0))[3] == 0  # transparent background
    assert {pixel[:3] for pixel in outline.getdata() if pixel[3]} == {(255, 255, 255)}  # white only


def test_the_package_command_refuses_an_app_id_that_is_not_a_guid(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEAMS_")}
    result = subprocess.run([str(SCHAKEL), "teams", "package", "--out", str(tmp_path / "x.zip")], cwd=tmp_path,
                            env={**env, "TEAMS_APP_ID": "mijn-bot"}, text=True, capture_output=True, timeout=60)
    assert result.returncode == 1 and "moet een GUID zijn" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.zip").exists()
