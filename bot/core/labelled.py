"""Our labelled questions (`questions/*.jsonl`, the form `schakel eval` reads), as the engine learns from them at
run time: the not-found decision's prior learns how questions the sources answer differ from questions they don't.
`schakel fit` measures on the same sets, each fold learning from the other folds only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# The categories of a question the studies answer; `not_in_source`: one they don't.
STUDY_CATEGORIES = frozenset({"finding", "definition", "figure", "method", "recommendation", "legal"})
REFUSAL_CATEGORY = "not_in_source"


@dataclass(frozen=True)
class LabelledQuestion:
    text: str
    category: str


def load_labelled(folder: Path) -> list[LabelledQuestion]:
    """The questions of every set in `folder`, in file order (no folder: none)."""
    questions = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                questions.append(LabelledQuestion(item["question"], item["category"]))
    return questions
