"""Two replicas on one database: Slack delivers an event to both (a retry reaching the other replica,
or a load balancer) and the question is answered once. Real `schakel serve --http` processes."""

from __future__ import annotations

import threading
from pathlib import Path

from bot.settings import Settings
from tests.scaleout.serving import start_replica
from tests.slack.helpers import ASKER, PUBLIC, mention
from tests.support.slack_api import SlackApiServer


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
