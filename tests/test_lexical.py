"""The columns UMAP sees next to the embeddings: seed words scaled by their share, the words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score
from test_reduce import DIM, small_taxonomy, theme_clusters, unit

from pipeline.params import CrossLingualParams, GuidanceParams, ReduceParams
from pipeline.topics.guidance import TaxonomyGuidance
from pipeline.topics.lexical import LexicalFeatures
from pipeline.topics.reduce import Reducer, reduce_ideas
from pipeline.topics.reduction import lexical_weight, reduce_corpus

# Three topics the small taxonomy (roads, lighting, youth) has no seed for.
TOPIC_WORDS = [
    ["vēlēšanas", "partija", "deputāts", "balsojums"],
    ["komēta", "teleskops", "planēta", "orbīta"],
    ["koncerts", "orķestris", "diriģents", "skaņdarbs"],
]


def _topic_lemmas(n_per_topic: int, seed: int = 0) -> tuple[list[list[str]], np.ndarray]:
    rng = np.random.default_rng(seed)
    lemmas, topics = [], []
    for topic, words in enumerate(TOPIC_WORDS):
        for _ in range(n_per_topic):
            lemmas.append(list(rng.choice(words, size=2, replace=False)) + ["gads"])
            topics.append(topic)
    return lemmas, np.array(topics)


def test_word_rows_have_the_weight_and_shared_words_bring_ideas_together() -> None:
    lemmas, topics = _topic_lemmas(10)
    rows = LexicalFeatures(weight=0.4, n_components=5, random_state=0).fit_transform(
        [*lemmas, ["nezināms"], None]
    )

    assert rows.dtype == np.float32 and rows.shape[0] == len(lemmas) + 2
    np.testing.assert_allclose(np.linalg.norm(rows[:-2], axis=1), 0.4, atol=1e-5)
    np.testing.assert_array_equal(rows[-2:], 0)  # no known word: placed by the embedding alone
    cosine = unit(rows[:-2]) @ unit(rows[:-2]).T
    same = topics[:, None] == topics[None, :]
    assert cosine[same].mean() > cosine[~same].mean() + 0.5


def test_word_rows_off_or_without_vocabulary_are_no_columns() -> None:
    lemmas, _ = _topic_lemmas(5)
    assert LexicalFeatures(weight=0).fit_transform(lemmas).shape == (15, 0)
    assert LexicalFeatures(weight=0.5).fit_transform([["viens"], ["divi"], ["trīs"]]).shape == (
        3,
        0,
    )  # no word in two ideas
    with pytest.raises(ValueError, match="lexical weight"):
        LexicalFeatures(weight=-0.1).fit(lemmas)


def test_word_rows_find_topics_the_embeddings_do_not_show() -> None:
    lemmas, topics = _topic_lemmas(30)
    n = len(lemmas)
    X = unit(np.random.default_rng(1).normal(size=(n, DIM)))  # no topic structure at all
    words = LexicalFeatures(weight=1.0, n_components=10, random_state=0).fit_transform(lemmas)
    no = np.zeros(n, dtype=bool)
    none = np.full(n, -1)

    def labels(extra: np.ndarray | None) -> np.ndarray:
        reducer = Reducer({"n_neighbors": 10, "n_components": 3}, random_state=0)
        _, reduced = reduce_ideas(
            X, ["lv"] * n, no, none, centering=None, reducer=reducer, guidance=extra
        )
        return theme_clusters(reduced)

    assert adjusted_rand_score(topics, labels(None)) < 0.2
    assert adjusted_rand_score(topics, labels(words)) > 0.9


def test_seed_rows_shrink_with_the_share_of_ideas_naming_a_seed() -> None:
    lemmas = [["bedre", "iela"], ["parks"], ["soliņš"], ["koks"], None]  # 1 of 4 names a seed
    scaled = TaxonomyGuidance(small_taxonomy(), weight=0.8, by_share=True).fit(lemmas)
    full = TaxonomyGuidance(small_taxonomy(), weight=0.8).fit(lemmas)

    assert scaled.seeded_share_ == pytest.approx(0.25) and full.seeded_share_ == pytest.approx(0.25)
    assert scaled.row_length_ == pytest.approx(0.2) and full.row_length_ == pytest.approx(0.8)
    assert np.linalg.norm(scaled.transform(lemmas)[0]) == pytest.approx(0.2, abs=1e-6)
    assert np.linalg.norm(full.transform(lemmas)[0]) == pytest.approx(0.8, abs=1e-6)


def test_the_words_take_the_pull_the_seeds_leave() -> None:
    lemmas = [["bedre"], ["parks"], ["soliņš"], ["koks"]]
    params = GuidanceParams(seed_weight=1.0, by_share=True, lexical_weight=0.5)
    seeds = TaxonomyGuidance(small_taxonomy(), weight=1.0, by_share=True).fit(lemmas)
    assert lexical_weight(params, seeds) == pytest.approx(0.5 * 0.75)
    unscaled = GuidanceParams(seed_weight=1.0, by_share=False, lexical_weight=0.5)
    plain = TaxonomyGuidance(small_taxonomy(), weight=1.0).fit(lemmas)
    assert lexical_weight(unscaled, plain) == 0.5
    no_seeds = TaxonomyGuidance(small_taxonomy(), weight=0.0, by_share=True).fit(lemmas)
    assert lexical_weight(params, no_seeds) == 0.5


def test_reduce_corpus_joins_both_kinds_of_columns() -> None:
    lemmas, _ = _topic_lemmas(12)
    lemmas[:9] = [["bedre", "iela"]] * 9  # a quarter name the roads seed
    n = len(lemmas)
    ideas = pd.DataFrame(
        {
            "idea_id": [f"i{i}" for i in range(n)],
            "language": ["lv"] * n,
            "non_answer": [False] * n,
            "duplicate_of": [None] * n,
            "content_lemmas": lemmas,
        }
    )
    embeddings = unit(np.random.default_rng(2).normal(size=(n, DIM))).astype(np.float32)
    reduction = reduce_corpus(
        ideas,
        embeddings,
        small_taxonomy(),
        crosslingual=CrossLingualParams(),
        guidance=GuidanceParams(seed_weight=1.0, by_share=True, lexical_weight=0.5),
        reduce=ReduceParams(n_neighbors=5, n_components=2),
        seed=0,
    )

    assert reduction.guidance is not None and reduction.lexical is not None
    assert reduction.guidance.seeded_share_ == pytest.approx(0.25)
    assert reduction.lexical.weight == pytest.approx(0.5 * 0.75)
    assert reduction.reduced.shape == (n, 2)
