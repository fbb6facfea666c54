"""Which taxonomy theme a tick-box option names, from the theme's seed words and its name.

A survey's options are short noun phrases written by the survey's author ("Sporta laukumi",
"Ģimenes ārsts", "Kultūras pasākumi"). An option names a theme when its lemmas contain one of
the theme's seeds (every word of a phrase seed; :func:`pipeline.topics.guidance.mentions`) or
all the content words of the theme's Latvian name. Only a clear match counts: the theme with
the most matching seeds, when no other theme has as many; otherwise the option gets no theme
("Sporta aktivitātes" names both sport and, through "aktivitāte", youth: no theme), and a
person can read it in the table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmas
from pipeline.lang.lv.tokens import tokenize
from pipeline.topics.guidance import Seed, mentions, seed_lemma_sets
from pipeline.topics.script import script_language
from pipeline.topics.taxonomy import Theme


def theme_seeds(taxonomy: Sequence[Theme]) -> list[tuple[str, list[tuple[str, Seed]]]]:
    """Per theme, its id and its seeds (with the theme's name as one more) as written and as
    lemma sets."""
    result = []
    for theme in taxonomy:
        seeds: list[tuple[str, Seed]] = []
        for written in (*theme.seeds, theme.name_lv):
            one = dataclasses.replace(theme, seeds=(written,))
            seeds += [(written, seed) for seed in seed_lemma_sets(one)]
        result.append((theme.id, seeds))
    return result


def option_words(option: str) -> set[str]:
    """An option's words as seeds are matched: folded lemmas and folded written forms."""
    lang = script_language(option)
    return {fold(word) for word in (*lemmas(option, lang), *tokenize(option, lang))}


def option_themes(options: Sequence[str], taxonomy: Sequence[Theme]) -> list[tuple[str, str]]:
    """The theme each option names and the seeds that say so; ``("", "")`` when none is clear.

    Returns:
        Per option: the theme id and its matching seeds as written in the taxonomy, joined by
        ``"; "``.
    """
    seeds = theme_seeds(taxonomy)
    matches = []
    for option in options:
        words = option_words(option)
        found = [
            (theme_id, _distinct([written for written, seed in theme if mentions(seed, words)]))
            for theme_id, theme in seeds
        ]
        found = sorted((f for f in found if f[1]), key=lambda f: -len(f[1]))
        if not found or (len(found) > 1 and len(found[1][1]) == len(found[0][1])):
            matches.append(("", ""))
            continue
        theme_id, written = found[0]
        matches.append((theme_id, "; ".join(written)))
    return matches


def _distinct(written: Sequence[str]) -> list[str]:
    """Seeds as written, each once whatever its case (the name "Kultūra" and the seed
    "kultūra" are one piece of evidence)."""
    return list({word.casefold(): word for word in reversed(written)}.values())[::-1]
