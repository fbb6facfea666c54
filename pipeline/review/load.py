"""Reading and validating a planner's overrides file (the format: :mod:`pipeline.review.rules`).

Entries are checked one by one (:mod:`pipeline.review.checks`), then against each other: a
theme in two merges, a rename of a theme that a merge absorbs, an idea both hidden and
corrected. The first problem stops the run with a message that names the file and the entry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from pipeline.errors import InputError
from pipeline.review.checks import (
    describe,
    did_you_mean,
    entry_mapping,
    id_text,
    listing,
    name_text,
    quadrant_letter,
    theme_key,
)
from pipeline.review.rules import SECTIONS, Merge, Overrides, ThemeName

logger = logging.getLogger(__name__)


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
    """Validate parsed YAML (the format: :mod:`pipeline.review.rules`) into :class:`Overrides`.

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
            f"expected the sections {listing(SECTIONS)} at the top level, found {describe(raw)}",
            hint="see the comment at the top of data/review/overrides.yaml for the format",
        )
    for key in raw:
        if key not in SECTIONS:
            raise InputError(source, f"unknown section '{key}'", hint=did_you_mean(key, SECTIONS))
    rename = _parse_rename(raw.get("rename"), source)
    merges = _parse_merge(raw.get("merge"), source)
    move = _parse_id_mapping(raw.get("move"), "move", source, theme_key)
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
    for key, name in entry_mapping(value, "rename", source, example).items():
        where = f"rename '{key}'"
        if isinstance(name, str):
            names[key] = ThemeName(lv=name_text(name, where, source))
            continue
        if not isinstance(name, Mapping):
            raise InputError(
                source, f"{where}: the new name must be text, found {describe(name)}", hint=example
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
            lv=name_text(name["lv"], f"{where} lv", source),
            en=None if english is None else name_text(english, f"{where} en", source),
        )
    return names


def _parse_merge(value: Any, source: str) -> list[Merge]:
    example = "merge:\n  - themes: [new-2, business_jobs]\n    into: business_jobs"
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(
            source, f"section 'merge' must be a list, found {describe(value)}", hint=example
        )
    merges: list[Merge] = []
    for number, entry in enumerate(value, start=1):
        where = f"merge entry {number}"
        if not isinstance(entry, Mapping):
            raise InputError(
                source, f"{where} must have 'themes' and 'into', found {describe(entry)}"
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
                f"{where}: 'themes' must be a list of theme keys, found {describe(themes)}",
                hint="themes: [new-2, business_jobs]",
            )
        keys = [theme_key(theme, f"{where} themes", source) for theme in themes]
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
        into = theme_key(entry["into"], f"{where} into", source)
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
            f"section 'swot' must have 'ideas' and/or 'themes', found {describe(value)}",
            hint=example,
        )
    for key in value:
        if key not in ("ideas", "themes"):
            raise InputError(
                source, f"swot: unknown key '{key}'", hint=did_you_mean(key, ("ideas", "themes"))
            )
    ideas = _parse_id_mapping(value.get("ideas"), "swot ideas", source, quadrant_letter)
    themes = _parse_id_mapping(value.get("themes"), "swot themes", source, quadrant_letter)
    return ideas, themes


def _parse_hide(value: Any, source: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(
            source,
            f"section 'hide' must be a list of idea ids, found {describe(value)}",
            hint='hide: ["1044-2", "1101-1"]',
        )
    ids = [id_text(item, "hide", source, "idea id") for item in value]
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
    for key, item in entry_mapping(value, section, source, examples[section], what).items():
        result[key] = convert(item, f"{section} '{key}'", source)
    return result


def _check_conflicts(overrides: Overrides) -> None:
    """Entries that are each valid but contradict each other."""
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
