"""POST /slack/events: the signature first, then the body, then Bolt, through its Starlette adapter.

Bolt's `BoltRequest` parses the body as soon as it is built, and its Starlette adapter dispatches on
the event loop. Here the signature is checked on the raw bytes first (401: nothing is parsed for an
unsigned request), then the body must parse (400), and only then does Bolt get the request, on a
thread: its listeners' acks touch the database, and the first request asks Slack who the bot is.
Answers never run here: Bolt hands them to the answer worker pool (lazy listeners) after the ack.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class SlackEvents:
    """The route's handler. Until `attach` (the engine is still loading) it answers 503, and Slack retries."""

    def __init__(self, signing_secret: str) -> None:
        self._verifier = SignatureVerifier(signing_secret)
        self._bolt: App | None = None

    def attach(self, bolt: App) -> None:
        self._bolt = bolt

    async def handle(self, request: Request) -> Response:
        bolt = self._bolt
        if bolt is None:
            return JSONResponse({"error": "starting"}, status_code=503, headers={"Retry-After": "5"})
        body = await request.body()
        if not self._signed(body, request):
            log.warning("slack request rejected: bad signature")
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        problem = _unparseable(body, request.headers.get("content-type"))
        if problem:
            return JSONResponse({"error": problem}, status_code=400)
        try:
            bolt_request = to_bolt_request(request, body)
        except (AttributeError, KeyError, TypeError, ValueError) as error:  # signed, yet not shaped like Slack's
            log.warning("slack request unreadable", extra={"fields": {"error": type(error).__name__}})
            return JSONResponse({"error": "the request is not a Slack request"}, status_code=400)
        bolt_response = await run_in_threadpool(bolt.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    def _signed(self, body: bytes, request: Request) -> bool:
        try:
            return self._verifier.is_valid_request(body, dict(request.headers))
        except (ValueError, TypeError):  # a timestamp that is no number, a signature that is not ASCII
            return False


def _unparseable(body: bytes, content_type: str | None) -> str | None:
    """Why Bolt could not read this body, or None. Slack sends JSON (events) or a form (commands, actions)."""
    try:
        parsed: Any = parse_body(body.decode("utf-8"), (content_type or "").split(";")[0] or None)
    except UnicodeDecodeError:
        return "the request body is not UTF-8"
    except ValueError:
        return "the request body is not valid JSON"
    if not isinstance(parsed, dict):
        return "the request body must be a JSON object"
    return None
