"""Text layout on the charts: wrapping, shortening, and labels that never overlap."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Annotation
from matplotlib.textpath import text_to_path

from pipeline.publish.charts.style import FONT_FAMILY


def wrap(text: str, width: int) -> str:
    """``text`` on lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True)) or text


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width of one line of text in points."""
    prop = FontProperties(family=FONT_FAMILY, size=size, weight=weight)
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def wrap_to_width(text: str, size: float, max_width: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap by measured width (a word longer than a line stays whole)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size, weight) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]


def place_labels(
    figure: Figure,
    ax: Any,
    labels: Sequence[Annotation],
    *,
    obstacles: np.ndarray | None = None,
    fixed: Sequence[Any] = (),
) -> None:
    """Move labels (centred annotations, offsets in points) so that none overlaps another.

    Each label in turn takes the first free spot around its anchor: beside it, above or
    below it, then further out. A spot is free when
    it stays inside the axes and covers neither an earlier label, nor an obstacle (data
    points, ``(n, 2)`` in data coordinates), nor a ``fixed`` artist; when no spot is free the
    least covered one is taken. Deterministic.
    """
    if not labels:
        return
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    gap, marker = 3.0, 4.0
    boxes: list[tuple[float, float, float, float]] = []
    if obstacles is not None and len(obstacles):
        for x, y in ax.transData.transform(np.asarray(obstacles, dtype=float)):
            boxes.append((x - marker, y - marker, x + marker, y + marker))
    for artist in fixed:
        extent = artist.get_window_extent(renderer)
        boxes.append((extent.x0, extent.y0, extent.x1, extent.y1))
    taken = np.array(boxes, dtype=float).reshape(-1, 4)
    points_per_pixel = 72.0 / figure.dpi

    for label in labels:
        box = label.get_window_extent(renderer)
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        half_w, half_h = box.width / 2 + 1, box.height / 2 + 1
        spots = _spots(half_w + gap + marker, half_h + gap + marker, half_h)
        x0 = cx + spots[:, 0] - half_w
        y0 = cy + spots[:, 1] - half_h
        x1, y1 = x0 + 2 * half_w, y0 + 2 * half_h
        outside = (x0 < frame.x0) | (x1 > frame.x1) | (y0 < frame.y0) | (y1 > frame.y1)
        widths = np.minimum(x1[:, None], taken[None, :, 2]) - np.maximum(x0[:, None], taken[:, 0])
        heights = np.minimum(y1[:, None], taken[None, :, 3]) - np.maximum(y0[:, None], taken[:, 1])
        covered = (np.clip(widths, 0, None) * np.clip(heights, 0, None)).sum(axis=1)
        cost = covered + outside * 1e9
        free = np.flatnonzero(cost == 0)
        best = int(free[0]) if len(free) else int(np.argmin(cost))
        dx, dy = spots[best]
        old_x, old_y = label.xyann
        label.xyann = (old_x + dx * points_per_pixel, old_y + dy * points_per_pixel)
        placed = (x0[best], y0[best], x1[best], y1[best])
        taken = np.vstack([taken, placed])


def _spots(side: float, up: float, half_h: float) -> np.ndarray:
    """Offsets (pixels) from a label's anchor to try, nearest first."""
    offsets: list[tuple[float, float]] = []
    for step in range(14):
        lift = step * (half_h + 1)
        offsets += [(side, lift), (-side, lift), (side, -lift), (-side, -lift)]
        offsets += [(0.0, up + lift), (0.0, -(up + lift))]
        offsets += [(side * 1.6, lift), (-side * 1.6, lift)]
        offsets += [(side * 1.6, -lift), (-side * 1.6, -lift)]
    return np.array(offsets)
