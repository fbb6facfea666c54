"""Grouping ideas into themes with HDBSCAN, with relative outlier reassignment.

Only unique answers are clustered (:func:`pipeline.topics.duplicates.cluster_mask`): a
duplicate inherits its original's label and confidence and adds to its weight, so 30 copies of
one text count for 30 ideas in a theme's centroid but cannot form a theme of their own.

HDBSCAN leaves many E5 ideas as noise. A noise idea joins the theme with the nearest centroid
when it is no farther from it than most of that theme's own members (the ``outlier_quantile``
of their distances, times ``outlier_radius_scale``): a rule relative to each theme's spread,
since E5 cosines are compressed and an absolute threshold means nothing. Reassigned ideas get
a confidence below every HDBSCAN member's, so that anything ranking ideas by confidence sees
them last.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from pipeline.params import ClusterParams, OutlierParams
from pipeline.topics.duplicates import (
    cluster_mask,
    distinct_ideas,
    duplicate_positions,
    idea_weights,
)
from pipeline.topics.sizing import hdbscan_arguments
from pipeline.topics.small import min_ideas_to_cluster, too_few_to_cluster
from pipeline.topics.spread import nearest_within, spread_radii
from pipeline.topics.vectors import unit_rows

logger = logging.getLogger(__name__)

OUTLIER_SPACES = ("embedding", "reduced")


class ThemeClusterer(BaseEstimator):
    """HDBSCAN over the unique answers, then noise reassignment and duplicate propagation.

    Args:
        hdbscan_params: ``hdbscan.HDBSCAN`` constructor arguments (the ``cluster`` section):
            ``min_cluster_size`` may be ``"auto"`` and ``max_cluster_share`` replaces
            ``max_cluster_size`` (:func:`pipeline.topics.sizing.hdbscan_arguments`).
        reassign_outliers: Give noise ideas the nearest theme when close enough.
        outlier_quantile: "Close enough": within this quantile of the theme members' distances
            to their centroid (0..1; higher reassigns more).
        outlier_radius_scale: That quantile distance times this (> 0; above 1 reaches ideas a
            little farther out than the theme's own members).
        outlier_space: Where distances are measured: ``"embedding"`` (cosine in the centred
            embedding space) or ``"reduced"`` (Euclidean in the space HDBSCAN clustered).
        reassigned_confidence: Ceiling of a reassigned idea's confidence, as a fraction of the
            lowest confidence of any HDBSCAN member (0..1, exclusive of 1).

    ``hdbscan_params`` may hold ``merge_similarity`` (the ``cluster`` section's): clusters
    whose centroids are this similar are merged before the noise is reassigned
    (:func:`merge_close_clusters`; 0 or missing: never).
    """

    def __init__(
        self,
        hdbscan_params: Mapping[str, Any] | None = None,
        *,
        reassign_outliers: bool = True,
        outlier_quantile: float = 0.95,
        outlier_radius_scale: float = 1.0,
        outlier_space: str = "embedding",
        reassigned_confidence: float = 0.5,
    ) -> None:
        self.hdbscan_params = hdbscan_params
        self.reassign_outliers = reassign_outliers
        self.outlier_quantile = outlier_quantile
        self.outlier_radius_scale = outlier_radius_scale
        self.outlier_space = outlier_space
        self.reassigned_confidence = reassigned_confidence

    def fit(
        self,
        reduced: np.ndarray,
        embeddings: np.ndarray | None = None,
        *,
        non_answer: np.ndarray | None = None,
        duplicates: np.ndarray | None = None,
        guidance: np.ndarray | None = None,
    ) -> ThemeClusterer:
        """Cluster the ideas.

        Args:
            reduced: Coordinates HDBSCAN clusters, one row per idea (e.g. UMAP output; rows
                not clustered are ignored and may be NaN).
            embeddings: Unit-length (centred) embeddings, one row per idea, for
                ``centroids_`` and embedding-space reassignment. None: ``reduced`` is the
                embedding space.
            non_answer: Non-answer flag per idea (never clustered); None: all are answers.
            duplicates: Row of each idea's original, -1 where none
                (:func:`pipeline.topics.duplicates.duplicate_positions`); None: no duplicates.
            guidance: Columns appended to the unit embeddings when clusters are compared for
                merging, one row per idea (the seed-word rows of
                :class:`~pipeline.topics.guidance.TaxonomyGuidance`); None: the embeddings alone.

        Fitted attributes (one entry per idea): ``labels_`` (-1: outlier or non-answer),
        ``confidence_`` (0..1), ``outlier_``, ``reassigned_``; per theme: ``centroids_``
        (unit length, embedding space, weighted by duplicates), ``radii_`` (reassignment
        distance), ``sizes_`` (weighted number of ideas, reassigned included); and
        ``hdbscan_arguments_``, the HDBSCAN arguments used (sizes resolved for this corpus).
        """
        import hdbscan  # heavy import (numba): only when clustering

        if self.outlier_space not in OUTLIER_SPACES:
            raise ValueError(
                f"outlier_space must be one of {OUTLIER_SPACES}, got {self.outlier_space!r}"
            )
        if not 0.0 < self.reassigned_confidence < 1.0:
            raise ValueError("reassigned_confidence must be between 0 and 1 (exclusive)")
        if not self.outlier_radius_scale > 0.0:
            raise ValueError("outlier_radius_scale must be above 0")
        reduced = np.asarray(reduced, dtype=np.float64)
        n = len(reduced)
        embeddings = reduced if embeddings is None else np.asarray(embeddings, dtype=np.float64)
        if len(embeddings) != n:
            raise ValueError(f"{n} reduced rows but {len(embeddings)} embedding rows")
        non_answer = np.zeros(n, bool) if non_answer is None else np.asarray(non_answer, bool)
        duplicates = (
            np.full(n, -1, np.int64) if duplicates is None else np.asarray(duplicates, np.int64)
        )
        mask = cluster_mask(non_answer, duplicates)
        rows = np.flatnonzero(mask)
        weights = idea_weights(mask, duplicates)[rows]
        points = reduced[rows]
        if not np.isfinite(points).all():
            raise ValueError("reduced coordinates of ideas to cluster contain NaN or inf")

        params = hdbscan_arguments(self.hdbscan_params or {}, len(rows))
        self.hdbscan_arguments_ = params
        logger.info(
            "HDBSCAN on %d ideas: min_cluster_size %d, max_cluster_size %s",
            len(rows),
            params["min_cluster_size"],
            params["max_cluster_size"] or "none",
        )
        if len(rows) < max(2, params["min_cluster_size"]):
            logger.warning("only %d ideas to cluster: every one is an outlier", len(rows))
            raw = np.full(len(rows), -1, dtype=np.int64)
            probabilities = np.zeros(len(rows))
            self.hdbscan_ = None
        else:
            self.hdbscan_ = hdbscan.HDBSCAN(**params).fit(points)
            raw = np.asarray(self.hdbscan_.labels_, dtype=np.int64)
            probabilities = np.asarray(self.hdbscan_.probabilities_, dtype=np.float64)
        labels = _relabel_by_size(raw, weights)
        unit = unit_rows(embeddings[rows])
        merge = float((self.hdbscan_params or {}).get("merge_similarity") or 0.0)
        if merge > 0 and labels.max() > 0:
            space = unit if guidance is None else np.hstack([unit, np.asarray(guidance)[rows]])
            cap = params["max_cluster_size"] or float("inf")
            labels = _relabel_by_size(
                merge_close_clusters(space, labels, weights, merge, cap), weights
            )
        n_clusters = int(labels.max()) + 1
        members = labels >= 0

        self.centroids_ = _centroids(unit, labels, weights, n_clusters).astype(np.float32)
        if self.outlier_space == "embedding":
            space, centres = unit, self.centroids_.astype(np.float64)
        else:
            space, centres = points, _centroids(points, labels, weights, n_clusters, unit=False)
        distances = _distances(space, centres, cosine=self.outlier_space == "embedding")
        self.radii_ = self.outlier_radius_scale * spread_radii(
            distances, labels, self.outlier_quantile
        )

        confidence = np.where(members, np.clip(probabilities, 0.0, 1.0), 0.0)
        reassigned = np.zeros(len(rows), dtype=bool)
        if self.reassign_outliers and n_clusters and (~members).any():
            noise = np.flatnonzero(~members)
            nearest, close, closeness = nearest_within(distances[noise], self.radii_)
            floor = self.reassigned_confidence * float(confidence[members].min())
            labels[noise[close]] = nearest[close]
            confidence[noise[close]] = floor * closeness[close]
            reassigned[noise[close]] = True

        self.labels_ = np.full(n, -1, dtype=np.int64)
        self.confidence_ = np.zeros(n, dtype=np.float64)
        self.outlier_ = np.zeros(n, dtype=bool)
        self.reassigned_ = np.zeros(n, dtype=bool)
        self.labels_[rows] = labels
        self.confidence_[rows] = confidence
        self.outlier_[rows] = labels < 0
        self.reassigned_[rows] = reassigned
        inherit = ~mask & (duplicates >= 0)
        inherit &= mask[np.where(duplicates >= 0, duplicates, 0)]
        for attribute in (self.labels_, self.confidence_, self.outlier_, self.reassigned_):
            attribute[inherit] = attribute[duplicates[inherit]]

        self.n_clusters_ = n_clusters
        self.sizes_ = np.bincount(
            labels[labels >= 0], weights=weights[labels >= 0], minlength=n_clusters
        )
        answers = int((~non_answer).sum())
        logger.info(
            "%d themes; %d of %d answers outliers (%.1f%%), %d reassigned",
            n_clusters,
            int(self.outlier_.sum()),
            answers,
            100.0 * self.outlier_.sum() / max(1, answers),
            int(self.reassigned_.sum()),
        )
        return self

    def fit_predict(
        self,
        reduced: np.ndarray,
        embeddings: np.ndarray | None = None,
        *,
        non_answer: np.ndarray | None = None,
        duplicates: np.ndarray | None = None,
        guidance: np.ndarray | None = None,
    ) -> np.ndarray:
        """:meth:`fit` and return ``labels_``."""
        return self.fit(
            reduced, embeddings, non_answer=non_answer, duplicates=duplicates, guidance=guidance
        ).labels_


def merge_close_clusters(
    points: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    min_similarity: float,
    max_size: float = float("inf"),
) -> np.ndarray:
    """Merge clusters whose centroids are at least ``min_similarity`` alike (cosine), the
    closest pair first, while the merged cluster stays within ``max_size`` (weighted ideas).

    HDBSCAN splits a broad topic into several dense clusters; in the centred embedding space
    their centroids stay close. With the seed-word rows appended (``points``), clusters that
    speak different taxonomy themes stay apart. 0.4 was chosen on SIB-200 Latvian and checked
    on Russian, Latgalian and the bundled sample (``make bench-real``, ``dvc repro``): SIB-200
    cluster ARI lv 0.330 -> 0.374 (NMI 0.470 -> 0.481; 0.35 gave 0.396, 0.45 0.344), ru
    0.224 -> 0.323, ltg 0.119 -> 0.141, the three together 0.145 -> 0.259; sample theme names
    unchanged (84.5%), cluster ARI 0.641 -> 0.656. Merged on the embeddings alone (no seed
    rows), the sample's theme names fell to 83.9%.

    Args:
        points: One row per idea (unit embeddings, optionally with extra columns).
        labels: Cluster per idea (-1: noise, left alone).
        weights: Weight per idea (duplicates).
        min_similarity: Cosine of two centroids from which they merge.
        max_size: Largest weighted size a merged cluster may reach.

    Returns:
        The labels with every merged cluster under the label of its first part.
    """
    labels = np.asarray(labels, dtype=np.int64).copy()
    found = np.unique(labels[labels >= 0])
    if len(found) < 2:
        return labels
    members = [labels == k for k in found]
    sums = np.stack([(points[m] * weights[m, None]).sum(axis=0) for m in members])
    sizes = np.array([weights[m].sum() for m in members], dtype=np.float64)
    alive = np.ones(len(found), dtype=bool)
    target = np.arange(len(found))

    def similarities() -> np.ndarray:
        centres = unit_rows(sums)
        similarity = centres @ centres.T
        np.fill_diagonal(similarity, -np.inf)
        fits = sizes[:, None] + sizes[None, :] <= max_size
        similarity[~fits | ~alive[:, None] | ~alive[None, :]] = -np.inf
        return similarity

    similarity = similarities()
    while True:
        i, j = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        if similarity[i, j] < min_similarity:
            break
        i, j = min(i, j), max(i, j)
        sums[i] += sums[j]
        sizes[i] += sizes[j]
        alive[j] = False
        target[target == j] = i
        similarity = similarities()
    mapping = {int(k): int(found[target[n]]) for n, k in enumerate(found)}
    merged = int((~alive).sum())
    if merged:
        logger.info("%d clusters merged into others (cosine >= %s)", merged, min_similarity)
    return np.array([mapping.get(int(k), -1) for k in labels], dtype=np.int64)


def make_clusterer(cluster: ClusterParams, outliers: OutlierParams) -> ThemeClusterer:
    """A :class:`ThemeClusterer` from the ``cluster`` (HDBSCAN) and ``outliers`` sections."""
    return ThemeClusterer(
        dataclasses.asdict(cluster),
        reassign_outliers=outliers.reassign,
        outlier_quantile=outliers.quantile,
        outlier_radius_scale=outliers.radius_scale,
        outlier_space=outliers.space,
    )


def cluster_reduced(
    ideas: pd.DataFrame,
    centred: np.ndarray,
    reduced: np.ndarray,
    cluster: ClusterParams,
    outliers: OutlierParams,
    guidance: np.ndarray | None = None,
) -> ThemeClusterer:
    """HDBSCAN on reduced coordinates, with outliers reassigned in the centred space.

    Args:
        ideas: The ideas table (``idea_id``, ``non_answer``, ``duplicate_of``).
        centred: Centred embeddings aligned with ``ideas`` (the reduce step's).
        reduced: UMAP coordinates aligned with ``ideas``.
        cluster: The ``cluster`` (HDBSCAN) section.
        outliers: The ``outliers`` section.
        guidance: Seed-word rows aligned with ``ideas``, for merging clusters
            (:meth:`ThemeClusterer.fit`).
    """
    clusterer = make_clusterer(cluster, outliers)
    return clusterer.fit(
        reduced,
        centred,
        non_answer=ideas["non_answer"].to_numpy(dtype=bool),
        duplicates=duplicate_positions(ideas["idea_id"], ideas["duplicate_of"]),
        guidance=guidance,
    )


def assignments(idea_ids: Sequence[str], clusterer: ThemeClusterer) -> pd.DataFrame:
    """The fitted per-idea outputs as a table, one row per idea.

    Columns: ``idea_id``, ``cluster`` (-1: none), ``confidence``, ``outlier``, ``reassigned``,
    ``clustered`` (True: the corpus was clustered, see :func:`unclustered`).
    """
    if len(idea_ids) != len(clusterer.labels_):
        raise ValueError(f"{len(idea_ids)} idea ids but {len(clusterer.labels_)} fitted ideas")
    return pd.DataFrame(
        {
            "idea_id": pd.Series(list(idea_ids), dtype="string"),
            "cluster": clusterer.labels_.astype(np.int64),
            "confidence": clusterer.confidence_.astype(np.float64),
            "outlier": clusterer.outlier_.astype(bool),
            "reassigned": clusterer.reassigned_.astype(bool),
            "clustered": np.ones(len(idea_ids), dtype=bool),
        }
    )


def _relabel_by_size(labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Renumber clusters 0.. by decreasing weighted size (ties: HDBSCAN's order)."""
    found = np.unique(labels[labels >= 0])
    sizes = np.array([weights[labels == k].sum() for k in found])
    order = found[np.lexsort((found, -sizes))]
    mapping = {int(old): new for new, old in enumerate(order)}
    return np.array([mapping.get(int(k), -1) for k in labels], dtype=np.int64)


def _centroids(
    points: np.ndarray, labels: np.ndarray, weights: np.ndarray, n_clusters: int, unit: bool = True
) -> np.ndarray:
    centroids = np.zeros((n_clusters, points.shape[1]), dtype=np.float64)
    for k in range(n_clusters):
        members = labels == k
        centroids[k] = np.average(points[members], axis=0, weights=weights[members])
    return unit_rows(centroids) if unit else centroids


def _distances(points: np.ndarray, centres: np.ndarray, *, cosine: bool) -> np.ndarray:
    """Distance of every point to every centre: cosine distance or Euclidean."""
    if len(centres) == 0:
        return np.zeros((len(points), 0))
    if cosine:
        return 1.0 - points @ centres.T
    squared = (points**2).sum(1)[:, None] - 2 * points @ centres.T + (centres**2).sum(1)[None]
    return np.sqrt(np.clip(squared, 0.0, None))


def cluster_corpus(
    ideas: pd.DataFrame,
    centred: np.ndarray,
    reduced: np.ndarray,
    *,
    cluster: ClusterParams,
    outliers: OutlierParams,
    guidance: np.ndarray | None = None,
) -> tuple[ThemeClusterer | None, pd.DataFrame]:
    """HDBSCAN on the reduced ideas; ``(None, every idea unclustered)`` when there are fewer
    than ``2 * min_cluster_size`` distinct ideas (:mod:`pipeline.topics.small`) or no UMAP
    coordinates. ``guidance``: the seed-word rows, for merging clusters (None: embeddings alone).

    Returns:
        The fitted clusterer and the per-idea table (``idea_id``, ``cluster``, ``confidence``,
        ``outlier``, ``reassigned``, ``clustered``).
    """
    n_unique = distinct_ideas(ideas)
    if reduced.shape[1] == 0 or too_few_to_cluster(ideas, cluster.min_cluster_size):
        logger.warning(
            "only %d distinct ideas: too few to find themes (at least %d are needed); not "
            "clustered: each idea gets a taxonomy theme on its own only where it clearly fits one",
            n_unique,
            min_ideas_to_cluster(cluster.min_cluster_size, n_unique),
        )
        return None, unclustered(ideas)
    clusterer = cluster_reduced(ideas, centred, reduced, cluster, outliers, guidance)
    return clusterer, assignments(ideas["idea_id"].tolist(), clusterer)


def unclustered(ideas: pd.DataFrame) -> pd.DataFrame:
    """The per-idea cluster table of a corpus too small to cluster: every answer an outlier of
    no cluster, ``clustered`` False (the themes step then names each idea on its own)."""
    n = len(ideas)
    return pd.DataFrame(
        {
            "idea_id": pd.Series(ideas["idea_id"].tolist(), dtype="string"),
            "cluster": np.full(n, -1, dtype=np.int64),
            "confidence": np.zeros(n),
            "outlier": ~ideas["non_answer"].to_numpy(dtype=bool),
            "reassigned": np.zeros(n, dtype=bool),
            "clustered": np.zeros(n, dtype=bool),
        }
    )
