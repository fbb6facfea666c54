"""A planner's corrections to the machine's themes and SWOT, kept in a small YAML file.

A municipal planner reads the themes and the SVID table and corrects what the machine got
wrong in ``data/review/overrides.yaml``::

    rename:                      # theme key -> new name (Latvian, or {lv: ..., en: ...})
      roads: "Ceļi, ielas un ietves"
    merge:                       # several themes become one; ``into`` is one of them
      - themes: [new-2, business_jobs]
        into: business_jobs
    move:                        # idea id -> theme key
      "1002-1": families_children
    swot:                        # quadrant: S/W/O/T or the SVID letters S/V/I/D
      ideas: {"1001-1": T}
      themes: {tourism: O}
    hide: ["1044-2"]             # ideas left out of every count, chart and report

Re-running applies them to the machine's tables without re-embedding or re-clustering.
Corrections that no longer match anything (an unknown idea id, a theme key that re-clustering
renumbered) are reported, never silently dropped.

They are applied in a fixed order: merges, renames, moves, theme SWOT, idea SWOT, hides. So a
rename may target a theme that absorbed others, an idea-level SWOT wins over its theme's, and
a move to a theme that was merged away goes to the theme that absorbed it.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import yaml

from pipeline.errors import BalsisError, InputError
from pipeline.summary.svid import QUADRANT_NAMES_EN, QUADRANT_NAMES_LV

logger = logging.getLogger(__name__)

SECTIONS = ("rename", "merge", "move", "swot", "hide")
"""The top-level keys of an overrides file."""

KINDS = ("merge", "rename", "move", "swot_theme", "swot_idea", "hide")
"""Kinds of correction, in the order they are applied."""

QUADRANT_LETTERS = MappingProxyType(
    {"S": "S", "W": "W", "O": "O", "T": "T", "V": "W", "I": "O", "D": "T"}
)
"""Accepted quadrant letters (SWOT and the Latvian SVID) -> the SWOT letter used in tables."""

PERSON_NOTE = "plānotāja labojums"
"""``swot_evidence`` of an idea whose quadrant a person set."""

REVIEW_COLUMNS = (
    "theme_name",
    "hidden",
    "theme_by_person",
    "swot_by_person",
    "machine_theme",
    "machine_swot",
)
"""Columns :func:`reviewed_ideas` adds to the machine's idea tables."""

_QUADRANT_HINT = (
    "use S, W, O or T, or the SVID letters S (stiprās puses), V (vājās puses), "
    "I (iespējas), D (draudi)"
)
_LIST_COLUMNS = ("keywords", "representatives", "subthemes", "subtheme_labels", "clusters")


# ---------------------------------------------------------------------------------------------
# The corrections


@dataclass(frozen=True)
class ThemeName:
    """A theme's new name; ``en`` None keeps the machine's English name."""

    lv: str
    en: str | None = None


@dataclass(frozen=True)
class Merge:
    """Themes that become one: ``into`` (one of ``themes``) absorbs the others."""

    themes: tuple[str, ...]
    into: str

    @property
    def absorbed(self) -> tuple[str, ...]:
        """The themes that disappear into ``into``."""
        return tuple(theme for theme in self.themes if theme != self.into)


@dataclass(frozen=True)
class Overrides:
    """A planner's corrections, validated (see :func:`overrides_from_dict`).

    Attributes:
        rename: Theme key -> new name.
        merge: Merges in file order.
        move: Idea id -> theme key it belongs to.
        swot_ideas: Idea id -> quadrant letter (S, W, O or T).
        swot_themes: Theme key -> quadrant letter for all its ideas.
        hide: Ids of ideas to leave out of counts, charts and reports.
        source: Where the corrections come from, for messages.
    """

    rename: Mapping[str, ThemeName] = field(default_factory=lambda: MappingProxyType({}))
    merge: tuple[Merge, ...] = ()
    move: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    swot_ideas: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    swot_themes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    hide: tuple[str, ...] = ()
    source: str = "<overrides>"

    @classmethod
    def empty(cls, source: str = "<overrides>") -> Overrides:
        """No corrections: the machine's results are kept as they are."""
        return cls(source=source)

    def is_empty(self) -> bool:
        """True when there is nothing to apply."""
        return not (
            self.rename
            or self.merge
            or self.move
            or self.swot_ideas
            or self.swot_themes
            or self.hide
        )


