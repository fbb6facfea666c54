"""DVC stage ``swot``: SWOT (SVID) quadrant, probabilities and evidence of every idea."""

from __future__ import annotations

import argparse
import sys

from pipeline.embed.encoder import load_embedding_model
from pipeline.io.artefacts import read_npy, read_parquet, write_parquet
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.swot import swot, swot_model
from pipeline.swot.cues import CueMatcher


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True)
    parser.add_argument("--embeddings", required=True)
    parser.add_argument("--classifier", required=True, help="directory from train_swot")
    parser.add_argument("--models-dir", required=True, help="where the default model lives")
    parser.add_argument("--out", required=True, help="SWOT per idea (.parquet)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    matcher = CueMatcher()
    encoder = None
    if not params.swot.use_classifier:  # the prototype fallback embeds its statements
        encoder = load_embedding_model(params.embed, args.models_dir)
    model = swot_model(
        matcher,
        params.swot,
        params.embed.prompt_name,
        classifier_dir=args.classifier,
        encoder=encoder,
    )
    idea_swot = swot(
        read_parquet(args.ideas), read_npy(args.embeddings), model, matcher, params.swot
    )
    with atomic_outputs(args.out) as (out,):
        write_parquet(idea_swot, out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("swot", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
