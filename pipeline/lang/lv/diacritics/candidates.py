"""The candidate forms of a folded word, and what the dictionaries say a form is.

A candidate is a form with the same folded spelling that the full Latvian Hunspell dictionary
or one of the lists (simplemma, the domain paradigms, the common words) names. The case rules
ask what a neighbouring form is: a finite verb, a noun, an adjective, a reflexive verb.
"""

from __future__ import annotations

import functools
import re

from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lexicon import (
    domain_lemmas,
    hunspell_lv,
    lexicon,
    reference_frequencies,
    simplemma_dict,
)
from pipeline.lang.lv.paradigms import ADJECTIVE_ENDINGS, NOUN_ENDINGS


@functools.lru_cache(maxsize=262_144)
def known_forms(key: str) -> tuple[str, ...]:
    """The forms of a folded word that the full dictionary or a list names (sorted).

    Forms generated from the regular paradigms alone are left out: the full dictionary covers
    the regular forms, and what only the generator makes is mostly no word ("piēm").
    """
    generated = lexicon().generated
    listed = {f for f in lexicon().by_key.get(key, ()) if f not in generated}
    return tuple(sorted(listed.union(hunspell_lv().forms(key))))


# The case endings of a declined noun form (an adverb such as "vairāk" has none).
CASE_ENDINGS = (
    "s", "š", "a", "e", "i", "u", "ā", "ē", "ī", "ū", "ai", "ei", "am", "ām", "ēm", "īm", "iem",
    "os", "us",
)  # fmt: skip

# Occurrences a form needs in the word-frequency list to be a candidate of a word no
# lexicon knows (fewer are mostly typos and foreign words). Checked on the sample (5-fold
# misses unchanged with 20 and with 100) and on the SIB-200 Latvian sentences stripped and
# restored: 12 more words right than without these candidates with 20 or with 5, 9 with 100.
MIN_LISTED_COUNT = 20


@functools.cache
def _listed_by_key() -> dict[str, tuple[str, ...]]:
    """The word-frequency list's forms with diacritics (and enough occurrences), by key."""
    by_key: dict[str, list[str]] = {}
    for form, n in reference_frequencies().items():
        key = fold(form)
        if n >= MIN_LISTED_COUNT and key != form and form.isalpha():
            by_key.setdefault(key, []).append(form)
    return {k: tuple(sorted(v)) for k, v in by_key.items()}


def listed_forms(key: str) -> tuple[str, ...]:
    """The forms with diacritics a folded word has in the word-frequency list: the candidates
    of a word that neither dictionary nor list knows ("koplemuma" -> "koplēmuma")."""
    return _listed_by_key().get(key, ())


def is_known_key(key: str) -> bool:
    """Whether a folded word is a form some lexicon (lists or the full dictionary) knows."""
    return key in lexicon().by_key or bool(hunspell_lv().forms(key))


def _lemma_of(form: str) -> str:
    """The lemma a lexicon gives a lower-case form ("" when none does)."""
    found = domain_lemmas().forms.get(form) or simplemma_dict("lv").get(form)
    return found.lower() if found else ""


# Added letters of a verbal suffix rule that make a participle, a gerund or a verbal noun
# rather than a finite form ("-ošs", "-ams", "-is", "-usi", "-dams", "-šana", "-ts").
_NONFINITE_ADD = re.compile(
    r"oš|uš|usi|dam|šan|[aā]m(?!ies)[saāuiueo]|is$"
    r"|^t(?:s|a|ai|as|u|ā|ām|ās|i|ie|iem|o|am|os|us|ais|aj\w*)$"
)


@functools.lru_cache(maxsize=65_536)
def _word_classes(form: str) -> frozenset[str]:
    """What the full dictionary says a lower-case form is: "verb" (finite or infinitive),
    "nonfinite" (participle, gerund, verbal noun) and/or "nominal" (noun, adjective, other)."""
    classes: set[str] = set()
    for analysis in hunspell_lv().analyses(fold(form)):
        if analysis.form != form:
            continue
        rule = analysis.suffix
        if rule is None:
            infinitive = analysis.stem.endswith("t")
            classes.add("verb" if infinitive else "nominal")
        elif not rule.condition.endswith("t"):
            classes.add("nominal")
        elif _NONFINITE_ADD.search(rule.add):
            classes.add("nonfinite")
        else:
            classes.add("verb")
    return frozenset(classes)


def is_verb_form(form: str) -> bool:
    """Whether a known form is a finite verb or a debitive ("derētu", "jābrauc", "notiek")."""
    if not form or len(form) < 3:
        return False
    if form.startswith("jā") or form.endswith("tu") and _lemma_of(form[:-1]) == form[:-1]:
        return True
    classes = _word_classes(form)
    if classes:
        return classes == {"verb"}
    lemma = _lemma_of(form)
    return lemma.endswith(("t", "ties")) and not form.endswith(("ts", "ta", "ti", "tas", "šana"))


