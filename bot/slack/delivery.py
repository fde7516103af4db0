"""Answers that Slack did not take: which failures are worth a retry, and posting them from the outbox."""

from __future__ import annotations

import urllib.error
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.ops.redelivery import RetryLater

PLATFORM = "slack"


def as_retry(error: Exception) -> RetryLater | None:
    """A RetryLater for throttling (429), server errors (5xx) and a Slack that cannot be reached; None for
    an error that a retry cannot fix (a deleted channel, a malformed message)."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        if status == 429 or status >= 500:
            return RetryLater(f"http_{status}", _retry_after(error.response.headers))
        return None
    if isinstance(error, (urllib.error.URLError, ConnectionError, TimeoutError)):
        return RetryLater(type(error).__name__)
    return None


class SlackDelivery:
    """Posts a stored answer with chat.postMessage. One attempt per call: the outbox does the waiting."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def deliver(self, target: dict[str, Any], message: dict[str, Any]) -> None:
        try:
            self._client.chat_postMessage(channel=target["channel"], thread_ts=target.get("thread_ts"), **message)
        except Exception as error:
            retry = as_retry(error)
            if retry is None:
                raise
            raise retry from None


def _retry_after(headers: Any) -> float | None:
    # slack_sdk keeps response headers as a dict of lists or of strings, with the server's casing.
    for name, value in dict(headers or {}).items():
        if name.lower() == "retry-after":
            value = value[0] if isinstance(value, list) else value
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
    return None
