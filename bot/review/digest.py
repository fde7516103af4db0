"""The monthly digest for the integrator: what was asked, how much was not found, 👍/👎, the pending
corrections and the topics asked about but not found. Posted once per month in DIGEST_SLACK_CHANNEL,
after the month ends, on the reflection scheduler's tick and with its sent-log (exactly once, whichever
replica ticks first)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from slack_sdk import WebClient
from sqlalchemy import Engine, func, select

from bot.core import phrases
from bot.core.citations import display_name
from bot.knowledge.loader import KnowledgeBase
from bot.reflection import sentlog
from bot.settings import Settings
from bot.slack.formatting import safe_mrkdwn
from bot.state.corrections import CorrectionStore
from bot.state.feedback import feedback
from bot.state.questions import QuestionLog

log = logging.getLogger(__name__)

MONTHS = ("januari februari maart april mei juni juli augustus september oktober november december").split()
KIND_LABELS = {"directory": "wie-is-wie", "counterpart": "counterparts", "study": "studies",
               "not_found": "niet gevonden"}
TOP_TERMS = 10


def last_month(today: dt.date) -> tuple[dt.datetime, dt.datetime, str]:
    """(start, end, "YYYY-MM") of the month before `today`, in UTC."""
    end = dt.datetime(today.year, today.month, 1, tzinfo=dt.timezone.utc)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    return start, end, f"{start.year}-{start.month:02d}"


def digest_text(knowledge: KnowledgeBase, questions: QuestionLog, corrections: CorrectionStore, db: Engine,
                start: dt.datetime, end: dt.datetime) -> str:
    asked = questions.between(start, end)
    kinds = Counter(item.kind for item in asked)
    with db.connect() as connection:
        votes = dict(connection.execute(select(feedback.c.vote, func.count()).where(
            feedback.c.created_at >= start, feedback.c.created_at < end).group_by(feedback.c.vote)).all())
    pending = corrections.with_status("pending")
    terms = Counter(term for item in asked if item.kind == "not_found" for term in item.terms)
    lines = [f"*Maandoverzicht Schakel, {MONTHS[start.month - 1]} {start.year}*"]
    by_kind = ", ".join(f"{KIND_LABELS.get(kind, kind)} {count}" for kind, count in kinds.most_common())
    lines.append(f"Vragen: {len(asked)}" + (f" ({by_kind})" if by_kind else ""))
    share = round(100 * kinds["not_found"] / len(asked)) if asked else 0
    lines.append(f"Beantwoord met “niet gevonden”: {share}%")
    lines.append(f"👍 {votes.get('up', 0)} · 👎 {votes.get('down', 0)}")
    lines.append(f"Openstaande meldingen: {len(pending)}")
    for correction in pending[:10]:
        unit = knowledge.unit(correction.unit_id)
        lines.append(f"• melding {correction.id}: {display_name(unit) if unit else correction.unit_id}, "
                     f"{phrases.overlay_field_label(correction.field, 'nl')}")
    if terms:
        top = ", ".join(f"{term} ({count})" for term, count in terms.most_common(TOP_TERMS))
        lines.append(f"Gevraagd maar niet gevonden, over: {top}")
    return "\n".join(lines)


def run_digest(settings: Settings, db: Engine, knowledge: KnowledgeBase, client: WebClient,
               now: dt.datetime) -> str:
    """Send last month's digest unless it was sent; returns what happened ("sent", "already-sent", ...)."""
    channel = settings.digest_slack_channel
    if not channel:
        return "off"
    start, end, month = last_month(now.date())
    period = f"digest-{month}"
    held = sentlog.claim(db, channel, period, "digest", f"maandoverzicht {month}", now)
    if held is None:
        return "already-sent"
    try:
        text = digest_text(knowledge, QuestionLog(settings, db, knowledge), CorrectionStore(db), db, start, end)
        response = client.chat_postMessage(channel=channel, text=safe_mrkdwn(text), unfurl_links=False)
    except Exception as error:
        sentlog.release(db, held)  # the next tick tries again
        log.warning("digest not sent: %s", type(error).__name__, extra={"fields": {"period": period}})
        return "failed"
    sentlog.confirm(db, held, str(response.get("ts") or ""), now)
    log.info("digest sent", extra={"fields": {"period": period}})
    return "sent"
