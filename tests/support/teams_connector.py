"""A local stand-in for Microsoft's side of a Teams bot: the Bot Connector API, the login endpoint
for the bot's own token, and the OpenID metadata with signing keys, on 127.0.0.1.

Every POST is recorded (path, JSON body, headers). Replies and proactive messages get a fresh
activity id; `POST /v3/conversations` opens a 1:1 chat. The test RSA key signs inbound tokens
(`sign_token`) exactly as the Bot Framework would, so the bot's JWT validation runs for real.

    with TeamsConnector() as connector:
        settings = make_settings(..., teams_app_id=APP_ID, teams_app_password="test-secret",
                                 **connector.settings_overrides())
        token = connector.sign_token(APP_ID)                  # Authorization: Bearer <token>
        connector.fail("activities", status=429, times=1)      # Teams throttles once, then accepts
        connector.fail_for("activities", status=500, seconds=5)  # the connector down for a while
        connector.fail_share("activities", share=0.1, seed=1)  # 10% of posts get a 429 or a 500
        posts = connector.wait_for("activities", count=1)     # blocks until the bot posted (failures count)
        held = connector.hold("activities")                    # the next post waits until held.release.set()
"""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"
KEY_ID = "schakel-test-key"
ACCESS_TOKEN = "test-outbound-token"
SERVICE_PATH = "/teams"  # the service URL's path, as Teams' regional URLs have one


@dataclass
class ConnectorCall:
    method: str
    path: str
    body: Any
    headers: dict[str, str]
    status: int = 200  # what the connector answered (a failure injected with `fail`, or 200)
    at: float = field(default_factory=time.time)  # when the call arrived (for measurements, not assertions)

    @property
    def kind(self) -> str:
        """"token", "open-chat", "activities" (proactive or reply) or "other"."""
        api_path = self.path.removeprefix(SERVICE_PATH)
        if self.path.endswith("/oauth2/v2.0/token"):
            return "token"
        if api_path == "/v3/conversations":
            return "open-chat"
        if api_path.startswith("/v3/conversations/") and "/activities" in api_path:
            return "activities"
        return "other"

    def card(self) -> dict[str, Any] | None:
        attachments = (self.body or {}).get("attachments") or []
        return attachments[0]["content"] if attachments else None

    def card_text(self) -> str:
        """All text a user sees on the card (runs and button titles), one line per element."""
        return "\n".join(_texts(self.card() or {}))


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if node.get("type") in {"TextRun", "TextBlock"} else []
        if node.get("type", "").startswith("Action.") and node.get("title"):
            found.append(node["title"])
        return found + [text for value in node.values() for text in _texts(value)]
    if isinstance(node, list):
        return [text for item in node for text in _texts(item)]
    return []


