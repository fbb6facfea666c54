"""DVC stage ``survey``: the bundled survey sample through the whole pipeline, and its metrics.

The gold file of the survey is read here and nowhere else in the pipeline.
"""

from __future__ import annotations

import argparse
import sys

from pipeline.io.artefacts import write_json
from pipeline.io.files import atomic_outputs
from pipeline.stages import stage_main
from pipeline.steps.survey import run_survey


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="the survey file (data/raw/survey.xlsx)")
    parser.add_argument(
        "--survey-params", required=True, help="what the survey sets on top of --params"
    )
    parser.add_argument("--out", required=True, help="output folder, as balsis run --out")
    parser.add_argument("--gold", required=True, help="gold quadrant and theme per answer")
    parser.add_argument("--models-dir", required=True)
    parser.add_argument("--cache-dir", required=True, help="embedding cache")
    parser.add_argument("--metrics-out", required=True, help="survey metrics (.json)")


def _run(args: argparse.Namespace) -> None:
    with atomic_outputs(args.metrics_out) as (metrics_out,):
        metrics = run_survey(
            args.input,
            args.out,
            args.params,
            args.survey_params,
            args.gold,
            models_dir=args.models_dir,
            cache_dir=args.cache_dir,
        )
        write_json(metrics, metrics_out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("survey", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
