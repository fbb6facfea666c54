"""``compute.scheduler``: normalise, embed and SVID in partitions on a 2-worker Dask cluster
give the one-process results; bad settings and an unreachable scheduler are clear errors."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import cli
from pipeline.compute.cluster import dask_client
from pipeline.compute.embed import model_loads
from pipeline.embed.encoder import load_sentence_model
from pipeline.errors import BalsisError
from pipeline.params import ComputeParams, EmbedParams, load_params, params_from_dict
from pipeline.steps.compute import Compute
from pipeline.steps.ingest import ingest
from pipeline.swot.cues import CueMatcher
from pipeline.swot.train import train_swot

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "raw" / "proposals.csv"
LABELLED = ROOT / "data" / "reference" / "svid_labelled.csv"
N_RESPONSES = 260  # of the sample's 662: enough for 3 partitions of each step, quick on 2 cores
PARTITION = 100


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with dask_client(ComputeParams(scheduler="local", workers=2)) as dask:
        yield dask


@pytest.fixture(scope="module")
def runs(client: object, e5_model_dir: Path) -> dict[str, object]:
    """The three steps on the sample's first responses, in one process and on the cluster."""
    params = load_params()
    responses = ingest(SAMPLE, params.ingest).head(N_RESPONSES)
    embed_params = EmbedParams(model="multilingual-e5-small")
    model = load_sentence_model(e5_model_dir)
    # A classifier of the labelled set's first 50 statements per quadrant (the whole set's
    # cross-validation would double the test's time; the quadrants only need to be a real model's)
    labelled = pd.read_csv(LABELLED).groupby("quadrant").head(50)
    swot_params = dataclasses.replace(params.swot, cv_folds=3)
    classifier, _ = train_swot(labelled, model, swot_params, params.seed)
    matcher = CueMatcher()
    results: dict[str, object] = {}
    for name, compute in (("single", Compute()), ("dask", Compute(client, PARTITION))):
        ideas = compute.normalise(responses, params.normalise)
        embeddings, sidecar = compute.embed(
            ideas,
            embed_params,
            params.ingest.max_embed_chars,
            cache_dir=None,  # both compute every vector
            models_dir=e5_model_dir.parent,
            model=model,
            progress=False,
        )
        idea_swot = compute.swot(ideas, embeddings, classifier, matcher, params.swot)
        results[name] = (ideas, embeddings, sidecar, idea_swot)
    return results


def test_the_cluster_gives_the_one_process_ideas_table(runs: dict[str, object]) -> None:
    single, dask = runs["single"][0], runs["dask"][0]
    assert len(single) > 2 * PARTITION  # several partitions
    assert single["diacritics_restored"].any() and single["duplicate_of"].notna().any()
    pd.testing.assert_frame_equal(dask, single)


def test_the_cluster_normalises_without_restoration_too(client: object) -> None:
    params = load_params()
    responses = ingest(SAMPLE, params.ingest).head(N_RESPONSES)
    plain = dataclasses.replace(params.normalise, restore_diacritics=False, split_ideas=False)
    single = Compute().normalise(responses, plain)
    dask = Compute(client, PARTITION).normalise(responses, plain)
    assert not single["diacritics_restored"].any() and len(single) == len(responses)
    pd.testing.assert_frame_equal(dask, single)


def test_the_cluster_gives_the_one_process_embeddings(runs: dict[str, object]) -> None:
    (_, single, single_sidecar, _), (_, dask, dask_sidecar, _) = runs["single"], runs["dask"]
    assert single.shape == dask.shape and np.abs(single).sum() > 0
    np.testing.assert_allclose(dask, single, atol=1e-5)
    assert dask_sidecar == single_sidecar


