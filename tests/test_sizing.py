"""HDBSCAN's size arguments that follow the corpus size (pipeline.topics.sizing)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.params import ClusterParams, OutlierParams
from pipeline.topics.cluster import make_clusterer
from pipeline.topics.sizing import hdbscan_arguments, max_cluster_size, min_cluster_size


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, 5), (50, 5), (300, 5), (650, 8), (800, 8), (10_000, 30), (100_000, 95)],
)
def test_auto_min_cluster_size_grows_with_the_square_root(n: int, expected: int) -> None:
    assert min_cluster_size("auto", n) == expected


def test_auto_is_monotonic_and_a_number_is_kept() -> None:
    sizes = [min_cluster_size("Auto", n) for n in range(0, 200_000, 997)]
    assert sizes == sorted(sizes)
    assert min_cluster_size(12, 100_000) == 12


@pytest.mark.parametrize("bad", ["often", 1, 0, -3, 2.5, True])
def test_a_bad_min_cluster_size_is_an_error(bad: object) -> None:
    with pytest.raises(ValueError, match="min_cluster_size"):
        min_cluster_size(bad, 100)  # type: ignore[arg-type]


def test_max_cluster_size_is_a_share_with_a_floor() -> None:
    assert max_cluster_size(0.2, 1000, 8) == 200
    assert max_cluster_size(0.2, 40, 5) == 25  # never below 25 ideas in a small corpus...
    assert max_cluster_size(0.2, 125, 5) == 25
    assert max_cluster_size(0.2, 200, 5) == 40
    assert max_cluster_size(0.2, 100, 20) == 40  # ...or twice the minimum
    assert max_cluster_size(0.0, 1000, 8) == 0  # no cap
    assert max_cluster_size(1.0, 1000, 8) == 0
    with pytest.raises(ValueError, match="max_cluster_share"):
        max_cluster_size(1.5, 1000, 8)


def test_hdbscan_arguments_resolve_the_section() -> None:
    arguments = hdbscan_arguments({"min_cluster_size": "auto", "max_cluster_share": 0.2}, 800)
    assert arguments == {"min_cluster_size": 8, "max_cluster_size": 160}


def test_no_cluster_holds_more_than_the_share() -> None:
    # One dense region of 70% of the points, made of two close sub-groups, beside three
    # small clusters: uncapped, HDBSCAN takes the region whole.
    rng = np.random.default_rng(1)
    big = np.vstack([rng.normal(size=(140, 5)), rng.normal(size=(140, 5)) + 2.0])
    small = np.vstack([c + rng.normal(size=(40, 5)) for c in rng.normal(size=(3, 5)) * 20 + 60])
    points = np.vstack([big, small])
    outliers = OutlierParams(reassign=False, space="reduced")
    uncapped = make_clusterer(
        ClusterParams(min_cluster_size=10, max_cluster_share=0.0), outliers
    ).fit(points)
    capped = make_clusterer(
        ClusterParams(min_cluster_size=10, max_cluster_share=0.3), outliers
    ).fit(points)
    share = lambda labels: np.bincount(labels[labels >= 0]).max() / len(labels)  # noqa: E731
    assert share(uncapped.labels_) > 0.6
    assert share(capped.labels_) <= 0.3
    assert capped.hdbscan_arguments_["max_cluster_size"] == 120
