"""What surrounds a word as the diacritics rules read it: the folded neighbours, the form
chosen for the next word, where clauses and sentences start and end, and which case words
earlier in the sentence ask for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.lang.resources import word_sets

WORDS_FILE = "lv_context_words.yaml"
SENTENCE_BREAK = re.compile(r"[.!?\n]")
CLAUSE_BREAK = re.compile(r"[.,;:!?()\n\u2013\u2014]|\s-\s")
# A number with a full stop before a word is an ordinal ("2010. gadā"), not a sentence end.
_ORDINAL = re.compile(r"\d\.(?=\s*$)")
_ORDINAL_BEFORE = re.compile(r"\d\.\s*$")
_NUMBER_AFTER = re.compile(r"\s*\d")
# Words after "nav" or "trūkst" that may still be what is lacking (and its modifiers).
_LACKING_SPAN = 3


@dataclass(frozen=True)
class Context:
    """What surrounds a word: folded neighbours, the form chosen for the next word."""

    prev: str | None = None
    prev2: str | None = None
    next: str | None = None
    next_form: str | None = None
    clause_end: bool = False
    clause_start: bool = False
    sentence_start: bool = False
    prev_sentence_start: bool = False
    sentence_end: bool = False
    after_ordinal: bool = False
    before_number: bool = False
    next_lower: bool = False
    capitalised: bool = False
    after_copula: bool = False
    nominative_expected: bool = False
    genitive_expected: bool = False
    subject_before: str | None = None
    coordinated_form: str | None = None
    predicate_form: str | None = None


NO_CONTEXT = Context()


def context_words(name: str) -> frozenset[str]:
    """One word set of lv_context_words.yaml (read once per process)."""
    return word_sets(WORDS_FILE)[name]


def expected_cases(
    text: str,
    matches: Sequence[re.Match[str]],
    folded: Sequence[str],
    best: Callable[[str], str | None],
) -> tuple[list[bool], list[bool]]:
    """Per word: whether a word earlier in its sentence takes a nominative, and whether
    it is one of the first words of its clause after "nav" or "trūkst" (a genitive).

    "Jāsakārto teritorija", "ir slikta redzamība": nominative; "trūkst bērnu ārsta":
    genitive; "nav kur aiziet": neither.

    Args:
        text: The text.
        matches: Its words (letter runs), in order.
        folded: The folded words.
        best: The restorer's best form of a folded word without context (tells a debitive).

    Returns:
        The two flags per word.
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
        if key in context_words("nominative_after") or (
            key.startswith("ja") and len(key) > 4 and (best(key) or "").startswith("jā")
        ):
            nom_seen = True
        if key in ("trukst", "pietrukst", "nav") and (
            i + 1 == len(folded) or folded[i + 1] not in context_words("not_lacking_after")
        ):
            gen_seen = True
            since_lack = 0
        if i + 1 < len(matches):
            gap = (matches[i].end(), matches[i + 1].start())
            if SENTENCE_BREAK.search(text, *gap):
                nom_seen = gen_seen = False
            elif CLAUSE_BREAK.search(text, *gap):
                gen_seen = False
    return nominative, genitive


def _same_clause_before(
    text: str, matches: Sequence[re.Match[str]], i: int, span: int
) -> list[int]:
    """The positions of up to ``span`` words before the ``i``-th in its clause, nearest first."""
    found = []
    for j in range(i - 1, max(-1, i - 1 - span), -1):
        if CLAUSE_BREAK.search(_without_ordinal(text[matches[j].end() : matches[j + 1].start()])):
            break
        found.append(j)
    return found


def _after_copula(
    text: str, matches: Sequence[re.Match[str]], folded: Sequence[str], i: int
) -> bool:
    """Whether the word follows "ir", "bija", "kļūst" ..., perhaps after an adverb ("ir
    krietni mazāka"): a predicate."""
    before = _same_clause_before(text, matches, i, 2)
    if before and folded[before[0]] in context_words("copulas"):
        return True
    return (
        len(before) == 2
        and folded[before[0]] in context_words("adverbs")
        and folded[before[1]] in context_words("copulas")
    )


# How far back in its clause a participle looks for its subject ("cilvēki to ar humoru
# bija nodēvējuši": five words; see `verb_rules.participle_rule` for the data checked).
_SUBJECT_SPAN = 5


def _subject_before(
    text: str, matches: Sequence[re.Match[str]], folded: Sequence[str], i: int
) -> str | None:
    """The nearest earlier word of the clause that may be a participle's subject: ending in
    -i, -a or -e, and no auxiliary, adverb or other participle ("zinātnieki ir jau
    atklājuši", "valdība arī apsolījusi")."""
    skipped = (
        context_words("copulas")
        | context_words("verb_like")
        | context_words("adverbs")
        | context_words("not_nouns")
        | context_words("comparison_before")
    )
    for j in _same_clause_before(text, matches, i, _SUBJECT_SPAN):
        key = folded[j]
        if key in skipped or key.endswith(("usi", "usies")):
            continue
        if key.endswith(("i", "a", "e")):
            return key
    return None


