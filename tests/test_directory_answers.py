"""Wie is wie: which unit does what, its parts, its people, and what the directory honestly lacks."""

from __future__ import annotations

import re

import pytest

from tests.answering import assert_citations_resolve, ask, unit_ids


def test_directory_question_names_the_responsible_directorate_with_its_source(engine) -> None:
    answer = ask(engine, "Welke directie gaat over gegevensbescherming?")
    assert answer.kind == "directory"
    assert unit_ids(answer)[0] == "dbe"
    assert "Bedrijfsvoering en Evaluatie" in answer.answer
    assert answer.sources[0].doc.startswith("003_")
    assert "gegevens" in answer.sources[0].text
    assert_citations_resolve(answer)


def test_what_a_unit_does(engine) -> None:
    answer = ask(engine, "Wat doet DSK?")
    assert unit_ids(answer) == ["dsk"]
    assert "strategie" in answer.answer.lower()


def test_a_part_is_found_inside_the_whole_that_frames_the_question(engine) -> None:
    answer = ask(engine, "Wie bewaakt de kwaliteit van Kamerbrieven en nota's van het DGB?")
    assert unit_ids(answer) == ["kabinet-dgb"]


def test_asking_which_part_falls_under_a_unit_is_not_asking_what_it_falls_under(engine) -> None:
    answer = ask(engine, "Welke directie valt onder het DGB en gaat over personeel?")
    assert unit_ids(answer)[0] == "hdp"


def test_two_topics_of_one_directorate_get_that_one(engine) -> None:
    answer = ask(engine, "Welke directie gaat over gegevensbescherming en afstoten?")
    assert unit_ids(answer) == ["dbe"]


def test_a_partner_named_in_the_question_does_not_frame_it(engine) -> None:
    # The police is who the unit works with, not the whole it sits in: its own post (korpschef) is no answer.
    answer = ask(engine, "Welke eenheid bestrijdt terrorisme samen met de politie?")
    assert answer.kind == "directory"
    assert unit_ids(answer)[0] == "dsi"
    assert "Dienst Speciale Interventies" in answer.answer


def test_a_directory_fact_cites_the_passage_that_holds_it_whole(engine) -> None:
    # The fact's lines sit at the end of one passage and the start of the next: cite the one that has it all.
    answer = ask(engine, "Wat doet het Kabinet DGB?")
    assert answer.answer.index("Kamerbrieven") < answer.answer.index("[1]")
    assert "Kamerbrieven" in answer.sources[0].text and "informatievoorziening" in answer.sources[0].text


def test_the_parts_of_the_dgb_are_its_nine_directorates_not_its_management_team(engine) -> None:
    answer = ask(engine, "Welke onderdelen heeft het DGB?")
    assert sorted(unit_ids(answer)) == sorted(
        ["kabinet-dgb", "dsk", "dobp", "dbe", "hdp", "dmv", "cio", "dia", "dv"])
    assert "9 onderdelen" in answer.answer and "MT DGB" not in answer.answer


@pytest.mark.parametrize("question", [
    "Wie zitten er in het Multidisciplinair Interventie Team?",
    "Which agencies take part in the MIT?",
])
def test_the_members_of_a_joint_team_are_the_organisations_taking_part(engine, question: str) -> None:
    answer = ask(engine, question)
    assert answer.kind == "directory"
    assert {"kmar", "politie", "fiod", "douane", "belastingdienst", "om"} <= set(unit_ids(answer))


def test_two_questions_in_one_get_a_unit_each(engine) -> None:
    answer = ask(engine, "Wie bepaalt hoe de politie haar taken invult, en wie beslist over de inzet van de krijgsmacht?")
    assert answer.kind == "directory" and unit_ids(answer)[:2] == ["om", "cds"]
    assert_citations_resolve(answer)


