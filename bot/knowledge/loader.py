"""Load and validate `knowledge/`: units, glossary, maintained people, case notes.

A broken file raises `KnowledgeError` naming the file, the line and what is
wrong, so whoever edits the YAML can fix it without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.schema import (
    CaseFrontMatter,
    DocumentInfo,
    DocumentsFile,
    GlossaryFile,
    GlossaryTerm,
    MaintainedPerson,
    PeopleFile,
    SynonymsFile,
    TranslationsFile,
    Unit,
    UnitsFile,
    UnitsPatchFile,
)

Model = TypeVar("Model", bound=BaseModel)
FRONT_MATTER_FENCE = "---"


class KnowledgeError(ValueError):
    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        where = f"{path}, regel {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class CaseNote:
    path: Path
    meta: CaseFrontMatter
    body: str
    body_start_line: int  # the file line where the body starts, for citations


@dataclass(frozen=True)
class KnowledgeBase:
    units: list[Unit]
    glossary: list[GlossaryTerm]
    people: list[MaintainedPerson]
    cases: list[CaseNote]
    synonyms: list[list[str]] = field(default_factory=list)
    translations: dict[str, list[str]] = field(default_factory=dict)  # English word -> the sources' Dutch words
    documents: dict[str, DocumentInfo] = field(default_factory=dict)
    by_id: dict[str, Unit] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {unit.id: unit for unit in self.units})

    def unit(self, unit_id: str) -> Unit | None:
        return self.by_id.get(unit_id)

    def children(self, unit_id: str) -> list[Unit]:
        return [unit for unit in self.units if unit.parent == unit_id]


def load_knowledge(directory: Path) -> KnowledgeBase:
    units = _load_yaml_model(directory / "units.yaml", UnitsFile).units
    glossary = _load_yaml_model(directory / "glossary.yaml", GlossaryFile).terms
    people_path = directory / "people.yaml"
    people = _load_yaml_model(people_path, PeopleFile).people if people_path.exists() else []
    known_units = {unit.id for unit in units}
    for person in people:
        if person.unit not in known_units:
            raise KnowledgeError(people_path, None, f"{person.name}: onbekende unit {person.unit!r}")
    cases = [load_case_note(path) for path in sorted((directory / "cases").glob("*.md"))]
    for case in cases:
        unknown = [unit_id for unit_id in case.meta.units if unit_id not in known_units]
        if unknown:
            raise KnowledgeError(case.path, 1, f"onbekende unit(s) in front matter: {', '.join(unknown)}")
    synonyms_path = directory / "synonyms.yaml"
    synonyms = _load_yaml_model(synonyms_path, SynonymsFile).groups if synonyms_path.exists() else []
    translations_path = directory / "translations.yaml"
    translations = _load_yaml_model(translations_path, TranslationsFile).words if translations_path.exists() else {}
    return KnowledgeBase(
        units=units, glossary=glossary, people=people, cases=cases, synonyms=synonyms, translations=translations,
        documents=load_documents(directory),
    )


def load_units_patch(path: Path, knowledge: KnowledgeBase) -> UnitsPatchFile:
    """A patch from `schakel knowledge export`, checked against the schema and the units it patches."""
    patch = _load_yaml_model(path, UnitsPatchFile)
    for unit in patch.units:
        if knowledge.unit(unit.id) is None:
            raise KnowledgeError(path, None, f"onbekende unit {unit.id!r}: die staat niet in units.yaml")
    return patch


def load_documents(directory: Path) -> dict[str, DocumentInfo]:
    """Bibliographic facts per study id, from `knowledge/sources.yaml` (empty when absent)."""
    path = directory / "sources.yaml"
    if not path.exists():
        return {}
    return {info.doc: info for info in _load_yaml_model(path, DocumentsFile).documents}


def split_front_matter(path: Path, text: str) -> tuple[str, str, int]:
    """Return (front matter YAML, body, body start line) of a Markdown note."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise KnowledgeError(path, 1, "de notitie begint niet met front matter tussen '---'-regels")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise KnowledgeError(path, 1, "de front matter wordt niet afgesloten met een '---'-regel")


def load_case_note(path: Path) -> CaseNote:
    front, body, body_start = split_front_matter(path, _read_text(path))
    meta = validate_yaml(path, front, CaseFrontMatter, line_offset=1)
    if not body.strip():
        raise KnowledgeError(path, body_start, "de notitie heeft geen tekst na de front matter")
    return CaseNote(path=path, meta=meta, body=body, body_start_line=body_start)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(path, None, "bestand ontbreekt") from None
    except UnicodeDecodeError as error:
        raise KnowledgeError(path, None, f"geen geldige UTF-8 (byte {error.start})") from None


def _load_yaml_model(path: Path, model: type[Model]) -> Model:
    return validate_yaml(path, _read_text(path), model)


def validate_yaml(path: Path, text: str, model: type[Model], line_offset: int = 0) -> Model:
    """Parse YAML `text` from `path` into `model`; a problem raises KnowledgeError with file and line."""
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else None
        raise KnowledgeError(path, line, f"ongeldige YAML: {error.problem or error}") from None
    if data is None:
        data = {}
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = first["loc"]
        line = _line_of(root, location)
        field_path = ".".join(str(part) for part in location) or "(bestand)"
        raise KnowledgeError(
            path, line + line_offset if line else None, f"{field_path}: {first['msg']}"
        ) from None


def _line_of(node: Any, location: tuple[Any, ...]) -> int | None:
    """Follow a pydantic error location through the composed YAML tree to a line number."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in location:
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == part), None)
            if child is None:
                return line
            node = child
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line
