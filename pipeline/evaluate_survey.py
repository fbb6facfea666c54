"""Measure a survey run against the survey sample's gold labels.

The gold file (``data/reference/survey_gold.csv``) has one row per written answer:
``respondent, question, frame, quadrant, theme, answer``. ``frame`` says what the question asks
for (``lack``, ``wish``, ``pride``); ``quadrant`` and ``theme`` are empty for a non-answer;
``theme`` is a taxonomy id, ``new:<label>`` for a theme the taxonomy lacks, or several joined by
``;`` when one answer names more than one. It is read only here.

Every idea of the run takes the gold of the answer it came from (matched on respondent and
question). When an answer names several themes, an idea counts as right when its theme is one
of them (the part of the answer it holds); otherwise it is scored against the first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.evaluate import cluster_scores, swot_scores
from pipeline.swot.quadrants import QUADRANTS

NEW_THEME = "new:"  # gold prefix of a theme the taxonomy lacks
FRAMES = ("lack", "wish", "pride")


def load_survey_gold(path: str) -> pd.DataFrame:
    """Read the survey gold file, every column as text (``""`` for empty)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _theme_for(predicted: str, gold: str) -> str:
    """The gold theme an idea is scored against: the one it names if any, else the first."""
    options = [t for t in gold.split(";") if t]
    if not options:
        return ""
    for option in options:
        if theme_matches(predicted, option):
            return option
    return options[0]


def theme_matches(predicted: str, gold: str) -> bool:
    """A predicted theme is right: the same taxonomy id, or any new theme for a gold new one."""
    if gold.startswith(NEW_THEME):
        return predicted.startswith("new-")
    return predicted == gold


