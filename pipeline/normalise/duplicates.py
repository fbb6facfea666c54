"""Exact and near duplicates: each repeat points at the first item of its group."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse


def _trigram_matrix(keys: Sequence[str]) -> sparse.csr_matrix:
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, key in enumerate(keys):
        padded = f"  {key} "
        grams = {padded[j : j + 3] for j in range(len(padded) - 2)}
        for gram in grams:
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
            rows.append(i)
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(keys), max(1, len(vocabulary))))
    norms = np.sqrt(np.asarray(matrix.sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def find_duplicates(
    exact_keys: Sequence[str],
    fuzzy_keys: Sequence[str],
    *,
    threshold: float,
    skip: Sequence[bool] | None = None,
    chunk: int = 2000,
) -> tuple[list[int | None], list[str | None]]:
    """Find exact and near duplicates; each points at the first item of its group.

    Args:
        exact_keys: Keys that are equal for exact duplicates (e.g. case-folded text).
        fuzzy_keys: Keys compared by character-trigram cosine for near duplicates
            (lexical similarity of short strings, so a fixed threshold is meaningful here).
        threshold: Minimum trigram cosine for a near duplicate.
        skip: Items never marked nor used as originals (non-answers).
        chunk: Rows compared at once (bounds memory on large corpora).

    Returns:
        ``(duplicate_of, kind)``: per item the position of the first item it repeats (or None)
        and "exact"/"near"/None.
    """
    n = len(exact_keys)
    skip = list(skip) if skip is not None else [False] * n
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first_seen: dict[str, int] = {}
    exact_of: list[int | None] = [None] * n
    for i, key in enumerate(exact_keys):
        if skip[i] or not key:
            continue
        if key in first_seen:
            exact_of[i] = first_seen[key]
            union(first_seen[key], i)
        else:
            first_seen[key] = i

    candidates = [i for i in range(n) if not skip[i] and fuzzy_keys[i] and exact_of[i] is None]
    if len(candidates) > 1:
        matrix = _trigram_matrix([fuzzy_keys[i] for i in candidates])
        for start in range(0, len(candidates), chunk):
            block = matrix[start : start + chunk] @ matrix.T
            block = block.tocoo()
            for r, c, v in zip(block.row, block.col, block.data, strict=True):
                if v >= threshold and start + r > c:
                    union(candidates[start + r], candidates[c])

    duplicate_of: list[int | None] = [None] * n
    kinds: list[str | None] = [None] * n
    for i in range(n):
        if skip[i]:
            continue
        root = find(i)
        if root != i:
            duplicate_of[i] = root
            kinds[i] = "exact" if exact_keys[i] == exact_keys[root] else "near"
    return duplicate_of, kinds
