"""What the indexer produces and the retriever reads."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Chunk(BaseModel):
    id: str  # stable: "<doc>#<ordinal>@<content hash prefix>"
    doc: str  # the file name, e.g. 003_1f213fa2d4c3e6b8.txt
    source_path: str  # resolved path of the indexed file
    content_hash: str  # sha256 of the file's bytes
    ordinal: int
    chunk_count: int  # chunks of this file version; a file is complete when all are stored
    title: str
    author: str | None = None
    year: int | None = None
    section: str | None = None
    line_start: int | None = None  # 1-based, inclusive, in the original file (text formats)
    line_end: int | None = None
    page: int | None = None  # 1-based (PDF)
    visibility: Literal["public", "restricted"] = "public"
    channels: list[str] = Field(default_factory=list)  # where a restricted chunk may be shown
    units: list[str] = Field(default_factory=list)  # unit ids from a case note's front matter
    text: str

    def location(self, language: str = "nl") -> str:
        if self.page is not None:
            return f"p. {self.page}"
        if self.line_start is not None:
            word = "regels" if language == "nl" else "lines"
            if self.line_end is not None and self.line_end != self.line_start:
                return f"{word} {self.line_start}-{self.line_end}"
            return f"{'regel' if language == 'nl' else 'line'} {self.line_start}"
        return self.section or ""


class FileFailure(BaseModel):
    path: str
    reason: str


class IndexReport(BaseModel):
    files_indexed: int = 0
    files_skipped: int = 0  # unchanged since the last run
    files_failed: int = 0
    files_removed: int = 0
    files_repaired: int = 0  # left with two versions, or half written, by an interrupted run; now one again
    chunks: int = 0  # chunks written in this run
    embeddings_computed: int = 0
    seconds: float = 0.0
    failures: list[FileFailure] = Field(default_factory=list)
