"""Training the SWOT classifier on the labelled statements, with cross-validated scores."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pipeline.embed.encoder import SentenceEncoder
from pipeline.embed.texts import embed_texts
from pipeline.errors import BalsisError
from pipeline.evaluate import swot_scores
from pipeline.lang.codes import grammar_language
from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.tokens import tokenize
from pipeline.normalise.clean import clean_text
from pipeline.normalise.ideas import normalise_text
from pipeline.normalise.language import detect_language
from pipeline.params import SwotParams
from pipeline.swot.base import argmax_labels
from pipeline.swot.classifier import SwotClassifier
from pipeline.swot.combine import require_praise
from pipeline.swot.cues import CueMatcher
from pipeline.swot.persist import library_versions
from pipeline.swot.quadrants import QUADRANTS

logger = logging.getLogger(__name__)

# Labelled statements in the terse style of a programme's SVID table ("Zems noziedzības
# līmenis"), as opposed to residents' own words.
TABLE_STYLE = "svid_table"


def prepare_statements(
    texts: Sequence[str], *, restorer: DiacriticsRestorer | None = None
) -> pd.DataFrame:
    """Normalise free texts the way the ideas table is made (for the labelled set).

    Language detection, diacritics restoration for Latvian typed without them, tokens and
    lemmas, as :func:`pipeline.normalise.normalise_responses` does.

    Args:
        texts: The statements.
        restorer: A fitted diacritics restorer; by default one fitted on these texts.

    Returns:
        ``text_normalised``, ``language``, ``tokens``, ``lemmas`` per statement.
    """
    cleaned = [clean_text(str(t)) for t in texts]
    languages = [detect_language(t)[0] for t in cleaned]
    if restorer is None:
        restorer = DiacriticsRestorer().fit(
            [t for t, lang in zip(cleaned, languages, strict=True) if lang == "lv"]
        )
    normalised = [
        normalise_text(t, lang, restorer) for t, lang in zip(cleaned, languages, strict=True)
    ]
    tokens = [
        tokenize(t, grammar_language(lang)) for t, lang in zip(normalised, languages, strict=True)
    ]
    lemmas = [
        [lemmatize(w, grammar_language(lang)) for w in words]
        for words, lang in zip(tokens, languages, strict=True)
    ]
    return pd.DataFrame(
        {"text_normalised": normalised, "language": languages, "tokens": tokens, "lemmas": lemmas}
    )


def _checked_labels(labelled: pd.DataFrame, cv_folds: int) -> tuple[np.ndarray, pd.Series]:
    """The quadrant labels (upper case) and their counts, or an error naming what is wrong."""
    missing = {"text", "quadrant"} - set(labelled.columns)
    if missing:
        raise BalsisError(f"labelled SWOT set: missing column(s) {', '.join(sorted(missing))}")
    labels = np.array([str(q).strip().upper() for q in labelled["quadrant"]], dtype=object)
    bad = [
        (i, q)
        for i, q in enumerate(labelled["quadrant"])
        if str(q).strip().upper() not in QUADRANTS
    ]
    if bad:
        row, value = bad[0]
        raise BalsisError(
            f"labelled SWOT set: row {row + 2} has quadrant {value!r}; use S, W, O or T "
            f"({len(bad)} such row(s))"
        )
    counts = pd.Series(labels).value_counts()
    if counts.reindex(list(QUADRANTS)).fillna(0).min() < cv_folds:
        raise BalsisError(
            f"labelled SWOT set: every quadrant needs at least {cv_folds} statements "
            f"(cv_folds); counts: {counts.to_dict()}"
        )
    return labels, counts


def _statement_cues(labelled: pd.DataFrame, matcher: CueMatcher) -> tuple[list[str], np.ndarray]:
    """The normalised texts of the statements and their cue feature rows."""
    prepared = prepare_statements(list(labelled["text"]))
    if "language" in labelled.columns:
        agree = float(np.mean(prepared["language"].to_numpy() == labelled["language"].to_numpy()))
        logger.info(
            "train_swot: detected language agrees with the labelled one for %.1f%%", agree * 100
        )
    cues = [
        matcher.match(lem, tok, lang)
        for lem, tok, lang in zip(
            prepared["lemmas"], prepared["tokens"], prepared["language"], strict=True
        )
    ]
    features = np.stack([matcher.features_from_cues(c) for c in cues])
    return list(prepared["text_normalised"]), features


def _new_classifier(params: SwotParams, seed: int, *, calibrate: bool) -> SwotClassifier:
    return SwotClassifier(
        C=params.C,
        class_weight=params.class_weight,
        cue_weight=params.cue_weight,
        max_iter=params.max_iter,
        calibrate=calibrate,
        calibration_folds=params.cv_folds,
        random_state=seed,
    )


def _cross_validate(
    embeddings: np.ndarray,
    cue_features: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    has_praise: np.ndarray,
    params: SwotParams,
    seed: int,
) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold predictions of stratified, shuffled k-fold and the macro-F1 of each fold.

    The predictions follow the praise rule as the swot step does
    (:func:`~pipeline.swot.combine.require_praise` with ``params.s_without_praise``).
    """
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(n_splits=params.cv_folds, shuffle=True, random_state=seed)
    predicted = np.empty(len(labels), dtype=object)
    fold_f1 = []
    for train, test in folds.split(embeddings, labels):
        # Calibration never changes the predicted quadrant, so the folds skip it.
        fitted = _new_classifier(params, seed, calibrate=False).fit(
            embeddings[train], cue_features[train], labels[train], sample_weight=weights[train]
        )
        proba = require_praise(
            fitted.predict_proba(embeddings[test], cue_features[test]),
            has_praise[test],
            params.s_without_praise,
        )
        predicted[test] = argmax_labels(proba)
        fold_f1.append(swot_scores(predicted[test], labels[test])["macro_f1"])
    return predicted, fold_f1


