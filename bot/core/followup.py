"""Follow-up questions in a thread: "En inkoop?" or "Wie leidt die directie?" continue the question before.

A short question is only read together with the thread when it points back: it starts with a
continuation ("en", "maar", "what about"), refers to something said before ("die directie",
"daarvoor", "hun"), or has no topic of its own ("Wie is de directeur?"). "Wat doet DSK?" or
"Hoeveel geld kreeg het LMI?" are new questions, however short.
"""

from __future__ import annotations

import re

from bot.core.text import content_terms, fold

FOLLOW_UP_MAX_TERMS = 4
MAX_CONTEXT_QUESTIONS = 3

CONTINUATION = re.compile(r"^\W*(en|of|maar|ook|dus|and|or|but|also|what about|how about|hoe zit het met)\b")
REFERS_BACK = re.compile(
    r"\b(die|deze|dat|dit|those|these|that|this) (directie|directies|directeur|eenheid|afdeling|dienst|onderdeel"
    r"|organisatie|studie|onderzoek|artikel|scriptie|persoon|partij|partijen|project|samenwerking|directorate"
    r"|unit|study|article|organisation|organization)\b"
    r"|\b(daar|hier)(van|over|voor|bij|in|mee|aan|op|door|uit|naar|om)\b"
    # Not "it": folded, it cannot be told from "IT".
    r"|\b(hun|hen|hem|zij|ze|they|them|their)\b"
    r"|\b(dat|dit|that|this|die|deze)\W*$"
)
# Words that ask about a unit without naming a topic: "Wie is de directeur?", "Wat is hun rol?".
TOPICLESS_WORDS = frozenset(
    content_terms(
        "directeur commandant hoofd leider leiding taak taken rol doel doelen contact contactpersoon telefoonnummer "
        "mailadres email bron bronnen voorbeeld voorbeelden verantwoordelijk director commander head leader role "
        "task tasks goal contact source sources example"
    )
)


# What content_terms keeps of "what about HDP?" besides the name; Dutch framing ("En hoe zit het met DSK?")
# is stopwords already.
CONTINUATION_TERMS = frozenset(content_terms("what about how about"))
# A capitalised word after the first one names something: "Wie gaat over IT?", "Wat zegt Boonstra?".
NAME = re.compile(r"(?<=\s)[A-Z][\w&-]*")


def refers_back(text: str) -> bool:
    """Whether a short question continues the one before it instead of asking something new."""
    terms = content_terms(text)
    if len(terms) > FOLLOW_UP_MAX_TERMS:
        return False
    folded = fold(text).strip()
    if CONTINUATION.search(folded) or REFERS_BACK.search(folded):
        return True
    return set(terms) <= TOPICLESS_WORDS and not NAME.search(text)


def in_context(text: str, history: list[str]) -> str:
    """The question with the thread's earlier question(s) it continues in front of it, or the question alone.

    When the previous message was itself a follow-up, the question it continued comes along too.
    """
    if not history or not refers_back(text):
        return text
    context: list[str] = []
    for earlier in reversed(history[-MAX_CONTEXT_QUESTIONS:]):
        context.insert(0, earlier)
        if not refers_back(earlier):
            break
    return " ".join([*context, text])


def says_only(question: str, names: list[str]) -> bool:
    """Whether a follow-up says nothing beyond these names ("En DSK?", "What about HDP?")."""
    named = {term for name in names for term in content_terms(name)}
    return set(content_terms(question)) <= named | CONTINUATION_TERMS
