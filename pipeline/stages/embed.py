"""DVC stage ``embed``: ``ideas.parquet`` -> ``embeddings.npy`` (+ ``.json`` sidecar)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.embed.ideas import write_embeddings
from pipeline.io.artefacts import read_parquet
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.embed import embed


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True, help="output of the normalise stage")
    parser.add_argument("--models-dir", required=True, help="where the default model lives")
    parser.add_argument("--cache-dir", required=True, help="embedding cache directory")
    parser.add_argument("--out", required=True, help="embeddings (.npy), rows = ideas")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    embeddings, sidecar = embed(
        read_parquet(args.ideas),
        params.embed,
        params.ingest.max_embed_chars,
        cache_dir=args.cache_dir,
        models_dir=args.models_dir,
    )
    out = Path(args.out)
    with atomic_outputs(out, out.with_suffix(".json")) as (array, _):
        write_embeddings(embeddings, sidecar, array)  # the sidecar goes beside the array


def main(argv: list[str] | None = None) -> int:
    return stage_main("embed", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
