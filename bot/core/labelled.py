"""Our labelled questions (`questions/*.jsonl`, the form `schakel eval` reads), as the engine learns from them at
run time:
- the not-found decision's prior learns how questions the sources answer differ from questions they don't;
- the passage memory learns which passages answered which questions (`memory.py`).
`schakel fit` measures on the same sets, each fold learning from the other folds only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.core.text import fold
from bot.knowledge.schema import Unit

# The categories of a question the studies answer; `not_in_source`: one they don't.
STUDY_CATEGORIES = frozenset({"finding", "definition", "figure", "method", "recommendation", "legal"})
REFUSAL_CATEGORY = "not_in_source"

LineRange = tuple[int, int]
# An expected name shorter than this must be a unit's whole label: "DV" must not match inside "DVD".
MIN_PARTIAL_NAME = 4


@dataclass(frozen=True)
class LabelledQuestion:
    text: str
    category: str
    doc: str | None = None  # the file its support passages are in
    support: tuple[LineRange, ...] = ()  # first and last line of each support passage given by its lines
    expect: tuple[tuple[str, ...], ...] = ()  # directory and counterpart: the names an answer must give


def labelled_from(item: dict) -> LabelledQuestion:
    """One question of a set, as the engine learns from it (a passage given as text has no place in the index)."""
    support = tuple((int(passage["lines"][0]), int(passage["lines"][-1]))
                    for passage in item.get("support", []) if passage.get("lines"))
    expect = tuple(tuple(group) for group in item.get("expect", []))
    return LabelledQuestion(item["question"], item["category"], item.get("doc"), support, expect)


def load_labelled(folder: Path) -> list[LabelledQuestion]:
    """The questions of every set in `folder`, in file order (no folder: none)."""
    questions = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(labelled_from(json.loads(line)))
    return questions


def expected_unit_ids(units: Sequence[Unit], expect: Sequence[Sequence[str]]) -> frozenset[str]:
    """The units whose names or abbreviations are among the answers a question expects."""
    wanted = [fold(alternative) for group in expect for alternative in group]
    return frozenset(unit.id for unit in units
                     if any(fold(label) == alternative or (len(alternative) >= MIN_PARTIAL_NAME
                                                           and alternative in fold(label))
                            for label in unit.labels() for alternative in wanted))
