"""The relative "close enough" rule."""

import numpy as np

from pipeline.topics.spread import nearest_within, spread_radii


def test_radii_are_quantiles_of_the_members_distances() -> None:
    distances = np.array([[0.1, 0.9], [0.3, 0.8], [0.9, 0.2], [0.7, 0.4], [0.5, 0.5]])
    labels = np.array([0, 0, 1, 1, -1])
    assert np.allclose(spread_radii(distances, labels, 1.0), [0.3, 0.4])
    assert np.allclose(spread_radii(distances, labels, 0.0), [0.1, 0.2])


def test_a_point_joins_the_nearest_group_only_within_its_radius() -> None:
    radii = np.array([0.4, 0.2, 0.0])
    distances = np.array(
        [
            [0.0, 0.9, 0.9],  # at the centre of group 0
            [0.2, 0.9, 0.9],  # half-way to group 0's radius
            [0.9, 0.3, 0.9],  # nearest to group 1 but beyond its radius
            [0.9, 0.9, 0.0],  # on a group of radius 0: joins, with closeness 0
        ]
    )
    nearest, close, closeness = nearest_within(distances, radii)
    assert list(nearest) == [0, 0, 1, 2]
    assert list(close) == [True, True, False, True]
    assert np.allclose(closeness[[0, 1, 3]], [1.0, 0.5, 0.0])
