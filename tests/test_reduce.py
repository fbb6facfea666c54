"""Tests for language centring and UMAP reduction (:mod:`pipeline.topics.reduce`)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from pipeline.topics.cluster import ThemeClusterer
from pipeline.topics.crosslingual import LanguageCentering
from pipeline.topics.duplicates import cluster_mask, duplicate_positions, idea_weights
from pipeline.topics.reduce import Reducer, reduce_ideas

DIM = 24


def unit(X: np.ndarray) -> np.ndarray:
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def two_language_themes(
    seed: int = 0, per_theme: tuple[int, int] = (40, 15)
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three themes written in two languages; the language offset outweighs the theme gap.

    Returns embeddings, languages and themes.
    """
    rng = np.random.default_rng(seed)
    base = rng.normal(size=DIM) * 3
    themes = rng.normal(size=(3, DIM))
    language_shift = {"lv": np.zeros(DIM), "ru": rng.normal(size=DIM) * 2.5}
    rows, languages, labels = [], [], []
    for theme in range(3):
        for language, count in zip(("lv", "ru"), per_theme, strict=True):
            noise = rng.normal(scale=0.15, size=(count, DIM))
            rows.append(base + themes[theme] + language_shift[language] + noise)
            languages += [language] * count
            labels += [theme] * count
    return unit(np.vstack(rows)), np.array(languages, dtype=object), np.array(labels)


def theme_clusters(X: np.ndarray) -> np.ndarray:
    params = {"min_cluster_size": 10, "cluster_selection_method": "eom"}
    return ThemeClusterer(params, reassign_outliers=False).fit(X).labels_


def test_centring_makes_ideas_cluster_by_theme_not_language() -> None:
    X, languages, themes = two_language_themes()
    before = theme_clusters(X)
    after = theme_clusters(LanguageCentering().fit_transform(X, languages))

    # Before: language sub-clusters, none holding both languages ...
    assert adjusted_rand_score(themes, before) < 0.8
    for label in set(before) - {-1}:
        assert len(set(languages[before == label])) == 1
    # ... after: one cluster per theme, both languages in each.
    assert adjusted_rand_score(themes, after) > 0.9
    for label in set(after) - {-1}:
        assert set(languages[after == label]) == {"lv", "ru"}


def test_centring_output_is_unit_float32_and_keeps_rows() -> None:
    X, languages, _ = two_language_themes()
    centred = LanguageCentering().fit(X, languages).transform(X, languages)
    assert centred.dtype == np.float32
    assert centred.shape == X.shape
    np.testing.assert_allclose(np.linalg.norm(centred, axis=1), 1.0, rtol=1e-5)


def test_small_language_is_centred_with_the_global_mean() -> None:
    X, languages, _ = two_language_themes()
    languages = languages.copy()
    languages[:3] = "en"  # 3 ideas < min_language_size
    centering = LanguageCentering(min_language_size=5).fit(X, languages)
    assert "en" not in centering.language_means_
    assert set(centering.language_means_) == {"lv", "ru"}
    # Subtracting and restoring the global mean leaves such an idea where it was.
    np.testing.assert_allclose(centering.transform(X[:3], languages[:3]), X[:3], atol=1e-6)
    # Unseen languages are treated the same way.
    np.testing.assert_allclose(centering.transform(X[:1], ["de"]), X[:1], atol=1e-6)


def test_centring_without_restoring_the_mean_centres_the_corpus() -> None:
    X, languages, _ = two_language_themes()
    centred = LanguageCentering(restore_global_mean=False).fit_transform(X, languages)
    # Every language's direction is now spread around the origin.
    for language in ("lv", "ru"):
        mean = centred[languages == language].mean(axis=0)
        assert np.linalg.norm(mean) < 0.1


def test_centring_can_restore_a_share_of_the_global_mean() -> None:
    X, languages, _ = two_language_themes()
    centering = LanguageCentering(restore_global_mean=0.5).fit(X, languages)
    ru = languages == "ru"
    expected = X[ru] - centering.language_means_["ru"] + 0.5 * centering.mean_
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(centering.transform(X[ru], languages[ru]), expected, atol=1e-6)
    # Booleans keep their meaning: all of the mean, or none of it.
    full = LanguageCentering(restore_global_mean=True).fit_transform(X, languages)
    one = LanguageCentering(restore_global_mean=1.0).fit_transform(X, languages)
    np.testing.assert_array_equal(full, one)
    with pytest.raises(ValueError, match="restore_global_mean"):
        LanguageCentering(restore_global_mean=1.5).fit(X, languages)


