"""The "Anoniem reageren" button under a reflection prompt: a modal whose answer goes into the
prompt's thread without a name.

Nothing here keeps or logs who answered or what they wrote: the user id arrives with Slack's
payload and is dropped; the modal carries only the channel and the thread.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.reflection.slack_poster import ACTION_ANONYMOUS_REPLY
from bot.slack.formatting import safe_mrkdwn

VIEW_ANONYMOUS_REPLY = "reflection_anonymous_submit"
ANSWER_BLOCK, ANSWER_INPUT = "answer", "text"
MAX_ANSWER = 3000


def anonymous_modal(channel: str, thread_ts: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": VIEW_ANONYMOUS_REPLY,
        "private_metadata": json.dumps({"channel": channel, "thread_ts": thread_ts}),
        "title": {"type": "plain_text", "text": "Anoniem reageren"},
        "submit": {"type": "plain_text", "text": "Plaatsen"},
        "close": {"type": "plain_text", "text": "Annuleren"},
        "blocks": [
            {"type": "input", "block_id": ANSWER_BLOCK, "label": {"type": "plain_text", "text": "Je reactie"},
             "element": {"type": "plain_text_input", "action_id": ANSWER_INPUT, "multiline": True,
                         "max_length": MAX_ANSWER}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text":
                "Schakel plaatst je reactie in de thread zonder je naam en bewaart niet wie wat schreef."}]},
        ],
    }


def anonymous_reply_text(answer: str) -> str:
    return f"*Anonieme reactie*\n{safe_mrkdwn(answer.strip())}"


def register(app: App) -> None:
    @app.action(ACTION_ANONYMOUS_REPLY)
    def open_anonymous_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        thread_ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
        client.views_open(trigger_id=body["trigger_id"], view=anonymous_modal(channel, thread_ts))

    @app.view(VIEW_ANONYMOUS_REPLY)
    def post_anonymous_reply(ack: Ack, view: dict[str, Any], client: WebClient) -> None:
        values = view.get("state", {}).get("values", {})
        answer = ((values.get(ANSWER_BLOCK) or {}).get(ANSWER_INPUT) or {}).get("value") or ""
        if not answer.strip():
            ack(response_action="errors", errors={ANSWER_BLOCK: "Schrijf eerst een reactie."})
            return
        ack()
        target = json.loads(view.get("private_metadata") or "{}")
        client.chat_postMessage(channel=target["channel"], thread_ts=target["thread_ts"],
                                text=anonymous_reply_text(answer), unfurl_links=False, unfurl_media=False)
