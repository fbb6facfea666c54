"""Step ``charts``: every chart of a run, as matplotlib figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.params import ReportParams
from pipeline.publish.charts.build import build_figures, project_2d


def charts(
    table: pd.DataFrame,
    themes: pd.DataFrame,
    priorities: pd.DataFrame,
    theme_swot: pd.DataFrame,
    reduced: np.ndarray,
    params: ReportParams,
    seed: int,
) -> dict[str, Figure]:
    """The charts by name; the map of ideas is a 2-D projection of the UMAP coordinates.

    ``params`` is the ``report`` section (language, keywords per theme, redaction).
    """
    coords = project_2d(reduced, random_state=seed)
    return build_figures(table, themes, priorities, theme_swot, coords, params)
