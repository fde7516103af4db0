"""Operations on a real `schakel serve --http` process: /healthz, /metrics, JSON logs without message
text or tokens, and a graceful stop on SIGTERM that still delivers the answer in flight."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from sqlalchemy import create_engine

from bot.core.models import Question
from bot.ops.health import HealthCheck
from bot.ops.metrics import MeasuredEngine, Metrics
from bot.settings import Settings
from bot.web.app import WebParts
from tests.conftest import make_settings
from tests.scaleout.serving import BOT_TOKEN, SIGNING_SECRET, free_port, get, start_replica
from tests.slack.helpers import ASKER, PUBLIC, mention
from tests.support.slack_api import SlackApiServer
from tests.support.web import serving

QUESTION = "Welk directoraat gaat over vastgoed?"
HELD_QUESTION = "Welke directie gaat over gegevensbescherming?"
TEN_MB = b"x" * (10 * 1024 * 1024)


class HeldReaction:
    """Holds the bot's 👀 reaction call: while held, the answer is in flight inside the bot."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()

    def __call__(self, params: dict[str, Any]) -> dict[str, Any]:
        self.arrived.set()
        self.release.wait(timeout=120)
        return {"ok": True}


def metric(text: str, name: str) -> float:
    """The value of one sample line (`name` includes its labels) in Prometheus' text format."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in /metrics")


def test_serve_reports_health_metrics_json_logs_and_stops_gracefully(indexed_settings: Settings,
                                                                     tmp_path: Path) -> None:
    held = HeldReaction()
    with SlackApiServer() as slack:
        slack.add_user(ASKER, "Fictieve Fenna")
        slack.add_channel(PUBLIC, "algemeen")
        replica = start_replica(indexed_settings, slack, tmp_path / "replica", LOG_JSON="true", LOG_LEVEL="INFO",
                                ANSWER_WORKERS="2", MODEL_THREADS="1")
        try:
            replica.wait_until_healthy()
            assert json.loads(get(f"{replica.base}/healthz")[1]) == {"status": "ok", "engine": "loaded",
                                                                     "database": "ok"}
            sender = replica.sender()

            first = mention(QUESTION)
            assert sender.event(first).status == 200
            [reply] = slack.wait_for("chat.postMessage", timeout=60)
            assert reply.params["thread_ts"] == first["ts"]
            status, exposition = get(f"{replica.base}/metrics")
            assert status == 200
            assert metric(exposition, 'schakel_answers_total{kind="directory"}') == 1.0
            assert metric(exposition, "schakel_answer_seconds_count") == 1.0

            # Ten unsigned 10 MB posts at once: refused unread, so the replica's memory stays where it was.
            rss_before = psutil.Process(replica.process.pid).memory_info().rss
            with ThreadPoolExecutor(max_workers=10) as pool:
                statuses = list(pool.map(lambda _: httpx.post(sender.url, content=TEN_MB, timeout=60).status_code,
                                         range(10)))
            assert statuses == [413] * 10
            grown_mib = (psutil.Process(replica.process.pid).memory_info().rss - rss_before) / 2**20
            assert grown_mib < 30, grown_mib  # the stdlib servers read every body: +162 MB

            # An answer in flight (held at its 👀 reaction) when SIGTERM arrives.
            slack.overrides["reactions.add"] = held
            second = mention(HELD_QUESTION)
            assert sender.event(second).status == 200
            assert held.arrived.wait(timeout=60)
            replica.process.send_signal(15)
            wait_until_refused(f"{replica.base}/healthz")  # intake stopped, the process still running
            assert replica.process.poll() is None
            held.release.set()
            assert replica.process.wait(timeout=60) == 0
        finally:
            held.release.set()
            replica.kill()
        replies = slack.calls_to("chat.postMessage")
        assert [r.params["thread_ts"] for r in replies] == [first["ts"], second["ts"]]
        assert "DBE" in json.dumps(replies[1].params)  # the held answer itself, not a failure notice

    # Every line but the operator's start-up banner (click.echo) is a JSON log record.
    lines = [line for line in replica.log().splitlines() if line.strip() and not line.startswith("Schakel luistert")]
    records = [json.loads(line) for line in lines]
    assert any(record.get("event") == "answered" and record.get("kind") == "directory" for record in records)
    assert any(record.get("event") == "stopped" and record.get("all_finished") is True for record in records)
    # The answer worker pool and the model's threads come from the same settings.
    assert any(record.get("event") == "ready" and record.get("answer_workers") == 2 and record.get("model_threads") == 1
               for record in records)
    logged = "\n".join(lines)
    for secret in (QUESTION, HELD_QUESTION, "vastgoed", "gegevensbescherming", BOT_TOKEN, SIGNING_SECRET):
        assert secret not in logged


def test_serve_stops_when_the_kernel_hands_sigterm_to_another_thread(indexed_settings: Settings,
                                                                      tmp_path: Path) -> None:
    # Any thread of a process may receive its SIGTERM; Python runs the handler in the main thread only.
    with SlackApiServer() as slack:
        replica = start_replica(indexed_settings, slack, tmp_path / "replica")
        try:
            replica.wait_until_healthy()
            pid = replica.process.pid
            other_threads = [int(task) for task in os.listdir(f"/proc/{pid}/task") if int(task) != pid]
            assert other_threads, "schakel serve runs its HTTP server and workers in threads"
            os.kill(other_threads[0], signal.SIGTERM)  # a thread id: this thread takes the signal first
            wait_until_refused(f"{replica.base}/healthz")
            assert replica.process.wait(timeout=60) == 0
        finally:
            replica.kill()


def wait_until_refused(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
        except urllib.error.HTTPError:
            pass  # still answering (503 while stopping)
        except OSError:
            return
        time.sleep(0.1)
    raise AssertionError("the server kept taking requests after SIGTERM")


@pytest.fixture
def unreachable_database() -> Any:
    engine = create_engine(f"postgresql+psycopg://schakel@127.0.0.1:{free_port()}/schakel",
                           connect_args={"connect_timeout": 2})
    yield engine
    engine.dispose()


def test_healthz_and_readyz_are_503_while_loading_stopping_or_without_database(
        tmp_path: Path, unreachable_database: Any) -> None:
    reachable = create_engine(f"sqlite:///{tmp_path / 'state.db'}")
    health, metrics = HealthCheck(reachable), Metrics.create()
    settings = make_settings(tmp_path)
    try:
        with serving(WebParts(health, metrics), settings) as base:
            assert get(f"{base}/healthz")[0] == 503  # the engine is still loading
            assert get_json(f"{base}/readyz") == (503, {"status": "loading"})
            health.mark_ready()
            assert get_json(f"{base}/healthz") == (200, {"status": "ok", "engine": "loaded", "database": "ok"})
            assert get_json(f"{base}/readyz") == (200, {"status": "ready"})
            health.mark_stopping()
            assert get(f"{base}/healthz")[0] == 503
            assert get_json(f"{base}/readyz") == (503, {"status": "stopping"})
    finally:
        reachable.dispose()

    cut_off = HealthCheck(unreachable_database)
    cut_off.mark_ready()
    with serving(WebParts(cut_off, metrics), settings) as base:
        status, body = get(f"{base}/healthz")
        assert status == 503 and json.loads(body)["database"] == "unreachable"
        assert get(f"{base}/readyz")[0] == 200  # loaded: readiness does not ask the database
        assert get(f"{base}/other")[0] == 404


def get_json(url: str) -> tuple[int, Any]:
    status, body = get(url)
    return status, json.loads(body)


class BrokenEngine:
    def answer(self, question: Question) -> Any:
        raise TimeoutError("the hosted model did not answer")


def test_engine_failures_are_counted_and_still_raised() -> None:
    metrics = Metrics.create()
    engine = MeasuredEngine(BrokenEngine(), metrics)
    with pytest.raises(TimeoutError):
        engine.answer(Question(text="Wie gaat over vastgoed?"))
    assert metrics.registry.get_sample_value("schakel_answer_failures_total", {"error": "TimeoutError"}) == 1.0
    assert metrics.registry.get_sample_value("schakel_answer_seconds_count") == 0.0
