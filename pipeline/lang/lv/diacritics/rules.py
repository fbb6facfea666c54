"""Case rules: which of a word's candidate forms its neighbours ask for.

A folded word such as "skola" may be "skola" (nominative) or "skolā" (locative); "pagasta"
may be the genitive "pagasta" or the locative "pagastā". The neighbours decide: after a
preposition or "katru" no locative; "pagastā vajag", "pagastā vairs nav" but "pagasta
centrs"; after a reflexive verb a locative ("piedalās olimpiādēs"), and after a definite
locative adjective ("vecajās dzirnavās"); what "nav" or "trūkst" lacks is a genitive ("trūkst
bērnu ārsta"); an adjective agrees with its noun ("jaunajām ģimenēm"), a predicate adjective
after its noun is indefinite ("algas mazas"); a participle agrees with its subject ("koki
nokaltuši"). "ka" (that) opens a clause, "kā" (as, how) stands inside one or before an
infinitive; "tas"/"šis" agree with their noun ("šīs slimības"); a subject pronoun comes before
a verb ("kas nozīmē"); a year after its ordinal is a locative ("2010. gadā") unless a month
or a noun follows; after a verb of place a noun is a locative ("atrodas Devonportā"), and so
is a place name inside a sentence that no verb or noun follows; a comparative before its noun
is the superlative ("lielākā daļa"), an adjective after a copula a predicate ("ir skāba").
All context is read from the folded spelling of the neighbours, and the form already chosen
for the next word (the restorer works right to left; see `context`).

`case_rule` gives, per word, a test of its candidate forms (True: the form's case fits), or
None when the neighbours say nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.diacritics.candidates import (
    CASE_ENDINGS,
    agreeing_ending,
    can_be_finite_verb,
    is_adjective_key,
    is_infinitive_form,
    is_known_key,
    is_noun_form,
    is_noun_genitive,
    is_reflexive_verb_key,
    is_verb_form,
    known_forms,
)
from pipeline.lang.lv.diacritics.context import Context, context_words
from pipeline.lang.lv.diacritics.pronoun_rules import demonstrative_rule, ka_rule
from pipeline.lang.lv.diacritics.verb_rules import participle_rule
from pipeline.lang.lv.paradigms import LOCATIVE_ENDINGS

# A test of one candidate form: True when its case fits the neighbours.
Rule = Callable[[str], bool]

# Month names as a folded word starts ("janvārī", "maija").
_MONTH_STEMS = (
    "janvar", "februar", "mart", "april", "maij", "jun", "jul", "august", "septembr",
    "oktobr", "novembr", "decembr",
)  # fmt: skip
# Endings of a feminine adjective (folded) and of a noun it can follow as its predicate.
_FEMININE_NOUN_AFTER = {"a": ("a", "e"), "as": ("as", "es")}


def _words(name: str) -> frozenset[str]:
    """One word set of lv_context_words.yaml."""
    return context_words(name)


def _is_locative(form: str) -> bool:
    return form.endswith(LOCATIVE_ENDINGS)


def _is_not_locative(form: str) -> bool:
    return not form.endswith(LOCATIVE_ENDINGS)


def case_rule(
    key: str, context: Context, candidates: Sequence[str], final_locative: bool
) -> Rule | None:
    """The case a folded word's neighbours ask of it, as a test of its candidate forms.

    Args:
        key: The folded word.
        context: Its neighbours.
        candidates: Its candidate forms.
        final_locative: At the end of a sentence prefer the locative of a feminine noun
            unless an earlier word asks for a nominative.

    Returns:
        The test, or None when the neighbours prefer no form.
    """
    if key == "ka":
        return ka_rule(context)
    if key in _words("personal_pronouns"):
        return None  # "viņa" is no noun: no genitive-or-locative choice ("vīnā")
    if key.endswith(("usi", "usies")):
        return participle_rule(context)
    if not context.clause_start and (
        context.prev in _words("locative_determiners")
        or (context.prev2 in _words("locative_determiners") and context.prev == "pasa")
    ):
        # "tajā pašā laikā", "šajā vietā": what follows "tajā" or "šajā" agrees with it
        return _is_locative
    if key in _words("demonstratives_s"):
        return demonstrative_rule(context)
    if key in _words("numerals_a") and context.after_copula:
        # after "ir" a numeral is the predicate: "ir viena no ...", "ir otra garākā upe"
        return _is_not_locative
    if (
        key in _words("pronouns_am")
        and context.prev in _words("prepositions")
        and context.prev not in _words("dative_singular_after")
        and not context.clause_start
    ):
        # a preposition takes a plural dative, never a singular one: "no tām", "starp tām"
        # (but "pēc tam", "pirms tam")
        return lambda form: form.endswith(("ām", "īm"))
    if (
        key.endswith("a")
        and is_adjective_key(key)
        and not context.clause_end
        and _is_plain_noun(context.next_form or "")
        and not is_adjective_key(context.next or "")
        and (genitives := [c for c in candidates if c.endswith("a") and is_noun_genitive(c)])
    ):
        # a noun's genitive before a noun, where the letters also spell an adjective:
        # "kara laikā" (of the war), not "karā" agreeing like "kārā" (sample unchanged,
        # SIB-200 lv 3 more words right)
        return lambda form: form in genitives
    if key in _words("pronouns_a") or key in _words("pronouns_am") or is_adjective_key(key):
        return _adjective_rule(key, context)
    return _noun_rule(key, context, candidates, final_locative)


def _adjective_rule(key: str, context: Context) -> Rule | None:
    """An adjective (or a pronoun in -a) agrees with the noun after it: "visā novadā",
    "smagajām mašīnām"; after its noun it is a predicate, and indefinite: "algas mazas",
    "ēka tukša"."""
    prev, next_form = context.prev, context.next_form or ""
    if key in _words("relative_a") and context.clause_start and prev is not None:
        return _relative_rule(context)
    if (
        key.endswith(("aka", "akas"))
        and prev not in _words("comparison_before")
        and not context.clause_end
        and _is_plain_noun(next_form)
        and agreeing_ending(next_form) is None
    ):
        # a comparative before its noun is mostly the superlative, definite: "lielākā daļa",
        # "trešā lielākā pilsēta" (but "vēl lielāka daļa")
        return lambda form: form.endswith(("ākā", "ākās"))
    after_its_noun = (
        key not in _words("pronouns_a")
        and prev is not None
        and not context.clause_start
        and prev.endswith(_FEMININE_NOUN_AFTER.get(key[-2:] if key.endswith("as") else key[-1], ()))
    )
    if (
        not context.clause_start
        and not context.clause_end
        and _is_plain_noun(next_form)
        and context.next not in _words("pronouns_a")
        and agreeing_ending(next_form) is None
        and (prev in _words("possessives") or _is_genitive_key(prev))
    ):
        # after a genitive or a possessive the adjective is definite: "objektīva maksimālā
        # apertūra", "mana jaunā māja"
        return lambda form: form.endswith(("ā", "ās"))
    predicate = after_its_noun or (context.after_copula and key not in _words("pronouns_a"))
    if predicate and (context.clause_end or not _is_plain_noun(next_form)):
        # "ēka tukša", "viela ir skāba", "ir krietni mazāka"
        return lambda form: not form.endswith(("ā", "ās"))
    if context.clause_end or not next_form or fold(next_form) in _words("not_nouns"):
        return None  # no noun to agree with: "vēl lielāka nekā"
    wanted = agreeing_ending(next_form)
    if wanted is None:
        return None
    return lambda form: form.endswith(wanted)


def _can_be_verb(form: str) -> bool:
    """Whether a form may be a finite verb, irregular ones too ("varat", which the full
    dictionary lists as a stem of its own)."""
    return can_be_finite_verb(form) or is_verb_form(form)


def _is_verb_key(key: str) -> bool:
    """Whether every known form of a folded word is a finite verb ("iekapa" is no noun)."""
    forms = known_forms(key)
    return bool(forms) and all(_can_be_verb(f) and not is_noun_form(f) for f in forms)


def _is_plain_noun(form: str) -> bool:
    """Whether a chosen form is a declined noun (or adjective) and no verb or adverb."""
    return (
        bool(form)
        and is_noun_form(form)
        and not can_be_finite_verb(form)
        and fold(form) not in _words("not_nouns")
        and form.endswith(CASE_ENDINGS)
    )


def _is_genitive_key(key: str | None) -> bool:
    """Whether a folded word reads as a noun's genitive ("zemestrīču", "Latvijas"): a
    genitive ending, and no adjective, verb or locative among its forms."""
    if not key or len(key) < 4 or not key.endswith(("as", "es", "u", "us", "a")):
        return False
    if is_adjective_key(key) or key in _words("pronouns_a") or key in _words("not_nouns"):
        return False
    forms = known_forms(key)
    return bool(forms) and not any(can_be_finite_verb(f) or _is_locative(f) for f in forms)


def _relative_rule(context: Context) -> Rule | None:
    """ "kura" opening a relative clause is its subject before a verb (", kura ir"), and the
    locative "kurā" before another subject (", kurā jūs dzīvojat", ", kurā spēlētāji ...")."""
    next_form = context.next_form or ""
    if (
        context.next in _words("subject_pronouns")
        or (_is_plain_noun(next_form) and not next_form.endswith(("a", "e", "as", "es")))
        or (_can_be_verb(next_form) and next_form.endswith(("at", "āt", "iet", "am", "ām")))
    ):
        # a verb in the first or second person has a subject of its own: ", kurā dzīvojat"
        # (sample unchanged, SIB-200 lv one more word right)
        return lambda form: form.endswith("ā")
    return None


def _ordinal_rule(context: Context) -> Rule | None:
    """A year after its number: "2010. gadā" (in), but "2017. gada janvārī", "kopš 2011. gada"."""
    if context.prev in _words("prepositions") or context.prev in _words("genitive_before"):
        return _is_not_locative
    nxt = context.next or ""
    if (
        context.before_number
        or nxt.startswith(_MONTH_STEMS)
        or (
            context.next_lower
            and not context.clause_end
            and _is_plain_noun(context.next_form or "")
        )
    ):
        # "2017. gada janvārī", "2009. gada sezonu"
        return _is_not_locative
    return _is_locative


def _noun_rule(
    key: str, context: Context, candidates: Sequence[str], final_locative: bool
) -> Rule | None:
    """The case of a noun from the words around it; the first rule that applies decides."""
    prev, nxt, next_form = context.prev, context.next, context.next_form or ""
    if nxt in _words("genitive_postpositions") and context.next_lower and not context.clause_end:
        # "X dēļ" (because of X) takes a genitive (sample unchanged, SIB-200 lv 2 more words)
        return _is_not_locative
    if (
        prev in _words("subject_pronouns")
        and not context.clause_start
        and key not in _words("not_nouns")
    ):
        verbs = [c for c in candidates if _can_be_verb(c)]
        if verbs and len(verbs) < len(candidates):
            # a subject pronoun before a verb: "kas nozīmē", "tas ietekmē"
            return _can_be_verb
    if context.after_ordinal and key in _words("ordinal_time_nouns"):
        return _ordinal_rule(context)
    function_word = key in _words("not_nouns") or key in _words("adverbs")
    if (
        not function_word
        and not context.clause_end
        and is_infinitive_form(next_form)
        and not can_be_finite_verb(next_form)
        and any(_can_be_verb(c) for c in candidates)
    ):
        # before an infinitive a verb that takes one, not a locative: "sāka strādāt", not
        # "sakā" (sample unchanged, SIB-200 lv 4 more words right)
        return lambda form: _can_be_verb(form) or not _is_locative(form)
    if (
        key.endswith("i")
        and not function_word
        and prev is not None
        and not context.clause_start
        and (is_adjective_key(prev) or prev in _words("pronouns_a"))
        and any(c.endswith("ī") for c in candidates)
    ):
        # a noun in -i/-ī agrees with the adjective before it: the locative after "-ā"
        # ("šķidrā stāvoklī"), the accusative after "-u"/"-o" ("attīstīto valsti")
        # (sample unchanged, SIB-200 lv 5 more words right)
        return _is_locative if prev.endswith("a") else _is_not_locative
    if (
        key in _words("postposition_nouns")
        and context.prev2 in _words("prepositions")
        and prev not in _words("prepositions")
    ):
        # after a preposition and a modifier the noun is in the preposition's case, never a
        # locative: "pēc vietējā laika" (sample unchanged, SIB-200 lv 4 more words right)
        return _is_not_locative
    if (
        key in _words("postposition_nouns")
        and prev is not None
        and not context.clause_start
        and not _is_plain_noun(next_form)
        and prev not in _words("prepositions")
        and prev not in _words("verb_like")
    ):
        # "X laikā", "X vietā", "X sākumā" (during, instead of, at the start of X): the
        # genitive "laika" stands before a noun of its own ("laika posms")
        return _is_locative
    if (
        (
            prev in _words("location_verbs")
            or (
                context.prev2 in _words("location_verbs")
                and (prev in _words("pronouns_a") or is_adjective_key(prev or ""))
            )
        )
        and not context.clause_start
        and (context.clause_end or not _is_plain_noun(next_form))
    ):
        # where something is: "atrodas Devonportā", "dzīvo lielās grupās"
        return _is_locative
    if (
        prev == "sava"
        and not context.clause_start
        and key.endswith(("a", "e"))
        and (key.endswith("e") or not is_known_key(key[:-1] + "s"))
        and (context.clause_end or not _is_plain_noun(next_form))
    ):
        # "savs" points back to the subject and is never its nominative: before a feminine
        # noun "sava" is the locative "savā pilsētā"
        return _is_locative
    governs_a_case = (
        prev in _words("prepositions")
        or prev in _words("genitive_before")
        or prev in _words("accusative_before")
    )
    if governs_a_case and not context.clause_start:
        return _is_not_locative

    coordinated = context.coordinated_form or ""
    if (
        key.endswith(("a", "e", "as", "es"))
        and _is_locative(coordinated)
        and len(coordinated) > 4
        and _is_plain_noun(coordinated)
        and not is_adjective_key(fold(coordinated))
        and not is_verb_form(coordinated)
        and fold(coordinated) not in _words("locative_determiners")
        and fold(coordinated).removesuffix("s") not in _words("pronouns_a")
    ):
        # the items of a list share their case: "Rīgā, Jelgavā un Liepājā", "mūzikā,
        # filmās un literatūrā" (sample unchanged, SIB-200 lv 4 more words with diacritics
        # right, 1 more in all)
        return _is_locative
    if (
        prev is not None
        and not context.clause_start
        and prev.endswith(("aja", "ajas"))
        and is_adjective_key(prev)
        and not next_form.endswith(LOCATIVE_ENDINGS)
    ):
        # a noun agrees with a definite locative before it: "vecajās dzirnavās", but a
        # genitive may stand between them: "vecajā pasta ēkā"
        plural = prev.endswith("s")
        return lambda form: _is_locative(form) and form.endswith("s") == plural
    if (
        context.genitive_expected
        and key.endswith(("a", "as", "es"))
        and not is_verb_form(next_form)
        and not any(c in _words("time_locatives") for c in candidates)
    ):
        # what "nav" or "trūkst" lacks is a genitive: "nav neviena sporta laukuma"
        return _is_not_locative
    if prev == "ir":
        return None  # a predicate ("ir slēgta") as often as a place ("ir skolā")
    if (
        prev is not None
        and not context.clause_start
        and key.endswith(("a", "e"))
        and len(key) > 3
        and not context.nominative_expected
        and (context.clause_end or context.next_lower)
        and prev not in _words("copulas")
        and prev not in _words("verb_like")
        and _is_verb_key(prev)
        and (context.clause_end or not _is_plain_noun(next_form))
    ):
        # after a verb a feminine noun with nothing to qualify is where it happens:
        # "iekāpa automašīnā", "notika viesnīcā" (sample: one miss fewer; SIB-200 lv:
        # 8 more words right, 2 fewer)
        return lambda form: form.endswith(("ā", "ē"))
    if (
        prev is not None
        and not context.clause_start
        and key.endswith("s")
        and is_reflexive_verb_key(prev)
    ):
        # a reflexive verb takes no object: "piedalās olimpiādēs", "glabājas kastēs"
        return _is_locative
    if nxt in _words("locative_before") and not context.clause_end:
        return _is_locative
    if key.endswith("a") and is_known_key(key[:-1] + "s") and not context.genitive_expected:
        return _genitive_or_locative_rule(context)
    if (
        final_locative
        and context.sentence_end
        and not context.nominative_expected
        and key.endswith(("a", "e"))
    ):
        return lambda form: form.endswith(("ā", "ē"))
    if (
        context.capitalised
        and not context.sentence_start
        and key.endswith(("a", "e"))
        and not is_verb_form(next_form)
        and not _is_plain_noun(next_form)
        and prev not in _words("nominative_before")
    ):
        # a place name inside a sentence is mostly where something happens ("notika
        # Rēzeknē", "lidot uz Eiropu vai Eiropā"); as a subject it comes before its verb
        return lambda form: form.endswith(("ā", "ē"))
    return None


def _genitive_or_locative_rule(context: Context) -> Rule | None:
    """A masculine genitive ("pagasta") stands before the noun it qualifies; before a verb or
    at the end the same letters are the locative ("pagastā")."""
    nxt, next_form = context.next, context.next_form or ""
    if (
        _verb_next(context)
        or is_verb_form(next_form)
        or (nxt in _words("prepositions") and not context.clause_end)
    ):
        # a genitive stands before its noun, never before a preposition: "mežā pie ceļa",
        # "parkā pie ezera"
        return lambda form: form.endswith("ā")
    if not context.clause_end and next_form and is_noun_form(next_form):
        return lambda form: not form.endswith("ā")
    return None


def _verb_next(context: Context) -> bool:
    """Whether the next word is a verb, an adverb, a word of need or a time locative, or
    there is no next word: nothing a genitive could qualify."""
    nxt = context.next
    return (
        nxt is None
        or nxt in _words("verb_like")
        or nxt in _words("locative_before")
        or (nxt.startswith("ja") and len(nxt) > 4)
        or nxt in _words("adverbs")
        or (context.next_form or "") in _words("time_locatives")
    )
