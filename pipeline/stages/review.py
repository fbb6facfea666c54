"""DVC stage ``review``: apply a planner's corrections (overrides) to ideas and themes."""

from __future__ import annotations

import argparse
import sys

from pipeline.io.artefacts import read_parquet, write_json, write_parquet
from pipeline.io.files import atomic_outputs
from pipeline.review.load import load_overrides
from pipeline.stages import stage_main
from pipeline.steps.review import review


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True)
    parser.add_argument("--idea-themes", required=True)
    parser.add_argument("--idea-swot", required=True)
    parser.add_argument("--themes", required=True, help="the machine's themes (.parquet)")
    parser.add_argument("--overrides", required=True, help="a planner's corrections (.yaml)")
    parser.add_argument("--out", required=True, help="reviewed ideas (.parquet)")
    parser.add_argument("--themes-out", required=True, help="reviewed themes (.parquet)")
    parser.add_argument("--log-out", required=True, help="applied and unmatched corrections")
    parser.add_argument("--metrics-out", required=True, help="corrections per kind (.json)")


def _run(args: argparse.Namespace) -> None:
    result = review(
        read_parquet(args.ideas),
        read_parquet(args.idea_themes),
        read_parquet(args.idea_swot),
        read_parquet(args.themes),
        load_overrides(args.overrides),
        ideas_file=args.ideas,
        themes_file=args.themes,
    )
    outputs = (args.out, args.themes_out, args.log_out, args.metrics_out)
    with atomic_outputs(*outputs) as (out, themes_out, log_out, metrics_out):
        write_parquet(result.ideas, out)
        write_parquet(result.themes, themes_out)
        write_json(result.log(), log_out)
        write_json(result.counts(), metrics_out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("review", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
