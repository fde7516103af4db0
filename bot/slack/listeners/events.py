"""Mentions, DMs and follow-ups in threads where Schakel answered."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.deps import SlackDeps
from bot.slack.handler import Where, answer_message_event, is_dm

# Message subtypes that carry a person's new message; edits, joins and deletions do not.
QUESTION_SUBTYPES = {None, "thread_broadcast", "file_share"}


def from_a_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    return bool(
        event.get("bot_id")
        or event.get("subtype") == "bot_message"
        or event.get("bot_profile")
        or (bot_user_id and event.get("user") == bot_user_id)
    )


def mentions(text: str, bot_user_id: str | None) -> bool:
    return bool(bot_user_id and re.search(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", text))


def claim_keys(body: dict[str, Any], event: dict[str, Any]) -> list[str]:
    # The same post arrives as `message` and `app_mention` with different event ids: channel+ts joins them.
    return [f"event:{body.get('event_id')}", f"message:{event.get('channel')}:{event.get('ts')}"]


def register(app: App, deps: SlackDeps) -> None:
    def ack_event() -> None:
        """Events are acked by Bolt as soon as this returns; the answer follows in a lazy listener."""

    def answer_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if from_a_bot(event, context.bot_user_id) or not event.get("user"):
            return
        channel, ts = event["channel"], event["ts"]
        keys = claim_keys(body, event)
        where = Where(channel_id=channel, user_id=event["user"], private=is_dm(channel, event.get("channel_type")),
                      message_ts=ts, thread_ts=event.get("thread_ts") or ts, claim_keys=tuple(keys))
        if deps.idempotency.claim(keys):
            answer_message_event(deps, client, where, event.get("text", ""), context.bot_user_id)

    def answer_message(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("subtype") not in QUESTION_SUBTYPES or from_a_bot(event, context.bot_user_id):
            return
        if not event.get("user"):
            return
        keys = claim_keys(body, event)
        where = _where_for_message(deps, event, context.bot_user_id, keys)
        if where and deps.idempotency.claim(keys):
            answer_message_event(deps, client, where, event.get("text", ""), context.bot_user_id)

    app.event("app_mention")(ack=ack_event, lazy=[answer_mention])
    app.event("message")(ack=ack_event, lazy=[answer_message])


def _where_for_message(deps: SlackDeps, event: dict[str, Any], bot_user_id: str | None,
                       keys: list[str]) -> Where | None:
    """Where to answer a `message` event, or None when it is not meant for Schakel."""
    channel, ts, user = event["channel"], event["ts"], event["user"]
    claimed = tuple(keys)
    thread_ts = event.get("thread_ts")
    text = event.get("text", "")
    if is_dm(channel, event.get("channel_type")):
        return Where(channel, user, private=True, message_ts=ts, thread_ts=thread_ts, claim_keys=claimed)
    if mentions(text, bot_user_id):
        return Where(channel, user, private=False, message_ts=ts, thread_ts=thread_ts or ts, claim_keys=claimed)
    if thread_ts and thread_ts != ts and deps.threads.answered_in(channel, thread_ts):
        return Where(channel, user, private=False, message_ts=ts, thread_ts=thread_ts, claim_keys=claimed)
    return None
