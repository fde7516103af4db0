"""Each format is read into lines with their place in the original, plus the metadata the file states."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from reportlab.pdfgen import canvas

from indexer.loaders import DocumentError, decode_text, load_document


def make_pdf(pages: list[list[str]], title: str = "Testrapport", author: str = "Fictieve Auteur") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setTitle(title)
    pdf.setAuthor(author)
    for lines in pages:
        for number, line in enumerate(lines):
            pdf.drawString(72, 760 - 16 * number, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(title: str, heading: str, paragraphs: list[str], table: list[list[str]]) -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Fictieve Auteur"
    document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for row, values in zip(grid.rows, table):
        for cell, value in zip(row.cells, values):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


HTML = """<!doctype html>
<html>
<head><title>Handreiking samenwerken</title><meta name="author" content="Team Fictief"></head>
<body>
<script>var geheim = "niet indexeren";</script>
<h1>Handreiking</h1>
<p>De eerste alinea gaat over overleg.</p>
<h2>Contact</h2>
<ul><li>Bel de servicedesk.</li></ul>
</body>
</html>
"""


def test_pdf_lines_carry_their_page_and_the_pdf_metadata() -> None:
    data = make_pdf([["Eerste pagina over logistiek."], ["Tweede pagina over onderhoud."]])
    document = load_document(Path("rapport.pdf"), data)
    assert document.title == "Testrapport" and document.author == "Fictieve Auteur"
    page_of = {line: page for line, page in zip(document.lines, document.pages)}
    assert page_of["Eerste pagina over logistiek."] == 1
    assert page_of["Tweede pagina over onderhoud."] == 2


def test_docx_headings_tables_and_core_properties() -> None:
    data = make_docx("Notitie", "Aanpak", ["Wij werken samen met de politie."], [["Kolom A", "Kolom B"]])
    document = load_document(Path("notitie.docx"), data)
    assert document.title == "Notitie" and document.author == "Fictieve Auteur"
    assert document.lines[0] == "Aanpak" and 0 in document.heading_lines
    assert "Wij werken samen met de politie." in document.lines
    assert "Kolom A | Kolom B" in document.lines


def test_html_blocks_keep_their_source_line_and_drop_scripts() -> None:
    document = load_document(Path("pagina.html"), HTML.encode())
    assert document.title == "Handreiking samenwerken" and document.author == "Team Fictief"
    numbers = dict(zip(document.lines, document.line_numbers))
    assert numbers["De eerste alinea gaat over overleg."] == 7
    assert numbers["Bel de servicedesk."] == 9
    assert {document.lines.index("Contact")} <= document.heading_lines
    assert not any("geheim" in line for line in document.lines)


def test_markdown_front_matter_gives_title_visibility_and_line_offset(tmp_path: Path) -> None:
    text = "---\ntitle: Interne notitie\nvisibility: restricted\nchannels: [C0FICTIEF]\n---\n# Kop\n\nTekst.\n"
    path = tmp_path / "notitie.md"
    document = load_document(path, text.encode())
    assert (document.title, document.visibility, document.channels) == ("Interne notitie", "restricted", ["C0FICTIEF"])
    assert document.line_numbers[document.lines.index("Tekst.")] == 8


def test_case_note_front_matter_gives_units_and_year(tmp_path: Path) -> None:
    path = tmp_path / "casus.md"
    path.write_text("---\ntitle: Casus\nunits: [dgb]\ndate: 2021-09-01\n---\nWat er gebeurde.\n", encoding="utf-8")
    document = load_document(path, path.read_bytes(), case_note=True)
    assert (document.title, document.units, document.year) == ("Casus", ["dgb"], 2021)
    assert document.line_numbers[0] == 6


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café en coördinatie".encode("utf-8"), "Café en coördinatie"),
        ("\ufeffMet BOM".encode("utf-8"), "Met BOM"),
        ("Café en coördinatie".encode("cp1252"), "Café en coördinatie"),
        ("Citaat “zo” – klaar".encode("cp1252"), "Citaat “zo” – klaar"),
        ("Tekst in UTF-16".encode("utf-16"), "Tekst in UTF-16"),
    ],
)
def test_text_encodings(data: bytes, expected: str) -> None:
    assert decode_text(data) == expected


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("leeg.txt", b"  \n\n", "leeg"),
        ("binair.txt", b"\x00\x01\x02PK\x03\x04" * 50, "binair"),
        ("kapot.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF", "PDF"),
        ("kapot.docx", b"PK\x03\x04 dit is geen zip", "DOCX"),
        ("plaatje.png", b"\x89PNG\r\n", "niet ondersteund"),
    ],
)
def test_unreadable_files_say_why(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(DocumentError, match=reason):
        load_document(Path(name), data)


def test_markdown_without_front_matter_is_titled_by_its_first_heading() -> None:
    document = load_document(Path("uitleg.md"), "Inleiding zonder kop.\n\n# Werkafspraken\n\nTekst.\n".encode())
    assert document.title == "Werkafspraken" and document.line_numbers[0] == 1