_COMMA = re.compile(r"\s*,\s*")
_SPACE = re.compile(r"\s+")


def _coordinated_form(
    text: str,
    matches: Sequence[re.Match[str]],
    folded: Sequence[str],
    chosen: Sequence[str | None],
    i: int,
) -> str | None:
    """The form chosen for the next item of a list the word may belong to: the word after a
    comma, or after "un"/"vai" ("Rīgā, Jelgavā un Liepājā")."""
    if i + 1 >= len(matches):
        return None
    gap = text[matches[i].end() : matches[i + 1].start()]
    if _COMMA.fullmatch(gap):
        return chosen[i + 1]
    if (
        _SPACE.fullmatch(gap)
        and folded[i + 1] in ("un", "vai")
        and i + 2 < len(matches)
        and _SPACE.fullmatch(text[matches[i + 1].end() : matches[i + 2].start()])
    ):
        return chosen[i + 2]
    return None


# How far after a pronoun its predicate is looked for ("tās ir dažreiz pārpildītas").
_PREDICATE_SPAN = 4


def _predicate_form(
    text: str,
    matches: Sequence[re.Match[str]],
    folded: Sequence[str],
    chosen: Sequence[str | None],
    i: int,
) -> str | None:
    """The form chosen for the word after an auxiliary that follows the ``i``-th word in its
    clause, adverbs skipped: the predicate of a subject pronoun ("tās ir jutīgas")."""
    adverbs = context_words("adverbs") | context_words("not_nouns")
    seen_auxiliary = False
    for j in range(i + 1, min(len(matches), i + 1 + _PREDICATE_SPAN)):
        if CLAUSE_BREAK.search(_without_ordinal(text[matches[j - 1].end() : matches[j].start()])):
            return None
        key = folded[j]
        if key in adverbs or key in context_words("comparison_before") and seen_auxiliary:
            continue
        if not seen_auxiliary:
            if key not in context_words("auxiliaries"):
                return None
            seen_auxiliary = True
            continue
        return chosen[j]
    return None


def _without_ordinal(gap: str) -> str:
    """The text between two words without the full stop of an ordinal number at its end."""
    return _ORDINAL.sub("", gap)


def word_context(
    text: str,
    matches: Sequence[re.Match[str]],
    folded: Sequence[str],
    chosen: Sequence[str | None],
    i: int,
    nominative_expected: bool,
    genitive_expected: bool,
) -> Context:
    """The context of the ``i``-th word of a text, once the words after it are chosen.

    Args:
        text: The text.
        matches: Its words (letter runs), in order.
        folded: The folded words.
        chosen: The forms chosen so far (those after ``i``).
        i: The word's position.
        nominative_expected: Whether an earlier word takes a nominative (`expected_cases`).
        genitive_expected: Whether the word may be what "nav" or "trūkst" lacks.
    """
    start, end = matches[i].span()
    last = i + 1 == len(matches)
    gap = text[end:] if last else _without_ordinal(text[end : matches[i + 1].start()])
    before = _without_ordinal(text[matches[i - 1].end() : start]) if i > 0 else ""
    before_prev = (
        _without_ordinal(text[matches[i - 2].end() : matches[i - 1].start()]) if i > 1 else ""
    )
    return Context(
        prev=folded[i - 1] if i > 0 else None,
        prev2=folded[i - 2] if i > 1 and not CLAUSE_BREAK.search(before) else None,
        next=None if last else folded[i + 1],
        next_form=None if last else chosen[i + 1],
        clause_end=last or bool(CLAUSE_BREAK.search(gap)),
        clause_start=i == 0 or bool(CLAUSE_BREAK.search(before)),
        sentence_start=i == 0 or bool(SENTENCE_BREAK.search(before)),
        prev_sentence_start=i == 1 or (i > 1 and bool(SENTENCE_BREAK.search(before_prev))),
        sentence_end=last or bool(SENTENCE_BREAK.search(gap)),
        after_ordinal=bool(_ORDINAL_BEFORE.search(text, 0, start)),
        before_number=not last and bool(_NUMBER_AFTER.match(text, end)),
        next_lower=not last and matches[i + 1].group()[:1].islower(),
        capitalised=matches[i].group()[:1].isupper(),
        after_copula=_after_copula(text, matches, folded, i),
        nominative_expected=nominative_expected,
        genitive_expected=genitive_expected,
        subject_before=(
            _subject_before(text, matches, folded, i)
            if folded[i].endswith(("usi", "usies"))
            else None
        ),
        coordinated_form=_coordinated_form(text, matches, folded, chosen, i),
        predicate_form=(
            _predicate_form(text, matches, folded, chosen, i)
            if folded[i] in context_words("demonstratives_s")
            else None
        ),
    )
