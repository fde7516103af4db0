"""uvicorn, serving the one ASGI application, on a thread of its own.

The main thread keeps the signals (bot/ops/shutdown.py), so uvicorn installs none. `stop()` closes
the listening socket at once, lets the requests in progress finish (acks take milliseconds; at most
`GRACE_SECONDS`), and returns; the answers those requests started run on in the worker pool.
"""

from __future__ import annotations

import threading
import time

import uvicorn
from starlette.types import ASGIApp

GRACE_SECONDS = 10  # open requests after a stop; answers themselves are not requests
KEEP_ALIVE_SECONDS = 5  # an idle keep-alive connection is closed after this
START_TIMEOUT = 30.0


class ServerStartError(RuntimeError):
    """The server could not listen (the port is taken, or the address is wrong)."""


class WebServer:
    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        config = uvicorn.Config(
            app, host=host, port=port,
            log_config=None,  # Schakel's logging (plain or JSON lines) handles uvicorn's records too
            access_log=False,  # a line per probe and event would drown the log
            lifespan="off", server_header=False,
            timeout_keep_alive=KEEP_ALIVE_SECONDS, timeout_graceful_shutdown=GRACE_SECONDS,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="schakel-http", daemon=True)

    def start(self) -> "WebServer":
        """Listen, and return once the socket is bound (ServerStartError when it cannot be)."""
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise ServerStartError(f"cannot listen on {self._server.config.host}:{self._server.config.port}")
            time.sleep(0.02)
        return self

    @property
    def port(self) -> int:
        """The bound port (port 0 in the configuration picks a free one)."""
        return int(self._server.servers[0].sockets[0].getsockname()[1])

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(GRACE_SECONDS + 5)

    def __enter__(self) -> "WebServer":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
