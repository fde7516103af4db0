"""Undo PDF-to-text artefacts while remembering which input line every character came from.

The input is a list of lines (a text file's lines, a PDF's lines page by page, a
DOCX's paragraphs). The output is a list of paragraphs; each keeps the index of
the input line behind every piece of its text, so a chunk can cite its original
line range or page.

Repairs, each decided from the document itself (never from a word list):
- words split over two lines, with a hyphen ("onder- / kennen") or, in dumps
  whose lines normally end in a space, without one ("strate / gisch"): joined
  when the joined word occurs elsewhere in the document or a fragment never does;
- broken ligatures ("f lexibele", "effi ciëntie", "specifi eke");
- running heads and footers (journal line with page number, author name, layout
  placeholders) and stray page numbers;
- pull quotes: short blocks whose wording also stands in a longer block;
- blank lines between wrapped lines, NBSP / EM SPACE / tabs, footnote numbers
  stuck to words ("samenwerkingen.9").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

CLEANER_VERSION = "4"

SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
INVISIBLE = re.compile(r"[\u00ad\u200c\u200d\u2060\ufeff\ufffd]")
WORD = re.compile(r"[^\W\d_]+")
BULLET_GLYPH = re.compile(r"^Ë(?=[A-Z])")  # a Wingdings bullet that pdftotext turned into "Ë"
FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_][.,;:!?)”’\"])\d{1,2}(?=\s|$)")
LIGATURE = re.compile(r"\b(\w*?f[il]?|\w*?ff[il]?)\s(\w+)")
PAGE_NUMBER = re.compile(r"^(?:(?:p\.?|pag\.?|pagina|page)\s*)?[-–]?\s*\d{1,4}\s*[-–]?$", re.IGNORECASE)
GLUED_PAGE = re.compile(r"\d{5,}\s*$")  # "… 2026122": year and page number run together
CAMEL_GLUE = re.compile(r"[a-z][A-Z]")
TERMINAL = tuple(".!?:;”\"’)")
FOOTNOTE_LINE = re.compile(r"^\s*(?:\d{1,3}|\*)\s*\t")
HEADING_PATTERNS = (
    re.compile(r"^(?:Hoofdstuk|Bijlage|Chapter|Appendix|Deel)\s+[\dIVX]+\b"),
    re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+\S"),
    re.compile(r"^\d{1,2}\.\s+[A-ZÀ-Ý]"),
)
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
LIST_ITEM = re.compile(r"^(?:[-*•]\s|\d{1,2}[.)]\s)")
MAX_HEADING_WORDS = 12
PULL_QUOTE_MAX_LINES = 6
PULL_QUOTE_MIN_WORDS = 10
PULL_QUOTE_SHARE = 0.35


@dataclass(frozen=True)
class Paragraph:
    text: str
    offsets: tuple[int, ...]  # start offset in `text` of each piece
    sources: tuple[int, ...]  # index of the input line each piece came from
    heading: bool = False

    def source_at(self, offset: int) -> int:
        return self.sources[max(0, bisect.bisect_right(self.offsets, offset) - 1)]


@dataclass
class _Builder:
    pieces: list[tuple[str, int]] = field(default_factory=list)

    def add(self, text: str, source: int, separator: str) -> None:
        if self.pieces and separator:
            last_text, last_source = self.pieces[-1]
            self.pieces[-1] = (last_text + separator, last_source)
        self.pieces.append((text, source))

    def trim_last(self, count: int) -> None:
        text, source = self.pieces[-1]
        self.pieces[-1] = (text[:-count], source)

    def build(self, heading: bool = False) -> Paragraph | None:
        offsets, sources, parts, position = [], [], [], 0
        for text, source in self.pieces:
            if not text:
                continue
            offsets.append(position)
            sources.append(source)
            parts.append(text)
            position += len(text)
        text = "".join(parts)
        if not text.strip():
            return None
        return Paragraph(text=text.rstrip(), offsets=tuple(offsets), sources=tuple(sources), heading=heading)


def normalize_line(raw: str) -> str:
    text = INVISIBLE.sub("", raw)
    text = SPACES.sub(" ", text).strip()
    return BULLET_GLYPH.sub("", text)


def heading_text(line: str) -> str | None:
    """The heading a line states ("5.3.2 Steun voor …", "Hoofdstuk 6 Reflectie", "## Doel"), if any."""
    markdown = MARKDOWN_HEADING.match(line)
    if markdown:
        return markdown.group(1).strip()
    if len(line) > 100 or len(line.split()) > MAX_HEADING_WORDS or line.endswith((".", ",", ";", ":", "!")):
        return None
    if line.endswith("?") and not HEADING_PATTERNS[1].match(line):
        return None  # "2.5.1 Waarom …?" is a heading, "1. Wat verstaat …?" a numbered question
    if any(pattern.match(line) for pattern in HEADING_PATTERNS):
        return line
    return None


class _Vocabulary:
    """How often each word, and each hyphenated compound, occurs in the document."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.words: Counter[str] = Counter()
        self.compounds: Counter[str] = Counter()
        for line in lines:
            lowered = line.lower()
            self.words.update(WORD.findall(lowered))
            self.compounds.update(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)+", lowered))

    def keeps_hyphen(self, left: str, right: str, chained: bool) -> bool:
        """Whether "left- / right" is a real compound ("public-private") rather than a hyphenated word.

        Line hyphenation is far more common, so the hyphen stays only when the whole
        word is never written elsewhere and the compound is: written with a hyphen
        elsewhere, part of a chain ("klant-leverancier- / relatie"), or made of two
        words that each stand on their own several times.
        """
        left, right = left.lower(), right.lower()
        if self.words[left + right] >= 1:
            return False
        common = self.words[left] >= 3 and self.words[right] >= 3
        chain_link = chained and self.words[left] >= 2  # "leverancier" is a word, "cultu" (politiek-cultu-rele) not
        return chain_link or common or self.compounds[f"{left}-{right}"] >= 1

    def plausible_join(self, left: str, right: str) -> bool:
        """Join two line fragments when the whole word is attested or a fragment is rare on its own.

        Both fragments were counted once at the break itself, so `<= 2` means "at most
        once elsewhere". Measured on 000: 81 bare line ends, 80 of them split words.
        """
        if len(left) > 1 and left.isupper():
            return False  # a name in capitals ending a photo credit ("… GREGORY FRÉNI")
        left, right = left.lower(), right.lower()
        if self.words[left + right] >= 1:
            return True
        return self.words[left] <= 2 or self.words[right] <= 2


