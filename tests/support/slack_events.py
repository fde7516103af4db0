"""Send Slack-shaped, signed requests to a Bolt app over real HTTP, like Slack's servers do.

    sender = SlackSender(url="http://127.0.0.1:3000/slack/events", signing_secret="…")
    response = sender.event({"type": "app_mention", "user": "U0FENNA", "text": "<@U0SCHAKEL> hoi",
                             "channel": "C0PUBLIC", "ts": "1700000000.000100"})
    assert response.status == 200
    sender.event(same_event, event_id=response.event_id, retry_num=1)   # a re-delivery
    sender.command("/wieiswie", "vastgoed", channel_id="C0PUBLIC", response_url=slack.response_url())
    sender.interaction({...block_actions payload...})
    sender.post(body, signature="v0=forged")                           # anything else, raw

Signatures are computed with slack_sdk's SignatureVerifier, the same code Bolt verifies with.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.support.slack_api import TEAM_ID


@dataclass
class Delivery:
    status: int
    body: str
    event_id: str | None = None

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackSender:
    def __init__(self, url: str, signing_secret: str) -> None:
        self.url = url
        self.verifier = SignatureVerifier(signing_secret)
        self._ids = itertools.count(1)

    def post(self, body: str, content_type: str = "application/json", timestamp: int | None = None,
             signature: str | None = None, headers: dict[str, str] | None = None) -> Delivery:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or self.verifier.generate_signature(timestamp=stamp, body=body),
            **(headers or {}),
        }
        request = urllib.request.Request(self.url, data=body.encode("utf-8"), headers=all_headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Delivery(response.status, response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return Delivery(error.code, error.read().decode("utf-8"))

    def event(self, event: dict[str, Any], event_id: str | None = None, retry_num: int | None = None,
              **post_args: Any) -> Delivery:
        event_id = event_id or f"Ev{int(time.time())}{next(self._ids):04d}"
        body = json.dumps({
            "token": "unused", "team_id": TEAM_ID, "api_app_id": "A0SCHAKEL", "type": "event_callback",
            "event_id": event_id, "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": TEAM_ID, "user_id": "U0SCHAKEL", "is_bot": True}],
        })
        headers = post_args.pop("headers", {}) or {}
        if retry_num is not None:
            headers.update({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"})
        delivery = self.post(body, headers=headers, **post_args)
        delivery.event_id = event_id
        return delivery

    def command(self, command: str, text: str, channel_id: str = "C0PUBLIC", user_id: str = "U0FENNA",
                response_url: str = "", channel_name: str = "algemeen") -> Delivery:
        form = {
            "token": "unused", "team_id": TEAM_ID, "channel_id": channel_id, "channel_name": channel_name,
            "user_id": user_id, "user_name": "fenna", "command": command, "text": text,
            "api_app_id": "A0SCHAKEL", "response_url": response_url, "trigger_id": "1337.42.abcd",
        }
        return self.post(urlencode(form), content_type="application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> Delivery:
        payload = {"team": {"id": TEAM_ID}, "api_app_id": "A0SCHAKEL", "token": "unused", **payload}
        return self.post(urlencode({"payload": json.dumps(payload)}), content_type="application/x-www-form-urlencoded")
