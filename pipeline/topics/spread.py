"""The relative "close enough" rule shared by outlier reassignment and theme joining.

E5 cosines are compressed, so an absolute distance threshold means nothing. A point is close
enough to a group when it is no farther from the group's centre than a given quantile of the
group's own members are.
"""

from __future__ import annotations

import numpy as np


def spread_radii(distances: np.ndarray, labels: np.ndarray, quantile: float) -> np.ndarray:
    """Per group ``k``, the ``quantile`` of its members' distances to its centre.

    Args:
        distances: Distance of every point to every group centre, shape (n, groups).
        labels: Group of every point, 0..groups-1 (-1: none); every group has a member.
        quantile: 0..1; higher lets farther points join.
    """
    return np.array(
        [np.quantile(distances[labels == k, k], quantile) for k in range(distances.shape[1])],
        dtype=np.float64,
    )


def nearest_within(
    distances: np.ndarray, radii: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The nearest group of each point, whether the point is within its radius, how close.

    Returns:
        ``(nearest, close, closeness)``: the nearest group's index, True when the point is no
        farther from it than its radius, and closeness 1 at the centre falling to 0 at the
        radius (0 for a group of radius 0).
    """
    nearest = distances.argmin(axis=1)
    distance = distances[np.arange(len(distances)), nearest]
    radius = radii[nearest]
    close = distance <= radius
    closeness = np.where(radius > 0, 1.0 - distance / np.where(radius > 0, radius, 1.0), 0.0)
    return nearest, close, np.clip(closeness, 0.0, 1.0)
