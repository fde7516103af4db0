"""The answer engine on the real corpus and knowledge base: what a user asking Schakel sees."""

from __future__ import annotations

import re

import pytest

from bot.core.models import Answer, AskerContext, Question

PUBLIC_CHANNEL = AskerContext(channel_id="C0PUBLIEK", private=False)
RESTRICTED_WORD = "zilverreiger-7"  # appears only in knowledge/cases/voorbeeld-vertrouwelijk.md


def ask(engine, text: str, asker: AskerContext | None = None) -> Answer:  # type: ignore[no-untyped-def]
    return engine.answer(Question(text=text, asker=asker or AskerContext(private=True)))


def unit_ids(answer: Answer) -> list[str]:
    return [unit.id for unit in answer.units]


def assert_citations_resolve(answer: Answer) -> None:
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
    assert all(1 <= n <= len(answer.sources) for n in numbers), (numbers, len(answer.sources))


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


def test_it_strategy_counterparts_are_cio_with_dsk_then_dobp_each_with_a_reason(engine) -> None:
    answer = ask(engine, "Ik werk aan een IT-strategie, met wie moet ik samenwerken?")
    assert answer.kind == "counterpart"
    assert unit_ids(answer)[:3] == ["cio", "dsk", "dobp"]
    assert all(unit.reason for unit in answer.units)
    assert "onderdeel van" not in answer.answer  # all three sit in the DGB: naming it thrice tells them not apart
    assert_citations_resolve(answer)


def test_police_support_requests_go_to_natops(engine) -> None:
    answer = ask(engine, "Wij zijn van de politie en willen militaire bijstand aanvragen. Bij wie moeten we zijn?")
    assert answer.kind == "counterpart"
    assert unit_ids(answer)[0] == "natops"
    assert "politie" not in unit_ids(answer)
    # The police asker learns where the bureau sits: the mission's "NatOps (DOPS)".
    assert "Bureau Nationale Operaties (NatOps), onderdeel van Directie Operaties (DOPS)" in answer.answer


def test_a_counterpart_is_never_an_author_cited_in_a_passage_nor_a_continent(engine) -> None:
    # The best passages cite "(… Ministerie van Justitie en Veiligheid 2018)" and speak of "het oosten van
    # Europa": neither makes the public prosecutor or the EU someone to contact for military assistance.
    answer = ask(engine, "Ik werk bij de politie en we hebben voor een zoektocht naar een vermiste persoon extra "
                         "mensen nodig. Waar vraag ik militairen aan?")
    assert answer.kind == "counterpart"
    assert unit_ids(answer)[0] == "natops"
    assert not {"om", "eu"} & set(unit_ids(answer))


def test_the_directorate_whose_own_task_is_the_topic_leads_the_askers_counterparts(engine) -> None:
    # DOBP's relations only touch procurement; procurement itself is DBE's task.
    answer = ask(engine, "Ik zit bij DOBP en schrijf over de aanbesteding van nieuw materieel. Met wie overleg ik?")
    assert answer.kind == "counterpart"
    assert unit_ids(answer)[0] == "dbe"
    assert "dobp" not in unit_ids(answer)


@pytest.mark.parametrize(("question", "unit_id"), [
    ("Wij zijn een logistiek dienstverlener en willen Defensie met transport ondersteunen. "
     "Bij welk samenwerkingsverband sluiten we aan?", "ecosysteem-logistiek"),
    ("Wij zijn een jong defensiebedrijf en zoeken financiering om op te schalen. Is daar een platform voor?",
     "defport"),
])
def test_the_unit_whose_own_work_is_the_topic_leads_an_outsiders_counterparts(engine, question, unit_id) -> None:
    answer = ask(engine, question)
    assert answer.kind == "counterpart" and unit_ids(answer)[0] == unit_id


