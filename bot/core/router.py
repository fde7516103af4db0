"""Decide what kind of question this is: rules for clear phrasings, a small classifier for the rest.

Kinds: `document` (who wrote a study, where and when it appeared), `glossary` (what an abbreviation
stands for), `people` (who knows about X at unit Y), `directory` (which unit does X, what does unit
Y do, who leads Y), `counterpart` (with whom should I work on X) and `study` (everything else).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bot.core.text import asking_sentence, fold

Route = Literal["document", "glossary", "people", "directory", "counterpart", "study"]
EXAMPLES_FILE = Path(__file__).with_name("router_examples.yaml")
CLASSIFIER_MIN_PROBABILITY = 0.55
# "Wie zou dat team leiden?", "wie gaat de werkgroep trekken?": a person, for the router and the answer alike.
WHO_WILL_LEAD = r"\bwie (zou|zal|gaat|moest|moet|zouden|gingen)( [\w'-]+){1,5} (leiden|trekken|voorzitten)\b"

# "Ik zit bij DIA en ...": an asker who says where they work usually looks for whom to work with, unless what they
# then ask is why or how something is, or what a study says ("Ik werk bij de Genie. Waarom wordt ... gezien?").
SELF_INTRODUCTION = r"\bik zit (bij|op|in)\b|\bwij zitten (bij|op|in)\b|\bwe zitten (bij|op|in)\b|\bik werk (bij|aan|op|in)\b"
STUDY_ASK = re.compile(
    r"^(waarom|hoe (komt|kan|kun|kunnen|zit|werkt|werken|is|zijn|was|waren|wordt|worden|moet|moeten|zou|zouden)"
    r"|wat (zegt|zeggen|zou|zouden|vindt|vinden|bedoelt|betekent|adviseert|adviseren|raadt|is het (nadeel|voordeel|risico))"
    r"|why|how (does|do|did|is|are|was|come|should)|what does .{1,60} (say|mean|recommend|advise))\b"
)

_RULES: list[tuple[Route, re.Pattern[str]]] = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        (
            "document",
            # Who wrote it, not what the author says: "Wat beveelt de auteur aan?" is a study question.
            r"\bwie (heeft|hebben) .{0,140}\bgeschreven\b|\bwie schreef\b"
            r"|\bwie (heeft|hebben) (dit|het|deze|de) (onderzoek|studie|scriptie|thesis|artikel)\b.{0,60}"
            r"\b(opgesteld|uitgevoerd)\b"
            r"|\bwie (is|zijn|was|waren) de (auteur|auteurs|schrijver|schrijvers)\b|\bnaam van de (auteur|schrijver)\b"
            r"|\bwho (wrote|authored|is the author|are the authors)\b|\bwanneer is .{0,50}(verschenen|gepubliceerd)\b"
            r"|\bwhen was .{0,50}published\b",
        ),
        ("glossary", r"\bwaar sta(at|an) .{1,40} voor\b|\bwhat does .{1,40} stand for\b|\bafkorting\b|\babbreviation\b"),
        ("glossary", r"^wat (betekent|is) (de afkorting )?[a-z&'-]{2,8}\??$"),
        ("people", r"\bwie (bij|van|binnen) .{1,40} (weet|kent|werkt aan|doet)\b|\bwho (at|in) .{1,40} knows?\b"),
        ("people", r"\bwie weet (er )?(iets |veel |meer )?(van|over)\b|\bwho knows\b"),
        (
            "counterpart",
            r"\bmet wie\b|\bbij wie\b|\bwie moet ik\b|\bwie (kan|zou) ik\b|\bwie kan (ons|mij|me) helpen\b"
            r"|\bcontact ?persoon\b|\baanspreekpunt\b|\bcontact op\b|\bin contact\b|\berbij (halen|betrekken)\b|\bcounterparts?\b"
            r"|\bwat kan .{1,40} voor (ons|mij|me) (betekenen|doen)\b|\bwho should (i|we)\b|\bwhom\b|\bwork with\b"
            r"|\bget in touch\b|\bwho (can|could) help\b|\bafstemmende rol\b|\bmoet ik (erbij|betrekken|aanhaken)\b"
            r"|\bshould (i|we) (bring in|involve|include|consult|contact|talk to|loop in)\b|\bwho else\b"
            r"|\bmet welke (andere )?(directie|directies|afdeling|afdelingen|eenheid|eenheden|partij|partijen)\b"
            r"|\boptrekken met\b|\btrek(ken)? (ik|we|wij) op\b|\b(halen|betrekken) (ik|we|wij)\b.{0,20}\ber ?(nog |ook )?bij\b"
            # Where to go with a request: "waar vragen we dat aan", "waar kan ik terecht", "where do we send it".
            # "In" only closing the question ("waar dienen we het in?"): "waar kan ik in de studie lezen" is no request.
            r"|\bwaar (vraag|vragen|kan|kunnen|moet|moeten|dien|dienen) (ik|we|wij)\b.{0,60}"
            r"(\b(aan|terecht|zijn|indienen)\b|\bin\W*$)"
            r"|\bwhere (do|should|can|must) (i|we) (send|submit|go|turn|apply|request)\b"
            r"|\b(team|partner|pair) up with\b|\b(collaborate|coordinate|cooperate) with\b",
        ),
        ("counterpart", SELF_INTRODUCTION),
        ("directory", r"\b(telefoonnummer|telefoon|e-?mail ?adres|mailadres|contactgegevens|bereikbaar|phone|e-?mail address)\b"),
        (
            "directory",
            # "welke (andere|oude) (DGB-|hoofd)directie(s)", "welk consortium", "welke diensten"
            r"\bwelke? (\w+ )?[\w()-]*(directie|afdeling|eenheid|eenheden|dienst|organisatie|onderdeel|onderdelen|partij"
            r"|partijen|instituut|instituten|bureau|denktank|consortium|samenwerkingsverband)(s|en)?\b"
            r"|\bwie (binnen|bij|in) (het |de )?[\w-]+ (zorgt|regelt|bewaakt|coordineert|beheert|gaat over)\b"
            r"|\bwie (zorgt|regelt|coordineert|beheert) (er )?(voor|ervoor)\b"
            # "Wie stelt de kaders op?", "wie maakt het beleid voor ...": who drafts policy is a unit's task.
            r"|\bwie (stelt|stellen|bepaalt|bepalen|ontwikkelt|ontwikkelen|maakt|maken|schrijft|schrijven) (het |de )?"
            r"(\w+ )?(beleid|kaders?|normen|plannen|visie|strategie|regels|richtlijnen)\b"
            r"|\bwie (is|zijn|was|waren) verantwoordelijk\b|\bwie (gaat|gaan) (er )?over\b|\bwie houdt toezicht\b"
            r"|\bwie bewaakt\b|\bwat doet\b|\bwat doen\b|\bwat (zijn|is) de taa?k(en)?\b|\btaken van\b"
            r"|\bwie (leidt|leidde|was|is)( [\w-]+){0,4} (de |het )?(commandant|directeur|hoofd|leider|voorzitter|initiatiefnemer"
            r"|baas|chef)\b"
            rf"|{WHO_WILL_LEAD}"
            r"|\bhoe heet (dat|die|het|de)\b.{0,40}\b(platform|samenwerkingsverband|consortium|netwerk|cluster|bedrijf"
            r"|organisatie|directie|eenheid|dienst|programma)\b"
            r"|\bwie (heeft|had|voert|houdt) (de |het )?(centrale |eind)?"
            r"(regie|leiding|verantwoordelijkheid|overzicht)\b"
            r"|\bop wiens initiatief\b|\bwie (heeft|had) .{1,40} (opgericht|gestart|opgezet)\b|\bwelke .{0,20}(bedrijven|partners)\b"
            r"|\bwhich (other )?(directorate|unit|department|organisation|organization|office)s?\b|\bwho is responsible\b"
            r"|\bwhat (exactly )?does .{1,40} do\b|\bwho (leads|led|heads|owns|was (the )?(commander|director|head))\b"
            r"|\bwhich (part|body|team|office|service|think tank|company|partnership|agenc(y|ies)"
            r"|organi[sz]ations?)s?\b"
            r"|\bwie (zit|zitten|doen|doet) er (in|mee)\b|\b(takes?|taking) part in\b"
            r"|\bwho (is|are) in charge of\b|\bwho (deals|deal) with\b|\bwho takes care of\b"
            r"|\bwaar (valt|vallen|hoort|horen) .{1,40} (onder|bij)\b|\b(belong|belongs) to\b",
        ),
    ]
]


@dataclass(frozen=True)
class Routing:
    route: Route
    by_rule: bool


class Router:
    def __init__(self, examples_file: Path = EXAMPLES_FILE) -> None:
        examples = yaml.safe_load(examples_file.read_text(encoding="utf-8"))
        texts, labels = [], []
        for route, questions in examples.items():
            for question in questions:
                texts.append(fold(question))
                labels.append(route)
        self._classifier: Pipeline = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
            LogisticRegression(max_iter=2000, C=4.0),
        )
        self._classifier.fit(texts, labels)

    def route(self, question: str) -> Routing:
        folded = fold(question).strip()
        asks_about_the_studies = STUDY_ASK.match(fold(asking_sentence(question)).strip()) is not None
        for route, pattern in _RULES:
            if pattern.pattern == SELF_INTRODUCTION and asks_about_the_studies:
                continue
            if pattern.search(folded):
                return Routing(route, by_rule=True)
        probabilities = self._classifier.predict_proba([folded])[0]
        best = probabilities.argmax()
        label: Route = str(self._classifier.classes_[best])  # type: ignore[assignment]
        if probabilities[best] < CLASSIFIER_MIN_PROBABILITY:
            label = "study"
        return Routing(label, by_rule=False)
