"""The reflection prompt catalogue (`prompts/reflection.yaml`), validated on load.

A broken catalogue raises `KnowledgeError` naming the file, the line and the problem, exactly
like the curated knowledge files, so whoever edits the YAML can fix it without a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from bot.knowledge.loader import KnowledgeError, validate_yaml
from bot.knowledge.schema import SourceRef, Strict

CATALOGUE_FILE = "reflection.yaml"
MIN_PROMPTS = 24
MAX_QUESTION_LENGTH = 160  # a nudge, not a questionnaire
Group = Literal["succesfactoren", "triade", "pps-opschaling", "lmi", "paradoxen"]
REQUIRED_GROUPS: tuple[str, ...] = ("succesfactoren", "triade", "pps-opschaling", "lmi", "paradoxen")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ReflectionPrompt(Strict):
    id: str
    group: Group
    concept: str = Field(min_length=3)
    themes: list[str] = Field(min_length=1)
    source: SourceRef
    text: str = Field(min_length=10, max_length=MAX_QUESTION_LENGTH)

    @field_validator("id")
    @classmethod
    def _slug_id(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(f"id {value!r} moet een slug zijn (kleine letters, cijfers, streepjes)")
        return value

    @field_validator("themes")
    @classmethod
    def _slug_themes(cls, value: list[str]) -> list[str]:
        for theme in value:
            if not SLUG.match(theme):
                raise ValueError(f"thema {theme!r} moet een slug zijn (bijv. pps, politie-defensie)")
        return value

    @field_validator("text")
    @classmethod
    def _is_question(cls, value: str) -> str:
        if not value.rstrip().endswith("?"):
            raise ValueError("een reflectievraag eindigt met een vraagteken")
        return value


class Catalogue(Strict):
    prompts: list[ReflectionPrompt]

    @model_validator(mode="after")
    def _complete(self) -> "Catalogue":
        if len(self.prompts) < MIN_PROMPTS:
            raise ValueError(f"minstens {MIN_PROMPTS} vragen nodig, er zijn er {len(self.prompts)}")
        seen: set[str] = set()
        for prompt in self.prompts:
            if prompt.id in seen:
                raise ValueError(f"id {prompt.id!r} komt twee keer voor")
            seen.add(prompt.id)
        missing = [group for group in REQUIRED_GROUPS if group not in {p.group for p in self.prompts}]
        if missing:
            raise ValueError(f"geen vragen voor: {', '.join(missing)}")
        return self

    @property
    def themes(self) -> list[str]:
        return sorted({theme for prompt in self.prompts for theme in prompt.themes})

    def get(self, prompt_id: str) -> ReflectionPrompt | None:
        return next((prompt for prompt in self.prompts if prompt.id == prompt_id), None)

    def for_themes(self, themes: tuple[str, ...] | list[str]) -> list[ReflectionPrompt]:
        """The prompts a channel with these themes draws from; no themes means all prompts."""
        if not themes:
            return list(self.prompts)
        wanted = set(themes)
        return [prompt for prompt in self.prompts if wanted & set(prompt.themes)]


def load_catalogue(prompts_dir: Path) -> Catalogue:
    path = prompts_dir / CATALOGUE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(path, None, "bestand ontbreekt") from None
    except UnicodeDecodeError as error:
        raise KnowledgeError(path, None, f"geen geldige UTF-8 (byte {error.start})") from None
    return validate_yaml(path, text, Catalogue)
