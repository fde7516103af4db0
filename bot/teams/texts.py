"""What the Teams adapter says itself (Dutch, with an English fallback); shared wording comes from
`bot.slack.texts`."""

from __future__ import annotations

from bot.core.models import Language
from bot.slack.texts import EXAMPLE_QUESTIONS

WIEISWIE_EMPTY = "Typ een onderwerp of eenheid achter wieiswie, bijvoorbeeld: wieiswie vastgoed, of: wieiswie DMO."
HIDDEN = "Je komt niet meer voor in de antwoorden van Schakel. Typ 'toon mij' om dat terug te zetten."
UNKNOWN_ACTION = "Deze knop werkt niet (meer). Stel je vraag gerust opnieuw."
SHOWN = "Je kunt weer voorkomen in de antwoorden van Schakel. Typ 'verberg mij' om jezelf eruit te halen."


def empty(language: Language) -> str:
    if language == "en":
        return "I don't see a question. Put it after the mention, for example: @Schakel which directorate handles " \
               "real estate? Type 'help' for more examples."
    return "Ik zie geen vraag. Zet je vraag achter de vermelding, bijvoorbeeld: @Schakel welk directoraat gaat " \
           "over vastgoed? Typ 'help' voor meer voorbeelden."


def sent_privately(language: Language) -> str:
    if language == "en":
        return "I've sent you the answer in our 1:1 chat."
    return "Ik heb je het antwoord in onze 1-op-1-chat gestuurd."


def help_text(language: Language) -> str:
    examples = "\n".join(f"• {question}" for question in EXAMPLE_QUESTIONS)
    if language == "en":
        return (
            "Schakel tells you who is who at Defensie and its partners, suggests counterparts (with whom to work "
            "on a topic, and why) and answers questions about five studies, with sources.\n\n"
            "How to ask\n• mention @Schakel in a channel, or chat with me 1:1\n"
            "• wieiswie <topic or unit>: the answer comes to our 1:1 chat\n"
            "• reflectie aan | uit | status | nu: light reflection questions in a channel\n"
            "• verberg mij / toon mij: take yourself out of answers, or back in\n\n"
            f"Examples (in Dutch)\n{examples}"
        )
    return (
        "Schakel vertelt wie wie is bij Defensie en partners, stelt counterparts voor (met wie werk je samen aan "
        "een onderwerp, en waarom) en beantwoordt vragen over vijf studies, met bronnen.\n\n"
        "Zo vraag je het\n• vermeld @Schakel in een kanaal, of chat 1-op-1 met me\n"
        "• wieiswie <onderwerp of eenheid>: het antwoord komt in onze 1-op-1-chat\n"
        "• reflectie aan | uit | status | nu: lichte reflectievragen in een kanaal\n"
        "• verberg mij / toon mij: haal jezelf uit de antwoorden, of zet je terug\n\n"
        f"Voorbeelden\n{examples}"
    )


def for_teams(slack_reply: str) -> str:
    """A reply written for Slack's `/schakel reflectie …`, as Teams users type it."""
    return (slack_reply.replace("/schakel reflectie", "@Schakel reflectie")
            .replace("/schakel reflection", "@Schakel reflection").replace("`", ""))
