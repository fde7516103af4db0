"""Posting the outbox: every replica runs one `OutboxWorker` thread that tries the answers that are due.

Each platform brings a `Deliverer` that posts one stored answer and raises `RetryLater` when the
platform is throttling or failing (429, 5xx, unreachable); any other error is final. Deliveries
and failures are logged (ids and error types only) and counted in /metrics.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

from bot.ops.metrics import Metrics
from bot.settings import Settings
from bot.state.outbox import Outbox, PendingReply

log = logging.getLogger(__name__)


class RetryLater(Exception):
    """The platform did not take the message now; `retry_after` is its Retry-After, when it gave one."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Deliverer(Protocol):
    def deliver(self, target: dict[str, Any], message: dict[str, Any]) -> None: ...


class ReplyQueue:
    """Where an adapter hands an answer it could not post: the outbox, counted in /metrics."""

    def __init__(self, outbox: Outbox, metrics: Metrics) -> None:
        self._outbox = outbox
        self._metrics = metrics

    def queue(self, platform: str, target: dict[str, Any], message: dict[str, Any], release_keys: list[str],
              retry: RetryLater) -> None:
        reply_id = self._outbox.add(platform, target, message, release_keys, retry_after=retry.retry_after)
        log.warning("answer not posted, kept in the outbox",
                    extra={"fields": {"outbox_id": reply_id, "platform": platform, "error": retry.reason}})
        self._metrics.outbox.labels(platform=platform, outcome="queued").inc()


class OutboxWorker:
    def __init__(self, outbox: Outbox, deliverers: dict[str, Deliverer], metrics: Metrics,
                 settings: Settings) -> None:
        self._outbox = outbox
        self._deliverers = deliverers
        self._metrics = metrics
        self._poll_seconds = settings.outbox_poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="schakel-outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the delivery under way (its lease would otherwise hold the answer back), then stop."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def deliver_due(self) -> int:
        """Try every due answer once; returns how many were posted. One lease at a time, so a stop
        leaves no leased rows behind for the other replicas to wait out."""
        posted = 0
        while not self._stop.is_set():
            leased = self._outbox.lease_due(limit=1)
            if not leased:
                break
            posted += self._try(leased[0])
        return posted

    def _run(self) -> None:
        while not self._stop.wait(self._poll_seconds):
            try:
                self.deliver_due()
            except Exception as error:  # the database may be away for a moment: try again next tick
                log.warning("outbox: could not read due answers", extra={"fields": {"error": type(error).__name__}})

    def _try(self, reply: PendingReply) -> int:
        fields: dict[str, Any] = {"outbox_id": reply.id, "platform": reply.platform, "attempt": reply.attempts + 1}
        deliverer = self._deliverers.get(reply.platform)
        if deliverer is None:
            return 0  # a replica for the other platform posts it; the lease runs out for it
        try:
            deliverer.deliver(reply.target, reply.message)
        except RetryLater as retry:
            if time.time() >= reply.give_up_at:
                self._give_up(reply, {**fields, "error": retry.reason})
                return 0
            wait = self._outbox.retry_later(reply, retry.retry_after)
            log.info("outbox: not posted yet", extra={"fields": {**fields, "error": retry.reason,
                                                                 "retry_in_s": round(wait, 1)}})
            self._metrics.outbox.labels(platform=reply.platform, outcome="retried").inc()
            return 0
        except Exception as error:
            self._give_up(reply, {**fields, "error": type(error).__name__})
            return 0
        self._outbox.delivered(reply)
        log.info("outbox: posted", extra={"fields": fields})
        self._metrics.outbox.labels(platform=reply.platform, outcome="posted").inc()
        return 1

    def _give_up(self, reply: PendingReply, fields: dict[str, Any]) -> None:
        self._outbox.give_up(reply)
        log.error("outbox: answer given up, its question may be asked again", extra={"fields": fields})
        self._metrics.outbox.labels(platform=reply.platform, outcome="failed").inc()
