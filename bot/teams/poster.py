"""The Teams side of the reflection `PromptPoster`: a prompt card posted proactively into a channel."""

from __future__ import annotations

from bot.reflection.models import PromptMessage
from bot.teams.cards import card_activity, prompt_card
from bot.teams.connector import ConnectorClient
from bot.teams.store import ConversationStore


class UnknownConversation(Exception):
    """Schakel has not seen this Teams conversation yet, so it has no service URL to post to."""


class TeamsPromptPoster:
    def __init__(self, connector: ConnectorClient, conversations: ConversationStore) -> None:
        self._connector = connector
        self._conversations = conversations

    def post_prompt(self, channel: str, message: PromptMessage) -> str:
        ref = self._conversations.get(channel)
        if ref is None:
            # The sender releases its claim on any failure, so the prompt goes out once Schakel is added.
            raise UnknownConversation(channel)
        activity = card_activity(prompt_card(message), summary=f"Even reflecteren: {message.question}")
        return self._connector.send(ref.service_url, ref.conversation_id, activity)

    def reply_count(self, channel: str, message_id: str) -> int:
        # The Bot Connector API cannot list replies; Schakel counts the thread replies it receives.
        return self._conversations.reply_count(channel, message_id)