def test_a_company_that_is_looking_for_funding_is_not_sent_to_the_polices_search_support(engine) -> None:
    # "zoeken" is what anyone does; only a search operation ("zoekactie") is the police's request for divers.
    answer = ask(engine, "Wij zijn een jong defensiebedrijf en zoeken financiering om op te schalen. Waar kunnen we heen?")
    assert "natops" not in unit_ids(answer)
    assert "Politie" not in answer.answer.splitlines()[0]


def test_a_counterparts_reason_is_its_task_on_the_topic(engine) -> None:
    # The directory's task text says "informatiemanagement"; the user says "archiefbeheer".
    answer = ask(engine, "Wij van CIO schrijven over archiefbeheer; met welke directie stemmen we af?")
    assert answer.units[0].id == "dbe"
    assert "informatiemanagement" in answer.answer


def test_a_defence_unit_scaling_up_a_pps_is_sent_to_the_dgb_the_study_recommends(engine) -> None:
    answer = ask(engine, "Wij zijn een defensieonderdeel met een geslaagde PPS-pilot. Welke partij moeten we erbij "
                         "halen om op te schalen?")
    assert answer.kind == "counterpart" and unit_ids(answer)[0] == "dgb"
    assert answer.sources[0].doc.startswith("000")


def test_a_contact_person_at_a_named_unit_is_honestly_none_when_the_sources_name_nobody(engine) -> None:
    nobody = ask(engine, "Wie is de contactpersoon bij Defport?")
    assert nobody.kind == "not_found" and unit_ids(nobody) == ["defport"]
    assert "geen namen, contactgegevens" in nobody.answer


def test_the_askers_own_unit_steers_counterparts_and_is_not_suggested_to_them(engine) -> None:
    asker = AskerContext(private=True, unit_id="dia")
    answer = ask(engine, "Ik wil een domeinoverstijgend product maken, bij wie moet ik zijn?", asker)
    assert set(unit_ids(answer)) >= {"dsk", "dobp", "dbe"}
    assert "dia" not in unit_ids(answer)


def test_consulting_is_how_the_asker_works_not_what_about(engine) -> None:
    # "overleg" is the Kabinet DGB's task; in "met wie overleg ik over X" only X is the topic.
    answer = ask(engine, "Met wie overleg ik over een datastrategie?")
    assert answer.kind == "counterpart"
    assert set(unit_ids(answer)[:2]) == {"cio", "dsk"}
    assert not {"sg", "kabinet-dgb"} & set(unit_ids(answer))


def test_an_organisation_with_only_a_post_under_it_is_the_askers_side_not_an_umbrella(engine) -> None:
    answer = ask(engine, "Ik ben van de politie en wil een drone van Defensie lenen. Bij wie moet ik zijn?")
    assert answer.kind == "counterpart"
    assert unit_ids(answer)[0] == "natops"
    assert "politie" not in unit_ids(answer)
    assert answer.answer.startswith("Vanuit Nationale Politie")


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


def test_question_the_sources_do_not_answer_is_refused_with_nearest_passages(engine) -> None:
    answer = ask(engine, "Hoeveel verdient een kolonel per maand?")
    assert answer.kind == "not_found"
    assert "staat niet in de bronnen" in answer.answer
    assert answer.related and not answer.sources


def test_how_much_question_the_sources_give_a_figure_for_is_answered(engine) -> None:
    answer = ask(engine, "Hoeveel procent van de bijstandsverzoeken gaat over zoekacties?")
    assert answer.kind == "study"
    assert "83 procent" in answer.answer


def test_how_many_needs_the_figure_in_the_same_sentence_as_what_is_counted(engine) -> None:
    # The passages give "101 Geniebataljon" and "drie partijen", but no number of reservists.
    answer = ask(engine, "Hoeveel reservisten zijn er via Sponsored Reserves ingezet?")
    assert answer.kind == "not_found"


def test_how_many_people_is_answered_by_a_figure_next_to_what_they_did(engine) -> None:
    # "mensen" counts anything; the study counts its interviews ("14 interviews afgenomen").
    answer = ask(engine, "Hoeveel mensen zijn voor het onderzoek naar het DGB geïnterviewd?")
    assert answer.kind == "study"
    assert "14 interviews" in answer.answer


