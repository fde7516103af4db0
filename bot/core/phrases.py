"""User-facing sentences of the answer engine, in Dutch with an English fallback."""

from __future__ import annotations

from bot.core.models import Language
from bot.core.overlay import OverlayFact
from bot.knowledge.schema import NamedPerson

PHRASES: dict[str, dict[Language, str]] = {
    "empty_question": {
        "nl": "Ik zie geen vraag. Stel bijvoorbeeld: 'Welke directie gaat over gegevensbescherming?'",
        "en": "I don't see a question. Try for example: 'Which directorate handles data protection?'",
    },
    "not_found": {
        "nl": "Dat staat niet in de bronnen. Hieronder de passages die er het dichtst bij komen (mogelijk relevant).",
        "en": "The sources don't cover that. Below are the closest passages (possibly relevant).",
    },
    "study_intro": {"nl": "Volgens de bronnen:", "en": "According to the sources (in Dutch):"},
    "study_about": {"nl": "Dit gaat over: {units}.", "en": "This is about: {units}."},
    "see_sources": {"nl": "Zie de bronnen hieronder.", "en": "See the sources below."},
    "unit_intro": {"nl": "*{unit}*:", "en": "*{unit}* (as described in the Dutch sources):"},
    "part_of": {"nl": "Onderdeel van {parent} ({organisation}).", "en": "Part of {parent} ({organisation})."},
    "sits_in": {"nl": "{unit}, onderdeel van {parent}", "en": "{unit}, part of {parent}"},
    "partnership_with": {"nl": "Betrokken: {units}.", "en": "Involved: {units}."},
    "parts_intro": {"nl": "{unit} bestaat uit {count} onderdelen:", "en": "{unit} consists of {count} parts:"},
    "one_part_intro": {"nl": "De bronnen noemen één onderdeel van {unit}:", "en": "The sources name one part of {unit}:"},
    "not_in_directory": {
        "nl": "De bronnen noemen voor {unit} geen namen, contactgegevens of teamleden; die gegevens heb ik dus niet.",
        "en": "The sources give no names, contact details or team members for {unit}, so I don't have them.",
    },
    "no_people": {
        "nl": "Ik ken nog niemand bij {unit} voor dit onderwerp. Collega's verschijnen hier als hun Slack-profiel "
        "hun eenheid noemt of als ze in de gedeelde personenlijst staan.",
        "en": "I don't know anyone at {unit} for this topic yet. Colleagues appear once their profile names "
        "their unit or they are in the shared people list.",
    },
    "no_companies": {
        "nl": "Dat staat niet in de bronnen: ze noemen geen bedrijven bij naam die aan {unit} meedoen. "
        "Wat wel bekend is:",
        "en": "The sources name no companies taking part in {unit}. What they do say:",
    },
    "directory_gap": {
        "nl": "Dat staat niet in de bronnen: de studies en de eenhedenlijst zeggen hierover niets voor {unit}. "
        "Wat wel bekend is:",
        "en": "The sources don't say: neither the studies nor the unit directory cover this for {unit}. "
        "What is known:",
    },
    "which_study": {
        "nl": "Welke studie bedoel je? Dit zijn de {count} studies die ik ken:",
        "en": "Which study do you mean? These are the {count} studies I know:",
    },
    "document_line": {
        "nl": "• *{title}*: auteur {author}; jaar {year}; {publication}.",
        "en": "• *{title}*: author {author}; year {year}; {publication}.",
    },
    "not_stated": {"nl": "niet vermeld", "en": "not stated"},
    "people_intro": {"nl": "Collega's die hierover iets weten:", "en": "Colleagues who know about this:"},
    "counterpart_intro": {
        "nl": "Hiervoor zou ik contact zoeken met (in volgorde):",
        "en": "For this I would get in touch with (in order):",
    },
    "counterpart_intro_own": {
        "nl": "Vanuit {unit} zou ik contact zoeken met (in volgorde):",
        "en": "From {unit} I would get in touch with (in order):",
    },
    "glossary_expanded": {"nl": "{term} staat voor {expansion}.", "en": "{term} stands for {expansion}."},
    "glossary_not_expanded": {
        "nl": "Dat staat niet in de bronnen: de studies schrijven {term} nergens uit.",
        "en": "The sources don't say: the studies never spell out {term}.",
    },
    # An approved correction from a user, cited like any other fact.
    "overlay_fact": {"nl": "Volgens een melding van {date} ({field}): {text}",
                     "en": "According to a report of {date} ({field}): {text}"},
    "age_note": {"nl": "Bron uit {year}; klopt dit nog? Meld het.",
                 "en": "Source from {year}; is this still right? Report it."},
}

OVERLAY_FIELD_LABELS: dict[str, dict[Language, str]] = {
    "taak": {"nl": "taak", "en": "task"},
    "contact": {"nl": "contactpersoon of kanaal", "en": "contact person or channel"},
    "relatie": {"nl": "relatie", "en": "relation"},
}

KIND_LABELS: dict[str, dict[Language, str]] = {
    "integrerend": {"nl": "Integrerend (horizontale assen)", "en": "Integrating (horizontal axes)"},
    "functioneel": {"nl": "Functioneel (verticale assen)", "en": "Functional (vertical axes)"},
    "voorganger": {"nl": "Voorgangers, samengevoegd in het DGB", "en": "Predecessors merged into the DGB"},
}


def text(key: str, language: Language, **values: object) -> str:
    return PHRASES[key][language].format(**values)


def overlay_field_label(field: str, language: Language) -> str:
    return OVERLAY_FIELD_LABELS.get(field, {}).get(language, field)


def kind_label(kind: str, language: Language) -> str:
    return KIND_LABELS.get(kind, {}).get(language, kind)


def overlay_line(fact: OverlayFact, language: Language) -> str:
    return text("overlay_fact", language, date=fact.approved_on.isoformat(),
                field=overlay_field_label(fact.field, language), text=fact.text)


def person_line(person: NamedPerson, language: Language) -> str:
    who = f"{person.function}: {person.name}" if person.name else person.function
    if language == "en":
        return f"According to {person.source.doc} (ca. {person.year}): {who}."
    return f"Volgens {person.source.doc} (ca. {person.year}): {who}."
