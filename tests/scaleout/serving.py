"""`schakel serve --http` as real processes, the way an operator (or an orchestrator) runs replicas."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.settings import Settings
from tests.conftest import REPO_ROOT
from tests.support.slack_api import SlackApiServer
from tests.support.slack_events import SlackSender

SIGNING_SECRET = "schakel-scaleout-signing-secret"
BOT_TOKEN = "xoxb-schakel-scaleout"
STARTUP_WAIT = 240.0  # model loading on a busy 2-core CI box; a wait, not a measurement
SCHAKEL = Path(sys.executable).with_name("schakel")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@dataclass
class Replica:
    process: subprocess.Popen[str]
    port: int
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sender(self) -> SlackSender:
        return SlackSender(f"{self.base}/slack/events", SIGNING_SECRET)

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_WAIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"schakel serve stopped ({self.process.returncode}): {self.log()}")
            try:
                status, body = get(f"{self.base}/healthz")
                if status == 200 and json.loads(body)["status"] == "ok":
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"schakel serve did not become healthy: {self.log()}")

    def terminate(self, timeout: float = 60.0) -> int:
        """SIGTERM, as systemd or Kubernetes sends it; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


def serve_env(settings: Settings, slack: SlackApiServer, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "DATABASE_", "CHROMA_", "LOG_", "LLM_", "METRICS_"))}
    env.update({
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack.url,
        "DATA_DIR": str(data_dir), "INDEX_PATHS": ",".join(str(p) for p in settings.index_paths),
        "HF_HUB_OFFLINE": "1", "RATE_LIMIT_PER_MINUTE": "100", "PYTHONPATH": str(REPO_ROOT),
    })
    env.update(extra)
    return env


def start_replica(indexed: Settings, slack: SlackApiServer, workdir: Path, **extra: str) -> Replica:
    """A `schakel serve --http` process with its own copy of the index (as on its own machine)."""
    workdir.mkdir(parents=True, exist_ok=True)
    data_dir = workdir / "data"
    if not data_dir.exists():
        shutil.copytree(indexed.data_dir, data_dir)
    port = free_port()
    log_path = workdir / "serve.log"
    process = subprocess.Popen(
        [str(SCHAKEL), "serve", "--http", "--port", str(port)],
        env=serve_env(indexed, slack, data_dir, **extra), cwd=workdir, text=True,
        stdout=subprocess.DEVNULL, stderr=log_path.open("w", encoding="utf-8"),
    )
    return Replica(process, port, log_path)
