"""The Bot Connector REST API: the few calls Schakel makes to post in Teams.

Replies go to the `serviceUrl` the activity came with (Teams' regional endpoint, or a local test
connector), so nothing here assumes a host.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import httpx

from bot.teams.auth import OutboundTokens

HTTP_TIMEOUT = 15.0
RETRIES = 2  # on 429 and 5xx: Teams throttles bursts per conversation
MAX_WAIT_SECONDS = 5.0

Activity = dict[str, Any]


class ConnectorClient:
    def __init__(self, tokens: OutboundTokens, client: httpx.Client | None = None) -> None:
        self._tokens = tokens
        self._http = client or httpx.Client(timeout=HTTP_TIMEOUT)

    def reply(self, service_url: str, conversation_id: str, reply_to_id: str | None, activity: Activity) -> str:
        """Post into a conversation; in reply to an activity when its id is known. Returns the new id."""
        path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities"
        if reply_to_id:
            path += f"/{quote(reply_to_id, safe='')}"
            activity = {**activity, "replyToId": reply_to_id}
        return str(self._post(service_url, path, activity).get("id", ""))

    def send(self, service_url: str, conversation_id: str, activity: Activity) -> str:
        """A new message in a conversation (proactive: reflection prompts, private answers)."""
        return self.reply(service_url, conversation_id, None, activity)

    def open_personal_chat(self, service_url: str, bot_id: str, user_id: str, tenant_id: str | None) -> str:
        """The 1:1 chat between Schakel and a user (Teams returns the existing one)."""
        body: dict[str, Any] = {"isGroup": False, "bot": {"id": bot_id}, "members": [{"id": user_id}]}
        if tenant_id:
            body["tenantId"] = tenant_id
            body["channelData"] = {"tenant": {"id": tenant_id}}
        return str(self._post(service_url, "/v3/conversations", body)["id"])

    def close(self) -> None:
        self._http.close()

    def _post(self, service_url: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        authorization = self._tokens.authorization()
        if authorization:
            headers["Authorization"] = authorization
        url = service_url.rstrip("/") + path
        for attempt in range(RETRIES + 1):
            response = self._http.post(url, json=body, headers=headers)
            retryable = response.status_code == 429 or response.status_code >= 500
            if not retryable or attempt == RETRIES:
                break
            time.sleep(min(_retry_after(response), MAX_WAIT_SECONDS))
        response.raise_for_status()
        return response.json() if response.content else {}


def _retry_after(response: httpx.Response) -> float:
    try:
        return float(response.headers.get("Retry-After", "1"))
    except ValueError:
        return 1.0
