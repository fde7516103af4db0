"""With whom to work: counterparts from the asker's unit, the topic's owner and the passages."""

from __future__ import annotations

import pytest

from bot.core.models import AskerContext
from tests.answering import assert_citations_resolve, ask, unit_ids


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


def test_asking_for_other_directorates_makes_the_one_named_the_askers_own(engine) -> None:
    # "andere directies" are other than DIA, where the asker starts; the answer should not speak from elsewhere.
    answer = ask(engine, "We starten bij DIA met een nieuw beleidsstuk. Welke andere directies betrekken we erbij?")
    assert answer.kind == "counterpart"
    assert answer.answer.startswith("Vanuit Directie Internationale Aangelegenheden (DIA)")
    assert "dia" not in unit_ids(answer)


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
