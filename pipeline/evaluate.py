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

from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer
from pipeline.lang.lv.diacritics.scoring import score_restoration
from pipeline.swot.quadrants import QUADRANTS


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
    make_restorer: Callable[[], DiacriticsRestorer],
    *,
    folds: int = 5,
    seed: int = 0,
) -> dict[str, float | int]:
    """Strip and restore every text with a restorer fitted on the other folds.

    With ``folds=0`` the restorer is fitted on nothing (lexicons only).
    """
    if folds <= 0:
        scores = [score_restoration(make_restorer().fit([]), texts)]
    else:
        order = np.random.default_rng(seed).permutation(len(texts))
        scores = []
        for part in range(folds):
            held_out = set(order[part::folds].tolist())
            train = [t for i, t in enumerate(texts) if i not in held_out]
            test = [t for i, t in enumerate(texts) if i in held_out]
            scores.append(score_restoration(make_restorer().fit(train), test))
    words = sum(s.words for s in scores)
    marked = sum(s.diacritic_words for s in scores)
    wrong = sum(len(s.errors) for s in scores)
    marked_right = sum(
        round(s.diacritic_recall * s.diacritic_words) for s in scores if s.diacritic_words
    )
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
    words_a = set(fold(a).split())
    words_b = set(fold(b).split())
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


# --------------------------------------------------------------------------------------------
# Themes: clusters against the gold themes
# --------------------------------------------------------------------------------------------


def _gold_strings(values: Sequence[object] | np.ndarray) -> np.ndarray:
    """An object array of ``str`` ("" for missing) that indexes like NumPy."""
    return np.array(["" if v is None or pd.isna(v) else str(v) for v in values], dtype=object)


def cluster_scores(
    labels: Sequence[int] | np.ndarray, gold_themes: Sequence[str]
) -> dict[str, float]:
    """Adjusted Rand index and normalised mutual information of clusters against gold themes.

    Computed over ideas with a gold theme (gold non-answers have none); outliers (-1) count as
    one more cluster.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels = np.asarray(labels)
    gold = _gold_strings(gold_themes)
    scored = gold != ""
    return {
        "ari": float(adjusted_rand_score(gold[scored], labels[scored])),
        "nmi": float(normalized_mutual_info_score(gold[scored], labels[scored])),
    }


def stability(fit_labels: Callable[[int], np.ndarray], seeds: Sequence[int] = (0, 1, 2)) -> float:
    """Mean pairwise adjusted Rand index of the labels fitted with each seed."""
    from itertools import combinations

    from sklearn.metrics import adjusted_rand_score

    runs = [np.asarray(fit_labels(seed)) for seed in seeds]
    pairs = [adjusted_rand_score(a, b) for a, b in combinations(runs, 2)]
    return float(np.mean(pairs)) if pairs else 1.0


def crosslingual_agreement(
    predicted_theme: Sequence[str],
    gold_theme: Sequence[str],
    languages: Sequence[str],
) -> dict[str, float | int]:
    """Share of non-Latvian ideas with a gold theme whose predicted theme equals it.

    Languages other than ``lv`` and ``und`` count; an idea without a predicted theme (outlier,
    "" or None) counts as wrong.

    Returns:
        ``agreement`` and ``n`` over all of them, ``agreement_<lang>`` and ``n_<lang>`` each.
    """
    predicted = _gold_strings(predicted_theme)
    gold = _gold_strings(gold_theme)
    languages = _gold_strings(languages)
    scored = (gold != "") & ~np.isin(languages, ["lv", "und", ""])
    right = predicted == gold
    result: dict[str, float | int] = {
        "agreement": float(right[scored].mean()) if scored.any() else float("nan"),
        "n": int(scored.sum()),
    }
    for language in sorted(set(languages[scored])):
        rows = scored & (languages == language)
        result[f"agreement_{language}"] = float(right[rows].mean())
        result[f"n_{language}"] = int(rows.sum())
    return result


def theme_name_accuracy(predicted_theme: Sequence[str], gold_theme: Sequence[str]) -> float:
    """Share of ideas with a gold theme whose predicted theme name (taxonomy id) equals it.

    An idea without a predicted theme (outlier, "" or None) counts as wrong.
    """
    predicted = _gold_strings(predicted_theme)
    gold = _gold_strings(gold_theme)
    scored = gold != ""
    return float((predicted[scored] == gold[scored]).mean()) if scored.any() else float("nan")


def oracle_theme_names(
    labels: Sequence[int] | np.ndarray, gold_themes: Sequence[str]
) -> np.ndarray:
    """Name every cluster by the most common gold theme of its members; outliers get "".

    An upper bound for any real naming (an oracle: it reads gold). Ties go to the
    alphabetically first theme.
    """
    labels = np.asarray(labels)
    gold = _gold_strings(gold_themes)
    names = np.full(len(labels), "", dtype=object)
    for cluster in np.unique(labels[labels >= 0]):
        rows = labels == cluster
        themes = pd.Series(gold[rows & (gold != "")])
        if len(themes):
            counts = themes.value_counts()
            names[rows] = min(counts.index[counts == counts.max()])
    return names


def cluster_purity(labels: Sequence[int] | np.ndarray, gold_themes: Sequence[str]) -> float:
    """Share of clustered ideas (label >= 0, with a gold theme) in their cluster's main theme."""
    labels = np.asarray(labels)
    gold = _gold_strings(gold_themes)
    scored = (labels >= 0) & (gold != "")
    if not scored.any():
        return float("nan")
    names = oracle_theme_names(labels, gold)
    return float((names[scored] == gold[scored]).mean())


