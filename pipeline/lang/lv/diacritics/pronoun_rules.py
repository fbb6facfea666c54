"""Rules for "ka"/"kā" and for the demonstratives "tas"/"tās", "šis"/"šīs": which of their
candidate forms the neighbours ask for (see `rules.case_rule`)."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.diacritics.candidates import (
    CASE_ENDINGS,
    can_be_finite_verb,
    is_adjective_key,
    is_feminine_plural_in_is,
    is_infinitive_form,
    is_noun_form,
)
from pipeline.lang.lv.diacritics.context import Context, context_words

# A test of one candidate form: True when it fits the neighbours.
Rule = Callable[[str], bool]


def ka_rule(context: Context) -> Rule | None:
    """The adverb in "kā arī", "tāpat kā"; the conjunction "ka" opens a clause ("tik lēns, ka").

    The conjunction "ka" (that) stands after a comma or after a word that asks for it ("tā,
    ka", "tik ..., ka"); inside a clause the same letters are the comparison or manner "kā"
    ("tādi kā", "strādā kā ārsts", "līdzīgi kā"); a sentence opens with "kā" ("Kā arī", "Tā
    kā ..." = since); "ka" never comes before an infinitive ("veids, kā ietaupīt").
    """
    prev, next_form = context.prev, context.next_form or ""
    long = lambda form: form == "kā"  # noqa: E731
    short = lambda form: form == "ka"  # noqa: E731
    if context.next in context_words("ka_long_before") or prev in context_words("ka_long_after"):
        return long
    if not context.clause_end and is_infinitive_form(next_form):
        return long
    if context.sentence_start:
        return long
    if prev == "ta" and context.prev_sentence_start:
        return long  # "Tā kā ..." (since) opens a sentence; "..., tā ka" is "so that"
    if prev in context_words("ka_short_after"):
        return short
    if context.clause_start:
        return long if prev in context_words("ka_long_after_comma") else short
    if prev in context_words("ka_either_after"):
        return None  # "un ka" continues a "that" clause, "un kā" a comparison
    return long


def demonstrative_rule(context: Context) -> Rule | None:
    """ "tas"/"tās", "šis"/"šīs" before a noun: the short form is masculine nominative and
    agrees with a masculine nominative ("šis process"); before any other noun form only the
    long form fits, as a feminine genitive or plural ("šīs slimības", "šīs valstis") or the
    possessive "tās" (its: "tās vēsturi", "tās lielākā pilsēta"), and before "dēļ"."""
    next_form = context.next_form or ""
    predicate = context.predicate_form or ""
    if context.next in context_words("genitive_postpositions") and context.next_lower:
        # a genitive before "dēļ": "tās dēļ" (because of it); with the plural in -is
        # below, sample unchanged and SIB-200 lv 3 more words right
        return lambda form: form.endswith("s") and form[-2] in "īā"
    if is_adjective_key(fold(predicate)) and predicate.endswith(("as", "ās")):
        # a feminine plural predicate: "tās ir jutīgas", "tās netika izmantotas" (sample
        # unchanged, SIB-200 lv 2 more words right)
        return lambda form: form.endswith("s") and form[-2] in "īā"
    if (
        context.clause_end
        or not next_form
        or not is_noun_form(next_form)
        or can_be_finite_verb(next_form)
        or fold(next_form) in context_words("not_nouns")
        or not next_form.endswith(CASE_ENDINGS)
    ):
        return None
    if next_form.endswith(("as", "es", "ās", "ēs", "īs")) or is_feminine_plural_in_is(next_form):
        return lambda form: form.endswith("s") and form[-2] in "īā"
    if next_form.endswith(("s", "š")):
        return None  # "šis ceļš", but also "tās vadītājs" (its head)
    return lambda form: form[-2] in "īā"
