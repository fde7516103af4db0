"""Question → engine → Slack: the flow behind mentions, DMs, follow-ups, /wieiswie and the shortcut.

Listeners ack first and call these functions afterwards (Bolt lazy listeners). Every path ends
in a visible reply: the answer, a helpful note about the input, or a short failure message.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.models import Answer, AskerContext, Language, Question
from bot.slack.blocks import Block, answer_message, notice
from bot.slack.delivery import PLATFORM, as_retry
from bot.slack.deps import SlackDeps
from bot.slack.formatting import has_words, question_text
from bot.slack.texts import guess_language, ui

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 4000  # a question, not a document; Slack allows 40,000
THREAD_HISTORY_MESSAGES = 10
THREAD_HISTORY_CHARS = 1000
WORKING_REACTION = "eyes"


@dataclass(frozen=True)
class Where:
    """Where a question was asked and where its answer goes."""

    channel_id: str
    user_id: str
    private: bool  # a DM: restricted documents may be shown
    message_ts: str | None = None  # the question's own message, for the 👀 reaction
    thread_ts: str | None = None  # reply in this thread (None: top level)
    claim_keys: tuple[str, ...] = ()  # released when the answer cannot be posted at all


Poster = Callable[[str, list[Block]], None]


def is_dm(channel_id: str | None, channel_type: str | None = None) -> bool:
    return channel_type == "im" or bool(channel_id and channel_id.startswith("D"))


def check_input(deps: SlackDeps, raw: str, bot_user_id: str | None, user_id: str) -> tuple[str | None, str | None]:
    """(question, None) when the input is answerable, else (None, a helpful reply)."""
    language = guess_language(raw)
    if len(raw) > MAX_QUESTION_CHARS:
        return None, ui(language).too_long.format(length=f"{len(raw):,}".replace(",", "."), limit=MAX_QUESTION_CHARS)
    question = question_text(raw, bot_user_id)
    if not has_words(question):
        return None, ui(language).empty
    if not deps.rate_limiter.allow(user_id):
        return None, ui(language).rate_limited
    return question, None


def answer_message_event(deps: SlackDeps, client: WebClient, where: Where, raw_text: str,
                         bot_user_id: str | None) -> None:
    """Answer a posted message (mention, DM or follow-up) in its thread or DM.

    An answer Slack does not take at once (429, 5xx, Slack unreachable) is kept in the outbox and posted
    later, honouring Retry-After, instead of being replaced by a failure notice.
    """

    def post(text: str, blocks: list[Block]) -> None:
        client.chat_postMessage(channel=where.channel_id, thread_ts=where.thread_ts, text=text, blocks=blocks,
                                unfurl_links=False, unfurl_media=False)

    question, problem = check_input(deps, raw_text, bot_user_id, where.user_id)
    if problem:
        post(*notice(problem))
        return
    assert question is not None
    reacted = _add_reaction(client, where)
    try:
        in_thread = where.thread_ts is not None and where.thread_ts != where.message_ts
        history = thread_history(client, where, bot_user_id) if in_thread else []
        text, blocks = answer_message(_ask(deps, question, where, history))
        message = {"text": text, "blocks": blocks, "unfurl_links": False, "unfurl_media": False}
        try:
            deps.answer_client.chat_postMessage(channel=where.channel_id, thread_ts=where.thread_ts, **message)
        except Exception as error:
            retry = as_retry(error)
            if retry is None:
                raise
            deps.replies.queue(PLATFORM, {"channel": where.channel_id, "thread_ts": where.thread_ts}, message,
                               list(where.claim_keys), retry)
        if where.thread_ts:
            deps.threads.remember(where.channel_id, where.thread_ts)
    except Exception as error:
        _log_failure(error, where)
        _post_failure(post, guess_language(question))
    finally:
        if reacted:
            _remove_reaction(client, where)


def answer_ephemeral(deps: SlackDeps, respond: Callable[..., Any], where: Where, raw_text: str,
                     bot_user_id: str | None, empty_text: str | None = None,
                     wants: Literal["directory"] | None = None) -> None:
    """Answer only the asker sees (/wieiswie, the shortcut), restating the question."""

    def post(text: str, blocks: list[Block]) -> None:
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    question, problem = check_input(deps, raw_text, bot_user_id, where.user_id)
    if problem:
        if empty_text and not has_words(question_text(raw_text, bot_user_id)):
            problem = empty_text
        post(*notice(problem))
        return
    assert question is not None
    try:
        answer = _ask(deps, question, where, [], wants)
        post(*answer_message(answer, restate_question=True))
    except Exception as error:
        _log_failure(error, where)
        _post_failure(post, guess_language(question))


def thread_history(client: WebClient, where: Where, bot_user_id: str | None) -> list[str]:
    """Earlier questions in the thread, oldest first, as plain text (the current one excluded)."""
    try:
        replies = client.conversations_replies(channel=where.channel_id, ts=where.thread_ts, limit=50)
    except SlackApiError as error:
        log.warning("thread history unavailable: %s", error.response.get("error"))
        return []
    # The engine reads the history as the thread's earlier questions: Schakel's own answers stay out.
    earlier = [m for m in replies.get("messages", [])
               if m.get("ts") != where.message_ts and not m.get("bot_id") and m.get("user") != bot_user_id]
    texts = [question_text(m.get("text", ""), bot_user_id)[:THREAD_HISTORY_CHARS] for m in earlier]
    return [text for text in texts if text][-THREAD_HISTORY_MESSAGES:]


def _ask(deps: SlackDeps, question: str, where: Where, history: list[str],
         wants: Literal["directory"] | None = None) -> Answer:
    asker = AskerContext(
        user_id=where.user_id,
        unit_id=deps.people.unit_of(where.user_id),
        channel_id=where.channel_id,
        private=where.private,
        thread_history=history,
    )
    started = time.perf_counter()
    answer = deps.engine.answer(Question(text=question, asker=asker, wants=wants))
    log.info("answered", extra={"fields": {"answer_id": answer.id, "kind": answer.kind, "private": where.private,
                                           "ms": round((time.perf_counter() - started) * 1000)}})
    return answer


def _log_failure(error: Exception, where: Where) -> None:
    # Exception messages can echo what was sent: the traceback only when debugging.
    log.error("answering failed: %s", type(error).__name__, exc_info=log.isEnabledFor(logging.DEBUG),
              extra={"fields": {"channel": where.channel_id, "error": type(error).__name__}})


def _post_failure(post: Poster, language: Language) -> None:
    try:
        post(*notice(ui(language).failure))
    except Exception:
        log.exception("could not post the failure message")


def _add_reaction(client: WebClient, where: Where) -> bool:
    if not where.message_ts:
        return False
    try:
        client.reactions_add(channel=where.channel_id, timestamp=where.message_ts, name=WORKING_REACTION)
        return True
    except SlackApiError as error:
        # Not fatal: the answer matters more than the hint that Schakel is working on it.
        log.warning("could not add the working reaction: %s", error.response.get("error"))
        return False


def _remove_reaction(client: WebClient, where: Where) -> None:
    try:
        client.reactions_remove(channel=where.channel_id, timestamp=where.message_ts, name=WORKING_REACTION)
    except SlackApiError as error:
        log.warning("could not remove the working reaction: %s", error.response.get("error"))
