"""Reading Bot Framework activities: who wrote, where, what, and whether Schakel was mentioned."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from bot.teams.store import ConversationRef, channel_key

TAG = re.compile(r"<[^>]+>")
HANDLED_TYPES = frozenset({"message", "invoke", "conversationUpdate", "installationUpdate"})


class BadActivity(ValueError):
    """The request body is not an activity Schakel can act on: answer 400."""


@dataclass(frozen=True)
class Incoming:
    raw: dict[str, Any]

    @classmethod
    def parse(cls, body: object) -> "Incoming":
        if not isinstance(body, dict):
            raise BadActivity("the body must be a JSON object (an activity)")
        if not isinstance(body.get("type"), str):
            raise BadActivity("the activity has no type")
        if body["type"] in HANDLED_TYPES:
            conversation = body.get("conversation")
            if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str):
                raise BadActivity("the activity has no conversation id")
            if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"].startswith(("https://", "http://")):
                raise BadActivity("the activity has no serviceUrl")
            for part in ("from", "recipient"):
                if not isinstance(body.get(part, {}), dict):
                    raise BadActivity(f"the activity's {part} must be an object")
        return cls(body)

    @property
    def type(self) -> str:
        return str(self.raw["type"])

    @property
    def handled(self) -> bool:
        return self.type in HANDLED_TYPES

    @property
    def id(self) -> str | None:
        value = self.raw.get("id")
        return str(value) if value else None

    @property
    def service_url(self) -> str:
        return str(self.raw.get("serviceUrl", ""))

    @property
    def conversation_id(self) -> str:
        return str(self.raw["conversation"]["id"])

    @property
    def conversation_type(self) -> str:
        conversation = self.raw["conversation"]
        kind = conversation.get("conversationType")
        if kind in {"personal", "channel", "groupChat"}:
            return str(kind)
        return "groupChat" if conversation.get("isGroup") else "personal"

    @property
    def personal(self) -> bool:
        return self.conversation_type == "personal"

    @property
    def in_channel(self) -> bool:
        return self.conversation_type == "channel"

    @property
    def channel(self) -> str:
        return channel_key(self.conversation_id)

    @property
    def user_id(self) -> str:
        """The asker's Entra object id (stable, short); the Teams account id when it is missing."""
        sender = self.raw.get("from") or {}
        return str(sender.get("aadObjectId") or sender.get("id") or "")

    @property
    def account_id(self) -> str:
        """The asker's Teams account id ("29:…"), which the connector needs to open a 1:1 chat."""
        return str((self.raw.get("from") or {}).get("id") or "")

    @property
    def bot_id(self) -> str:
        return str((self.raw.get("recipient") or {}).get("id") or "")

    @property
    def tenant_id(self) -> str | None:
        tenant = ((self.raw.get("channelData") or {}).get("tenant") or {}).get("id")
        return str(tenant or self.raw["conversation"].get("tenantId") or "") or None

    @property
    def text(self) -> str:
        text = self.raw.get("text")
        return text if isinstance(text, str) else ""

    @property
    def value(self) -> dict[str, Any] | None:
        """A card action's data: `value` of a message (Action.Submit) or of an adaptiveCard/action invoke."""
        value = self.raw.get("value")
        if not isinstance(value, dict):
            return None
        if self.type == "invoke":
            action = value.get("action")
            value = action.get("data") if isinstance(action, dict) else None
        return value if isinstance(value, dict) and "schakel" in value else None

    def bot_mentions(self) -> list[str]:
        """The mention texts ("<at>Schakel</at>") that address Schakel in this message."""
        texts = []
        for entity in self.raw.get("entities") or []:
            if isinstance(entity, dict) and entity.get("type") == "mention":
                if str((entity.get("mentioned") or {}).get("id") or "") == self.bot_id:
                    texts.append(str(entity.get("text") or ""))
        return texts

    def mentions_bot(self) -> bool:
        return bool(self.bot_mentions())

    def adds_bot(self) -> bool:
        added = self.raw.get("membersAdded") or []
        return any(isinstance(member, dict) and member.get("id") == self.bot_id for member in added)

    def reference(self) -> ConversationRef:
        return ConversationRef(self.channel, self.conversation_type, self.service_url, self.tenant_id, self.bot_id)


def question_text(raw: str, bot_mentions: list[str]) -> str:
    """The question in a Teams message: Schakel's own mention removed, other mentions and HTML as text."""
    for mention in filter(None, bot_mentions):
        raw = raw.replace(mention, " ")
    text = html.unescape(TAG.sub(" ", raw))
    return re.sub(r"\s+", " ", text).strip()
