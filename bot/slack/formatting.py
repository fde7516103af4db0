"""Turn text into Slack mrkdwn that cannot ping anyone.

Everything Schakel posts (answers, restated questions, quoted source text, names) goes through
`safe_mrkdwn` or `safe_plain`. Special mentions (<!channel>, <!here>, <!everyone>, <!subteam^…>,
<@U…>) become inert text, bare @channel/@here/@everyone get a zero-width joiner, and the
remaining &, < and > are escaped, so no other markup can form a link or a ping.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"  # breaks Slack's @keyword recognition without changing what people read
BROADCAST = re.compile(r"<!(channel|here|everyone)(?:\|[^>]*)?>", re.IGNORECASE)
SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|@?([^>]*))?>", re.IGNORECASE)
USER = re.compile(r"<@([UWB][A-Z0-9]+)(?:\|([^>]*))?>", re.IGNORECASE)
OTHER_SPECIAL = re.compile(r"<!([a-z]+)[^>]*>", re.IGNORECASE)  # <!date…>, future keywords
BARE_BROADCAST = re.compile(r"(?<![\w@])@(channel|here|everyone)\b", re.IGNORECASE)
LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|([^>]*))?>")
CHANNEL_LINK = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")

# Markdown the answer engine may write, converted to mrkdwn after escaping.
MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
MD_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)
MD_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
MD_BULLET = re.compile(r"^(\s*)[-*]\s+", re.MULTILINE)


def defang(text: str) -> str:
    """Replace every mention markup and bare broadcast keyword by inert text."""
    text = BROADCAST.sub(lambda m: f"@{ZWSP}{m.group(1).lower()}", text)
    text = SUBTEAM.sub(lambda m: f"@{ZWSP}{m.group(1) or 'groep'}", text)
    text = USER.sub(lambda m: f"@{ZWSP}{m.group(2) or m.group(1)}", text)
    text = OTHER_SPECIAL.sub(lambda m: m.group(1), text)
    return BARE_BROADCAST.sub(lambda m: f"@{ZWSP}{m.group(1)}", text)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_plain(text: str) -> str:
    """For plain_text objects (buttons, headers, modal titles): defanged, not escaped."""
    return defang(text)


def safe_mrkdwn(text: str) -> str:
    """For mrkdwn text: defanged, escaped, with the answer's Markdown turned into mrkdwn."""
    text = escape(defang(text))
    text = MD_LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", text)
    text = MD_BOLD.sub(r"*\1*", text)
    text = MD_HEADING.sub(r"*\1*", text)
    return MD_BULLET.sub(r"\1• ", text)


def quote(text: str) -> str:
    """Quoted source text: defanged and escaped, as a mrkdwn block quote, Markdown left alone."""
    safe = escape(defang(text.strip()))
    return "\n".join(f">{line}" for line in safe.splitlines())


def question_text(raw: str, bot_user_id: str | None) -> str:
    """The question in a user's message: the bot's own mention removed, other markup made readable."""
    if bot_user_id:
        raw = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", raw)
    raw = LINK.sub(lambda m: m.group(2) or m.group(1), raw)
    raw = CHANNEL_LINK.sub(lambda m: f"#{m.group(2) or m.group(1)}", raw)
    raw = raw.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"\s+", " ", raw).strip()


def has_words(text: str) -> bool:
    """False for text that is only markup, mentions, emoji codes and punctuation."""
    stripped = re.sub(r"<[^>]*>", " ", text)
    stripped = re.sub(r":[a-z0-9_+\-]+:", " ", stripped)
    stripped = BARE_BROADCAST.sub(" ", stripped)
    return re.search(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]{2,}", stripped) is not None


def split_text(text: str, limit: int) -> list[str]:
    """Split at paragraph, line or word boundaries into pieces of at most `limit` characters."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut <= limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
