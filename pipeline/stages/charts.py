"""DVC stage ``charts``: the planner's charts as PNG (150 dpi) and SVG."""

from __future__ import annotations

import argparse
import sys

from pipeline.errors import BalsisError
from pipeline.io.artefacts import read_npy, read_parquet
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.publish.charts.build import save_figures
from pipeline.stages import stage_main
from pipeline.steps.charts import charts


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True, help="reviewed ideas (.parquet)")
    parser.add_argument("--themes", required=True, help="reviewed themes (.parquet)")
    parser.add_argument("--priorities", required=True, help="priorities per theme (.parquet)")
    parser.add_argument("--theme-swot", required=True, help="quadrant split per theme (.parquet)")
    parser.add_argument("--reduced", required=True, help="reduced coordinates (.npy)")
    parser.add_argument("--out-dir", required=True, help="where the PNG and SVG files go")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    ideas = read_parquet(args.ideas)
    reduced = read_npy(args.reduced)
    if len(reduced) != len(ideas):
        raise BalsisError(
            f"{args.reduced} has {len(reduced)} rows but {args.ideas} has {len(ideas)} ideas; "
            "both must come from the same run (run the pipeline again)"
        )
    figures = charts(
        ideas,
        read_parquet(args.themes),
        read_parquet(args.priorities),
        read_parquet(args.theme_swot),
        reduced,
        params.report,
        params.seed,
    )
    with atomic_outputs(args.out_dir) as (out_dir,):
        save_figures(figures, out_dir)


def main(argv: list[str] | None = None) -> int:
    return stage_main("charts", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
