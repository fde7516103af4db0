"""The one way Schakel builds a Slack Web API client: bot token, configurable base URL, retries."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

from bot.settings import Settings

API_RETRIES = 3


def build_client(settings: Settings, *, retry_server_errors: bool = True, retries: int = API_RETRIES) -> WebClient:
    """A client that retries refused connections and 429s (waiting for Retry-After).

    Replies also retry 5xx. The reflection poster does not: a 5xx may hide a posted prompt, and its
    sent-log releases the claim so the next run retries instead. The outbox makes one call per
    attempt (`retries=0`): it does its own waiting, without holding a thread.
    """
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN ontbreekt: zonder token kan Schakel niets in Slack posten.")
    handlers: list[RetryHandler] = [
        ConnectionErrorRetryHandler(max_retry_count=retries),
        RateLimitErrorRetryHandler(max_retry_count=retries),
    ]
    if retry_server_errors:
        handlers.append(ServerErrorRetryHandler(max_retry_count=retries))
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url or WebClient.BASE_URL,
        retry_handlers=handlers,
    )