def load_overrides(path: str | Path, *, required: bool = False) -> Overrides:
    """Read and validate a planner's overrides file.

    An empty file (or one with only comments) means no corrections; so does a missing one,
    unless ``required`` (the user named the file, so a missing one is a typo).

    Raises:
        InputError: The file is not UTF-8 YAML or an entry is invalid; the message names the
            file and the entry and says how to fix it.
    """
    path = Path(path)
    if not path.exists() and required:
        raise InputError(
            path, "no such overrides file", hint="check the path, or leave out --overrides"
        )
    if not path.exists():
        logger.info("%s: no overrides file; the machine's results are used as they are", path)
        return Overrides.empty(str(path))
    if path.is_dir():
        raise InputError(path, "is a directory, not an overrides file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, "is not UTF-8 text", hint="save the file as UTF-8") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(
            path,
            f"is not valid YAML{where}: {problem}",
            hint="check the indentation and put ids and names in double quotes",
        ) from exc
    return overrides_from_dict(raw, source=str(path))


def overrides_from_dict(raw: Any, source: str = "<overrides>") -> Overrides:
    """Validate parsed YAML (see the module docstring for the format) into :class:`Overrides`.

    Ids and keys that YAML read as numbers (``1001``) become text. ``None`` (an empty file)
    and empty sections mean no corrections.

    Raises:
        InputError: An unknown section or key, a wrong type, a bad quadrant letter, a merge of
            fewer than two themes, a theme in two merges, a rename or theme SWOT of a theme
            that a merge absorbs, or an idea that is both hidden and moved or given a SWOT.
    """
    if raw is None:
        return Overrides.empty(source)
    if not isinstance(raw, Mapping):
        raise InputError(
            source,
            f"expected the sections {_listing(SECTIONS)} at the top level, found {_describe(raw)}",
            hint="see the comment at the top of data/review/overrides.yaml for the format",
        )
    for key in raw:
        if key not in SECTIONS:
            raise InputError(source, f"unknown section '{key}'", hint=_did_you_mean(key, SECTIONS))
    rename = _parse_rename(raw.get("rename"), source)
    merges = _parse_merge(raw.get("merge"), source)
    move = _parse_id_mapping(raw.get("move"), "move", source, _theme_value)
    swot_ideas, swot_themes = _parse_swot(raw.get("swot"), source)
    hide = _parse_hide(raw.get("hide"), source)
    overrides = Overrides(
        rename=MappingProxyType(rename),
        merge=tuple(merges),
        move=MappingProxyType(move),
        swot_ideas=MappingProxyType(swot_ideas),
        swot_themes=MappingProxyType(swot_themes),
        hide=tuple(hide),
        source=source,
    )
    _check_conflicts(overrides)
    return overrides


def _parse_rename(value: Any, source: str) -> dict[str, ThemeName]:
    names: dict[str, ThemeName] = {}
    example = 'roads: "Ceļi, ielas un ietves"  or  roads: {lv: "...", en: "..."}'
    for key, name in _mapping(value, "rename", source, example).items():
        where = f"rename '{key}'"
        if isinstance(name, str):
            names[key] = ThemeName(lv=_text(name, where, source))
            continue
        if not isinstance(name, Mapping):
            raise InputError(
                source, f"{where}: the new name must be text, found {_describe(name)}", hint=example
            )
        for part in name:
            if part not in ("lv", "en"):
                raise InputError(
                    source, f"{where}: unknown key '{part}'", hint="use 'lv' and optionally 'en'"
                )
        if "lv" not in name:
            raise InputError(source, f"{where}: the Latvian name 'lv' is missing", hint=example)
        english = name.get("en")
        names[key] = ThemeName(
            lv=_text(name["lv"], f"{where} lv", source),
            en=None if english is None else _text(english, f"{where} en", source),
        )
    return names


