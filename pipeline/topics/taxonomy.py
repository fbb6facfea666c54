"""The theme taxonomy: themes with names, a description and seed words, read from YAML.

The project's taxonomy is ``data/reference/themes.yaml`` (:data:`DEFAULT_TAXONOMY`). Library
functions never read it on their own: the stages and the workflow load a taxonomy once and
pass it to the clustering guidance and to naming.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import InputError

DEFAULT_TAXONOMY = Path(__file__).resolve().parents[2] / "data" / "reference" / "themes.yaml"
REQUIRED_THEME_FIELDS = ("id", "name_lv", "name_en", "description", "seeds")
# Ids of themes found in the data but not in the taxonomy start with it ("new-1").
NEW_THEME_PREFIX = "new-"
_THEME_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Theme:
    """One theme of the taxonomy.

    Attributes:
        id: Stable identifier (lower case, digits, "_" or "-"), e.g. "roads".
        name_lv: Latvian name shown in reports.
        name_en: English name.
        description: One line in Latvian, embedded to match clusters.
        seeds: Words residents use about the theme (Latvian, Russian; phrases allowed).
    """

    id: str
    name_lv: str
    name_en: str
    description: str
    seeds: tuple[str, ...]


def load_taxonomy(path: str | Path) -> list[Theme]:
    """Read and validate a theme taxonomy YAML file.

    The file holds ``themes:``, a list of entries with ``id``, ``name_lv``, ``name_en``,
    ``description`` and ``seeds`` (a list of words or phrases).

    Args:
        path: The YAML file.

    Returns:
        The themes in file order.

    Raises:
        InputError: The file is missing or not YAML, or an entry lacks a field, has an empty
            or mistyped one, or repeats an id; the message names the file and the entry.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "theme taxonomy file not found")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(path, f"not valid YAML: {exc}") from exc
    entries = document.get("themes") if isinstance(document, dict) else document
    if not isinstance(entries, list) or not entries:
        raise InputError(
            path, "no themes found", hint="expected a 'themes:' list of entries with id, ..."
        )
    return taxonomy_from_records(entries, source=path)


def taxonomy_from_records(records: Sequence[Any], source: str | Path = "<taxonomy>") -> list[Theme]:
    """Validate theme records (parsed YAML entries) and build :class:`Theme` objects.

    Args:
        records: Mappings with the fields of :class:`Theme`.
        source: Where the records come from, for error messages.

    Returns:
        The themes in order.

    Raises:
        InputError: A record is invalid or an id repeats.
    """
    hint = f"every theme needs {', '.join(REQUIRED_THEME_FIELDS)}"
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        where = f"theme entry {number}"
        if not isinstance(record, Mapping):
            raise InputError(source, f"{where} is not a mapping of fields", hint=hint)
        if isinstance(record.get("id"), str) and record["id"].strip():
            where += f" (id '{record['id']}')"
        missing = [name for name in REQUIRED_THEME_FIELDS if name not in record]
        if missing:
            raise InputError(source, f"{where}: missing field(s) {', '.join(missing)}", hint=hint)
        for name in REQUIRED_THEME_FIELDS[:-1]:
            value = record[name]
            if not isinstance(value, str) or not value.strip():
                raise InputError(source, f"{where}: field '{name}' must be non-empty text")
        theme_id = record["id"].strip()
        if not _THEME_ID.match(theme_id) or theme_id.startswith(NEW_THEME_PREFIX):
            raise InputError(
                source,
                f"{where}: id '{theme_id}' is not allowed",
                hint=f"use lower-case letters, digits, '_' or '-', not starting with "
                f"'{NEW_THEME_PREFIX}' (reserved for new themes)",
            )
        seeds = record["seeds"]
        if isinstance(seeds, str) or not isinstance(seeds, Sequence) or not seeds:
            raise InputError(source, f"{where}: field 'seeds' must be a non-empty list")
        if not all(isinstance(seed, str) and seed.strip() for seed in seeds):
            raise InputError(source, f"{where}: every seed must be non-empty text")
        if theme_id in seen:
            raise InputError(
                source, f"{where}: duplicate id '{theme_id}' (first used by entry {seen[theme_id]})"
            )
        seen[theme_id] = number
        themes.append(
            Theme(
                id=theme_id,
                name_lv=record["name_lv"].strip(),
                name_en=record["name_en"].strip(),
                description=record["description"].strip(),
                seeds=tuple(seed.strip() for seed in seeds),
            )
        )
    return themes