def _repair_ligatures(line: str, vocabulary: _Vocabulary, ligature_only: set[str]) -> str:
    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if not right[0].islower():
            return match.group(0)
        lowered = left.lower()
        broken = lowered in {"f", "fi", "fl", "ff", "ffi", "ffl"} or lowered in ligature_only
        # An attested whole word only counts when the left part is no common word ("of wel" stays).
        attested = vocabulary.words[(left + right).lower()] >= 1 and vocabulary.words[lowered] <= 2
        return left + right if attested or broken else match.group(0)

    return LIGATURE.sub(join, line)


def _ligature_only_fragments(lines: Sequence[str], vocabulary: _Vocabulary) -> set[str]:
    """Fragments ending in fi/fl that occur only in front of a space: halves of broken ligatures."""
    before_space: Counter[str] = Counter()
    for line in lines:
        for match in LIGATURE.finditer(line.lower()):
            if match.group(1).endswith(("fi", "fl")):
                before_space[match.group(1)] += 1
    return {fragment for fragment, count in before_space.items() if vocabulary.words[fragment] <= count}


def _running_heads(lines: Sequence[str], heads: Sequence[str]) -> set[int]:
    """Indexes of running heads and footers: repeated journal/author lines, placeholders, page numbers."""
    known = {_letters(head) for head in heads if _letters(head)}
    prefixes = {" ".join(head.lower().split()) for head in heads if len(head.split()) >= 2}
    repeated = Counter(re.sub(r"\d+", "#", line) for line in lines if line)
    dropped: set[int] = set()
    for index, line in enumerate(lines):
        if not line:
            continue
        if PAGE_NUMBER.match(line):
            dropped.add(index)
            continue
        if len(line) > 90:
            continue
        letters = _letters(line)
        lowered = line.lower()
        starts_with_head = any(
            lowered.startswith(prefix) and not re.search(r"[a-z]", line[len(prefix) :]) for prefix in prefixes
        )
        is_repeated = repeated[re.sub(r"\d+", "#", line)] >= 2
        layout = is_repeated and (
            GLUED_PAGE.search(line) is not None
            or (line.isupper() and len(line.split()) >= 2)
            or (CAMEL_GLUE.search(line) is not None and len(line.split()) <= 4)
        )
        if letters in known or starts_with_head or layout:
            dropped.add(index)
    # A short repeated line right next to a running head is part of it (e.g. the author's name).
    for index, line in enumerate(lines):
        if index in dropped or not line or len(line.split()) > 5 or line.endswith(TERMINAL):
            continue
        if repeated[re.sub(r"\d+", "#", line)] >= 2 and any(
            other in dropped and not PAGE_NUMBER.match(lines[other]) for other in range(index - 3, index + 4)
        ):
            dropped.add(index)
    return dropped


