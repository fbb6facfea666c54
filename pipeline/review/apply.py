"""Applying a planner's corrections (:mod:`pipeline.review.rules`) to the machine's tables.

They are applied in a fixed order: merges, renames, moves, theme SWOT, idea SWOT, hides. So a
rename may target a theme that absorbed others, an idea-level SWOT wins over its theme's, and
a move to a theme that was merged away goes to the theme that absorbed it.

Corrections that match nothing (an unknown idea id, a theme key that re-clustering
renumbered) are logged as warnings and listed in :attr:`ReviewResult.unmatched`, never
silently dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.review.rules import KINDS, Merge, Overrides, ThemeName
from pipeline.review.table import REVIEW_COLUMNS, require_columns
from pipeline.review.theme_rows import merged_record, recounted_themes, theme_record
from pipeline.summary.counting import is_counted
from pipeline.swot.quadrants import QUADRANT_NAMES_EN, QUADRANT_NAMES_LV

logger = logging.getLogger(__name__)

PERSON_NOTE = "plānotāja labojums"
"""``swot_evidence`` of an idea whose quadrant a person set."""


@dataclass(frozen=True, eq=False)
class ReviewResult:
    """The reviewed tables and what the corrections did.

    Attributes:
        ideas: The reviewed ideas table (see :func:`pipeline.review.table.reviewed_ideas`),
            corrections applied.
        themes: The reviewed themes: themes merged away dropped, names after renames, counts
            over visible ideas, plus ``renamed``, ``machine_name_lv`` and ``merged_from``.
        applied: One entry per correction that took effect: ``kind``, ``target``, ``detail``.
        unmatched: One entry per correction that matched nothing: ``kind``, ``target``,
            ``reason``.
    """

    ideas: pd.DataFrame
    themes: pd.DataFrame
    applied: list[dict[str, str]]
    unmatched: list[dict[str, str]]

    def counts(self) -> dict[str, int]:
        """Corrections applied per kind (see :data:`KINDS`) and the number unmatched."""
        counts = dict.fromkeys(KINDS, 0)
        for entry in self.applied:
            counts[entry["kind"]] += 1
        counts["unmatched"] = len(self.unmatched)
        return counts

    def log(self) -> dict[str, list[dict[str, str]]]:
        """The applied and unmatched corrections, for the review log."""
        return {
            "applied": [dict(entry) for entry in self.applied],
            "unmatched": [dict(entry) for entry in self.unmatched],
        }


def apply_overrides(
    table: pd.DataFrame,
    themes: pd.DataFrame,
    overrides: Overrides,
    *,
    ideas_file: str | None = None,
    themes_file: str | None = None,
) -> ReviewResult:
    """Apply a planner's corrections to the reviewed tables; the inputs are left unchanged.

    Order: merges, renames, moves, theme SWOT, idea SWOT, hides. What each does:

    - merge: the ideas of the absorbed themes go to ``into``, whose row keeps its keywords
      first and adds the others' new ones (up to the longest keyword list), lists the absorbed
      keys in ``merged_from`` and appends their representatives, clusters and sub-themes;
      the absorbed rows are dropped.
    - rename: ``name_lv`` (and ``name_en`` when given) change, ``renamed`` is True and
      ``theme_name`` of the theme's ideas follows.
    - move: the idea gets the theme with ``theme_by_person`` True, ``theme_confidence`` 1,
      ``outlier`` False and no sub-theme. A move to a theme that a merge absorbed goes to the
      theme that absorbed it. Moving an idea the machine took for a non-answer makes it count
      (``non_answer`` False): a person placed it in a theme.
    - theme SWOT: every visible idea of the theme gets the quadrant; idea SWOT: the idea gets
      it. Both set ``swot_by_person`` True, ``swot_confidence`` 1 and a ``swot_evidence`` note;
      the machine's ``swot_p_*`` and cues stay as they were.
    - hide: ``hidden`` True; the row stays, so nothing is lost.

    ``n_ideas``, ``n_responses`` and ``votes`` (each response's votes once per theme) of every
    theme are then recomputed over visible ideas (not hidden, not non-answers), and the themes
    sorted largest first.

    Corrections that match nothing (an unknown idea id or theme key) are logged as warnings
    and listed in :attr:`ReviewResult.unmatched`.

    Args:
        table: The reviewed ideas table from :func:`pipeline.review.table.reviewed_ideas`.
        themes: The machine's themes table (one row per theme).
        overrides: The corrections (:func:`pipeline.review.load.load_overrides`).
        ideas_file: Where the user finds the idea ids (``DIR/ideas.csv`` of ``balsis run``,
            the ideas artefact of the DVC route), named in the messages about unknown ids.
        themes_file: Where the user finds the theme keys, likewise.

    Returns:
        The reviewed tables with the applied and unmatched corrections.
    """
    require_columns(
        table,
        ("idea_id", "response_id", "non_answer", "theme", "swot", *REVIEW_COLUMNS),
        "reviewed ideas",
        hint="build it with pipeline.review.table.reviewed_ideas",
    )
    require_columns(themes, ("theme", "name_lv", "name_en", "n_ideas"), "themes")
    ideas = table.copy(deep=True)
    rows = {str(row["theme"]): theme_record(row) for row in themes.to_dict("records")}
    row_of = dict(zip(ideas["idea_id"].astype(str), ideas.index, strict=True))
    review = _Review(overrides.source, ideas_file, themes_file)

    redirect = _merge(ideas, rows, overrides.merge, review)
    _rename(rows, overrides.rename, review)
    _move(ideas, rows, row_of, overrides.move, redirect, review)
    _swot_of_themes(ideas, rows, overrides.swot_themes, review)
    _swot_of_ideas(ideas, row_of, overrides.swot_ideas, review)
    _hide(ideas, row_of, overrides.hide, review)

    names = {theme: str(row["name_lv"]) for theme, row in rows.items()}
    ideas["theme_name"] = [names.get(theme, theme) for theme in ideas["theme"]]
    result = ReviewResult(
        ideas=ideas,
        themes=recounted_themes(ideas, rows, themes.columns),
        applied=review.applied_entries,
        unmatched=review.unmatched_entries,
    )
    counts = result.counts()
    logger.info(
        "review: %d correction(s) applied (%s), %d unmatched",
        len(result.applied),
        ", ".join(f"{kind} {counts[kind]}" for kind in KINDS if counts[kind]) or "none",
        counts["unmatched"],
    )
    return result


class _Review:
    """Collects what the corrections did, warning about those that matched nothing."""

    def __init__(self, source: str, ideas_file: str | None, themes_file: str | None) -> None:
        self.source = source
        self.ideas_file = ideas_file or "the ideas table"
        self.themes_file = themes_file or "the themes table"
        self.applied_entries: list[dict[str, str]] = []
        self.unmatched_entries: list[dict[str, str]] = []

    def applied(self, kind: str, target: str, detail: str) -> None:
        self.applied_entries.append({"kind": kind, "target": target, "detail": detail})

    def unmatched(self, kind: str, target: str, reason: str) -> None:
        logger.warning("%s: %s '%s' not applied: %s", self.source, kind, target, reason)
        self.unmatched_entries.append({"kind": kind, "target": target, "reason": reason})

    def no_idea(self, idea_id: str) -> str:
        """Why a correction of the idea ``idea_id`` matched nothing, and where the ids are."""
        return (
            f"no idea '{idea_id}' (its response may have been edited or removed; idea ids are "
            f"in column idea_id of {self.ideas_file})"
        )

    def no_theme(self, theme: str, action: str) -> str:
        """Why a correction that would ``action`` the theme ``theme`` matched nothing."""
        notes = [f"theme keys are in column theme of {self.themes_file}"]
        if theme.startswith("new-"):
            notes.insert(0, "new themes are numbered again when the ideas are re-clustered")
        return f"no theme '{theme}' {action} ({'; '.join(notes)})"


def _merge(
    ideas: pd.DataFrame,
    rows: dict[str, dict[str, Any]],
    merges: Iterable[Merge],
    review: _Review,
) -> dict[str, str]:
    """Merge themes; returns each absorbed theme -> the theme that absorbed it."""
    redirect: dict[str, str] = {}
    for merge in merges:
        if merge.into not in rows:
            reason = review.no_theme(merge.into, "to merge into; nothing was merged")
            review.unmatched("merge", merge.into, reason)
            continue
        present = []
        for theme in merge.absorbed:
            if theme in rows:
                present.append(theme)
            else:
                reason = review.no_theme(theme, f"to merge into {merge.into}")
                review.unmatched("merge", theme, reason)
        if not present:
            continue
        members = ideas["theme"].isin(present)
        ideas.loc[members, "theme"] = merge.into
        rows[merge.into] = merged_record(rows[merge.into], [rows.pop(t) for t in present])
        redirect.update(dict.fromkeys(present, merge.into))
        review.applied(
            "merge",
            merge.into,
            f"{', '.join(present)} merged into {merge.into} ({int(members.sum())} ideas)",
        )
    return redirect


def _rename(
    rows: dict[str, dict[str, Any]], rename: Mapping[str, ThemeName], review: _Review
) -> None:
    for theme, name in rename.items():
        if theme not in rows:
            review.unmatched("rename", theme, review.no_theme(theme, "to rename"))
            continue
        row = rows[theme]
        before = row["name_lv"]
        row["name_lv"] = name.lv
        # Without an English name the person's Latvian one is shown: the machine's English
        # name would contradict the correction.
        row["name_en"] = name.en if name.en is not None else name.lv
        row["renamed"] = True
        english = f" (English: '{name.en}')" if name.en is not None else ""
        review.applied("rename", theme, f"'{before}' → '{name.lv}'{english}")


def _move(
    ideas: pd.DataFrame,
    rows: dict[str, dict[str, Any]],
    row_of: Mapping[str, Any],
    move: Mapping[str, str],
    redirect: Mapping[str, str],
    review: _Review,
) -> None:
    for idea_id, wanted in move.items():
        label = row_of.get(idea_id)
        if label is None:
            review.unmatched("move", idea_id, review.no_idea(idea_id))
            continue
        theme = redirect.get(wanted, wanted)
        if theme not in rows:
            review.unmatched("move", idea_id, review.no_theme(wanted, "to move the idea to"))
            continue
        before = str(ideas.at[label, "theme"]) or "no theme"
        detail = f"{before} → {theme}"
        if theme != wanted:
            detail += f" ('{wanted}' was merged into '{theme}')"
        if bool(ideas.at[label, "non_answer"]):
            ideas.at[label, "non_answer"] = False
            detail += "; it was taken for a non-answer and now counts"
        ideas.at[label, "theme"] = theme
        ideas.at[label, "theme_by_person"] = True
        moved = {"theme_confidence": 1.0, "outlier": False, "subtheme": "", "subtheme_name": ""}
        for column, value in moved.items():
            if column in ideas.columns:
                ideas.at[label, column] = value
        review.applied("move", idea_id, detail)


def _swot_of_themes(
    ideas: pd.DataFrame,
    rows: dict[str, dict[str, Any]],
    swot_themes: Mapping[str, str],
    review: _Review,
) -> None:
    for theme, quadrant in swot_themes.items():
        if theme not in rows:
            review.unmatched("swot_theme", theme, review.no_theme(theme, "to set the SWOT of"))
            continue
        members = (ideas["theme"] == theme) & is_counted(ideas)
        note = f"{PERSON_NOTE} visai tēmai: {QUADRANT_NAMES_LV[quadrant]}"
        _set_swot(ideas, members, quadrant, note)
        review.applied(
            "swot_theme",
            theme,
            f"{quadrant} ({QUADRANT_NAMES_EN[quadrant]}) for its {int(members.sum())} ideas",
        )


def _swot_of_ideas(
    ideas: pd.DataFrame, row_of: Mapping[str, Any], swot_ideas: Mapping[str, str], review: _Review
) -> None:
    for idea_id, quadrant in swot_ideas.items():
        label = row_of.get(idea_id)
        if label is None:
            review.unmatched("swot_idea", idea_id, review.no_idea(idea_id))
            continue
        before = str(ideas.at[label, "swot"]) or "none"
        _set_swot(
            ideas, ideas.index == label, quadrant, f"{PERSON_NOTE}: {QUADRANT_NAMES_LV[quadrant]}"
        )
        review.applied(
            "swot_idea", idea_id, f"{before} → {quadrant} ({QUADRANT_NAMES_EN[quadrant]})"
        )


def _hide(
    ideas: pd.DataFrame, row_of: Mapping[str, Any], hide: Iterable[str], review: _Review
) -> None:
    for idea_id in hide:
        label = row_of.get(idea_id)
        if label is None:
            review.unmatched("hide", idea_id, review.no_idea(idea_id))
            continue
        ideas.at[label, "hidden"] = True
        theme = str(ideas.at[label, "theme"]) or "no theme"
        review.applied("hide", idea_id, f"left out of counts and reports (theme {theme})")


def _set_swot(ideas: pd.DataFrame, members: Any, quadrant: str, note: str) -> None:
    ideas.loc[members, "swot"] = quadrant
    ideas.loc[members, "swot_by_person"] = True
    if "swot_confidence" in ideas.columns:
        ideas.loc[members, "swot_confidence"] = 1.0
    if "swot_evidence" in ideas.columns:
        ideas.loc[members, "swot_evidence"] = note