def _cv_report(
    labelled: pd.DataFrame,
    predicted: np.ndarray,
    labels: np.ndarray,
    fold_f1: list[float],
    counts: pd.Series,
    cue_features: np.ndarray,
    params: SwotParams,
) -> dict[str, Any]:
    """The cross-validated scores, overall and per style and language, and the data used."""
    report: dict[str, Any] = {
        "cv": {
            "folds": params.cv_folds,
            "stratified": True,
            "shuffled": True,
            **swot_scores(predicted, labels),
            "fold_macro_f1": [round(f, 4) for f in fold_f1],
            "fold_macro_f1_std": round(float(np.std(fold_f1)), 4),
        },
        "n_statements": len(labels),
        "quadrant_counts": {q: int(counts.get(q, 0)) for q in QUADRANTS},
        "cue_coverage": float(np.mean(cue_features.sum(axis=1) > 0)),
        "table_style_weight": params.table_style_weight,
        "s_without_praise": params.s_without_praise,
    }
    for column in ("style", "language"):
        if column in labelled.columns:
            groups = labelled[column].astype(str).to_numpy()
            report[f"cv_macro_f1_by_{column}"] = {
                str(g): round(
                    swot_scores(predicted[groups == g], labels[groups == g])["macro_f1"], 4
                )
                for g in sorted(set(groups))
            }
    return report


def train_swot(
    labelled: pd.DataFrame,
    model: SentenceEncoder | None,
    params: SwotParams,
    seed: int,
    *,
    matcher: CueMatcher | None = None,
    prompt_name: str | None = "query",
    batch_size: int = 32,
    embeddings: np.ndarray | None = None,
) -> tuple[SwotClassifier, dict[str, Any]]:
    """Cross-validate and fit the SWOT classifier on labelled statements.

    The texts go through the same normalisation as ideas (language detection, diacritics
    restoration, lemmas), then the sentence model and the cue matcher. Stratified k-fold
    cross-validation (shuffled: the file is ordered in blocks) measures the classifier; the
    returned one is fitted on all statements.

    Args:
        labelled: Columns ``text`` and ``quadrant`` (S/W/O/T); ``id``, ``language`` and
            ``style`` are optional (style and language break the scores down; statements of
            style ``svid_table`` are weighted by ``params.table_style_weight``).
        model: The sentence model the ideas are embedded with (same prompt); may be None when
            ``embeddings`` are given.
        params: The ``swot`` section of the parameters.
        seed: The shared seed (fold split and solver).
        matcher: The cue matcher; default the shipped cue file.
        prompt_name: Prompt of the sentence model (``embed.prompt_name``).
        batch_size: Texts per forward pass.
        embeddings: Precomputed embeddings of the normalised texts, rows aligned with
            ``labelled`` (skips the model).

    Returns:
        ``(classifier, report)``: the fitted classifier and a JSON-able report with the
        cross-validated scores (macro-F1, per-quadrant precision/recall/F1, confusion matrix),
        per-fold macro-F1, the data and parameters used and the library versions.

    Raises:
        BalsisError: Columns missing, labels other than S/W/O/T, or a quadrant with fewer
            statements than folds.
    """
    labels, counts = _checked_labels(labelled, params.cv_folds)
    matcher = matcher or CueMatcher()
    texts, cue_features = _statement_cues(labelled, matcher)
    if embeddings is None:
        if model is None:
            raise ValueError("train_swot needs a sentence model or precomputed embeddings")
        embeddings, _ = embed_texts(
            texts, model, prompt_name=prompt_name, batch_size=batch_size, progress=False
        )
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if len(embeddings) != len(labelled):
        raise ValueError(f"{len(embeddings)} embeddings for {len(labelled)} labelled statements")
    weights = np.ones(len(labels))
    if "style" in labelled.columns:
        weights[labelled["style"].astype(str).to_numpy() == TABLE_STYLE] = params.table_style_weight
    predicted, fold_f1 = _cross_validate(
        embeddings,
        cue_features,
        labels,
        weights,
        matcher.has_strength_cue(cue_features),
        params,
        seed,
    )
    report = _cv_report(labelled, predicted, labels, fold_f1, counts, cue_features, params)
    classifier = _new_classifier(params, seed, calibrate=params.calibrate).fit(
        embeddings, cue_features, labels, sample_weight=weights
    )
    report.update(
        {
            "classifier": classifier.get_params(),
            "temperature": round(classifier.temperature_, 4),
            "cue_ids": list(matcher.cue_ids),
            "embedding": {"prompt_name": prompt_name, "dimension": int(embeddings.shape[1])},
            "seed": seed,
            "versions": library_versions(),
        }
    )
    logger.info(
        "train_swot: %d statements, %d-fold CV macro-F1 %.3f",
        len(labels),
        params.cv_folds,
        report["cv"]["macro_f1"],
    )
    return classifier, report
