"""Graceful shutdown: SIGTERM stops intake, running answers finish, then everything is released.

`DrainingExecutor` is the answer worker pool (Bolt's `listener_executor`, and where Teams messages
are answered): it remembers its work, so shutdown can wait for the answers in flight, with a limit,
instead of cutting them off. Its size is Settings.resolved_answer_workers.
"""

from __future__ import annotations

import logging
import signal
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from typing import Any, Callable

log = logging.getLogger(__name__)

class DrainingExecutor(ThreadPoolExecutor):
    def __init__(self, max_workers: int) -> None:
        # The engine is CPU-bound: more workers than cores only make each answer slower.
        super().__init__(max_workers=max_workers, thread_name_prefix="schakel-answer")
        self._pending: set[Future[Any]] = set()
        self._guard = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._guard:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[Any]) -> None:
        with self._guard:
            self._pending.discard(future)

    def in_flight(self) -> int:
        with self._guard:
            return len(self._pending)

    def drain(self, timeout: float) -> bool:
        """Wait for the work handed in so far, at most `timeout` seconds. True when all of it finished."""
        with self._guard:
            pending = set(self._pending)
        _, not_done = wait_for_futures(pending, timeout=timeout)
        self.shutdown(wait=not not_done, cancel_futures=True)
        return not not_done


SIGNAL_CHECK_SECONDS = 0.5


def wait_for_stop(stop: threading.Event) -> None:
    """Block until `stop` is set, in short waits rather than one long one.

    Python runs a signal handler only when the main thread executes bytecode. When the kernel hands
    SIGTERM to another thread (any thread may receive a process signal), a main thread blocked in one
    `Event.wait()` would never run the handler, and the replica would keep serving (cpython#85300).
    """
    while not stop.wait(SIGNAL_CHECK_SECONDS):
        pass


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM (systemd, Kubernetes) and SIGINT (Ctrl-C) ask for a graceful stop. Main thread only."""

    def request_stop(signum: int, _frame: Any) -> None:
        log.info("shutdown requested", extra={"fields": {"signal": signal.Signals(signum).name}})
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
