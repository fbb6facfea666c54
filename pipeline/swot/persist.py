"""Saving and loading the SWOT classifier, and choosing the model the swot step uses."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.embed.encoder import SentenceEncoder
from pipeline.errors import BalsisError
from pipeline.io.artefacts import read_json, write_json
from pipeline.io.models import load_model, save_model
from pipeline.io.versions import library_versions as installed_versions
from pipeline.params import SwotParams
from pipeline.swot.classifier import SwotClassifier
from pipeline.swot.cues import CueMatcher
from pipeline.swot.prototypes import PrototypeSwot

CV_REPORT_FILE = "cv_scores.json"


# The libraries a fitted SWOT model and its features (cues, lemmas, embeddings) depend on.
SWOT_LIBRARIES = ("scikit-learn", "numpy", "spacy", "simplemma", "sentence-transformers", "torch")


def library_versions() -> dict[str, str | None]:
    """Versions of the libraries a fitted SWOT model and its features depend on."""
    return installed_versions(SWOT_LIBRARIES)


def save_swot_model(
    classifier: SwotClassifier, report: Mapping[str, Any], directory: str | Path
) -> None:
    """Write the fitted classifier (joblib, with versions.json) and ``cv_scores.json`` beside it."""
    directory = Path(directory)
    save_model(classifier, directory)
    write_json(dict(report), directory / CV_REPORT_FILE)


def load_swot_model(directory: str | Path) -> SwotClassifier:
    """Read a classifier written by :func:`save_swot_model`.

    Raises:
        BalsisError: No model there, or not a SWOT classifier.
    """
    try:
        model = load_model(directory)
    except FileNotFoundError as exc:
        raise BalsisError(f"{exc}; train it with train_swot (the train_swot stage)") from exc
    if not isinstance(model, SwotClassifier):
        raise BalsisError(f"{directory}: holds a {type(model).__name__}, not a SwotClassifier")
    return model


def swot_model_from_params(
    params: SwotParams,
    matcher: CueMatcher,
    *,
    model_dir: str | Path | None = None,
    encoder: SentenceEncoder | None = None,
    prompt_name: str | None = "query",
) -> SwotClassifier | PrototypeSwot:
    """The model ``assign_swot`` should use: the trained classifier, or the prototype fallback.

    Args:
        params: The ``swot`` section (``use_classifier`` decides).
        matcher: The cue matcher (the fallback takes its hints).
        model_dir: Where :func:`save_swot_model` wrote the classifier (classifier only).
        encoder: The sentence model of the ideas (fallback only: embeds the prototypes).
        prompt_name: The prompt of the ideas' embeddings (fallback only).
    """
    if params.use_classifier:
        if model_dir is None:
            raise BalsisError("swot.use_classifier is true but no classifier directory was given")
        classifier = load_swot_model(model_dir)
        report_path = Path(model_dir) / CV_REPORT_FILE
        trained_cues = (
            read_json(report_path).get("cue_ids") if report_path.exists() else None
        ) or [None] * classifier.n_cue_features_
        if len(trained_cues) != len(matcher.cue_ids) or (
            trained_cues[0] is not None and list(trained_cues) != list(matcher.cue_ids)
        ):
            raise BalsisError(
                f"{model_dir}: the classifier was trained with other cues than the cue file "
                "has now; retrain it (train_swot)"
            )
        return classifier
    if encoder is None:
        raise BalsisError("swot.use_classifier is false: the fallback needs the sentence model")
    return PrototypeSwot(
        temperature=params.temperature,
        top_k=params.top_k,
        cue_weight=params.fallback_cue_weight,
        hint_smoothing=params.hint_smoothing,
    ).fit(encoder, matcher, prompt_name=prompt_name)
