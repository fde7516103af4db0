"""Teams conversation references and thread reply counts, in the shared database.

A proactive message (a reflection prompt) needs the conversation's service URL, which only an
incoming activity tells us: we keep one reference per conversation, refreshed on every activity.
Reply counts feed the reflection look back ("Vorige keer: 3 reacties"); only the number is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, Engine, Integer, String, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.reflection.sender import TEAMS_PREFIX
from bot.state.db import metadata

teams_conversations = Table(
    "teams_conversations",
    metadata,
    Column("channel", String(300), primary_key=True),  # "teams:" + the conversation id without ";messageid="
    Column("conversation_type", String(20), nullable=False),  # personal, channel or groupChat
    Column("service_url", String(500), nullable=False),
    Column("tenant_id", String(64)),
    Column("bot_id", String(200)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

teams_thread_replies = Table(
    "teams_thread_replies",
    metadata,
    Column("channel", String(300), primary_key=True),
    Column("message_id", String(100), primary_key=True),
    Column("replies", Integer, nullable=False, default=0),
)


@dataclass(frozen=True)
class ConversationRef:
    channel: str
    conversation_type: str
    service_url: str
    tenant_id: str | None = None
    bot_id: str | None = None

    @property
    def conversation_id(self) -> str:
        return self.channel.removeprefix(TEAMS_PREFIX)


def channel_key(conversation_id: str) -> str:
    """The platform-qualified id of a conversation, as used for subscriptions: thread suffix dropped."""
    return TEAMS_PREFIX + conversation_id.split(";messageid=", 1)[0]


def thread_message_id(conversation_id: str) -> str | None:
    """The root message of a channel thread ("19:…@thread.tacv2;messageid=1700…"), if any."""
    _, _, message_id = conversation_id.partition(";messageid=")
    return message_id or None


class ConversationStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        metadata.create_all(engine, tables=[teams_conversations, teams_thread_replies])

    def remember(self, ref: ConversationRef) -> None:
        values = {"conversation_type": ref.conversation_type, "service_url": ref.service_url,
                  "tenant_id": ref.tenant_id, "bot_id": ref.bot_id, "updated_at": dt.datetime.now(dt.timezone.utc)}
        where = teams_conversations.c.channel == ref.channel
        with self._engine.begin() as connection:
            if connection.execute(update(teams_conversations).where(where).values(**values)).rowcount:
                return
        try:
            with self._engine.begin() as connection:
                connection.execute(insert(teams_conversations).values(channel=ref.channel, **values))
        except IntegrityError:
            pass  # another replica stored the same conversation a moment ago

    def get(self, channel: str) -> ConversationRef | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(teams_conversations).where(teams_conversations.c.channel == channel)).first()
        if row is None:
            return None
        return ConversationRef(row.channel, row.conversation_type, row.service_url, row.tenant_id, row.bot_id)

    def count_reply(self, channel: str, message_id: str) -> None:
        where = (teams_thread_replies.c.channel == channel) & (teams_thread_replies.c.message_id == message_id)
        with self._engine.begin() as connection:
            changed = connection.execute(
                update(teams_thread_replies).where(where).values(replies=teams_thread_replies.c.replies + 1)
            ).rowcount
            if not changed:
                connection.execute(insert(teams_thread_replies).values(channel=channel, message_id=message_id,
                                                                       replies=1))

    def reply_count(self, channel: str, message_id: str) -> int:
        where = (teams_thread_replies.c.channel == channel) & (teams_thread_replies.c.message_id == message_id)
        with self._engine.connect() as connection:
            return int(connection.execute(select(teams_thread_replies.c.replies).where(where)).scalar() or 0)
