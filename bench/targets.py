"""What the load test sends, and where the replies arrive: Slack events to /slack/events with the local
Web API stand-in, or Bot Framework activities to /api/messages with the local Teams connector."""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Protocol

import httpx
from slack_sdk.signature import SignatureVerifier

from tests.support.slack_api import BOT_USER_ID, TEAM_ID, SlackApiServer
from tests.support.teams_connector import TeamsConnector

QUESTIONS = [
    "Welk directoraat gaat over vastgoed?",
    "Welke directie gaat over gegevensbescherming?",
    "Met wie moet ik samenwerken aan cybersecurity?",
    "Wie gaat over inkoop van materieel?",
    "Wat zeggen de studies over samenwerking met de politie?",
    "Who is responsible for personnel policy?",
]
SIGNING_SECRET = "schakel-load-signing-secret"
APP_ID = "00000000-0000-4000-8000-10ad7e570000"
TENANT = "11111111-2222-4333-8444-555555555555"
CHANNEL = "C0LOAD"

Request = Callable[[httpx.Client, str], httpx.Response]


class Target(Protocol):
    accepted_statuses: frozenset[str]

    def __enter__(self) -> "Target": ...
    def __exit__(self, *exc: object) -> None: ...
    def fail_share(self, share: float) -> None: ...
    def server_env(self) -> dict[str, str]: ...
    def serve_args(self) -> list[str]: ...
    def request(self, number: int) -> tuple[str, Request]: ...
    def replies(self) -> dict[str, list[float]]: ...
    def failures_injected(self) -> int: ...


class SlackTarget:
    accepted_statuses = frozenset({"200"})

    def __init__(self) -> None:
        self.api = SlackApiServer()
        self.verifier = SignatureVerifier(SIGNING_SECRET)
        self.run_id = int(time.time())

    def __enter__(self) -> "SlackTarget":
        self.api.start()
        self.api.add_channel(CHANNEL, "belasting")
        return self

    def __exit__(self, *exc: object) -> None:
        self.api.stop()

    def fail_share(self, share: float) -> None:
        for seed, method in enumerate(("chat.postMessage", "reactions.add", "reactions.remove")):
            self.api.fail_share(method, share, seed=seed)

    def server_env(self) -> dict[str, str]:
        return {"SLACK_BOT_TOKEN": "xoxb-load", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": self.api.url}

    def serve_args(self) -> list[str]:
        return ["--http"]

    def request(self, number: int) -> tuple[str, Request]:
        ts = f"{self.run_id}.{number:06d}"
        event = {"type": "app_mention", "user": f"U0LOAD{number % 50:03d}", "channel": CHANNEL, "ts": ts,
                 "text": f"<@{BOT_USER_ID}> {QUESTIONS[number % len(QUESTIONS)]}", "event_ts": ts}
        body = json.dumps({"token": "unused", "team_id": TEAM_ID, "api_app_id": "A0SCHAKEL", "type": "event_callback",
                           "event_id": f"Ev0LOAD{self.run_id}{number:06d}", "event_time": int(time.time()),
                           "event": event})

        def post(client: httpx.Client, base: str) -> httpx.Response:
            stamp = str(int(time.time()))
            headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                       "X-Slack-Signature": self.verifier.generate_signature(timestamp=stamp, body=body)}
            return client.post(f"{base}/slack/events", content=body.encode("utf-8"), headers=headers)

        return ts, post

    def replies(self) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for call in self.api.calls_to("chat.postMessage"):
            found.setdefault(str(call.params.get("thread_ts")), []).append(call.at)
        return found

    def failures_injected(self) -> int:
        return sum(1 for call in list(self.api.calls) if not call.ok)


class TeamsTarget:
    accepted_statuses = frozenset({"202"})

    def __init__(self) -> None:
        self.connector = TeamsConnector()
        self.token = ""

    def __enter__(self) -> "TeamsTarget":
        self.connector.start()
        self.token = self.connector.sign_token(APP_ID)  # valid for an hour: one for the whole run
        return self

    def __exit__(self, *exc: object) -> None:
        self.connector.stop()

    def fail_share(self, share: float) -> None:
        self.connector.fail_share("activities", share)

    def server_env(self) -> dict[str, str]:
        overrides = self.connector.settings_overrides()
        return {"TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "load-secret", "TEAMS_TENANT_ID": TENANT,
                **{key.upper(): value for key, value in overrides.items()}}

    def serve_args(self) -> list[str]:
        return ["--teams"]

    def request(self, number: int) -> tuple[str, Request]:
        activity_id = f"load{number:06d}"
        activity: dict[str, Any] = {
            "type": "message", "id": activity_id, "channelId": "msteams", "serviceUrl": self.connector.service_url,
            "from": {"id": f"29:load-user-{number % 50}", "aadObjectId": f"aaaaaaaa-0000-4000-8000-{number % 50:012d}"},
            "recipient": {"id": f"28:{APP_ID}", "name": "Schakel"},
            "conversation": {"id": f"a:load-personal-{number % 50}", "conversationType": "personal",
                             "tenantId": TENANT, "isGroup": False},
            "channelData": {"tenant": {"id": TENANT}}, "text": QUESTIONS[number % len(QUESTIONS)],
        }
        body = json.dumps(activity).encode("utf-8")

        def post(client: httpx.Client, base: str) -> httpx.Response:
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
            return client.post(f"{base}/api/messages", content=body, headers=headers)

        return activity_id, post

    def replies(self) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for call in self.connector.delivered("activities"):
            found.setdefault(str((call.body or {}).get("replyToId")), []).append(call.at)
        return found

    def failures_injected(self) -> int:
        return sum(1 for call in self.connector.of_kind("activities") if call.status >= 300)
