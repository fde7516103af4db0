"""Activity → engine → Teams: questions, text commands, card actions and conversation bookkeeping.

Every path ends in a visible reply (the answer, a note about the input, or a short failure
message), except messages in a channel that do not mention Schakel: those are only counted as
thread replies for the reflection look back.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any, Literal

from microsoft_teams.api import MessageActivityInput
from sqlalchemy import Engine

from bot.core.models import Answer, AskerContext, Language, Question
from bot.ops.metrics import Metrics
from bot.ops.redelivery import ReplyQueue
from bot.reflection.sender import PromptPoster
from bot.settings import Settings
from bot.slack.deps import AnswerService
from bot.slack.formatting import has_words
from bot.slack.texts import guess_language, ui
from bot.state.corrections import CorrectionStore
from bot.state.feedback import FeedbackStore
from bot.state.idempotency import IdempotencyStore
from bot.state.outbox import Outbox
from bot.state.people import PeopleStore
from bot.state.ratelimit import RateLimiter
from bot.teams import texts
from bot.teams.activities import Incoming
from bot.teams.cards import (
    ACTION_CORRECT,
    ACTION_FEEDBACK,
    ACTION_PASSAGE,
    answer_card,
    card_activity,
    passage_card,
    text_activity,
)
from bot.teams.connector import ConnectorClient
from bot.teams.corrections import ACTION_REVIEW, TeamsCorrections
from bot.teams.delivery import PLATFORM, as_retry, stored, target_of
from bot.teams.poster import TeamsPromptPoster
from bot.teams.store import ConversationStore, thread_message_id

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 4000  # a question, not a document
INVOKE_MESSAGE = "application/vnd.microsoft.activity.message"


@dataclass(frozen=True)
class TeamsDeps:
    settings: Settings
    engine: AnswerService
    people: PeopleStore
    idempotency: IdempotencyStore
    feedback: FeedbackStore
    rate_limiter: RateLimiter
    conversations: ConversationStore
    connector: ConnectorClient
    replies: ReplyQueue  # replies Teams did not take, posted later from the outbox
    corrections: TeamsCorrections

    @classmethod
    def build(cls, settings: Settings, engine: AnswerService, db: Engine,
              connector: ConnectorClient | None = None, metrics: Metrics | None = None) -> "TeamsDeps":
        connector = connector or ConnectorClient(settings)
        return cls(
            settings=settings,
            engine=engine,
            people=PeopleStore(db, engine.knowledge),
            idempotency=IdempotencyStore(db),
            feedback=FeedbackStore(settings, db),
            rate_limiter=RateLimiter(db, settings.rate_limit_per_minute),
            conversations=ConversationStore(db),
            connector=connector,
            replies=ReplyQueue(Outbox(db, settings), metrics or Metrics.create()),
            corrections=TeamsCorrections(settings, engine.knowledge, CorrectionStore(db), connector),
        )

    def prompt_poster(self) -> PromptPoster:
        return TeamsPromptPoster(self.connector, self.conversations)


def claim_keys(incoming: Incoming) -> list[str]:
    if incoming.id is None:
        return []
    # Activity ids are unique per conversation, and conversation ids can be long: hash the pair.
    key = hashlib.sha256(f"{incoming.conversation_id}\n{incoming.id}".encode()).hexdigest()[:40]
    return [f"teams:{key}"]


class TeamsBot:
    def __init__(self, deps: TeamsDeps) -> None:
        self.deps = deps

    def claim(self, incoming: Incoming) -> bool:
        """False when this activity was handled before (a retry, or another replica got it)."""
        return self.deps.idempotency.claim(claim_keys(incoming))

    # --- entry points (the server calls these) ---------------------------------------------------

    def on_activity_once(self, incoming: Incoming) -> None:
        """Claim, then handle: on the answer worker pool, so the request is acked without a database write."""
        try:
            claimed = self.claim(incoming)
        except Exception as error:  # the database is away: Teams got 202, so say nothing rather than twice
            log.error("teams activity not claimed: %s", type(error).__name__,
                      extra={"fields": {"type": incoming.type, "error": type(error).__name__}})
            return
        if claimed:
            self.on_activity(incoming)

    def on_activity(self, incoming: Incoming) -> None:
        """Messages and conversation updates; runs off the request thread."""
        try:
            if incoming.type in {"conversationUpdate", "installationUpdate"}:
                self._on_added(incoming)
            elif incoming.type == "message":
                self._on_message(incoming)
        except Exception as error:
            log.error("teams activity failed: %s", type(error).__name__, exc_info=log.isEnabledFor(logging.DEBUG),
                      extra={"fields": {"type": incoming.type, "error": type(error).__name__}})
            self._reply_quietly(incoming, text_activity(ui(guess_language(incoming.text)).failure))

    def on_invoke(self, incoming: Incoming) -> dict[str, Any]:
        """An adaptiveCard/action invoke: act, and return the invoke response Teams shows the user."""
        data = incoming.value
        if data is None:
            return {"statusCode": 200, "type": INVOKE_MESSAGE, "value": ""}
        return {"statusCode": 200, "type": INVOKE_MESSAGE, "value": self._card_action(incoming, data, reply=False)}

    # --- messages --------------------------------------------------------------------------------

    def _on_message(self, incoming: Incoming) -> None:
        self.deps.conversations.remember(incoming.reference())
        data = incoming.value
        if data is not None:
            self._card_action(incoming, data, reply=True)
            return
        if not incoming.personal:
            root = thread_message_id(incoming.conversation_id)
            if root:
                self.deps.conversations.count_reply(incoming.channel, root)
            if not incoming.mentions_bot():
                return  # channel chatter Schakel may read (RSC) but was not asked about
        raw = incoming.text
        language = guess_language(raw)
        if len(raw) > MAX_QUESTION_CHARS:
            length = f"{len(raw):,}".replace(",", ".")
            self._reply(incoming, text_activity(ui(language).too_long.format(length=length, limit=MAX_QUESTION_CHARS)))
            return
        text = incoming.question_text()
        words = text.split()
        command = words[0].lower() if words else ""
        if command in {"help", "hulp", "?"}:
            english = [w.lower() for w in words[1:2]] in (["en"], ["english"])  # "help en", as in Slack
            self._reply(incoming, text_activity(texts.help_text("en" if english else "nl")))
        elif command in {"reflectie", "reflection"}:
            self._reflection(incoming, " ".join(words[1:]))
        elif [w.lower() for w in words[:2]] in (["verberg", "mij"], ["hide", "me"]):
            self.deps.people.hide(incoming.user_id)
            self._reply(incoming, text_activity(texts.HIDDEN))
        elif [w.lower() for w in words[:2]] in (["toon", "mij"], ["show", "me"]):
            self.deps.people.show(incoming.user_id)
            self._reply(incoming, text_activity(texts.SHOWN))
        elif command in {"meldingen", "reports"}:
            self._reply(incoming, self.deps.corrections.review(incoming))
        elif command == "wieiswie":
            self._wieiswie(incoming, " ".join(words[1:]))
        else:
            self._question(incoming, text, language)

    def _question(self, incoming: Incoming, text: str, language: Language) -> None:
        if not has_words(text):
            self._reply(incoming, text_activity(texts.empty(language)))
            return
        if not self.deps.rate_limiter.allow(f"teams:{incoming.user_id}"):
            self._reply(incoming, text_activity(ui(language).rate_limited))
            return
        answer = self._ask(incoming, text, private=incoming.personal)
        self._reply(incoming, card_activity(answer_card(answer), answer.answer))

    def _wieiswie(self, incoming: Incoming, topic: str) -> None:
        """Teams has no ephemeral messages: the answer goes to the asker's 1:1 chat."""
        language = guess_language(topic)
        if not has_words(topic):
            self._reply(incoming, text_activity(texts.WIEISWIE_EMPTY))
            return
        if not self.deps.rate_limiter.allow(f"teams:{incoming.user_id}"):
            self._reply(incoming, text_activity(ui(language).rate_limited))
            return
        answer = self._ask(incoming, topic, private=True, wants="directory")
        activity = card_activity(answer_card(answer, restate_question=True), answer.answer)
        if incoming.personal:
            self._reply(incoming, activity)
            return
        chat = self.deps.connector.open_personal_chat(incoming.service_url, incoming.bot_id, incoming.account_id,
                                                      incoming.tenant_id)
        self.deps.connector.send(incoming.service_url, chat, activity)
        self._reply(incoming, text_activity(texts.sent_privately(language)))

    def _reflection(self, incoming: Incoming, rest: str) -> None:
        from bot.reflection.slack_command import handle

        # Outside a channel (1:1 or group chat) the reflection module answers that prompts belong in a channel.
        channel = incoming.channel if incoming.in_channel else ""
        reply = handle(self.deps.settings, rest, channel, incoming.user_id, poster=self.deps.prompt_poster())
        self._reply(incoming, text_activity(texts.for_teams(reply)))

    def _ask(self, incoming: Incoming, text: str, private: bool, wants: Literal["directory"] | None = None) -> Answer:
        asker = AskerContext(user_id=incoming.user_id, unit_id=self.deps.people.unit_of(incoming.user_id),
                             channel_id=incoming.channel, private=private)
        answer = self.deps.engine.answer(Question(text=text, asker=asker, wants=wants))
        log.info("answered", extra={"fields": {"platform": "teams", "answer_id": answer.id, "kind": answer.kind,
                                               "private": private}})
        return answer

    # --- card actions ----------------------------------------------------------------------------

    def _card_action(self, incoming: Incoming, data: dict[str, Any], reply: bool) -> str:
        """Toon passage, 👍/👎, a correction or a reviewer's decision. Returns the short text for an invoke
        response."""
        action = data.get("schakel")
        if action in {ACTION_CORRECT, ACTION_REVIEW}:
            corrections = self.deps.corrections
            act = corrections.propose if action == ACTION_CORRECT else corrections.decide
            text = act(incoming, data)
            if reply:
                self._reply(incoming, text_activity(text))
            return text
        words = ui("en" if data.get("lang") == "en" else "nl")
        if action == ACTION_FEEDBACK and data.get("vote") in {"up", "down"} and data.get("answer"):
            # The data comes back from the client: keep it within the columns' sizes.
            self.deps.feedback.record(str(data["answer"])[:64], data["vote"], incoming.user_id,
                                      str(data.get("kind") or "")[:32] or None, platform="teams")
            if reply:
                self._reply(incoming, text_activity(words.feedback_thanks))
            return words.feedback_thanks
        if action == ACTION_PASSAGE and data.get("chunk"):
            asker = AskerContext(user_id=incoming.user_id, channel_id=incoming.channel, private=incoming.personal)
            source = self.deps.engine.passage(str(data["chunk"]), asker)
            if source is None:
                self._reply(incoming, text_activity(words.passage_unavailable))
                return words.passage_unavailable
            self._reply(incoming, card_activity(passage_card(source, words), f"{words.passage_title}: {source.title}"))
            return words.passage_title
        if reply:
            self._reply(incoming, text_activity(texts.UNKNOWN_ACTION))
        return texts.UNKNOWN_ACTION

    # --- conversation bookkeeping ----------------------------------------------------------------

    def _on_added(self, incoming: Incoming) -> None:
        """Keep the conversation reference when Schakel is added (needed for proactive prompts)."""
        self.deps.conversations.remember(incoming.reference())
        if incoming.personal and incoming.adds_bot():
            self.deps.connector.send(incoming.service_url, incoming.conversation_id,
                                     text_activity(texts.help_text("nl")))

    # --- posting ---------------------------------------------------------------------------------

    def _reply(self, incoming: Incoming, activity: MessageActivityInput) -> None:
        """Post in reply; a reply Teams does not take now (429, 5xx, unreachable) goes to the outbox."""
        try:
            self.deps.connector.reply(incoming.service_url, incoming.conversation_id, incoming.id, activity)
        except Exception as error:
            retry = as_retry(error)
            if retry is None:
                raise
            self.deps.replies.queue(PLATFORM, target_of(incoming.service_url, incoming.conversation_id, incoming.id),
                                    stored(activity), claim_keys(incoming), retry)

    def _reply_quietly(self, incoming: Incoming, activity: MessageActivityInput) -> None:
        try:
            self._reply(incoming, activity)
        except Exception as error:
            log.error("could not post the failure message: %s", type(error).__name__)
