"""HDBSCAN's size arguments from the number of ideas clustered.

A theme has to hold enough ideas to be a theme, and how many that is grows with the corpus:
with a fixed ``min_cluster_size`` a 100,000-idea consultation splits into thousands of
sub-themes, and a 60-idea workshop finds none. ``"auto"`` sets it to
``max(5, round(0.3 * sqrt(n)))`` for ``n`` distinct ideas: 8 for the ~650 of the bundled
sample (the value tuned on it by hand), 8 for SIB-200's 800 sentences, 31 for 10,000 ideas,
95 for 100,000 and 5 (the floor) below ~350. The square root keeps the number of themes
that can form growing with the corpus, but slower than it. ``docs/bench_sizes.md`` gives the
themes and outliers this rule finds on subsamples from 50 ideas up.

``max_cluster_share`` keeps HDBSCAN's excess-of-mass selection from taking one large, loose
group as a theme: on SIB-200 Latvian (sentences on topics the taxonomy lacks) the ideas that
name no seed word formed one cluster of 72% of the corpus; capped at 20% (HDBSCAN's
``max_cluster_size``), that group is split into its own sub-clusters, and the bundled sample,
whose largest theme holds 14%, is unchanged. In a corpus of a few dozen ideas one theme may
rightly hold a third or half of them (a 50-answer question that is mostly about the road), so
the cap is never below :data:`MIN_CAP` ideas: on 50 ideas of the bench corpus a 20% cap (10
ideas) left 89.6% of them outliers, a cap of 25 left 18.8% (3 themes); from 125 ideas up the
cap is the share alone, so SIB-200 (800 and 2,400 sentences) and the sample do not change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

AUTO = "auto"
FLOOR = 5
SCALE = 0.3
MIN_CAP = 25


def min_cluster_size(value: int | str, n_ideas: int) -> int:
    """The ``min_cluster_size`` for ``n_ideas`` distinct ideas: ``value``, or the rule if "auto".

    Raises:
        ValueError: ``value`` is neither a positive integer nor ``"auto"``.
    """
    if isinstance(value, str):
        if value.strip().lower() != AUTO:
            raise ValueError(f"cluster.min_cluster_size must be a number or 'auto', got {value!r}")
        return max(FLOOR, round(SCALE * math.sqrt(max(0, n_ideas))))
    if isinstance(value, bool) or int(value) != value or value < 2:
        raise ValueError(f"cluster.min_cluster_size must be an integer >= 2, got {value!r}")
    return int(value)


def max_cluster_size(share: float, n_ideas: int, min_size: int) -> int:
    """HDBSCAN's ``max_cluster_size`` for a share of ``n_ideas`` (0: no cap, HDBSCAN's 0).

    The cap never goes below :data:`MIN_CAP` ideas or twice ``min_size``: a cap that small
    would leave most of a small corpus without a theme.
    """
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"cluster.max_cluster_share must be between 0 and 1, got {share!r}")
    if share in (0.0, 1.0):
        return 0
    return max(2 * min_size, MIN_CAP, int(share * n_ideas))


def hdbscan_arguments(params: Mapping[str, Any], n_ideas: int) -> dict[str, Any]:
    """``hdbscan.HDBSCAN`` arguments for ``n_ideas`` from the ``cluster`` section's values."""
    arguments = dict(params)
    size = min_cluster_size(arguments.get("min_cluster_size", AUTO), n_ideas)
    share = float(arguments.pop("max_cluster_share", 0.0))
    arguments.pop("merge_similarity", None)  # Balsis' own step after HDBSCAN
    arguments["min_cluster_size"] = size
    arguments["max_cluster_size"] = max_cluster_size(share, n_ideas, size)
    return arguments
