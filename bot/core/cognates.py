"""English words in Dutch: the Dutch spellings of English words that share a Latin or French root, and the
base forms under which an English word is looked up in the translations.

"selection" is "selectie", "effective" is "effectief", "strategy" is "strategie", "financial" is
"financieel": the policy vocabulary of an English question often exists in the Dutch sources under a
regular change of ending. The candidates are guesses; the expander keeps only those the sources use.
"""

from __future__ import annotations

# English ending -> Dutch endings, longest English ending first; a word takes the first ending that fits.
ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ications", ("icaties",)),
    ("ication", ("icatie",)),
    ("ations", ("aties",)),
    ("ation", ("atie",)),
    ("itions", ("ities",)),
    ("ition", ("itie",)),
    ("tions", ("ties",)),
    ("tion", ("tie",)),
    ("sions", ("sies",)),
    ("sion", ("sie",)),
    ("ities", ("iteiten",)),
    ("ity", ("iteit",)),
    ("ically", ("isch",)),
    ("ical", ("isch", "ische")),
    ("ics", ("iek",)),
    ("ic", ("isch", "ische", "iek")),
    ("ives", ("ieven",)),
    ("ive", ("ief", "ieve")),
    ("ially", ("ieel",)),
    ("ial", ("ieel", "iele")),
    ("ually", ("ueel",)),
    ("ual", ("ueel", "uele")),
    ("ally", ("aal", "eel")),
    ("al", ("aal", "ale", "eel", "ele")),
    ("ances", ("anties",)),
    ("ance", ("antie",)),
    ("ences", ("enties",)),
    ("ence", ("entie",)),
    ("ures", ("uren",)),
    ("ure", ("uur",)),
    ("izes", ("iseert",)),
    ("ize", ("iseren",)),
    ("ises", ("iseert",)),
    ("ise", ("iseren",)),
    ("ated", ("eerd",)),
    ("ates", ("eert",)),
    ("ate", ("eren",)),
    ("ies", ("ieën", "ies")),
    ("y", ("ie",)),
    ("ists", ("isten",)),
    ("ist", ("ist",)),
    ("isms", ("ismen",)),
    ("ism", ("isme",)),
)
MIN_STEM = 3  # what is left of the word before its ending: "al" in "deal" is no ending


def dutch_cognates(word: str) -> list[str]:
    """Dutch spellings that `word` (lowercase English) may have, most regular first; may be empty."""
    candidates: list[str] = []
    for ending, dutch_endings in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            stem = word[: -len(ending)]
            candidates.extend(stem + dutch for dutch in dutch_endings)
            break
    # Dutch writes a hard c as k: "practical" -> "praktisch", "critical" -> "kritisch".
    candidates.extend([_hard_c_as_k(candidate) for candidate in candidates])
    return [candidate for candidate in dict.fromkeys(candidates) if candidate != word]


def _hard_c_as_k(word: str) -> str:
    letters = list(word)
    for index, letter in enumerate(letters):
        following = letters[index + 1] if index + 1 < len(letters) else ""
        if letter == "c" and following not in ("e", "i", "h", "y", "k") and following != "":
            letters[index] = "k"
    return "".join(letters)


def english_base_forms(word: str) -> list[str]:
    """`word` and the base forms it may inflect from: "limitations" -> "limitation", "studies" -> "study",
    "worried" -> "worry", "defined" -> "define", "sharing" -> "share", "firm's" -> "firm"."""
    word = word.removesuffix("'s").removesuffix("’s")
    forms = [word]
    if word.endswith(("ies", "ied")) and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    if word.endswith("ed") and len(word) > 4:
        forms.extend([word[:-2], word[:-1], word[:-3] if word[-3] == word[-4] else word[:-2]])
    if word.endswith("ing") and len(word) > 5:
        forms.extend([word[:-3], word[:-3] + "e", word[:-4] if word[-4] == word[-5] else word[:-3]])
    return list(dict.fromkeys(forms))
