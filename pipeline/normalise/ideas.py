"""The normalise step: the responses table in, the ideas table out (one row per idea).

Rows are flagged but never deleted. The ideas table (``data/interim/ideas.parquet``) has these
columns:

================  ==========================================================================
column            meaning
================  ==========================================================================
response_id       the input id of the response the idea came from
respondent        a survey's respondent id (only for surveys; see the ingest step)
idea_id           ``<response_id>-<k>``, k = 1.. within the response
idea_index        k
n_ideas           number of ideas the response was split into
source_row        row of the input file (as a spreadsheet shows it)
question          the question the response answers; "" when the input has none
text              the idea as written (span of the raw response)
text_clean        Unicode NFC, whitespace, quotes and list markers cleaned up
text_normalised   ``text_clean`` with Latvian diacritics restored where they were missing
text_folded       lower case, diacritics stripped, punctuation removed: a matching key
diacritics_restored  whether restoration changed anything
language          lv, ru, en, ltg (Latgalian) or und (no letters)
language_confidence  0..1
lemmas            lower-case lemmas of the word tokens
content_lemmas    ``lemmas`` without stop words, numbers and one-letter tokens
non_answer        "nav", "-", "nezinu", ... (kept, not clustered)
duplicate_of      idea_id of the first idea this one repeats, else <NA>
duplicate_kind    "exact" (same text but for case and spacing), "near" or <NA>
territory, group, source, date, votes, text_too_long, formula_like: carried from the response
================  ==========================================================================
"""

from __future__ import annotations

import logging

import pandas as pd

from pipeline.lang.codes import grammar_language
from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer
from pipeline.lang.lv.lemmatizer import lemmas
from pipeline.lang.lv.stopwords import stop_words
from pipeline.normalise.clean import clean_text, folded_key
from pipeline.normalise.duplicates import find_duplicates
from pipeline.normalise.language import LV_DIACRITIC_LETTERS, detect_language
from pipeline.normalise.nonanswers import is_non_answer
from pipeline.normalise.split import split_ideas
from pipeline.params import NormaliseParams

logger = logging.getLogger(__name__)

CARRIED_COLUMNS = (
    "respondent",
    "source_row",
    "question",
    "territory",
    "group",
    "source",
    "date",
    "votes",
    "text_too_long",
    "formula_like",
)
"""Columns of the responses table copied onto each of its ideas."""

IDEA_COLUMNS = (
    "response_id",
    "respondent",
    "idea_id",
    "idea_index",
    "n_ideas",
    "source_row",
    "question",
    "text",
    "text_clean",
    "text_normalised",
    "text_folded",
    "diacritics_restored",
    "language",
    "language_confidence",
    "lemmas",
    "content_lemmas",
    "non_answer",
    "duplicate_of",
    "duplicate_kind",
    "territory",
    "group",
    "source",
    "date",
    "votes",
    "text_too_long",
    "formula_like",
)
"""The columns of the ideas table, in order (the carried ones only when the input has them)."""


def normalise_text(text: str, language: str, restorer: DiacriticsRestorer | None = None) -> str:
    """Clean a text and, for Latvian typed without any diacritics, restore them.

    Text that already has Latvian diacritics is trusted as typed: restoring word by word there
    would only risk turning a correct "ka" into "kā".
    """
    cleaned = clean_text(text)
    if language == "lv" and restorer is not None and not LV_DIACRITIC_LETTERS.search(cleaned):
        return restorer.restore(cleaned)
    return cleaned


def normalise_responses(
    responses: pd.DataFrame,
    params: NormaliseParams | None = None,
    *,
    restorer: DiacriticsRestorer | None = None,
) -> pd.DataFrame:
    """Turn the responses table (of :func:`pipeline.ingest.responses.ingest`) into the ideas table.

    Args:
        responses: One row per response with at least ``response_id`` and ``text``.
        params: Normalisation parameters (defaults if None).
        restorer: A diacritics restorer; by default one fitted on this corpus.

    Returns:
        One row per idea; columns as in the module docstring. Every response yields at least one
        row, so ``set(ideas.response_id) == set(responses.response_id)``.
    """
    params = params or NormaliseParams()
    ideas_table = split_responses(responses, params)
    add_language(ideas_table, params)
    if restorer is None:
        restorer = fit_restorer(ideas_table, params)
    add_normalised_text(ideas_table, params, restorer)
    add_lemmas(ideas_table)
    return finish_ideas(ideas_table, params, len(responses))


def finish_ideas(
    ideas_table: pd.DataFrame, params: NormaliseParams, n_responses: int
) -> pd.DataFrame:
    """The corpus-level end of :func:`normalise_responses`: non-answers, duplicates, columns.

    ``ideas_table`` has been through :func:`add_normalised_text` (and :func:`add_lemmas`); a
    table gathered from partitions is finished here exactly as a whole one.
    """
    _add_non_answers_and_duplicates(ideas_table, params)
    logger.info(
        "normalise: %d responses -> %d ideas (%d non-answers, %d duplicates, %d restored)",
        n_responses,
        len(ideas_table),
        int(ideas_table["non_answer"].sum()),
        int(ideas_table["duplicate_of"].notna().sum()),
        int(ideas_table["diacritics_restored"].sum()),
    )
    return ideas_table[[c for c in IDEA_COLUMNS if c in ideas_table.columns]]


