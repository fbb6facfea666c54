"""The look of every chart: font, sizes, colours, figure size, title and note.

The settings live in :func:`chart_style`, a matplotlib rc context; the global ``rcParams`` are
never changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager, ft2font
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from pipeline.errors import BalsisError
from pipeline.lang.lv.alphabet import MODERN_DIACRITIC_LETTERS

FONT_FAMILY = "DejaVu Sans"
# Letters the charts must be able to show: Latvian (both cases), Russian, and our punctuation.
REQUIRED_CHARACTERS = (
    MODERN_DIACRITIC_LETTERS
    + MODERN_DIACRITIC_LETTERS.upper()
    + "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ–—…%€"
)

PNG_DPI = 150
FIGURE_WIDTH = 10.0  # inches; shown at A4 text width the smallest text stays about 6 pt

_RC: dict[str, Any] = {
    "font.family": [FONT_FAMILY],
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.labelcolor": "#333333",
    "axes.edgecolor": "#888888",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "legend.fontsize": 9.5,
    "legend.frameon": False,
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "figure.titlesize": 14,
    "figure.titleweight": "bold",
    "savefig.dpi": PNG_DPI,
    "savefig.facecolor": "white",
    "svg.fonttype": "path",  # letters as outlines: any viewer shows ā and ж without the font
    "svg.hashsalt": "balsis",  # stable element ids, so an unchanged chart is an unchanged file
    "axes.unicode_minus": True,
    "text.parse_math": False,  # a "$" in a name or a territory is a dollar sign, not TeX
}

# Okabe-Ito colours: told apart by people with colour-blindness, too.
PART_COLOURS = {
    "part_ideas": "#0072B2",
    "part_votes": "#E69F00",
    "part_breadth": "#009E73",
    "part_urgency": "#D55E00",
    "part_weakness": "#CC79A7",
}
PRIORITY_PARTS = tuple(PART_COLOURS)

QUADRANT_COLOURS = {  # (background, heading)
    "S": ("#e8f3e8", "#2e6b30"),
    "W": ("#fbe9e7", "#b23a24"),
    "O": ("#e6f0fa", "#1f5a96"),
    "T": ("#f1eaf5", "#6a3d7c"),
}
BAR_COLOUR = "#3a76a8"
OUTLIER_COLOUR = "#b5b5b5"


def _font_path() -> str:
    try:
        return font_manager.findfont(FontProperties(family=FONT_FAMILY), fallback_to_default=False)
    except ValueError as exc:
        raise BalsisError(
            f"the chart font {FONT_FAMILY!r} is not installed; it ships with matplotlib, "
            "so reinstall matplotlib"
        ) from exc


def check_font(
    font_path: str | Path | None = None, characters: str = REQUIRED_CHARACTERS
) -> list[str]:
    """The characters a font has no glyph for.

    Args:
        font_path: A TrueType/OpenType file; ``None`` checks the chart font (:data:`FONT_FAMILY`).
        characters: The characters that must be there (default: Latvian and Cyrillic letters).

    Returns:
        The missing characters in the order given; empty when the font has them all.
    """
    font = ft2font.FT2Font(str(font_path) if font_path is not None else _font_path())
    charmap = font.get_charmap()
    return [ch for ch in dict.fromkeys(characters) if ord(ch) not in charmap]


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """The charts' matplotlib settings (font, sizes, colours) for the duration of a block."""
    with mpl.rc_context(_RC):
        yield


def new_figure(width: float, height: float, *, layout: str | None = "constrained") -> Figure:
    """A figure drawn by Agg (no screen needed), not registered with pyplot."""
    figure = Figure(figsize=(width, height), layout=layout)
    FigureCanvasAgg(figure)
    return figure


def no_data_figure(title: str, message: str) -> Figure:
    """A chart that says there is nothing to show (``message``) under its ``title``."""
    figure = new_figure(FIGURE_WIDTH, 3.0, layout=None)
    figure.suptitle(title, x=0.02, ha="left")
    figure.text(0.5, 0.45, message, ha="center", va="center", fontsize=16, color="#555555")
    return figure


def titled(figure: Figure, title: str, note: str) -> None:
    """The chart's title at the top; at its foot, a plain-words note on how to read it."""
    figure.suptitle(title, x=0.01, ha="left")
    figure.supxlabel(note, x=0.01, ha="left", fontsize=9, color="#444444")
