"""What Schakel says about corrections: to the proposer in their answer's language, to reviewers in Dutch."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.models import Language


@dataclass(frozen=True)
class CorrectionText:
    button: str
    form_title: str
    submit: str
    cancel: str
    unit_label: str
    field_label: str
    field_options: dict[str, str]
    text_label: str
    text_hint: str
    thanks: str
    approved: str
    rejected: str
    no_text: str
    unknown_unit: str
    unknown_field: str
    too_long: str
    no_units: str


NL = CorrectionText(
    button="Klopt niet / Aanvullen",
    form_title="Klopt niet / Aanvullen",
    submit="Versturen",
    cancel="Annuleren",
    unit_label="Over welke eenheid?",
    field_label="Wat klopt niet of ontbreekt?",
    field_options={"taak": "Taak", "contact": "Contactpersoon of kanaal", "relatie": "Relatie met een andere eenheid"},
    text_label="Wat zou er moeten staan?",
    text_hint="Schrijf het zoals het in het antwoord zou moeten staan; noem waar je het van weet.",
    thanks=("Dank je! Je melding ({id}) staat klaar voor de beheerder van het wie-is-wie. Tot die haar "
            "goedkeurt verandert er voor anderen niets; je hoort van mij als ze is goedgekeurd of afgewezen."),
    approved=("Je melding {id} over {unit} is goedgekeurd. Schakel noemt het voortaan in zijn antwoorden: "
              "“{text}”"),
    rejected="Je melding {id} over {unit} is niet overgenomen. Reden: {reason}",
    no_text="Schrijf eerst wat er zou moeten staan.",
    unknown_unit="Kies een eenheid uit het antwoord.",
    unknown_field="Kies wat er niet klopt: taak, contactpersoon of kanaal, of relatie.",
    too_long="Houd het kort: hooguit {limit} tekens.",
    no_units="Bij dit antwoord hoort geen eenheid die ik kan laten aanpassen.",
)

EN = CorrectionText(
    button="Not right / Add",
    form_title="Not right / Add",
    submit="Send",
    cancel="Cancel",
    unit_label="Which unit?",
    field_label="What is wrong or missing?",
    field_options={"taak": "Task", "contact": "Contact person or channel", "relatie": "Relation with another unit"},
    text_label="What should it say?",
    text_hint="Write it as the answer should say it; mention how you know.",
    thanks=("Thank you! Your report ({id}) is waiting for the directory's reviewer. Nothing changes for others "
            "until it is approved; I'll tell you when it is approved or rejected."),
    approved="Your report {id} about {unit} was approved. Schakel now mentions it in its answers: “{text}”",
    rejected="Your report {id} about {unit} was not taken over. Reason: {reason}",
    no_text="Please write what it should say first.",
    unknown_unit="Please choose a unit from the answer.",
    unknown_field="Please choose what is wrong: task, contact person or channel, or relation.",
    too_long="Please keep it short: at most {limit} characters.",
    no_units="This answer has no unit I can have corrected.",
)


def correction_text(language: Language | str | None) -> CorrectionText:
    return EN if language == "en" else NL


# For reviewers (Dutch).
NOT_A_REVIEWER = "Alleen beheerders van het wie-is-wie kunnen meldingen goedkeuren of afwijzen."
ALREADY_DECIDED = "Melding {id} is al behandeld ({status})."
UNKNOWN_CORRECTION = "Melding {id} bestaat niet."
NO_REASON = "Geef een reden op; de melder krijgt die te zien."
NO_REASON_GIVEN = "geen reden opgegeven"
