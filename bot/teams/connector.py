"""The Bot Connector REST API through the Teams SDK's `ApiClient`: replies, proactive messages, 1:1 chats.

The SDK is async; Schakel's engine, scheduler and state are synchronous. The connector runs one
event loop on a thread of its own, and every call waits for its result there, so the SDK's HTTP
client always lives on the same loop. Replies go to the `serviceUrl` the activity came with
(Teams' regional endpoint, or a local test connector), so nothing here assumes a host.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from microsoft_teams.api import ApiClient, MessageActivityInput
from microsoft_teams.api.clients.api_client_settings import ApiClientSettings
from microsoft_teams.api.clients.conversation import ConversationClient
from microsoft_teams.api.clients.conversation.params import CreateConversationParams
from microsoft_teams.common.http import Client, ClientOptions, MiddlewareContext, MiddlewareNext

from bot.settings import Settings
from bot.teams.auth import OutboundTokens, cloud_environment

HTTP_TIMEOUT = 15.0
RETRIES = 2  # on 429 and 5xx: Teams throttles bursts per conversation
MAX_WAIT_SECONDS = 5.0
CALL_TIMEOUT = HTTP_TIMEOUT * (RETRIES + 2) + MAX_WAIT_SECONDS * RETRIES

T = TypeVar("T")


class RetryThrottled:
    """SDK HTTP middleware: retry a call Teams throttled (429) or failed (5xx), after its Retry-After."""

    async def send(self, context: MiddlewareContext, next: MiddlewareNext) -> httpx.Response:  # noqa: A002
        for attempt in range(RETRIES + 1):
            try:
                return await next()
            except httpx.HTTPStatusError as error:
                status = error.response.status_code
                if attempt == RETRIES or not (status == 429 or status >= 500):
                    raise
                await asyncio.sleep(min(_retry_after(error.response), MAX_WAIT_SECONDS))
        raise AssertionError("unreachable")


class ConnectorClient:
    def __init__(self, settings: Settings) -> None:
        self._tokens = OutboundTokens(settings)
        self._cloud = cloud_environment(settings)
        self._api_settings = ApiClientSettings(oauth_url=self._cloud.token_service_url)  # not from OAUTH_URL
        self._http = Client(ClientOptions(timeout=HTTP_TIMEOUT,
                                          token=self._tokens.token if self._tokens.enabled else None))
        self._http.use(RetryThrottled())
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="teams-sdk", daemon=True)
        self._thread.start()

    def reply(self, service_url: str, conversation_id: str, reply_to_id: str | None,
              activity: MessageActivityInput) -> str:
        """Post into a conversation; in reply to an activity when its id is known. Returns the new id."""
        path_id = _path_id(conversation_id)
        if reply_to_id:
            return self._call(service_url, lambda api: api.reply_to_activity(path_id, reply_to_id, activity)).id
        return self._call(service_url, lambda api: api.create_activity(path_id, activity)).id

    def send(self, service_url: str, conversation_id: str, activity: MessageActivityInput) -> str:
        """A new message in a conversation (proactive: reflection prompts, private answers)."""
        return self.reply(service_url, conversation_id, None, activity)

    def open_personal_chat(self, service_url: str, bot_id: str, user_id: str, tenant_id: str | None) -> str:
        """The 1:1 chat between Schakel and a user (Teams returns the existing one)."""
        body: dict[str, Any] = {"isGroup": False, "bot": {"id": bot_id}, "members": [{"id": user_id}]}
        if tenant_id:
            body["tenantId"] = tenant_id
            body["channelData"] = {"tenant": {"id": tenant_id}}
        params = CreateConversationParams.model_validate(body)
        return self._call(service_url, lambda api: api.create(params)).id

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._http.http.aclose(), self._loop).result(timeout=HTTP_TIMEOUT)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _call(self, service_url: str, operation: Callable[[ConversationClient], Awaitable[T]]) -> T:
        """Run one SDK call on the connector's loop and wait for its result."""

        async def call() -> T:
            # The SDK's client for this service URL, on the shared HTTP client (token, retries, connections).
            # Built on the loop's thread, so the SDK adds its telemetry middleware to that client only once.
            api = ApiClient(service_url, self._http, self._api_settings, cloud=self._cloud)
            return await operation(api.conversations)

        return asyncio.run_coroutine_threadsafe(call(), self._loop).result(timeout=CALL_TIMEOUT)


def _path_id(conversation_id: str) -> str:
    # The SDK puts the id into the URL as it is; Teams ids hold ':', ';', '@' and '='.
    return quote(conversation_id, safe="")


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.headers.get("Retry-After", "1"))
    except ValueError:
        return 1.0