def test_the_parts_listed_are_of_the_unit_the_asking_sentence_names_not_of_the_askers_own(engine) -> None:
    answer = ask(engine, "Ik werk bij de landmacht. Welke bedrijven deden mee aan het Land Maintenance Initiative?")
    assert "scania-nederland" in unit_ids(answer)
    assert all(engine.knowledge.unit(unit_id).kind == "company" for unit_id in unit_ids(answer))


def test_how_many_take_part_is_answered_from_the_units_entry_not_refused(engine) -> None:
    # "doen mee": the particle of "meedoen" is no topic the LMI's entry lacks.
    answer = ask(engine, "Hoeveel bedrijven doen mee aan het LMI?")
    assert answer.kind == "directory" and unit_ids(answer)[0] == "lmi"
    assert "vijf bedrijven" in answer.answer


@pytest.mark.parametrize("question", [
    "Welke bedrijven doen er precies mee met Sponsored Reserves?",
    "welke drie bedrijven doen mee aan Sponsored Reserves? namen graag",
])
def test_companies_the_sources_do_not_name_are_not_found_not_a_list_of_other_parts(engine, question: str) -> None:
    # Sponsored Reserves' only recorded part is a battalion; the companies are never named.
    answer = ask(engine, question)
    assert answer.kind == "not_found"
    assert "geen bedrijven bij naam" in answer.answer
    assert "Sponsored Reserves" in answer.answer and answer.related


def test_companies_asked_with_their_number_are_listed(engine) -> None:
    answer = ask(engine, "Welke vijf bedrijven zitten in het LMI?")
    assert answer.kind == "directory" and len(unit_ids(answer)) == 5
    assert all(engine.knowledge.unit(unit_id).kind == "company" for unit_id in unit_ids(answer))


def test_what_a_partnership_does_comes_with_who_takes_part_in_it(engine) -> None:
    # A directorate is placed by "Onderdeel van ..."; a partnership by the units involved in it.
    answer = ask(engine, "Wat doet Sponsored Reserves?")
    assert answer.kind == "directory"
    assert unit_ids(answer) == ["sponsored-reserves", "geniebataljon-101"]
    assert "Betrokken: 101 Geniebataljon." in answer.answer


def test_former_directorates_are_not_listed_as_current_parts(engine) -> None:
    answer = ask(engine, "Uit welke onderdelen bestaat de Bestuursstaf?")
    assert unit_ids(answer) == ["dgb"]
    assert "één onderdeel" in answer.answer and "Hoofddirectie Beleid" not in answer.answer


def test_integration_model_lists_integrating_and_functional_directorates(engine) -> None:
    answer = ask(engine, "Welke directies zijn integrerend en welke functioneel?")
    text = answer.answer
    for abbreviation in ("DSK", "DOBP", "DBE", "HDP", "DMV", "CIO", "DIA", "DV"):
        assert f"({abbreviation})" in text
    assert text.index("DSK") < text.index("Functioneel") < text.index("HDP")


def test_a_contact_person_at_a_named_unit_is_honestly_none_when_the_sources_name_nobody(engine) -> None:
    nobody = ask(engine, "Wie is de contactpersoon bij Defport?")
    assert nobody.kind == "not_found" and unit_ids(nobody) == ["defport"]
    assert "geen namen, contactgegevens" in nobody.answer


def test_a_person_named_in_a_study_comes_with_the_studys_year(engine) -> None:
    answer = ask(engine, "Op wiens initiatief is het LMI gestart?")
    assert "Kruif" in answer.answer
    assert "002" in answer.answer and "ca. 2013" in answer.answer


def test_contact_details_the_directory_lacks_are_not_invented(engine) -> None:
    answer = ask(engine, "Wat is het telefoonnummer van de directeur van DBE?")
    assert not re.search(r"\d{6,}", answer.answer)


def test_a_director_the_sources_do_not_name_is_not_found_with_what_is_known(engine) -> None:
    answer = ask(engine, "Wie is op dit moment directeur van DIA?")
    assert answer.kind == "not_found"
    assert "geen namen" in answer.answer
    assert unit_ids(answer) == ["dia"] and answer.related


