"""POST /api/messages: Bot Framework activities, checked with the Teams SDK's token validator and models.

Per request: the token (whenever TEAMS_APP_ID is set) before the body is parsed (401), the JSON
(400), that the token was issued for the activity's serviceUrl (401), the activity's shape (400).
Invokes (card actions) are claimed and answered in the response. Messages get 202 at once, then are
claimed (exactly once: a retry or another replica's copy is left alone) and answered on the answer
worker pool, because Teams retries a request that takes longer than a few seconds and a database
write in the request made acks slow under load. Token checks, the database and the bot run on
threads, never on the event loop.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import Executor
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.teams.activities import BadActivity, Incoming
from bot.teams.auth import AuthError, InboundValidator
from bot.teams.bot import TeamsBot

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
UNAUTHORIZED = {"error": "unauthorized"}


class TeamsActivities:
    """The route's handler. Until `attach` (the engine is still loading) it answers 503."""

    def __init__(self, validator: InboundValidator | None) -> None:
        self._validator = validator
        self._bot: TeamsBot | None = None
        self._workers: Executor | None = None

    def attach(self, bot: TeamsBot, workers: Executor) -> None:
        self._bot, self._workers = bot, workers

    async def handle(self, request: Request) -> Response:
        bot, workers = self._bot, self._workers
        if bot is None or workers is None:
            return JSONResponse({"error": "starting"}, status_code=503, headers={"Retry-After": "5"})
        claims: dict[str, Any] | None = None
        if self._validator is not None:
            try:
                claims = await run_in_threadpool(self._validator.validate, request.headers.get("authorization"))
            except AuthError as error:
                # The reason only: the token's claims come from whoever sent it.
                log.warning("teams request rejected", extra={"fields": {"reason": str(error)}})
                return JSONResponse(UNAUTHORIZED, status_code=401)
        try:
            body = json.loads(await request.body())
        except ValueError:  # also bytes that are not UTF-8
            return JSONResponse({"error": "the request body is not valid JSON"}, status_code=400)
        if claims is not None:
            service_url = body.get("serviceUrl") if isinstance(body, dict) else None
            try:
                InboundValidator.check_service_url(claims, service_url if isinstance(service_url, str) else None)
            except AuthError as error:
                log.warning("teams request rejected", extra={"fields": {"reason": str(error)}})
                return JSONResponse(UNAUTHORIZED, status_code=401)
        try:
            incoming = Incoming.parse(body)
        except BadActivity as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        if incoming is None:
            return Response(status_code=200)  # typing, reactions, deletes: nothing to do
        if incoming.is_invoke:
            if not await run_in_threadpool(bot.claim, incoming):
                return Response(status_code=200)  # already handled (a retry, or another replica got it)
            return JSONResponse(await run_in_threadpool(bot.on_invoke, incoming))
        workers.submit(bot.on_activity_once, incoming)  # claimed there: a retry is then left alone
        return Response(status_code=202)
