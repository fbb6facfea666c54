"""Exact and near duplicates: each repeat points at the first item of its group."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components


def _trigram_matrix(keys: Sequence[str]) -> sparse.csr_matrix:
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, key in enumerate(keys):
        padded = f"  {key} "
        # in order of appearance, not a set's order: trigram ids (and so the MinHash values)
        # must not depend on the process's string hash seed
        grams = dict.fromkeys(padded[j : j + 3] for j in range(len(padded) - 2))
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
    seed: int = 0,
) -> tuple[list[int | None], list[str | None]]:
    """Find exact and near duplicates; each points at the first item of its group.

    Near duplicates are found without comparing every pair (which grows with the square of the
    corpus, hours at 100,000 ideas): MinHash signatures of the keys' trigram sets put similar
    keys into the same buckets (locality-sensitive hashing: :data:`N_HASHES` values in bands of
    :func:`band_rows`), and only keys that share a bucket are compared, by their exact trigram
    cosine. The bands follow the threshold: a pair at it (trigram Jaccard >= threshold², the
    least a cosine allows) shares a bucket with probability >= 99.9% (at 0.85: 25 bands of 4,
    >= 99.96%); groups are joined transitively, so a missed pair rarely splits a group.

    Args:
        exact_keys: Keys that are equal for exact duplicates (e.g. case-folded text).
        fuzzy_keys: Keys compared by character-trigram cosine for near duplicates
            (lexical similarity of short strings, so a fixed threshold is meaningful here).
        threshold: Minimum trigram cosine for a near duplicate, in (0, 1].
        skip: Items never marked nor used as originals (non-answers).
        seed: Seed of the MinHash functions (the result is deterministic for a seed).

    Returns:
        ``(duplicate_of, kind)``: per item the position of the first item it repeats (or None)
        and "exact"/"near"/None.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
    n = len(exact_keys)
    skip = list(skip) if skip is not None else [False] * n
    sources: list[np.ndarray] = []
    targets: list[np.ndarray] = []

    first_seen: dict[str, int] = {}
    exact_of: list[int | None] = [None] * n
    for i, key in enumerate(exact_keys):
        if skip[i] or not key:
            continue
        if key in first_seen:
            exact_of[i] = first_seen[key]
        else:
            first_seen[key] = i
    exact_rows = np.array([i for i in range(n) if exact_of[i] is not None], dtype=np.int64)
    sources.append(exact_rows)
    targets.append(np.array([exact_of[i] for i in exact_rows], dtype=np.int64))

    candidates = np.array(
        [i for i in range(n) if not skip[i] and fuzzy_keys[i] and exact_of[i] is None],
        dtype=np.int64,
    )
    if len(candidates) > 1:
        a, b = _near_pairs([fuzzy_keys[i] for i in candidates], threshold, seed)
        sources.append(candidates[a])
        targets.append(candidates[b])

    rows, cols = np.concatenate(sources), np.concatenate(targets)
    graph = sparse.coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    first = np.full(labels.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n))  # each group's first item is its original
    duplicate_of: list[int | None] = [None] * n
    kinds: list[str | None] = [None] * n
    for i in range(n):
        root = int(first[labels[i]])
        if skip[i] or root == i:
            continue
        duplicate_of[i] = root
        kinds[i] = "exact" if exact_keys[i] == exact_keys[root] else "near"
    return duplicate_of, kinds


N_HASHES = 100  # MinHash values per key, cut into bands of band_rows(threshold) values
MAX_MISS = 1e-3  # a pair at the threshold shares no bucket with at most this probability


def band_rows(threshold: float) -> int:
    """MinHash values per LSH band: the most (fewest candidate pairs) that keep a pair at
    ``threshold`` from sharing no band with probability at most :data:`MAX_MISS`.

    Two keys share a band of ``r`` values with probability ``J**r`` (``J``: the Jaccard
    similarity of their trigram sets), so no band of ``N_HASHES // r`` with ``(1 - J**r) **
    (N_HASHES // r)``. A trigram cosine ``c`` allows a Jaccard as low as ``c**2`` (one set
    inside the other). 0.85: 4 values per band; 0.6: 2; 0.95: 8.
    """
    jaccard = threshold**2
    rows = 1
    for r in range(2, N_HASHES + 1):
        if (1.0 - jaccard**r) ** (N_HASHES // r) > MAX_MISS:
            break
        rows = r
    return rows


WINDOW = 8  # in a large bucket, each key is compared with the next WINDOW keys only
_PRIME = 2_147_483_647  # 2^31 - 1


def _near_pairs(
    keys: Sequence[str], threshold: float, seed: int, pair_batch: int = 500_000
) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(a, b)``, ``a > b``, of key pairs whose trigram cosine is >= threshold."""
    matrix = _trigram_matrix(keys).tocsr()
    n = matrix.shape[0]
    rows = band_rows(threshold)
    signatures = _minhash(matrix, N_HASHES, seed)
    codes = []
    for band in range(N_HASHES // rows):
        columns = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
        bucket = np.zeros(n, dtype=np.uint64)
        for column in columns.T:  # a 64-bit mix of the band's values; collisions only add pairs
            bucket = bucket * np.uint64(0x9E3779B97F4A7C15) + column
        shuffle = signatures[:, (band * rows + rows) % signatures.shape[1]]
        order = np.lexsort((shuffle, bucket))
        sorted_buckets = bucket[order]
        for step in range(1, WINDOW + 1):  # each key with the next WINDOW keys of its bucket
            same = sorted_buckets[step:] == sorted_buckets[:-step]
            a, b = order[step:][same], order[:-step][same]
            codes.append(np.maximum(a, b).astype(np.int64) * n + np.minimum(a, b))
    pairs = np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    found_a: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    found_b: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for lo in range(0, len(pairs), pair_batch):
        a, b = np.divmod(pairs[lo : lo + pair_batch], n)
        cosine = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
        close = cosine >= threshold - 1e-6
        found_a.append(a[close])
        found_b.append(b[close])
    return np.concatenate(found_a), np.concatenate(found_b)


def _minhash(matrix: sparse.csr_matrix, n_hashes: int, seed: int) -> np.ndarray:
    """MinHash signature of each row's trigram set, shape (rows, n_hashes): per hash function
    ``(a * trigram + b) mod p``, the row's smallest value."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, _PRIME, n_hashes, dtype=np.int64)
    b = rng.integers(0, _PRIME, n_hashes, dtype=np.int64)
    features = matrix.indices.astype(np.int64)
    starts = matrix.indptr[:-1]
    signatures = np.empty((matrix.shape[0], n_hashes), dtype=np.int64)
    for k in range(n_hashes):
        signatures[:, k] = np.minimum.reduceat((a[k] * features + b[k]) % _PRIME, starts)
    return signatures
