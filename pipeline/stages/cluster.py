"""DVC stage ``cluster``: UMAP coordinates -> one cluster per idea (HDBSCAN, outliers)."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from pipeline.io.artefacts import read_npy, read_parquet, write_parquet
from pipeline.io.files import atomic_outputs
from pipeline.io.models import save_model
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.cluster import cluster


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True)
    parser.add_argument("--centred", required=True, help="centred embeddings (.npy)")
    parser.add_argument("--reduced", required=True, help="UMAP coordinates (.npy)")
    parser.add_argument(
        "--seed-rows", help="the reduce stage's seed-word rows (.npy), for merging clusters"
    )
    parser.add_argument("--out", required=True, help="clusters table (.parquet)")
    parser.add_argument("--model-dir", required=True, help="where the fitted model goes")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    seeds = read_npy(args.seed_rows) if args.seed_rows else None
    clusterer, clusters = cluster(
        read_parquet(args.ideas),
        read_npy(args.centred),
        read_npy(args.reduced),
        params.cluster,
        params.outliers,
        seeds if seeds is not None and seeds.shape[1] else None,
    )
    with atomic_outputs(args.out, args.model_dir) as (out, model_dir):
        write_parquet(clusters, out)
        save_model(
            clusterer,
            model_dir,
            params={
                "cluster": dataclasses.asdict(params.cluster),
                "outliers": dataclasses.asdict(params.outliers),
            },
        )


def main(argv: list[str] | None = None) -> int:
    return stage_main("cluster", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