def align_survey_gold(ideas: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The ideas of a survey run with the gold of their answers.

    Args:
        ideas: One row per idea with ``respondent``, ``question``, ``idea_id``,
            ``non_answer``, ``swot`` and ``theme``.
        gold: The gold file (see :func:`load_survey_gold`).

    Returns:
        One row per idea whose answer is in ``gold``: ``idea_id``, ``respondent``,
        ``question``, ``frame``, ``non_answer``, ``swot``, ``theme`` (predicted, ``""`` for
        none), ``gold_non_answer``, ``gold_swot``, ``gold_theme`` (the theme the idea is
        scored against).
    """
    columns = ["idea_id", "respondent", "question", "non_answer", "swot", "theme"]
    table = ideas[columns].copy()
    for column in ("respondent", "question", "swot", "theme"):
        table[column] = table[column].fillna("").astype(str)
    table["non_answer"] = table["non_answer"].fillna(False).astype(bool)
    truth = gold.rename(columns={"quadrant": "gold_swot", "theme": "gold_themes"})
    merged = table.merge(
        truth[["respondent", "question", "frame", "gold_swot", "gold_themes"]],
        on=["respondent", "question"],
        how="inner",
        validate="many_to_one",
    )
    merged["gold_non_answer"] = merged["gold_swot"] == ""
    merged["gold_theme"] = [
        _theme_for(p, g) for p, g in zip(merged["theme"], merged["gold_themes"], strict=True)
    ]
    return merged.drop(columns="gold_themes")


def _share(mask: pd.Series, of: pd.Series) -> float:
    return float(mask[of].mean()) if of.any() else float("nan")


def quadrant_metrics(aligned: pd.DataFrame) -> dict[str, object]:
    """SWOT agreement over the ideas with a gold quadrant and a predicted one.

    Returns:
        ``macro_f1`` (the mean F1 of the quadrants the gold has: a quadrant no answer belongs
        to has no recall, and its F1 of 0 would lower the mean whatever the run does),
        ``macro_f1_4`` (the mean over all four, as :func:`pipeline.evaluate.swot_scores`
        gives it), ``accuracy``, ``n`` and per quadrant precision/recall/F1 over all
        questions; ``lack_in_W`` (share of ideas answering a lack question that come out W),
        ``wish_in_S``, ``pride_in_S``; ``non_praise_in_S`` (share of ideas whose gold quadrant
        is not S, i.e. that praise nothing, that come out S); per frame ``accuracy_<frame>``
        and the predicted quadrant shares ``share_<frame>_<q>``.
    """
    scored = aligned[(aligned["gold_swot"] != "") & (aligned["swot"] != "")]
    result = swot_scores(scored["swot"].tolist(), scored["gold_swot"].tolist())
    result.pop("confusion", None)
    present = [q for q in QUADRANTS if result.get(f"support_{q}", 0)]
    result["macro_f1_4"] = result["macro_f1"]
    if present:
        result["macro_f1"] = float(np.mean([result[f"f1_{q}"] for q in present]))
    frame = scored["frame"]
    result["lack_in_W"] = _share(scored["swot"] == "W", frame == "lack")
    result["wish_in_S"] = _share(scored["swot"] == "S", frame == "wish")
    result["pride_in_S"] = _share(scored["swot"] == "S", frame == "pride")
    result["non_praise_in_S"] = _share(scored["swot"] == "S", scored["gold_swot"] != "S")
    result["n_non_praise"] = int((scored["gold_swot"] != "S").sum())
    for name in FRAMES:
        rows = scored[frame == name]
        if len(rows):
            result[f"accuracy_{name}"] = float((rows["swot"] == rows["gold_swot"]).mean())
            result[f"n_{name}"] = len(rows)
            shares = rows["swot"].value_counts(normalize=True)
            for quadrant in ("S", "W", "O", "T"):
                result[f"share_{name}_{quadrant}"] = float(shares.get(quadrant, 0.0))
    return result


def theme_metrics(aligned: pd.DataFrame) -> dict[str, float | int]:
    """Themes against the gold themes, over the ideas of answers that are no gold non-answer.

    ``ari`` and ``nmi`` compare the partition by predicted theme (no theme: one more group)
    with the gold one; ``theme_name_accuracy`` is the share whose predicted theme is the gold
    one (any new theme for a gold theme the taxonomy lacks); ``theme_name_accuracy_taxonomy``
    the same over gold taxonomy themes only.
    """
    answers = aligned[~aligned["gold_non_answer"] & ~aligned["non_answer"]]
    labels = pd.factorize(answers["theme"])[0]
    scores = cluster_scores(labels, answers["gold_theme"].tolist())
    right = np.array(
        [theme_matches(p, g) for p, g in zip(answers["theme"], answers["gold_theme"], strict=True)]
    )
    taxonomy = ~answers["gold_theme"].str.startswith(NEW_THEME).to_numpy()
    return {
        "n": len(answers),
        "ari": scores["ari"],
        "nmi": scores["nmi"],
        "theme_name_accuracy": float(right.mean()) if len(right) else float("nan"),
        "theme_name_accuracy_taxonomy": (
            float(right[taxonomy].mean()) if taxonomy.any() else float("nan")
        ),
        "no_theme_share": float((answers["theme"] == "").mean()) if len(answers) else 0.0,
    }


def non_answer_metrics(aligned: pd.DataFrame) -> dict[str, float | int]:
    """Precision and recall of the non-answer flag per answer (all its ideas flagged)."""
    per_answer = aligned.groupby(["respondent", "question"], sort=False).agg(
        flagged=("non_answer", "all"), truth=("gold_non_answer", "first")
    )
    flagged, truth = per_answer["flagged"], per_answer["truth"]
    hits = int((flagged & truth).sum())
    return {
        "precision": hits / max(1, int(flagged.sum())),
        "recall": hits / max(1, int(truth.sum())),
        "n": int(truth.sum()),
    }


def survey_metrics(ideas: pd.DataFrame, gold: pd.DataFrame) -> dict[str, object]:
    """Every survey metric DVC tracks (``metrics/survey.json``)."""
    aligned = align_survey_gold(ideas, gold)
    answered = aligned.groupby(["respondent", "question"]).ngroups
    return {
        "n_answers": answered,
        "n_gold_answers": len(gold),
        "swot": quadrant_metrics(aligned),
        "themes": theme_metrics(aligned),
        "non_answers": non_answer_metrics(aligned),
    }
