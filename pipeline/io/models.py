"""Fitted models on disk: a joblib pickle plus the library versions it depends on."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from pipeline.io.artefacts import read_json, write_json
from pipeline.io.files import atomic_path
from pipeline.io.versions import library_versions

logger = logging.getLogger(__name__)

MODEL_FILE = "model.joblib"
VERSIONS_FILE = "versions.json"
MODEL_LIBRARIES = ("umap-learn", "hdbscan", "scikit-learn", "numpy")
"""The libraries whose versions a pickled model depends on."""


def save_model(model: Any, directory: str | Path, params: dict[str, Any] | None = None) -> None:
    """Write a fitted model to ``directory/model.joblib`` and ``directory/versions.json``.

    ``versions.json`` names the class, the versions of the libraries a pickle depends on and
    the parameters (``params``, else the model's ``get_params()`` if it has one).
    """
    import joblib

    directory = Path(directory)
    if params is None and hasattr(model, "get_params"):
        params = model.get_params(deep=False)
    with atomic_path(directory / MODEL_FILE) as tmp:
        joblib.dump(model, tmp)
    write_json(
        {
            "class": f"{type(model).__module__}.{type(model).__qualname__}",
            "versions": library_versions(MODEL_LIBRARIES),
            "params": json.loads(json.dumps(params or {}, default=str)),
        },
        directory / VERSIONS_FILE,
    )


def load_model(directory: str | Path) -> Any:
    """Read a model written by :func:`save_model`.

    Logs a warning when a library version differs from the one the model was saved with.

    Raises:
        FileNotFoundError: ``directory`` holds no saved model.
    """
    import joblib

    directory = Path(directory)
    path = directory / MODEL_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: no saved model; run the stage that fits it first")
    versions_path = directory / VERSIONS_FILE
    if versions_path.exists():
        saved = read_json(versions_path).get("versions", {})
        for name, version in library_versions(MODEL_LIBRARIES).items():
            if saved.get(name) != version:
                logger.warning(
                    "%s was saved with %s %s, loading with %s",
                    path,
                    name,
                    saved.get(name),
                    version,
                )
    return joblib.load(path)
