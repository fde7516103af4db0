"""Which channel ids reflection prompts may go to: Slack conversation ids and Teams conversation ids.

Slack: a channel, private channel or DM id ("C0123ABCD", "G…", "D…"), upper-case letters and digits.
Teams: stored as "teams:" + the conversation id ("19:…@thread.tacv2" for a channel, "a:…" for a chat),
which `schakel reflect subscribe` also accepts without the prefix.
"""

from __future__ import annotations

import re

TEAMS_PREFIX = "teams:"
SLACK_ID = re.compile(r"[CGD][A-Z0-9]{4,23}")  # Slack promises no fixed length
# Letters, digits and the punctuation Teams uses in ids; the whole stored id fits the 300-character column.
TEAMS_ID = re.compile(r"(?:19|a|8|29):[A-Za-z0-9_.@:=+/!-]{1,280}", re.ASCII)


def conversation_id(value: str) -> str | None:
    """The id to store for `value`, or None when it is no Slack or Teams conversation id."""
    if SLACK_ID.fullmatch(value):
        return value
    bare = value.removeprefix(TEAMS_PREFIX)
    if TEAMS_ID.fullmatch(bare):
        return TEAMS_PREFIX + bare
    return None