def _letters(text: str) -> str:
    return "".join(WORD.findall(text.lower()))


def _blocks(raw: Sequence[str], lines: Sequence[str], sparse: bool) -> list[list[int]]:
    """Runs of text lines that belong together on the page (for pull-quote detection)."""
    blocks: list[list[int]] = [[]]
    for index, line in enumerate(lines):
        separator = (not line and raw[index].strip("\r\n") != "") if sparse else not line
        starts_new = not sparse and bool(line) and raw[index][:1].isspace()
        if separator or starts_new:
            blocks.append([])
        if line:
            blocks[-1].append(index)
    return [block for block in blocks if block]


def _pull_quotes(raw: Sequence[str], lines: Sequence[str], skip: set[int]) -> set[int]:
    """Short blocks shaped like a pull quote whose word trigrams mostly also occur in a longer block.

    A pull quote is set apart: it sits in quotation marks, or its last line stops
    without punctuation and without the trailing space that running text has.
    """
    blocks = [[index for index in block if index not in skip] for block in _blocks(raw, lines, sparse=False)]
    blocks = [block for block in blocks if block]
    # Per trigram, the longest block it occurs in: all a candidate needs to know, in constant time
    # (a set of blocks per trigram grew with the document and made large files quadratic).
    longest: dict[tuple[str, ...], int] = {}
    block_trigrams: list[list[tuple[str, ...]]] = []
    for block in blocks:
        words = [word for index in block for word in re.findall(r"\w+", lines[index].lower())]
        trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
        block_trigrams.append(trigrams)
        for trigram in trigrams:
            longest[trigram] = max(longest.get(trigram, 0), len(block))
    quotes: set[int] = set()
    for number, block in enumerate(blocks):
        trigrams = block_trigrams[number]
        if number == 0 or len(block) > PULL_QUOTE_MAX_LINES:  # the first block is the title
            continue
        if len(trigrams) < PULL_QUOTE_MIN_WORDS - 2:
            continue
        first, last = lines[block[0]], lines[block[-1]]
        quoted = first.startswith(("“", '"', "‘")) and last.endswith(("”", '"', "’"))
        cut_off = not last.endswith(TERMINAL) and not raw[block[-1]].rstrip("\r\n")[-1:].isspace()
        if not (quoted or cut_off):
            continue
        shared = sum(1 for trigram in trigrams if longest[trigram] >= len(block) + 2)
        if shared / len(trigrams) >= PULL_QUOTE_SHARE:
            quotes.update(block)
    return quotes


