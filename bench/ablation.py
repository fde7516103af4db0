"""The rules of the directory and counterpart answers, each measured out-of-fold with it and without it.

    .venv/bin/python bench/ablation.py [--folds 5] [--markdown]

One cross-validation run (`schakel fit`'s folds and stage fits) gives each fold its constants; then every rule is
switched off in turn (its pattern made to match nothing, or its function to find nothing) and each fold's
questions are answered again with that fold's constants. The constants are not refitted per rule: none of them
is a parameter of these rules. A rule pays when switching it off loses answers across the question sets. On 2026-12-02 eleven rules lost
nothing when switched off (or gained) and were deleted; the README keeps their row.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.engine import AnswerEngine  # noqa: E402
from bot.core.routes import counterpart, directory, units  # noqa: E402
from bot.core.tuning import Tuning  # noqa: E402
from bot.evaluation import ItemResult, load_items, score_item  # noqa: E402
from bot.fit import ASKER, DEFAULT_SETS, Fitter, assign_folds  # noqa: E402
from bot.settings import Settings  # noqa: E402

NEVER = re.compile(r"(?!)")


def pattern_off(module: object, name: str) -> Callable[[], mock._patch]:  # type: ignore[type-arg]
    return lambda: mock.patch.object(module, name, NEVER)


def function_off(module: object, name: str, returns: object) -> Callable[[], mock._patch]:  # type: ignore[type-arg]
    return lambda: mock.patch.object(module, name, lambda *args, **kwargs: returns)


# (rule, where, what it does, how to switch it off)
RULES: list[tuple[str, str, str, list[Callable[[], mock._patch]]]] = [  # type: ignore[type-arg]
    ("kind listing", "directory.KIND_WORDS", "'welke directies zijn integrerend' lists units of that kind",
     [lambda: mock.patch.object(directory, "KIND_WORDS", {})]),
    ("parts listing", "directory.ASKS_ABOUT_PARTS", "'uit welke onderdelen bestaat X' lists its parts",
     [pattern_off(directory, "ASKS_ABOUT_PARTS")]),
    ("companies only", "directory.COMPANIES",
     "'welke bedrijven' lists only the companies among the parts, or says the sources name none",
     [pattern_off(directory, "COMPANIES")]),
    ("part of a named whole", "directory.WHICH_UNIT, OTHER_UNIT",
     "'wie binnen het DGB doet X' answers with the part of the DGB that does X",
     [pattern_off(directory, "WHICH_UNIT"), pattern_off(directory, "OTHER_UNIT")]),
    ("person asked", "units.PERSON_QUESTION", "'wie leidt X', 'graag een naam': the people recorded, or none",
     [pattern_off(units, "PERSON_QUESTION")]),
    ("contact details", "units.CONTACT_DETAILS", "phone numbers and e-mail addresses are never given: not found",
     [pattern_off(units, "CONTACT_DETAILS"), pattern_off(counterpart, "CONTACT_DETAILS")]),
    ("unknown words", "units.unknown_terms", "a named unit asked about words its entry lacks: not found",
     [function_off(units, "unknown_terms", {})]),
    ("asker's unit", "counterpart.ASKER_UNIT", "'ik zit bij DIA' makes DIA the asker's unit",
     [pattern_off(counterpart, "ASKER_UNIT")]),
    ("consulting words", "counterpart.CONSULTING", "'met wie overleg ik over X': X is the topic",
     [pattern_off(counterpart, "CONSULTING")]),
    ("domain owner", "counterpart._domain_owner", "another directorate whose own task is the topic leads",
     [function_off(counterpart, "_domain_owner", None)]),
    ("asking sentence", "text.asking_sentence", "'Ik zit bij de landmacht. Welke bedrijven deden mee aan het LMI?' is "
     "about the LMI", [lambda: mock.patch.object(directory, "asking_sentence", lambda text: text),
                       lambda: mock.patch.object(units, "asking_sentence", lambda text: text)]),
    ("organisation frames", "directory.organisation_frames",
     "'wie is binnen Defensie proceseigenaar van X' answers with the part of Defensie that is",
     [function_off(directory, "organisation_frames", False)]),
    ("two questions", "directory.SECOND_QUESTION", "'wie bepaalt X, en wie beslist Y?' gets a unit each",
     [pattern_off(directory, "SECOND_QUESTION")]),
    ("topic's unit leads", "counterpart.topic_unit", "without the asker's unit, the unit whose entry is the topic "
     "leads", [function_off(counterpart, "topic_unit", None)]),
    ("parties in passages", "counterpart._parties_in_passages", "the units the best passages name are suggested",
     [function_off(counterpart, "_parties_in_passages", [])]),
    ("asked fact missing", "units.lacks_asked_fact", "a sum, share, number, date or today's state the units' "
     "entries do not give: the study route decides", [function_off(directory, "lacks_asked_fact", False),
                                       function_off(counterpart, "lacks_asked_fact", False)]),
]


@contextmanager
def switched_off(patches: list[Callable[[], mock._patch]]) -> Iterator[None]:  # type: ignore[type-arg]
    with ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch())
        yield


def answer_all(fitter: Fitter, fold_of: dict[str, int], engines: list[AnswerEngine]) -> dict[str, ItemResult]:
    return {trace.id: score_item(fitter.items[trace.id], engines[fold_of[trace.id]].answer_query(trace.query, ASKER))
            for trace in fitter.traces}


def item_value(result: ItemResult) -> float:
    """One number per answer: its expectation met, its passage's reciprocal rank, an honest refusal."""
    value = 0.0
    if result.expect_ok is not None:
        value += float(result.expect_ok)
    if result.rank is not None:
        value += 1.0 / result.rank if result.rank <= 5 else 0.0
    if result.category == "not_in_source":
        value += float(result.refused)
    elif result.refused:
        value -= 1.0
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--markdown", action="store_true")
    arguments = parser.parse_args()
    settings = Settings()
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    labelled = [(path.stem, item) for path in DEFAULT_SETS for item in load_items(path, [corpus])]
    fitter = Fitter(AnswerEngine.from_settings(settings).with_tuning(Tuning()), labelled)
    fold_of = assign_folds(fitter.traces, arguments.folds)
    engines = [fitter.fold_engine([t for t in fitter.traces if fold_of[t.id] != fold])[1]
               for fold in range(arguments.folds)]
    baseline = answer_all(fitter, fold_of, engines)
    rows = []
    for name, where, what, patches in RULES:
        with switched_off(patches):
            without = answer_all(fitter, fold_of, engines)
        changed = {key: item_value(without[key]) - item_value(baseline[key]) for key in baseline}
        worse = {key for key, delta in changed.items() if delta < 0}
        better = {key for key, delta in changed.items() if delta > 0}
        sets_worse = sorted({key.split("/")[0] for key in worse})
        rows.append((name, where, what, len(worse), len(better), sum(changed.values()), sets_worse))
    for name, where, what, worse, better, delta, sets_worse in rows:
        if arguments.markdown:
            print(f"| {name} | `{where}` | {what} | {worse} | {better} | {-delta:+.2f} | {', '.join(sets_worse)} |")
        else:
            print(f"{name:24} worse {worse:3} better {better:3} value lost {-delta:+6.2f}  sets {sets_worse}")


if __name__ == "__main__":
    main()
