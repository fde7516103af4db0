"""Slack-shaped events and interaction payloads, and what a user would see of a posted message."""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any

from tests.support.slack_api import BOT_USER_ID, ApiCall

ASKER = "U0FENNA"  # Fictieve Fenna
PUBLIC = "C0PUBLIC"
DM = "D0FENNA"
LISTED = "C0000EXAMPLE"  # the channel the restricted example note in knowledge/cases lists
MENTION = f"<@{BOT_USER_ID}>"
LIVE_PING = re.compile(r"<!(channel|here|everyone)|<!subteam\^|<@[UW][A-Z0-9]+|(?<![\w@\u200b])@(channel|here|everyone)\b")

_ts = itertools.count(1)


def new_ts() -> str:
    return f"{int(time.time())}.{next(_ts):06d}"


def mention(text: str, channel: str = PUBLIC, user: str = ASKER, ts: str | None = None,
            thread_ts: str | None = None) -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": f"{MENTION} {text}", "channel": channel,
             "ts": ts or new_ts(), "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(text: str, channel: str = PUBLIC, user: str | None = ASKER, ts: str | None = None,
            thread_ts: str | None = None, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "message", "text": text, "channel": channel, "ts": ts or new_ts(),
                             "channel_type": "im" if channel.startswith("D") else "channel", **extra}
    if user:
        event["user"] = user
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def block_action(action_id: str, value: str, channel: str = PUBLIC, user: str = ASKER,
                 response_url: str = "", label: str = "", message_text: str = "") -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "fenna", "team_id": "T0TEST"},
        "channel": {"id": channel, "name": "algemeen"},
        "container": {"type": "message", "channel_id": channel, "message_ts": "1.1", "is_ephemeral": False},
        "message": {"type": "message", "ts": "1.1", "text": message_text},
        "trigger_id": "1337.42.trigger",
        "response_url": response_url,
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                     "text": {"type": "plain_text", "text": label}, "action_ts": "1.2"}],
    }


def shown_text(call: ApiCall) -> str:
    """Everything a user can read in a posted message, view or response: text plus all block text."""
    parts = [str(call.params.get("text") or "")]
    for key in ("blocks", "view"):
        value = call.json_param(key)
        if value:
            parts.append(json.dumps(value, ensure_ascii=False))
    return "\n".join(parts)


def buttons(call: ApiCall) -> list[dict[str, Any]]:
    blocks = call.json_param("blocks") or []
    found = [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]
    found += [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return found


def button(call: ApiCall, action_id: str) -> dict[str, Any]:
    return next(b for b in buttons(call) if b["action_id"] == action_id)
