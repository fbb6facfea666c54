"""DVC stage ``priority``: priority score and rank per theme, overall, per territory, per group."""

from __future__ import annotations

import argparse
import sys

from pipeline import io
from pipeline.params import load_params
from pipeline.priority import priorities
from pipeline.stages import stage_main


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True)
    parser.add_argument("--idea-themes", required=True)
    parser.add_argument("--idea-swot", required=True)
    parser.add_argument("--out", required=True, help="priorities per theme (.parquet)")
    parser.add_argument("--by-territory-out", required=True)
    parser.add_argument("--by-group-out", required=True)


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    ideas = io.read_parquet(args.ideas)
    themes = io.read_parquet(args.idea_themes)[["idea_id", "theme"]]
    swot = io.read_parquet(args.idea_swot)[["idea_id", "swot", "urgency"]]
    table = ideas.merge(themes, on="idea_id").merge(swot, on="idea_id")
    weights = params.priority.weights
    io.write_parquet(priorities(table, weights), args.out)
    io.write_parquet(priorities(table, weights, by="territory"), args.by_territory_out)
    io.write_parquet(priorities(table, weights, by="group"), args.by_group_out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("priority", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
