"""The message shortcut "Vraag Schakel": answer the text of any message, visible only to the asker."""

from __future__ import annotations

from typing import Any, Callable

from slack_bolt import Ack, App, BoltContext

from bot.slack.deps import SlackDeps
from bot.slack.handler import Where, answer_ephemeral, is_dm
from bot.slack.texts import NL

CALLBACK_ID = "vraag_schakel"


def register(app: App, deps: SlackDeps) -> None:
    def ack_shortcut(ack: Ack) -> None:
        ack()

    def answer_shortcut(body: dict[str, Any], respond: Callable[..., Any], context: BoltContext) -> None:
        channel = (body.get("channel") or {}).get("id", "")
        message = body.get("message") or {}
        where = Where(channel_id=channel, user_id=(body.get("user") or {}).get("id", ""), private=is_dm(channel))
        answer_ephemeral(deps, respond, where, message.get("text", ""), context.bot_user_id,
                         empty_text=NL.shortcut_empty)

    app.shortcut(CALLBACK_ID)(ack=ack_shortcut, lazy=[answer_shortcut])
