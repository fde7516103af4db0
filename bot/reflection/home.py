"""App Home blocks: the reflection subscriptions of the user's channels, with their next send."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.reflection.parsing import describe_rhythm, describe_slot, format_date
from bot.reflection.schedule import dutch_holidays, next_slot
from bot.reflection.sender import reflection_tz
from bot.reflection.store import list_subscriptions
from bot.settings import Settings
from bot.state.db import create_db_engine


def subscription_blocks(settings: Settings, channel_ids: list[str], *,
                        now: dt.datetime | None = None) -> list[dict[str, Any]]:
    tz = reflection_tz(settings)
    moment = now or dt.datetime.now(tz)
    db = create_db_engine(settings)
    try:
        subs = list_subscriptions(db, channel_ids) if channel_ids else []
    finally:
        db.dispose()
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": "Reflectievragen"}}]
    if not subs:
        blocks.append(_context("Geen van je kanalen krijgt reflectievragen. "
                               "Zet ze aan in een kanaal met `/schakel reflectie aan`."))
        return blocks
    calendar = dutch_holidays()
    for sub in subs:
        slot = next_slot(sub, moment, tz, calendar)
        lines = [f"<#{sub.channel}>: {describe_rhythm(sub)}"]
        if sub.themes:
            lines.append(f"Thema's: {', '.join(sub.themes)}")
        if sub.paused_until and sub.paused_until > moment.date():
            lines.append(f"Gepauzeerd tot {format_date(sub.paused_until)}")
        lines.append(f"Volgende vraag: {describe_slot(slot, tz) if slot else 'geen'}")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    return blocks


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
