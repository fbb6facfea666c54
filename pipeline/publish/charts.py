"""Charts for the planner: keywords, priorities, the SVID matrix, heatmaps, a map of ideas, votes.

Every plot function takes plain tables and returns a :class:`matplotlib.figure.Figure`; nothing
here draws on screen or writes a file except :func:`save_figures`. Text is Latvian by default
(``lang="en"`` for English), drawn in one font that has every Latvian and Cyrillic letter
(:data:`FONT_FAMILY`, checked by :func:`check_font`), through :func:`chart_style`, a matplotlib
rc context: the global ``rcParams`` are never changed.

What counts: an idea is *visible* unless a person hid it (``hidden``) or it says nothing
(``non_answer``); hidden ideas and non-answers are left out of every count and every chart.
Theme names, keywords and the other labels go through :func:`pipeline.publish.redact.redact_text`
unless ``redact=False``, because the charts are published.

Tables and the columns each function needs (the reviewed tables of :mod:`pipeline.review.overrides`):

* ``ideas`` (one row per idea): ``theme``, ``hidden``, ``non_answer``; :func:`keyword_chart`
  also ``content_lemmas`` (and uses ``lemmas``, ``text_normalised`` when present);
  :func:`heatmap` the ``territory`` or ``group`` column (and ``theme_name`` when no themes
  table is given); :func:`document_map` uses ``outlier`` and ``theme_by_person`` when present.
* ``themes`` (one row per theme): ``theme``, ``name_lv`` (``name_en``, ``renamed``, ``is_new``
  are used for English); :func:`keyword_chart` also ``keywords``; :func:`swot_matrix` also
  ``n_ideas``, ``swot_dominant``, ``swot_share_S/W/O/T`` (``swot_n`` when present), i.e. the
  themes joined with ``theme_swot``; :func:`votes_chart` also ``n_ideas`` and ``votes``.
* ``priorities``: ``theme``, ``priority_rank``, ``priority_score`` and the ``part_*`` columns.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import colormaps, font_manager, ft2font, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Annotation
from matplotlib.textpath import text_to_path

from pipeline import io
from pipeline.errors import BalsisError
from pipeline.params import Params
from pipeline.publish.redact import redact_text
from pipeline.summary.svid import QUADRANT_NAMES_EN, QUADRANT_NAMES_LV, QUADRANTS

__all__ = [
    "FIGURE_NAMES",
    "FONT_FAMILY",
    "build_figures",
    "chart_style",
    "check_font",
    "document_map",
    "heatmap",
    "keyword_chart",
    "keyword_counts",
    "priority_chart",
    "project_2d",
    "save_figures",
    "swot_matrix",
    "theme_names",
    "votes_chart",
]

log = logging.getLogger(__name__)

FONT_FAMILY = "DejaVu Sans"
# Letters the charts must be able to show: Latvian (both cases), Russian, and our punctuation.
REQUIRED_CHARACTERS = (
    "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽабвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ–—…%€"
)

# The names the charts are saved under (and the report embeds), in a stable order.
FIGURE_NAMES = (
    "keywords",
    "priorities",
    "svid_matrix",
    "heatmap_territory",
    "heatmap_group",
    "document_map",
    "votes",
)

PNG_DPI = 150
_MIN_SECOND_QUADRANT_SHARE = 0.2
_FIGURE_WIDTH = 10.0  # inches; shown at A4 text width the smallest text stays about 6 pt

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
}

TEXT: dict[str, dict[str, Any]] = {
    "lv": {
        "no_data": "Nav datu",
        "keywords_title": "Biežākie atslēgvārdi katrā tēmā",
        "keywords_note": "Joslas garums – cik tēmas idejās šis vārds ir minēts.",
        "no_keywords": "nav atslēgvārdu",
        "priority_title": "Tēmu prioritātes",
        "priority_note": (
            "Punkti no 0 līdz 1; joslas krāsas rāda, no kā tie veidojas. Augšā – svarīgākā tēma."
        ),
        "priority_x": "Prioritātes punkti",
        "parts": {
            "part_ideas": "idejas",
            "part_votes": "balsis",
            "part_breadth": "izplatība",
            "part_urgency": "steidzamība",
            "part_weakness": "vajadzības",
        },
        "swot_title": "Tēmas SVID matricā",
        "swot_note": (
            "Tēma ir tajā daļā, kur ir visvairāk tās ideju; burtu lielums – tēmas ideju skaits. "
            "Pelēkā krāsā – tēma, kurai šajā daļā ir vismaz {share} ideju. "
            "Iekavās – cik no tēmas idejām ir šajā daļā."
        ),
        "swot_count": "{n}\u00a0no\u00a0{total}",
        "internal": "Iekšējie faktori",
        "external": "Ārējie faktori",
        "no_themes": "nav tēmu",
        "heatmap_title": {
            "territory": "Tēmas pa teritorijām",
            "group": "Tēmas pa iedzīvotāju grupām",
        },
        "heatmap_note": {
            "territory": (
                "Krāsa – cik liela daļa no teritorijas idejām ir par šo tēmu; skaitlis – "
                "ideju skaits. Iekavās – visas teritorijas idejas."
            ),
            "group": (
                "Krāsa – cik liela daļa no grupas idejām ir par šo tēmu; skaitlis – "
                "ideju skaits. Iekavās – visas grupas idejas."
            ),
        },
        "heatmap_colorbar": {
            "territory": "Daļa no teritorijas idejām",
            "group": "Daļa no grupas idejām",
        },
        "not_given": "nav norādīts",
        "no_theme": "(bez tēmas)",
        "map_title": "Ideju karte",
        "map_note": (
            "Katrs punkts – viena ideja; līdzīgas idejas atrodas tuvu cita citai. "
            "Novietojumam uz asīm nav citas nozīmes."
        ),
        "map_outliers": "ideja neiederas nevienā tēmā",
        "votes_title": "Balsis un ideju skaits katrā tēmā",
        "votes_note": (
            "Virs līnijas – tēmas, kas saņēmušas vairāk balsu, nekā tām būtu ar vidējo "
            "balsu skaitu uz ideju."
        ),
        "votes_x": "Ideju skaits",
        "votes_y": "Balsu skaits",
        "votes_mean": "vidēji {value} balsis uz ideju",
        "no_votes": "Šajos datos nav balsojuma rezultātu",
    },
    "en": {
        "no_data": "No data",
        "keywords_title": "Most frequent keywords of each theme",
        "keywords_note": "Bar length: in how many of the theme's ideas the word is used.",
        "no_keywords": "no keywords",
        "priority_title": "Theme priorities",
        "priority_note": (
            "Score from 0 to 1; the colours show what it is made of. "
            "The most important theme is at the top."
        ),
        "priority_x": "Priority score",
        "parts": {
            "part_ideas": "ideas",
            "part_votes": "votes",
            "part_breadth": "breadth",
            "part_urgency": "urgency",
            "part_weakness": "needs",
        },
        "swot_title": "Themes in the SWOT matrix",
        "swot_note": (
            "A theme sits where most of its ideas are; letter size: the theme's number of ideas. "
            "In grey: a theme with at least {share} of its ideas in that part. "
            "In brackets: how many of the theme's ideas are in that part."
        ),
        "swot_count": "{n}\u00a0of\u00a0{total}",
        "internal": "Internal factors",
        "external": "External factors",
        "no_themes": "no themes",
        "heatmap_title": {
            "territory": "Themes by territory",
            "group": "Themes by group of residents",
        },
        "heatmap_note": {
            "territory": (
                "Colour: the share of the territory's ideas that are about the theme; number: "
                "ideas. In brackets: all ideas of the territory."
            ),
            "group": (
                "Colour: the share of the group's ideas that are about the theme; number: "
                "ideas. In brackets: all ideas of the group."
            ),
        },
        "heatmap_colorbar": {
            "territory": "Share of the territory's ideas",
            "group": "Share of the group's ideas",
        },
        "not_given": "not given",
        "no_theme": "(no theme)",
        "map_title": "Map of ideas",
        "map_note": (
            "Each dot is one idea; similar ideas lie close to each other. "
            "The axes mean nothing else."
        ),
        "map_outliers": "idea fits no theme",
        "votes_title": "Votes and number of ideas per theme",
        "votes_note": (
            "Above the line: themes that got more votes than the average number of votes "
            "per idea would give them."
        ),
        "votes_x": "Number of ideas",
        "votes_y": "Number of votes",
        "votes_mean": "on average {value} votes per idea",
        "no_votes": "This data has no votes",
    },
}

# Okabe-Ito colours: told apart by people with colour-blindness, too.
_PART_COLOURS = {
    "part_ideas": "#0072B2",
    "part_votes": "#E69F00",
    "part_breadth": "#009E73",
    "part_urgency": "#D55E00",
    "part_weakness": "#CC79A7",
}
PRIORITY_PARTS = tuple(_PART_COLOURS)

_QUADRANT_COLOURS = {  # (background, heading)
    "S": ("#e8f3e8", "#2e6b30"),
    "W": ("#fbe9e7", "#b23a24"),
    "O": ("#e6f0fa", "#1f5a96"),
    "T": ("#f1eaf5", "#6a3d7c"),
}
_BAR_COLOUR = "#3a76a8"
_OUTLIER_COLOUR = "#b5b5b5"
_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------------------------
# Font and style


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


def _figure(width: float, height: float, *, layout: str | None = "constrained") -> Figure:
    """A figure drawn by Agg (no screen needed), not registered with pyplot."""
    figure = Figure(figsize=(width, height), layout=layout)
    FigureCanvasAgg(figure)
    return figure


def _no_data_figure(title: str, message: str) -> Figure:
    figure = _figure(_FIGURE_WIDTH, 3.0, layout=None)
    figure.suptitle(title, x=0.02, ha="left")
    figure.text(0.5, 0.45, message, ha="center", va="center", fontsize=16, color="#555555")
    return figure


# --------------------------------------------------------------------------------------------
# Small helpers: columns, names, numbers


def _require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BalsisError(
            f"the {table} table has no column(s) {', '.join(repr(c) for c in missing)} "
            f"needed for the chart; it has: {', '.join(map(str, frame.columns)) or 'none'}. "
            "Use the reviewed tables the pipeline writes (reviewed_ideas/reviewed_themes, "
            "joined with theme_swot where the SVID split is needed)."
        )


def _lang(lang: str) -> dict[str, Any]:
    if lang not in TEXT:
        raise BalsisError(f"chart language must be 'lv' or 'en', not {lang!r}")
    return TEXT[lang]


def _clean(text: object, redact: bool) -> str:
    value = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return redact_text(value)[0] if redact and value else value


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna(False).astype(bool)


def _visible(ideas: pd.DataFrame) -> pd.Series:
    """True for ideas that count: not hidden by a person and not a non-answer."""
    return ~_flag(ideas, "hidden") & ~_flag(ideas, "non_answer")


def _theme_keys(ideas: pd.DataFrame) -> pd.Series:
    return ideas["theme"].fillna("").astype(str)


def theme_names(themes: pd.DataFrame, lang: str = "lv", *, redact: bool = True) -> dict[str, str]:
    """Display name of each theme.

    The Latvian name is ``name_lv`` (a person's rename included). English uses ``name_en``
    (a rename sets it too: the person's English name, or their Latvian one) unless the theme
    is a new one named by its keywords, which are Latvian.
    """
    _lang(lang)
    _require(themes, ["theme", "name_lv"], "themes")
    names: dict[str, str] = {}
    for row in themes.to_dict("records"):
        name = row.get("name_lv")
        english = row.get("name_en")
        keep_latvian = bool(row.get("is_new") or False)
        if lang == "en" and isinstance(english, str) and english and not keep_latvian:
            name = english
        if not isinstance(name, str) or not name.strip():
            name = str(row["theme"])
        names[str(row["theme"])] = _clean(name, redact)
    return names


def _number(value: float, lang: str, decimals: int = 0) -> str:
    """A number for people: decimal comma and a thin space between thousands in Latvian."""
    text = f"{value:,.{decimals}f}"
    if lang == "lv":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def _percent(share: float, lang: str) -> str:
    value = int(round(share * 100))
    return f"{value}\u00a0%" if lang == "lv" else f"{value}%"


def _ideas_phrase(n: int, lang: str) -> str:
    """'21 ideja', '5 idejas', '0 ideju' (Latvian agrees with the last digit)."""
    if lang == "en":
        return f"{n}\u00a0idea" if n == 1 else f"{n:,}\u00a0ideas"
    if n == 0:
        return "0\u00a0ideju"
    if n % 10 == 1 and n % 100 != 11:
        return f"{_number(n, lang)}\u00a0ideja"
    return f"{_number(n, lang)}\u00a0idejas"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=True)) or text


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width of one line of text in points."""
    prop = FontProperties(family=FONT_FAMILY, size=size, weight=weight)
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def _wrap_to_width(text: str, size: float, max_width: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap by measured width (a word longer than a line stays whole)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _text_width(f"{lines[-1]} {word}", size, weight) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]


def _note(figure: Figure, text: str) -> None:
    """A plain-words explanation of how to read the chart, at its foot."""
    figure.supxlabel(text, x=0.01, ha="left", fontsize=9, color="#444444")


def _titled(figure: Figure, title: str, note: str) -> None:
    figure.suptitle(title, x=0.01, ha="left")
    _note(figure, note)


def _place_labels(
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
        side, up = half_w + gap + marker, half_h + gap + marker
        offsets: list[tuple[float, float]] = []
        for step in range(14):
            lift = step * (half_h + 1)
            offsets += [(side, lift), (-side, lift), (side, -lift), (-side, -lift)]
            offsets += [(0.0, up + lift), (0.0, -(up + lift))]
            offsets += [(side * 1.6, lift), (-side * 1.6, lift)]
            offsets += [(side * 1.6, -lift), (-side * 1.6, -lift)]
        spots = np.array(offsets)
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


# --------------------------------------------------------------------------------------------
# Keywords


def _idea_words(ideas: pd.DataFrame) -> list[set[str]]:
    """Per idea: its lemmas and the words as written (lower case), to look keywords up in."""
    columns = [c for c in ("content_lemmas", "lemmas") if c in ideas.columns]
    texts = ideas["text_normalised"] if "text_normalised" in ideas.columns else None
    words: list[set[str]] = []
    for position in range(len(ideas)):
        found: set[str] = set()
        for column in columns:
            cell = ideas[column].iat[position]
            if isinstance(cell, list | tuple | np.ndarray):
                found.update(str(w).lower() for w in cell)
        if texts is not None and isinstance(texts.iat[position], str):
            found.update(_WORD.findall(texts.iat[position].lower()))
        words.append(found)
    return words


def _keywords(value: object) -> list[str]:
    if isinstance(value, list | tuple | np.ndarray):
        return [str(k) for k in value if isinstance(k, str) and k.strip()]
    return []


def keyword_counts(
    ideas: pd.DataFrame, themes: pd.DataFrame, n_keywords: int | None = None
) -> pd.DataFrame:
    """How many visible ideas of each theme use each of the theme's keywords.

    An idea uses a keyword when every word of it is among the idea's lemmas (``content_lemmas``,
    and ``lemmas`` when present) or among the words of its text as written (``text_normalised``,
    when present): a bigram keyword is shown as people write it ("šķirošanas konteiners"),
    so its first word need not be a lemma.

    Args:
        ideas: Ideas with ``theme``, ``content_lemmas``, ``hidden``, ``non_answer``.
        themes: Themes with ``theme`` and ``keywords`` (lists, best first).
        n_keywords: Only each theme's first ``n_keywords`` keywords (all when ``None``).

    Returns:
        One row per theme and keyword (themes in table order, keywords in their own order):
        ``theme``, ``keyword``, ``n_ideas``.
    """
    _require(ideas, ["theme", "content_lemmas", "hidden", "non_answer"], "ideas")
    _require(themes, ["theme", "keywords"], "themes")
    visible = ideas[_visible(ideas)]
    keys = _theme_keys(visible).to_numpy()
    words = _idea_words(visible)
    rows: list[dict[str, Any]] = []
    for theme, value in zip(themes["theme"].astype(str), themes["keywords"], strict=True):
        members = [words[i] for i in np.flatnonzero(keys == theme)]
        keywords = _keywords(value)
        for keyword in keywords[:n_keywords] if n_keywords is not None else keywords:
            parts = keyword.lower().split()
            count = sum(all(part in idea for part in parts) for idea in members)
            rows.append({"theme": theme, "keyword": keyword, "n_ideas": count})
    return pd.DataFrame(rows, columns=["theme", "keyword", "n_ideas"]).astype(
        {"theme": str, "keyword": str, "n_ideas": int}
    )


def _visible_counts(ideas: pd.DataFrame) -> pd.Series:
    return _theme_keys(ideas[_visible(ideas)]).value_counts()


def keyword_chart(
    ideas: pd.DataFrame,
    themes: pd.DataFrame,
    n_keywords: int = 8,
    lang: str = "lv",
    *,
    redact: bool = True,
) -> Figure:
    """Small multiples: one panel per theme (largest first) with bars of its keywords.

    A bar is the number of the theme's visible ideas that use the keyword
    (:func:`keyword_counts`); keywords no visible idea uses are left out.

    Args:
        ideas: Reviewed ideas (``theme``, ``content_lemmas``, ``hidden``, ``non_answer``).
        themes: Reviewed themes (``theme``, ``name_lv``, ``keywords``).
        n_keywords: Keywords per theme.
        lang: "lv" or "en".
        redact: Replace personal data in names and keywords.
    """
    t = _lang(lang)
    counts = keyword_counts(ideas, themes, n_keywords)
    names = theme_names(themes, lang, redact=redact)
    sizes = _visible_counts(ideas)
    order = sorted(
        (theme for theme in names if sizes.get(theme, 0) > 0),
        key=lambda theme: (-int(sizes.get(theme, 0)), theme),
    )
    with chart_style():
        if not order:
            return _no_data_figure(t["keywords_title"], t["no_data"])
        n_cols = min(3, len(order))
        n_rows = math.ceil(len(order) / n_cols)
        panel_height = 0.75 + 0.24 * max(n_keywords, 3)
        figure = _figure(_FIGURE_WIDTH, 0.9 + n_rows * panel_height)
        panels = figure.subfigures(n_rows, n_cols, squeeze=False, wspace=0.04)
        title_width = _FIGURE_WIDTH * 72 / n_cols * 0.92
        for theme, panel in zip(order, panels.flat, strict=False):
            found = counts[(counts["theme"] == theme) & (counts["n_ideas"] > 0)]
            found = found.sort_values("n_ideas", ascending=False, kind="stable")
            title = f"{names[theme]} ({_ideas_phrase(int(sizes[theme]), lang)})"
            lines = _wrap_to_width(title, 10.5, title_width, "bold")
            panel.suptitle("\n".join(lines), x=0.02, ha="left", fontsize=10.5, weight="bold")
            ax = panel.add_subplot()
            labels = [_shorten(_clean(k, redact), 24) for k in found["keyword"]]
            values = found["n_ideas"].to_numpy()
            y = np.arange(len(values))[::-1] + (max(n_keywords, 1) - len(values))
            ax.barh(y, values, color=_BAR_COLOUR, height=0.7)
            for row, value in zip(y, values, strict=True):
                ax.text(value, row, f" {value}", va="center", ha="left", fontsize=9)
            ax.set_yticks(y, labels)
            ax.set_ylim(-0.6, max(n_keywords, 1) - 0.4)
            ax.set_xlim(0, max(values.max() if len(values) else 1, 1) * 1.22)
            ax.set_xticks([])
            ax.spines[["top", "right", "bottom"]].set_visible(False)
            ax.tick_params(axis="y", length=0)
            if not len(values):
                ax.text(0.02, 0.5, t["no_keywords"], transform=ax.transAxes, color="#777777")
        _titled(figure, t["keywords_title"], t["keywords_note"])
    return figure


# --------------------------------------------------------------------------------------------
# Priorities


def priority_chart(
    priorities: pd.DataFrame, themes: pd.DataFrame, lang: str = "lv", *, redact: bool = True
) -> Figure:
    """Stacked horizontal bars of each theme's priority score, rank 1 on top.

    The segments are the weighted parts of the score (``part_ideas`` ... ``part_weakness``),
    the score is written at the end of the bar. Themes the themes table no longer has (merged
    away by a person) are left out.

    Args:
        priorities: ``theme``, ``priority_rank``, ``priority_score``, ``part_*`` columns.
        themes: ``theme``, ``name_lv`` (for the names).
        lang: "lv" or "en".
        redact: Replace personal data in theme names.
    """
    t = _lang(lang)
    _require(
        priorities, ["theme", "priority_rank", "priority_score", *PRIORITY_PARTS], "priorities"
    )
    names = theme_names(themes, lang, redact=redact)
    table = priorities[priorities["theme"].astype(str).isin(names)]
    dropped = sorted(set(priorities["theme"].astype(str)) - set(names))
    if dropped:
        log.info("priority chart: themes no longer in the themes table left out: %s", dropped)
    table = table.sort_values(["priority_rank", "theme"], kind="stable")
    with chart_style():
        if table.empty:
            return _no_data_figure(t["priority_title"], t["no_data"])
        n = len(table)
        figure = _figure(_FIGURE_WIDTH, 1.6 + 0.34 * n)
        ax = figure.add_subplot()
        y = np.arange(n)[::-1]
        left = np.zeros(n)
        for part in PRIORITY_PARTS:
            values = table[part].fillna(0).clip(lower=0).to_numpy(dtype=float)
            ax.barh(
                y, values, left=left, height=0.72, color=_PART_COLOURS[part], label=t["parts"][part]
            )
            left += values
        scores = table["priority_score"].fillna(0).to_numpy(dtype=float)
        for row, end, score in zip(y, left, scores, strict=True):
            ax.text(end + 0.008, row, _number(score, lang, 2), va="center", fontsize=9)
        labels = [_wrap(names[str(theme)], 40) for theme in table["theme"]]
        ax.set_yticks(y, labels)
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, max(1.0, float(left.max()) * 1.1))
        ax.set_xlabel(t["priority_x"])
        ax.xaxis.set_major_formatter(lambda value, _: _number(value, lang, 1))
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines["left"].set_visible(False)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=5, borderaxespad=0.3)
        _titled(figure, t["priority_title"], t["priority_note"])
    return figure


# --------------------------------------------------------------------------------------------
# SVID matrix


def _swot_entries(themes: pd.DataFrame, lang: str, redact: bool) -> dict[str, list[dict[str, Any]]]:
    """The labels of each quadrant: main themes by size, then second-quadrant themes."""
    t = TEXT[lang]
    names = theme_names(themes, lang, redact=redact)
    entries: dict[str, list[dict[str, Any]]] = {q: [] for q in QUADRANTS}
    largest = max(1.0, float(pd.to_numeric(themes["n_ideas"], errors="coerce").max() or 1))
    for row in themes.to_dict("records"):
        n_ideas = int(pd.to_numeric(row.get("n_ideas"), errors="coerce") or 0)
        dominant = row.get("swot_dominant")
        if n_ideas <= 0 or dominant not in QUADRANTS:
            continue
        swot_n = pd.to_numeric(row.get("swot_n"), errors="coerce")
        base = float(swot_n) if pd.notna(swot_n) and swot_n > 0 else float(n_ideas)
        for quadrant in QUADRANTS:
            share = float(pd.to_numeric(row.get(f"swot_share_{quadrant}"), errors="coerce") or 0)
            main = quadrant == dominant
            if not main and share < _MIN_SECOND_QUADRANT_SHARE:
                continue
            count = t["swot_count"].format(n=int(round(share * base)), total=n_ideas)
            entries[quadrant].append(
                {
                    "theme": str(row["theme"]),
                    "text": f"{names[str(row['theme'])]} ({count})",
                    "main": main,
                    "size": 9.0 + 6.0 * math.sqrt(n_ideas / largest) if main else 9.0,
                    "n_ideas": n_ideas,
                    "in_quadrant": share * base,
                }
            )
    for quadrant, items in entries.items():
        items.sort(key=lambda e: (not e["main"], -e["n_ideas"] if e["main"] else -e["in_quadrant"]))
        entries[quadrant] = items
    return entries


def swot_matrix(themes: pd.DataFrame, lang: str = "lv", *, redact: bool = True) -> Figure:
    """The SVID matrix: each theme listed in the quadrant where most of its ideas are.

    Stiprās puses | Vājās puses over Iespējas | Draudi. Labels are stacked in a list inside
    each quadrant, largest theme first, letter size by the theme's number of ideas, so they
    never overlap; a theme also appears (in grey, smaller) in every other quadrant holding at
    least 20 % of its ideas. The figure grows to fit the longest list.

    Args:
        themes: Themes joined with ``theme_swot``: ``theme``, ``name_lv``, ``n_ideas``,
            ``swot_dominant``, ``swot_share_S``, ``swot_share_W``, ``swot_share_O``,
            ``swot_share_T`` (``swot_n`` when present, for the counts in brackets).
        lang: "lv" or "en".
        redact: Replace personal data in theme names.
    """
    t = _lang(lang)
    share_columns = [f"swot_share_{q}" for q in QUADRANTS]
    _require(themes, ["theme", "name_lv", "n_ideas", "swot_dominant", *share_columns], "themes")
    quadrant_names = QUADRANT_NAMES_LV if lang == "lv" else QUADRANT_NAMES_EN
    entries = _swot_entries(themes, lang, redact)
    with chart_style():
        if not any(entries.values()):
            return _no_data_figure(t["swot_title"], t["no_data"])
        return _draw_swot(entries, quadrant_names, lang)


def _draw_swot(
    entries: Mapping[str, list[dict[str, Any]]], quadrant_names: Mapping[str, str], lang: str
) -> Figure:
    t = TEXT[lang]
    # Everything is laid out in points (1/72 inch) on one axes spanning the figure.
    width = _FIGURE_WIDTH * 72
    margin, side, gap, pad, heading = 14.0, 26.0, 8.0, 12.0, 30.0
    quadrant_width = (width - 2 * margin - side - gap) / 2
    text_width = quadrant_width - 2 * pad
    blocks: dict[str, list[tuple[dict[str, Any], list[str], float]]] = {}
    heights: dict[str, float] = {}
    for quadrant, items in entries.items():
        block = []
        total = 0.0
        for entry in items:
            weight = "bold" if entry["main"] else "normal"
            lines = _wrap_to_width(entry["text"], entry["size"], text_width, weight)
            line_height = entry["size"] * 1.25
            block.append((entry, lines, line_height))
            total += line_height * len(lines) + entry["size"] * 0.45
        blocks[quadrant] = block
        heights[quadrant] = max(total, 24.0)
    row_heights = [
        heading + pad + max(heights["S"], heights["W"]) + pad,
        heading + pad + max(heights["O"], heights["T"]) + pad,
    ]
    title_band, note_band = 40.0, 40.0
    height = title_band + row_heights[0] + gap + row_heights[1] + note_band
    figure = _figure(_FIGURE_WIDTH, height / 72, layout=None)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    ax.text(margin, height - 14, t["swot_title"], fontsize=14, weight="bold", va="top")
    tops = [height - title_band, height - title_band - row_heights[0] - gap]
    layout = {"S": (0, 0), "W": (0, 1), "O": (1, 0), "T": (1, 1)}
    for row, label in enumerate((t["internal"], t["external"])):
        centre = tops[row] - row_heights[row] / 2
        ax.text(
            margin + side / 2 - 2,
            centre,
            label,
            rotation=90,
            ha="center",
            va="center",
            fontsize=10,
            color="#555555",
        )
    for quadrant, (row, column) in layout.items():
        background, ink = _QUADRANT_COLOURS[quadrant]
        x0 = margin + side + column * (quadrant_width + gap)
        top = tops[row]
        ax.add_patch(
            FancyBboxPatch(
                (x0, top - row_heights[row]),
                quadrant_width,
                row_heights[row],
                boxstyle="round,pad=0,rounding_size=6",
                facecolor=background,
                edgecolor="none",
            )
        )
        ax.text(
            x0 + pad,
            top - 9,
            quadrant_names[quadrant],
            fontsize=13,
            weight="bold",
            color=ink,
            va="top",
        )
        y = top - heading - pad
        if not blocks[quadrant]:
            ax.text(
                x0 + pad, y, t["no_themes"], fontsize=9.5, style="italic", color="#777777", va="top"
            )
        for entry, lines, line_height in blocks[quadrant]:
            ax.text(
                x0 + pad,
                y,
                "\n".join(lines),
                fontsize=entry["size"],
                va="top",
                ha="left",
                weight="bold" if entry["main"] else "normal",
                color="#1a1a1a" if entry["main"] else "#7a7a7a",
                linespacing=1.25,
                gid=f"swot-{quadrant}-{entry['theme']}",
            )
            y -= line_height * len(lines) + entry["size"] * 0.45
    note = t["swot_note"].format(share=_percent(_MIN_SECOND_QUADRANT_SHARE, lang))
    for position, line in enumerate(textwrap.wrap(note, 140)[:2]):
        ax.text(
            margin, note_band - 14 - position * 12, line, fontsize=9, color="#444444", va="center"
        )
    return figure


# --------------------------------------------------------------------------------------------
# Heatmap


def heatmap(
    ideas: pd.DataFrame,
    by: str = "territory",
    lang: str = "lv",
    *,
    themes: pd.DataFrame | None = None,
    redact: bool = True,
) -> Figure:
    """Themes (rows, largest first) by territory or group (columns, largest first).

    A cell's colour is the share of the column's visible ideas that are about the theme (what
    people in a parish or group write about), its number the count of those ideas. Visible
    ideas without a theme form the last row, so each column adds up to 100 %.

    Args:
        ideas: Reviewed ideas: ``theme``, ``hidden``, ``non_answer``, the ``by`` column, and
            ``theme_name`` unless ``themes`` is given.
        by: "territory" or "group".
        lang: "lv" or "en".
        themes: Themes (``theme``, ``name_lv``) for the names; needed for English names.
        redact: Replace personal data in names.
    """
    t = _lang(lang)
    if by not in ("territory", "group"):
        raise BalsisError(f"heatmap: by must be 'territory' or 'group', not {by!r}")
    _require(ideas, ["theme", "hidden", "non_answer", by], "ideas")
    if themes is None:
        _require(ideas, ["theme_name"], "ideas")
    visible = ideas[_visible(ideas)]
    if themes is not None:
        names = theme_names(themes, lang, redact=redact)
    else:
        named = visible[_theme_keys(visible) != ""]
        names = {
            str(k): _clean(v, redact)
            for k, v in named.groupby(_theme_keys(named))["theme_name"].first().items()
        }
    theme_label = _theme_keys(visible).map(lambda k: names.get(k, t["no_theme"]))
    column = visible[by].map(
        lambda v: _clean(v, redact).strip() if isinstance(v, str) and v.strip() else t["not_given"]
    )
    title, note = t["heatmap_title"][by], t["heatmap_note"][by]
    with chart_style():
        if visible.empty:
            return _no_data_figure(title, t["no_data"])
        counts = pd.crosstab(theme_label, column)
        rows = counts.sum(axis=1).sort_values(ascending=False, kind="stable").index.tolist()
        if t["no_theme"] in rows:
            rows = [r for r in rows if r != t["no_theme"]] + [t["no_theme"]]
        columns = counts.sum(axis=0).sort_values(ascending=False, kind="stable").index.tolist()
        counts = counts.loc[rows, columns]
        totals = counts.sum(axis=0)
        shares = counts / totals.replace(0, np.nan)
        return _draw_heatmap(counts, shares.fillna(0), totals, by, title, note, lang, t)


def _draw_heatmap(
    counts: pd.DataFrame,
    shares: pd.DataFrame,
    totals: pd.Series,
    by: str,
    title: str,
    note: str,
    lang: str,
    t: Mapping[str, Any],
) -> Figure:
    n_rows, n_cols = counts.shape
    rotate = n_cols > 8
    width = min(16.0, max(_FIGURE_WIDTH, 3.2 + 0.75 * n_cols))
    height = 1.8 + 0.36 * n_rows + (0.8 if rotate else 0.3)
    figure = _figure(width, height)
    ax = figure.add_subplot()
    top = max(0.05, float(shares.to_numpy().max()))
    image = ax.imshow(
        shares.to_numpy(), cmap="Blues", vmin=0, vmax=top, aspect="auto", interpolation="nearest"
    )
    for i in range(n_rows):
        for j in range(n_cols):
            value = int(counts.iat[i, j])
            share = float(shares.iat[i, j])
            dark = share / top > 0.55
            ax.text(
                j,
                i,
                str(value),
                ha="center",
                va="center",
                fontsize=8.5,
                color="white" if dark else ("#222222" if value else "#9a9a9a"),
            )
    column_labels = [
        f"{_wrap(str(c), 14)}\n({_number(int(totals[c]), lang)})" for c in counts.columns
    ]
    ax.set_xticks(np.arange(n_cols), column_labels)
    ax.xaxis.tick_top()
    if rotate:
        ax.tick_params(axis="x", labelrotation=45)
        for label in ax.get_xticklabels():
            label.set_ha("left")
    ax.set_yticks(np.arange(n_rows), [_wrap(str(r), 34) for r in counts.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(n_cols + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n_rows + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    colorbar = figure.colorbar(
        image,
        ax=ax,
        shrink=min(1.0, 6 / max(n_rows, 1)) if n_rows > 6 else 1.0,
        pad=0.02,
        aspect=30,
    )
    colorbar.set_label(t["heatmap_colorbar"][by])
    colorbar.ax.yaxis.set_major_formatter(lambda value, _: _percent(value, lang))
    colorbar.outline.set_visible(False)
    _titled(figure, title, note)
    return figure


# --------------------------------------------------------------------------------------------
# Map of ideas


def project_2d(reduced: np.ndarray, random_state: int) -> np.ndarray:
    """2-D coordinates of the ideas for the map, from their reduced (e.g. 10-D) coordinates.

    UMAP with ``n_neighbors=15, min_dist=0.1`` (spread out enough to see the groups); with
    fewer than 20 rows, PCA. Rows with NaN (ideas that were not clustered, such as
    non-answers) stay NaN.

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
    rows = data[finite]
    if len(rows) == 0:
        return coords
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
    coords[finite] = projected.astype(np.float32)
    return coords


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
        coords_2d: ``(len(ideas), 2)`` array, rows aligned with ``ideas`` (:func:`project_2d`).
        ideas: Reviewed ideas: ``theme``, ``hidden``, ``non_answer`` (``outlier``,
            ``theme_by_person`` when present).
        themes: ``theme``, ``name_lv``.
        lang: "lv" or "en".
        redact: Replace personal data in theme names.
    """
    t = _lang(lang)
    _require(ideas, ["theme", "hidden", "non_answer"], "ideas")
    coords = np.asarray(coords_2d, dtype=float)
    if coords.ndim != 2 or coords.shape != (len(ideas), 2):
        raise BalsisError(
            f"the map needs one pair of coordinates per idea: got an array of shape "
            f"{coords.shape} for {len(ideas)} ideas; the reduced coordinates must come from "
            "the same run as the ideas table"
        )
    names = theme_names(themes, lang, redact=redact)
    keys = _theme_keys(ideas)
    outlier = _flag(ideas, "outlier") & ~_flag(ideas, "theme_by_person")
    keep = (_visible(ideas) & np.isfinite(coords).all(axis=1)).to_numpy()
    grey = (~keys.isin(names) | outlier).to_numpy() & keep
    coloured = keep & ~grey
    sizes = keys[coloured].value_counts()
    order = [theme for theme in sizes.index if theme in names]
    with chart_style():
        if not keep.any():
            return _no_data_figure(t["map_title"], t["no_data"])
        figure = _figure(_FIGURE_WIDTH, 8.0)
        ax = figure.add_subplot()
        ax.scatter(
            coords[grey, 0],
            coords[grey, 1],
            s=9,
            color=_OUTLIER_COLOUR,
            linewidths=0,
            label=t["map_outliers"],
            zorder=3,  # on top: an idea that fits no theme can sit inside a cluster
        )
        labels: list[Annotation] = []
        outline = [patheffects.withStroke(linewidth=3.0, foreground="white")]
        shown = coords[keep]
        radius = 0.05 * float(np.hypot(*np.ptp(shown, axis=0))) or 1.0
        for theme, colour in zip(order, _palette(len(order)), strict=True):
            members = coloured & (keys == theme).to_numpy()
            points = coords[members]
            ax.scatter(points[:, 0], points[:, 1], s=22, color=colour, linewidths=0, alpha=0.75)
            centre = _label_anchor(points, radius)
            label = ax.annotate(
                _wrap(names[theme], 22),
                xy=(centre[0], centre[1]),
                xytext=(0, 0),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=9,
                weight="bold",
                color=_darker(colour),
                path_effects=outline,
                arrowprops={
                    "arrowstyle": "-",
                    "color": "#666666",
                    "lw": 0.6,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
            label.set_in_layout(False)
            labels.append(label)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color("#dddddd")
        legend = []
        if grey.any():
            legend = [ax.legend(loc="lower right", markerscale=2.0, frameon=True, framealpha=0.9)]
        ax.margins(0.06)
        _titled(figure, t["map_title"], t["map_note"])
        _place_labels(figure, ax, labels, obstacles=shown, fixed=legend)
    return figure


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


# --------------------------------------------------------------------------------------------
# Votes


def votes_chart(themes: pd.DataFrame, lang: str = "lv", *, redact: bool = True) -> Figure:
    """Votes against number of ideas per theme, each point labelled with the theme's name.

    The dashed line is the average number of votes per idea: themes above it got more votes
    than their size alone would give them. Data without votes gives a figure that says so.

    Args:
        themes: ``theme``, ``name_lv``, ``n_ideas``, ``votes``.
        lang: "lv" or "en".
        redact: Replace personal data in theme names.
    """
    t = _lang(lang)
    _require(themes, ["theme", "name_lv", "n_ideas", "votes"], "themes")
    names = theme_names(themes, lang, redact=redact)
    table = themes.assign(
        n_ideas=pd.to_numeric(themes["n_ideas"], errors="coerce").fillna(0),
        votes=pd.to_numeric(themes["votes"], errors="coerce"),
    )
    table = table[table["n_ideas"] > 0]
    with chart_style():
        if table.empty:
            return _no_data_figure(t["votes_title"], t["no_data"])
        if not (table["votes"].fillna(0) > 0).any():
            return _no_data_figure(t["votes_title"], t["no_votes"])
        votes = table["votes"].fillna(0).to_numpy(dtype=float)
        n_ideas = table["n_ideas"].to_numpy(dtype=float)
        figure = _figure(_FIGURE_WIDTH, 7.0)
        ax = figure.add_subplot()
        ax.scatter(n_ideas, votes, s=30, color=_BAR_COLOUR, zorder=3)
        x_max, y_max = float(n_ideas.max()) * 1.08, float(votes.max()) * 1.1
        mean = votes.sum() / n_ideas.sum()
        ax.plot([0, x_max], [0, mean * x_max], linestyle="--", color="#999999", linewidth=1)
        mean_label = ax.annotate(
            t["votes_mean"].format(value=_number(mean, lang, 1)),
            xy=(x_max, min(mean * x_max, y_max)),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8.5,
            color="#666666",
        )
        labels: list[Annotation] = []
        for position in np.argsort(-n_ideas, kind="stable"):
            label = ax.annotate(
                _shorten(names[str(table["theme"].iat[position])], 34),
                xy=(n_ideas[position], votes[position]),
                xytext=(0, 0),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=8.5,
                color="#222222",
                arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.6, "shrinkB": 3},
            )
            label.set_in_layout(False)
            labels.append(label)
        ax.set_xlim(-0.02 * x_max, x_max)
        ax.set_ylim(-0.03 * y_max, y_max)
        ax.set_xlabel(t["votes_x"])
        ax.set_ylabel(t["votes_y"])
        ax.grid(color="#eeeeee", linewidth=0.8)
        ax.set_axisbelow(True)
        _titled(figure, t["votes_title"], t["votes_note"])
        _place_labels(figure, ax, labels, obstacles=np.c_[n_ideas, votes], fixed=[mean_label])
    return figure


# --------------------------------------------------------------------------------------------
# All charts of a run


def _with_swot(themes: pd.DataFrame, theme_swot: pd.DataFrame | None) -> pd.DataFrame:
    if theme_swot is None:
        return themes
    swot = theme_swot if "theme" in theme_swot.columns else theme_swot.reset_index()
    columns = ["theme", *[c for c in swot.columns if c.startswith("swot_")]]
    return themes.drop(columns=[c for c in columns if c != "theme"], errors="ignore").merge(
        swot[columns], on="theme", how="left"
    )


def build_figures(
    ideas: pd.DataFrame,
    themes: pd.DataFrame,
    priorities: pd.DataFrame,
    theme_swot: pd.DataFrame | None,
    coords_2d: np.ndarray | None,
    params: Params,
) -> dict[str, Figure]:
    """Every chart of a run, by the name it is saved under (:data:`FIGURE_NAMES`).

    Args:
        ideas: Reviewed ideas.
        themes: Reviewed themes.
        priorities: Priorities per theme.
        theme_swot: Quadrant split per theme (``theme`` as column or index).
        coords_2d: 2-D map coordinates aligned with ``ideas`` (:func:`project_2d`); ``None``
            gives a map that says there is no data.
        params: :class:`pipeline.params.Params` (``report.lang``, ``report.n_chart_keywords``,
            ``report.redact`` are used).
    """
    report = params.report
    lang, redact = report.lang, report.redact
    themes_swot = _with_swot(themes, theme_swot)
    figures: dict[str, Figure] = {
        "keywords": keyword_chart(ideas, themes, report.n_chart_keywords, lang, redact=redact),
        "priorities": priority_chart(priorities, themes, lang, redact=redact),
        "svid_matrix": swot_matrix(themes_swot, lang, redact=redact),
        "heatmap_territory": heatmap(ideas, "territory", lang, themes=themes, redact=redact),
        "heatmap_group": heatmap(ideas, "group", lang, themes=themes, redact=redact),
    }
    if coords_2d is None:
        with chart_style():
            figures["document_map"] = _no_data_figure(
                TEXT[lang]["map_title"], TEXT[lang]["no_data"]
            )
    else:
        figures["document_map"] = document_map(coords_2d, ideas, themes, lang, redact=redact)
    figures["votes"] = votes_chart(themes, lang, redact=redact)
    return {name: figures[name] for name in FIGURE_NAMES}


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
                with io.atomic_path(target) as tmp:
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
