"""DVC stage ``themes``: clusters -> named themes with keywords and representative ideas."""

from __future__ import annotations

import argparse
import sys

from pipeline.embed.encoder import load_embedding_model
from pipeline.io.artefacts import read_npy, read_parquet, write_parquet
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.themes import themes
from pipeline.topics.taxonomy import load_taxonomy


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True)
    parser.add_argument("--embeddings", required=True, help="embeddings the clusters came from")
    parser.add_argument("--clusters", required=True)
    parser.add_argument("--taxonomy", required=True, help="themes.yaml")
    parser.add_argument("--models-dir", required=True, help="where the default model lives")
    parser.add_argument("--out", required=True, help="themes table (.parquet)")
    parser.add_argument("--ideas-out", required=True, help="theme of every idea (.parquet)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    named, idea_themes = themes(
        read_parquet(args.ideas),
        read_npy(args.embeddings),
        read_parquet(args.clusters),
        load_taxonomy(args.taxonomy),
        load_embedding_model(params.embed, args.models_dir),
        params.themes,
        params.embed.prompt_name,
    )
    with atomic_outputs(args.out, args.ideas_out) as (out, ideas_out):
        write_parquet(named, out)
        write_parquet(idea_themes, ideas_out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("themes", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
