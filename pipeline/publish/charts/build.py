"""Every chart of a run: the 2-D map coordinates, the figures, and their PNG and SVG files."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.errors import BalsisError
from pipeline.io.files import atomic_path
from pipeline.params import ReportParams
from pipeline.publish.charts.heatmaps import heatmap
from pipeline.publish.charts.idea_map import document_map
from pipeline.publish.charts.inputs import chart_text
from pipeline.publish.charts.keywords import keyword_chart
from pipeline.publish.charts.names import FIGURE_NAMES
from pipeline.publish.charts.priorities import priority_chart
from pipeline.publish.charts.style import PNG_DPI, chart_style, no_data_figure
from pipeline.publish.charts.svid_matrix import swot_matrix
from pipeline.publish.charts.votes import votes_chart
from pipeline.publish.tables import with_swot
from pipeline.summary.counting import data_dimensions

log = logging.getLogger(__name__)


def project_2d(reduced: np.ndarray, random_state: int) -> np.ndarray:
    """2-D coordinates of the ideas for the map, from their reduced (e.g. 10-D) coordinates.

    UMAP with ``n_neighbors=15, min_dist=0.1`` (spread out enough to see the groups); with
    fewer than 20 rows, PCA. Rows with NaN (ideas that were not clustered, such as
    non-answers) stay NaN. Equal rows (duplicates) are projected once; above
    :data:`MAP_FIT_SAMPLE` distinct rows UMAP is fitted on a sample of them and every other row
    is placed at the mean position of its :data:`MAP_NEIGHBOURS` nearest sampled rows (a
    picture needs no more, and a large corpus' map then takes seconds, not minutes).

    Args:
        reduced: One row per idea.
        random_state: Seed; the same seed gives the same map.

    Returns:
        float32 array of shape ``(len(reduced), 2)``.
    """
    data = np.asarray(reduced, dtype=np.float64)
    if data.ndim != 2:
        raise BalsisError(f"project_2d needs a 2-D array (ideas x dimensions), not {data.shape}")
    coords = np.full((len(data), 2), np.nan, dtype=np.float32)
    if data.shape[1] == 0:  # too few ideas were clustered to have coordinates at all
        return coords
    finite = np.isfinite(data).all(axis=1)
    if not finite.any():
        return coords
    rows, inverse = np.unique(data[finite], axis=0, return_inverse=True)
    coords[finite] = _project_distinct(rows, random_state)[inverse.ravel()]
    return coords


MAP_FIT_SAMPLE = 5000  # distinct rows the map's UMAP is fitted on at most
MAP_NEIGHBOURS = 3  # the other rows sit at the mean of this many nearest fitted rows


def _project_distinct(rows: np.ndarray, random_state: int) -> np.ndarray:
    """2-D coordinates (float32) of distinct ``rows``, as :func:`project_2d` describes."""
    if len(rows) > MAP_FIT_SAMPLE:
        from sklearn.neighbors import NearestNeighbors

        rng = np.random.default_rng(random_state)
        sample = np.sort(rng.choice(len(rows), size=MAP_FIT_SAMPLE, replace=False))
        fitted = _project_distinct(rows[sample], random_state)
        _, nearest = NearestNeighbors(n_neighbors=MAP_NEIGHBOURS).fit(rows[sample]).kneighbors(rows)
        projected = fitted[nearest].mean(axis=1)
        projected[sample] = fitted
        return projected.astype(np.float32)
    # sklearn and umap are imported only here: they are slow to import and most runs of the
    # charts need just one of them.
    if len(rows) < 20 or rows.shape[1] <= 2:
        from sklearn.decomposition import PCA

        n_components = min(2, len(rows), rows.shape[1])
        projected = np.zeros((len(rows), 2))
        if len(rows) > 1:
            pca = PCA(n_components=n_components, random_state=random_state)
            projected[:, :n_components] = pca.fit_transform(rows)
    else:
        import umap

        reducer = umap.UMAP(
            n_components=2,
            n_neighbors=min(15, len(rows) - 1),
            min_dist=0.1,
            random_state=random_state,
            n_jobs=1,
        )
        projected = reducer.fit_transform(rows)
    return np.asarray(projected, dtype=np.float32)


def build_figures(
    ideas: pd.DataFrame,
    themes: pd.DataFrame,
    priorities: pd.DataFrame,
    theme_swot: pd.DataFrame | None,
    coords_2d: np.ndarray | None,
    report: ReportParams,
) -> dict[str, Figure]:
    """Every chart of a run, by the name it is saved under.

    The charts come in the order of :data:`pipeline.publish.charts.names.FIGURE_NAMES`; the
    heatmaps by territory and by group and the votes chart only when the data has territories,
    groups or votes (:func:`pipeline.summary.counting.data_dimensions`).

    Args:
        ideas: Reviewed ideas.
        themes: Reviewed themes.
        priorities: Priorities per theme.
        theme_swot: Quadrant split per theme (``theme`` as column or index).
        coords_2d: 2-D map coordinates aligned with ``ideas`` (:func:`project_2d`); ``None``
            gives a map that says there is no data.
        report: The ``report`` section (``lang``, ``n_chart_keywords`` and ``redact``).
    """
    lang, redact = report.lang, report.redact
    themes_swot = with_swot(themes, theme_swot)
    # charts of territories, groups or votes only where the data has them
    dims = data_dimensions(ideas)
    figures: dict[str, Figure] = {
        "keywords": keyword_chart(ideas, themes, report.n_chart_keywords, lang, redact=redact),
        "priorities": priority_chart(priorities, themes, lang, redact=redact),
        "svid_matrix": swot_matrix(themes_swot, lang, redact=redact),
    }
    for by in ("territory", "group"):
        if by in dims:
            figures[f"heatmap_{by}"] = heatmap(ideas, by, lang, themes=themes, redact=redact)
    if coords_2d is None:
        t = chart_text(lang)
        with chart_style():
            figures["document_map"] = no_data_figure(t["map_title"], t["no_data"])
    else:
        figures["document_map"] = document_map(coords_2d, ideas, themes, lang, redact=redact)
    if "votes" in dims:
        figures["votes"] = votes_chart(themes, lang, redact=redact)
    return {name: figures[name] for name in FIGURE_NAMES if name in figures}


def save_figures(figures: Mapping[str, Figure], out_dir: str | Path) -> list[Path]:
    """Write each figure as ``<name>.png`` (150 dpi) and ``<name>.svg``, then close it.

    Each file is written to a temporary name and renamed, so a failure leaves no half-written
    chart.

    Returns:
        The paths written, PNG then SVG per figure.
    """
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with chart_style():
        for name, figure in figures.items():
            for extension in ("png", "svg"):
                target = directory / f"{name}.{extension}"
                with atomic_path(target) as tmp:
                    figure.savefig(
                        tmp, format=extension, dpi=PNG_DPI, metadata=_metadata(extension)
                    )
                written.append(target)
            _close(figure)
    log.info("wrote %d charts to %s", len(figures), directory)
    return written


def _metadata(extension: str) -> dict[str, Any]:
    # No creation date: an unchanged chart stays an unchanged file.
    return {"Date": None} if extension == "svg" else {"Software": None}


def _close(figure: Figure) -> None:
    # Figures made here are not registered with pyplot; one a caller made with pyplot is.
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(figure)
    figure.clear()
