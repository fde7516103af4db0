"""Logging for the CLI and the bot: plain lines for people, JSON lines for log collectors.

Log records carry ids, kinds and timings; never message text, tokens or secrets.
"""

from __future__ import annotations

import json
import logging
import sys
import threading

from bot.settings import Settings

# Libraries that log request bodies or payloads at DEBUG/INFO are held at WARNING.
CHATTY_LOGGERS = (
    "slack_bolt", "slack_sdk", "urllib3", "httpx", "httpcore", "chromadb", "apscheduler", "openai", "bm25s",
    "sentence_transformers", "transformers",
)


# The SDK logs every refused Bot Framework token at ERROR, with the sender's own claims (serviceurl).
# Schakel logs the refusal itself, at WARNING, with the reason only (bot/web/teams.py).
SILENCED_LOGGERS = ("microsoft_teams.apps.auth.token_validator",)


class JsonFormatter(logging.Formatter):
    """One JSON object per line. A field never overwrites the record's own keys (a field named like one
    is kept with a `field_` prefix), and an exception is given by its type, never as a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in getattr(record, "fields", {}).items():
            payload[f"field_{key}" if key in RESERVED_KEYS else key] = value
        if record.exc_info and record.exc_info[0] is not None:
            payload.setdefault("error", record.exc_info[0].__name__)
        return json.dumps(payload, ensure_ascii=False, default=str)


RESERVED_KEYS = frozenset({"ts", "level", "logger", "event"})


def _hold_chatty_libraries(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or record.name.split(".")[0] not in CHATTY_LOGGERS


def configure_logging(settings: Settings, level: int | None = None) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_json:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # Some libraries set their own logger to DEBUG when imported (bm25s does), after this runs.
    handler.addFilter(_hold_chatty_libraries)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or settings.log_level.upper())
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in SILENCED_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # Warnings and uncaught exceptions in threads become log records too: nothing else writes to stderr.
    logging.captureWarnings(True)
    threading.excepthook = _log_thread_exception


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    thread = args.thread.name if args.thread else "?"
    # The type only: an exception's message can echo what a user sent.
    logging.getLogger("bot.threads").error("thread %s stopped: %s", thread, args.exc_type.__name__,
                                           extra={"fields": {"thread": thread, "error": args.exc_type.__name__}})


def quiet_per_answer_logs() -> None:
    """Batch commands (eval, bench) ask hundreds of questions: one log line each drowns their report."""
    logging.getLogger("bot.core.engine").setLevel(logging.WARNING)
