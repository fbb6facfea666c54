"""Measures of honest theme names and readable keywords, for the benchmarks.

- :func:`taxonomy_named_share`: the share of ideas given a taxonomy theme name. On text whose
  topics the municipal taxonomy lacks (SIB-200) it should stay low.
- :func:`keyword_report`: the share of keywords a planner can read: each occurs in at least 2
  distinct ideas of its theme (and in 3% of them), is a word some dictionary knows as written
  (Latvian with its diacritics), no person's name, no function word, no fragment of an address,
  punctuation or a number; with the share failing each check and
  :func:`pipeline.topics.keyword_quality.keyword_quality` (stop words and repeated lemmas).

Support is counted here from the ideas' own words, not from the keyword code, so that it
measures keyword lists made by any method.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from pipeline.lang.codes import grammar_language
from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.tokens import tokenize
from pipeline.lang.script import CYRILLIC
from pipeline.topics.keyword_filters import (
    idea_name_lemmas,
    is_readable,
    keyword_lemma,
    restored_lemma,
)
from pipeline.topics.keyword_quality import keyword_quality
from pipeline.topics.table import cell_words

CHECKS = ("support", "readable", "known_word", "not_a_name")


def taxonomy_named_share(
    idea_themes: pd.DataFrame, taxonomy_ids: Iterable[str], ideas: pd.DataFrame | None = None
) -> float:
    """Share of the answers (non-answers left out when ``ideas`` says which) whose theme is a
    taxonomy theme."""
    themes = idea_themes["theme"].fillna("").astype(str).to_numpy()
    keep = np.ones(len(themes), dtype=bool)
    if ideas is not None and "non_answer" in ideas.columns:
        flags = ideas.set_index("idea_id").loc[idea_themes["idea_id"], "non_answer"]
        keep = ~flags.to_numpy(dtype=bool)
    return float(np.isin(themes[keep], list(taxonomy_ids)).mean()) if keep.any() else 0.0


def _idea_words(ideas: pd.DataFrame) -> list[set[str]]:
    """Per idea, the folded forms of its lemmas, restored lemmas and written words."""
    languages = (
        ideas["language"].astype("string").fillna("lv").tolist()
        if "language" in ideas.columns
        else ["lv"] * len(ideas)
    )
    texts = (
        ideas["text_normalised"].astype("string").fillna("").tolist()
        if "text_normalised" in ideas.columns
        else [""] * len(ideas)
    )
    words = []
    for lemmas, text, lang in zip(ideas["content_lemmas"], texts, languages, strict=True):
        found = {fold(str(w).lower()) for w in cell_words(lemmas)}
        found |= {fold(keyword_lemma(w, lang) or "") for w in cell_words(lemmas)}
        found |= {fold(t.lower()) for t in tokenize(text, grammar_language(lang))}
        words.append(found - {""})
    return words


def _script(word: str) -> str:
    return "ru" if CYRILLIC.search(word) else "lv"


def _known_as_written(word: str) -> bool:
    """A word some dictionary knows as written (Latvian: with its diacritics restored)."""
    if CYRILLIC.search(word):
        return keyword_lemma(word, "ru") is not None
    if restored_lemma(word) == word:
        return True
    return word.isascii() and keyword_lemma(word, "en") is not None


def keyword_report(
    themes: pd.DataFrame,
    ideas: pd.DataFrame,
    idea_themes: pd.DataFrame,
    *,
    min_ideas: int = 2,
    min_share: float = 0.03,
) -> dict[str, Any]:
    """How readable the themes' keywords are.

    Args:
        themes: The themes table (``theme``, ``keywords``).
        ideas: The ideas table (``idea_id``, ``content_lemmas``; ``text_normalised``,
            ``language``, ``duplicate_of`` when present).
        idea_themes: The theme of every idea (``idea_id``, ``theme``).
        min_ideas: Distinct ideas of its theme a keyword must occur in.
        min_share: Share of its theme's distinct ideas a keyword must occur in.

    Returns:
        ``keywords`` (how many), ``passing_share`` (share passing every check), ``fail_<check>``
        (share failing each of :data:`CHECKS`), ``stop_or_repeat_share``
        (:func:`~pipeline.topics.keyword_quality.keyword_quality`), ``themes_without_keywords``
        and ``failing``: up to 30 failing keywords with the checks they fail.
    """
    ideas = ideas.reset_index(drop=True)
    theme_of = idea_themes.set_index("idea_id")["theme"].fillna("").astype(str)
    theme = theme_of.reindex(ideas["idea_id"]).fillna("").to_numpy()
    distinct = np.ones(len(ideas), dtype=bool)
    if "duplicate_of" in ideas.columns:
        distinct = ideas["duplicate_of"].isna().to_numpy()
    words = _idea_words(ideas)
    names = idea_name_lemmas(ideas)
    counts = dict.fromkeys(CHECKS, 0)
    total = passing = 0
    failing: list[tuple[str, str, list[str]]] = []
    empty = 0
    for row in themes.itertuples(index=False):
        keywords = [str(k) for k in row.keywords]
        empty += not keywords
        members = np.flatnonzero((theme == row.theme) & distinct)
        need = max(min_ideas, math.ceil(min_share * len(members) - 1e-9))
        for keyword in keywords:
            parts = keyword.lower().split()
            # a word of a phrase may show in another form than written ("sociālais dienests"
            # for "sociālā dienesta"): its lemma counts too
            forms = [{fold(p), fold(lemmatize(p, _script(p)))} for p in parts]
            support = sum(all(f & words[i] for f in forms) for i in members)
            failed = []
            if support < need:
                failed.append("support")
            if not all(is_readable(p) for p in parts):
                failed.append("readable")
            if not all(_known_as_written(p) for p in parts):
                failed.append("known_word")
            if any(p in names for p in parts):
                failed.append("not_a_name")
            total += 1
            passing += not failed
            for check in failed:
                counts[check] += 1
            if failed and len(failing) < 30:
                failing.append((str(row.theme), keyword, failed))
    share = {f"fail_{c}": counts[c] / total if total else 0.0 for c in CHECKS}
    return {
        "keywords": total,
        "passing_share": passing / total if total else 0.0,
        **share,
        "stop_or_repeat_share": keyword_quality([list(k) for k in themes["keywords"]]),
        "themes_without_keywords": empty,
        "failing": failing,
    }
