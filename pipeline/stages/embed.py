"""DVC stage ``embed``: ``ideas.parquet`` -> ``embeddings.npy`` (+ ``.json`` sidecar)."""

from __future__ import annotations

import argparse
import sys

from pipeline.embed.ideas import embed_ideas_with_params, write_embeddings
from pipeline.io.artefacts import read_parquet
from pipeline.params import load_params
from pipeline.stages import stage_main


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True, help="output of the normalise stage")
    parser.add_argument("--models-dir", required=True, help="where the default model lives")
    parser.add_argument("--cache-dir", required=True, help="embedding cache directory")
    parser.add_argument("--out", required=True, help="embeddings (.npy), rows = ideas")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    ideas = read_parquet(args.ideas)
    embeddings, sidecar = embed_ideas_with_params(
        ideas, params, cache_dir=args.cache_dir, models_dir=args.models_dir
    )
    write_embeddings(embeddings, sidecar, args.out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("embed", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
