from __future__ import annotations

import numpy as np
import pytest

from pipeline.topics.theme_fit import LANGUAGE_OFFSET, TOP_SEEDS, theme_fits, theme_similarity


def _unit(*columns: int, dim: int = 8) -> np.ndarray:
    row = np.zeros(dim, dtype=np.float32)
    row[list(columns)] = 1.0
    return row / np.linalg.norm(row)


SEEDS = [
    np.stack([_unit(0), _unit(1), _unit(2), _unit(3)]),  # theme 0: four seed words
    np.stack([_unit(4), _unit(5)]),  # theme 1: fewer seeds than TOP_SEEDS
]


def test_similarity_is_the_mean_of_the_nearest_seed_words() -> None:
    ideas = np.stack([_unit(0, 1), _unit(6), np.zeros(8, dtype=np.float32)])
    similarity = theme_similarity(ideas, SEEDS, ["lv", "lv", "lv"])
    half = 1 / np.sqrt(2)
    assert TOP_SEEDS == 3
    assert similarity[0, 0] == pytest.approx((half + half + 0.0) / 3)  # two seeds of three
    assert similarity[0, 1] == pytest.approx(0.0)
    assert similarity[1].tolist() == pytest.approx([0.0, 0.0])  # far from every theme
    assert similarity[2].tolist() == [-1.0, -1.0]  # a non-answer's empty row fits nothing


def test_a_text_in_another_language_gets_its_offset() -> None:
    ideas = np.stack([_unit(4), _unit(4), _unit(4)])
    similarity = theme_similarity(ideas, SEEDS, ["lv", "ru", "ltg"])
    assert similarity[1, 1] - similarity[0, 1] == pytest.approx(LANGUAGE_OFFSET["ru"])
    assert similarity[2, 1] - similarity[0, 1] == pytest.approx(LANGUAGE_OFFSET["ltg"])
    with pytest.raises(ValueError, match="languages"):
        theme_similarity(ideas, SEEDS, ["lv"])


def test_a_theme_fits_only_with_both_score_and_similarity() -> None:
    scores = np.array([[0.9, 0.1], [0.9, 0.1], [0.05, 0.9]])
    similarity = np.array([[0.9, 0.9], [0.5, 0.9], [0.9, 0.9]])
    fits = theme_fits(scores, similarity, min_confidence=0.1, min_similarity=0.8)
    # the best score alone does not make a theme fit an idea far from it (row 1)
    assert fits.tolist() == [[True, True], [False, True], [False, True]]
    by_score = theme_fits(scores, None, 0.1, 0.8)
    assert by_score.tolist() == [[True, True], [True, True], [False, True]]
