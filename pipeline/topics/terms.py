"""Terms of the ideas for keywords: content lemmas and bigrams, and how a term reads.

A term is a content lemma ("ceļš", so "ceļu" and "ceļiem" count together) or two content
lemmas that stand next to each other in the text ("sporta laukums"). A lemma is a term as
:func:`pipeline.topics.keyword_filters.keyword_lemma` shows it (diacritics restored: "gimenem"
counts as "ģimene"); lemmas that say nothing about a theme (``data/generic_lemmas.txt``),
function words, unknown words, fragments, people's names and, optionally, the place words of
the ideas' territories are no terms. A bigram shows as people write it, with the
head word as its lemma (:meth:`Terms.display`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from pipeline.lang.codes import grammar_language
from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.lexicon import is_known_word
from pipeline.lang.lv.tokens import tokenize
from pipeline.lang.resources import resource_lines
from pipeline.lang.script import CYRILLIC
from pipeline.topics.keyword_filters import idea_name_lemmas, keyword_lemma
from pipeline.topics.table import cell_words

DATA = Path(__file__).resolve().parent / "data"

_LATVIAN_LOCATIVE = ("ā", "ē", "ī", "ū", "ās", "ēs", "īs")
# Latvian genitive endings (singular -a, -as, -es, -s, -us; plural -u), which a noun modifier
# keeps whatever the case of its head.
_GENITIVE_ENDINGS = ("a", "as", "es", "s", "us", "u")
# Endings of Russian adjective lemmas (masculine nominative singular).
_RUSSIAN_ADJECTIVE_ENDINGS = ("ый", "ий", "ой")
# Endings of Latvian definite adjectives that no noun shares (-ajam, -ajiem, -ajai, ...).
_DEFINITE_ENDINGS = frozenset({"ais", "ajam", "ajā", "ajiem", "ajos", "ajai", "ajām", "ajās"})


def _data_words(name: str) -> frozenset[str]:
    """The words of a data file: separated by spaces, "#" lines are comments."""
    text = (DATA / name).read_text(encoding="utf-8")
    return frozenset(
        word
        for line in text.splitlines()
        if not line.lstrip().startswith("#")
        for word in unicodedata.normalize("NFC", line).split()
    )


@functools.cache
def generic_lemmas() -> frozenset[str]:
    """Lemmas that say nothing about a theme but are in no stop list (see the data file)."""
    return _data_words("generic_lemmas.txt")


@functools.cache
def _administrative_words() -> frozenset[str]:
    """Words of territory names that are not place names themselves ("pagasts")."""
    return _data_words("administrative_words.txt")


@functools.cache
def _given_names() -> frozenset[str]:
    """Latvian given names (lemmas): people who sign or leave contact details, never themes."""
    return frozenset(resource_lines("lv_given_names.txt"))


def is_verb(lemma: str) -> bool:
    """Whether a lemma is an infinitive (Latvian -t/-ties, Russian -ть/-ться/-ти/-чь)."""
    if CYRILLIC.search(lemma):
        return lemma.endswith(("ть", "ться", "ти", "тись", "чь", "чься"))
    return lemma.endswith(("t", "ties")) and lemma.isalpha()


def _word_class(keyword: str) -> int:
    """0 for a noun or noun phrase, 1 for an adjective, 2 for a verb (by the last word)."""
    last = keyword.split()[-1]
    if is_verb(last):
        return 2
    if " " in keyword:
        return 0
    if CYRILLIC.search(last):
        return 1 if last.endswith(_RUSSIAN_ADJECTIVE_ENDINGS) else 0
    return 1 if _is_latvian_adjective(last) else 0


def keyword_name(keywords: Sequence[str], n: int) -> str:
    """A name of ``n`` keywords, nouns first, then adjectives, then verbs: "maiznīca, piens"
    rather than "lepoties, maiznīca". A keyword whose words are all in the name already is
    left out ("sporta laukums" after "sporta laukums, laukums")."""
    order = sorted(range(len(keywords)), key=lambda i: (_word_class(keywords[i]), i))
    chosen: list[str] = []
    words: set[str] = set()
    for i in order:
        keyword = keywords[i]
        if set(keyword.split()) <= words:
            continue
        chosen.append(keyword)
        words.update(keyword.split())
        if len(chosen) == n:
            break
    return ", ".join(chosen)


def new_theme_name(keywords: Sequence[str], n: int) -> str:
    """The name of a theme the taxonomy lacks: :func:`keyword_name`, capitalised
    ("Vēlēšanas, partija, valdība")."""
    name = keyword_name(keywords, n)
    return name[:1].upper() + name[1:]


def territory_matcher(territories: Iterable[str]) -> Callable[[str], bool]:
    """A test for lemmas that are (forms of) territory names, e.g. "ezerkalnē" for "Ezerkalne".

    Args:
        territories: Territory names as in the ideas table ("Rudzupes pagasts").

    Returns:
        A function telling whether a lemma is one of the names' place words; administrative
        words ("pagasts", "novads") are not place words.
    """
    lemmas: set[str] = set()
    stems: set[str] = set()
    for name in territories:
        if not isinstance(name, str):
            continue
        for word in tokenize(name, "lv"):
            if lemmatize(word, "lv") in _administrative_words():
                continue
            lemmas.add(fold(lemmatize(word, "lv")))
            lemmas.add(fold(word))
            # Inflected forms the lemmatiser does not know ("Kalnājos") share the stem.
            stem = re.sub(r"[aeiouy]+s?$|s$|ju$|u$", "", fold(word))
            if len(stem) >= 4:
                stems.add(stem)

    def is_territory(lemma: str) -> bool:
        key = fold(lemma)
        return key in lemmas or any(
            key.startswith(stem) and len(key) - len(stem) <= 3 for stem in stems
        )

    return is_territory


class Terms:
    """Term lists of the ideas: content lemmas and adjacent content-lemma bigrams.

    A bigram is two content lemmas next to each other in the text, neither a verb nor a
    Latvian locative ("istabu pagastā" is two phrases), not both generic words.

    Args:
        ideas: Ideas table with ``content_lemmas``; ``lemmas``, ``text_normalised`` and
            ``language`` are used when present.
        ngram_max: 1 (lemmas only) or 2 (lemmas and bigrams).
        excluded: Lemmas that are no terms (e.g. a :func:`territory_matcher`).

    Attributes:
        per_idea: The terms of each idea, lemmas first.
        surfaces: Bigram -> how often each pair of written words stood for it.
    """

    def __init__(
        self, ideas: pd.DataFrame, ngram_max: int, excluded: Callable[[str], bool]
    ) -> None:
        self.per_idea: list[list[str]] = []
        self.surfaces: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        self.excluded = excluded
        self._names = idea_name_lemmas(ideas)
        self._shown: dict[tuple[str, str], str | None] = {}
        has_lemmas = "lemmas" in ideas.columns
        texts = ideas["text_normalised"] if "text_normalised" in ideas.columns else None
        languages = ideas["language"] if "language" in ideas.columns else None
        for position, cell in enumerate(ideas["content_lemmas"]):
            written = languages.iat[position] if languages is not None else "lv"
            lang = grammar_language(written)
            content = {w: self._term(w, written) for w in cell_words(cell)}
            terms = list(dict.fromkeys(t for t in content.values() if t is not None))
            if ngram_max >= 2:
                sequence = (
                    cell_words(ideas["lemmas"].iat[position]) if has_lemmas else list(content)
                )
                text = texts.iat[position] if texts is not None else None
                terms.extend(self._bigrams(sequence, content, text, lang))
            self.per_idea.append(terms)

    def _term(self, lemma: str, lang: str) -> str | None:
        """The lemma as a term (diacritics restored), None when it is no term."""
        key = (lemma, lang)
        if key not in self._shown:
            shown = None if lemma.lower() in self._names else keyword_lemma(lemma, lang)
            if shown is not None and (shown in self._names or self._is_excluded(shown)):
                shown = None
            self._shown[key] = shown
        return self._shown[key]

    def _is_excluded(self, lemma: str) -> bool:
        return lemma in generic_lemmas() or lemma in _given_names() or self.excluded(lemma)

    def _bigrams(
        self, sequence: list[str], content: Mapping[str, str | None], text: object, lang: str
    ) -> list[str]:
        """Bigrams of adjacent content lemmas; ``content`` maps each to its term (or None)."""
        tokens = tokenize(text, lang) if isinstance(text, str) else []
        aligned = len(tokens) == len(sequence)
        found: list[str] = []
        for i in range(len(sequence) - 1):
            if sequence[i] not in content or sequence[i + 1] not in content:
                continue
            # a generic lemma is no term on its own but may be part of one ("vecs cilvēks")
            first = content[sequence[i]] or self._generic_term(sequence[i], lang)
            second = content[sequence[i + 1]] or self._generic_term(sequence[i + 1], lang)
            if first is None or second is None or first == second:
                continue
            if is_verb(first) or is_verb(second) or self.excluded(first) or self.excluded(second):
                continue
            if first in _given_names() or second in _given_names():
                continue
            if first in generic_lemmas() and second in generic_lemmas():
                continue
            pair = (tokens[i].lower(), tokens[i + 1].lower()) if aligned else None
            if lang == "lv" and not self._latvian_phrase(first, second, pair):
                continue
            key = f"{first} {second}"
            if key not in found:
                found.append(key)
            if pair:
                self.surfaces[key][pair] += 1
        return found

    def _generic_term(self, lemma: str, lang: str) -> str | None:
        """A generic lemma as a bigram part ("vecs" in "vecs cilvēks"), else None."""
        shown = keyword_lemma(lemma, lang)
        return shown if shown is not None and shown in generic_lemmas() else None

    @staticmethod
    def _latvian_phrase(first: str, second: str, pair: tuple[str, str] | None) -> bool:
        """Whether two Latvian words can be one noun phrase (modifier, then head noun).

        A locative ends the phrase ("istabu pagastā"), unless it is the -ā of a definite
        adjective ("ātrā palīdzība"); an adjective after a noun is a predicate ("algas mazas").
        """
        if _is_latvian_adjective(second):
            return False
        if pair is None:
            return True
        if pair[1].endswith(_LATVIAN_LOCATIVE):
            return False
        return not pair[0].endswith(_LATVIAN_LOCATIVE) or _is_latvian_adjective(first)

    def display(self, term: str) -> str:
        """How a term reads: a lemma, or a bigram as people write it.

        A bigram shows its most common written form with the head as the lemma ("sporta
        laukums", "детский сад"). Otherwise a Latvian adjective takes the definite form that
        agrees with the head's lemma ("sociālo darbinieku" -> "sociālais darbinieks"), a
        Latvian genitive modifier that never changes form keeps it before the head's lemma
        ("šķirošanas konteineru" -> "šķirošanas konteiners"), a Russian phrase keeps its first
        word as the lemma ("дом культуры"); anything else shows as written most often.
        """
        if " " not in term:
            return term
        pairs = self.surfaces.get(term)
        if not pairs:
            return term
        first, second = term.split(" ", 1)

        def most_common(keep: Callable[[tuple[str, str]], bool]) -> str | None:
            matching = [(n, pair) for pair, n in pairs.items() if keep(pair)]
            return " ".join(max(matching)[1]) if matching else None

        shown = most_common(lambda pair: pair[1] == second)
        if shown:
            return shown
        if CYRILLIC.search(term):
            if first.endswith(_RUSSIAN_ADJECTIVE_ENDINGS):
                # "детском саду" -> "детский сад": both lemmas agree in the nominative
                return term
            # a noun head with a genitive modifier: "доме культуры" -> "дом культуры"
            modifiers = Counter()
            for (_, modifier), n in pairs.items():
                modifiers[modifier] += n
            return most_common(lambda pair: pair[0] == first) or (
                f"{first} {modifiers.most_common(1)[0][0]}"
            )
        if _is_latvian_adjective(first, written={pair[0] for pair in pairs}):
            # an adjective agrees with the head's lemma: "sociālo darbinieku" -> "sociālais
            # darbinieks", "ātrās palīdzības" -> "ātrā palīdzība" (feminine heads end in -a, -e)
            return f"{first[:-1]}{'ā' if second.endswith(('a', 'e')) else 'ais'} {second}"
        modifiers = {pair[0] for pair in pairs}
        modifier = next(iter(modifiers))
        if len(modifiers) == 1 and modifier.endswith(_GENITIVE_ENDINGS):
            # a noun in the genitive does not change with its head ("šķirošanas konteiners")
            return f"{modifier} {second}"
        return most_common(lambda _: True) or term


def _is_latvian_adjective(lemma: str, written: Iterable[str] = ()) -> bool:
    """Whether a Latvian lemma has a definite adjective form ("vecs" -> "vecais").

    The dictionary says so, or one of the ``written`` forms of the word is a definite
    inflection of it ("vientuļajiem" for "vientuļš").
    """
    if not lemma.endswith(("s", "š")) or len(lemma) < 3:
        return False
    definite = lemma[:-1] + "ais"
    if is_known_word(definite) and lemmatize(definite, "lv") == lemma:
        return True
    stem = lemma[:-1]
    return any(form.startswith(stem) and form[len(stem) :] in _DEFINITE_ENDINGS for form in written)