def fit_restorer(ideas_table: pd.DataFrame, params: NormaliseParams) -> DiacriticsRestorer | None:
    """The diacritics restorer fitted on the Latvian ideas (after :func:`add_language`).

    None when ``normalise.restore_diacritics`` is off.
    """
    if not params.restore_diacritics:
        return None
    return DiacriticsRestorer().fit(restorer_texts(ideas_table))


def restorer_texts(ideas_table: pd.DataFrame) -> list[str]:
    """The texts the restorer learns from: ``text_clean`` of the Latvian ideas, in order."""
    return ideas_table.loc[ideas_table["language"].eq("lv"), "text_clean"].tolist()


def split_responses(responses: pd.DataFrame, params: NormaliseParams) -> pd.DataFrame:
    """One row per idea with its ids, its text and the columns carried from its response."""
    records: list[dict[str, object]] = []
    for response in responses.itertuples(index=False):
        raw = str(response.text) if isinstance(response.text, str) else ""
        ideas = split_ideas(raw, min_chars=params.min_idea_chars) if params.split_ideas else [raw]
        if is_non_answer(clean_text(raw)):
            ideas = [raw]
        for k, idea in enumerate(ideas, start=1):
            record: dict[str, object] = {
                "response_id": response.response_id,
                "idea_id": f"{response.response_id}-{k}",
                "idea_index": k,
                "n_ideas": len(ideas),
                "text": idea if len(ideas) > 1 else raw,
                "text_clean": clean_text(idea),
            }
            for column in CARRIED_COLUMNS:
                if column in responses.columns:
                    record[column] = getattr(response, column)
            records.append(record)
    ideas_table = pd.DataFrame.from_records(records)
    if ideas_table.empty:
        raise ValueError("normalise: the responses table has no rows")
    return ideas_table


def add_language(ideas_table: pd.DataFrame, params: NormaliseParams) -> None:
    """Columns ``language`` and ``language_confidence``; a language not allowed by the params
    becomes the first allowed one with confidence 0."""
    detected = [detect_language(t) for t in ideas_table["text_clean"]]
    ideas_table["language"] = [lang for lang, _ in detected]
    ideas_table["language_confidence"] = [conf for _, conf in detected]
    allowed = set(params.languages) | {"und"}
    unknown = ~ideas_table["language"].isin(allowed)
    if unknown.any():
        ideas_table.loc[unknown, "language_confidence"] = 0.0
        ideas_table.loc[unknown, "language"] = params.languages[0]


def add_normalised_text(
    ideas_table: pd.DataFrame,
    params: NormaliseParams,
    restorer: DiacriticsRestorer | None,
) -> None:
    """Columns ``text_normalised``, ``diacritics_restored`` and ``text_folded``.

    ``restorer``: from :func:`fit_restorer` on the whole corpus (None: no restoration).
    """
    ideas_table["text_normalised"] = [
        normalise_text(text, lang, restorer if params.restore_diacritics else None)
        for text, lang in zip(ideas_table["text_clean"], ideas_table["language"], strict=True)
    ]
    ideas_table["diacritics_restored"] = ideas_table["text_normalised"].ne(
        ideas_table["text_clean"]
    )
    ideas_table["text_folded"] = [folded_key(t) for t in ideas_table["text_normalised"]]


def add_lemmas(ideas_table: pd.DataFrame) -> None:
    """Columns ``lemmas`` and ``content_lemmas`` (Latgalian and und are lemmatised as lv)."""
    lemma_lists, content_lists = [], []
    for text, lang in zip(ideas_table["text_normalised"], ideas_table["language"], strict=True):
        lemma_lang = grammar_language(lang)
        idea_lemmas = lemmas(text, lemma_lang)
        stops = stop_words(lemma_lang)
        lemma_lists.append(idea_lemmas)
        content_lists.append(
            [w for w in idea_lemmas if w not in stops and len(w) > 1 and not w.isdigit()]
        )
    ideas_table["lemmas"] = lemma_lists
    ideas_table["content_lemmas"] = content_lists


def _add_non_answers_and_duplicates(ideas_table: pd.DataFrame, params: NormaliseParams) -> None:
    """Columns ``non_answer``, ``duplicate_of`` and ``duplicate_kind``."""
    ideas_table["non_answer"] = [is_non_answer(t) for t in ideas_table["text_clean"]]
    exact_keys = [" ".join(t.casefold().split()) for t in ideas_table["text_clean"]]
    dup_of, kinds = find_duplicates(
        exact_keys,
        list(ideas_table["text_folded"]),
        threshold=params.near_duplicate_threshold,
        skip=list(ideas_table["non_answer"]),
    )
    idea_ids = ideas_table["idea_id"].tolist()
    ideas_table["duplicate_of"] = pd.array(
        [idea_ids[j] if j is not None else None for j in dup_of], dtype="string"
    )
    ideas_table["duplicate_kind"] = pd.array(kinds, dtype="string")