def test_conversations_are_searched_as_interviews(engine) -> None:
    answer = ask(engine, "Met hoeveel gesprekken is het onderzoek naar politie en Defensie uitgevoerd?")
    assert answer.kind == "study"
    assert "10 interviews" in answer.sources[0].text


def test_how_much_question_with_a_verb_after_hoeveel_is_answered(engine) -> None:
    # What is counted follows the verb; the sources give the figure ("twee van de drie").
    answer = ask(engine, "Hoeveel moet een opgeschaalde samenwerking volgens Van Ham minimaal scoren op de criteria?")
    assert answer.kind == "study"
    assert "twee van de drie" in answer.answer


def test_english_question_in_everyday_words_is_answered_not_refused(engine) -> None:
    answer = ask(engine, "Which legal basis lets the police request military assistance?")
    assert answer.kind == "study"
    assert "Politiewet" in answer.answer


def test_a_word_the_sources_never_use_finds_its_passage_through_its_synonym_first(engine) -> None:
    # "ontraden" is not in the studies; "onwenselijk" is, in the passage that answers.
    answer = ask(engine, "Waarom wordt informele hulp tussen agenten en militairen ontraden?")
    assert answer.kind == "study"
    assert "onwenselijk" in answer.sources[0].text


def test_english_everyday_words_reach_the_dutch_passage(engine) -> None:
    answer = ask(engine, "How did the police and defence purchase their communication systems?")
    assert answer.kind == "study"
    assert "gescheiden systemen" in answer.answer


def test_an_english_latin_word_finds_the_dutch_passage_that_spells_it_the_dutch_way(engine) -> None:
    # No synonym list has "autonomy"; the study says "autonomie".
    answer = ask(engine, "What does Boonstra say about the autonomy of the partners?")
    assert answer.kind == "study"
    assert "autonomie" in answer.answer


@pytest.mark.parametrize(
    ("question", "quoted"),
    [("Why are companies afraid to lose their identity in a partnership?", "identiteit te verliezen"),
     ("Are the rules for sharing information between police and defence clear?", "uitwisselen van informatie")],
)
def test_english_everyday_words_are_searched_with_their_dutch_translations(engine, question: str, quoted: str) -> None:
    # "afraid", "lose", "sharing", "rules": knowledge/translations.yaml gives the studies' words for them.
    answer = ask(engine, question)
    assert answer.kind == "study"
    assert quoted in answer.answer


def test_english_small_talk_around_the_question_does_not_get_it_refused(engine) -> None:
    # "honestly", "curious", "teamwork": words without a Dutch translation say nothing about the sources.
    answer = ask(engine, "Honestly curious: do the legal frameworks really hinder police and military teamwork "
                         "in practice?")
    assert answer.kind == "study"
    assert "juridische" in answer.answer


def test_an_english_of_is_not_read_as_often(engine) -> None:
    # The Dutch stemmer makes "often" into "of"; the question asks nothing about frequency.
    expansion = engine.tools.expander.expand("Which drawback of long-term partnerships does Boonstra mention?")
    assert "frequentie" not in expansion.related and "frequentie" not in expansion.substitutes


def test_an_english_study_answer_quotes_the_dutch_sentences_its_words_translate_to(engine) -> None:
    answer = ask(engine, "Where does the police submit a request for military assistance?")
    assert answer.language == "en" and "natops" in unit_ids(answer)
    assert "See the sources below" not in answer.answer
    assert "steunverzoeken" in answer.answer and "[1]" in answer.answer
    assert_citations_resolve(answer)


