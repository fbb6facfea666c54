"""The Latvian word forms and lemmas the language tools know, loaded once per process.

Sources: simplemma's Latvian form -> lemma dictionary, the hand-written lemma overrides
(lv_lemma_overrides.tsv), the municipal-domain lemmas inflected with regular paradigms
(lv_domain_lemmas.txt), the common word list with its phrase hints (lv_common_words.txt),
pyspellchecker's word frequencies and the full Latvian Hunspell dictionary.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import json
import logging
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.lang.hunspell.folded import FoldedLexicon
from pipeline.lang.hunspell.shipped import shipped
from pipeline.lang.lv.alphabet import fold, has_diacritics
from pipeline.lang.lv.paradigms import (
    adjective_forms,
    lemma_paradigm,
    noun_forms,
    plural_forms,
    verb_forms,
)
from pipeline.lang.resources import resource_lines

logger = logging.getLogger(__name__)


@functools.cache
def simplemma_dict(lang: str) -> Mapping[str, str]:
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
    raw: Any = simplemma_dict("lv")
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
def overrides() -> dict[str, str]:
    """The hand-written form -> lemma overrides (lv_lemma_overrides.tsv)."""
    table: dict[str, str] = {}
    for line in resource_lines("lv_lemma_overrides.tsv"):
        form, _, lemma = line.partition("\t")
        if not lemma:
            raise ValueError(f"lv_lemma_overrides.tsv: expected form<TAB>lemma, got {line!r}")
        table[form.strip().lower()] = lemma.strip().lower()
    return table


@dataclass(frozen=True)
class CommonWords:
    """The common word list: each form's rank (0 = most frequent) and the phrase hints."""

    rank: dict[str, int]
    left_hints: frozenset[tuple[str, str]]  # (folded previous word, form)
    right_hints: frozenset[tuple[str, str]]  # (form, folded next word)


@functools.cache
def common_words() -> CommonWords:
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
    return CommonWords(rank, frozenset(left), frozenset(right))


@dataclass(frozen=True)
class DomainLemmas:
    """The domain lemmas and every form their paradigms make."""

    forms: dict[str, str]  # form -> lemma
    lemmas: frozenset[str]


@functools.cache
def domain_lemmas() -> DomainLemmas:
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
            produced = noun_forms(lemma, extra)
        elif section == "plural":
            produced = plural_forms(lemma)
        elif section == "adj":
            produced = adjective_forms(lemma)
        elif section == "verb":
            produced, nominal = verb_forms(lemma, extra)
        elif section == "fixed":
            produced = [lemma]
        else:
            raise ValueError(f"lv_domain_lemmas.txt: line {line!r} is outside a known section")
        for form in produced:
            forms.setdefault(form, lemma)
        if nominal:
            lemmas.add(nominal)
            for form in noun_forms(nominal, "4"):
                forms.setdefault(form, nominal)
    # The lemma itself always maps to itself, even if an earlier paradigm produced it.
    for lemma in lemmas:
        forms[lemma] = lemma
    return DomainLemmas(forms, frozenset(lemmas))


@functools.cache
def _generated_forms() -> frozenset[str]:
    """Regular inflections of simplemma's and the domain list's lemmas, with diacritics only.

    Forms without a diacritic add nothing to the restorer (the typed word already is one).
    """
    _, simplemma_lemmas = _simplemma_lv_forms()
    out: set[str] = set()
    for lemma in simplemma_lemmas | domain_lemmas().lemmas:
        if not lemma.isalpha() or len(lemma) < 3:
            continue
        for form in lemma_paradigm(lemma):
            if has_diacritics(form):
                out.add(form)
    return frozenset(out)


@dataclass(frozen=True)
class Lexicon:
    """Every Latvian form the lists know, by folded key, and the lemmas they name."""

    by_key: dict[str, tuple[str, ...]]  # folded key -> known lower-case forms
    known_lemmas: frozenset[str]
    generated: frozenset[str]  # forms known only from a generated regular paradigm
    attested: frozenset[str]  # forms a list names (simplemma, domain paradigms, common words)


@functools.cache
def lexicon() -> Lexicon:
    """Group every known Latvian form (simplemma, domain paradigms, common words) by fold."""
    simplemma_forms, simplemma_lemmas = _simplemma_lv_forms()
    domain = domain_lemmas()
    common = common_words()
    groups: defaultdict[str, set[str]] = defaultdict(set)
    attested: set[str] = set()
    for source in (simplemma_forms, domain.forms, common.rank, overrides()):
        for form in source:
            if form.isalpha():
                groups[fold(form)].add(form)
                attested.add(form)
    generated = _generated_forms() - attested
    for form in generated:
        groups[fold(form)].add(form)
    by_key = {key: tuple(sorted(forms)) for key, forms in groups.items()}
    known = simplemma_lemmas | domain.lemmas | frozenset(overrides().values())
    n_forms = sum(map(len, by_key.values()))
    logger.debug("Latvian lexicon: %d forms under %d keys", n_forms, len(by_key))
    return Lexicon(by_key, known, frozenset(generated), frozenset(attested))


def hunspell_lv() -> FoldedLexicon:
    """The full Latvian Hunspell dictionary, searchable by folded spelling (read once)."""
    return shipped("lv_LV", fold)


def is_known_word(word: str) -> bool:
    """Whether a word (any case, diacritics optional) is a known Latvian form."""
    return fold(word) in lexicon().by_key