# --------------------------------------------------------------------------------------------
# SWOT quadrants against the gold quadrants
# --------------------------------------------------------------------------------------------


def swot_scores(
    predicted: Sequence[str] | np.ndarray, gold: Sequence[str] | np.ndarray
) -> dict[str, object]:
    """Macro-F1, per-quadrant precision/recall/F1 and the confusion matrix of SWOT quadrants.

    Scored over items with a gold quadrant; a predicted "" (no quadrant) counts as wrong.

    Returns:
        ``macro_f1``, ``accuracy``, ``n``, ``precision_<q>``, ``recall_<q>``, ``f1_<q>``,
        ``support_<q>`` for q in S, W, O, T, and ``confusion``: ``{"labels": [S, W, O, T],
        "matrix": rows gold, columns predicted}`` (predictions outside S/W/O/T not counted).
    """
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    predicted = _gold_strings(predicted)
    gold = _gold_strings(gold)
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold labels")
    scored = gold != ""
    labels = list(QUADRANTS)
    truth, guess = gold[scored].astype(str), predicted[scored].astype(str)
    result: dict[str, object] = {"n": int(scored.sum())}
    if not scored.any():
        result.update({"macro_f1": float("nan"), "accuracy": float("nan")})
        return result
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guess, labels=labels, zero_division=0
    )
    result["macro_f1"] = float(np.mean(f1))
    result["accuracy"] = float(np.mean(truth == guess))
    for i, quadrant in enumerate(labels):
        result[f"precision_{quadrant}"] = float(precision[i])
        result[f"recall_{quadrant}"] = float(recall[i])
        result[f"f1_{quadrant}"] = float(f1[i])
        result[f"support_{quadrant}"] = int(support[i])
    matrix = confusion_matrix(truth, guess, labels=labels)
    result["confusion"] = {"labels": labels, "matrix": matrix.tolist()}
    return result


def theme_metrics(
    ideas: pd.DataFrame,
    idea_themes: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    stability_ari: float | None = None,
) -> dict[str, float | int]:
    """The theme metrics DVC tracks: sizes, outliers, agreement with the gold themes.

    Args:
        ideas: The ideas table.
        idea_themes: Per idea ``idea_id``, ``cluster``, ``theme``, ``outlier``.
        gold: The gold file (see :func:`load_gold`).
        stability_ari: Mean pairwise ARI over seeds, if measured.
    """
    merged = ideas[["idea_id", "language", "non_answer"]].merge(idea_themes, on="idea_id")
    merged = merged.merge(align_gold(ideas, gold), on="idea_id", how="left")
    answers = merged[~merged["non_answer"].astype(bool)]
    themes = answers["theme"].fillna("").astype(str)
    scores = cluster_scores(answers["cluster"].to_numpy(), answers["gold_theme"].tolist())
    agreement = crosslingual_agreement(
        themes.tolist(), answers["gold_theme"].tolist(), answers["language"].tolist()
    )
    result: dict[str, float | int] = {
        "n_ideas": len(merged),
        "n_answers": len(answers),
        "n_themes": int(themes[themes != ""].nunique()),
        "n_clusters": int(answers.loc[answers["cluster"] >= 0, "cluster"].nunique()),
        "outlier_share": float(answers["outlier"].astype(bool).mean()),
        "ari": scores["ari"],
        "nmi": scores["nmi"],
        "purity": cluster_purity(answers["cluster"].to_numpy(), answers["gold_theme"].tolist()),
        "theme_name_accuracy": theme_name_accuracy(themes.tolist(), answers["gold_theme"].tolist()),
        "crosslingual_agreement": agreement["agreement"],
    }
    for language in ("ru", "en", "ltg"):
        if f"agreement_{language}" in agreement:
            result[f"crosslingual_agreement_{language}"] = agreement[f"agreement_{language}"]
    if stability_ari is not None:
        result["stability_ari"] = stability_ari
    return result
