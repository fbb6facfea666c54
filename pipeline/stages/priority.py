"""DVC stage ``priority``: priorities per theme (overall, per territory, per group) and SVID.

Works on the reviewed tables, so a planner's corrections count; ideas a person hid do not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.io.artefacts import read_parquet, write_csv, write_parquet
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.priority import priority, theme_names
from pipeline.summary.priority import plot_tables


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True, help="reviewed ideas (.parquet)")
    parser.add_argument("--themes", required=True, help="reviewed themes (for names)")
    parser.add_argument("--out", required=True, help="priorities per theme (.parquet)")
    parser.add_argument("--by-territory-out", required=True)
    parser.add_argument("--by-group-out", required=True)
    parser.add_argument("--svid-out", required=True, help="SVID table (.parquet)")
    parser.add_argument("--theme-swot-out", required=True, help="quadrant split per theme")
    parser.add_argument(
        "--plots-dir", default=None, help="CSV tables for `dvc plots` (theme sizes, scores, SVID)"
    )


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    table = read_parquet(args.ideas)
    themes = read_parquet(args.themes)
    summary = priority(table, themes, params.priority)
    plots = plot_tables(table, summary.priorities, theme_names(themes)) if args.plots_dir else {}
    tables = (
        args.out,
        args.by_territory_out,
        args.by_group_out,
        args.theme_swot_out,
        args.svid_out,
    )
    plot_files = [Path(args.plots_dir) / f"{name}.csv" for name in plots]
    with atomic_outputs(*tables, *plot_files) as (out, territory, group, swot, svid, *plot_outs):
        write_parquet(summary.priorities, out)
        write_parquet(summary.by_territory, territory)
        write_parquet(summary.by_group, group)
        write_parquet(summary.theme_swot, swot)
        write_parquet(summary.svid, svid)
        for frame, path in zip(plots.values(), plot_outs, strict=True):
            write_csv(frame, path)


def main(argv: list[str] | None = None) -> int:
    return stage_main("priority", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
