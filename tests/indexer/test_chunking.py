"""Chunks fit the model, end on sentence boundaries, follow sections and point at their lines."""

from __future__ import annotations

import re

from indexer.chunking import chunk_paragraphs, split_sentences
from indexer.cleaning import clean_lines
from indexer.embedding import Embedder
from tests.indexer.conftest import corpus_lines

BUDGET = 200


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def test_sentence_splitter_keeps_abbreviations_and_initials_together() -> None:
    text = "Prof. dr. J.J. Boonstra schrijft dit o.a. voor bijv. de overheid. Daarna volgt 1. Een lijst? Ja."
    sentences = [text[start:end] for start, end in split_sentences(text)]
    assert sentences == [
        "Prof. dr. J.J. Boonstra schrijft dit o.a. voor bijv. de overheid.",
        "Daarna volgt 1.",
        "Een lijst?",
        "Ja.",
    ]


def test_chunks_fit_the_model_and_end_on_sentence_boundaries(embedder: Embedder) -> None:
    lines = corpus_lines("003")[:2600]
    paragraphs = clean_lines(lines)
    drafts = chunk_paragraphs(paragraphs, embedder.count_tokens, BUDGET)
    assert len(drafts) > 50
    assert max(embedder.count_tokens([draft.text for draft in drafts])) <= BUDGET
    paragraph_ends = {_letters(paragraph.text)[-25:] for paragraph in paragraphs}
    sentences = [
        paragraph.text[start:end] for paragraph in paragraphs for start, end in split_sentences(paragraph.text)
    ]
    for draft in drafts:
        end = _letters(draft.text)[-25:]
        if draft.text.rstrip()[-1] in ".!?:;”’\")" or end in paragraph_ends:
            continue
        # Otherwise the chunk ends inside a sentence too long for any chunk (a table row run).
        holders = [sentence for sentence in sentences if end in _letters(sentence)]
        assert max(embedder.count_tokens(holders)) > BUDGET, draft.text[-80:]


def test_chunk_line_ranges_hold_their_first_and_last_sentence(embedder: Embedder) -> None:
    lines = corpus_lines("000")
    drafts = chunk_paragraphs(clean_lines(lines), embedder.count_tokens, BUDGET)
    for draft in drafts:
        window = _letters("".join(lines[draft.first_source : draft.last_source + 1]))
        first, last = draft.text.split("\n")[0], draft.text.split("\n")[-1]
        first_sentence = first[slice(*split_sentences(first)[0])]
        last_sentence = last[slice(*split_sentences(last)[-1])]
        assert _letters(first_sentence)[:40] in window
        assert _letters(last_sentence)[-40:] in window


def test_headings_start_chunks_and_name_their_section(embedder: Embedder) -> None:
    drafts = chunk_paragraphs(clean_lines(corpus_lines("003")[:2600]), embedder.count_tokens, BUDGET)
    steun = [draft for draft in drafts if (draft.section or "").startswith("5.3.2 Steun")]
    assert steun and steun[0].text.startswith("5.3.2 Steun")
    assert all(draft.first_source >= 2459 for draft in steun)  # the heading sits on 003 L2460
    chapter = next(draft for draft in drafts if draft.text.startswith("Hoofdstuk 1"))
    assert chapter.section == "1.1 Aanleiding"  # a chapter heading followed directly by its first paragraph


def test_a_short_last_sentence_is_repeated_in_the_next_chunk(embedder: Embedder) -> None:
    drafts = chunk_paragraphs(clean_lines(corpus_lines("003")[:1200]), embedder.count_tokens, BUDGET)
    overlaps = 0
    for before, after in zip(drafts, drafts[1:]):
        last = before.text.split("\n")[-1]
        last_sentence = last[slice(*split_sentences(last)[-1])]
        overlaps += after.text.startswith(last_sentence)
    assert overlaps >= 5


def test_an_over_long_sentence_is_cut_between_words(embedder: Embedder) -> None:
    endless = " ".join(["samenwerking tussen directies"] * 300)
    drafts = chunk_paragraphs(clean_lines([endless]), embedder.count_tokens, BUDGET)
    assert len(drafts) > 2
    assert max(embedder.count_tokens([draft.text for draft in drafts])) <= BUDGET
    assert " ".join(draft.text for draft in drafts) == endless
