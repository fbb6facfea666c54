"""The map of ideas: each idea a dot, coloured by theme, each theme named by its densest group."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import colormaps, patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from pipeline.errors import BalsisError
from pipeline.publish.charts.inputs import chart_text, require, theme_names
from pipeline.publish.charts.layout import place_labels, wrap
from pipeline.publish.charts.style import (
    FIGURE_WIDTH,
    OUTLIER_COLOUR,
    chart_style,
    new_figure,
    no_data_figure,
    titled,
)
from pipeline.summary.counting import flag, is_counted, theme_keys

# White outline around a theme's name, so it stays readable on top of dots.
_OUTLINE = [patheffects.withStroke(linewidth=3.0, foreground="white")]


def _palette(n: int) -> list[str]:
    """Distinct colours, strong ones first; no greys (grey means 'no theme')."""
    tab20 = [to_hex(c) for c in colormaps["tab20"].colors]  # type: ignore[attr-defined]
    colours = [c for i, c in enumerate(tab20[0::2]) if i != 7]
    colours += [c for i, c in enumerate(tab20[1::2]) if i != 7]
    extra = [to_hex(c) for c in colormaps["tab20b"].colors]  # type: ignore[attr-defined]
    colours += extra[0::2] + extra[1::2]
    return [colours[i % len(colours)] for i in range(n)]


def document_map(
    coords_2d: np.ndarray,
    ideas: pd.DataFrame,
    themes: pd.DataFrame,
    lang: str = "lv",
    *,
    redact: bool = True,
) -> Figure:
    """Ideas as dots in 2-D, coloured by theme, each theme named beside its densest group.

    Ideas without a theme (or HDBSCAN outliers no person moved) are small and grey; hidden
    ideas and non-answers are left out.

    Args:
        coords_2d: ``(len(ideas), 2)`` array, rows aligned with ``ideas``
            (:func:`pipeline.publish.charts.build.project_2d`).
        ideas: Reviewed ideas: ``theme``, ``hidden``, ``non_answer`` (``outlier``,
            ``theme_by_person`` when present).
        themes: ``theme``, ``name_lv``.
        lang: "lv" or "en".
        redact: Replace personal data in theme names.
    """
    t = chart_text(lang)
    require(ideas, ["theme", "hidden", "non_answer"], "ideas")
    coords = np.asarray(coords_2d, dtype=float)
    if coords.ndim != 2 or coords.shape != (len(ideas), 2):
        raise BalsisError(
            f"the map needs one pair of coordinates per idea: got an array of shape "
            f"{coords.shape} for {len(ideas)} ideas; the reduced coordinates must come from "
            "the same run as the ideas table"
        )
    names = theme_names(themes, lang, redact=redact)
    keys = theme_keys(ideas)
    outlier = flag(ideas, "outlier") & ~flag(ideas, "theme_by_person")
    keep = (is_counted(ideas) & np.isfinite(coords).all(axis=1)).to_numpy()
    grey = (~keys.isin(names) | outlier).to_numpy() & keep
    coloured = keep & ~grey
    sizes = keys[coloured].value_counts()
    order = [theme for theme in sizes.index if theme in names]
    with chart_style():
        if not keep.any():
            return no_data_figure(t["map_title"], t["no_data"])
        figure = new_figure(FIGURE_WIDTH, 8.0)
        ax = figure.add_subplot()
        # a large corpus' dots are drawn as an image in the SVG (its text stays vector)
        raster = bool(keep.sum() > RASTER_ABOVE)
        ax.scatter(
            coords[grey, 0],
            coords[grey, 1],
            s=9,
            color=OUTLIER_COLOUR,
            linewidths=0,
            label=t["map_outliers"],
            zorder=3,  # on top: an idea that fits no theme can sit inside a cluster
            rasterized=raster,
        )
        labels: list[Annotation] = []
        shown = coords[keep]
        radius = 0.05 * float(np.hypot(*np.ptp(shown, axis=0))) or 1.0
        for theme, colour in zip(order, _palette(len(order)), strict=True):
            points = coords[coloured & (keys == theme).to_numpy()]
            labels.append(_draw_theme(ax, points, colour, names[theme], radius, raster))
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color("#dddddd")
        legend = []
        if grey.any():
            legend = [ax.legend(loc="lower right", markerscale=2.0, frameon=True, framealpha=0.9)]
        ax.margins(0.06)
        titled(figure, t["map_title"], t["map_note"])
        place_labels(figure, ax, labels, obstacles=_some(shown), fixed=legend)
    return figure


RASTER_ABOVE = 5000  # dots on the map from which the SVG draws them as an image
MAX_OBSTACLES = 5000  # dots the theme names are kept off (a sample of them on larger maps)


def _some(points: np.ndarray) -> np.ndarray:
    """At most :data:`MAX_OBSTACLES` of ``points`` (every k-th), for placing the labels."""
    step = -(-len(points) // MAX_OBSTACLES)
    return points[::step]


def _draw_theme(
    ax: Axes, points: np.ndarray, colour: str, name: str, radius: float, raster: bool
) -> Annotation:
    """A theme's dots and its name at :func:`_label_anchor` (moved later by place_labels)."""
    ax.scatter(
        points[:, 0], points[:, 1], s=22, color=colour, linewidths=0, alpha=0.75, rasterized=raster
    )
    centre = _label_anchor(points, radius)
    label = ax.annotate(
        wrap(name, 22),
        xy=(centre[0], centre[1]),
        xytext=(0, 0),
        textcoords="offset points",
        ha="center",
        va="center",
        fontsize=9,
        weight="bold",
        color=_darker(colour),
        path_effects=_OUTLINE,
        arrowprops={
            "arrowstyle": "-",
            "color": "#666666",
            "lw": 0.6,
            "shrinkA": 0,
            "shrinkB": 0,
        },
    )
    label.set_in_layout(False)
    return label


def _label_anchor(points: np.ndarray, radius: float, limit: int = 800) -> np.ndarray:
    """Where a theme's name goes: the median of its densest group of dots.

    A theme can lie in several islands on the map; the median of all its dots could fall
    between them, on nothing.
    """
    if len(points) <= 2:
        return np.median(points, axis=0)
    sample = points[:: max(1, len(points) // limit)]
    distances = np.linalg.norm(sample[:, None, :] - sample[None, :, :], axis=2)
    densest = sample[int((distances <= radius).sum(axis=1).argmax())]
    near = points[np.linalg.norm(points - densest, axis=1) <= radius]
    return np.median(near, axis=0)


def _darker(colour: str, factor: float = 0.7) -> tuple[float, float, float]:
    rgb = mpl.colors.to_rgb(colour)
    return (rgb[0] * factor, rgb[1] * factor, rgb[2] * factor)