def test_who_holds_a_post_today_is_not_answered_with_units_to_contact(engine) -> None:
    # The studies are dated: who is director-general now they cannot say, and a list of units is no answer.
    answer = ask(engine, "Wie is momenteel de directeur-generaal Beleid? Ik wil hem mailen over een voorstel.")
    assert answer.kind == "not_found"


@pytest.mark.parametrize(("question", "unit_id"), [
    ("Wie binnen het DGB ontwerpt het veiligheidsbeleid?", "dv"),
    ("Wie bij het DGB ontwikkelt het personeelsbeleid?", "hdp"),
    ("Wie is er binnen Defensie proceseigenaar voor veiligheid?", "dv"),
])
def test_who_within_a_unit_does_something_is_the_part_that_does_it(engine, question: str, unit_id: str) -> None:
    answer = ask(engine, question)
    assert answer.kind == "directory" and unit_ids(answer)[0] == unit_id


@pytest.mark.parametrize(("question", "unit_id"), [
    ("Gaat de Directie Veiligheid over integrale beveiliging, of doet een andere directie dat?", "dbe"),
    ("Gaat de Directie Veiligheid over het veiligheidsmanagementsysteem, of doet een andere directie dat?", "dv"),
])
def test_is_it_this_unit_or_another_is_answered_by_the_topic(engine, question: str, unit_id: str) -> None:
    answer = ask(engine, question)
    assert answer.kind == "directory" and unit_ids(answer)[0] == unit_id


@pytest.mark.parametrize(("question", "unit_id", "no_names"), [
    ("Wie is verantwoordelijk voor gegevensbescherming?", "dbe", "geen namen"),
    ("Who is in charge of data protection?", "dbe", "no names"),
])
def test_asking_who_is_responsible_is_about_the_unit_not_about_names(
        engine, question: str, unit_id: str, no_names: str) -> None:
    answer = ask(engine, question)
    assert answer.kind == "directory"
    assert unit_ids(answer) == [unit_id]
    assert no_names not in answer.answer


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("Wie binnen het DGB regelt dat nota's en Kamerbrieven kloppen?", "kabinet-dgb"),
        ("Welk landmachtonderdeel moest in het LMI de industrie en de landmacht bij elkaar brengen?", "dgs"),
    ],
)
def test_unit_found_by_its_tasks_answers_whatever_else_the_question_says(engine, question: str, unit: str) -> None:
    answer = ask(engine, question)
    name = engine.knowledge.unit(unit).name
    # Answered from the directory, or from the study passage that describes the unit: either way it names it. The
    # not-found decision refuses up to 5% of answerable questions; then the passages shown still name it.
    shown = answer.answer if answer.kind != "not_found" else " ".join(source.text for source in answer.related)
    assert unit in unit_ids(answer) or name in shown


def test_directory_finds_a_task_inside_a_compound_the_stemmer_spells_differently(engine) -> None:
    # DBE's task is "afstoten" (stemmed "afstoot"); the user asks about "afstotingsbeleid".
    answer = ask(engine, "Welke directie maakt het afstotingsbeleid?")
    assert answer.kind == "directory"
    assert unit_ids(answer)[0] == "dbe"


@pytest.mark.parametrize(("question", "unit"), [
    ("I work at Central Staff now. What exactly does DBE do?", "dbe"),
    ("Ik ben net overgestapt van de CIO naar de Bestuursstaf. Wat doet DMV precies?", "dmv"),
])
def test_what_does_a_unit_do_is_answered_whatever_the_asker_tells_about_themselves(engine, question, unit) -> None:
    answer = ask(engine, question)
    assert answer.kind != "not_found" and unit in unit_ids(answer)
    assert engine.knowledge.unit(unit).name in answer.answer