def test_the_cluster_gives_the_one_process_quadrants(runs: dict[str, object]) -> None:
    single, dask = runs["single"][3], runs["dask"][3]
    assert single["swot"].nunique() >= 3
    pd.testing.assert_series_equal(dask["swot"], single["swot"])
    pd.testing.assert_series_equal(dask["swot_evidence"], single["swot_evidence"])
    probabilities = [f"swot_p_{q}" for q in "SWOT"]
    np.testing.assert_allclose(dask[probabilities], single[probabilities], atol=1e-5)


def test_each_worker_loads_the_model_once(runs: dict[str, object], client: object) -> None:
    ideas = runs["dask"][0]
    # A second cold embedding on the same workers reuses the models they loaded.
    Compute(client, PARTITION).embed(
        ideas,
        EmbedParams(model=str(runs["dask"][2]["model_location"])),
        2000,
        cache_dir=None,
        progress=False,
    )
    loads = client.run(model_loads)  # type: ignore[attr-defined]
    assert len(loads) == 2
    assert sum(loads.values()) >= 1
    assert max(loads.values()) == 1


def test_embed_cache_stays_on_the_client(
    client: object, e5_model_dir: Path, tmp_path: Path
) -> None:
    ideas = pd.DataFrame(
        {
            "text_normalised": ["Vajag jaunu bērnu laukumu", "Salabot ceļu uz skolu", "nav"],
            "non_answer": [False, False, True],
        }
    )
    params = EmbedParams(model=str(e5_model_dir))
    compute = Compute(client, 1)
    first, _ = compute.embed(ideas, params, 2000, cache_dir=tmp_path, progress=False)
    assert list(tmp_path.glob("*.npz"))  # written by the client
    again, _ = compute.embed(ideas, params, 2000, cache_dir=tmp_path, progress=False)
    np.testing.assert_array_equal(first, again)
    assert not first[2].any() and first[:2].any()


def test_a_local_cluster_gives_this_process_its_environment_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the nannies set OMP_NUM_THREADS=1 here to spawn their workers; later processes must not
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    before = dict(os.environ)
    with dask_client(ComputeParams(scheduler="local", workers=1)) as client:
        assert client.submit(os.environ.get, "OMP_NUM_THREADS").result() == "1"
    assert dict(os.environ) == before


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    address = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    started = time.monotonic()
    with (
        pytest.raises(BalsisError, match=r"no Dask scheduler answered at tcp://127\.0\.0\.1:9"),
        dask_client(ComputeParams(scheduler=address), timeout=2),
    ):
        pass
    assert time.monotonic() - started < 30


def test_a_malformed_address_is_named() -> None:
    with (
        pytest.raises(BalsisError, match=r"'10\.0\.0\.5' is not a Dask scheduler address"),
        dask_client(ComputeParams(scheduler="10.0.0.5"), timeout=2),
    ):
        pass


def test_a_scheduler_without_workers_is_a_clear_error() -> None:
    from distributed import LocalCluster

    with (
        LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty,
        pytest.raises(BalsisError, match="has no workers"),
        dask_client(ComputeParams(scheduler=empty.scheduler_address), timeout=1),
    ):
        pass


def test_balsis_run_scheduler_overrides_the_param(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(
        ["run", str(SAMPLE), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "tcp://127.0.0.1:9" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "report.html").exists()


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"scheduler": ""}, "compute.scheduler"),
        ({"scheduler": 8786}, "compute.scheduler"),
        ({"partition_size": 0}, "compute.partition_size"),
        ({"partition_size": 2.5}, "compute.partition_size"),
        ({"workers": 0}, "compute.workers"),
        ({"worker": 2}, "unknown key"),
    ],
)
def test_bad_compute_params_are_named(section: dict[str, object], message: str) -> None:
    with pytest.raises(BalsisError, match=message):
        params_from_dict({"compute": section})


def test_compute_params_default_to_one_process() -> None:
    params = params_from_dict({"compute": {"scheduler": "local", "workers": 2}})
    assert params.compute == ComputeParams(scheduler="local", partition_size=2000, workers=2)
    assert load_params().compute.scheduler is None