@dataclass
class TeamsConnector:
    calls: list[ConnectorCall] = field(default_factory=list)
    private_key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _server: ThreadingHTTPServer | None = None
    _failures: dict[str, list[int]] = field(default_factory=dict)  # kind -> statuses still to answer
    _holds: dict[str, "Hold"] = field(default_factory=dict)  # kind -> the next call of it waits for release
    _down_until: dict[str, tuple[float, int]] = field(default_factory=dict)  # kind -> (monotonic end, status)
    _shares: dict[str, tuple[float, tuple[int, ...], random.Random]] = field(default_factory=dict)

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "TeamsConnector":
        self._server = _Server(("127.0.0.1", 0), _make_handler(self))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> "TeamsConnector":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def service_url(self) -> str:
        return f"{self.url}{SERVICE_PATH}/"

    def settings_overrides(self) -> dict[str, str]:
        return {"teams_openid_url": f"{self.url}/v1/.well-known/openidconfiguration",
                "teams_token_issuer": ISSUER, "teams_login_url": self.url}

    # --- tokens ----------------------------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        public.update({"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        return {"keys": [public]}

    def sign_token(self, audience: str, *, service_url: str | None = None, issuer: str = ISSUER,
                   expires_in: int = 3600, key: rsa.RSAPrivateKey | None = None) -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience, "iat": now, "nbf": now, "exp": now + expires_in,
                  "serviceurl": service_url or self.service_url}
        return jwt.encode(claims, key or self.private_key, algorithm="RS256", headers={"kid": KEY_ID})

    # --- failures --------------------------------------------------------------------------------

    def fail(self, kind: str, status: int, times: int = 1) -> None:
        """Answer the next `times` calls of a kind with `status` (429 comes with Retry-After: 1)."""
        with self._lock:
            self._failures.setdefault(kind, []).extend([status] * times)

    def fail_for(self, kind: str, status: int = 500, seconds: float = 5.0) -> None:
        """Answer every call of a kind with `status` for the next `seconds`."""
        with self._lock:
            self._down_until[kind] = (time.monotonic() + seconds, status)

    def fail_share(self, kind: str, share: float, statuses: tuple[int, ...] = (429, 500), seed: int = 0) -> None:
        """Answer a random `share` of the calls of a kind with one of `statuses` (seeded: repeatable)."""
        with self._lock:
            self._shares[kind] = (share, statuses, random.Random(seed))

    def recover(self) -> None:
        with self._lock:
            self._failures.clear()
            self._down_until.clear()
            self._shares.clear()

    def next_failure(self, kind: str) -> int | None:
        with self._lock:
            down = self._down_until.get(kind)
            if down and time.monotonic() < down[0]:
                return down[1]
            pending = self._failures.get(kind)
            if pending:
                return pending.pop(0)
            share = self._shares.get(kind)
            if share and share[2].random() < share[0]:
                return share[2].choice(share[1])
            return None

    def delivered(self, kind: str) -> list[ConnectorCall]:
        """The calls of a kind the connector accepted (failed attempts left out)."""
        with self._lock:
            return [call for call in self.calls if call.kind == kind and call.status < 300]

    def hold(self, kind: str) -> "Hold":
        """Keep the next call of a kind waiting (the bot's request in flight) until `release` is set."""
        held = Hold()
        with self._lock:
            self._holds[kind] = held
        return held

    def take_hold(self, kind: str) -> "Hold | None":
        with self._lock:
            return self._holds.pop(kind, None)

    # --- recording -------------------------------------------------------------------------------

    def record(self, call: ConnectorCall) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def of_kind(self, kind: str) -> list[ConnectorCall]:
        with self._lock:
            return [call for call in self.calls if call.kind == kind]

    def wait_for(self, kind: str, count: int = 1, timeout: float = 60.0) -> list[ConnectorCall]:
        """The first `count` calls of a kind, waiting for them to arrive (AssertionError after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len([c for c in self.calls if c.kind == kind]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} {kind} call(s), got {self.of_kind_unlocked(kind)}")
                self._lock.wait(left)
            return [c for c in self.calls if c.kind == kind][:count]

    def of_kind_unlocked(self, kind: str) -> list[ConnectorCall]:
        return [call for call in self.calls if call.kind == kind]

    def next_id(self) -> str:
        return f"1700000000{next(self._ids):06d}"


@dataclass
class Hold:
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def wait(self) -> None:
        self.arrived.set()
        self.release.wait(timeout=120)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the stdlib's 5 drops connections under a load test


def _make_handler(connector: TeamsConnector) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            if self.path == "/v1/.well-known/openidconfiguration":
                self._json(200, {"issuer": ISSUER, "jwks_uri": f"{connector.url}/v1/.well-known/keys",
                                 "id_token_signing_alg_values_supported": ["RS256"]})
            elif self.path == "/v1/.well-known/keys":
                self._json(200, connector.jwks())
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            try:
                body: Any = json.loads(raw) if raw else None
            except json.JSONDecodeError:
                body = raw  # the token endpoint gets a form post
            call = ConnectorCall("POST", self.path, body, dict(self.headers.items()))
            held = connector.take_hold(call.kind)
            if held:
                held.wait()
            failure = connector.next_failure(call.kind)
            call.status = failure or 200
            connector.record(call)
            if failure:
                self._json(failure, {"error": {"code": "Throttled" if failure == 429 else "ServiceError"}},
                           retry_after=failure == 429)
            elif call.kind == "token":
                self._json(200, {"token_type": "Bearer", "expires_in": 3600, "access_token": ACCESS_TOKEN})
            elif call.kind == "open-chat":
                user = ((body or {}).get("members") or [{}])[0].get("id", "")
                self._json(201, {"id": f"a:personal-{user}"})
            elif call.kind == "activities":
                self._json(201, {"id": connector.next_id()})
            else:
                self._json(404, {"error": "not found"})

        def _json(self, status: int, body: Any, retry_after: bool = False) -> None:
            payload = json.dumps(body).encode("utf-8")
            self.send_response(status)
            if retry_after:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return

    return Handler
