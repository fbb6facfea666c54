"""Reading the ideas table (see :mod:`pipeline.normalise`) for clustering and naming."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd


def require_columns(ideas: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise ValueError naming the ``columns`` the ideas table lacks."""
    missing = [column for column in columns if column not in ideas.columns]
    if missing:
        raise ValueError(f"ideas table lacks column(s) {', '.join(missing)}")


def labels_array(labels: Sequence[int] | np.ndarray, n: int) -> np.ndarray:
    """Cluster labels as int64, checked to be one per idea."""
    array = np.asarray(labels)
    if array.shape != (n,):
        raise ValueError(f"expected {n} cluster labels, got an array of shape {array.shape}")
    return array.astype(np.int64)


def non_answer_mask(ideas: pd.DataFrame) -> np.ndarray:
    """Whether each idea is a non-answer (none are without a ``non_answer`` column)."""
    if "non_answer" not in ideas.columns:
        return np.zeros(len(ideas), dtype=bool)
    return ideas["non_answer"].fillna(False).to_numpy(dtype=bool)


def text_weights(ideas: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
    """1.0 for the first copy of each text within its cluster, 0.0 for further copies."""
    if "duplicate_of" in ideas.columns:
        group = ideas["duplicate_of"].astype("string").fillna(ideas["idea_id"].astype("string"))
    else:
        group = ideas["idea_id"].astype("string")
    keys = pd.DataFrame({"label": labels, "group": group.to_numpy()})
    return (~keys.duplicated()).to_numpy(dtype=np.float64)


def cell_words(value: object) -> list[str]:
    """A list cell of the ideas table (a list, an array from Parquet, or missing) as strings."""
    if value is None or isinstance(value, float | str):
        return []
    return [str(w) for w in value]  # type: ignore[attr-defined]


def as_strings(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """An object array of ``str`` (pandas' Arrow strings do not index like NumPy arrays)."""
    return np.array(["" if v is None or pd.isna(v) else str(v) for v in values], dtype=object)