@functools.lru_cache(maxsize=65_536)
def is_infinitive_form(form: str) -> bool:
    """Whether the full dictionary has a form as an infinitive ("ietaupīt", "orientēties")."""
    if len(form) < 4 or not form.endswith(("t", "ties")):
        return False
    for analysis in hunspell_lv().analyses(fold(form)):
        if analysis.form != form or not analysis.stem.endswith("t"):
            continue
        rule = analysis.suffix
        if rule is None or (rule.add == "ies" and rule.condition.endswith("t")):
            return True
    return False


@functools.lru_cache(maxsize=65_536)
def can_be_finite_verb(form: str) -> bool:
    """Whether the full dictionary makes a form as a finite verb ("nozīmē"), whatever else
    it may be (the locative "nozīmē" too)."""
    return "verb" in _word_classes(form) and not is_infinitive_form(form)


def is_noun_form(form: str) -> bool:
    """Whether a known form belongs to a noun (or adjective) lemma, not to a verb."""
    classes = _word_classes(form)
    if classes:
        return "nominal" in classes and "verb" not in classes
    lemma = _lemma_of(form)
    return bool(lemma) and lemma.endswith(("s", "š", "a", "e", "is", "us"))


# Endings of a noun and the ending an adjective before it takes (indefinite or definite).
_AGREEMENT = (
    (("ām", "ēm", "īm"), "ām"),
    (("ās", "ēs", "īs"), "ās"),
    (("ā", "ē", "ī", "ū"), "ā"),
    (("iem",), "iem"),
    (("am", "im", "um"), "am"),
    (("ai", "ei"), "ai"),
)
# The endings of an adjective (both definitenesses) as a folded word shows them, longest first.
_FOLDED_ADJECTIVE_ENDINGS = tuple(
    sorted({fold(e) for e in ADJECTIVE_ENDINGS}, key=len, reverse=True)
)


def agreeing_ending(noun: str) -> str | None:
    """The ending an adjective takes before a noun form, when its ending says so."""
    for endings, wanted in _AGREEMENT:
        if noun.endswith(endings):
            return wanted
    return None


@functools.lru_cache(maxsize=65_536)
def is_reflexive_verb_key(key: str) -> bool:
    """Whether every known form of a folded word is a reflexive finite verb ("piedalās")."""
    forms = known_forms(key)
    return bool(forms) and all(
        f.endswith(("as", "ās", "ies", "os")) and is_verb_form(f) for f in forms
    )


@functools.lru_cache(maxsize=65_536)
def is_adjective_key(key: str) -> bool:
    """Whether a folded word is a form of an adjective or participle: the full dictionary
    has its definite form (simplemma's forms are not asked: "mežāis" would make "meža" one)."""
    if len(key) < 4:
        return False
    for ending in _FOLDED_ADJECTIVE_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending) + 1:
            definite = key[: len(key) - len(ending)] + "ais"
            return bool(hunspell_lv().forms(definite))
    return False


def is_noun_genitive(form: str) -> bool:
    """Whether a form in -a is a masculine noun's genitive and no adjective's form: the full
    dictionary has its nominative in -s or -š ("kara" of "karš") and no definite "-ais"
    form of the same letters ("kāra" is of "kārais")."""
    if not form.endswith("a") or len(form) < 4:
        return False
    stem = form[:-1]
    if stem + "ais" in hunspell_lv().forms(fold(stem + "ais")):
        return False
    nominatives = (stem + "s", stem + "š")
    return any(n in hunspell_lv().forms(fold(n)) for n in nominatives) and is_noun_form(form)


def is_feminine_plural_in_is(form: str) -> bool:
    """Whether a form in -is is the plural of a feminine noun in -s ("valstis" of "valsts"),
    not a masculine nominative ("skapis")."""
    if not form.endswith("is") or form.endswith("ais") or len(form) < 5:
        return False  # "-ais" is a definite adjective ("populārais")
    nominative = form[:-2] + "s"
    return nominative in hunspell_lv().forms(fold(nominative)) and form != nominative


_FEMININE_A_ENDINGS = NOUN_ENDINGS["a"]
_FEMININE_E_ENDINGS = (*NOUN_ENDINGS["e"], "u")  # with the genitive plural


def fits_its_lemma(form: str) -> bool:
    """Whether a form's ending suits its lemma's declension.

    simplemma's data holds some impossible forms ("vajadzībam" for the feminine
    "vajadzība"); they lose to a sibling that fits.
    """
    lemma = domain_lemmas().forms.get(form) or simplemma_dict("lv").get(form)
    if not lemma or lemma == form:
        return True
    lemma = lemma.lower()
    if lemma.endswith("a"):
        return form.endswith(_FEMININE_A_ENDINGS)
    if lemma.endswith("e"):
        return form.endswith(_FEMININE_E_ENDINGS)
    return True
