"""The shipped catalogue is complete, sourced and in our own words; a broken one says where it breaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeError
from bot.reflection.catalogue import MIN_PROMPTS, REQUIRED_GROUPS, load_catalogue
from bot.settings import SHIPPED_PROMPTS
from tests.conftest import CORPUS

COPY_WINDOW = 6  # this many consecutive words shared with a study counts as copied


def _words(text: str) -> list[str]:
    # Undo the PDF dump's line-break hyphenation before comparing.
    return re.findall(r"[a-zà-ÿ0-9]+", re.sub(r"-\s*\n\s*", "", text.lower()))


def _corpus_file(doc: str) -> Path:
    return next(CORPUS.glob(f"{doc}_*.txt"))


def test_shipped_catalogue_covers_every_group_with_enough_questions() -> None:
    catalogue = load_catalogue(SHIPPED_PROMPTS)
    assert len(catalogue.prompts) >= MIN_PROMPTS
    assert {prompt.group for prompt in catalogue.prompts} == set(REQUIRED_GROUPS)
    assert {"pps", "interdepartementaal", "dgb", "politie-defensie"} <= set(catalogue.themes)
    for theme in catalogue.themes:
        assert len(catalogue.for_themes([theme])) >= 5, theme


def test_every_source_range_lies_inside_its_study() -> None:
    for prompt in load_catalogue(SHIPPED_PROMPTS).prompts:
        lines = _corpus_file(prompt.source.doc).read_text(encoding="utf-8").splitlines()
        start, end = prompt.source.lines
        cited = " ".join(lines[start - 1 : end])
        assert end <= len(lines) and cited.strip(), prompt.id


def test_questions_are_ours_not_copied_from_the_studies() -> None:
    corpus_words = " ".join(" ".join(_words(path.read_text(encoding="utf-8"))) for path in CORPUS.glob("*.txt"))
    for prompt in load_catalogue(SHIPPED_PROMPTS).prompts:
        words = _words(prompt.text)
        for i in range(len(words) - COPY_WINDOW + 1):
            run = " ".join(words[i : i + COPY_WINDOW])
            assert f" {run} " not in f" {corpus_words} ", f"{prompt.id} copies: {run!r}"


def _broken(tmp_path: Path, text: str) -> KnowledgeError:
    (tmp_path / "reflection.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_catalogue(tmp_path)
    return caught.value


def test_a_prompt_without_source_is_reported_with_file_and_line(tmp_path: Path) -> None:
    shipped = (SHIPPED_PROMPTS / "reflection.yaml").read_text(encoding="utf-8")
    broken = shipped.replace('    source: {doc: "003", lines: [1055, 1057]}\n', "", 1)
    error = _broken(tmp_path, broken)
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "id: steun-betrokken" in text)
    assert error.path == tmp_path / "reflection.yaml"
    assert error.line == line
    assert "source" in str(error) and "reflection.yaml, regel" in str(error)


def test_unknown_document_duplicate_id_and_bad_yaml_are_named(tmp_path: Path) -> None:
    shipped = (SHIPPED_PROMPTS / "reflection.yaml").read_text(encoding="utf-8")
    assert "onbekend document '009'" in str(_broken(tmp_path, shipped.replace('doc: "004"', 'doc: "009"', 1)))
    duplicate = shipped.replace("id: lmi-geven", "id: lmi-netwerken")
    assert "'lmi-netwerken' komt twee keer voor" in str(_broken(tmp_path, duplicate))
    assert "ongeldige YAML" in str(_broken(tmp_path, "prompts:\n  - id: [unclosed\n"))


def test_a_missing_catalogue_is_named(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="reflection.yaml: bestand ontbreekt"):
        load_catalogue(tmp_path)
