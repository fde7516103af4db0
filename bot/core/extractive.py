"""Extractive answers: the best sentences from the best passages, and how well they cover the question."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.core.retrieval import Hit
from bot.core.text import STOPWORDS, content_terms, fold, is_heading, is_reference, sentences, words

MAX_SENTENCES = 3
# "Hoeveel budget ...", "how many soldiers ...": the word after it names what is counted.
QUANTITY_QUESTION = re.compile(r"\b(?:hoeveel|how (?:much|many))\s+(?:(?:van|of)\s+(?:de|het|the)\s+)?([\w-]+)")
# A case note's keyword line helps retrieval but is no sentence to quote.
KEYWORD_LINE = re.compile(r"\*\*(?:Trefwoorden|Keywords):?\*\*.*", re.IGNORECASE | re.DOTALL)
PARENTHESES = re.compile(r"\([^)]*\)")
# "(Bervoets et al. 2017; Ministerie van Justitie en Veiligheid 2018)", "(respondent 3, 10)": who said it, not what.
IN_TEXT_CITATION = re.compile(r"\((?=[^()]*(?:\b(?:19|20)\d\d\b|\bet\s+al\b|\brespondent))[^()]*\)", re.IGNORECASE)
# Years, decades ("de jaren '80 en '90"), line references and numbered labels say when or where, not how many.
NOT_A_QUANTITY = re.compile(
    r"\b(?:19|20)\d\d\b|\bjaren ['’]?\d0(?:\s*(?:en|of|tot|-)\s*['’]?\d0)?\b|\br\. \d+(?:-\d+)?"
    # Labels that number something: "case 3", "fase 2", "tabel 10", "artikel 58", "respondent 4".
    r"|\b(?:case|casus|fase|phase|figuur|figure|tabel|table|hoofdstuk|chapter|paragraaf|bijlage|artikel|article"
    r"|respondent|respondenten)\s+\d+(?:[.,]\d+)*(?:\s*(?:en|and|,)\s*\d+)*"
)
# No English "ten": in Dutch text it is "ten tweede", "ten koste van".
QUANTITY = re.compile(
    r"\d|%|\b(?:nul|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|veertig|vijftig|"
    r"honderd|duizend|miljoen|miljard|procent|helft|kwart|none|one|two|three|four|five|six|seven|eight|nine|"
    r"hundred|thousand|million|billion|percent|half)\b"
)
# A question after a sum of money ("wat is het jaarbudget", "the contract value in euros") is answered only by a
# passage that gives an amount: passages about the project without one do not answer it.
MONEY_QUESTION = re.compile(
    r"\b(?:\w*budget(?:ten|s)?|bedrag|bedragen|amount of money|sum of money|contract ?value|contractwaarde"
    r"|total value|totale waarde|in euros?|in euro's|funding amount)\b"
)
MONEY_STATED = re.compile(r"€|\beur\b|\beuros?\b|\beuro's\b|\b\d+(?:[.,]\d+)?\s*(?:miljoen|miljard|million|billion|mln|mld)\b")
# "Wie volgde X op?", "wie is de opvolger van ...": only a passage that speaks of a succession answers it.
SUCCESSION_QUESTION = re.compile(
    r"\bopvolg\w*|\bopgevolgd\b|\bvolgde\b.{0,60}\bop\b|\bvoorganger\w*|\bsuccess(or|ors|ion)\b|\bsucceeded\b"
    r"|\breplaced\b|\btook over\b"
)
SUCCESSION_STATED = re.compile(
    r"\bopvolg\w*|\bopgevolgd\b|\bvolgde\b.{0,60}\bop\b|\bnam\b.{0,40}\bover\b|\bovergenomen\b"
    r"|\bvervangen\b|\bis (nu |inmiddels )?(opgegaan|samengevoegd) in\b"
)
# A question after one of these facts, and what a passage that gives it says.
FACTS_ASKED = ((MONEY_QUESTION, MONEY_STATED), (SUCCESSION_QUESTION, SUCCESSION_STATED))
# Words that count anything: "hoeveel mensen", "how many people" say what is counted only with the rest.
GENERIC_COUNTS = frozenset("mensen personen people persons keer times stuks".split())
MAX_SENTENCE_CHARS = 600
# "Wat betekent X?", "wat wordt bedoeld met X?", "what does X mean?": the sentence that defines X should lead.
DEFINITION_QUESTION = re.compile(
    r"\bwat (betekent|betekenen|bedoel\w*|houdt|verstaat|verstaan|wordt|worden|is|zijn)\b"
    r"|\bwhat (does|do|is|are)\b.*\b(mean|means|meant|define|defined)\b|\b(ge)?defini\w+|\bdefine\b"
)
# Words of a definition question that are not the term asked about.
NOT_DEFINED = STOPWORDS | frozenset(
    "betekent betekenen bedoeld bedoelt bedoelen verstaat verstaan houdt mean means define".split()
)
# Outweighs a better word overlap: a sentence that defines the asked term answers the question.
DEFINING_SENTENCE_BONUS = 2.0
PASSAGES_FOR_SENTENCES = 3
# A sentence that only says what a chapter or the study is about ("In dit hoofdstuk wordt gereflecteerd op het
# onderzoek.") shares the question's words but answers nothing: it counts for half.
SIGNPOSTING = re.compile(
    r"^in (dit|deze|het (volgende|vorige|eerste|tweede|derde|vierde|vijfde|zesde|zevende|laatste)) "
    r"(hoofdstuk|paragraaf|sectie|deel)\b|^dit (hoofdstuk|onderzoek|artikel) (richt zich|beschrijft|bespreekt|gaat in)\b"
    r"|^in de volgende paragraaf\b|\b(komt|komen) (hierna |hieronder )?aan bod\b"
    r"|\bwordt (hierna|hieronder) (besproken|beschreven|behandeld)\b",
    re.IGNORECASE,
)
SIGNPOSTING_FACTOR = 0.5
# "volgens het onderzoek", "wat adviseert de studie": the study as speaker is no topic of the question.
_SOURCE_NOUN = (r"(?:het|de|dit|deze|die|dat|the|this)\s+(?:onderzoek|studie|scriptie|artikel|thesis|rapport|auteur"
                r"|study|article|research|author)")
_SAYS = (r"(?:adviseert|adviseren|beveelt|bevelen|zegt|zeggen|stelt|stellen|verstaat|verstaan|concludeert|noemt"
         r"|raadt|bedoelt|beschrijft|vindt|recommends?|says?|concludes?|means?)")
SOURCE_AS_SPEAKER = re.compile(
    rf"\b(?:volgens|according to)\s+{_SOURCE_NOUN}\b|\b{_SOURCE_NOUN}(?=\s+{_SAYS}\b)|\b{_SAYS}\s+{_SOURCE_NOUN}\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    sentence: str
    hit_index: int  # position of its passage in the hit list (0-based)
    score: float


class TextAnalyzer(Protocol):
    """The index's analysis (indexer.analysis.Analyzer): the same terms BM25 matched on."""

    def query(self, text: str) -> list[str]: ...

    def document(self, text: str) -> list[str]: ...


