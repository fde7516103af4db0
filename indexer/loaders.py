"""Read one file into lines plus metadata: txt, md, pdf, docx, html.

Every loader returns the lines the cleaner works on, with for each line where
it sits in the original (line number for text formats, page for PDFs), and the
metadata the file itself states. A file that cannot be read raises
`DocumentError` with a reason in Dutch.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from bot.knowledge.loader import KnowledgeError, load_case_note, split_front_matter

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx"}
HTML_BLOCKS = (
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th"),
    *("pre", "blockquote", "dt", "dd", "caption", "figcaption"),
)
HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
Visibility = Literal["public", "restricted"]


class DocumentError(ValueError):
    """A file that cannot be indexed; the message says why, in Dutch."""


@dataclass
class SourceDocument:
    lines: list[str]
    line_numbers: list[int | None]  # 1-based line in the original file, per entry of `lines`
    pages: list[int | None]  # 1-based page, per entry of `lines` (PDF only)
    title: str | None = None
    author: str | None = None
    year: int | None = None
    visibility: Visibility = "public"
    channels: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    paragraph_per_line: bool = False  # DOCX paragraphs and HTML blocks are paragraphs already
    heading_lines: frozenset[int] = frozenset()


def load_document(path: Path, data: bytes, *, case_note: bool = False) -> SourceDocument:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"bestandstype {suffix or '(geen)'} wordt niet ondersteund")
    if not data.strip():
        raise DocumentError("leeg bestand")
    if suffix == ".pdf":
        return _load_pdf(data)
    if suffix == ".docx":
        return _load_docx(data)
    text = decode_text(data)
    if suffix in HTML_SUFFIXES:
        return _load_html(text)
    if suffix in {".md", ".markdown"}:
        return _load_case_note(path) if case_note else _load_markdown(path, text)
    return _text_document(text.split("\n"), first_line=1)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 / Latin-1 if the result looks like text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise DocumentError("ongeldige UTF-16-tekst") from None
    if b"\x00" in data[:8192]:
        raise DocumentError("binair bestand, geen tekst")
    try:
        return _checked(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            return _checked(data.decode(encoding))
        except (UnicodeDecodeError, DocumentError):
            continue
    raise DocumentError("onbekende tekstcodering (geen UTF-8, Windows-1252 of Latin-1)")


def _checked(text: str) -> str:
    """Reject decoded bytes that are no prose: many control characters or hardly any letters."""
    sample = text[:20000]
    control = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\r\f")
    letters = sum(1 for char in sample if char.isalpha())
    if control > len(sample) * 0.01 or letters < len(sample.strip()) * 0.4:
        raise DocumentError("binair bestand of onleesbare tekst")
    if not sample.strip():
        raise DocumentError("leeg bestand")
    return text


def _text_document(lines: list[str], first_line: int, **meta: object) -> SourceDocument:
    return SourceDocument(
        lines=lines,
        line_numbers=list(range(first_line, first_line + len(lines))),
        pages=[None] * len(lines),
        **meta,  # type: ignore[arg-type]
    )


def _load_case_note(path: Path) -> SourceDocument:
    try:
        note = load_case_note(path)
    except KnowledgeError as error:
        raise DocumentError(f"casusnotitie ongeldig: {error.problem} (regel {error.line})") from None
    date = note.meta.date
    year_match = re.search(r"\b(19|20)\d{2}\b", str(date))
    return _text_document(
        note.body.split("\n"),
        first_line=note.body_start_line,
        title=note.meta.title,
        year=int(year_match.group(0)) if year_match else None,
        visibility=note.meta.visibility,
        channels=list(note.meta.channels),
        units=list(note.meta.units),
    )


def _first_heading(lines: list[str]) -> str | None:
    """A Markdown file without a stated title is called by its first "# " heading."""
    return next((line[2:].strip() for line in lines if line.startswith("# ") and line[2:].strip()), None)


def _load_markdown(path: Path, text: str) -> SourceDocument:
    if text.split("\n", 1)[0].strip() != "---":
        lines = text.split("\n")
        return _text_document(lines, first_line=1, title=_first_heading(lines))
    try:
        front, body, body_start = split_front_matter(path, text)
        meta = yaml.safe_load(front) or {}
    except (KnowledgeError, yaml.YAMLError) as error:
        raise DocumentError(f"front matter ongeldig: {error}") from None
    if not isinstance(meta, dict):
        raise DocumentError("front matter is geen lijst van sleutels en waarden")
    visibility = meta.get("visibility", "public")
    if visibility not in ("public", "restricted"):
        raise DocumentError(f"visibility moet 'public' of 'restricted' zijn, niet {visibility!r}")
    channels = meta.get("channels") or []
    if not isinstance(channels, list):
        raise DocumentError("channels moet een lijst zijn")
    title = meta.get("title")
    lines = body.split("\n")
    return _text_document(
        lines,
        first_line=body_start,
        title=str(title) if title else _first_heading(lines),
        visibility=visibility,
        channels=[str(channel) for channel in channels],
    )


def _load_pdf(data: bytes) -> SourceDocument:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("PDF is versleuteld")
        lines: list[str] = []
        pages: list[int | None] = []
        for number, page in enumerate(reader.pages, start=1):
            page_lines = (page.extract_text() or "").split("\n")
            lines.extend(page_lines)
            pages.extend([number] * len(page_lines))
        info = reader.metadata
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise DocumentError(f"PDF kan niet worden gelezen ({type(error).__name__}: {error})") from None
    if not any(line.strip() for line in lines):
        raise DocumentError("PDF bevat geen tekst (gescand?)")
    created = getattr(info, "creation_date", None) if info else None
    return SourceDocument(
        lines=lines,
        line_numbers=[None] * len(lines),
        pages=pages,
        title=(info.title or None) if info else None,
        author=(info.author or None) if info else None,
        year=created.year if created else None,
    )


def _load_docx(data: bytes) -> SourceDocument:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zipfile, lxml and KeyError alike for a broken file
        raise DocumentError(f"DOCX kan niet worden gelezen ({type(error).__name__})") from None
    lines: list[str] = []
    headings: set[int] = set()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                lines.append(" | ".join(dict.fromkeys(cell for cell in cells if cell)))
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style.lower().startswith(("heading", "kop", "title", "titel")) and block.text.strip():
            headings.add(len(lines))
        lines.append(block.text)
    if not any(line.strip() for line in lines):
        raise DocumentError("DOCX bevat geen tekst")
    core = document.core_properties
    return SourceDocument(
        lines=lines,
        line_numbers=[None] * len(lines),
        pages=[None] * len(lines),
        title=core.title or None,
        author=core.author or None,
        year=core.created.year if core.created else None,
        paragraph_per_line=True,
        heading_lines=frozenset(headings),
    )


def _load_html(text: str) -> SourceDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav"]):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    author_tag = soup.find("meta", attrs={"name": "author"})
    author = author_tag.get("content") if author_tag else None
    lines: list[str] = []
    numbers: list[int | None] = []
    headings: set[int] = set()
    for element in soup.find_all(HTML_BLOCKS):
        if element.find(HTML_BLOCKS):
            continue  # its inner blocks are read on their own
        content = element.get_text(" ", strip=True)
        if not content:
            continue
        if element.name in HTML_HEADINGS:
            headings.add(len(lines))
        lines.append(content)
        numbers.append(element.sourceline)
    if not lines:
        body = soup.body or soup
        lines = [line for line in body.get_text("\n").split("\n") if line.strip()]
        numbers = [None] * len(lines)
    if not lines:
        raise DocumentError("HTML bevat geen tekst")
    return SourceDocument(
        lines=lines,
        line_numbers=numbers,
        pages=[None] * len(lines),
        title=title or None,
        author=str(author) if author else None,
        paragraph_per_line=True,
        heading_lines=frozenset(headings),
    )
