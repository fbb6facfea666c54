"""DVC stage ``swot``: SWOT (SVID) quadrant, probabilities and evidence of every idea."""

from __future__ import annotations

import argparse
import sys

from pipeline.embed.encoder import load_sentence_model, resolve_model
from pipeline.io.artefacts import read_npy, read_parquet, write_parquet
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.swot.assign import assign_swot
from pipeline.swot.cues import CueMatcher
from pipeline.swot.persist import swot_model_from_params


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
    if not params.swot.use_classifier:
        encoder = load_sentence_model(resolve_model(params.embed.model, args.models_dir))
    model = swot_model_from_params(
        params.swot,
        matcher,
        model_dir=args.classifier,
        encoder=encoder,
        prompt_name=params.embed.prompt_name,
    )
    idea_swot = assign_swot(
        read_parquet(args.ideas),
        read_npy(args.embeddings),
        model,
        matcher,
        adapt_priors=params.swot.adapt_priors,
        adapt_min_ideas=params.swot.adapt_min_ideas,
    )
    idea_swot.attrs = {}
    write_parquet(idea_swot, args.out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("swot", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
