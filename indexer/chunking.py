"""Cut cleaned paragraphs into sentence-aligned chunks that fit the embedding model.

A chunk never ends inside a sentence, except a single sentence longer than the
budget, which is cut between words. A new section heading always starts a new
chunk. When a chunk is full, its last sentence is repeated at the start of the
next one if it is short, so a fact that spans the boundary stays findable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from indexer.cleaning import Paragraph

TokenCounter = Callable[[Sequence[str]], list[int]]

# Words after which a period does not end a sentence (lowercase, without the period).
ABBREVIATIONS = frozenset(
    "bijv bv o.a e.d m.b.t t.b.v t.a.v i.v.m i.c.m c.q d.w.z z.g.a.n e.a al dr drs prof mr ir ing nr nrs art "
    "lid p pp blz vs ca resp jl z.j e.g i.e etc incl excl mln mld min max fig tab hfst par vgl zgn ong evt".split()
)
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")
NON_SPACE = re.compile(r"\S")
OVERLAP_SHARE = 4  # carry the last sentence over when it is at most 1/4 of the budget


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    start: int
    end: int
    text: str
    tokens: int
    heading: bool


@dataclass(frozen=True)
class ChunkDraft:
    text: str
    section: str | None
    first_source: int  # index of the input line where the chunk starts
    last_source: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`.

    Only the word before each candidate end is looked at, never the whole text since the sentence
    began: a long paragraph of periods that end nothing ("bijv. de …") used to make this quadratic."""
    spans: list[tuple[int, int]] = []
    start = 0
    first_word = _word_start(text, start)
    for match in SENTENCE_END.finditer(text):
        following = text[match.end() : match.end() + 1]
        if not following or not (following.isupper() or following.isdigit() or following in "“‘\"'(•-–"):
            continue
        word_end = match.start()
        while word_end > start and text[word_end - 1].isspace():
            word_end -= 1
        word_at = word_end
        while word_at > start and not text[word_at - 1].isspace():
            word_at -= 1
        last_word = text[word_at:word_end].lower()
        if last_word in ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", last_word):
            continue  # an abbreviation or an initial ("J.J. Boonstra")
        if word_at <= first_word and last_word.isdigit():
            continue  # a list number ("1. Wat verstaat …")
        spans.append((start, match.start() + len(match.group(0).rstrip())))
        start = match.end()
        first_word = _word_start(text, start)
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _word_start(text: str, position: int) -> int:
    found = NON_SPACE.search(text, position)
    return found.start() if found else len(text)


def _sentences(paragraphs: Sequence[Paragraph], count_tokens: TokenCounter, budget: int) -> list[Sentence]:
    spans = [
        (number, start, end)
        for number, paragraph in enumerate(paragraphs)
        for start, end in ([(0, len(paragraph.text))] if paragraph.heading else split_sentences(paragraph.text))
    ]
    texts = [paragraphs[number].text[start:end] for number, start, end in spans]
    counts = count_tokens(texts)
    sentences: list[Sentence] = []
    for (number, start, end), text, tokens in zip(spans, texts, counts):
        heading = paragraphs[number].heading
        if tokens <= budget:
            sentences.append(Sentence(number, start, end, text, tokens, heading))
        else:
            sentences.extend(_split_long(number, start, text, count_tokens, budget, heading))
    return sentences


def _split_long(
    number: int, start: int, text: str, count_tokens: TokenCounter, budget: int, heading: bool
) -> list[Sentence]:
    """Cut an over-long sentence (a table, a list without periods) between words."""
    words = [(match.start(), match.end()) for match in re.finditer(r"\S+", text)]
    counts = count_tokens([text[a:b] for a, b in words])  # WordPiece splits on whitespace: counts add up
    pieces: list[Sentence] = []
    first, used = 0, 0
    for index, tokens in enumerate(counts + [budget + 1]):
        if index == len(words) or (used + tokens > budget and index > first):
            a, b = words[first][0], words[index - 1][1]
            pieces.append(Sentence(number, start + a, start + b, text[a:b], used, heading))
            first, used = index, 0
        used += tokens
    return pieces


def chunk_paragraphs(
    paragraphs: Sequence[Paragraph], count_tokens: TokenCounter, max_tokens: int
) -> list[ChunkDraft]:
    sentences = _sentences(paragraphs, count_tokens, max_tokens)
    groups: list[list[Sentence]] = []
    current: list[Sentence] = []
    used = 0
    for sentence in sentences:
        has_body = any(not item.heading for item in current)
        if current and sentence.heading and has_body:
            groups.append(current)
            current, used = [], 0
        elif current and used + sentence.tokens > max_tokens:
            groups.append(current)
            carried = current[-1]
            keep = not carried.heading and carried.tokens * OVERLAP_SHARE <= max_tokens
            keep = keep and carried.tokens + sentence.tokens <= max_tokens and len(current) > 1
            current, used = ([carried], carried.tokens) if keep else ([], 0)
        current.append(sentence)
        used += sentence.tokens
    if current:
        groups.append(current)

    drafts: list[ChunkDraft] = []
    section: str | None = None
    heading_at = {index: paragraph.text for index, paragraph in enumerate(paragraphs) if paragraph.heading}
    next_heading = iter(sorted(heading_at))
    pending = next(next_heading, None)
    for group in groups:
        first, last = group[0], group[-1]
        # Leading headings ("Hoofdstuk 2", "2.1 …") name the section of the text that follows them.
        anchor = next((sentence for sentence in group if not sentence.heading), last)
        while pending is not None and pending <= anchor.paragraph:
            section = heading_at[pending]
            pending = next(next_heading, None)
        drafts.append(
            ChunkDraft(
                text=_join(group),
                section=section,
                first_source=paragraphs[first.paragraph].source_at(first.start),
                last_source=paragraphs[last.paragraph].source_at(max(last.start, last.end - 1)),
            )
        )
    return drafts


def _join(group: Sequence[Sentence]) -> str:
    parts: list[str] = []
    for previous, sentence in zip([None, *group], group):
        if previous is not None:
            parts.append(" " if previous.paragraph == sentence.paragraph else "\n")
        parts.append(sentence.text)
    return "".join(parts)