def clean_lines(
    raw_lines: Sequence[str],
    *,
    running_heads: Sequence[str] = (),
    paragraph_per_line: bool = False,
    heading_lines: frozenset[int] = frozenset(),
) -> list[Paragraph]:
    """Clean a document given as lines; `paragraph_per_line` for DOCX/HTML blocks."""
    lines = [normalize_line(line) for line in raw_lines]
    vocabulary = _Vocabulary(lines)
    ligature_only = _ligature_only_fragments(lines, vocabulary)
    lines = [FOOTNOTE_MARK.sub("", _repair_ligatures(line, vocabulary, ligature_only)) for line in lines]

    text_lines = [index for index, line in enumerate(lines) if line]
    if not text_lines:
        return []
    followed_by_blank = sum(1 for index in text_lines if index + 1 < len(lines) and not lines[index + 1])
    sparse = followed_by_blank / len(text_lines) > 0.6  # e.g. 003: a blank line after almost every line
    trailing_space = sum(1 for index in text_lines if raw_lines[index].rstrip("\r\n")[-1:].isspace())
    spaced_endings = trailing_space / len(text_lines) > 0.6  # a line end without a space is then a split word

    dropped = _running_heads(lines, running_heads) if not paragraph_per_line else set()
    if spaced_endings and not sparse and not paragraph_per_line:
        # Pull quotes belong to magazine layouts dumped from PDF; a Markdown list is no pull quote.
        dropped |= _pull_quotes(raw_lines, lines, dropped)

    paragraphs: list[Paragraph] = []
    builder = _Builder()
    previous: int | None = None  # index of the last line added to `builder`
    pending_break = False
    last_chapter = 0

    def flush(heading: bool = False) -> None:
        nonlocal builder, previous
        paragraph = builder.build(heading)
        if paragraph is not None:
            paragraphs.append(paragraph)
        builder, previous = _Builder(), None

    for index, line in enumerate(lines):
        raw = raw_lines[index]
        if not line:
            if raw.strip("\r\n") != "" or not sparse:
                pending_break = True
            continue
        if index in dropped:
            continue
        heading = heading_text(line) if index not in heading_lines else line
        chapter = _chapter_number(line)
        # A numbered line whose chapter number goes backwards is a table or list row, not a heading.
        in_order = chapter is None or chapter >= last_chapter
        if heading is not None and (index in heading_lines or (in_order and _heading_stands_alone(lines, index))):
            last_chapter = chapter if chapter is not None else last_chapter
            flush()
            builder.add(heading, index, "")
            flush(heading=True)
            pending_break = False
            continue
        if previous is not None and (
            paragraph_per_line or _breaks(lines, raw_lines, previous, index, pending_break, sparse)
        ):
            flush()
        pending_break = False
        if previous is None:
            builder.add(line, index, "")
        else:
            _join(builder, lines[previous], raw_lines[previous], line, index, vocabulary, spaced_endings)
        previous = index
    flush()
    return paragraphs


def _chapter_number(line: str) -> int | None:
    match = re.match(r"^(?:(?:Hoofdstuk|Chapter)\s+)?(\d{1,2})(?:[.\s]|$)", line)
    return int(match.group(1)) if match else None


def _heading_stands_alone(lines: Sequence[str], index: int) -> bool:
    """A numbered line is a heading unless the next text line continues its sentence."""
    # Indexes, not a slice: copying the rest of the document per heading made large files quadratic.
    following = next((lines[after] for after in range(index + 1, len(lines)) if lines[after]), "")
    return not following[:1].islower()


def _breaks(
    lines: Sequence[str], raw_lines: Sequence[str], previous: int, index: int, pending_break: bool, sparse: bool
) -> bool:
    line, before = lines[index], lines[previous]
    if FOOTNOTE_LINE.match(raw_lines[index]) or FOOTNOTE_LINE.match(raw_lines[previous]) and pending_break:
        return True
    if LIST_ITEM.match(line):
        return True
    if not sparse and raw_lines[index][:1].isspace():
        return True  # a new text flow (after a footnote, figure or column jump) starts indented
    if not pending_break:
        return False
    # A blank line inside a sentence is a column or page break, not a paragraph end.
    return before.endswith(TERMINAL)


def _join(
    builder: _Builder,
    before: str,
    raw_before: str,
    line: str,
    index: int,
    vocabulary: _Vocabulary,
    spaced_endings: bool,
) -> None:
    left_match = re.search(r"([^\W\d_][\w-]*)-$", before)
    right_match = re.match(r"[^\W\d_]+", line)
    ends_bare = not raw_before.rstrip("\r\n")[-1:].isspace()
    if left_match and right_match and ends_bare:
        left, right = left_match.group(1).split("-")[-1], right_match.group(0)
        chained = "-" in left_match.group(1)
        keep_hyphen = right[0].isupper() or left.isupper() or vocabulary.keeps_hyphen(left, right, chained=chained)
        if not keep_hyphen:
            builder.trim_last(1)
        builder.add(line, index, "")
        return
    word_left = re.search(r"[^\W\d_]+$", before)
    if spaced_endings and ends_bare and word_left and right_match and line[0].islower():
        if vocabulary.plausible_join(word_left.group(0), right_match.group(0)):
            builder.add(line, index, "")
            return
    builder.add(line, index, " ")
