"""Request limits in front of every route: the body is read here, whole, before any handler sees it.

A declared body over the limit gets 413 without being read; a body that turns out larger while it
arrives (chunked) gets 413 as soon as it passes the limit; a client that takes too long to send its
body gets 408. So an unauthenticated client can make a replica hold at most `max_bytes` per
connection, for at most `read_timeout` seconds. Handlers then read the buffered body.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

# Before refusing a body, read and drop what the client still sends, for at most this long, so that it
# reads the refusal instead of a connection reset; nothing of it is kept.
DISCARD_SECONDS = 2.0


class RequestLimits:
    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared == -1:
            await _refuse(send, 400, "invalid Content-Length")
            return
        if declared is not None and declared > self.max_bytes:
            await _discard(receive)
            await _refuse(send, 413, f"request body larger than {self.max_bytes} bytes")
            return
        try:
            body = await asyncio.wait_for(self._read(receive), timeout=self.read_timeout)
        except TimeoutError:
            await _refuse(send, 408, f"request body not received within {self.read_timeout:g} s")
            return
        except _TooLarge:
            await _discard(receive)
            await _refuse(send, 413, f"request body larger than {self.max_bytes} bytes")
            return
        except _Disconnected:
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


def _content_length(scope: Scope) -> int | None:
    """The declared length, None when there is none, -1 when it is not a number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else -1
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replayed


async def _refuse(send: Send, status: int, error: str) -> None:
    payload = json.dumps({"error": error}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})
    log.info("request refused", extra={"fields": {"status": status}})


async def _discard(receive: Receive) -> None:
    deadline = time.monotonic() + DISCARD_SECONDS
    try:
        while (left := deadline - time.monotonic()) > 0:
            message = await asyncio.wait_for(receive(), timeout=left)
            if message["type"] == "http.disconnect" or not message.get("more_body", False):
                return
    except TimeoutError:
        return
