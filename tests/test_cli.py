"""`schakel ask` and `schakel eval` as other tools and operators call them: real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.evaluation import covers
from bot.settings import Settings

CIO_QUESTION = "Welke directie houdt toezicht op projecten met een grote IT-, data- of cybercomponent?"
CONTRACT_KEYS = {"question", "answer", "kind", "units", "sources", "timing_ms"}


def schakel(settings: Settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(settings.data_dir), "INDEX_PATHS": ",".join(map(str, settings.index_paths))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, env=env, timeout=600,
        check=False,
    )


def test_ask_json_names_the_cio_and_cites_003(indexed_settings: Settings) -> None:
    result = schakel(indexed_settings, "ask", "--json", CIO_QUESTION)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    answer = json.loads(line)
    assert set(answer) == CONTRACT_KEYS
    assert answer["kind"] == "directory"
    assert answer["units"][0] == {"id": "cio", "name": "Chief Information Office", "abbreviation": "CIO"}
    assert answer["sources"][0]["doc"] == "003_1f213fa2d4c3e6b8.txt"
    assert set(answer["sources"][0]) == {"doc", "title", "location", "text", "score"}
    assert answer["timing_ms"] > 0


def test_ask_json_reads_one_question_per_line_from_stdin(indexed_settings: Settings) -> None:
    questions = "Wat doet DSK?\n\nHoeveel verdient een kolonel per maand?\n"
    result = schakel(indexed_settings, "ask", "--json", stdin=questions)
    answers = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [a["question"] for a in answers] == ["Wat doet DSK?", "Hoeveel verdient een kolonel per maand?"]
    assert answers[1]["kind"] == "not_found"
    assert all(len(a["sources"]) <= 5 for a in answers)


def test_ask_prints_a_readable_answer_with_numbered_sources(indexed_settings: Settings) -> None:
    result = schakel(indexed_settings, "ask", "Welke directie gaat over gegevensbescherming?")
    assert "Directie Bedrijfsvoering en Evaluatie (DBE)" in result.stdout
    assert "Bronnen:" in result.stdout and "[1] " in result.stdout


def test_eval_reports_per_category(indexed_settings: Settings, tmp_path: Path) -> None:
    items = [
        {"id": "t1", "question": "Welke directie gaat over gegevensbescherming?", "category": "directory",
         "support": [{"text": "gegevens-bescherming, in- koopmanagement en afstoten"}], "expect": [["DBE"]]},
        {"id": "t2", "question": "Hoeveel verdient een kolonel per maand?", "category": "not_in_source",
         "support": [], "expect": []},
    ]
    questions = tmp_path / "set.jsonl"
    questions.write_text("\n".join(json.dumps(item) for item in items), encoding="utf-8")
    result = schakel(indexed_settings, "eval", str(questions), "--json")
    summary = json.loads(result.stdout)["summary"]
    assert summary["directory"]["hit@1"] == 1.0
    assert summary["directory"]["expect_acc"] == 1.0
    assert summary["not_in_source"]["not_found_acc"] == 1.0


def test_eval_reads_a_passage_given_only_as_lines_from_the_corpus(indexed_settings: Settings, tmp_path: Path) -> None:
    # Question sets kept in the repository give passages as line ranges, never as the studies' sentences.
    item = {"id": "l1", "question": "Welke directie gaat over gegevensbescherming?", "category": "directory",
            "doc": "003_1f213fa2d4c3e6b8.txt", "support": [{"lines": [592, 592]}], "expect": [["DBE"]]}
    outside = {**item, "id": "l2", "support": [{"lines": [592, 999999]}]}
    questions, broken = tmp_path / "lines.jsonl", tmp_path / "outside.jsonl"
    questions.write_text(json.dumps(item), encoding="utf-8")
    broken.write_text(json.dumps(outside), encoding="utf-8")

    summary = json.loads(schakel(indexed_settings, "eval", str(questions), "--json").stdout)["summary"]
    assert summary["directory"]["hit@1"] == 1.0

    result = schakel(indexed_settings, "eval", str(broken))
    assert result.returncode != 0
    assert "l2: regels 592-999999 vallen buiten 003_1f213fa2d4c3e6b8.txt" in result.stderr
    assert "Traceback" not in result.stderr

    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(json.dumps({**item, "id": "l3", "doc": "999_elders.txt"}), encoding="utf-8")
    result = schakel(indexed_settings, "eval", str(unknown))
    assert result.returncode != 0
    assert "l3: 999_elders.txt niet gevonden" in result.stderr and "--corpus" in result.stderr


def test_eval_scores_whether_the_answer_quotes_the_supporting_sentence(
    indexed_settings: Settings, tmp_path: Path
) -> None:
    # The same answer, scored against the passage that defines the word and against one about something else.
    defined = {"id": "q1", "question": "Wat betekent 'coalitieoverschot'?", "category": "definition",
               "doc": "003_1f213fa2d4c3e6b8.txt", "support": [{"lines": [1141, 1145]}]}
    elsewhere = {**defined, "id": "q2", "category": "finding", "support": [{"lines": [592, 592]}]}
    questions = tmp_path / "quotes.jsonl"
    questions.write_text("\n".join(json.dumps(item) for item in (defined, elsewhere)), encoding="utf-8")

    summary = json.loads(schakel(indexed_settings, "eval", str(questions), "--json").stdout)["summary"]
    assert summary["definition"]["quote_acc"] == 1.0
    assert summary["finding"]["quote_acc"] == 0.0
    assert summary["alle vragen"]["quote_acc"] == 0.5


def test_eval_names_the_line_of_a_broken_question_file(indexed_settings: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "question": "x", "category": "study"}\n{niet json\n', encoding="utf-8")
    result = schakel(indexed_settings, "eval", str(broken))
    assert result.returncode != 0
    assert "regel 2" in result.stderr and "Traceback" not in result.stderr


def test_cover_rule_ignores_line_breaks_hyphens_and_split_ligatures() -> None:
    source = "De DBE is verantwoordelijk voor gegevensbescherming en flexibele inkoop."
    assert covers(source, "verantwoordelijk voor gegevens-\nbescherming en f lexibele in- koop")
    assert not covers(source, "De CIO houdt toezicht op projecten met een grote IT-component.")
