"""Tests for theme clustering (:mod:`pipeline.topics.cluster`) and saving fitted models."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from pipeline import evaluate
from pipeline.io.models import load_model, save_model
from pipeline.normalise.ideas import normalise_responses
from pipeline.params import Params, ThemesParams
from pipeline.topics.cluster import ThemeClusterer, merge_close_clusters
from pipeline.topics.crosslingual import LanguageCentering
from pipeline.topics.reduce import Reducer, reduce_ideas
from pipeline.topics.taxonomy import Theme
from pipeline.topics.themes import name_themes

DIM = 12
PARAMS = {"min_cluster_size": 10, "min_samples": 3, "cluster_selection_method": "eom"}


def unit(X: np.ndarray) -> np.ndarray:
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def blobs(seed: int = 0, n: int = 40, themes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Compact unit-length theme blobs; returns embeddings and true themes."""
    rng = np.random.default_rng(seed)
    centres = np.eye(DIM)[:themes] + 0.3
    X = np.vstack([c + rng.normal(scale=0.05, size=(n, DIM)) for c in centres])
    return unit(X), np.repeat(np.arange(themes), n)


def far_point() -> np.ndarray:
    return unit(-np.ones((1, DIM)))


def two_long_themes() -> np.ndarray:
    """Two parallel, elongated themes 0.1 apart, a sparse idea beside the first, a far idea.

    Rows 0-39 and 40-79 are the themes; row 80 lies 0.15 from the first theme's centroid, much
    nearer than the theme's own ends (0.5), but alone, so HDBSCAN calls it noise; row 81 is
    far from everything.
    """
    rng = np.random.default_rng(0)
    base, along, across = np.eye(DIM)[:3]

    def at(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return base + np.outer(x, along) + np.outer(y, across)

    line = np.linspace(-0.5, 0.5, 40)
    themes = np.vstack([at(line, np.zeros(40)), at(line, np.full(40, 0.1))])
    themes += rng.normal(scale=0.005, size=themes.shape)
    return unit(np.vstack([themes, at(np.zeros(1), np.array([-0.15])), at(np.zeros(1), [-1.5])]))


def test_finds_the_themes_with_per_idea_outputs() -> None:
    X, themes = blobs()
    clusterer = ThemeClusterer(PARAMS)
    assert clusterer.hdbscan_params is PARAMS  # stored unchanged
    returned = clusterer.fit(X)
    assert returned is clusterer
    assert adjusted_rand_score(themes, clusterer.labels_) > 0.95
    assert clusterer.n_clusters_ == 3
    n = len(X)
    assert clusterer.labels_.shape == clusterer.confidence_.shape == (n,)
    assert clusterer.outlier_.dtype == clusterer.reassigned_.dtype == bool
    assert ((clusterer.confidence_ >= 0) & (clusterer.confidence_ <= 1)).all()
    assert clusterer.centroids_.shape == (3, DIM)
    np.testing.assert_allclose(np.linalg.norm(clusterer.centroids_, axis=1), 1.0, rtol=1e-5)
    # Themes are numbered by size: the largest is 0.
    assert clusterer.sizes_.tolist() == sorted(clusterer.sizes_.tolist(), reverse=True)


def test_noise_near_a_theme_is_reassigned_with_low_confidence_far_noise_stays_out() -> None:
    X = two_long_themes()
    clusterer = ThemeClusterer(PARAMS, outlier_quantile=0.9).fit(X)
    first, second = clusterer.labels_[0], clusterer.labels_[40]
    assert {first, second} == {0, 1}  # the two themes are found

    near, far = 80, 81
    assert clusterer.reassigned_[near] and not clusterer.outlier_[near]
    assert clusterer.labels_[near] == first
    hdbscan_members = (clusterer.labels_ >= 0) & ~clusterer.reassigned_
    assert clusterer.confidence_[clusterer.reassigned_].max() < (
        clusterer.confidence_[hdbscan_members].min()
    )
    # Every reassigned idea is within its theme's radius (the relative rule).
    for row in np.flatnonzero(clusterer.reassigned_):
        label = clusterer.labels_[row]
        distance = 1.0 - float(X[row] @ clusterer.centroids_[label])
        assert distance <= clusterer.radii_[label] + 1e-6

    assert clusterer.outlier_[far] and not clusterer.reassigned_[far]
    assert clusterer.labels_[far] == -1
    assert clusterer.confidence_[far] == 0.0


def test_closeness_is_relative_to_the_theme_spread() -> None:
    X = two_long_themes()
    # Within the 5% nearest members' distance the same idea is too far: it stays an outlier.
    tight = ThemeClusterer(PARAMS, outlier_quantile=0.05).fit(X)
    assert tight.outlier_[80] and not tight.reassigned_[80]
    off = ThemeClusterer(PARAMS, reassign_outliers=False).fit(X)
    assert off.outlier_[80]
    assert not off.reassigned_.any()


def test_the_radius_scale_widens_or_narrows_the_reach_of_each_theme() -> None:
    X = two_long_themes()
    base = ThemeClusterer(PARAMS, outlier_quantile=0.9).fit(X)
    near, far = 80, 81
    assert base.reassigned_[near] and base.outlier_[far]
    far_label = int(np.argmin([1.0 - float(X[far] @ c) for c in base.centroids_]))
    needed = (1.0 - float(X[far] @ base.centroids_[far_label])) / base.radii_[far_label]
    wide = ThemeClusterer(PARAMS, outlier_quantile=0.9, outlier_radius_scale=1.01 * needed)
    wide.fit(X)
    np.testing.assert_allclose(wide.radii_, 1.01 * needed * base.radii_)
    assert wide.reassigned_[far] and wide.labels_[far] == far_label
    narrow = ThemeClusterer(PARAMS, outlier_quantile=0.9, outlier_radius_scale=0.01).fit(X)
    assert narrow.outlier_[near] and not narrow.reassigned_.any()
    with pytest.raises(ValueError, match="outlier_radius_scale"):
        ThemeClusterer(PARAMS, outlier_radius_scale=0.0).fit(X)


def test_close_clusters_merge_closest_first_within_the_cap() -> None:
    rng = np.random.default_rng(0)
    axes = np.eye(DIM)
    # clusters 0 and 1 are halves of one topic, 2 a topic of its own, 3 near 2 but too big
    centres = [axes[0] + 0.1 * axes[1], axes[0] - 0.1 * axes[1], axes[2], axes[2] + 0.3 * axes[3]]
    sizes = [10, 10, 10, 40]
    parts = [c + rng.normal(scale=0.02, size=(k, DIM)) for c, k in zip(centres, sizes, strict=True)]
    X = unit(np.vstack(parts))
    labels = np.repeat(np.arange(4), sizes)
    labels[[5, 25]] = -1  # noise stays noise
    weights = np.ones(len(X))
    merged = merge_close_clusters(X, labels, weights, 0.9, max_size=45)
    assert set(merged[labels == 1]) == {0} and set(merged[labels == 0]) == {0}
    assert set(merged[labels == 2]) == {2} and set(merged[labels == 3]) == {3}
    assert merged[5] == -1 and merged[25] == -1
    # without the cap 2 and 3 merge too; a stricter threshold merges nothing
    assert set(merge_close_clusters(X, labels, weights, 0.9)[labels == 3]) == {2}
    np.testing.assert_array_equal(merge_close_clusters(X, labels, weights, 0.999), labels)
    # extra columns (seed-word rows) keep apart clusters that speak different themes
    seeds = np.zeros((len(X), 2))
    seeds[labels == 0, 0] = 1.0
    seeds[labels == 1, 1] = 1.0
    apart = merge_close_clusters(np.hstack([X, seeds]), labels, weights, 0.9, max_size=45)
    assert set(apart[labels == 1]) == {1}


def test_the_clusterer_merges_hdbscan_clusters_as_the_params_say() -> None:
    X, truth = blobs(themes=3)
    split = ThemeClusterer(PARAMS).fit(X)
    assert split.n_clusters_ == 3
    # a similarity every pair of blob centroids reaches merges them up to the cap
    merged = ThemeClusterer({**PARAMS, "merge_similarity": 0.01}).fit(X)
    assert merged.n_clusters_ == 1
    capped = ThemeClusterer({**PARAMS, "merge_similarity": 0.01, "max_cluster_share": 0.7})
    assert capped.fit(X).n_clusters_ == 2
    np.testing.assert_array_equal(np.bincount(capped.labels_[capped.labels_ >= 0]), [80, 40])
    # seed rows that differ per blob keep them apart
    seeds = np.eye(3)[truth] * 5.0
    kept = ThemeClusterer({**PARAMS, "merge_similarity": 0.5}).fit(X, guidance=seeds)
    assert kept.n_clusters_ == 3


def test_the_outlier_params_are_checked() -> None:
    from pipeline.errors import BalsisError
    from pipeline.params import ClusterParams, OutlierParams

    assert OutlierParams(radius_scale=1.3).radius_scale == 1.3
    with pytest.raises(BalsisError, match="outliers.radius_scale"):
        OutlierParams(radius_scale=-1.0)
    with pytest.raises(BalsisError, match="cluster.merge_similarity"):
        ClusterParams(merge_similarity=1.5)
    with pytest.raises(BalsisError, match="outliers.quantile"):
        OutlierParams(quantile=1.5)


def test_reassignment_in_the_reduced_space() -> None:
    X = two_long_themes()
    clusterer = ThemeClusterer(PARAMS, outlier_space="reduced").fit(X * 10, X)
    assert clusterer.reassigned_[80] and clusterer.outlier_[81]
    with pytest.raises(ValueError, match="outlier_space"):
        ThemeClusterer(PARAMS, outlier_space="umap").fit(X)


def test_duplicates_inherit_and_do_not_form_their_own_theme() -> None:
    X, _ = blobs()
    lone = far_point()
    copies = 30
    data = np.vstack([X, lone, np.repeat(lone, copies, axis=0)])
    original = len(X)

    # Without knowing they are duplicates, 31 identical ideas make a theme of their own ...
    naive = ThemeClusterer(PARAMS).fit(data)
    assert naive.n_clusters_ == 4

    # ... with duplicate_of they are one idea of weight 31: an outlier, like its copies.
    duplicates = np.full(len(data), -1)
    duplicates[original + 1 :] = original
    clusterer = ThemeClusterer(PARAMS).fit(data, duplicates=duplicates)
    assert clusterer.n_clusters_ == 3
    assert clusterer.outlier_[original:].all()
    assert (clusterer.labels_[original:] == -1).all()


def test_duplicates_copy_label_and_confidence_and_weigh_on_the_centroid() -> None:
    X, _ = blobs()
    original = 5  # an idea inside the first blob, away from its centre
    copies = 30
    data = np.vstack([X, np.repeat(X[original : original + 1], copies, axis=0)])
    duplicates = np.full(len(data), -1)
    duplicates[len(X) :] = original

    clusterer = ThemeClusterer(PARAMS).fit(data, duplicates=duplicates)
    plain = ThemeClusterer(PARAMS).fit(X)
    label = clusterer.labels_[original]
    assert (clusterer.labels_[len(X) :] == label).all()
    assert (clusterer.confidence_[len(X) :] == clusterer.confidence_[original]).all()
    assert clusterer.sizes_[label] == plain.sizes_[plain.labels_[original]] + copies
    # The centroid moves towards the idea repeated 31 times.
    before = float(plain.centroids_[plain.labels_[original]] @ X[original])
    after = float(clusterer.centroids_[label] @ X[original])
    assert after > before


def test_non_answers_are_not_clustered_and_not_outliers() -> None:
    X, _ = blobs()
    # 30 identical non-answers ("nav") would otherwise be a theme.
    data = np.vstack([X, np.repeat(far_point(), 30, axis=0)])
    non_answer = np.zeros(len(data), dtype=bool)
    non_answer[len(X) :] = True
    clusterer = ThemeClusterer(PARAMS).fit(data, non_answer=non_answer)
    assert clusterer.n_clusters_ == 3
    assert (clusterer.labels_[non_answer] == -1).all()
    assert not clusterer.outlier_[non_answer].any()
    assert (clusterer.confidence_[non_answer] == 0).all()


def fit_chain(seed: int, X: np.ndarray, languages: np.ndarray) -> ThemeClusterer:
    n = len(X)
    centred, reduced = reduce_ideas(
        X,
        languages,
        np.zeros(n, dtype=bool),
        np.full(n, -1),
        centering=LanguageCentering(),
        reducer=Reducer({"n_neighbors": 10, "n_components": 5}, random_state=seed),
    )
    return ThemeClusterer(PARAMS).fit(reduced, centred)


def test_same_seed_same_labels() -> None:
    X, themes = blobs(n=50)
    languages = np.array(["lv", "ru"] * (len(X) // 2), dtype=object)
    first = fit_chain(3, X, languages)
    second = fit_chain(3, X, languages)
    np.testing.assert_array_equal(first.labels_, second.labels_)
    np.testing.assert_array_equal(first.confidence_, second.confidence_)
    assert adjusted_rand_score(themes, first.labels_) > 0.9
    assert evaluate.stability(lambda seed: fit_chain(seed, X, languages).labels_) > 0.9


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    X, _ = blobs(n=30)
    languages = np.array(["lv"] * len(X), dtype=object)
    centering = LanguageCentering().fit(X, languages)
    reducer = Reducer({"n_neighbors": 10, "n_components": 3}, random_state=0).fit(X)
    clusterer = ThemeClusterer(PARAMS).fit(reducer.embedding_, X)

    for name, model in [("centering", centering), ("reducer", reducer), ("cluster", clusterer)]:
        save_model(model, tmp_path / name)
        versions = json.loads((tmp_path / name / "versions.json").read_text(encoding="utf-8"))
        assert set(versions["versions"]) == {"umap-learn", "hdbscan", "scikit-learn", "numpy"}
        assert versions["versions"]["numpy"] == np.__version__
    saved = json.loads((tmp_path / "cluster" / "versions.json").read_text(encoding="utf-8"))
    assert saved["params"]["hdbscan_params"] == PARAMS
    assert not list(tmp_path.rglob("*.tmp"))  # atomic writes leave no temporary files

    loaded = load_model(tmp_path / "cluster")
    np.testing.assert_array_equal(loaded.labels_, clusterer.labels_)
    np.testing.assert_array_equal(loaded.centroids_, clusterer.centroids_)
    np.testing.assert_array_equal(
        load_model(tmp_path / "centering").transform(X, languages),
        centering.transform(X, languages),
    )
    np.testing.assert_array_equal(
        load_model(tmp_path / "reducer").transform(X[:5]), reducer.transform(X[:5])
    )
    with pytest.raises(FileNotFoundError, match="no saved model"):
        load_model(tmp_path / "missing")


def test_built_from_params_and_tabulated() -> None:
    from pipeline.params import ClusterParams, OutlierParams
    from pipeline.topics.cluster import assignments, make_clusterer

    clusterer = make_clusterer(ClusterParams(min_cluster_size=10), OutlierParams(space="reduced"))
    assert clusterer.hdbscan_params["min_cluster_size"] == 10
    assert clusterer.outlier_space == "reduced"
    X, _ = blobs()
    table = assignments([f"r{i}-1" for i in range(len(X))], clusterer.fit(X))
    assert list(table.columns) == [
        "idea_id",
        "cluster",
        "confidence",
        "outlier",
        "reassigned",
        "clustered",
    ]
    assert table["clustered"].all()
    assert table["cluster"].tolist() == clusterer.labels_.tolist()
    with pytest.raises(ValueError, match="idea ids"):
        assignments(["r1-1"], clusterer)


# A stand-in encoder whose similarities carry little meaning: name by seed words more than the
# defaults tuned for the real model do, and ask for no absolute similarity.
TOY_PARAMS = Params(themes=ThemesParams(keyword_weight=0.7, min_confidence=0.3, min_similarity=0.0))


def _stem_hashes(texts: list[str]) -> np.ndarray:
    """A stand-in sentence model: words cut to 5 letters, hashed into 64 buckets."""
    rows = np.zeros((len(texts), 64))
    for row, text in enumerate(texts):
        for word in text.lower().replace("query: ", "").split():
            rows[row, zlib.crc32(word.strip(".,!?")[:5].encode()) % 64] += 1.0
    return rows + 1e-3


def test_outliers_named_on_their_own_are_no_longer_outliers() -> None:
    roads = ["Ceļš pilns ar bedrēm", "Bedres uz ceļa", "Ceļu vajag remontēt", "Asfalts ceļam"]
    buses = ["Autobuss kursē reti", "Autobusa pietura bez nojumes", "Vakara autobuss"]
    stray = ["Bedres uz ceļa atkal", "Skaisti saulrieti vakarā"]
    texts = [*roads, *buses, *stray]
    ideas = normalise_responses(
        pd.DataFrame(
            {
                "response_id": [f"R{i}" for i in range(len(texts))],
                "source_row": range(2, len(texts) + 2),
                "text": texts,
            }
        )
    )
    assert len(ideas) == len(texts)
    taxonomy = [
        Theme("roads", "Ceļi", "Roads", "Ceļi, bedres, asfalts.", ("ceļš", "bedre", "asfalts")),
        Theme("public_transport", "Transports", "Transport", "Autobusi.", ("autobuss", "pietura")),
    ]
    clusters = pd.DataFrame(
        {
            "idea_id": ideas["idea_id"].astype("string"),
            "cluster": [0, 0, 0, 0, 1, 1, 1, -1, -1],
            "confidence": [1.0] * 7 + [0.0, 0.0],
            "outlier": [False] * 7 + [True, True],
            "reassigned": False,
        }
    )
    embeddings = _stem_hashes(list(ideas["text_normalised"]))
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    _, idea_themes = name_themes(
        ideas,
        embeddings,
        clusters,
        taxonomy,
        _stem_hashes,
        TOY_PARAMS.themes,
        prompt_name=TOY_PARAMS.embed.prompt_name,
    )
    assert list(idea_themes["theme"].iloc[-2:]) == ["roads", ""]
    assert list(idea_themes["outlier"]) == [False] * 8 + [True]
    assert list(idea_themes["reassigned"]) == [False] * 7 + [True, False]
    assert list(idea_themes["cluster"].iloc[-2:]) == [-1, -1]  # the clustering is not changed
