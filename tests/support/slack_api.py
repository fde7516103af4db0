"""A local stand-in for Slack's Web API: a threaded HTTP server on 127.0.0.1 that records every call.

Point a `slack_sdk.WebClient` (or `SLACK_API_URL`) at `server.url` and the client talks to it like
to slack.com/api/. Every call is recorded with its method, parameters (form or JSON) and headers;
answers are plausible and stateful enough for a bot: posted messages come back from
`conversations.replies`, `users.list` pages with cursors, `chat.postMessage` returns a fresh ts.

Usage:

    from tests.support.slack_api import SlackApiServer

    with SlackApiServer() as slack:                      # random free port
        client = WebClient(token="xoxb-test", base_url=slack.url)
        slack.fail("chat.postMessage", status=429, times=2)  # two 429s (Retry-After: 1), then success
        slack.fail("reactions.add", status=500, times=1)
        slack.fail_for("chat.postMessage", status=500, seconds=5)  # Slack down for a while
        slack.fail_share("chat.postMessage", share=0.1, seed=1)  # 10% of calls get a 429 or a 500
        slack.add_user(id="U0TEST1", real_name="Fictieve Fenna", title="Adviseur data")
        slack.add_message("C0PUBLIC", "1700000000.000100", "hoi", user="U0TEST1")
        client.chat_postMessage(channel="C0PUBLIC", text="hallo")
        posts = slack.wait_for("chat.postMessage")       # blocks until one call arrived (or raises)
        assert posts[0].params["channel"] == "C0PUBLIC"
        assert slack.count("chat.postMessage") == 1      # failed attempts are recorded too, with .status

`ApiCall.status` is the HTTP status the server answered with, so a test can tell a retried 429 from
the successful attempt. Nothing here talks to the internet.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from tests.support.slack_http import ApiCall, Failure, Server, handler_for

__all__ = ["ApiCall", "SlackApiServer", "BOT_ID", "BOT_USER_ID", "TEAM_ID"]

BOT_USER_ID = "U0SCHAKEL"
BOT_ID = "B0SCHAKEL"
TEAM_ID = "T0TEST"


@dataclass
class _Share:
    share: float
    statuses: tuple[int, ...]
    rng: random.Random


@dataclass
class SlackApiServer:
    """The fake Web API. Start with `start()` or use it as a context manager."""

    bot_user_id: str = BOT_USER_ID
    bot_id: str = BOT_ID
    team_id: str = TEAM_ID
    calls: list[ApiCall] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)  # every message "in Slack", incl. posted ones
    overrides: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._failures: dict[str, Failure] = {}
        self._shares: dict[str, _Share] = {}
        self._ts = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "SlackApiServer":
        server = Server(("127.0.0.1", 0), handler_for(self))
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-slack-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "SlackApiServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The Web API base URL, with the trailing slash slack_sdk expects."""
        assert self._server, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    def response_url(self, name: str = "1") -> str:
        """A response_url for interaction payloads; calls to it are recorded as method "response_url"."""
        return self.url.replace("/api/", f"/response/{name}")

    # -- test controls ---------------------------------------------------------------------------

    def fail(self, method: str, status: int = 429, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with `status` (429s carry Retry-After)."""
        with self._lock:
            self._failures[method] = Failure(status=status, remaining=times, retry_after=retry_after)

    def refuse(self, method: str, error: str = "invalid_blocks", times: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 200 and `{"ok": false, "error": error}`."""
        with self._lock:
            self._failures[method] = Failure(status=200, remaining=times, retry_after=0, error=error)

    def fail_for(self, method: str, status: int = 500, seconds: float = 5.0, retry_after: int = 1) -> None:
        """Answer every call of `method` with `status` for the next `seconds` (Slack down for a while)."""
        with self._lock:
            self._failures[method] = Failure(status=status, remaining=0, retry_after=retry_after,
                                              until=time.monotonic() + seconds)

    def fail_share(self, method: str, share: float, statuses: tuple[int, ...] = (429, 500), seed: int = 0) -> None:
        """Answer a random `share` of the calls of `method` with one of `statuses` (seeded: repeatable)."""
        with self._lock:
            self._shares[method] = _Share(share, statuses, random.Random(seed))

    def recover(self) -> None:
        """Stop every failure: Slack is back."""
        with self._lock:
            self._failures.clear()
            self._shares.clear()

    def add_user(self, id: str, real_name: str, title: str = "", fields: dict[str, str] | None = None,
                 is_bot: bool = False, deleted: bool = False) -> dict[str, Any]:
        """Add a (fictional!) workspace member; `fields` are custom profile fields by field id."""
        user = {
            "id": id,
            "team_id": self.team_id,
            "name": real_name.lower().replace(" ", "."),
            "real_name": real_name,
            "deleted": deleted,
            "is_bot": is_bot,
            "profile": {
                "real_name": real_name,
                "display_name": real_name.split(" ")[0],
                "title": title,
                "fields": {key: {"value": value, "alt": ""} for key, value in (fields or {}).items()},
            },
        }
        with self._lock:
            self.users.append(user)
        return user

    def add_channel(self, id: str, name: str, is_private: bool = False, is_im: bool = False) -> None:
        with self._lock:
            self.channels[id] = {"id": id, "name": name, "is_channel": not is_im, "is_private": is_private,
                                 "is_im": is_im, "is_member": True}

    def add_message(self, channel: str, ts: str, text: str, user: str | None = None,
                    thread_ts: str | None = None, bot_id: str | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "message", "channel": channel, "ts": ts, "text": text}
        if user:
            message["user"] = user
        if bot_id:
            message["bot_id"] = bot_id
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._lock:
            self.messages.append(message)
        return message

    def reset(self) -> None:
        """Forget calls, failures and messages (users and channels stay)."""
        with self._lock:
            self.calls.clear()
            self._failures.clear()
            self._shares.clear()
            self.messages.clear()

    # -- inspection ------------------------------------------------------------------------------

    def calls_to(self, method: str, ok_only: bool = True) -> list[ApiCall]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def count(self, method: str, ok_only: bool = True) -> int:
        return len(self.calls_to(method, ok_only))

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0,
                 where: Callable[[ApiCall], bool] | None = None) -> list[ApiCall]:
        """Block until at least `count` successful calls of `method` (matching `where`) arrived."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method and c.ok and (where is None or where(c))]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({c.method for c in self.calls})
                    raise AssertionError(f"{count}x {method} not seen within {timeout}s; seen: {seen}")
                self._lock.wait(left)

    # -- request handling ------------------------------------------------------------------------

    def _record(self, call: ApiCall) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def _take_failure(self, method: str) -> Failure | None:
        with self._lock:
            failure = self._failures.get(method)
            if failure and failure.until is not None and time.monotonic() < failure.until:
                return failure
            if failure and failure.remaining > 0:
                failure.remaining -= 1
                return failure
            share = self._shares.get(method)
            if share and share.rng.random() < share.share:
                return Failure(status=share.rng.choice(share.statuses), remaining=0, retry_after=1)
            return None

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _respond(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method in self.overrides:
            return self.overrides[method](params)
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": True}
        return handler(params)

    def _api_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://schakel-test.slack.com/", "team": "Schakel Test",
                "user": "schakel", "team_id": self.team_id, "user_id": self.bot_user_id,
                "bot_id": self.bot_id, "is_enterprise_install": False}

    def _post(self, params: dict[str, Any], ephemeral: bool = False) -> dict[str, Any]:
        ts = self._next_ts()
        channel = params.get("channel", "")
        message = {"type": "message", "channel": channel, "ts": ts, "text": params.get("text", ""),
                   "user": self.bot_user_id, "bot_id": self.bot_id}
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        if ephemeral:
            return {"ok": True, "message_ts": ts}
        with self._lock:
            self.messages.append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._post(params)

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._post(params, ephemeral=True)

    def _api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text", "")}

    def _api_chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}

    def _api_conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = params.get("channel"), params.get("ts")
        with self._lock:
            thread = [m for m in self.messages
                      if m.get("channel") == channel and (m["ts"] == ts or m.get("thread_ts") == ts)]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        thread.sort(key=lambda m: float(m["ts"]))
        return {"ok": True, "messages": thread, "has_more": False}

    def _api_conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel"))
        info = self.channels.get(channel)
        if info is None:
            is_im = channel.startswith("D")
            info = {"id": channel, "name": channel.lower(), "is_channel": not is_im, "is_private": False,
                    "is_im": is_im, "is_member": True}
        return {"ok": True, "channel": info}

    def _api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = params.get("user")
        with self._lock:
            user = next((u for u in self.users if u["id"] == user_id), None)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _api_users_profile_get(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self._api_users_info(params)
        return {"ok": True, "profile": found["user"]["profile"]} if found["ok"] else found

    def _api_users_conversations(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            channels = [c for c in self.channels.values() if not c["is_im"]]
        return {"ok": True, "channels": channels, "response_metadata": {"next_cursor": ""}}

    def _api_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        limit = int(params.get("limit") or 200)
        start = int(params.get("cursor") or 0)
        with self._lock:
            page = self.users[start : start + limit]
            more = start + limit < len(self.users)
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _api_views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V" + self._next_ts().replace(".", ""), "type": "home"}}

    def _api_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V" + self._next_ts().replace(".", ""), "type": "modal"}}
