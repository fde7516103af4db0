"""Telling the proposer of a decision, in the chat tool they proposed from, whoever decided where.

A reviewer in Slack may decide on a correction proposed in Teams, and an operator in the terminal on either:
each caller passes the client it already has, and the other platform's is made for the one message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.knowledge.loader import KnowledgeBase
from bot.review.service import decision_notice
from bot.settings import Settings
from bot.state.corrections import Correction

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.teams.connector import ConnectorClient

log = logging.getLogger(__name__)


def tell_proposer(settings: Settings, knowledge: KnowledgeBase, correction: Correction,
                  slack: "WebClient | None" = None, teams: "ConnectorClient | None" = None) -> bool:
    """True when the message went out; False when that platform is not configured here or did not take it."""
    text = decision_notice(knowledge, correction)
    target = correction.reply_to
    try:
        if correction.platform == "slack" and target.get("user") and (slack or settings.slack_bot_token):
            from bot.slack.blocks import notice
            from bot.slack.client import build_client

            fallback, blocks = notice(text)
            (slack or build_client(settings)).chat_postMessage(channel=target["user"], text=fallback, blocks=blocks)
            return True
        if correction.platform == "teams" and target.get("account") and (teams or settings.teams_app_id):
            from bot.teams.cards import text_activity
            from bot.teams.connector import ConnectorClient

            connector = teams or ConnectorClient(settings)
            try:
                chat = connector.open_personal_chat(target["service_url"], target["bot"], target["account"],
                                                    target.get("tenant") or None)
                connector.send(target["service_url"], chat, text_activity(text))
            finally:
                if teams is None:
                    connector.close()
            return True
    except Exception as error:  # the decision stands; the reviewer is told to let the proposer know
        log.warning("proposer not told of the decision: %s", type(error).__name__,
                    extra={"fields": {"correction": correction.id, "platform": correction.platform}})
    return False
