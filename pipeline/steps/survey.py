"""Step ``survey``: the whole pipeline on the bundled survey sample, measured against its gold.

The survey sample (``data/raw/survey.xlsx``) runs exactly as ``balsis run`` runs a file
(:func:`pipeline.workflow.run_pipeline`), with the project's ``params.yaml`` and, on top of it,
a small params file that says what a survey needs (``params_survey.yaml``: the question,
tick-box, territory and group columns). Its outputs are then compared with
``data/reference/survey_gold.csv`` (:mod:`pipeline.evaluate_survey`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import BalsisError
from pipeline.evaluate_survey import load_survey_gold, survey_metrics
from pipeline.io.artefacts import read_parquet
from pipeline.params import Params, params_from_dict
from pipeline.workflow import run_pipeline


def _read_yaml(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise BalsisError(f"{path}: parameter file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise BalsisError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise BalsisError(f"{path}: expected sections (a mapping), got {type(raw).__name__}")
    return raw


def layered_params(base: str | Path, overlay: str | Path) -> Params:
    """``base`` with every key that ``overlay`` sets replaced (within its section)."""
    merged = _read_yaml(base)
    for section, values in _read_yaml(overlay).items():
        if isinstance(values, dict) and isinstance(merged.get(section), dict):
            merged[section] = {**merged[section], **values}
        else:
            merged[section] = values
    return params_from_dict(merged)


def run_survey(
    input_path: str | Path,
    out_dir: str | Path,
    params_path: str | Path,
    survey_params_path: str | Path,
    gold_path: str | Path,
    *,
    models_dir: str | Path | None = None,
    cache_dir: str | Path | None = None,
) -> dict[str, object]:
    """Run the pipeline on a survey into ``out_dir`` and return its metrics against the gold."""
    params = layered_params(params_path, survey_params_path)
    run_pipeline(input_path, out_dir, params, models_dir=models_dir, cache_dir=cache_dir)
    ideas = read_parquet(Path(out_dir) / "interim" / "reviewed_ideas.parquet")
    return survey_metrics(ideas, load_survey_gold(str(gold_path)))