class TermWeights:
    """Inverse document frequency of stemmed terms over the indexed passages."""

    def __init__(self, document_frequency: dict[str, int], documents: int) -> None:
        self._df = document_frequency
        self._documents = max(documents, 1)
        self.absent = math.log(1 + self._documents)  # a term the sources never use weighs most

    def idf(self, term: str) -> float:
        count = self._df.get(term, 0)
        if count == 0:
            return self.absent
        return math.log(1 + self._documents / count)

    def known(self, term: str) -> bool:
        return term in self._df


def coverage(
    question: str,
    hits: list[Hit],
    weights: TermWeights,
    analyzer: TextAnalyzer,
    passages: int = 3,
    alternatives: Callable[[str], list[str]] | None = None,
    skip_untranslated: bool = False,
) -> float:
    """Share of the question's weight (idf) whose words the top passages speak to.

    A question about something the sources never mention ("ex-post controls") leaves
    its rarest words uncovered, which is what the not-found decision looks at.
    """
    present: set[str] = set()
    for hit in hits[:passages]:
        present.update(analyzer.document(hit.chunk.text))
    return covered_share(question, present, weights, analyzer, alternatives, skip_untranslated)


def covered_share(
    text: str,
    present: set[str],
    weights: TermWeights,
    analyzer: TextAnalyzer,
    alternatives: Callable[[str], list[str]] | None = None,
    skip_untranslated: bool = False,
) -> float:
    """Weighted share of the words of `text` that `present` (analysed terms) speaks to.

    A word counts when its own term is present, when most parts of a compound are
    ("persoonsgegevens" meets "gegevens"), or when one of its synonyms is ("police"
    meets "politie"). Rare and unknown words weigh most.
    """
    total = covered = 0.0
    for word, terms in question_words(text, analyzer):
        if skip_untranslated and not weights.known(terms[0]) and not (alternatives and alternatives(word)):
            continue
        weight = weights.idf(terms[0])
        total += weight
        if word_is_covered(word, terms, present, analyzer, alternatives):
            covered += weight
    return covered / total if total else 0.0


