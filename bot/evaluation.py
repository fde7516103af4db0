"""`schakel eval FILE`: answer a question set and score retrieval, expectations, refusals and latency.

Scoring rules (also in the README):
- A source *covers* a support passage when at least half of the passage's 20-character shingles
  occur in the source's text, both compared after lowercasing, folding accents and dropping
  everything but letters and digits (so line breaks, hyphenation and split ligatures don't matter).
- hit@k: one of the first k sources covers one of the item's support passages. MRR uses the
  rank of the first covering source (0 when none). Both are reported for items with support.
  A passage given only as `lines` [first, last] is read from `doc` in the corpus (`--corpus`).
- quote accuracy (items with support answered from the studies, kind `study`): one of the sentences the
  answer quotes lies in a support passage, that is the passage covers the sentence by the same rule. hit@k
  asks whether the right passage is cited; this asks whether its answering sentence is the one shown.
- expect accuracy (directory and counterpart items with `expect`): every group of alternatives
  has at least one alternative in the answer text or in the names and abbreviations of its units.
- not-found accuracy: share of `not_in_source` items answered with kind `not_found`.
  Wrongly refused: share of the other items answered with kind `not_found`.
- latency: `timing_ms` per answer, model already loaded.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import click
import numpy as np
from pydantic import BaseModel, Field

from bot.core.models import Answer, AskerContext, Question
from bot.core.text import fold
from bot.logging_setup import quiet_per_answer_logs
from bot.settings import Settings

SHINGLE = 20
COVER_SHARE = 0.5
REFUSAL_CATEGORY = "not_in_source"
EXPECT_CATEGORIES = ("directory", "counterpart")
# A study answer is its intro line, then quoted sentences each followed by its citation mark(s).
CITATION_MARKS = re.compile(r"(?:\s*\[\d+\])+\s*")
OVERALL = "overall (met support, zonder not_in_source)"


class Support(BaseModel):
    # A support passage is its text, or only its line range in `doc`: a question set kept in the
    # repository must not copy the studies' sentences, so its passages are read from the corpus.
    text: str = ""
    lines: list[int] = Field(default_factory=list)


class EvalItem(BaseModel):
    id: str
    question: str
    category: str
    doc: str | None = None
    support: list[Support] = Field(default_factory=list)
    expect: list[list[str]] = Field(default_factory=list)


class ItemResult(BaseModel):
    id: str
    category: str
    kind: str
    has_support: bool
    rank: int | None  # 1-based rank of the first covering source
    quotes_support: bool | None  # for a study answer: does it quote a sentence of a support passage?
    expect_ok: bool | None
    refused: bool
    timing_ms: float


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def covers(source_text: str, passage: str) -> bool:
    target = _letters(passage)
    if not target:
        return False
    if len(target) <= SHINGLE:
        return target in _letters(source_text)
    haystack = _letters(source_text)
    shingles = [target[i : i + SHINGLE] for i in range(0, len(target) - SHINGLE + 1, SHINGLE // 2)]
    return sum(shingle in haystack for shingle in shingles) / len(shingles) >= COVER_SHARE


def first_covering_rank(answer: Answer, item: EvalItem) -> int | None:
    sources = answer.sources or answer.related
    for rank, source in enumerate(sources, start=1):
        if any(covers(source.text, support.text) for support in item.support):
            return rank
    return None


def quoted_sentences(answer: Answer) -> list[str]:
    """The sentences an extractive study answer quotes: the text after its intro line, cut at the citation marks."""
    body = answer.answer.split("\n", 1)[-1]
    return [part for part in CITATION_MARKS.split(body) if len(_letters(part)) >= SHINGLE]


def quotes_support(answer: Answer, item: EvalItem) -> bool | None:
    if answer.kind != "study" or not item.support or item.category == REFUSAL_CATEGORY:
        return None
    return any(covers(support.text, sentence) for sentence in quoted_sentences(answer) for support in item.support)


def expectations_met(answer: Answer, groups: list[list[str]]) -> bool:
    haystack = fold(" ".join([answer.answer, *(f"{u.name} {u.abbreviation or ''}" for u in answer.units)]))
    return all(any(fold(alternative) in haystack for alternative in group) for group in groups)


def load_items(path: Path, corpus_dirs: list[Path] | None = None) -> list[EvalItem]:
    items = []
    documents: dict[Path, list[str]] = {}  # each document read once, however many passages point into it
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = EvalItem.model_validate_json(line)
        except ValueError as error:
            raise click.ClickException(f"{path}, regel {number}: geen geldige vraag ({error})") from None
        for support in item.support:
            if not support.text:
                support.text = _passage_by_lines(item, support, corpus_dirs or [], documents)
        items.append(item)
    return items


def _passage_by_lines(
    item: EvalItem, support: Support, corpus_dirs: list[Path], documents: dict[Path, list[str]]
) -> str:
    if not item.doc or len(support.lines) != 2:
        raise click.ClickException(
            f"{item.id}: een passage zonder tekst heeft 'doc' en 'lines': [eerste, laatste] nodig"
        )
    for directory in corpus_dirs:
        document = directory / item.doc
        if document.is_file():
            first, last = support.lines
            if document not in documents:
                documents[document] = document.read_text(encoding="utf-8").splitlines()
            lines = documents[document]
            if not 1 <= first <= last <= len(lines):
                raise click.ClickException(f"{item.id}: regels {first}-{last} vallen buiten {item.doc}")
            return "\n".join(lines[first - 1 : last])
    searched = ", ".join(str(d) for d in corpus_dirs) or "geen map"
    raise click.ClickException(f"{item.id}: {item.doc} niet gevonden in {searched}; geef de map met de studies op "
                               f"met --corpus (bijvoorbeeld --corpus ../shared/corpus)")


def score_item(item: EvalItem, answer: Answer) -> ItemResult:
    return ItemResult(
        id=item.id,
        category=item.category,
        kind=answer.kind,
        has_support=bool(item.support),
        rank=first_covering_rank(answer, item) if item.support else None,
        quotes_support=quotes_support(answer, item),
        expect_ok=expectations_met(answer, item.expect)
        if item.expect and item.category in EXPECT_CATEGORIES
        else None,
        refused=answer.kind == "not_found",
        timing_ms=answer.timing_ms,
    )


def summarise(results: list[ItemResult]) -> dict[str, dict[str, float | int | None]]:
    groups: dict[str, list[ItemResult]] = defaultdict(list)
    for result in results:
        groups[result.category].append(result)
        if result.category != REFUSAL_CATEGORY:
            groups[OVERALL].append(result)
    groups["alle vragen"] = list(results)
    return {name: _metrics(group) for name, group in groups.items()}


def _metrics(group: list[ItemResult]) -> dict[str, float | int | None]:
    with_support = [r for r in group if r.has_support and r.category != REFUSAL_CATEGORY]
    metrics: dict[str, float | int | None] = {"n": len(group)}
    if with_support:
        for k in (1, 3, 5):
            metrics[f"hit@{k}"] = _share(r.rank is not None and r.rank <= k for r in with_support)
        metrics["mrr"] = round(sum(1 / r.rank if r.rank else 0 for r in with_support) / len(with_support), 3)
    quotes = [r.quotes_support for r in group if r.quotes_support is not None]
    if quotes:
        metrics["quote_acc"] = _share(quotes)
    expects = [r.expect_ok for r in group if r.expect_ok is not None]
    if expects:
        metrics["expect_acc"] = _share(expects)
    refusals = [r for r in group if r.category == REFUSAL_CATEGORY]
    if refusals:
        metrics["not_found_acc"] = _share(r.refused for r in refusals)
    answerable = [r for r in group if r.category != REFUSAL_CATEGORY]
    if answerable:
        metrics["wrongly_refused"] = _share(r.refused for r in answerable)
    timings = [r.timing_ms for r in group]
    metrics["p50_ms"] = round(float(np.percentile(timings, 50)), 1)
    metrics["p95_ms"] = round(float(np.percentile(timings, 95)), 1)
    return metrics


def _share(flags: object) -> float:
    values = list(flags)  # type: ignore[call-overload]
    return round(sum(bool(v) for v in values) / len(values), 3) if values else 0.0


def run_eval(engine, items: list[EvalItem]) -> tuple[list[ItemResult], list[Answer]]:  # type: ignore[no-untyped-def]
    results, answers = [], []
    for item in items:
        answer = engine.answer(Question(text=item.question, asker=AskerContext(private=True)))
        answers.append(answer)
        results.append(score_item(item, answer))
    return results, answers


@click.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print het resultaat als JSON.")
@click.option("--details", is_flag=True, help="Toon per vraag rang, soort en verwachting.")
@click.option(
    "--corpus",
    "corpus_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Map met de documenten, voor passages die alleen als regelnummers gegeven zijn "
    "(standaard: de geïndexeerde mappen).",
)
@click.pass_obj
def eval_command(settings: Settings, file: Path, as_json: bool, details: bool, corpus_dirs: tuple[Path, ...]) -> None:
    """Meet de kwaliteit op een vragenset (formaat van dev.jsonl)."""
    from bot.console import load_engine

    quiet_per_answer_logs()
    items = load_items(file, list(corpus_dirs) or [p for p in settings.index_paths if p.is_dir()])
    engine = load_engine(settings)
    results, _ = run_eval(engine, items)
    summary = summarise(results)
    if as_json:
        payload = {"summary": summary}
        if details:
            payload["items"] = [result.model_dump() for result in results]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if details:
        for result in results:
            click.echo(
                f"{result.id:8} {result.category:15} kind={result.kind:11} rank={result.rank} "
                f"quote={result.quotes_support} expect={result.expect_ok} {result.timing_ms:.0f} ms"
            )
        click.echo("")
    columns = ["n", "hit@1", "hit@3", "hit@5", "mrr", "quote_acc", "expect_acc", "not_found_acc", "wrongly_refused",
               "p50_ms", "p95_ms"]
    click.echo(f"{'categorie':44}" + "".join(f"{c:>16}" for c in columns))
    for name, metrics in summary.items():
        row = "".join(f"{'' if metrics.get(c) is None else metrics.get(c):>16}" for c in columns)
        click.echo(f"{name:44}{row}")