def _parse_merge(value: Any, source: str) -> list[Merge]:
    example = "merge:\n  - themes: [new-2, business_jobs]\n    into: business_jobs"
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(
            source, f"section 'merge' must be a list, found {_describe(value)}", hint=example
        )
    merges: list[Merge] = []
    for number, entry in enumerate(value, start=1):
        where = f"merge entry {number}"
        if not isinstance(entry, Mapping):
            raise InputError(
                source, f"{where} must have 'themes' and 'into', found {_describe(entry)}"
            )
        for key in entry:
            if key not in ("themes", "into"):
                raise InputError(
                    source, f"{where}: unknown key '{key}'", hint="use 'themes' and 'into'"
                )
        themes = entry.get("themes")
        if not isinstance(themes, list):
            raise InputError(
                source,
                f"{where}: 'themes' must be a list of theme keys, found {_describe(themes)}",
                hint="themes: [new-2, business_jobs]",
            )
        keys = [_key(theme, f"{where} themes", source, "theme key") for theme in themes]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise InputError(source, f"{where}: theme '{repeated[0]}' is listed twice")
        if len(keys) < 2:
            raise InputError(
                source,
                f"{where}: a merge needs at least two themes, found {len(keys)}",
                hint="list every theme to merge, including the one they go into",
            )
        if "into" not in entry:
            raise InputError(
                source, f"{where}: 'into' is missing", hint="name the theme that absorbs the others"
            )
        into = _key(entry["into"], f"{where} into", source, "theme key")
        if into not in keys:
            raise InputError(
                source,
                f"{where}: 'into' is '{into}', which is not one of the merged themes "
                f"({', '.join(keys)})",
                hint="pick one of them; to give the merged theme a new name, rename it",
            )
        merges.append(Merge(themes=tuple(keys), into=into))
    return merges


def _parse_swot(value: Any, source: str) -> tuple[dict[str, str], dict[str, str]]:
    example = 'swot:\n  ideas: {"1001-1": T}\n  themes: {tourism: O}'
    if value is None:
        return {}, {}
    if not isinstance(value, Mapping):
        raise InputError(
            source,
            f"section 'swot' must have 'ideas' and/or 'themes', found {_describe(value)}",
            hint=example,
        )
    for key in value:
        if key not in ("ideas", "themes"):
            raise InputError(
                source, f"swot: unknown key '{key}'", hint=_did_you_mean(key, ("ideas", "themes"))
            )
    ideas = _parse_id_mapping(value.get("ideas"), "swot ideas", source, _quadrant)
    themes = _parse_id_mapping(value.get("themes"), "swot themes", source, _quadrant)
    return ideas, themes


