"""Every sentence the Slack adapter says itself, in Dutch with an English fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.models import Language

ENGLISH_HINTS = frozenset(
    "the what who which where how does is are can could should with about for and of please help".split()
)
DUTCH_HINTS = frozenset("de het wat wie welke waar hoe is zijn kan kun met over voor en van een bij".split())


def guess_language(text: str) -> Language:
    """A cheap guess for messages Schakel sends before the engine has seen the question."""
    words = re.findall(r"[a-z]+", text.lower())
    english = sum(word in ENGLISH_HINTS for word in words)
    dutch = sum(word in DUTCH_HINTS for word in words)
    return "en" if english > dutch else "nl"


@dataclass(frozen=True)
class UiText:
    sources: str
    related: str
    show_passage: str
    passage_title: str
    passage_unavailable: str
    helpful: str
    not_helpful: str
    feedback_thanks: str
    connect: str
    connect_intro: str
    connect_channel: str
    connect_people: str
    connect_nothing: str
    question_restated: str
    failure: str
    too_long: str
    empty: str
    rate_limited: str
    shortcut_empty: str


NL = UiText(
    sources="Bronnen",
    related="Mogelijk relevant",
    show_passage="Toon passage",
    passage_title="Passage",
    passage_unavailable="Deze passage kan ik hier niet tonen. Vraag het me in een privébericht.",
    helpful="👍 Nuttig",
    not_helpful="👎 Niet nuttig",
    feedback_thanks="Dank je voor je feedback.",
    connect="Breng me in contact",
    connect_intro="Zo kom je in contact met {unit}:",
    connect_channel="• kanaal: {channel}",
    connect_people="• {name}{function}",
    connect_nothing="Voor {unit} ken ik nog geen kanaal of contactpersoon. Vraag het na bij de eenheid zelf.",
    question_restated="Je vroeg: _{question}_",
    failure=(
        "Sorry, dat ging mis bij het beantwoorden. Probeer het over een minuut opnieuw; "
        "blijft het misgaan, meld het dan bij de beheerders van Schakel."
    ),
    too_long="Je bericht is te lang ({length} tekens). Stel je vraag in hooguit {limit} tekens.",
    empty=(
        "Ik zie geen vraag. Zet je vraag achter de tag, bijvoorbeeld: "
        "_@Schakel welk directoraat gaat over vastgoed?_ Typ `/schakel help` voor meer voorbeelden."
    ),
    rate_limited="Je stelt veel vragen achter elkaar. Wacht een minuutje, dan help ik je graag verder.",
    shortcut_empty="Dit bericht bevat geen tekst waar ik een vraag in kan lezen.",
)

EN = UiText(
    sources="Sources",
    related="Possibly relevant",
    show_passage="Show passage",
    passage_title="Passage",
    passage_unavailable="I can't show this passage here. Ask me in a direct message.",
    helpful="👍 Helpful",
    not_helpful="👎 Not helpful",
    feedback_thanks="Thanks for your feedback.",
    connect="Put me in touch",
    connect_intro="This is how to reach {unit}:",
    connect_channel="• channel: {channel}",
    connect_people="• {name}{function}",
    connect_nothing="I don't know a channel or contact for {unit} yet. Please ask the unit itself.",
    question_restated="You asked: _{question}_",
    failure=(
        "Sorry, something went wrong while answering. Please try again in a minute; "
        "if it keeps failing, tell the people who run Schakel."
    ),
    too_long="Your message is too long ({length} characters). Please ask in at most {limit} characters.",
    empty=(
        "I don't see a question. Put it after the mention, for example: "
        "_@Schakel which directorate handles real estate?_ Type `/schakel help` for more examples."
    ),
    rate_limited="You're asking a lot of questions in a row. Please wait a minute and I'll gladly help.",
    shortcut_empty="This message has no text I can read a question in.",
)


def ui(language: Language) -> UiText:
    return EN if language == "en" else NL


EXAMPLE_QUESTIONS = (
    "Welk directoraat gaat over vastgoed?",
    "Met wie moet ik samenwerken aan cybersecurity, en waarom?",
    "Wie bij CIO weet van data?",
    "Wat zijn de succesfactoren van het integratiemodel van DGB?",
    "Welke paradoxen spelen bij publiek-private samenwerking?",
)


def help_text(language: Language) -> str:
    examples = "\n".join(f"• _{q}_" for q in EXAMPLE_QUESTIONS)
    if language == "en":
        return (
            "*Schakel* tells you who is who at Defensie and its partners, suggests counterparts "
            "(with whom to work on a topic, and why) and answers questions about five studies, with sources.\n\n"
            "*How to ask*\n• mention `@Schakel` in a channel: I answer in a thread, and follow-ups there need no new mention\n"
            "• send me a direct message\n• `/wieiswie <topic or unit>`: an answer only you see\n"
            "• message menu ⋮ → *Vraag Schakel*: I answer that message\n\n"
            f"*Examples (in Dutch)*\n{examples}\n\n"
            "*Your data*: `/schakel verberg mij` takes you out of answers, `/schakel toon mij` brings you back."
        )
    return (
        "*Schakel* vertelt wie wie is bij Defensie en partners, stelt counterparts voor "
        "(met wie werk je samen aan een onderwerp, en waarom) en beantwoordt vragen over vijf studies, met bronnen.\n\n"
        "*Zo vraag je het*\n• tag `@Schakel` in een kanaal: ik antwoord in een draad, en vervolgvragen daar "
        "hoeven geen nieuwe tag\n• stuur me een privébericht\n• `/wieiswie <onderwerp of eenheid>`: een antwoord dat "
        "alleen jij ziet\n• berichtmenu ⋮ → *Vraag Schakel*: ik beantwoord dat bericht\n\n"
        f"*Voorbeelden*\n{examples}\n\n"
        "*Jouw gegevens*: `/schakel verberg mij` haalt je uit de antwoorden, `/schakel toon mij` zet je terug."
    )
