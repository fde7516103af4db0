"""The curated knowledge in `knowledge/`: what users are told.

The real files are loaded and checked for facts a user would notice if they were wrong (a directorate in the
wrong place of the integration model, an abbreviation that finds nothing, a citation that points at the wrong
lines). Broken files are fed to the loader in test_knowledge_errors.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeBase, load_documents, load_knowledge
from bot.knowledge.schema import DocumentInfo, GlossaryTerm, SourceRef, Unit
from bot.settings import SHIPPED_KNOWLEDGE

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
INLINE_CITATION = re.compile(r"\((\d{3}), r\. (\d+)-(\d+)\)")

DGB_PARTS = {
    "kabinet-dgb": "staf",
    "dsk": "integrerend",
    "dobp": "integrerend",
    "dbe": "integrerend",
    "hdp": "functioneel",
    "dmv": "functioneel",
    "cio": "functioneel",
    "dia": "functioneel",
    "dv": "functioneel",
}
INTEGRATING = {unit_id for unit_id, kind in DGB_PARTS.items() if kind == "integrerend"}
FUNCTIONAL = {unit_id for unit_id, kind in DGB_PARTS.items() if kind == "functioneel"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(SHIPPED_KNOWLEDGE)


@pytest.fixture(scope="module")
def documents() -> dict[str, DocumentInfo]:
    return load_documents(SHIPPED_KNOWLEDGE)


@pytest.fixture(scope="module")
def corpus_lines() -> dict[str, list[str]]:
    if not CORPUS.is_dir():
        pytest.fail(f"corpus not found at {CORPUS}; tests expect ../shared beside the repository")
    return {path.name[:3]: path.read_text(encoding="utf-8").splitlines() for path in CORPUS.glob("*.txt")}


def squash(text: str) -> str:
    """Compare text across PDF line breaks: no case, whitespace, hyphens or curly apostrophes."""
    return re.sub(r"[\s\-]+", "", text.replace("’", "'").lower())


def cited_text(corpus_lines: dict[str, list[str]], ref: SourceRef) -> str:
    start, end = ref.lines
    return squash(" ".join(corpus_lines[ref.doc][start - 1 : end]))


def label_index(kb: KnowledgeBase) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for unit in kb.units:
        for label in {unit.name, *unit.abbreviations, *unit.aliases}:
            index.setdefault(label.casefold(), []).append(unit.id)
    return index


def all_source_refs(kb: KnowledgeBase, documents: dict[str, DocumentInfo]) -> list[tuple[str, SourceRef]]:
    refs: list[tuple[str, SourceRef]] = []
    for unit in kb.units:
        refs += [(f"{unit.id} feit", fact.source) for fact in unit.responsibilities]
        refs += [(f"{unit.id} -> {rel.unit}", rel.source) for rel in unit.relations]
        refs += [(f"{unit.id} persoon", person.source) for person in unit.people]
    refs += [(f"glossary {term.term}", term.source) for term in kb.glossary]
    refs += [(f"sources {info.doc}", info.source) for info in documents.values()]
    for case in kb.cases:
        refs += [(case.path.name, ref) for ref in case.meta.sources]
        for match in INLINE_CITATION.finditer(case.body):
            ref = SourceRef(doc=match[1], lines=(int(match[2]), int(match[3])))
            refs.append((f"{case.path.name} in de tekst", ref))
    return refs


def relations_about(unit: Unit, keyword: str) -> list[str]:
    """Target unit ids of `unit`'s relations that mention `keyword`, best first."""
    matching = [rel for rel in unit.relations if keyword in rel.keywords or keyword in rel.topic]
    return [rel.unit for rel in sorted(matching, key=lambda rel: rel.order)]


# --- The directory a user queries -------------------------------------------------------------


@pytest.mark.parametrize(("unit_id", "kind"), sorted(DGB_PARTS.items()))
def test_every_dgb_part_sits_under_dgb_with_its_integration_model_kind(
    kb: KnowledgeBase, unit_id: str, kind: str
) -> None:
    unit = kb.unit(unit_id)
    assert unit is not None, f"{unit_id} ontbreekt"
    assert unit.kind == kind
    assert unit.parent == "dgb"


def test_dgb_has_exactly_the_nine_parts_named_in_the_study(kb: KnowledgeBase) -> None:
    parts = {unit.id for unit in kb.children("dgb") if unit.kind in {"staf", "integrerend", "functioneel"}}
    assert parts == set(DGB_PARTS)
    dgb = kb.unit("dgb")
    assert dgb is not None and dgb.kind == "directoraat" and dgb.parent == "bestuursstaf"


@pytest.mark.parametrize("label", ["DMV", "MDVD", "DMVD", "dmv", "Directie Materieel en Vastgoed", "M&V"])
def test_materieel_en_vastgoed_is_found_under_every_spelling_in_the_study(
    kb: KnowledgeBase, label: str
) -> None:
    assert label_index(kb)[label.casefold()] == ["dmv"]


