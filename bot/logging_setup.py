"""Logging for the CLI and the bot: plain lines for people, JSON lines for log collectors.

Log records carry ids, kinds and timings; never message text, tokens or secrets.
"""

from __future__ import annotations

import json
import logging
import sys

from bot.settings import Settings

# Libraries that log request bodies or payloads at DEBUG/INFO are held at WARNING.
CHATTY_LOGGERS = (
    "slack_bolt", "slack_sdk", "urllib3", "httpx", "httpcore", "chromadb", "apscheduler", "openai", "bm25s",
    "sentence_transformers", "transformers",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "error"
        return json.dumps(payload, ensure_ascii=False)


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


def quiet_per_answer_logs() -> None:
    """Batch commands (eval, bench) ask hundreds of questions: one log line each drowns their report."""
    logging.getLogger("bot.core.engine").setLevel(logging.WARNING)