def test_the_name_of_a_platform_is_found_from_what_it_does(engine) -> None:
    answer = ask(engine, "Hoe heet het platform van Defensie dat financiering voor opschaling biedt?")
    assert "Defport" in answer.answer


def test_directory_matches_a_word_that_begins_a_compound_of_the_unit(engine) -> None:
    # Sioo's keyword is "alliantiemanagement"; the user writes "allianties".
    answer = ask(engine, "Bij welke organisatie leer je allianties managen?")
    assert answer.kind == "directory"
    assert unit_ids(answer)[0] == "sioo"


def test_the_askers_own_boss_does_not_make_it_a_question_about_a_person(engine) -> None:
    answer = ask(engine, "Mijn commandant wil weten welke dienst terrorisme bestrijdt samen met de politie.")
    assert answer.kind in ("directory", "counterpart") and not answer.people
    assert unit_ids(answer)[0] == "dsi"


def test_who_was_to_lead_a_team_names_the_planned_lead_with_the_year_of_the_plan(engine) -> None:
    answer = ask(engine, "In 2019 kreeg het DGB een themateam voor de toekomstige inrichting. Wie zou dat team leiden?")
    assert answer.kind == "directory"
    assert "Sara Eckhardt" in answer.answer and "ca. 2019" in answer.answer


def test_asking_for_a_name_the_passages_do_not_give_is_not_found(engine) -> None:
    # The studies discuss liaison between the two, but name nobody: quoting them would pass for an answer.
    refused = ask(engine, "Wie is de verbindingsofficier van Defensie bij de politie? Graag een naam.")
    assert refused.kind == "not_found" and refused.related
    named = ask(engine, "Wie was de programmamanager van het LMI?")
    assert named.kind != "not_found" and "Klos" in named.answer


def test_who_leads_a_unit_the_sources_name_no_leader_for_is_not_found(engine) -> None:
    answer = ask(engine, "Wie heeft de leiding over de DSI?")
    assert answer.kind == "not_found"
    assert unit_ids(answer)[0] == "dsi"


def test_directory_question_in_other_words_than_the_directory_uses(engine) -> None:
    # The directory says "gegevensbescherming"; the user says "bescherming van persoonsgegevens".
    answer = ask(engine, "Onder welke directie valt de bescherming van persoonsgegevens?")
    assert answer.kind == "directory"
    assert unit_ids(answer)[0] == "dbe"
    first_line = answer.answer.splitlines()[0]
    assert "gegevensbescherming" in first_line  # the task asked about comes first, not the unit's first task


@pytest.mark.parametrize(("question", "unit_id"), [
    ("wie binnen het dgb bewaakt de kwaliteit van kamerbrieven en nota's?", "kabinet-dgb"),
    ("wat doet de cio eigenlijk?", "cio"),
])
def test_an_abbreviation_typed_in_lower_case_names_its_unit(engine, question: str, unit_id: str) -> None:
    answer = ask(engine, question)
    assert answer.kind == "directory" and unit_ids(answer)[0] == unit_id


def test_a_two_letter_word_in_lower_case_is_not_taken_for_a_unit(engine) -> None:
    # "om" is a word, "OM" the Openbaar Ministerie; "do" is English, "DO" the defence units.
    directory = engine.tools.directory
    assert directory.mentioned_units("Ik wil om advies vragen: what do we do about data protection?") == []
    assert directory.with_abbreviations_as_written("wat doet de dgb? en de om?") == "wat doet de DGB? en de om?"


@pytest.mark.parametrize("question", ["Wat kost het LMI per jaar?", "Hoeveel geeft Defensie jaarlijks uit aan NAFIN?"])
def test_a_sum_the_units_entry_does_not_give_is_left_to_the_studies_which_do_not_give_it_either(
        engine, question: str) -> None:
    # The unit's entry is no answer to "how much": the study route weighs the passages, and they hold no such sum.
    answer = ask(engine, question)
    assert answer.kind == "not_found"
