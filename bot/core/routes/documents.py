"""Who wrote which study, where and when: from knowledge/sources.yaml, cited where the study says it."""

from __future__ import annotations

import math
import re

from bot.core import phrases
from bot.core.citations import doc_id
from bot.core.models import Answer
from bot.core.retrieval import Hit
from bot.core.routes import AnswerTools, Ask
from bot.core.text import content_terms, fold
from bot.knowledge.schema import DocumentInfo

# A question describes one study when its words and best passages point there clearly enough: one
# word only that study uses (log 5 = 1.6) or all top passages (1.0) plus a shared word.
DESCRIBED_MIN_SCORE = 1.5
DESCRIBED_TOP_HITS = 3


def answer(tools: AnswerTools, ask: Ask) -> Answer | None:
    documents = tools.knowledge.documents
    if not documents:
        return None
    query, language = ask.query, ask.query.language
    folded = fold(query.text)
    named = [info for info in documents.values() if _names_document(folded, info)] or _described(
        query.text, ask.hits, documents)
    # Without a clear pointer, list every study, the one the question's words point at first.
    order = list(dict.fromkeys([*(doc_id(hit.chunk.doc) for hit in ask.hits), *sorted(documents)]))
    chosen = named or [documents[doc] for doc in order if doc in documents]
    citations = ask.citations(tools)
    lines = [] if named else [phrases.text("which_study", language, count=len(documents))]
    for info in chosen:
        marker = citations.cite(info.author_source or info.source)
        author = info.author or phrases.text("not_stated", language)
        year = str(info.year) if info.year else phrases.text("not_stated", language)
        lines.append(phrases.text("document_line", language, title=info.title, author=author, year=year,
                                  publication=info.publication or "-") + marker)
    citations.fill(ask.hits)
    return Answer(question=query.question, answer="\n".join(lines), kind="study", language=language,
                  sources=citations.sources)


def _described(question: str, hits: list[Hit], documents: dict[str, DocumentInfo]) -> list[DocumentInfo]:
    """The one study the question describes: the words it shares with a study's title, summary and keywords,
    weighted by how few studies use them, plus the share of the best passages that come from it."""
    terms = set(content_terms(question))
    vocabularies = {doc: set(content_terms(" ".join([info.title, info.summary, *info.keywords])))
                    for doc, info in documents.items()}
    top = [doc_id(hit.chunk.doc) for hit in hits[:DESCRIBED_TOP_HITS]]
    scores = []
    for doc, vocabulary in vocabularies.items():
        shared = terms & vocabulary
        rarity = sum(math.log(len(documents) / sum(term in other for other in vocabularies.values()))
                     for term in shared)
        scores.append((rarity + top.count(doc) / DESCRIBED_TOP_HITS, doc))
    scores.sort(reverse=True)
    if scores[0][0] >= DESCRIBED_MIN_SCORE and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return [documents[scores[0][1]]]
    return []


def _names_document(folded: str, info: DocumentInfo) -> bool:
    surname = (info.author or "").split("(")[0].split()
    names = [info.doc, fold(info.short_title.split(",")[0])] + ([fold(surname[-1])] if surname else [])
    return any(re.search(rf"\b{re.escape(name)}\b", folded) for name in names if len(name) > 2)
