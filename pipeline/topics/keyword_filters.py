"""Which lemmas may be keywords: words a planner can read, never a person or a fragment.

A keyword is a lemma with its diacritics restored ("ģimene", not "gimenem"), a word some
dictionary knows (a typo or an unknown word is no keyword), no function word ("pati", "die"),
no person's name, and holds no punctuation, digit or piece of an e-mail or web address.

A person's name is found three ways: a given name of the project's lists (Latvian and
Russian); a word written with a capital letter inside
a sentence and never in lower case that no dictionary knows; a capitalised word with a
surname ending ("Kalniņš", "Ozoliņa", "Petrovs", "Иванов").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from pipeline.lang.codes import ENGLISH, LATVIAN, RUSSIAN, grammar_language
from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.lexicon import hunspell_lv, lexicon, reference_frequencies, simplemma_dict
from pipeline.lang.lv.stopwords import is_stop
from pipeline.lang.lv.tokens import tokenize
from pipeline.lang.resources import resource_lines
from pipeline.lang.script import CYRILLIC

DATA = Path(__file__).resolve().parent / "data"

# Letters, with hyphens only between them ("sociāli-ekonomisks"): no punctuation, no digit.
_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")
# Pieces of e-mail and web addresses that the tokenizer leaves as words.
_ADDRESS_PARTS = frozenset({"www", "http", "https", "com", "org", "net", "gmail", "inbox", "html"})
# Endings of Latvian and Russian surnames; a capitalised word with one inside a sentence is a
# person ("Kalniņš", "Ozoliņa", "Petrovs", "Иванов"), even when it is also a word.
_SURNAME_ENDINGS = {
    LATVIAN: ("iņš", "iņa", "ovs", "ova", "evs", "eva", "skis", "ckis", "čuks", "enko"),
    RUSSIAN: (
        "ов",
        "ова",
        "ев",
        "ёв",
        "ева",
        "ский",
        "ская",
        "цкий",
        "цкая",
        "енко",
        "ович",
        "овна",
    ),
}
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _data_words(name: str) -> frozenset[str]:
    """The lower-case words of a file in ``data/``: separated by spaces, "#" lines are comments."""
    text = (DATA / name).read_text(encoding="utf-8")
    return frozenset(
        word.lower()
        for line in text.splitlines()
        if not line.lstrip().startswith("#")
        for word in unicodedata.normalize("NFC", line).split()
    )


@functools.cache
def function_words() -> frozenset[str]:
    """Function words that the stop lists lack (``data/function_words.txt``)."""
    return _data_words("function_words.txt")


@functools.cache
def given_names() -> frozenset[str]:
    """Given names of people (lower-case lemmas): Latvian (``lv_given_names.txt`` of the
    language data) and Russian (``data/ru_given_names.txt``)."""
    latvian = {name.lower() for name in resource_lines("lv_given_names.txt")}
    return frozenset(latvian) | _data_words("ru_given_names.txt")


def is_readable(term: str, lang: str = LATVIAN) -> bool:
    """Whether a lemma reads as a word: letters only, no address piece, no function word.

    Args:
        term: A lemma ("ceļš"), lower case.
        lang: Language of the text it came from.
    """
    if len(term) < 2 or not _WORD.match(term) or term in _ADDRESS_PARTS:
        return False
    if term in function_words() or fold(term) in function_words():
        return False
    code = RUSSIAN if CYRILLIC.search(term) else grammar_language(lang)
    if is_stop(term, code) or (term.isascii() and is_stop(term, ENGLISH)):
        return False
    return term not in given_names()


@functools.cache
def restored_lemma(lemma: str) -> str | None:
    """The Latvian lemma with its diacritics, or None when no dictionary knows the word.

    A lemma the dictionaries know as written is kept; one typed without diacritics that
    matches known forms ("gimenem" -> "ģimenēm") becomes the lemma of the most frequent of
    them ("ģimene").
    """
    lexicon_ = lexicon()
    if lemma in lexicon_.known_lemmas:
        return lemma
    key = fold(lemma)
    forms = set(lexicon_.by_key.get(key, ())) | set(hunspell_lv().forms(key))
    if lemma in forms:
        return lemma
    if not forms:
        return None
    frequency = reference_frequencies()
    best = max(sorted(forms), key=lambda form: frequency.get(form, 0))
    restored = lemmatize(best, LATVIAN)
    return restored if restored in lexicon_.known_lemmas or restored in forms else best


def keyword_lemma(lemma: str, lang: str) -> str | None:
    """The lemma as a keyword may show it, or None when it may be no keyword.

    Latvian (and Latgalian) lemmas are restored (:func:`restored_lemma`); Russian and English
    ones must be known to the language's dictionary; every lemma must be :func:`is_readable`.
    """
    lemma = unicodedata.normalize("NFC", str(lemma)).lower()
    if not is_readable(lemma, lang):
        return None
    if grammar_language(lang) != LATVIAN or CYRILLIC.search(lemma):
        return lemma if _known(lemma, lang) else None
    restored = restored_lemma(lemma)
    if restored is None or not is_readable(restored, lang):
        return None
    return restored


def _known(word: str, lang: str) -> bool:
    """Whether a dictionary of the language knows the (lower-case) word."""
    if grammar_language(lang) == LATVIAN and not CYRILLIC.search(word):
        return fold(word) in lexicon().by_key or bool(hunspell_lv().forms(fold(word)))
    code = RUSSIAN if CYRILLIC.search(word) else grammar_language(lang)
    try:
        forms = simplemma_dict(code)
    except (ImportError, KeyError, ValueError, OSError):
        return True
    return word in forms or word.replace("ё", "е") in forms


def _looks_like_surname(word: str) -> bool:
    code = RUSSIAN if CYRILLIC.search(word) else LATVIAN
    return len(word) > 4 and word.endswith(_SURNAME_ENDINGS[code])


def name_lemmas(texts: Iterable[str], languages: Iterable[str]) -> frozenset[str]:
    """Words of the texts that are people's names, with their lemmas.

    A word is a name when it is written with a capital letter inside a sentence (not as the
    first word, not all capitals) and either no dictionary knows it or its lemma and it is
    never written in lower case, or it has a surname ending.

    Args:
        texts: The texts (diacritics restored), one per idea.
        languages: The language of each text.

    Returns:
        Lower-case words and their lemmas.
    """
    capitalised: set[str] = set()
    lower: set[str] = set()
    for text, lang in zip(texts, languages, strict=True):
        if not isinstance(text, str):
            continue
        for sentence in _SENTENCE_END.split(text):
            tokens = tokenize(sentence, lang)
            lower.update(t for t in tokens if t[:1].islower())
            for token in tokens[1:]:
                if token[:1].isupper() and not token.isupper():
                    capitalised.add((token.lower(), grammar_language(lang)))
    names: set[str] = set()
    for word, lang in capitalised:
        lemma = lemmatize(word, lang)
        unknown = not _known(word, lang) and not _known(lemma, lang)
        if _looks_like_surname(word) or (word not in lower and unknown):
            names.update({word, lemma})
    return frozenset(names)


def idea_name_lemmas(ideas: pd.DataFrame) -> frozenset[str]:
    """:func:`name_lemmas` of an ideas table (``text_normalised``, ``language``)."""
    if "text_normalised" not in ideas.columns:
        return frozenset()
    languages = (
        ideas["language"].astype("string").fillna(LATVIAN).tolist()
        if "language" in ideas.columns
        else [LATVIAN] * len(ideas)
    )
    texts = ideas["text_normalised"].astype("string").fillna("").tolist()
    return name_lemmas(texts, languages)
