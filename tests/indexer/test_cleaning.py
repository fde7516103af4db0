"""Cleaning on real corpus excerpts: the artefacts named in the study notes are repaired, line by line."""

from __future__ import annotations

import re

from indexer.cleaning import Paragraph, clean_lines, normalize_line
from tests.indexer.conftest import corpus_lines


def _clean(prefix: str, **options: object) -> tuple[list[str], list[Paragraph], str]:
    lines = corpus_lines(prefix)
    paragraphs = clean_lines(lines, **options)  # type: ignore[arg-type]
    return lines, paragraphs, "\n".join(paragraph.text for paragraph in paragraphs)


def _kept(paragraphs: list[Paragraph]) -> set[int]:
    """1-based numbers of the input lines that still contribute text."""
    return {source + 1 for paragraph in paragraphs for source in paragraph.sources}


def _paragraph_with(paragraphs: list[Paragraph], line: int) -> Paragraph:
    return next(paragraph for paragraph in paragraphs if line - 1 in paragraph.sources)


def test_word_hyphenated_over_a_blank_line_is_joined() -> None:
    lines, paragraphs, text = _clean("002")
    assert lines[14].rstrip().endswith("onder-") and lines[16].startswith("kennen")  # 002 L15 / L17
    assert "onderkennen" in _paragraph_with(paragraphs, 15).text
    assert "onder-" not in text.replace("onder-\n", "")


def test_word_split_without_hyphen_is_joined_but_separate_words_are_not() -> None:
    lines, paragraphs, text = _clean("000")
    assert lines[123].endswith("strate") and lines[124].startswith("gisch")  # 000 L124 / L125
    assert "strategisch" in _paragraph_with(paragraphs, 124).text
    assert "strate gisch" not in text
    assert lines[48].endswith("verslech")
    assert "verslechterd" in _paragraph_with(paragraphs, 49).text
    assert "DefensieMajoor" not in text  # title line and author line stay two words


def test_plain_text_line_ends_are_word_boundaries() -> None:
    lines = ["Wij zien de", "ze week als een kans. Een leverancier", "is geen klant-leverancier-", "relatie."]
    assert clean_lines(lines)[0].text == (
        "Wij zien de ze week als een kans. Een leverancier is geen klant-leverancier-relatie."
    )


def test_broken_ligatures_are_repaired() -> None:
    _, paragraphs_004, text_004 = _clean("004")
    repairs = [("effi ciëntie", "efficiëntie"), ("fi nanciering", "financiering"), ("specifi eke", "specifieke")]
    for broken, whole in repairs:
        assert broken not in text_004 and whole in text_004
    assert "efficiëntie" in _paragraph_with(paragraphs_004, 23).text
    _, _, text_000 = _clean("000")
    assert "f lexibele" not in text_000 and "flexibele" in text_000


def test_running_heads_and_page_numbers_are_removed() -> None:
    lines, paragraphs, text = _clean("000", running_heads=["van Ham", "Militaire Spectator"])
    assert lines[118].startswith("MILITAIRE SPECTATOR") and lines[120].strip() == "Van Ham"
    assert not {117, 119, 121, 265, 267, 269} & _kept(paragraphs)
    assert "SPECTATOR" not in text and "kopregel" not in text

    lines, paragraphs, _ = _clean("003")
    assert lines[193].strip() == "9"
    assert 194 not in _kept(paragraphs)
    assert not any(paragraph.text.strip().isdigit() for paragraph in paragraphs)


def test_running_heads_are_found_without_bibliographic_hints() -> None:
    _, paragraphs, text = _clean("000")
    assert not {117, 119, 121} & _kept(paragraphs)


def test_pull_quotes_are_not_duplicated() -> None:
    lines, paragraphs, text = _clean("002")
    quoted = normalize_line(lines[89])  # the middle line of the pull quote at L89-91
    assert lines[88].startswith("“")
    assert not {89, 90, 91} & _kept(paragraphs)
    assert text.count(quoted) == 1  # the body sentence it repeats is kept

    _, paragraphs, _ = _clean("000")
    assert not {352, 353, 354, 498, 575, 757} & _kept(paragraphs)
    assert {351 - 2, 355} <= _kept(paragraphs)


def test_blank_lines_between_wrapped_lines_are_dropped() -> None:
    lines, paragraphs, text = _clean("003")
    assert lines[178] == ""  # 003 L179: the blank line after L178
    paragraph = _paragraph_with(paragraphs, 178)
    assert 180 - 1 in paragraph.sources
    assert f"{normalize_line(lines[177])} {normalize_line(lines[179])}" in text


def test_odd_spaces_and_footnote_numbers_are_removed() -> None:
    lines, paragraphs, text = _clean("000")
    assert any("\u00a0" in line for line in lines) and any("\u2003" in line for line in lines)
    assert "\u00a0" not in text and "\u2003" not in text
    assert "samenwerkingen.9" in lines[244]
    assert "samenwerkingen.9" not in text and "samenwerkingen. " in _paragraph_with(paragraphs, 245).text


def test_section_headings_are_detected() -> None:
    _, paragraphs, _ = _clean("003")
    headings = [paragraph.text for paragraph in paragraphs if paragraph.heading]
    assert any(heading.startswith("5.3.2 Steun") for heading in headings)
    assert "Hoofdstuk 6 Reflectie" in headings
    assert not any(re.match(r"\d\. .*\?$", heading) for heading in headings)  # numbered questions
    assert any(heading.startswith("2.5.1 Waarom") for heading in headings)
    _, paragraphs_001, _ = _clean("001")
    headings_001 = [paragraph.text for paragraph in paragraphs_001 if paragraph.heading]
    assert "2.6 Middelen (capaciteit)" in headings_001
    assert not any(heading.startswith("2.1 Transparantie") for heading in headings_001)  # a row of Tabel 1
    markdown = clean_lines(["# Doel", "", "Tekst van het doel."])
    assert markdown[0].heading and markdown[0].text == "Doel"


def test_a_markdown_list_that_repeats_the_text_is_kept() -> None:
    body = "De eenheid plant oefeningen met de politie in het noorden van het land en evalueert die samen achteraf."
    lines = [body, body.replace("De eenheid", "Daarna"), body.replace("De eenheid", "Ook nu"), "", "Samenvatting:", ""]
    lines += ["- eenheid plant oefeningen met de politie in het noorden van het land"]
    paragraphs = clean_lines(lines)
    assert paragraphs[-1].text.startswith("- eenheid plant oefeningen")
