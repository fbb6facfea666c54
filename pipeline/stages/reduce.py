"""DVC stage ``reduce``: embeddings -> language-centred embeddings, seed-word rows and UMAP
coordinates."""

from __future__ import annotations

import argparse
import dataclasses
import sys

import numpy as np

from pipeline.io.artefacts import read_npy, read_parquet, write_npy
from pipeline.io.files import atomic_outputs
from pipeline.io.models import save_model
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.reduce import reduce, seed_rows
from pipeline.topics.taxonomy import load_taxonomy


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True)
    parser.add_argument("--embeddings", required=True)
    parser.add_argument("--centred-out", required=True, help="centred embeddings (.npy)")
    parser.add_argument(
        "--seed-rows-out", required=True, help="seed-word rows UMAP saw, for the cluster stage"
    )
    parser.add_argument("--out", required=True, help="UMAP coordinates (.npy; NaN: not clustered)")
    parser.add_argument("--model-dir", required=True, help="where the fitted models go")
    parser.add_argument("--taxonomy", required=True, help="themes.yaml (seed words guide UMAP)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    ideas = read_parquet(args.ideas)
    reduction = reduce(
        ideas,
        read_npy(args.embeddings),
        load_taxonomy(args.taxonomy),
        params.reduce,
        params.crosslingual,
        params.guidance,
        params.seed,
        # No min_cluster_size: the cluster stage decides whether an input is too small to
        # cluster, so that `dvc exp run -S cluster.min_cluster_size=...` never re-runs UMAP.
    )
    rows = seed_rows(reduction, ideas)
    outputs = (args.centred_out, args.seed_rows_out, args.out, args.model_dir)
    with atomic_outputs(*outputs) as (centred, seeds, out, model_dir):
        write_npy(np.asarray(reduction.centred), centred)
        write_npy(np.zeros((len(ideas), 0), np.float32) if rows is None else rows, seeds)
        write_npy(np.asarray(reduction.reduced), out)
        save_model(
            {
                "centering": reduction.centering,
                "guidance": reduction.guidance,
                "reducer": reduction.reducer,
                "lexical": reduction.lexical,
            },
            model_dir,
            params={
                "seed": params.seed,
                "crosslingual": dataclasses.asdict(params.crosslingual),
                "reduce": dataclasses.asdict(params.reduce),
                "guidance": dataclasses.asdict(params.guidance),
            },
        )


def main(argv: list[str] | None = None) -> int:
    return stage_main("reduce", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
