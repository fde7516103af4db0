"""Two replicas on one database: Slack delivers an event to both (a retry reaching the other replica,
or a load balancer) and the question is answered once; both schedulers tick and a prompt goes out once.
Real `schakel serve --http` processes."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

from bot.settings import SHIPPED_KNOWLEDGE, Settings
from tests.conftest import make_settings
from tests.scaleout.conftest import ChromaServer
from tests.scaleout.serving import SCHAKEL, serve_env, start_replica
from tests.slack.helpers import ASKER, PUBLIC, mention, shown_text
from tests.support.slack_api import SlackApiServer

REFLECTING = "C0REFLECT"


def test_two_replicas_answer_an_event_delivered_to_both_once(indexed_settings: Settings, tmp_path: Path,
                                                             database_url: str) -> None:
    with SlackApiServer() as slack:
        slack.add_user(ASKER, "Fictieve Fenna")
        slack.add_channel(PUBLIC, "algemeen")
        replicas = [start_replica(indexed_settings, slack, tmp_path / name, DATABASE_URL=database_url)
                    for name in ("replica-a", "replica-b")]
        try:
            for replica in replicas:
                replica.wait_until_healthy()
            senders = [replica.sender() for replica in replicas]
            events = [mention(q) for q in ("Welk directoraat gaat over vastgoed?",
                                           "Wie gaat over gegevensbescherming?",
                                           "Welke directie houdt toezicht op IT-projecten?")]
            for number, event in enumerate(events):
                event_id = f"Ev0SCALE{number:04d}"
                # Both replicas get the same delivery at the same moment; then Slack's retry to each.
                deliveries = [threading.Thread(target=sender.event, args=(event,), kwargs={"event_id": event_id})
                              for sender in senders]
                for thread in deliveries:
                    thread.start()
                for thread in deliveries:
                    thread.join()
                for sender in senders:
                    assert sender.event(event, event_id=event_id, retry_num=1).status == 200
            # A graceful stop finishes every answer in flight: after it, nothing more can arrive.
            assert [replica.terminate() for replica in replicas] == [0, 0], [r.log() for r in replicas]
        finally:
            for replica in replicas:
                replica.kill()
        replies = slack.calls_to("chat.postMessage")
        threads = [reply.params["thread_ts"] for reply in replies]
        assert sorted(threads) == sorted(event["ts"] for event in events)
        duplicates = len(replies) - len(set(threads))
        print(f"\nREPLICAS {{'deliveries_per_event': 4, 'events': {len(events)}, 'replies': {len(replies)}, "
              f"'duplicates': {duplicates}}}")


def test_two_replicas_on_one_database_and_chroma_server_answer_once_and_post_each_prompt_once(
        chroma_server: ChromaServer, tmp_path: Path, database_url: str) -> None:
    # Both replicas read passages from the Chroma server only, and both run the reflection scheduler.
    seed = make_settings(tmp_path / "seed", index_paths=[SHIPPED_KNOWLEDGE])
    seed.data_dir.mkdir(parents=True)
    shared = {**chroma_server.env, "CHROMA_COLLECTION": "replicas", "DATABASE_URL": database_url,
              # A due prompt every time: the grace spans more than a month, so the latest monthly slot is due.
              "REFLECTION_GRACE_HOURS": str(40 * 24), "REFLECTION_TICK_SECONDS": "1"}
    with SlackApiServer() as slack:
        slack.add_user(ASKER, "Fictieve Fenna")
        slack.add_channel(PUBLIC, "algemeen")
        slack.add_channel(REFLECTING, "samenwerking")
        env = {**serve_env(seed, slack, tmp_path / "operator" / "data"), **shared}
        for command in (["index"], ["reflect", "subscribe", REFLECTING]):
            done = subprocess.run([str(SCHAKEL), *command], env=env, cwd=tmp_path, capture_output=True, text=True,
                                  timeout=600)
            assert done.returncode == 0, done.stderr[-2000:]
        replicas = [start_replica(seed, slack, tmp_path / name, **shared) for name in ("replica-a", "replica-b")]
        try:
            for replica in replicas:
                replica.wait_until_healthy()
            event = mention("Welk directoraat gaat over vastgoed?")
            for sender in [replica.sender() for replica in replicas]:
                assert sender.event(event, event_id="Ev0SHARED0001").status == 200
            slack.wait_for("chat.postMessage", count=2, timeout=60)  # the answer and the prompt
            time.sleep(3)  # both schedulers tick a few more times
            assert [replica.terminate() for replica in replicas] == [0, 0], [r.log() for r in replicas]
        finally:
            for replica in replicas:
                replica.kill()
        posts = slack.calls_to("chat.postMessage")
        prompts = [post for post in posts if post.params["channel"] == REFLECTING]
        answers = [post for post in posts if post.params.get("thread_ts") == event["ts"]]
        assert len(prompts) == 1 and len(answers) == 1, [post.params.get("channel") for post in posts]
        assert "Directie Materieel en Vastgoed" in shown_text(answers[0])
        print(f"\nREPLICAS-SHARED {{'replicas': 2, 'answers': {len(answers)}, 'prompts': {len(prompts)}}}")