def test_a_dutch_word_the_sources_never_use_quotes_the_sentence_with_its_synonym(engine) -> None:
    # The studies never say "afgeraden"; the passage that answers says "onwenselijk". Retrieval finds it
    # through the synonym, and the quoted sentence must be that one, not one that repeats "bijstand".
    answer = ask(engine, "Waarom is informele bijstand tussen politie en Defensie afgeraden?")
    first_quote = answer.answer.split("\n", 1)[1].split("[1]")[0]
    assert "onwenselijk" in first_quote and "informele" in first_quote
    assert_citations_resolve(answer)


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


def test_quoted_sentences_do_not_break_at_line_references_or_quote_note_keywords(engine) -> None:
    answer = ask(engine, "Hoeveel procent van de bijstandsverzoeken gaat over zoekacties?")
    assert "Trefwoorden" not in answer.answer
    # A reference such as "(001, r. 1335-1347)." stays inside its sentence instead of opening the next one.
    assert not re.search(r"(?:^|\]\s+|\n)\d+-\d+\)", answer.answer)


def test_study_question_gets_sentences_from_the_studies_with_numbered_citations(engine) -> None:
    answer = ask(engine, "Waarom zijn bestuurders terughoudend met de inzet van militairen op straat?")
    assert answer.kind == "study"
    assert "[1]" in answer.answer
    assert answer.sources[0].doc.startswith("001_")
    assert len(answer.sources) <= 5
    assert_citations_resolve(answer)


def test_asking_for_other_directorates_makes_the_one_named_the_askers_own(engine) -> None:
    # "andere directies" are other than DIA, where the asker starts; the answer should not speak from elsewhere.
    answer = ask(engine, "We starten bij DIA met een nieuw beleidsstuk. Welke andere directies betrekken we erbij?")
    assert answer.kind == "counterpart"
    assert answer.answer.startswith("Vanuit Directie Internationale Aangelegenheden (DIA)")
    assert "dia" not in unit_ids(answer)


def test_english_question_gets_an_english_answer(engine) -> None:
    answer = ask(engine, "Which directorate is responsible for data protection?")
    assert answer.language == "en"
    assert unit_ids(answer)[0] == "dbe"
    assert "as described in the Dutch sources" in answer.answer


def test_follow_up_in_a_thread_uses_the_earlier_question(engine) -> None:
    asker = AskerContext(private=True, thread_history=["Welke directie gaat over gegevensbescherming?"])
    answer = ask(engine, "En inkoop?", asker)
    assert unit_ids(answer)[0] == "dbe"


def test_a_new_short_question_in_a_thread_is_not_read_as_a_follow_up(engine) -> None:
    asker = AskerContext(private=True, thread_history=["Welke directie gaat over gegevensbescherming?"])
    assert unit_ids(ask(engine, "Wat doet DSK?", asker)) == ["dsk"]
    asker = AskerContext(private=True, thread_history=["Wat doet de DBE?"])
    answer = ask(engine, "Wat betekent coalitieoverschot?", asker)
    assert answer.kind == "study"
    assert "dbe" not in unit_ids(answer)


def test_a_follow_up_naming_only_another_unit_is_about_that_unit(engine) -> None:
    asker = AskerContext(private=True, thread_history=["Welke directie gaat over gegevensbescherming?"])
    assert unit_ids(ask(engine, "En hoe zit het met DSK?", asker)) == ["dsk"]


def test_a_question_about_that_unit_follows_on_from_the_thread(engine) -> None:
    asker = AskerContext(private=True, thread_history=["Wat doet DSK?"])
    answer = ask(engine, "Wie leidt die directie?", asker)
    assert unit_ids(answer) == ["dsk"]
    assert answer.kind == "not_found"  # the studies name no director; nothing is invented


@pytest.mark.parametrize(
    ("asker", "visible"),
    [
        (AskerContext(private=True), True),
        (AskerContext(channel_id="C0000EXAMPLE", private=False), True),
        (PUBLIC_CHANNEL, False),
    ],
    ids=["dm", "listed-channel", "other-channel"],
)
def test_restricted_note_only_in_dms_and_listed_channels(engine, asker: AskerContext, visible: bool) -> None:
    answer = ask(engine, f"Wat is {RESTRICTED_WORD}?", asker)
    shown = [source for source in answer.sources + answer.related if RESTRICTED_WORD in source.text]
    assert bool(shown) is visible
    if not visible:
        assert RESTRICTED_WORD not in answer.answer.replace(f"Wat is {RESTRICTED_WORD}?", "")


