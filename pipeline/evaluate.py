"""Measure the pipeline against the hand-labelled gold file of the sample corpus.

The gold file (``data/reference/proposals_gold.csv``) is only ever read here: no step of the
pipeline sees it. It has one row per gold idea (a non-answer has one row with ``n_ideas`` 0):
``id, language, typed_without_diacritics, n_ideas, idea_index, idea_text, theme, swot``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import latvian


def load_gold(path: str | Path) -> pd.DataFrame:
    """Read the gold file with ids as strings."""
    gold = pd.read_csv(path, dtype={"id": "string"}, keep_default_na=False)
    gold["n_ideas"] = gold["n_ideas"].astype(int)
    gold["idea_index"] = gold["idea_index"].astype(int)
    return gold


def gold_responses(gold: pd.DataFrame) -> pd.DataFrame:
    """One row per gold response: ``id``, ``language``, ``n_ideas``."""
    return gold.groupby("id", sort=False).agg(
        language=("language", "first"), n_ideas=("n_ideas", "first")
    )


def language_accuracy(ideas: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float | int]:
    """Share of responses whose detected language equals the gold one, overall and per language.

    A response's detected language is that of its first idea.
    """
    detected = ideas.groupby("response_id", sort=False)["language"].first()
    truth = gold_responses(gold)["language"]
    joined = pd.DataFrame({"truth": truth, "detected": detected.reindex(truth.index)})
    result: dict[str, float | int] = {
        "accuracy": float((joined["truth"] == joined["detected"]).mean()),
        "n": len(joined),
    }
    for language, group in joined.groupby("truth"):
        result[f"accuracy_{language}"] = float((group["truth"] == group["detected"]).mean())
        result[f"n_{language}"] = len(group)
    return result


def split_accuracy(ideas: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float | int]:
    """Share of responses split into the gold number of ideas (a non-answer counts as 0 ideas)."""
    produced = ideas.groupby("response_id", sort=False).agg(
        n=("n_ideas", "first"), non_answer=("non_answer", "all")
    )
    produced_n = produced["n"].where(~produced["non_answer"], 0)
    truth = gold_responses(gold)["n_ideas"]
    produced_n = produced_n.reindex(truth.index)
    multi = truth > 1
    return {
        "accuracy": float((produced_n == truth).mean()),
        "accuracy_multi_idea": float((produced_n[multi] == truth[multi]).mean()),
        "n": len(truth),
        "n_multi_idea": int(multi.sum()),
    }


def non_answer_scores(ideas: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float | int]:
    """Precision and recall of the non-answer flag per response."""
    flagged = ideas.groupby("response_id", sort=False)["non_answer"].all()
    truth = gold_responses(gold)["n_ideas"].eq(0)
    flagged = flagged.reindex(truth.index).fillna(False).astype(bool)
    tp = int((flagged & truth).sum())
    return {
        "precision": tp / max(1, int(flagged.sum())),
        "recall": tp / max(1, int(truth.sum())),
        "n": int(truth.sum()),
    }


def diacritics_cross_validation(
    texts: Sequence[str],
    make_restorer: Callable[[], latvian.DiacriticsRestorer],
    *,
    folds: int = 5,
    seed: int = 0,
) -> dict[str, float | int]:
    """Strip and restore every text with a restorer fitted on the other folds.

    With ``folds=0`` the restorer is fitted on nothing (lexicons only).
    """
    if folds <= 0:
        scores = [latvian.score_restoration(make_restorer().fit([]), texts)]
    else:
        order = np.random.default_rng(seed).permutation(len(texts))
        scores = []
        for fold in range(folds):
            held_out = set(order[fold::folds].tolist())
            train = [t for i, t in enumerate(texts) if i not in held_out]
            test = [t for i, t in enumerate(texts) if i in held_out]
            scores.append(latvian.score_restoration(make_restorer().fit(train), test))
    words = sum(s.words for s in scores)
    marked = sum(s.diacritic_words for s in scores)
    wrong = sum(len(s.errors) for s in scores)
    marked_right = sum(round(s.diacritic_recall * s.diacritic_words) for s in scores)
    return {
        "word_accuracy": 1 - wrong / max(1, words),
        "diacritic_word_recall": marked_right / max(1, marked),
        "words": words,
        "words_with_diacritics": marked,
    }


def lemma_accuracy(
    pairs: Iterable[tuple[str, str]], lemmatize: Callable[[str], str]
) -> tuple[float, list[tuple[str, str, str]]]:
    """Share of ``(form, expected lemma)`` pairs lemmatised right, and the misses."""
    pairs = list(pairs)
    misses = [(form, lemma, got) for form, lemma in pairs if (got := lemmatize(form)) != lemma]
    return 1 - len(misses) / max(1, len(pairs)), misses


def _overlap(a: str, b: str) -> float:
    """Share of the word set of ``a`` found in ``b`` (case and diacritics folded)."""
    words_a = set(latvian.fold(a).split())
    words_b = set(latvian.fold(b).split())
    return len(words_a & words_b) / max(1, len(words_a))


def align_gold(ideas: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Give every idea the gold theme and SWOT quadrant of the gold idea it corresponds to.

    Within a response, ideas and gold ideas are paired by position when the counts agree, else
    each idea takes the gold idea whose text it overlaps most. Non-answers get empty labels.

    Returns:
        ``idea_id``, ``gold_theme``, ``gold_swot``, ``gold_language`` (empty string if none).
    """
    by_response = {rid: group for rid, group in gold.groupby("id", sort=False)}
    rows = []
    for rid, group in ideas.groupby("response_id", sort=False):
        truth = by_response.get(str(rid))
        truth = truth[truth["n_ideas"] > 0] if truth is not None else None
        language = (
            "" if by_response.get(str(rid)) is None else by_response[str(rid)].iloc[0]["language"]
        )
        for position, idea in enumerate(group.itertuples(index=False)):
            theme = swot = ""
            if truth is not None and len(truth) and not idea.non_answer:
                if len(truth) == len(group):
                    match = truth.iloc[position]
                else:
                    scores = [_overlap(t, idea.text) for t in truth["idea_text"]]
                    match = truth.iloc[int(np.argmax(scores))]
                theme, swot = match["theme"], match["swot"]
            rows.append(
                {
                    "idea_id": idea.idea_id,
                    "gold_theme": theme,
                    "gold_swot": swot,
                    "gold_language": language,
                }
            )
    return pd.DataFrame(rows)
