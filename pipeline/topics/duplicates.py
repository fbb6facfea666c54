"""Which ideas are clustered, and with what weight: duplicates and non-answers.

Only the ideas that will be clustered are fitted on: answers (not non-answers) that are not
duplicates of an earlier idea (see :func:`cluster_mask`). A duplicate adds to its original's
weight (:func:`idea_weights`) instead of being a point of its own: identical points piled on
top of each other would be their own UMAP neighbourhood and, 10 copies on, an HDBSCAN cluster.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pipeline.topics.table import as_strings


def duplicate_positions(
    idea_ids: Sequence[Any] | np.ndarray, duplicate_of: Sequence[Any] | np.ndarray
) -> np.ndarray:
    """Row of each idea's original (``duplicate_of`` holds idea ids), -1 where none.

    Chains (a duplicate of a duplicate) are followed to the first idea.

    Raises:
        ValueError: A ``duplicate_of`` names an idea id that is not in ``idea_ids``.
    """
    ids = as_strings(idea_ids)
    originals = as_strings(duplicate_of)
    row_of = {idea_id: row for row, idea_id in enumerate(ids)}
    positions = np.full(len(ids), -1, dtype=np.int64)
    for row, original in enumerate(originals):
        if not original:
            continue
        if original not in row_of:
            raise ValueError(f"idea {ids[row]}: duplicate_of {original!r} is not an idea id")
        positions[row] = row_of[original]
    for row in range(len(positions)):
        seen = {row}
        while positions[row] >= 0 and positions[positions[row]] >= 0:
            positions[row] = positions[positions[row]]
            if positions[row] in seen:
                raise ValueError(f"idea {ids[row]}: duplicate_of forms a cycle")
            seen.add(int(positions[row]))
    return positions


def cluster_mask(non_answer: Sequence[bool] | np.ndarray, duplicates: np.ndarray) -> np.ndarray:
    """Rows to cluster: answers that are not duplicates of a clustered idea.

    Args:
        non_answer: Whether each idea is a non-answer.
        duplicates: Row of each idea's original, -1 where none (:func:`duplicate_positions`).
    """
    non_answer = np.asarray(non_answer, dtype=bool)
    duplicates = np.asarray(duplicates, dtype=np.int64)
    answer = ~non_answer
    # A duplicate of a non-answer that is itself an answer has no clustered original to copy.
    has_original = duplicates >= 0
    original_clustered = np.zeros_like(answer)
    original_clustered[has_original] = answer[duplicates[has_original]]
    return answer & ~original_clustered


def idea_weights(mask: np.ndarray, duplicates: np.ndarray) -> np.ndarray:
    """1 + number of duplicates of each clustered idea (0 for rows not clustered)."""
    mask = np.asarray(mask, dtype=bool)
    duplicates = np.asarray(duplicates, dtype=np.int64)
    weights = mask.astype(np.float64)
    inherit = ~mask & (duplicates >= 0)
    inherit &= mask[np.where(duplicates >= 0, duplicates, 0)]
    np.add.at(weights, duplicates[inherit], 1.0)
    return weights


def distinct_ideas(ideas: pd.DataFrame) -> int:
    """How many ideas are clustered: answers that duplicate no earlier idea."""
    duplicates = duplicate_positions(ideas["idea_id"], ideas["duplicate_of"])
    return int((~ideas["non_answer"].to_numpy(dtype=bool) & (duplicates < 0)).sum())