def test_empty_question_gets_a_hint(engine) -> None:
    answer = ask(engine, "   ?  ")
    assert answer.kind == "not_found"
    assert "Welke directie" in answer.answer


@pytest.mark.parametrize("question", ["מי אחראי על הגנת מידע?", "من المسؤول عن حماية البيانات؟"])
def test_a_question_in_another_script_is_read_as_a_question(engine, question: str) -> None:
    # Hebrew and Arabic letters are letters: the question is searched, not mistaken for an empty message.
    answer = ask(engine, question)
    assert "Ik zie geen vraag" not in answer.answer and "I don't see a question" not in answer.answer
    assert answer.sources or answer.related


def test_passage_lookup_respects_visibility(engine) -> None:
    private = ask(engine, f"Wat is {RESTRICTED_WORD}?")
    chunk_id = next(s.chunk_id for s in private.sources + private.related if RESTRICTED_WORD in s.text)
    assert engine.passage(chunk_id, AskerContext(private=True)) is not None
    assert engine.passage(chunk_id, PUBLIC_CHANNEL) is None


def test_words_the_sources_never_use_are_searched_through_their_synonyms(engine) -> None:
    # "teruggeven" occurs nowhere in the sources: its synonyms stand in for it at full weight,
    # while synonyms of a word the sources do use ("reflecteren") stay a discounted extra.
    absent = engine.tools.expander.expand("Wat kan de politie Defensie teruggeven?")
    assert "voordelen" in absent.substitutes.split()
    present = engine.tools.expander.expand("Hoe reflecteren directies op hun samenwerking?")
    assert "evalueren" in present.related.split() and "evalueren" not in present.substitutes.split()


def test_working_within_an_umbrella_is_where_the_asker_sits_not_whom_to_contact(engine) -> None:
    answer = ask(engine, "Ik moet binnen het DGB aan een nieuwe IT-strategie werken. Met welke directies trek ik op?")
    assert answer.kind == "counterpart"
    assert unit_ids(answer)[:3] == ["cio", "dsk", "dobp"]


def test_english_counterpart_question_gets_the_counterpart_from_the_interviews(engine) -> None:
    answer = ask(engine, "We run a materiel project in the DGB. Which other directorate should we involve?")
    assert answer.kind == "counterpart"
    assert "hdp" in unit_ids(answer)
    assert answer.language == "en"


def test_the_umbrella_the_asker_works_in_does_not_pull_in_units_that_merely_mention_it(engine) -> None:
    answer = ask(engine, "Ik werk binnen het DGB aan een nieuwe IT-strategie, met welke directies moet ik samenwerken?")
    assert unit_ids(answer) == ["cio", "dsk", "dobp"]
    # The lead suggestion's reason is its task on the topic, not an incidental fact about the unit.
    assert "strategie" in (answer.units[0].reason or "")


def test_an_outsider_asking_as_we_is_not_taken_for_the_organisation_it_asks_about(engine) -> None:
    answer = ask(engine, "We are a small drone startup. Who at Defence should we talk to about a pilot?")
    assert answer.kind == "counterpart"
    assert not answer.answer.startswith("From ")
    assert "defensie" not in unit_ids(answer)[:1]


def test_asking_for_another_directorate_puts_the_asker_on_the_topics_own_side(engine) -> None:
    answer = ask(engine, "Wij draaien een materieelproject. Welke andere directie moeten we erbij betrekken?")
    assert answer.kind == "counterpart"
    assert unit_ids(answer) == ["hdp"]
    assert answer.answer.startswith("Vanuit Directie Materieel en Vastgoed (DMV)")