def test_sample_weight_moves_the_language_mean() -> None:
    X, languages, _ = two_language_themes()
    weights = np.ones(len(X))
    weights[0] = 100.0
    plain = LanguageCentering().fit(X, languages)
    weighted = LanguageCentering().fit(X, languages, sample_weight=weights)
    lv = languages[0]
    shift_plain = np.linalg.norm(plain.language_means_[lv] - X[0])
    shift_weighted = np.linalg.norm(weighted.language_means_[lv] - X[0])
    assert shift_weighted < shift_plain


def test_mismatched_languages_are_an_error() -> None:
    X, languages, _ = two_language_themes()
    with pytest.raises(ValueError, match="languages"):
        LanguageCentering().fit(X, languages[:-1])


def test_duplicate_positions_follow_chains_to_the_first_idea() -> None:
    ids = ["a", "b", "c", "d"]
    positions = duplicate_positions(ids, [None, "a", "b", float("nan")])
    assert positions.tolist() == [-1, 0, 0, -1]
    with pytest.raises(ValueError, match="'x'"):
        duplicate_positions(ids, [None, "x", None, None])


def test_mask_and_weights_skip_non_answers_and_duplicates() -> None:
    non_answer = np.array([False, False, True, False, True, False])
    duplicates = np.array([-1, 0, -1, 0, 2, 2])
    mask = cluster_mask(non_answer, duplicates)
    # Row 5 repeats a non-answer but is an answer itself: it has no clustered original.
    assert mask.tolist() == [True, False, False, False, False, True]
    assert idea_weights(mask, duplicates).tolist() == [3, 0, 0, 0, 0, 1]


def test_reducer_shape_dtype_and_same_seed_same_result() -> None:
    X, _, _ = two_language_themes(per_theme=(30, 10))
    params = {"n_neighbors": 10, "n_components": 5, "min_dist": 0.0, "metric": "cosine"}
    first = Reducer(params, random_state=7).fit_transform(X)
    again = Reducer(params, random_state=7)
    assert again.umap_params is params  # stored unchanged
    second = again.fit(X).embedding_
    assert first.shape == (len(X), 5)
    assert first.dtype == np.float32
    np.testing.assert_array_equal(first, second)
    assert again.transform(X[:4]).shape == (4, 5)


def test_reducer_fitted_on_a_sample_places_the_rest_with_their_themes() -> None:
    X, _, themes = two_language_themes(per_theme=(80, 40))  # 360 rows
    params = {"n_neighbors": 10, "n_components": 5, "min_dist": 0.0, "metric": "cosine"}
    reducer = Reducer(params, random_state=3, fit_sample=150).fit(X)
    assert reducer.embedding_.shape == (len(X), 5)
    assert len(reducer.sample_) == 150 and len(np.unique(reducer.sample_)) == 150
    assert np.isfinite(reducer.embedding_).all()
    placed = np.setdiff1d(np.arange(len(X)), reducer.sample_)
    full = Reducer(params, random_state=3).fit_transform(X)
    assert adjusted_rand_score(themes, theme_clusters(reducer.embedding_)) == pytest.approx(
        adjusted_rand_score(themes, theme_clusters(full)), abs=0.05
    )
    # a placed row lands beside the fitted rows it is nearest to in the input
    sample = reducer.sample_

    def nearest_fitted(points: np.ndarray) -> np.ndarray:
        gaps = np.linalg.norm(points[placed][:, None] - points[sample][None], axis=2)
        return sample[np.argmin(gaps, axis=1)]

    same = themes[nearest_fitted(reducer.embedding_)] == themes[nearest_fitted(X)]
    assert same.mean() >= 0.95


def test_reducer_fits_on_all_rows_up_to_fit_sample() -> None:
    X, _, _ = two_language_themes(per_theme=(30, 10))
    params = {"n_neighbors": 10, "n_components": 3}
    np.testing.assert_array_equal(
        Reducer(params, random_state=1, fit_sample=len(X)).fit_transform(X),
        Reducer(params, random_state=1).fit_transform(X),
    )


def test_fit_sample_below_the_minimum_is_a_params_error() -> None:
    from pipeline.errors import BalsisError
    from pipeline.params import ReduceParams

    with pytest.raises(BalsisError, match="reduce.fit_sample"):
        ReduceParams(fit_sample=10)
    assert ReduceParams(fit_sample=None).fit_sample is None