def quantity_is_stated(
    question: str,
    hits: list[Hit],
    analyzer: TextAnalyzer,
    alternatives: Callable[[str], list[str]] | None = None,
    passages: int = 3,
) -> bool:
    """For a "how many / how much" question: does a top passage give a number for what is counted? For a
    question after a sum of money: does a top passage give an amount? For one after a successor: does a
    top passage speak of a succession?

    Passages about the LMI are no answer to "hoeveel budget heeft het LMI" unless one of
    their sentences puts a figure next to the budget. Years, decades, line references and
    numbered labels ("fase 2") do not count, nor does the Dutch "ten" ("ten tweede").
    """
    folded = fold(question)
    for asks, states in FACTS_ASKED:
        if asks.search(folded) and not any(states.search(fold(hit.chunk.text)) for hit in hits[:passages]):
            return False
    asked = QUANTITY_QUESTION.search(folded)
    if asked is None:
        return True
    noun = asked.group(1).replace("-", " ")
    counted = [] if noun in GENERIC_COUNTS else list(question_words(noun, analyzer))
    if not counted:
        # "Hoeveel moet een samenwerking halen?", "hoeveel zou dat schelen?": a verb follows, so what is
        # counted is the rest of the question; a figure next to any of its words will do. So too after a word
        # that counts anything ("hoeveel mensen zijn geïnterviewd": the sources count interviews).
        counted = list(question_words(folded[asked.end(1) :], analyzer))
    for hit in hits[:passages]:
        # Split before folding: a sentence ends before a capital, which folding would erase.
        for sentence in sentences(PARENTHESES.sub(" ", hit.chunk.text)):
            sentence = NOT_A_QUANTITY.sub(" ", fold(sentence))
            if not QUANTITY.search(sentence):
                continue
            present = set(analyzer.document(sentence))
            if any(word_is_covered(word, terms, present, analyzer, alternatives) for word, terms in counted):
                return True
    return False


def question_words(text: str, analyzer: TextAnalyzer) -> Iterable[tuple[str, list[str]]]:
    """Each distinct content word of `text` with its terms: the whole word first, then its parts."""
    seen: set[str] = set()
    for word in words(fold(text)):
        if "-" in word:
            # "ex-post" is not "ex" plus "post": only the joined word counts.
            terms = analyzer.query(word.replace("-", ""))[:1]
        else:
            terms = analyzer.query(word)
        if terms and terms[0] not in seen:
            seen.add(terms[0])
            yield word, terms


def word_is_covered(
    word: str,
    terms: list[str],
    present: set[str],
    analyzer: TextAnalyzer,
    alternatives: Callable[[str], list[str]] | None = None,
) -> bool:
    if terms[0] in present:
        return True
    parts = terms[1:]
    if parts and sum(part in present for part in parts) * 2 >= len(parts):
        return True
    for alternative in alternatives(word) if alternatives else []:
        alternative_terms = analyzer.query(alternative)
        if alternative_terms and alternative_terms[0] in present:
            return True
    return False


def best_sentences(
    question: str,
    hits: list[Hit],
    weights: TermWeights,
    limit: int = MAX_SENTENCES,
    stand_ins: Sequence[str] = (),
) -> list[Evidence]:
    """The best sentences of the top passages for `question`. `stand_ins`: the sources' words for question
    words they never use (the Dutch for an English question's words, "onwenselijk" for "afgeraden"), one
    string per question word. A sentence gets a question word's weight once, however many of its stand-ins
    it uses: "profiteren" and "voordelen" together are still only "teruggeven"."""
    terms = set(content_terms(SOURCE_AS_SPEAKER.sub(" ", question)))
    groups = [group for group in (set(content_terms(words)) - terms for words in stand_ins) if group]
    # Synonyms are listed as infinitives, so they also match the source's "profiteert" for "profiteren". The
    # question's own words are matched as stemmed: "vindt" would otherwise meet "vinden plaats" (study set).
    stood_in = [_neutral_weights(group, weights) for group in groups]
    definitions = defining_patterns_for(question)
    candidates: list[Evidence] = []
    for index, hit in enumerate(hits[:PASSAGES_FOR_SENTENCES]):
        rank_bonus = 1.0 / (1 + index)
        for sentence in sentences(KEYWORD_LINE.sub("", hit.chunk.text)):
            if not 25 <= len(sentence) <= MAX_SENTENCE_CHARS or is_heading(sentence) or is_reference(sentence):
                continue
            # A sentence is not longer, nor more on topic, for naming its sources.
            sentence_terms = set(content_terms(IN_TEXT_CITATION.sub(" ", sentence)))
            neutral = {verb_neutral(term) for term in sentence_terms}
            overlap = sum(weights.idf(term) for term in terms & sentence_terms) + sum(
                max((weight for term, weight in group.items() if term in neutral), default=0.0) for group in stood_in
            )
            if overlap == 0:
                continue
            length_penalty = math.sqrt(max(len(sentence_terms), 4))
            score = overlap / length_penalty + 0.5 * rank_bonus
            if definitions and defines(definitions, sentence):
                score += DEFINING_SENTENCE_BONUS
            if SIGNPOSTING.search(sentence):
                score *= SIGNPOSTING_FACTOR
            candidates.append(Evidence(sentence, index, score))
    candidates.sort(key=lambda evidence: evidence.score, reverse=True)
    chosen: list[Evidence] = []
    for evidence in candidates:
        if any(_similar(evidence.sentence, other.sentence) for other in chosen):
            continue
        chosen.append(evidence)
        if len(chosen) == limit:
            break
    # The passage with the strongest sentence leads (it becomes source [1]); within a passage
    # the sentences keep their reading order, so an argument reads as written.
    strongest: dict[int, float] = {}
    for evidence in chosen:
        strongest[evidence.hit_index] = max(strongest.get(evidence.hit_index, 0.0), evidence.score)
    chosen.sort(key=lambda evidence: (-strongest[evidence.hit_index], evidence.hit_index,
                                      hits[evidence.hit_index].chunk.text.find(evidence.sentence)))
    return chosen


