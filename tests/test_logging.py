"""JSON log lines: one object per line, the message and the error type always kept."""

from __future__ import annotations

import json
import logging

from bot.logging_setup import JsonFormatter


def formatted(message: str, *args: object, fields: dict[str, object] | None = None,
              error: BaseException | None = None) -> dict[str, object]:
    record = logging.LogRecord("bot.slack.app", logging.ERROR, __file__, 1, message, args,
                               (type(error), error, error.__traceback__) if error else None)
    if fields is not None:
        record.fields = fields
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_field_named_like_a_record_key_does_not_overwrite_the_message() -> None:
    logged = formatted("slack listener failed: %s", "KeyError",
                       fields={"event": "app_mention", "level": "x", "error": "KeyError"})
    assert logged["event"] == "slack listener failed: KeyError" and logged["level"] == "ERROR"
    assert logged["field_event"] == "app_mention" and logged["field_level"] == "x"
    assert logged["error"] == "KeyError"


def test_an_exception_is_one_line_with_its_type_and_no_traceback_or_message() -> None:
    try:
        raise ValueError("de vraag van Fenna:\nwie gaat over vastgoed?")
    except ValueError as error:
        logged = formatted("request failed", error=error)
    assert logged["error"] == "ValueError"
    assert "Fenna" not in json.dumps(logged) and "Traceback" not in json.dumps(logged)
