"""Reading Bot Framework activities: the Teams SDK parses them; this adds the few views Schakel needs.

Who wrote, where, what, and whether Schakel was mentioned. The SDK's models (`ActivityTypeAdapter`)
check the shape; Schakel adds that the serviceUrl is http(s), because replies go there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from microsoft_teams.api.activities import Activity, ActivityTypeAdapter
from microsoft_teams.api.activities import ConversationUpdateActivity, MessageActivity
from microsoft_teams.api.activities.invoke.adaptive_card import AdaptiveCardInvokeActivity
from microsoft_teams.api.activities.utils import StripMentionsTextOptions, strip_mentions_text
from pydantic import ValidationError

from bot.teams.store import ConversationRef, channel_key

TAG = re.compile(r"<[^>]+>")
HANDLED_TYPES = frozenset({"message", "invoke", "conversationUpdate", "installationUpdate"})


class BadActivity(ValueError):
    """The request body is not an activity Schakel can act on: answer 400."""


@dataclass(frozen=True)
class Incoming:
    """An activity Schakel acts on, parsed by the SDK."""

    activity: Activity

    @classmethod
    def parse(cls, body: object) -> "Incoming | None":
        """The activity, or None for types Schakel ignores (typing, reactions, deletes); BadActivity if broken."""
        if not isinstance(body, dict):
            raise BadActivity("the body must be a JSON object (an activity)")
        if not isinstance(body.get("type"), str):
            raise BadActivity("the activity has no type")
        if body["type"] not in HANDLED_TYPES:
            return None
        try:
            # JSON null means "not there" in the Bot Framework; the SDK's models want the field left out.
            activity = ActivityTypeAdapter.validate_python({k: v for k, v in body.items() if v is not None})
        except ValidationError as error:
            first = error.errors()[0]  # location and reason only: the input may hold message text
            where = ".".join(str(part) for part in first["loc"][1:]) or "activity"
            raise BadActivity(f"the activity is not valid: {where}: {first['msg']}") from None
        if not (activity.service_url or "").startswith(("https://", "http://")):
            raise BadActivity("the activity has no serviceUrl")
        return cls(activity)

    @property
    def type(self) -> str:
        return str(self.activity.type)

    @property
    def id(self) -> str | None:
        return self.activity.id or None

    @property
    def service_url(self) -> str:
        return self.activity.service_url or ""

    @property
    def conversation_id(self) -> str:
        return self.activity.conversation.id

    @property
    def conversation_type(self) -> str:
        conversation = self.activity.conversation
        if conversation.conversation_type in {"personal", "channel", "groupChat"}:
            return str(conversation.conversation_type)
        return "groupChat" if conversation.is_group else "personal"

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
        sender = self.activity.from_
        return sender.aad_object_id or sender.id

    @property
    def account_id(self) -> str:
        """The asker's Teams account id ("29:…"), which the connector needs to open a 1:1 chat."""
        return self.activity.from_.id

    @property
    def bot_id(self) -> str:
        return self.activity.recipient.id

    @property
    def tenant_id(self) -> str | None:
        channel_data = self.activity.channel_data
        tenant = channel_data.tenant.id if channel_data and channel_data.tenant else None
        return tenant or self.activity.conversation.tenant_id or None

    @property
    def text(self) -> str:
        return self.activity.text if isinstance(self.activity, MessageActivity) else ""

    @property
    def value(self) -> dict[str, Any] | None:
        """A card action's data: `value` of a message (Action.Submit) or of an adaptiveCard/action invoke."""
        value: object = None
        if isinstance(self.activity, MessageActivity):
            value = self.activity.value
        elif isinstance(self.activity, AdaptiveCardInvokeActivity):
            value = self.activity.value.action.data
        return value if isinstance(value, dict) and "schakel" in value else None

    @property
    def is_invoke(self) -> bool:
        return self.activity.type == "invoke"

    def mentions_bot(self) -> bool:
        return isinstance(self.activity, MessageActivity) and self.activity.is_recipient_mentioned()

    def question_text(self) -> str:
        """The question: Schakel's own mention removed (by the SDK), other mentions and HTML as text."""
        if not isinstance(self.activity, MessageActivity):
            return ""
        raw = strip_mentions_text(self.activity, StripMentionsTextOptions(account_id=self.bot_id)) or ""
        text = html.unescape(TAG.sub(" ", raw))
        return re.sub(r"\s+", " ", text).strip()

    def adds_bot(self) -> bool:
        if not isinstance(self.activity, ConversationUpdateActivity):
            return False
        return any(member.id == self.bot_id for member in self.activity.members_added or [])

    def reference(self) -> ConversationRef:
        return ConversationRef(self.channel, self.conversation_type, self.service_url, self.tenant_id, self.bot_id)
