"""App Home blocks for the user's channels, with the next (holiday-shifted) send."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.reflection.home import subscription_blocks
from bot.reflection.models import Subscription
from bot.reflection.store import save_subscription
from bot.settings import Settings
from tests.reflection.conftest import at

NOW = at(2026, 3, 10, 12)


def test_home_lists_only_the_users_channels_with_next_send(settings: Settings, db: Engine) -> None:
    save_subscription(db, Subscription("C0MINE", weekday=0, themes=("pps",)), NOW)
    save_subscription(db, Subscription("C0NOTMINE"), NOW)
    blocks = subscription_blocks(settings, ["C0MINE", "C0OTHER"], now=NOW)
    text = "\n".join(block["text"]["text"] for block in blocks if block["type"] == "section")
    assert "<#C0MINE>: maandelijks, eerste maandag van de maand om 10:00" in text
    assert "Thema's: pps" in text
    assert "Volgende vraag: di 7 april 2026 10:00 (verschoven van ma 6 april 2026: Tweede paasdag)" in text
    assert "C0NOTMINE" not in text


def test_home_without_subscriptions_says_how_to_start(settings: Settings, db: Engine) -> None:
    blocks = subscription_blocks(settings, ["C0MINE"], now=NOW)
    assert blocks[-1]["type"] == "context" and "/schakel reflectie aan" in blocks[-1]["elements"][0]["text"]
