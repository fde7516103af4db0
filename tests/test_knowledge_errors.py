"""The loader's error messages: broken knowledge files are reported with their file, line and field, and
nothing half-loaded is used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeError, load_case_note, load_knowledge
from bot.settings import SHIPPED_KNOWLEDGE


def copy_knowledge(target: Path) -> Path:
    for name in ("units.yaml", "glossary.yaml"):
        shutil.copy(SHIPPED_KNOWLEDGE / name, target / name)
    (target / "cases").mkdir()
    return target


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    units = tmp_path / "units.yaml"
    units.write_text("units:\n  - id: dsk\n    name: DSK\n   kind: integrerend\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert caught.value.path == units
    assert caught.value.line == 4
    assert "ongeldige YAML" in caught.value.problem
    assert f"{units}, regel 4" in str(caught.value)


def test_schema_violation_names_file_line_and_field(tmp_path: Path) -> None:
    units = tmp_path / "units.yaml"
    units.write_text(
        "units:\n"
        "  - id: dsk\n"
        "    name: Directie Strategie en Kennis\n"
        "    organisation: Defensie\n"
        "    kind: afdeling\n"
        "    responsibilities:\n"
        "      - text: Strategie\n"
        "        source: {doc: '003', lines: [553, 561]}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert caught.value.path == units
    assert caught.value.line == 5
    assert caught.value.problem.startswith("units.0.kind")


def test_unknown_study_in_a_citation_is_reported_at_its_line(tmp_path: Path) -> None:
    units = tmp_path / "units.yaml"
    units.write_text(
        "units:\n"
        "  - id: dsk\n"
        "    name: Directie Strategie en Kennis\n"
        "    organisation: Defensie\n"
        "    kind: integrerend\n"
        "    responsibilities:\n"
        "      - text: Strategie\n"
        "        source:\n"
        "          doc: '009'\n"
        "          lines: [553, 561]\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert caught.value.line == 9
    assert "onbekend document '009'" in caught.value.problem


def test_a_translation_without_dutch_words_is_reported_in_its_file(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    translations = knowledge / "translations.yaml"
    translations.write_text("words:\n  limitation: [beperking]\n  worry: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge)
    assert caught.value.path == translations
    assert "worry: geen Nederlandse woorden" in caught.value.problem


def test_case_note_without_front_matter_is_rejected(tmp_path: Path) -> None:
    note = tmp_path / "zonder-kop.md"
    note.write_text("# Alleen tekst\n\nGeen front matter hier.\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_case_note(note)
    assert caught.value.path == note
    assert caught.value.line == 1
    assert "front matter" in caught.value.problem


def test_case_note_schema_error_points_at_the_file_line(tmp_path: Path) -> None:
    note = tmp_path / "geheim.md"
    note.write_text(
        "---\ntitle: Proef\nunits: []\ndate: '2021'\nvisibility: geheim\n---\nTekst.\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeError) as caught:
        load_case_note(note)
    assert caught.value.line == 5
    assert caught.value.problem.startswith("visibility")


def test_case_note_with_unknown_unit_names_the_note_and_the_unit(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    note = knowledge / "cases" / "onbekend.md"
    note.write_text(
        "---\ntitle: Proef\nunits: [dsk, directie-fantasie]\ndate: '2021'\n---\nTekst over DSK.\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge)
    assert caught.value.path == note
    assert "directie-fantasie" in caught.value.problem
    assert "dsk" not in caught.value.problem.replace("directie-fantasie", "")


def test_relation_to_unknown_unit_is_reported(tmp_path: Path) -> None:
    units = tmp_path / "units.yaml"
    units.write_text(
        "units:\n"
        "  - id: cio\n"
        "    name: Chief Information Office\n"
        "    organisation: Defensie\n"
        "    kind: functioneel\n"
        "    responsibilities:\n"
        "      - text: IT, data en cyber\n"
        "        source: {doc: '003', lines: [626, 640]}\n"
        "    relations:\n"
        "      - unit: dsk\n"
        "        topic: IT-strategie\n"
        "        why: voorbeeld\n"
        "        source: {doc: '003', lines: [704, 708]}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert caught.value.path == units
    assert "relatie naar onbekende unit 'dsk'" in caught.value.problem