def _parse_hide(value: Any, source: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(
            source,
            f"section 'hide' must be a list of idea ids, found {_describe(value)}",
            hint='hide: ["1044-2", "1101-1"]',
        )
    ids = [_key(item, "hide", source, "idea id") for item in value]
    return list(dict.fromkeys(ids))


def _parse_id_mapping(
    value: Any, section: str, source: str, convert: Callable[[Any, str, str], str]
) -> dict[str, str]:
    """A mapping of ids or keys to values checked by ``convert(value, where, source)``."""
    examples = {
        "move": '"1002-1": families_children',
        "swot ideas": '"1001-1": T',
        "swot themes": "tourism: O",
    }
    what = "theme key" if section == "swot themes" else "idea id"
    result: dict[str, str] = {}
    for key, item in _mapping(value, section, source, examples[section], what).items():
        result[key] = convert(item, f"{section} '{key}'", source)
    return result


def _mapping(
    value: Any, section: str, source: str, example: str, what: str = "theme key"
) -> dict[str, Any]:
    """A section's mapping with its keys as text; a repeated key is an error."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(
            source,
            f"section '{section}' must be a mapping of {what}: value, found {_describe(value)}",
            hint=example,
        )
    result: dict[str, Any] = {}
    for raw_key, item in value.items():
        key = _key(raw_key, section, source, what)
        if key in result:
            raise InputError(source, f"{section}: '{key}' is listed twice", hint="keep one entry")
        result[key] = item
    return result


def _key(value: Any, where: str, source: str, what: str) -> str:
    """An idea id or theme key as text (YAML reads ``1001`` as a number)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(
            source,
            f"{where}: {what} {value!r} must be text",
            hint='put it in double quotes, e.g. "1002-1"',
        )
    key = str(value).strip()
    if not key:
        raise InputError(source, f"{where}: an empty {what}")
    return key


def _text(value: Any, where: str, source: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            source,
            f"{where}: the name must be non-empty text, found {_describe(value)}",
            hint="put the name in double quotes",
        )
    return " ".join(value.split())


def _theme_value(value: Any, where: str, source: str) -> str:
    return _key(value, where, source, "theme key")


def _quadrant(value: Any, where: str, source: str) -> str:
    letter = value.strip().upper() if isinstance(value, str) else None
    if letter not in QUADRANT_LETTERS:
        raise InputError(source, f"{where}: {value!r} is not a SWOT quadrant", hint=_QUADRANT_HINT)
    return QUADRANT_LETTERS[letter]


def _check_conflicts(overrides: Overrides) -> None:
    source = overrides.source
    merged_into: dict[str, str] = {}
    first_merge: dict[str, int] = {}
    for number, merge in enumerate(overrides.merge, start=1):
        for theme in merge.themes:
            if theme in first_merge:
                raise InputError(
                    source,
                    f"merge entry {number}: theme '{theme}' is already in merge entry "
                    f"{first_merge[theme]}",
                    hint="put all the themes that become one into a single merge entry",
                )
            first_merge[theme] = number
        merged_into.update(dict.fromkeys(merge.absorbed, merge.into))
    for theme in overrides.rename:
        if theme in merged_into:
            raise InputError(
                source,
                f"rename '{theme}': the theme is merged into '{merged_into[theme]}' and disappears",
                hint=f"rename '{merged_into[theme]}' instead",
            )
    for theme in overrides.swot_themes:
        if theme in merged_into:
            raise InputError(
                source,
                f"swot themes '{theme}': the theme is merged into '{merged_into[theme]}' and "
                "disappears",
                hint=f"set the quadrant of '{merged_into[theme]}' instead",
            )
    for idea_id in overrides.hide:
        for section, entries in (("move", overrides.move), ("swot ideas", overrides.swot_ideas)):
            if idea_id in entries:
                raise InputError(
                    source,
                    f"idea '{idea_id}' is both hidden (hide) and corrected ({section})",
                    hint="a hidden idea is left out everywhere; remove one of the two entries",
                )


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, Mapping):
        return "a mapping (key: value)"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _listing(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _did_you_mean(key: Any, known: Iterable[str]) -> str:
    known = tuple(known)
    close = difflib.get_close_matches(str(key), known, n=1)
    prefix = f"did you mean '{close[0]}'? " if close else ""
    return f"{prefix}the known keys are {_listing(known)}"


# ---------------------------------------------------------------------------------------------
# Applying them


@dataclass(frozen=True, eq=False)
class ReviewResult:
    """The reviewed tables and what the corrections did.

    Attributes:
        ideas: The reviewed ideas table (see :func:`reviewed_ideas`), corrections applied.
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


def reviewed_ideas(
    ideas: pd.DataFrame,
    idea_themes: pd.DataFrame,
    idea_swot: pd.DataFrame,
    themes: pd.DataFrame,
) -> pd.DataFrame:
    """The reviewed ideas table before any correction: the machine's view of every idea.

    Args:
        ideas: One row per idea (``idea_id``, ``response_id``, ``non_answer``, ...).
        idea_themes: The theme of each idea (``idea_id``, ``theme``, ``theme_confidence``, ...).
        idea_swot: The quadrant of each idea (``idea_id``, ``swot``, ``swot_confidence``, ...).
        themes: One row per theme (``theme``, ``name_lv``).

    Returns:
        ``ideas`` in its order with the columns of ``idea_themes`` and ``idea_swot``, plus
        ``theme_name`` (the theme's Latvian name, "" for none), ``hidden``,
        ``theme_by_person``, ``swot_by_person`` (all False), ``machine_theme`` and
        ``machine_swot`` (copies of ``theme`` and ``swot``; "" for none).

    Raises:
        BalsisError: A table lacks a column, repeats an idea id, or has no row for an idea
            (the artefacts come from different runs).
    """
    _require(ideas, ("idea_id", "response_id", "non_answer"), "ideas")
    _require(idea_themes, ("idea_id", "theme", "theme_confidence"), "idea themes")
    _require(idea_swot, ("idea_id", "swot", "swot_confidence"), "idea SWOT")
    _require(themes, ("theme", "name_lv"), "themes")
    table = ideas.reset_index(drop=True)
    _unique_ids(table, "ideas")
    for name, extra in (("idea themes", idea_themes), ("idea SWOT", idea_swot)):
        _unique_ids(extra, name)
        missing = ~table["idea_id"].isin(extra["idea_id"])
        if missing.any():
            examples = ", ".join(table.loc[missing, "idea_id"].astype(str).head(3))
            raise BalsisError(
                f"the {name} table has no row for {int(missing.sum())} idea(s) (e.g. {examples}); "
                "the tables come from different runs: run the pipeline again (dvc repro)"
            )
        shared = [c for c in extra.columns if c in table.columns and c != "idea_id"]
        table = table.merge(extra.drop(columns=shared), on="idea_id", how="left")
    table["theme"] = _text_column(table["theme"])
    table["swot"] = _text_column(table["swot"])
    names = _theme_names(themes)
    table["theme_name"] = [names.get(theme, theme) for theme in table["theme"]]
    table["hidden"] = False
    table["theme_by_person"] = False
    table["swot_by_person"] = False
    table["machine_theme"] = table["theme"].copy()
    table["machine_swot"] = table["swot"].copy()
    return table


def apply_overrides(
    table: pd.DataFrame, themes: pd.DataFrame, overrides: Overrides
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
        table: The reviewed ideas table from :func:`reviewed_ideas`.
        themes: The machine's themes table (one row per theme).
        overrides: The corrections (:func:`load_overrides`).

    Returns:
        The reviewed tables with the applied and unmatched corrections.
    """
    _require(table, ("idea_id", "response_id", "non_answer", "theme", "swot", *REVIEW_COLUMNS),
             "reviewed ideas", hint="build it with pipeline.review.overrides.reviewed_ideas")  # fmt: skip
    _require(themes, ("theme", "name_lv", "name_en", "n_ideas"), "themes")
    ideas = table.copy(deep=True)
    rows = {str(row["theme"]): _theme_row(row) for row in themes.to_dict("records")}
    row_of = dict(zip(ideas["idea_id"].astype(str), ideas.index, strict=True))
    review = _Review(overrides.source)

    redirect: dict[str, str] = {}
    for merge in overrides.merge:
        if merge.into not in rows:
            review.unmatched(
                "merge", merge.into, f"{_no_theme(merge.into)} to merge into; nothing was merged"
            )
            continue
        present = []
        for theme in merge.absorbed:
            if theme in rows:
                present.append(theme)
            else:
                review.unmatched("merge", theme, f"{_no_theme(theme)} to merge into {merge.into}")
        if not present:
            continue
        members = ideas["theme"].isin(present)
        ideas.loc[members, "theme"] = merge.into
        rows[merge.into] = _merged_row(rows[merge.into], [rows.pop(t) for t in present])
        redirect.update(dict.fromkeys(present, merge.into))
        review.applied(
            "merge",
            merge.into,
            f"{', '.join(present)} merged into {merge.into} ({int(members.sum())} ideas)",
        )

    for theme, name in overrides.rename.items():
        if theme not in rows:
            review.unmatched("rename", theme, f"{_no_theme(theme)} to rename")
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

    for idea_id, wanted in overrides.move.items():
        label = row_of.get(idea_id)
        if label is None:
            review.unmatched("move", idea_id, _no_idea(idea_id))
            continue
        theme = redirect.get(wanted, wanted)
        if theme not in rows:
            review.unmatched("move", idea_id, f"{_no_theme(wanted)} to move the idea to")
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

    for theme, quadrant in overrides.swot_themes.items():
        if theme not in rows:
            review.unmatched("swot_theme", theme, f"{_no_theme(theme)} to set the SWOT of")
            continue
        members = (ideas["theme"] == theme) & _visible(ideas)
        note = f"{PERSON_NOTE} visai tēmai: {QUADRANT_NAMES_LV[quadrant]}"
        _set_swot(ideas, members, quadrant, note)
        review.applied(
            "swot_theme",
            theme,
            f"{quadrant} ({QUADRANT_NAMES_EN[quadrant]}) for its {int(members.sum())} ideas",
        )

    for idea_id, quadrant in overrides.swot_ideas.items():
        label = row_of.get(idea_id)
        if label is None:
            review.unmatched("swot_idea", idea_id, _no_idea(idea_id))
            continue
        before = str(ideas.at[label, "swot"]) or "none"
        _set_swot(
            ideas, ideas.index == label, quadrant, f"{PERSON_NOTE}: {QUADRANT_NAMES_LV[quadrant]}"
        )
        review.applied(
            "swot_idea", idea_id, f"{before} → {quadrant} ({QUADRANT_NAMES_EN[quadrant]})"
        )

    for idea_id in overrides.hide:
        label = row_of.get(idea_id)
        if label is None:
            review.unmatched("hide", idea_id, _no_idea(idea_id))
            continue
        ideas.at[label, "hidden"] = True
        theme = str(ideas.at[label, "theme"]) or "no theme"
        review.applied("hide", idea_id, f"left out of counts and reports (theme {theme})")

    names = {theme: str(row["name_lv"]) for theme, row in rows.items()}
    ideas["theme_name"] = [names.get(theme, theme) for theme in ideas["theme"]]
    reviewed_themes = _recount(ideas, rows, themes.columns)
    result = ReviewResult(
        ideas=ideas,
        themes=reviewed_themes,
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

    def __init__(self, source: str) -> None:
        self.source = source
        self.applied_entries: list[dict[str, str]] = []
        self.unmatched_entries: list[dict[str, str]] = []

    def applied(self, kind: str, target: str, detail: str) -> None:
        self.applied_entries.append({"kind": kind, "target": target, "detail": detail})

    def unmatched(self, kind: str, target: str, reason: str) -> None:
        logger.warning("%s: %s '%s' not applied: %s", self.source, kind, target, reason)
        self.unmatched_entries.append({"kind": kind, "target": target, "reason": reason})


def _no_idea(idea_id: str) -> str:
    return (
        f"no idea '{idea_id}' (its response may have been edited or removed; idea ids are "
        "in data/interim/ideas.parquet)"
    )


def _no_theme(theme: str) -> str:
    reason = f"no theme '{theme}'"
    if theme.startswith("new-"):
        reason += " (new themes are numbered again when the ideas are re-clustered)"
    return reason


def _visible(ideas: pd.DataFrame) -> pd.Series:
    return ~ideas["hidden"].fillna(False).astype(bool) & ~ideas["non_answer"].fillna(False).astype(
        bool
    )


def _set_swot(ideas: pd.DataFrame, members: Any, quadrant: str, note: str) -> None:
    ideas.loc[members, "swot"] = quadrant
    ideas.loc[members, "swot_by_person"] = True
    if "swot_confidence" in ideas.columns:
        ideas.loc[members, "swot_confidence"] = 1.0
    if "swot_evidence" in ideas.columns:
        ideas.loc[members, "swot_evidence"] = note


def _theme_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A theme as a plain record with Python lists (Parquet gives NumPy arrays)."""
    record = dict(row)
    record["theme"] = str(record["theme"])
    for column in (*_LIST_COLUMNS, "merged_from"):
        if column in record:
            record[column] = _as_list(record[column])
    record.setdefault("renamed", False)
    record.setdefault("machine_name_lv", record["name_lv"])
    record.setdefault("merged_from", [])
    return record


def _merged_row(into: dict[str, Any], absorbed: list[dict[str, Any]]) -> dict[str, Any]:
    row = dict(into)
    group = [into, *absorbed]
    if "keywords" in row:
        keywords = list(into["keywords"])
        for other in absorbed:
            keywords += [word for word in other.get("keywords", []) if word not in keywords]
        row["keywords"] = keywords[: max(len(member.get("keywords", [])) for member in group)]
    row["merged_from"] = [
        *into["merged_from"],
        *(key for other in absorbed for key in (*other["merged_from"], other["theme"])),
    ]
    for column in ("representatives", "clusters", "subthemes", "subtheme_labels"):
        if column in row:
            combined = list(into[column])
            for other in absorbed:
                combined += [v for v in other.get(column, []) if v not in combined]
            row[column] = combined
    if "confidence" in row:
        sizes = np.array([max(float(member["n_ideas"]), 0.0) for member in group])
        values = np.array([float(member["confidence"]) for member in group])
        weights = sizes if sizes.sum() > 0 else None
        row["confidence"] = float(np.average(values, weights=weights))
    return row


def _recount(
    ideas: pd.DataFrame, rows: dict[str, dict[str, Any]], columns: Iterable[str]
) -> pd.DataFrame:
    visible = ideas[_visible(ideas)]
    if "votes" in visible.columns:
        votes = pd.to_numeric(visible["votes"], errors="coerce").fillna(0.0)
    else:
        votes = pd.Series(0.0, index=visible.index)
    for theme, row in rows.items():
        inside = visible["theme"] == theme
        per_response = votes[inside].groupby(visible.loc[inside, "response_id"].astype(str)).max()
        row["n_ideas"] = int(inside.sum())
        row["n_responses"] = len(per_response)
        row["votes"] = float(per_response.sum())
    order = [
        *columns,
        *(c for c in ("renamed", "machine_name_lv", "merged_from") if c not in columns),
    ]
    table = pd.DataFrame(list(rows.values()), columns=order)
    table["renamed"] = table["renamed"].astype(bool)
    return table.sort_values(
        ["n_ideas", "theme"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def _theme_names(themes: pd.DataFrame) -> dict[str, str]:
    return {str(t): str(n) for t, n in zip(themes["theme"], themes["name_lv"], strict=True)}


def _text_column(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype(str)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, float) and np.isnan(value):
        return []
    return [value]


def _require(
    frame: pd.DataFrame, columns: Iterable[str], name: str, *, hint: str | None = None
) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        message = f"the {name} table lacks column(s) {', '.join(missing)}"
        raise BalsisError(f"{message} ({hint})" if hint else message)


def _unique_ids(frame: pd.DataFrame, name: str) -> None:
    repeated = frame["idea_id"][frame["idea_id"].duplicated()]
    if not repeated.empty:
        raise BalsisError(
            f"the {name} table repeats idea id(s) {', '.join(map(str, repeated.head(3)))}; "
            "run the pipeline again (dvc repro)"
        )