def test_reduce_ideas_aligns_with_all_ideas() -> None:
    X, languages, _ = two_language_themes(per_theme=(30, 10))
    n = len(X)
    non_answer = np.zeros(n, dtype=bool)
    non_answer[0] = True
    duplicates = np.full(n, -1)
    duplicates[5] = 1
    reducer = Reducer({"n_neighbors": 10, "n_components": 3}, random_state=0)
    centred, reduced = reduce_ideas(
        X, languages, non_answer, duplicates, centering=LanguageCentering(), reducer=reducer
    )
    assert centred.shape == X.shape
    assert reduced.shape == (n, 3)
    assert np.isnan(reduced[0]).all()  # non-answers are not reduced
    np.testing.assert_array_equal(reduced[5], reduced[1])  # a duplicate sits on its original
    assert reducer.embedding_.shape == (n - 2, 3)  # fitted on unique answers only


def test_built_from_params() -> None:
    from pipeline.params import CrossLingualParams, ReduceParams
    from pipeline.topics.crosslingual import make_centering
    from pipeline.topics.reduce import make_reducer

    assert make_centering(CrossLingualParams(centre_languages=False)) is None
    centering = make_centering(CrossLingualParams(min_language_size=7))
    assert centering is not None and centering.min_language_size == 7
    reducer = make_reducer(ReduceParams(n_components=6, fit_sample=500), seed=3)
    assert reducer.umap_params["n_components"] == 6
    assert "fit_sample" not in reducer.umap_params  # not a UMAP argument
    assert reducer.fit_sample == 500
    assert reducer.random_state == 3


def small_taxonomy() -> list:
    from pipeline.topics.taxonomy import Theme

    return [
        Theme("roads", "Ceļi", "Roads", "Ceļu remonts", ("ceļš", "bedre", "дорога")),
        Theme("lighting", "Apgaismojums", "Lighting", "Ielu apgaismojums", ("apgaismojums",)),
        Theme("youth", "Jaunieši", "Youth", "Jauniešu centrs", ("jaunietis", "skeitparks")),
    ]


def test_taxonomy_guidance_marks_the_themes_whose_seeds_an_idea_uses() -> None:
    from pipeline.topics.guidance import TaxonomyGuidance

    lemmas = [
        ["bedre", "iela"],  # roads
        ["дорога", "ремонт"],  # roads, in Russian
        ["ceļš", "apgaismojums"],  # roads and lighting
        ["parks", "soliņš"],  # no seed
        None,  # no lemmas at all
    ]
    guidance = TaxonomyGuidance(small_taxonomy(), weight=0.8).fit(lemmas)
    rows = guidance.transform(lemmas)

    assert guidance.theme_ids_ == ["roads", "lighting", "youth"]
    assert rows.shape == (5, 3) and rows.dtype == np.float32
    np.testing.assert_allclose(rows[0], [0.8, 0, 0], atol=1e-6)
    np.testing.assert_allclose(rows[1], rows[0])  # the same theme across languages
    np.testing.assert_allclose(rows[2], [0.8 / np.sqrt(2), 0.8 / np.sqrt(2), 0], atol=1e-6)
    np.testing.assert_array_equal(rows[3:], 0)  # placed by their embedding alone
    assert TaxonomyGuidance(small_taxonomy(), weight=0).fit_transform(lemmas).shape == (5, 0)
    with pytest.raises(ValueError, match="weight"):
        TaxonomyGuidance(small_taxonomy(), weight=-1).fit(lemmas)


def test_guidance_pulls_ideas_on_one_theme_together() -> None:
    from pipeline.topics.guidance import TaxonomyGuidance

    # Embeddings with no theme structure at all; the seeds alone tell the themes apart.
    rng = np.random.default_rng(0)
    n = 90
    X = unit(rng.normal(size=(n, DIM)))
    themes = np.repeat([0, 1, 2], n // 3)
    words = [["bedre"], ["apgaismojums"], ["skeitparks"]]
    lemmas = [words[t] + ["iela"] for t in themes]
    guidance = TaxonomyGuidance(small_taxonomy(), weight=1.0).fit_transform(lemmas)
    no = np.zeros(n, dtype=bool)
    none = np.full(n, -1)

    def labels(extra: np.ndarray | None) -> np.ndarray:
        reducer = Reducer({"n_neighbors": 10, "n_components": 3}, random_state=0)
        _, reduced = reduce_ideas(
            X, ["lv"] * n, no, none, centering=None, reducer=reducer, guidance=extra
        )
        return theme_clusters(reduced)

    assert adjusted_rand_score(themes, labels(None)) < 0.2
    assert adjusted_rand_score(themes, labels(guidance)) > 0.9
    with pytest.raises(ValueError, match="guidance rows"):
        labels(guidance[:-1])


def test_guidance_built_from_params() -> None:
    from pipeline.params import GuidanceParams
    from pipeline.topics.guidance import make_guidance

    assert make_guidance(GuidanceParams(seed_weight=0.5), small_taxonomy()).weight == 0.5
    assert make_guidance(GuidanceParams(seed_weight=0.5), None).weight == 0.0
