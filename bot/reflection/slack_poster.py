"""The Slack side of `PromptPoster`: render a prompt as Block Kit and count its thread replies."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.reflection.models import LookBack, PromptMessage
from bot.settings import Settings
from bot.slack.client import build_client

ACTION_ANONYMOUS_REPLY = "reflection_anonymous_reply"


def look_back_line(look_back: LookBack) -> str:
    noun = "reactie" if look_back.replies == 1 else "reacties"
    return f"Vorige keer: {look_back.replies} {noun} op “{look_back.question}”"


def prompt_text(message: PromptMessage) -> str:
    """The plain-text version (notifications, clients without blocks)."""
    lines = [look_back_line(message.look_back)] if message.look_back else []
    lines += [f"Even reflecteren: {message.question}", "Reageer gerust in de thread, of anoniem via de knop."]
    return "\n".join(lines)


def prompt_blocks(message: PromptMessage) -> list[dict[str, Any]]:
    # Our own catalogue text only; nothing user-written is rendered here.
    blocks: list[dict[str, Any]] = []
    if message.look_back:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": look_back_line(message.look_back)}]})
    blocks += [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Even reflecteren* :thought_balloon:\n{message.question}"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text":
            "Reageer gerust in deze thread, kort mag. Liever zonder naam? Gebruik de knop. Geen formulier, geen scores."}]},
        {"type": "actions", "elements": [{
            "type": "button", "action_id": ACTION_ANONYMOUS_REPLY, "value": message.period,
            "text": {"type": "plain_text", "text": "Anoniem reageren"},
        }]},
    ]
    return blocks


class SlackPromptPoster:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> "SlackPromptPoster":
        return cls(build_client(settings, retry_server_errors=False))

    def post_prompt(self, channel: str, message: PromptMessage) -> str:
        response = self.client.chat_postMessage(channel=channel, text=prompt_text(message),
                                                blocks=prompt_blocks(message), unfurl_links=False)
        return str(response["ts"])

    def reply_count(self, channel: str, message_id: str) -> int:
        replies = 0
        cursor: str | None = None
        while True:
            response = self.client.conversations_replies(channel=channel, ts=message_id, cursor=cursor, limit=200)
            replies += sum(1 for message in response.get("messages", []) if message.get("ts") != message_id)
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return replies
