"""UD-style morphological features of Latvian words, from the word form and its lemma.

Latvian has no tagger offline, but the forms the SWOT cue patterns need are regular given the
lemma: "jā" + present is the debitive, infinitive + "u" the conditional, stem + "s" the
future. :func:`ud_features` gives them in the Universal Dependencies notation spaCy's
``Matcher`` reads (``MORPH``), e.g. ``"Mood=Nec"`` or ``"Polarity=Neg|VerbForm=Inf"``.
"""

from __future__ import annotations

import re

from pipeline.lang.lv.lexicon import is_known_word

_NEGATED = frozenset({"nav", "nebija", "nebūs", "nebūtu", "navā", "nabeja"})
# Words in "ne-" that do not negate anything.
_NOT_NEGATED = (
    "nedēļ",
    "nedeļ",
    "nedel",
    "nepieciešam",
    "negais",
    "nekustam",
    "nesen",
    "nemaz",
    "nevis",
    "neliel",
)
# Words in "-t" that are not infinitives.
_NOT_INFINITIVE = frozenset(
    {"šeit", "mazliet", "pirmkārt", "otrkārt", "treškārt", "beidzot", "nost", "vienkārt"}
)
_PARTICIPLE_ENDINGS = frozenset(
    {"s", "a", "i", "as", "ā", "ās", "ie", "ais", "ajā", "o", "ām", "iem", "ajiem", "ajām"}
)
_PARTICIPLE_LEMMA = re.compile(r"[āēīo]ts$")
_FUTURE_ENDINGS = ("s", "sim", "siet", "si", "šu")
_REFLEXIVE_FUTURE_ENDINGS = ("sies", "simies", "sieties", "šos")


def is_negated(word: str, lemma: str) -> bool:
    """Whether a lower-case word is negated: "nav", or "ne-" + a word that exists without it."""
    return word in _NEGATED or (
        word.startswith("ne")
        and len(word) > 4
        and not word.startswith(_NOT_NEGATED)
        and (not lemma.startswith("ne") or is_known_word(word[2:]) or is_known_word(lemma[2:]))
    )


def _verb_feature(word: str, core: str, lemma: str) -> str | None:
    """The one mood, tense or verb form feature of a word (``core``: without negation)."""
    stem = lemma[:-1]
    reflexive_base = lemma[:-4]
    if word.startswith("jā") and len(word) > 4 and lemma != word and lemma.endswith(("t", "ties")):
        return "Mood=Nec"
    if (lemma.endswith("t") and core == lemma + "u") or (
        lemma.endswith("ties") and core == lemma[:-3] + "os"
    ):
        return "Mood=Cnd"
    if (
        lemma.endswith("t")
        and core != lemma
        and core in {stem + ending for ending in _FUTURE_ENDINGS}
    ) or (
        lemma.endswith("ties")
        and core in {reflexive_base + ending for ending in _REFLEXIVE_FUTURE_ENDINGS}
    ):
        return "Tense=Fut"
    if (
        core == lemma
        and len(lemma) >= 4
        and lemma.endswith(("t", "ties"))
        and lemma not in _NOT_INFINITIVE
    ):
        return "VerbForm=Inf"
    if (
        lemma.endswith("t") and core.startswith(lemma) and core[len(lemma) :] in _PARTICIPLE_ENDINGS
    ) or (core == lemma and len(lemma) > 5 and _PARTICIPLE_LEMMA.search(lemma)):
        return "VerbForm=Part"
    return None


def ud_features(word: str, lemma: str) -> str:
    """UD-style features of a Latvian word that the SWOT cue patterns use (``swot_cues.yaml``).

    Args:
        word: The word as written, in lower case.
        lemma: Its lemma (lower case, as :func:`pipeline.lang.lv.lemmatize` gives it).

    Returns:
        The features sorted and joined by "|" ("" for none): at most one of ``Mood=Nec``
        (debitive), ``Mood=Cnd`` (conditional), ``Tense=Fut``, ``VerbForm=Inf``,
        ``VerbForm=Part`` (participle), plus ``Polarity=Neg``.
    """
    features: list[str] = []
    negated = is_negated(word, lemma)
    core = word[2:] if negated and word.startswith("ne") else word
    verb = _verb_feature(word, core, lemma)
    if verb is not None:
        features.append(verb)
    if negated:
        features.append("Polarity=Neg")
    return "|".join(sorted(features))
