"""The SWOT data files shipped in ``pipeline/swot/data/`` and reading them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import BalsisError

DATA = Path(__file__).resolve().parent / "data"
CUES_PATH = DATA / "swot_cues.yaml"
PROTOTYPES_PATH = DATA / "swot_prototypes.yaml"
FRAMES_PATH = DATA / "question_frames.yaml"


def read_yaml(path: Path, what: str) -> Any:
    """The parsed YAML file at ``path``.

    Args:
        path: The file.
        what: What it is, for the error message ("SWOT cue file").

    Raises:
        BalsisError: The file is missing or not valid YAML.
    """
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BalsisError(f"{path}: {what} not found") from exc
    except yaml.YAMLError as exc:
        raise BalsisError(f"{path}: not valid YAML: {exc}") from exc