def test_no_abbreviation_points_at_two_units(kb: KnowledgeBase) -> None:
    seen: dict[str, str] = {}
    for unit in kb.units:
        for abbreviation in unit.abbreviations:
            key = abbreviation.casefold()
            assert key not in seen, f"{abbreviation} hoort bij {seen[key]} en {unit.id}"
            seen[key] = unit.id


def test_it_strategy_goes_from_cio_to_dsk_then_to_dobp_for_plans(kb: KnowledgeBase) -> None:
    cio = kb.unit("cio")
    assert cio is not None
    assert relations_about(cio, "IT-strategie")[:2] == ["dsk", "dobp"]
    example = next(rel for rel in cio.relations if rel.unit == "dsk")
    assert (example.source.doc, example.source.lines) == ("003", (704, 708))


@pytest.mark.parametrize("unit_id", sorted(FUNCTIONAL))
def test_functional_directorates_are_pointed_to_the_integrating_ones(kb: KnowledgeBase, unit_id: str) -> None:
    unit = kb.unit(unit_id)
    assert unit is not None
    assert INTEGRATING <= {rel.unit for rel in unit.relations}


def test_a_materiel_project_is_told_to_involve_personnel(kb: KnowledgeBase) -> None:
    dmv = kb.unit("dmv")
    assert dmv is not None
    assert relations_about(dmv, "materieelproject")[0] == "hdp"


def test_dobp_aligns_with_cds_defence_branches_nato_and_eu(kb: KnowledgeBase) -> None:
    dobp = kb.unit("dobp")
    assert dobp is not None
    assert {"cds", "defensieonderdelen", "navo", "eu"} <= {rel.unit for rel in dobp.relations}


def test_safety_and_security_tension_is_recorded_both_ways(kb: KnowledgeBase) -> None:
    dv, dmv = kb.unit("dv"), kb.unit("dmv")
    assert dv is not None and dmv is not None
    assert "dmv" in relations_about(dv, "security")
    assert "dv" in relations_about(dmv, "safety")
    assert "dobp" in relations_about(dv, "investeringen")


def test_police_support_requests_go_to_natops_within_dops(kb: KnowledgeBase) -> None:
    politie, natops = kb.unit("politie"), kb.unit("natops")
    assert politie is not None and natops is not None
    assert relations_about(politie, "bijstand")[0] == "natops"
    assert natops.parent == "dops"


def test_searching_for_a_missing_person_points_to_natops(kb: KnowledgeBase) -> None:
    politie = kb.unit("politie")
    assert politie is not None
    assert relations_about(politie, "vermiste persoon") == ["natops"]
    assert relations_about(politie, "duikers") == ["natops"]


def test_counter_terrorism_as_equal_partners_points_to_dsi(kb: KnowledgeBase) -> None:
    politie, defensie = kb.unit("politie"), kb.unit("defensie")
    assert politie is not None and defensie is not None
    assert relations_about(politie, "terrorisme") == ["dsi"]
    assert relations_about(defensie, "terrorisme") == ["dsi"]


def test_what_the_police_gives_back_is_training(kb: KnowledgeBase) -> None:
    defensie = kb.unit("defensie")
    assert defensie is not None
    assert relations_about(defensie, "training") == ["politie"]


def test_partnerships_and_companies_are_not_listed_as_parts_of_an_organisation(kb: KnowledgeBase) -> None:
    """"Welke onderdelen heeft Defensie?" must not answer with NAFIN or a consortium."""
    loose = {"partnership", "platform", "company", "locatie"}
    assert [unit.id for unit in kb.units if unit.kind in loose and unit.parent] == []


@pytest.mark.parametrize("unit_id", ["hdb", "hdbv"])
def test_predecessor_mapping_is_not_invented(kb: KnowledgeBase, unit_id: str) -> None:
    """The old-to-new mapping was in a figure the text lost; the data must not guess it."""
    unit = kb.unit(unit_id)
    assert unit is not None and unit.kind == "voorganger"
    assert unit.relations == []


def test_people_from_the_2013_article_are_dated_2013_or_earlier(kb: KnowledgeBase) -> None:
    dated = [(unit.id, person) for unit in kb.units for person in unit.people if person.source.doc == "002"]
    assert dated, "002 noemt personen (De Kruif, Damen, Klos, Van Vliet)"
    assert all(person.year <= 2013 for _, person in dated)


# --- Citations ---------------------------------------------------------------------------------


def test_every_cited_line_range_exists_in_its_study(
    kb: KnowledgeBase, documents: dict[str, DocumentInfo], corpus_lines: dict[str, list[str]]
) -> None:
    too_long = [
        f"{where}: {ref.label()} (bestand heeft {len(corpus_lines[ref.doc])} regels)"
        for where, ref in all_source_refs(kb, documents)
        if ref.lines[1] > len(corpus_lines[ref.doc])
    ]
    assert not too_long