VOWELS = "aeiou"


def _neutral_weights(terms: set[str], weights: TermWeights) -> dict[str, float]:
    """Each term's verb-neutral form with its weight; forms that meet ("systeem", "systemen") keep the larger."""
    neutral: dict[str, float] = {}
    for term in terms:
        form = verb_neutral(term)
        neutral[form] = max(neutral.get(form, 0.0), weights.idf(term))
    return neutral


def verb_neutral(term: str) -> str:
    """A stem with a verb's -t and doubled vowel undone: "profiteert", "profiteren"; "levert", "leveren"."""
    if len(term) > 4 and term[-1] == "t" and term[-2] not in VOWELS + "t":
        term = term[:-1]
    if len(term) > 3 and term[-1] not in VOWELS and term[-2] == term[-3] and term[-2] in VOWELS:
        term = term[:-2] + term[-1]
    return term


def definition_patterns(asked: list[str]) -> list[re.Pattern[str]]:
    """Patterns for a sentence that defines one of the asked words (folded text): "Met X wordt bedoeld ...",
    "Onder X wordt verstaan ...", "X betekent / houdt in / staat voor ...". Only using the word does not count."""
    patterns = []
    for word in asked:
        # Match inflections and plurals: the word less its last two letters, at least four.
        head = re.escape(word[: max(4, len(word) - 2)])
        patterns.append(re.compile(
            rf"\b(met|onder) (de |het |een )?['‘’\"“]?{head}\w*['‘’\"”]? (wordt|worden) "
            rf"(hier |daarmee |in dit onderzoek )?(\w+ )?(bedoeld|verstaan)\b"
            # "X wordt gedefinieerd als ...", not the announcement "Allereerst wordt X gedefinieerd."
            rf"|\b{head}\w*['‘’\"”]? (betekent|houdt in|staat voor"
            rf"|(is|wordt|worden) (\w+ ){{0,4}}(gedefinieerd|omschreven) als)\b"
            # "de volgende definitie aangehouden: 'Intersectorale samenwerking is ...'", "definieert X als"
            rf"|\bdefinitie\b[^.]{{0,80}}:\s*['‘’\"“]?{head}|\bdefinie\w+ (\w+ ){{0,3}}{head}\w* als\b"
            # "Deze zogenaamde ex-ante controls hebben als doel ...": the sentence names what was just described.
            rf"|\b(zogenaamde|zogeheten|so-called) ['‘’\"“]?{head}"
        ))
    return patterns


def defining_patterns_for(question: str) -> list[re.Pattern[str]]:
    """For a definition question ("wat betekent X", "welke definitie van X"), the patterns of a sentence that
    defines what it asks about; for any other question none."""
    folded = fold(question)
    if not DEFINITION_QUESTION.search(folded):
        return []
    return definition_patterns([word for word in words(folded) if len(word) > 3 and word not in NOT_DEFINED])


def defines(patterns: list[re.Pattern[str]], text: str) -> bool:
    folded = fold(text)
    return any(pattern.search(folded) for pattern in patterns)


def _similar(first: str, second: str) -> bool:
    a, b = set(content_terms(first)), set(content_terms(second))
    return bool(a and b) and len(a & b) / min(len(a), len(b)) > 0.8
