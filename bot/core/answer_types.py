"""What kind of fact a question asks for (a sum of money, a share, a number, a date, a person, the state of things
today), and whether the passages give one.

Questions the sources don't answer often sit right beside what they do cover: the budget of a project the
studies describe, the number of reservists in a scheme they explain. The passages then share the
question's words, but not the fact asked for. Whether the best sentences hold a fact of the asked kind is
one of the signals of the not-found decision (answerable.py), which weighs it by fitting. The studies are dated:
what holds today ("wie is op dit moment directeur?", "is de integrator inmiddels aangesteld?") no passage gives.
Sentence choice (sentences.py) weighs, again by fitting, whether a sentence gives a fact of the asked kind, an
actor (a unit, an organisation, a person) among them: "welke partij zou de leiding moeten nemen?" is answered by
the sentence that names it.
"""

from __future__ import annotations

import re

from bot.core.text import fold

ASKED = {
    "money": re.compile(
        r"\b(\w*budget\w*|bedrag\w*|kost(en|te|t)?|euro'?s?|geld|contractwaarde|betaalt|betalen|how much money"
        r"|costs?|price|fee|funding|contract value|in euros?)\b"
    ),
    "share": re.compile(r"\b(percentage|procent|welk deel|what share|which share|what proportion|what percentage)\b"),
    "number": re.compile(r"\b(hoeveel|how many|how much|aantal|number of)\b"),
    "date": re.compile(r"\b(wanneer|when|welke datum|what date|in welk jaar|which year|sinds wanneer|since when)\b"),
    "present": re.compile(r"\b(op dit moment|op het moment|momenteel|inmiddels|tegenwoordig|currently|right now"
                          r"|at the moment|at present|nowadays|by now)\b"),
}
MONTHS = ("januari februari maart april mei juni juli augustus september oktober november december "
          "january february march may june july august october")
STATED = {
    "money": re.compile(r"€|\beur\b|\beuro|\bmiljoen\b|\bmiljard\b|\bmillion\b|\bbillion\b|\bmln\b"),
    "share": re.compile(r"%|\bprocent\b|\bpercent\b|\bhelft\b|\bkwart\b|\bderde\b"),
    "number": re.compile(
        r"(?<![\d.])(?!(19|20)\d\d\b)\d+|\b(twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig"
        r"|honderd|duizend|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand)\b"
    ),
    "date": re.compile(rf"\b(19|20)\d\d\b|\b({'|'.join(MONTHS.split())})\b"),
}


# A person is asked for ("wie is de directeur", "graag een naam"); a person is named: a recorded name, or a rank
# or title before a capitalised name.
PERSON_ASKED = re.compile(
    r"\bwie (is|was|zijn|waren|leidt|leidde|volgde|trekt)\b.{0,60}\b(directeur|commandant|voorzitter|leider|hoofd"
    r"|trekker|programmamanager|opvolger|liaison\w*|verbindingsofficier|aanspreekpunt|contactpersoon|baas|chef)\b"
    r"|\bnaam\b|\bwho (is|was) (the|their|our)\b.{0,40}\b(director|commander|chair|head|lead|liaison|contact)\b"
    r"|\bname of\b"
)
TITLED_NAME = re.compile(
    r"\b(?i:generaal|kolonel|luitenant|majoor|kapitein|commodore|admiraal|dhr|mevr|minister|staatssecretaris|drs|dr"
    r"|prof|ir|mr)\.? [A-Z][a-z]+"
)


# A unit, an organisation or a person is asked for: "wie", "welke partij", "welk onderdeel", "which organisation".
ACTOR_ASKED = re.compile(
    r"\bwie\b|\bwelke? (partij(en)?|organisaties?|directies?|eenhe(id|den)|diensten?|onderde(e)?l(en)?|afdelingen?"
    r"|instanties?|bedrij(f|ven)|denktanks?|gremium|orgaan|functie)\b|\bwho\b"
    r"|\bwhich (organi[sz]ations?|units?|part(y|ies)|directorates?|departments?|compan(y|ies)|body|bodies|role)\b"
)


def asked_kinds(question: str) -> set[str]:
    """The kinds of fact the question asks for; a share or a sum of money is not also asked as a bare number."""
    folded = fold(question)
    kinds = {kind for kind, pattern in ASKED.items() if pattern.search(folded)}
    if kinds & {"money", "share"}:
        kinds.discard("number")
    if PERSON_ASKED.search(folded):
        kinds.add("person")
    return kinds


def missing_kinds(question: str, sentences: list[str], passages: list[str], known_names: set[str]) -> set[str]:
    """The asked kinds of fact that the texts don't give: a figure or date in the sentences nearest to the
    question, a person anywhere in the best passages (other than people the question itself names); how things
    stand today, never."""
    missing = set()
    for kind in asked_kinds(question):
        if kind == "present":
            missing.add(kind)  # a dated source states what held then
        elif kind == "person":
            named = {name for name in known_names if name in fold(question)}
            if not any(TITLED_NAME.search(text) or _names(text, known_names - named) for text in passages):
                missing.add(kind)
        elif not any(STATED[kind].search(fold(text)) for text in sentences):
            missing.add(kind)
    return missing


def _names(text: str, names: set[str]) -> bool:
    folded = fold(text)
    return any(re.search(rf"\b{re.escape(name)}\b", folded) for name in names)


def asked_facts(question: str) -> set[str]:
    """The kinds of fact a sentence can give that the question asks for (how things stand today, no sentence
    gives)."""
    kinds = asked_kinds(question) - {"present"}
    if ACTOR_ASKED.search(fold(question)):
        kinds.add("actor")
    return kinds


def gives_fact(kinds: set[str], sentence: str, actors: re.Pattern[str] | None, named: set[str]) -> bool:
    """Whether the sentence states a fact of one of these kinds; for an actor, one the question does not name
    itself. `actors`: the names the directory knows; `named`: those of them the question uses."""
    folded = fold(sentence)
    for kind in kinds:
        if kind in STATED and STATED[kind].search(folded):
            return True
        if kind in ("person", "actor") and TITLED_NAME.search(sentence):
            return True
        if kind == "actor" and actors is not None and set(actors.findall(sentence)) - named:
            return True
    return False


def names_pattern(names: set[str]) -> re.Pattern[str] | None:
    """One pattern for names as written (abbreviations keep their case: "OM" is not "om")."""
    usable = sorted((name for name in names if len(name) > 1), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, usable))})\b") if usable else None