def test_every_cited_range_has_text(
    kb: KnowledgeBase, documents: dict[str, DocumentInfo], corpus_lines: dict[str, list[str]]
) -> None:
    empty = [
        f"{where}: {ref.label()}"
        for where, ref in all_source_refs(kb, documents)
        if not cited_text(corpus_lines, ref)
    ]
    assert not empty


def test_each_unit_is_named_in_the_lines_its_facts_cite(
    kb: KnowledgeBase, corpus_lines: dict[str, list[str]]
) -> None:
    unnamed = []
    for unit in kb.units:
        names = {re.sub(r"\s*\(.*\)$", "", unit.name), *unit.abbreviations, *unit.aliases}
        cited = " ".join(cited_text(corpus_lines, fact.source) for fact in unit.responsibilities)
        if not any(squash(name) in cited for name in names):
            unnamed.append(unit.id)
    assert not unnamed


def test_each_relation_cites_lines_that_name_one_of_its_two_units(
    kb: KnowledgeBase, corpus_lines: dict[str, list[str]]
) -> None:
    def names(unit: Unit) -> set[str]:
        return {re.sub(r"\s*\(.*\)$", "", unit.name), *unit.abbreviations, *unit.aliases}

    unsupported = []
    for unit in kb.units:
        for relation in unit.relations:
            target = kb.unit(relation.unit)
            assert target is not None
            cited = cited_text(corpus_lines, relation.source)
            if not any(squash(name) in cited for name in names(unit) | names(target)):
                unsupported.append(f"{unit.id} -> {relation.unit} ({relation.source.label()})")
    assert not unsupported


def test_every_glossary_term_occurs_where_it_is_cited(
    kb: KnowledgeBase, corpus_lines: dict[str, list[str]]
) -> None:
    missing = [
        term.term for term in kb.glossary if squash(term.term) not in cited_text(corpus_lines, term.source)
    ]
    assert not missing


def test_expansions_claimed_from_the_studies_are_in_the_cited_lines(
    kb: KnowledgeBase, corpus_lines: dict[str, list[str]]
) -> None:
    claimed = [term for term in kb.glossary if term.expanded_in_sources]
    assert len(claimed) >= 20
    wrong = [
        term.term
        for term in claimed
        if squash(term.expansion or "") not in cited_text(corpus_lines, term.source)
    ]
    assert not wrong


# --- Glossary and bibliography -------------------------------------------------------------------


def glossary_term(kb: KnowledgeBase, term: str) -> GlossaryTerm:
    return next(entry for entry in kb.glossary if entry.term == term)


def test_ps_ib_is_reported_as_not_expanded_by_the_studies(kb: KnowledgeBase) -> None:
    entry = glossary_term(kb, "PS&IB")
    assert entry.expanded_in_sources is False
    assert entry.expansion is None
    assert entry.note and "nergens uit" in entry.note


@pytest.mark.parametrize("term", ["SG", "CDS", "KMar"])
def test_general_knowledge_expansions_say_so(kb: KnowledgeBase, term: str) -> None:
    entry = glossary_term(kb, term)
    assert entry.expanded_in_sources is False
    assert entry.expansion
    assert entry.note and "algemeen bekend" in entry.note


def test_glossary_units_exist(kb: KnowledgeBase) -> None:
    assert all(term.unit is None or kb.unit(term.unit) for term in kb.glossary)


def test_bibliography_covers_all_five_studies_with_honest_years(documents: dict[str, DocumentInfo]) -> None:
    assert sorted(documents) == ["000", "001", "002", "003", "004"]
    assert documents["000"].year == 2026
    assert documents["003"].year is None
    assert documents["003"].author == "Lotte Hoekstra"
    assert documents["001"].author is None


# --- Case notes --------------------------------------------------------------------------------


def test_only_the_demonstration_note_is_restricted(kb: KnowledgeBase) -> None:
    restricted = [case for case in kb.cases if case.meta.visibility == "restricted"]
    assert [case.path.name for case in restricted] == ["voorbeeld-vertrouwelijk.md"]
    assert restricted[0].meta.channels == ["C0000EXAMPLE"]


@pytest.mark.parametrize(
    ("stem", "unit_id"),
    [
        ("lmi", "lmi"),
        ("hive", "hive"),
        ("sponsored-reserves", "sponsored-reserves"),
        ("ecosysteem-logistiek", "ecosysteem-logistiek"),
        ("kromhout-kazerne", "kromhout-kazerne"),
        ("nafin", "nafin"),
        ("dsi", "dsi"),
        ("mit", "mit"),
        ("dgb-integratiemodel", "dgb"),
    ],
)
def test_each_case_has_a_cited_note_about_its_unit(kb: KnowledgeBase, stem: str, unit_id: str) -> None:
    case = next(case for case in kb.cases if case.path.stem == stem)
    assert unit_id in case.meta.units
    assert case.meta.sources
    assert len(INLINE_CITATION.findall(case.body)) >= 3
    assert 150 <= len(case.body.split()) <= 400
