"""Replies that Teams did not take: which failures are worth a retry, and posting them from the outbox."""

from __future__ import annotations

from typing import Any

import httpx
from microsoft_teams.api import MessageActivityInput

from bot.ops.redelivery import RetryLater
from bot.teams.connector import ConnectorClient

PLATFORM = "teams"


def as_retry(error: Exception) -> RetryLater | None:
    """A RetryLater for throttling (429), server errors (5xx) and a connector that cannot be reached or
    does not answer in time; None for an error that a retry cannot fix."""
    if isinstance(error, httpx.HTTPStatusError):
        status = error.response.status_code
        if status == 429 or status >= 500:
            return RetryLater(f"http_{status}", _retry_after(error.response))
        return None
    if isinstance(error, (httpx.TransportError, TimeoutError, ConnectionError)):
        return RetryLater(type(error).__name__)
    return None


def target_of(service_url: str, conversation_id: str, reply_to_id: str | None) -> dict[str, Any]:
    return {"service_url": service_url, "conversation_id": conversation_id, "reply_to_id": reply_to_id}


def stored(activity: MessageActivityInput) -> dict[str, Any]:
    """The activity as JSON, the way the SDK sends it, so it can be posted again as it was."""
    return activity.model_dump(mode="json", by_alias=True, exclude_none=True)


class TeamsDelivery:
    """Posts a stored reply through the connector (whose own quick retries run first)."""

    def __init__(self, connector: ConnectorClient) -> None:
        self._connector = connector

    def deliver(self, target: dict[str, Any], message: dict[str, Any]) -> None:
        activity = MessageActivityInput.model_validate(message)
        try:
            self._connector.reply(target["service_url"], target["conversation_id"], target.get("reply_to_id"),
                                  activity)
        except Exception as error:
            retry = as_retry(error)
            if retry is None:
                raise
            raise retry from None


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None
