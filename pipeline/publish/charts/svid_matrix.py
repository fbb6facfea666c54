"""The SVID (SWOT) matrix: each theme listed in the quadrant where most of its ideas are."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from pipeline.publish.charts.inputs import chart_text, require, theme_names
from pipeline.publish.charts.layout import wrap_to_width
from pipeline.publish.charts.style import (
    FIGURE_WIDTH,
    QUADRANT_COLOURS,
    chart_style,
    new_figure,
    no_data_figure,
)
from pipeline.publish.format import percent
from pipeline.publish.text import quadrant_names
from pipeline.swot.quadrants import QUADRANTS

# A theme is also listed (in grey) in another quadrant holding at least this share of its ideas.
MIN_SECOND_QUADRANT_SHARE = 0.2

# Layout in points (1/72 inch): outer margin, band for the side labels, gap between quadrants,
# padding inside a quadrant, height of a quadrant's heading.
_MARGIN, _SIDE, _GAP, _PAD, _HEADING = 14.0, 26.0, 8.0, 12.0, 30.0
_TITLE_BAND, _NOTE_BAND = 40.0, 40.0
_GRID = {"S": (0, 0), "W": (0, 1), "O": (1, 0), "T": (1, 1)}  # (row, column)

Entry = dict[str, Any]
Block = list[tuple[Entry, list[str], float]]  # an entry, its wrapped lines, its line height


def _swot_entries(themes: pd.DataFrame, lang: str, redact: bool) -> dict[str, list[Entry]]:
    """The labels of each quadrant: main themes by size, then second-quadrant themes."""
    t = chart_text(lang)
    names = theme_names(themes, lang, redact=redact)
    entries: dict[str, list[Entry]] = {q: [] for q in QUADRANTS}
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
            if not main and share < MIN_SECOND_QUADRANT_SHARE:
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
    t = chart_text(lang)
    share_columns = [f"swot_share_{q}" for q in QUADRANTS]
    require(themes, ["theme", "name_lv", "n_ideas", "swot_dominant", *share_columns], "themes")
    entries = _swot_entries(themes, lang, redact)
    with chart_style():
        if not any(entries.values()):
            return no_data_figure(t["swot_title"], t["no_data"])
        return _draw_swot(entries, quadrant_names(lang), lang)


def _blocks(entries: Mapping[str, list[Entry]], text_width: float) -> dict[str, Block]:
    """Each quadrant's entries with their lines wrapped to the quadrant's width."""
    blocks: dict[str, Block] = {}
    for quadrant, items in entries.items():
        block = []
        for entry in items:
            weight = "bold" if entry["main"] else "normal"
            lines = wrap_to_width(entry["text"], entry["size"], text_width, weight)
            block.append((entry, lines, entry["size"] * 1.25))
        blocks[quadrant] = block
    return blocks


def _block_height(block: Block) -> float:
    total = 0.0
    for entry, lines, line_height in block:
        total += line_height * len(lines) + entry["size"] * 0.45
    return max(total, 24.0)


def _draw_swot(
    entries: Mapping[str, list[Entry]], headings: Mapping[str, str], lang: str
) -> Figure:
    """The matrix drawn: title, the internal/external side labels, four quadrants, the note."""
    t = chart_text(lang)
    # Everything is laid out in points (1/72 inch) on one axes spanning the figure.
    width = FIGURE_WIDTH * 72
    quadrant_width = (width - 2 * _MARGIN - _SIDE - _GAP) / 2
    blocks = _blocks(entries, quadrant_width - 2 * _PAD)
    heights = {quadrant: _block_height(block) for quadrant, block in blocks.items()}
    row_heights = [
        _HEADING + _PAD + max(heights["S"], heights["W"]) + _PAD,
        _HEADING + _PAD + max(heights["O"], heights["T"]) + _PAD,
    ]
    height = _TITLE_BAND + row_heights[0] + _GAP + row_heights[1] + _NOTE_BAND
    figure = new_figure(FIGURE_WIDTH, height / 72, layout=None)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    ax.text(_MARGIN, height - 14, t["swot_title"], fontsize=14, weight="bold", va="top")
    tops = [height - _TITLE_BAND, height - _TITLE_BAND - row_heights[0] - _GAP]
    for row, label in enumerate((t["internal"], t["external"])):
        centre = tops[row] - row_heights[row] / 2
        ax.text(
            _MARGIN + _SIDE / 2 - 2,
            centre,
            label,
            rotation=90,
            ha="center",
            va="center",
            fontsize=10,
            color="#555555",
        )
    for quadrant, (row, column) in _GRID.items():
        x0 = _MARGIN + _SIDE + column * (quadrant_width + _GAP)
        box = (x0, tops[row], quadrant_width, row_heights[row])
        _draw_quadrant(ax, quadrant, headings[quadrant], blocks[quadrant], box, t)
    note = t["swot_note"].format(share=percent(MIN_SECOND_QUADRANT_SHARE, lang))
    for position, line in enumerate(textwrap.wrap(note, 140)[:2]):
        ax.text(
            _MARGIN, _NOTE_BAND - 14 - position * 12, line, fontsize=9, color="#444444", va="center"
        )
    return figure


def _draw_quadrant(
    ax: Any,
    quadrant: str,
    name: str,
    block: Block,
    box: tuple[float, float, float, float],
    t: Mapping[str, Any],
) -> None:
    """One quadrant: its background, its name, and its themes listed from the top down.

    ``box`` is (left, top, width, height) in points.
    """
    x0, top, quadrant_width, quadrant_height = box
    background, ink = QUADRANT_COLOURS[quadrant]
    ax.add_patch(
        FancyBboxPatch(
            (x0, top - quadrant_height),
            quadrant_width,
            quadrant_height,
            boxstyle="round,pad=0,rounding_size=6",
            facecolor=background,
            edgecolor="none",
        )
    )
    ax.text(x0 + _PAD, top - 9, name, fontsize=13, weight="bold", color=ink, va="top")
    y = top - _HEADING - _PAD
    if not block:
        ax.text(
            x0 + _PAD, y, t["no_themes"], fontsize=9.5, style="italic", color="#777777", va="top"
        )
    for entry, lines, line_height in block:
        ax.text(
            x0 + _PAD,
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
